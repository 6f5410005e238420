#!/usr/bin/env bash
# What every benchmark needs first (scripts/bench.sh, bench/calls.sh): dependencies,
# Asterisk provisioned, and every project built.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision.sh
NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true npx nx run-many -t build --output-style=static >/dev/null
