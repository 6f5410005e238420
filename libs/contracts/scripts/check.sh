#!/usr/bin/env bash
# Contract checks: style (buf lint), wire compatibility against main (buf breaking),
# and generated code in step with proto/ (a stale libs/contracts/src/gen is an error).
set -euo pipefail
cd "$(dirname "$0")/../../../proto"

buf lint

# Compare against main when main has contracts; on the very first contract there is nothing to break.
if git rev-parse --verify -q main >/dev/null && git cat-file -e main:proto/buf.yaml 2>/dev/null; then
  buf breaking --against "$(git rev-parse --show-toplevel)/.git#branch=main,subdir=proto"
else
  echo "buf breaking: no contracts on main yet, nothing to compare" >&2
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Same plugin and options as buf.gen.yaml, written to a scratch folder.
buf generate --template "{\"version\":\"v2\",\"plugins\":[{\"local\":\"protoc-gen-es\",\"out\":\"$scratch\",\"opt\":[\"target=ts\",\"import_extension=none\"]}]}"
if ! diff -r "$scratch" ../libs/contracts/src/gen >/dev/null; then
  echo "libs/contracts/src/gen is out of date with proto/: run 'npm run proto:generate' and commit" >&2
  exit 1
fi
