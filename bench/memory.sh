#!/usr/bin/env bash
# Bounded memory: a 2 GiB file plus 30,000 small files are backed up and restored with the heap
# capped at 256 MiB; records peak resident memory and writes docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/bench/work}/memory
rm -rf "$WORK" && mkdir -p "$WORK/tree/small"
echo "building 2 GiB + 30,000 files" >&2
# Half random, half text-like, so both the store-as-is and the compress paths run.
head -c 1G /dev/urandom > "$WORK/tree/big.bin"
(yes "a line of a log file that compresses well, number $RANDOM" || true) | head -c 1G >> "$WORK/tree/big.bin"
for d in $(seq 0 299); do
  mkdir -p "$WORK/tree/small/$d"
  for f in $(seq 0 99); do echo "small file $d/$f $RANDOM" > "$WORK/tree/small/$d/$f"; done
done
run() { /usr/bin/time -f "%e %M" -o "$WORK/time" java -Xmx256m -jar "$JAR" "$@" --location "$WORK/repo" >/dev/null 2>>"$WORK/athena.log"; cat "$WORK/time"; }
read -r B_SECS B_RSS < <(run backup --volume data="$WORK/tree" --timestamp 2026-01-01t00-00-00)
read -r R_SECS R_RSS < <(run restore --yes --timestamp 2026-01-01t00-00-00 --volume data="$WORK/restored")
cmp "$WORK/tree/big.bin" "$WORK/restored/big.bin"
diff -r "$WORK/tree/small" "$WORK/restored/small" >/dev/null
SECTION=$(cat <<MD
## Bounded memory (bench/memory.sh)

Run on $(date -u +%Y-%m-%d): a 2 GiB file (half random, half text) plus 30,000 small files, each
command in a JVM started with \`-Xmx256m\`; the restored tree is compared byte for byte.

| step | result | seconds | peak resident memory (heap + JVM + native zstd) |
|---|---|---|---|
| backup | completed | $B_SECS | $((B_RSS / 1024)) MiB |
| restore | completed, identical | $R_SECS | $((R_RSS / 1024)) MiB |
MD
)
write_section "Bounded memory (bench/memory.sh)" "$SECTION"
rm -rf "$WORK"
echo "$SECTION"
