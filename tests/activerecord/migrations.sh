#!/usr/bin/env bash
# The schemas the real ActiveRecord builds from the migrations of every corpus app
# that commits no schema file: tests/activerecord/migrations/<app>/paths lists, one
# line per database, `<database> <folder>...`, the folders Rails' migrations paths
# hold for it; <app>/schema.rb (primary) and <app>/<database>_schema.rb are what
# ActiveRecord::SchemaDumper dumps after ActiveRecord::MigrationContext has run them
# (dump_migrations.rb). tests/migrations_replay.rs requires fullscan's replay to agree.
#
#   tests/activerecord/migrations.sh                 rewrite every golden
#   tests/activerecord/migrations.sh --check         re-run into a temporary directory
#       and exit 1, printing a diff, if anything differs from the committed goldens
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

check=0
if [[ "${1:-}" == "--check" ]]; then
  check=1
fi

status=0
for dir in "$here"/migrations/*/; do
  app="$(basename "$dir")"
  if [[ ! -d "$root/corpus/$app" ]]; then
    echo "tests/activerecord/migrations/$app: no corpus app of that name" >&2
    status=1
    continue
  fi
  while read -r database folders; do
    [[ -z "$database" || "$database" == \#* ]] && continue
    if [[ "$database" == primary ]]; then
      golden="$dir/schema.rb"
    else
      golden="$dir/${database}_schema.rb"
    fi
    out="$(mktemp)"
    # shellcheck disable=SC2086 # the folders are words
    if ! ruby "$here/dump_migrations.rb" "$root/corpus/$app" "$out" $folders; then
      echo "dump_migrations.rb failed on corpus/$app ($database)" >&2
      status=1
    elif (( check )); then
      if ! diff -u "$golden" "$out"; then
        echo "corpus/$app ($database): ActiveRecord's schema differs from ${golden#"$root"/}" >&2
        status=1
      fi
    else
      cp "$out" "$golden"
    fi
    rm -f "$out"
  done < "$dir/paths"
done
exit "$status"
