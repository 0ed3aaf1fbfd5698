#!/usr/bin/env bash
# A first backup into, and a restore from, a store as slow to move objects as S3 (a round trip
# plus one connection's bandwidth per request): one pack at a time per filling thread and one
# check download per core (ATHENA_TRANSFER_THREADS=0, how Athena moved them before) against the
# default, 4 at once. Writes docs/benchmarks.md.
# Usage: bench/transfer.sh [round trip ms, default 30] [MB/s per connection, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
LATENCY=${1:-30}
BANDWIDTH=${2:-60}
# On disk, where users' data and scratch folders lie (BENCH_WORK=/dev/shm/... for an in-memory run).
WORK=${BENCH_WORK:-/var/tmp/athena-bench-transfer}
rm -rf "$WORK" && mkdir -p "$WORK/tree"
trap 'rm -rf "$WORK"' EXIT
for d in /usr/share/doc /usr/lib/jvm/java-17-openjdk-amd64; do
  if [ -d "$d" ]; then cp -a "$d" "$WORK/tree/$(echo "$d" | tr / _)"; fi
done
TREE_BYTES=$(du -sb "$WORK/tree" | cut -f1)
run() { ATHENA_TRANSFER_THREADS=$1 java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp "$JAR" bench/TransferBench.java "$WORK/tree" "$WORK/w$1" "$LATENCY" "$BANDWIDTH" 2>>"$WORK/athena.log"; }
# Headline: each figure the median of 3 freshly started JVMs (one round each), on disk. Beside it: one warm JVM,
# best of 2 after a throw-away round.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
cold() { for k in 1 2 3; do ATHENA_BENCH_COLD=1 run "$1"; done; }
field() { awk -v f="$1" '$1 == f { print $2 }' | median; }
COLD_OLD=$(cold 0); COLD_NEW=$(cold 4); COLD_CHECKED=$(ATHENA_BENCH_READ_BACK=1 cold 4)
B_OLD=$(echo "$COLD_OLD" | field backup); R_OLD=$(echo "$COLD_OLD" | field restore)
B_NEW=$(echo "$COLD_NEW" | field backup); R_NEW=$(echo "$COLD_NEW" | field restore)
B_CHECKED=$(echo "$COLD_CHECKED" | field backup)
WARM_OLD=$(run 0); WARM_NEW=$(run 4); WARM_CHECKED=$(ATHENA_BENCH_READ_BACK=1 run 4)
WB_OLD=$(echo "$WARM_OLD" | field backup); WR_OLD=$(echo "$WARM_OLD" | field restore)
WB_NEW=$(echo "$WARM_NEW" | field backup); WR_NEW=$(echo "$WARM_NEW" | field restore)
WB_CHECKED=$(echo "$WARM_CHECKED" | field backup)
SECTION=$(cat <<MD
## Backup and restore through a slow store (bench/transfer.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores: $TREE_BYTES bytes (/usr/share/doc and a JDK) on disk, backed up into, then
restored from, a store that, like S3, takes a ${LATENCY} ms round trip plus the bytes at ${BANDWIDTH} MB/s for each
request; the restore reads it as one from S3 does (each pack downloaded once, by the pre-restore
check). Headline: median of 3 freshly started JVMs, one round each, as a command runs. Beside it,
labelled warm: one long-lived JVM, best of 2 after a throw-away round.

| measurement | seconds, fresh JVM | ratio | warm JVM, seconds | warm ratio |
|---|---|---|---|---|
| reference backup: each pack uploaded by the thread that filled it (\`ATHENA_TRANSFER_THREADS=0\`, as before) | $B_OLD | 1 | $WB_OLD | 1 |
| backup, 4 packs uploading at once (the default) | $B_NEW | $(ratio "$B_NEW" "$B_OLD")× | $WB_NEW | $(ratio "$WB_NEW" "$WB_OLD")× |
| the same, every write read back before it counts (how \`serve\` and the CLI open a store: packs by length and last 4 KiB, small objects whole) | $B_CHECKED | $(ratio "$B_CHECKED" "$B_OLD")× ($(ratio "$B_CHECKED" "$B_NEW")× without read-back) | $WB_CHECKED | $(ratio "$WB_CHECKED" "$WB_OLD")× ($(ratio "$WB_CHECKED" "$WB_NEW")× without) |
| reference restore: the check downloads one pack per core (\`ATHENA_TRANSFER_THREADS=0\`, as before) | $R_OLD | 1 | $WR_OLD | 1 |
| restore, 4 pack downloads at once (the default) | $R_NEW | $(ratio "$R_NEW" "$R_OLD")× | $WR_NEW | $(ratio "$WR_NEW" "$WR_OLD")× |
MD
)
write_section "Backup and restore through a slow store (bench/transfer.sh)" "$SECTION"
echo "$SECTION"
