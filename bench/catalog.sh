#!/usr/bin/env bash
# The backup list after a start (nothing cached) on a store with S3-like round trips: the records
# read one after another against the catalog's parallel reads, and latest(). Writes docs/benchmarks.md.
# Usage: bench/catalog.sh [backups, default 1080 (90 days of two-hourly backups)] [round trip ms, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-1080}
DELAY=${2:-20}
WORK=${BENCH_WORK:-$PWD/bench/work/catalog}
rm -rf "$WORK"
OUT=$(java -cp "$JAR" bench/CatalogBench.java "$WORK" "$N" "$DELAY" 2>/dev/null)
ONE=$(echo "$OUT" | awk '/one_by_one/ {print $2}')
LIST=$(echo "$OUT" | awk '/^list/ {print $2}')
LATEST=$(echo "$OUT" | awk '/latest/ {print $2}')
SECTION=$(cat <<MD
## Backup list after a start (bench/catalog.sh)

Run on $(date -u +%Y-%m-%d): $N backups' status records, read through a store that adds ${DELAY} ms to
every request (an S3 round trip), by a catalog that has cached nothing yet, as after a restart.

| measurement | seconds | ratio |
|---|---|---|
| reference: the records read one after another (how \`GET /backuplist\` read them before) | $ONE | 1 |
| \`GET /backuplist\`: the records read 16 at a time | $LIST | $(ratio "$LIST" "$ONE")× |
| \`GET /backup/latest\`: the newest record alone | $LATEST | $(printf '%.3f' "$(echo "scale=5; $LATEST / $ONE" | bc)")× |
MD
)
write_section "Backup list after a start (bench/catalog.sh)" "$SECTION"
echo "$SECTION"
