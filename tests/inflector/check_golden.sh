#!/usr/bin/env bash
# Re-records the inflector goldens with the real ActiveSupport in a scratch copy and
# fails if they differ from the committed ones.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r "$here"/. "$scratch"/
rm -f "$scratch"/golden.json "$scratch"/golden_custom.json
ruby "$scratch/generate_golden.rb" >/dev/null
status=0
for f in golden.json golden_custom.json; do
  if ! diff -u "$here/$f" "$scratch/$f" >"$scratch/$f.diff"; then
    echo "tests/inflector/$f differs from what ActiveSupport computes now:" >&2
    head -40 "$scratch/$f.diff" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "inflector goldens: identical to ActiveSupport $(ruby -e 'require "active_support"; print ActiveSupport::VERSION::STRING')"
exit "$status"
