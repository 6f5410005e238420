#!/usr/bin/env bash
# `npm run bench`: every bench/*.bench.ts, each printing ratios to a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision.sh
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
npx nx run-many -t build --output-style=static >/dev/null
for bench in bench/*.bench.ts; do
  node_modules/.bin/tsx "$bench"
done
