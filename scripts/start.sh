#!/usr/bin/env bash
# `npm start`: install what is missing, provision, build, and run both sites locally
# (Asterisk bj + sz, one media gateway each) in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision.sh
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
npx nx run-many -t build --output-style=static >/tmp/lianluo-build.$$.log 2>&1 || { cat /tmp/lianluo-build.$$.log >&2; exit 1; }
rm -f /tmp/lianluo-build.$$.log
exec node_modules/.bin/tsx scripts/local-stack.ts
