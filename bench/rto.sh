#!/usr/bin/env bash
# Recovery time as a user gets it (issue 11): on disk, cold JVMs, each Athena step run right after
# its reference, ROUNDS times, medians counted; peak resident memory of each Athena command.
# Athena runs as the image runs it: bin/athena (serial GC, bounded heap) with its class archive,
# made first by `bin/athena class-archive`; the DR row is also measured with plain `java -jar`.
# The DR case is a freshly started `serve` restoring through POST /ondemandrestore (pre-checks on,
# post-checks off), timed from the process's start to the restore's Success.
# Usage: bench/rto.sh [ROUNDS]   (default 3; BENCH_WORK=/dev/shm/... for the in-memory figures)
# Writes its section of docs/benchmarks.md. This first version covers volumes; PostgreSQL, S3 and
# the whole platform have their own scripts (bench/postgres.sh, bench/transfer.sh, bench/platform.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${1:-3}
WORK=${BENCH_WORK:-$PWD/bench/work/rto}
rm -rf "$WORK" && mkdir -p "$WORK"
SERVE_PID=""
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
TREE=$WORK/tree
# Encrypted, as a DR repository should be (AES-GCM is part of the cost); ATHENA_ENCRYPTION_KEY= (empty) measures one without.
export ATHENA_ENCRYPTION_KEY=${ATHENA_ENCRYPTION_KEY-bench-rto-key-0123456789}
build_tree "$TREE"
sync

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# Runs an Athena CLI command under GNU time; appends its peak RSS (MiB) to the file $RSS_OUT.
export ATHENA_JAR=$JAR
unset ATHENA_JAVA_OPTS ATHENA_CLASS_ARCHIVE
bin/athena class-archive >&2
athena() { /usr/bin/time -f '%M' -o "$WORK/rss" bin/athena "$@" >/dev/null 2>>"$WORK/athena.log"; echo $(( $(cat "$WORK/rss") / 1024 )) >> "$RSS_OUT"; }

# Recent names: the fresh service sweeps backups older than its retention period when it starts.
TS1=$(date -u +%Y-%m-%dt%H-%M-%S)
TS2=$(date -u -d '+1 second' +%Y-%m-%dt%H-%M-%S)
# The DR case: a fresh service in the destination, asked to restore as soon as it answers.
# dr_restore COMMAND TIMES_ARRAY START_TIMES_ARRAY RSS_FILE
dr_restore() {
  PORT=$(free_port)
  t=$(now)
  # shellcheck disable=SC2086
  LOCAL_BACKUP_LOCATION=$WORK/repo METAGRAPH_VOLUME_PATH=$WORK/serve-out ATHENA_API_KEYS=bench-key-0123456789 ATHENA_PORT=$PORT \
    ATHENA_STATE_DIR=$WORK/state $1 serve >>"$WORK/athena.log" 2>&1 &
  SERVE_PID=$!
  until curl -sf "localhost:$PORT/healthz" >/dev/null 2>&1; do sleep 0.02; done
  eval "$3+=(\"\$(since \"\$t\")\")"
  curl -sf -XPOST "localhost:$PORT/athena/api/v1/ondemandrestore" -H 'Authorization: bench-key-0123456789' \
    -d '{"timestamp": "'"$TS1"'", "disablePostRestoreChecks": true, "disableUpgrade": true}' >/dev/null
  # Polled with curl and grep only: a python3 per poll took a fifth of a core from the restore (4.2 s against 5.3 s).
  while curl -sf "localhost:$PORT/athena/api/v1/restorestatus?timestamp=$TS1" -H 'Authorization: bench-key-0123456789' \
      | grep -q '"status":"Running"'; do
    sleep 0.1
  done
  sync; eval "$2+=(\"\$(since \"\$t\")\")"
  s=$(curl -sf "localhost:$PORT/athena/api/v1/restorestatus?timestamp=$TS1" -H 'Authorization: bench-key-0123456789' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$s" = Success ] || { echo "the service's restore ended $s" >&2; exit 1; }
  # The service's peak resident memory (VmHWM), read before it is stopped.
  echo $(( $(awk '/VmHWM/ {print $2}' "/proc/$SERVE_PID/status") / 1024 )) >> "$WORK/$4"
  kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
}

T_TAR=(); T_FIRST=(); T_SECOND=(); T_UNTAR=(); T_CLI=(); T_SERVE=(); T_SERVE_START=(); T_EMPTY=(); T_JAR=(); T_JAR_START=()
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round" >&2
  rm -rf "$WORK/repo" "$WORK/ref.tar.zst" "$WORK/empty" && mkdir -p "$WORK/empty"; sync
  t=$(now); tar -cf - -C "$TREE" . | zstd -q -1 -T2 > "$WORK/ref.tar.zst"; sync; T_TAR+=("$(since "$t")")
  RSS_OUT=$WORK/rss-backup
  t=$(now); athena backup --location "$WORK/repo" --volume metagraph="$TREE" --timestamp "$TS1"; sync; T_FIRST+=("$(since "$t")")
  RSS_OUT=$WORK/rss-rebackup
  t=$(now); athena backup --location "$WORK/repo" --volume metagraph="$TREE" --timestamp "$TS2"; sync; T_SECOND+=("$(since "$t")")
  RSS_OUT=$WORK/rss-empty
  t=$(now); athena backup --location "$WORK/empty-repo-$round" --volume metagraph="$WORK/empty" --timestamp 2026-01-01t00-00-00; T_EMPTY+=("$(since "$t")")

  rm -rf "$WORK/ref-out" && mkdir -p "$WORK/ref-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t=$(now); zstd -q -d -c "$WORK/ref.tar.zst" | tar -xf - -C "$WORK/ref-out"; sync; T_UNTAR+=("$(since "$t")")
  rm -rf "$WORK/ref-out" "$WORK/cli-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  RSS_OUT=$WORK/rss-restore
  t=$(now); athena restore --location "$WORK/repo" --timestamp "$TS1" --volume metagraph="$WORK/cli-out"; sync; T_CLI+=("$(since "$t")")
  diff -r --no-dereference "$TREE" "$WORK/cli-out" >/dev/null || { echo "the CLI's restore differs from the source" >&2; exit 1; }
  rm -rf "$WORK/cli-out" "$WORK/serve-out" "$WORK/state"; mkdir -p "$WORK/serve-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

  dr_restore bin/athena T_SERVE T_SERVE_START rss-serve-all
  diff -r --no-dereference "$TREE" "$WORK/serve-out" >/dev/null || { echo "the service's restore differs from the source" >&2; exit 1; }
  rm -rf "$WORK/serve-out" "$WORK/state"; mkdir -p "$WORK/serve-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  dr_restore "java -jar $JAR" T_JAR T_JAR_START rss-jar-all
  diff -r --no-dereference "$TREE" "$WORK/serve-out" >/dev/null || { echo "the service's restore (java -jar) differs from the source" >&2; exit 1; }
done

M_TAR=$(median "${T_TAR[@]}"); M_FIRST=$(median "${T_FIRST[@]}"); M_SECOND=$(median "${T_SECOND[@]}")
M_UNTAR=$(median "${T_UNTAR[@]}"); M_CLI=$(median "${T_CLI[@]}"); M_SERVE=$(median "${T_SERVE[@]}")
M_START=$(median "${T_SERVE_START[@]}"); M_EMPTY=$(median "${T_EMPTY[@]}")
M_JAR=$(median "${T_JAR[@]}"); M_JAR_START=$(median "${T_JAR_START[@]}")
peak() { sort -n "$1" | tail -1; }
verdict() { if [ "$(echo "$1 <= $2" | bc)" = 1 ]; then echo "meets ≤ $2"; else echo "**misses** ≤ $2"; fi; }
CACHES="caches dropped before each restore"
[ -w /proc/sys/vm/drop_caches ] || CACHES="page cache warm (cannot drop caches here)"

SECTION=$(cat <<MD
## Recovery time, on disk, cold (bench/rto.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | head -1), files in $WORK; tree:
copies of /usr/share/doc, /usr/share/locale, /usr/lib/postgresql and a JDK, $TREE_BYTES bytes in
$TREE_FILES files, $([ -n "$ATHENA_ENCRYPTION_KEY" ] && echo "an encrypted repository" || echo "a repository without encryption"). Each Athena step ran right after its reference, $ROUNDS rounds, medians shown;
every Athena run is a fresh JVM started as the image starts it: \`bin/athena\` (serial collector,
16-192 MiB heap) with the class archive that \`bin/athena class-archive\` made first; $CACHES;
each timing ends with a \`sync\`. The service rows are the DR case: a freshly started \`serve\`,
timed from its start until \`POST /ondemandrestore\` (pre-restore checks on, post-restore checks
and upgrade off) reads Success; of that, the start until \`/healthz\` answered took $M_START s
through \`bin/athena\` and $M_JAR_START s through plain \`java -jar\` (no archive, the JVM's default
heap). Peak RSS is the largest of the runs.

| measurement | median | ratio | target | peak RSS |
|---|---|---|---|---|
| reference: \`tar -cf - DIR \\| zstd -1 -T2\` | ${M_TAR}s | 1 | | |
| reference: \`zstd -d \\| tar -x\` | ${M_UNTAR}s | 1 | | |
| Athena first backup, cold CLI | ${M_FIRST}s | $(ratio "$M_FIRST" "$M_TAR")× tar\\|zstd | $(verdict "$(ratio "$M_FIRST" "$M_TAR")" 1.3) | $(peak "$WORK/rss-backup") MiB |
| Athena re-backup, unchanged, cold CLI | ${M_SECOND}s | $(ratio "$M_SECOND" "$M_TAR")× tar\\|zstd | $(verdict "$(ratio "$M_SECOND" "$M_TAR")" 0.1) | $(peak "$WORK/rss-rebackup") MiB |
| Athena backup of an empty folder, cold CLI (the fixed cost) | ${M_EMPTY}s | $(ratio "$M_EMPTY" "$M_TAR")× tar\\|zstd | | $(peak "$WORK/rss-empty") MiB |
| Athena restore, cold CLI | ${M_CLI}s | $(ratio "$M_CLI" "$M_UNTAR")× zstd -d\\|tar -x | $(verdict "$(ratio "$M_CLI" "$M_UNTAR")" 1.0) | $(peak "$WORK/rss-restore") MiB |
| Athena restore by a fresh \`serve\` (DR) | ${M_SERVE}s | $(ratio "$M_SERVE" "$M_UNTAR")× zstd -d\\|tar -x | $(verdict "$(ratio "$M_SERVE" "$M_UNTAR")" 1.0) | $(peak "$WORK/rss-serve-all") MiB |
| the same through plain \`java -jar\` | ${M_JAR}s | $(ratio "$M_JAR" "$M_UNTAR")× zstd -d\\|tar -x | $(verdict "$(ratio "$M_JAR" "$M_UNTAR")" 1.0) | $(peak "$WORK/rss-jar-all") MiB |
MD
)
write_section "Recovery time, on disk, cold (bench/rto.sh)" "$SECTION"
echo "$SECTION"
