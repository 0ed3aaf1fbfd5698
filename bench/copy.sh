#!/usr/bin/env bash
# Copies to a second location (issue 12, item 4): `athena copy` of the benchmarks' tree (about
# 600 MB in 9,700 files, backed up once), on disk, each command a freshly started JVM through
# bin/athena, beside the copy an operator would make by hand in the same run: `cp -a` of the
# namespace's folder (what the README told users to do before `athena copy`). Then the second run
# (nothing new), an incremental copy after a changed backup, and a copy re-sealed with another key.
# Usage: bench/copy.sh   (BENCH_WORK=/dev/shm/... for in-memory figures). Writes its section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WORK=${BENCH_WORK:-$PWD/bench/work/copy}
rm -rf "$WORK" && mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
export ATHENA_ENCRYPTION_KEY=bench-copy-key-0123456789
export LOCAL_BACKUP_LOCATION=$WORK/primary
build_tree "$WORK/tree"
athena() { ATHENA_JAR="$JAR" bin/athena "$@" >>"$WORK/log" 2>&1; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
# Wall seconds of a command, caches dropped first (the copy reads from disk, as after a night's backup).
timed() {
  drop_caches
  local start end
  start=$(date +%s.%N)
  "$@"
  sync
  end=$(date +%s.%N)
  echo "scale=2; ($end - $start) / 1" | bc | sed 's/^\./0./'
}

athena backup --volume data="$WORK/tree"
STORED=$(du -sb "$WORK/primary/app" | cut -f1)

T_CP=$(timed cp -a "$WORK/primary/app" "$WORK/by-hand")
T_FIRST=$(timed athena copy --to "$WORK/second")
T_AGAIN=$(timed athena copy --to "$WORK/second")

# About 1% of the files change, and a second backup is made.
find "$WORK/tree" -type f | sort | awk 'NR % 100 == 0' | while read -r f; do echo "changed" >> "$f"; done
athena backup --volume data="$WORK/tree"
rm -rf "$WORK/by-hand"
T_CP2=$(timed cp -a "$WORK/primary/app" "$WORK/by-hand")
T_INCR=$(timed athena copy --to "$WORK/second")
SENT_INCR=$(grep -o '[0-9.]* [KMG]*i*B sent' "$WORK/log" | tail -1)
T_KEY=$(ATHENA_COPY_ENCRYPTION_KEY=bench-copy-other-key-0123456789 timed athena copy --to "$WORK/third")

# The copies restore: the second location's newest backup matches the tree.
TS=$(ATHENA_JAR="$JAR" bin/athena list --location "$WORK/second" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["timestamp"])')
ATHENA_JAR="$JAR" bin/athena restore --location "$WORK/second" --timestamp "$TS" --volume data="$WORK/restored" >>"$WORK/log" 2>&1
diff -r --no-dereference "$WORK/tree" "$WORK/restored" >/dev/null

MB=$((TREE_BYTES / 1000000))
SECTION="## Copies to a second location (bench/copy.sh)

$(where "$WORK"), each Athena command a freshly started JVM (bin/athena), caches dropped before each; $(date -u +%Y-%m-%d),
$(nproc) cores. A tree of $MB MB in $TREE_FILES files, backed up encrypted ($((STORED / 1000000)) MB stored). The reference is
\`cp -a\` of the namespace's folder, the copy by hand the README described before \`athena copy\`; \`athena copy\` also
opens every piece, re-seals it and reads what it wrote back from the second location before publishing each backup
there, where \`cp -a\` checks nothing. A run with nothing new is mostly the JVM's start and opening two encrypted repositories.

| what | time | ratio to cp -a |
|---|---|---|
| \`cp -a\` of the namespace's folder (1 backup) | ${T_CP} s | 1.00× |
| \`athena copy\`, first copy | ${T_FIRST} s | $(ratio "$T_FIRST" "$T_CP")× |
| \`athena copy\` again, nothing new | ${T_AGAIN} s | $(ratio "$T_AGAIN" "$T_CP")× |
| \`cp -a\` again after a second backup (1% of files changed) | ${T_CP2} s | 1.00× |
| \`athena copy\` of that second backup (${SENT_INCR}) | ${T_INCR} s | $(ratio "$T_INCR" "$T_CP2")× |
| \`athena copy\` of both to a third location with another key | ${T_KEY} s | $(ratio "$T_KEY" "$T_CP2")× |

The second location's newest backup was restored and compared with the tree: identical."
write_section "Copies to a second location (bench/copy.sh)" "$SECTION"
echo "$SECTION"
