#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.lianluo-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing npm dependencies…" >&2
  # npm install, not npm ci: with omit-lockfile-registry-resolved npm leaves other platforms' optional
  # binaries (swc, buf) out of the lock file and npm ci then refuses it as out of sync.
  if ! npm install --no-audit --no-fund --loglevel=error >/tmp/lianluo-npm-ci.$$.log 2>&1; then
    cat /tmp/lianluo-npm-ci.$$.log >&2
    echo "npm install failed: see the output above (network to the npm registry, disk space)" >&2
    exit 1
  fi
  rm -f /tmp/lianluo-npm-ci.$$.log
  echo "$want" >"$stamp"
fi
