#!/usr/bin/env bash
# `npm test`: install what is missing, provision NATS/Redis/PostgreSQL/Asterisk/SIPp,
# then lint (with contract checks), build (type-check) and run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision.sh
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
export LIANLUO_TEST_SUMMARY
LIANLUO_TEST_SUMMARY=$(mktemp)
trap 'rm -f "$LIANLUO_TEST_SUMMARY"' EXIT

status=0
npx nx run-many -t lint build --output-style=static || status=$?
if [ "$status" -eq 0 ]; then
  npx nx run-many -t test --output-style=stream --parallel=2 || status=$?
fi
# Summed over every project's Jest run (lint or build failures count as one failure).
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
  const sum = (k) => lines.reduce((n, l) => n + l[k], 0);
  const failed = sum("failed") + (process.argv[2] !== "0" && sum("failed") === 0 ? 1 : 0);
  console.log(`${sum("passed")} passed, ${failed} failed` + (sum("skipped") ? `, ${sum("skipped")} skipped` : ""));
' "$LIANLUO_TEST_SUMMARY" "$status"
exit "$status"
