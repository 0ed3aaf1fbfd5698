#!/usr/bin/env bash
# A first backup into a store as slow to accept objects as S3 (a round trip plus one connection's
# bandwidth per upload): packs uploaded by the thread that filled them (ATHENA_UPLOAD_THREADS=0,
# how Athena uploaded before) against the default, 4 at once. Writes docs/benchmarks.md.
# Usage: bench/upload.sh [round trip ms, default 30] [MB/s per connection, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
LATENCY=${1:-30}
BANDWIDTH=${2:-60}
JAR=target/athena.jar
WORK=${BENCH_WORK:-/dev/shm/athena-bench-upload}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
rm -rf "$WORK" && mkdir -p "$WORK/tree"
trap 'rm -rf "$WORK"' EXIT
for d in /usr/share/doc /usr/lib/jvm/java-17-openjdk-amd64; do
  [ -d "$d" ] && cp -a "$d" "$WORK/tree/$(echo "$d" | tr / _)"
done
TREE_BYTES=$(du -sb "$WORK/tree" | cut -f1)
run() { ATHENA_UPLOAD_THREADS=$1 java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp "$JAR" bench/UploadBench.java "$WORK/tree" "$WORK/w$1" "$LATENCY" "$BANDWIDTH" 2>/dev/null | awk '/backup/ {print $2}'; }
T_SYNC=$(run 0)
T_ASYNC=$(run 4)
SECTION=$(cat <<MD
## Uploads to a slow store (bench/upload.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores: a first backup of $TREE_BYTES bytes (/usr/share/doc and a JDK) into a
store that, like S3, takes a ${LATENCY} ms round trip plus the bytes at ${BANDWIDTH} MB/s to accept each object;
one warm JVM per setting, best of 2 after a throw-away backup.

| measurement | seconds | ratio |
|---|---|---|
| reference: each pack uploaded by the thread that filled it (\`ATHENA_UPLOAD_THREADS=0\`, how Athena uploaded before) | $T_SYNC | 1 |
| packs uploaded 4 at once on threads of their own (the default) | $T_ASYNC | $(printf '%.2f' "$(echo "scale=4; $T_ASYNC / $T_SYNC" | bc)")× |
MD
)
write_section "Uploads to a slow store (bench/upload.sh)" "$SECTION"
echo "$SECTION"
