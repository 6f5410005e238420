#!/usr/bin/env bash
# `npm run bench`: every bench/*.bench.ts, each printing ratios to a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-bench.sh
for bench in bench/*.bench.ts; do
  node_modules/.bin/tsx "$bench"
done
