#!/usr/bin/env bash
# Regenerates the ActiveRecord goldens: tests/activerecord/goldens/<app>.json for
# every fixture app corpus/<app>/.
#
#   tests/activerecord/regenerate.sh                  rewrite every golden
#   tests/activerecord/regenerate.sh blog outage      rewrite only these
#   tests/activerecord/regenerate.sh --check [app...] regenerate into a temporary
#       directory and exit 1, printing a diff, if anything differs from the
#       committed goldens (or a golden is missing or has no corpus app left).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
goldens="$here/goldens"

check=0
if [[ "${1:-}" == "--check" ]]; then
  check=1
  shift
fi

apps=("$@")
all=0
if [[ ${#apps[@]} -eq 0 ]]; then
  all=1
  for dir in "$root"/corpus/*/; do
    apps+=("$(basename "$dir")")
  done
fi

if (( check )); then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
else
  out="$goldens"
  mkdir -p "$out"
fi

status=0
for app in "${apps[@]}"; do
  if [[ ! -d "$root/corpus/$app" ]]; then
    echo "no such app: corpus/$app" >&2
    status=1
    continue
  fi
  if ! ruby "$here/dump_reflections.rb" "$root/corpus/$app" > "$out/$app.json.tmp"; then
    echo "dump_reflections.rb failed on corpus/$app" >&2
    rm -f "$out/$app.json.tmp"
    status=1
    continue
  fi
  mv "$out/$app.json.tmp" "$out/$app.json"
  if (( check )); then
    if [[ ! -f "$goldens/$app.json" ]]; then
      echo "missing golden: tests/activerecord/goldens/$app.json" >&2
      status=1
    elif ! diff -u --label "goldens/$app.json" --label "regenerated/$app.json" \
        "$goldens/$app.json" "$out/$app.json"; then
      status=1
    fi
  else
    echo "wrote tests/activerecord/goldens/$app.json"
  fi
done

if (( check && all )); then
  for golden in "$goldens"/*.json; do
    [[ -e "$golden" ]] || continue
    app="$(basename "$golden" .json)"
    if [[ ! -d "$root/corpus/$app" ]]; then
      echo "stale golden (no corpus/$app): tests/activerecord/goldens/$app.json" >&2
      status=1
    fi
  done
fi

if (( check )); then
  if (( status == 0 )); then
    echo "goldens up to date (${#apps[@]} apps)"
  else
    echo "goldens differ: run tests/activerecord/regenerate.sh and review the diff" >&2
  fi
fi
exit "$status"
