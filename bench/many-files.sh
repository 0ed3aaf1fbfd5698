#!/usr/bin/env bash
# Many small files (issue 11): a volume of FILES files of 100 random bytes in folders of 1,000,
# backed up, verified and restored on disk by cold JVMs, each Athena step right after its
# reference; wall time and peak RSS of every command. Athena runs three ways: `java -jar` with
# no flags (the JVM's defaults), bin/athena (its launcher: serial GC, heap up to 160 MiB), and
# `java -Xmx256m` (the bound the issue sets for 5,000,000 files); on request also bin/athena inside a
# memory cgroup (BENCH_WAYS below).
# Usage: bench/many-files.sh [FILES]   (default 500000; 5000000 on request)
# BENCH_WORK=/dev/shm/... for in-memory figures. Writes its section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
FILES=${1:-500000}
WORK=${BENCH_WORK:-$PWD/bench/work/many-files}
rm -rf "$WORK" && mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
export ATHENA_ENCRYPTION_KEY=bench-many-files-key-0123456789
python3 - "$WORK/tree" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
r = random.Random(1)
for i in range(n):
    d = os.path.join(root, "d%05d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d)
    with open(os.path.join(d, "f%04d" % (i % 1000)), "wb") as f:
        f.write(r.randbytes(100))
PY
TREE_BYTES=$(du -sb "$WORK/tree" | cut -f1)
# Written back and read once before anything is timed: in one run the first command, started right
# after the files were made, took four times as long as the same command later.
sync; tar -cf - -C "$WORK/tree" . > /dev/null; sync

# Runs a command under GNU time; prints "seconds peak-MiB exit-code", the output in $WORK/log.
measure() {
  local code=0
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >>"$WORK/log" 2>&1 || code=$?
  sync
  read -r secs kib < <(tail -1 "$WORK/time")
  echo "$secs $((kib / 1024)) $code"
}
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
cell() { if [ "$3" = 0 ]; then echo "${1}s | $(ratio "$1" "$2")× | $4 MiB"; else echo "failed (exit $3) | | $4 MiB"; fi; }

read -r T_TAR M_TAR _ < <(measure sh -c "tar -cf - -C '$WORK/tree' . | zstd -q -1 -T2 > '$WORK/ref.tar.zst'")
drop_caches; rm -rf "$WORK/ref-out"; mkdir -p "$WORK/ref-out"
read -r T_UNTAR M_UNTAR _ < <(measure sh -c "zstd -q -d -c '$WORK/ref.tar.zst' | tar -xf - -C '$WORK/ref-out'")
rm -rf "$WORK/ref-out"

ROWS=""
# BENCH_WAYS="java -Xmx256m -jar" runs only that way (5,000,000 files take about ten minutes a command);
# "bin/athena within 300M" runs the launcher inside a memory cgroup of that size, as a pod's memory
# limit would hold it (skipped where no memory cgroup can be made).
IFS=, read -r -a WAYS <<< "${BENCH_WAYS:-java -jar,bin/athena,java -Xmx256m -jar}"
for way in "${WAYS[@]}"; do
  case $way in
    "java -jar") run=(java -jar "$JAR") ;;
    "bin/athena") run=(env ATHENA_JAR="$JAR" bin/athena) ;;
    "bin/athena within "*)
      if ! memory_limit_available; then echo "no writable memory cgroup here: skipping '$way'" >&2; continue; fi
      run=(bench/memory-limit.sh "${way#bin/athena within }" env ATHENA_JAR="$JAR" bin/athena) ;;
    *) run=(java -Xmx256m -jar "$JAR") ;;
  esac
  repo=$WORK/repo; rm -rf "$repo" "$WORK/out"; sync
  read -r t m c < <(measure "${run[@]}" backup --location "$repo" --volume data="$WORK/tree" --timestamp 2026-01-01t00-00-00)
  ROWS+="| \`$way\` backup | $(cell "$t" "$T_TAR" "$c" "$m") |"$'\n'
  read -r t m c < <(measure "${run[@]}" backup --location "$repo" --volume data="$WORK/tree" --timestamp 2026-01-01t00-00-01)
  ROWS+="| \`$way\` re-backup, unchanged | $(cell "$t" "$T_TAR" "$c" "$m") |"$'\n'
  drop_caches
  read -r t m c < <(measure "${run[@]}" verify --location "$repo")
  ROWS+="| \`$way\` verify | $(cell "$t" "$T_TAR" "$c" "$m") |"$'\n'
  drop_caches
  read -r t m c < <(measure "${run[@]}" restore --yes --location "$repo" --timestamp 2026-01-01t00-00-00 --volume data="$WORK/out")
  ROWS+="| \`$way\` restore | $(cell "$t" "$T_UNTAR" "$c" "$m") |"$'\n'
  if [ "$c" = 0 ]; then
    diff -r "$WORK/tree" "$WORK/out" >/dev/null || { echo "the restore by $way differs from the source" >&2; exit 1; }
  fi
  rm -rf "$WORK/out"
done

CACHES="caches dropped before each restore and verify (the JVM and its jar read cold too, as after a disaster)"
[ -w /proc/sys/vm/drop_caches ] || CACHES="page cache warm (cannot drop caches here)"
TITLE="Many small files, on disk (bench/many-files.sh)"
[ "$FILES" = 500000 ] || TITLE="Many small files, on disk (bench/many-files.sh $FILES)"
SECTION=$(cat <<MD
## $TITLE

Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | head -1), files in $WORK:
$FILES files of 100 random bytes in folders of 1,000 ($TREE_BYTES bytes on disk), an encrypted
repository, one cold JVM per command, $CACHES; every timing ends with a \`sync\`. Ratios: backups,
re-backups and verify against \`tar -cf - | zstd -1 -T2\` (${T_TAR}s, $M_TAR MiB), restores against
\`zstd -d | tar -x\` (${T_UNTAR}s, $M_UNTAR MiB). Targets (issue 11): backup ≤ 2×, restore ≤ 1.5×, peak RSS
≤ 300 MiB with no flags, and the whole job within \`-Xmx256m\` at any number of files. A way named
"within" ran inside a memory cgroup of that limit (page cache and kernel memory counted, as in a
container with that memory limit; a process the kernel killed shows exit 137).

| command | time | ratio | peak RSS |
|---|---|---|---|
$ROWS
MD
)
write_section "$TITLE" "$SECTION"
echo "$SECTION"
