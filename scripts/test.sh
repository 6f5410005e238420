#!/usr/bin/env bash
# `npm test`: install what is missing, provision NATS/Redis/PostgreSQL/Asterisk/SIPp,
# then lint (with contract checks), build (type-check) and run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision.sh
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
npx nx run-many -t lint build --output-style=static
npx nx run-many -t test --output-style=stream --parallel=2
