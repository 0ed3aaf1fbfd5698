#!/usr/bin/env bash
# Cold CLI backup and restore times of two builds of Athena on one tree, alternating runs in one
# invocation, so a change can be shown to leave the engine's speed as it was.
# Usage: bench/compare-jars.sh OLD.jar NEW.jar [ROUNDS]; OLD_LABEL and NEW_LABEL name the builds
# (say, their commits) in the section it writes to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
OLD=$(realpath "$1"); NEW=$(realpath "$2"); ROUNDS=${3:-3}
WORK=${BENCH_WORK:-$PWD/bench/work/compare}
rm -rf "$WORK" && mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
TREE=$WORK/tree
build_tree "$TREE"
now() { date +%s.%N; }
declare -A best
run() { # step build jar args...
  local step=$1 build=$2 jar=$3; shift 3
  local t; t=$(now)
  java -jar "$jar" "$@" >/dev/null 2>>"$WORK/athena.log"
  local s; s=$(echo "$(now) - $t" | bc)
  echo "$step $build $s"
  local k="$step-$build"
  if [ -z "${best[$k]:-}" ] || [ "$(echo "$s < ${best[$k]}" | bc)" = 1 ]; then best[$k]=$s; fi
}
for round in $(seq 1 "$ROUNDS"); do
  for build in old new; do
    jar=$OLD; [ "$build" = new ] && jar=$NEW
    rm -rf "$WORK/repo-$build" "$WORK/restored-$build"; sync
    run backup "$build" "$jar" backup --location "$WORK/repo-$build" --volume data="$TREE" --timestamp 2026-01-01t00-00-00
    sync
    run restore "$build" "$jar" restore --location "$WORK/repo-$build" --timestamp 2026-01-01t00-00-00 --volume data="$WORK/restored-$build"
  done
done
ROWS=""
for step in backup restore; do
  ROWS="$ROWS
| cold CLI $step | ${best[$step-old]}s | ${best[$step-new]}s | $(ratio "${best[$step-new]}" "${best[$step-old]}")× |"
done
SECTION=$(cat <<MD
## Two builds compared (bench/compare-jars.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | head -1): the same tree as
bench/engine.sh ($TREE_BYTES bytes), in $WORK ($(df --output=fstype "$WORK" | tail -1)), each build's first backup and its restore
as cold CLI runs, the two builds alternating, $ROUNDS rounds; the best run of each counts.
Old: ${OLD_LABEL:-$OLD}. New: ${NEW_LABEL:-$NEW}.

| step | old | new | new / old |
|---|---|---|---|$ROWS
MD
)
write_section "Two builds compared (bench/compare-jars.sh)" "$SECTION"
echo "$SECTION"
