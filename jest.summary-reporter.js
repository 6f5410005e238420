// Appends each Jest run's totals to $LIANLUO_TEST_SUMMARY so scripts/test.sh can print
// one closing line for the whole repository ("N passed, N failed").
const { appendFileSync } = require('node:fs');

module.exports = class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.LIANLUO_TEST_SUMMARY;
    if (!file) return;
    const line = { passed: results.numPassedTests, failed: results.numFailedTests + results.numRuntimeErrorTestSuites, skipped: results.numPendingTests };
    appendFileSync(file, JSON.stringify(line) + '\n');
  }
};
