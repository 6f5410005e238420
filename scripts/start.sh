#!/usr/bin/env bash
# `npm start`: install what is missing, provision, build, and run the whole stack locally
# (Asterisk bj + sz, a media gateway each, acd, ivr, voicemail, reporting) in the
# foreground until Ctrl-C. scripts/local-stack.ts says which variables move it aside.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision.sh
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
npx nx run-many -t build --output-style=static >/tmp/lianluo-build.$$.log 2>&1 || { cat /tmp/lianluo-build.$$.log >&2; exit 1; }
rm -f /tmp/lianluo-build.$$.log
exec node_modules/.bin/tsx scripts/local-stack.ts
