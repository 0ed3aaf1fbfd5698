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
declare -A best cpu
# Wall time follows this machine's disk and neighbours (one build's restore ranged 4.1-9.3 s in one
# run); the CPU seconds a command used (user + system, all its threads) move far less, so both count:
# the best wall time and the median CPU time of each build.
run() { # step build jar args...
  local step=$1 build=$2 jar=$3; shift 3
  local t; t=$(now)
  /usr/bin/time -f '%U %S' -o "$WORK/time" java -jar "$jar" "$@" >/dev/null 2>>"$WORK/athena.log"
  local s; s=$(echo "$(now) - $t" | bc)
  local c; c=$(awk '{print $1 + $2}' "$WORK/time")
  echo "$step $build $s s wall, $c CPU-s"
  local k="$step-$build"
  cpu[$k]="${cpu[$k]:-} $c"
  if [ -z "${best[$k]:-}" ] || [ "$(echo "$s < ${best[$k]}" | bc)" = 1 ]; then best[$k]=$s; fi
}
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for round in $(seq 1 "$ROUNDS"); do
  for build in old new; do
    jar=$OLD; [ "$build" = new ] && jar=$NEW
    rm -rf "$WORK/repo-$build" "$WORK/restored-$build"; sync
    run backup "$build" "$jar" backup --location "$WORK/repo-$build" --volume data="$TREE" --timestamp 2026-01-01t00-00-00
    sync
    run restore "$build" "$jar" restore --yes --location "$WORK/repo-$build" --timestamp 2026-01-01t00-00-00 --volume data="$WORK/restored-$build"
  done
done
ROWS=""
for step in backup restore; do
  ROWS="$ROWS
| cold CLI $step, best wall time | ${best[$step-old]}s | ${best[$step-new]}s | $(ratio "${best[$step-new]}" "${best[$step-old]}")× |"
  co=$(median "${cpu[$step-old]}"); cn=$(median "${cpu[$step-new]}")
  ROWS="$ROWS
| cold CLI $step, median CPU time (user + system) | ${co}s | ${cn}s | $(ratio "$cn" "$co")× |"
done
SECTION=$(cat <<MD
## Two builds compared (bench/compare-jars.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | head -1): the same tree as
bench/engine.sh ($TREE_BYTES bytes), in $WORK ($(df --output=fstype "$WORK" | tail -1)), each build's first backup and its restore
as cold CLI runs (\`java -jar\`), the two builds alternating, $ROUNDS rounds; the best wall time and the median CPU time of each count.
Old: ${OLD_LABEL:-$OLD}. New: ${NEW_LABEL:-$NEW}. Repository: $([ -n "${ATHENA_ENCRYPTION_KEY:-}" ] && echo "encrypted (ATHENA_ENCRYPTION_KEY set)" || echo "not encrypted (export ATHENA_ENCRYPTION_KEY to measure an encrypted one)").

| step | old | new | new / old |
|---|---|---|---|$ROWS
MD
)
write_section "Two builds compared (bench/compare-jars.sh)" "$SECTION"
echo "$SECTION"
