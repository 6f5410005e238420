// The chart and image tests: helm renders, Kubernetes schemas, policies, and the service
// bundles the images copy, started for real.
const preset = require('../jest.preset.js')(__dirname);

module.exports = { ...preset, testTimeout: 60_000 };
