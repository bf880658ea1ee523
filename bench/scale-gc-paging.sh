#!/usr/bin/env bash
# Before/after of garbage collection's keyset pages (issue 15 item 5) on one SQLite metadata store that
# bench/scale (scale-fill) filled: pages through every stale link (500 per page, as a run does) with the
# statement before commit 20087dc (`@after_repository IS NULL OR (repository > … OR (repository = … AND
# digest > …))`) and with the row-value statement after it, alternately, BENCH_ROUNDS times each, and
# prints the seconds per full pass and the pages read. Uses the sqlite3 command-line shell.
#
#   bench/scale-gc-paging.sh /path/to/metadata.db
set -euo pipefail

db=${1:?usage: bench/scale-gc-paging.sh METADATA.DB}
rounds=${BENCH_ROUNDS:-2}
before=$(( $(date +%s%3N) ))   # every filled row is older than now
condition="l.linked_at < $before AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = l.repository AND r.digest = l.digest)"

page_sql() { # FORM AFTER_REPOSITORY AFTER_DIGEST
  local key
  if [ -z "$2" ]; then key=""
  elif [ "$1" = old ]; then key=" AND ('$2' IS NULL OR (l.repository > '$2' OR (l.repository = '$2' AND l.digest > '$3')))"
  else key=" AND (l.repository, l.digest) > ('$2', '$3')"
  fi
  echo "SELECT l.repository, l.digest FROM blob_links l WHERE $condition$key ORDER BY l.repository, l.digest LIMIT 500;"
}

# pass FORM: prints "seconds pages rows".
pass() {
  local form=$1 repository="" digest="" pages=0 rows=0 start page count
  start=$(date +%s%3N)
  while :; do
    page=$(timeout 600 sqlite3 -readonly "$db" "$(page_sql "$form" "$repository" "$digest")")
    count=$(grep -c . <<<"$page" || true)
    pages=$((pages + 1)) rows=$((rows + count))
    [ "$count" -eq 500 ] || break
    IFS='|' read -r repository digest <<<"$(tail -n 1 <<<"$page")"
  done
  awk -v ms=$(( $(date +%s%3N) - start )) -v p=$pages -v r=$rows 'BEGIN {printf "%.2f %d %d\n", ms / 1000, p, r}'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= rounds; round++)); do
  for form in old new; do
    read -r seconds pages rows < <(pass "$form")
    echo "round $round $form: $seconds s for $pages pages, $rows stale links"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
