#!/usr/bin/env bash
# `npm run bench:calls`: end-to-end load through our services and through Asterisk's app_queue,
# side by side (bench/calls-vs-app-queue.ts). Apart from `npm run bench`: it takes minutes and
# the whole machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-bench.sh
exec node_modules/.bin/tsx bench/calls-vs-app-queue.ts
