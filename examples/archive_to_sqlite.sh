#!/usr/bin/env bash
# A folder of articles into SQLite, then who met whom, in SQL.
# Run from the repository root: bash examples/archive_to_sqlite.sh [OUTPUT.sqlite]
# Run it twice: the second run skips the documents already stored (resume).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/communique_articles.sqlite}"

communique batch "$here/articles" --out "$out"

# Pairs of participants of the same meeting, with where and when it took place.
sqlite3 -header -column "$out" <<'SQL'
SELECT d.doc_id,
       d.date_start AS date,
       d.city,
       a.name || ' (' || coalesce(a.country_code, '?') || ')' AS participant,
       b.name || ' (' || coalesce(b.country_code, '?') || ')' AS met
FROM documents AS d
JOIN participants AS a ON a.doc_id = d.doc_id
JOIN participants AS b ON b.doc_id = d.doc_id AND b.ordinal > a.ordinal
WHERE d.status = 'ok'
ORDER BY d.date_start, d.doc_id, a.ordinal, b.ordinal;
SQL
