#!/usr/bin/env bash
# Recovery time as a user gets it (issue 11): on disk, cold JVMs, each Athena step run right after
# its reference, ROUNDS times, medians counted; peak resident memory of each Athena command.
# Athena runs as the image runs it: bin/athena (serial GC, bounded heap) with its class archive,
# made first by `bin/athena class-archive`; the DR row is also measured with plain `java -jar`.
# The DR case is a freshly started `serve` restoring through POST /ondemandrestore (pre-checks on,
# post-checks off), timed from the process's start to the restore's Success.
# Usage: bench/rto.sh [ROUNDS]   (default 3; BENCH_WORK=/dev/shm/... for the in-memory figures)
# Then the other goals of issue 11, each step right after its reference: a restore from a store as
# slow as S3 (bench/transfer.sh's round trip and bandwidth, simulated in-process) against downloading
# the tar.zst's parts as many at a time and unpacking them; PostgreSQL (pgbench scale BENCH_PG_SCALE,
# default 10) backed up and restored by a fresh serve against pg_dump -Fd -j2 and pg_restore -j2; and
# the whole platform (that database, the tree as metagraph, git repositories, a ConfigMap folder)
# restored by a fresh serve against the reference tools' times added up.
# Writes its section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${1:-3}
WORK=${BENCH_WORK:-$PWD/bench/work/rto}
rm -rf "$WORK" && mkdir -p "$WORK"
SERVE_PID=""
PG_STOP=true
cleanup() { [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; $PG_STOP >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
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
  t=$(now); athena restore --yes --location "$WORK/repo" --timestamp "$TS1" --volume metagraph="$WORK/cli-out"; sync; T_CLI+=("$(since "$t")")
  diff -r --no-dereference "$TREE" "$WORK/cli-out" >/dev/null || { echo "the CLI's restore differs from the source" >&2; exit 1; }
  rm -rf "$WORK/cli-out" "$WORK/serve-out" "$WORK/state"; mkdir -p "$WORK/serve-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

  dr_restore bin/athena T_SERVE T_SERVE_START rss-serve-all
  diff -r --no-dereference "$TREE" "$WORK/serve-out" >/dev/null || { echo "the service's restore differs from the source" >&2; exit 1; }
  rm -rf "$WORK/serve-out" "$WORK/state"; mkdir -p "$WORK/serve-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  dr_restore "java -jar $JAR" T_JAR T_JAR_START rss-jar-all
  diff -r --no-dereference "$TREE" "$WORK/serve-out" >/dev/null || { echo "the service's restore (java -jar) differs from the source" >&2; exit 1; }
done

# A store as slow as S3 to move an object (a round trip, then the bytes at one connection's bandwidth), simulated
# in-process as bench/transfer.sh does. Reference: the tar.zst in 16 MiB parts, downloaded 4 at a time (Athena's
# default ATHENA_TRANSFER_THREADS) in order into zstd -d | tar -x. Athena: a fresh JVM restores from the repository
# through that store, as the CLI's restore runs (bin/athena's options and class archive).
LATENCY=${BENCH_LATENCY_MS:-30}; BANDWIDTH=${BENCH_MB_PER_S:-60}
mkdir -p "$WORK/bench-classes" && javac -cp "$JAR" -d "$WORK/bench-classes" bench/TransferBench.java
SLOW="java -XX:+UseSerialGC -Xms16m -Xmx160m -XX:SharedArchiveFile=${JAR%.jar}.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -cp $JAR:$WORK/bench-classes TransferBench"
rm -rf "$WORK/parts" && mkdir -p "$WORK/parts" && split -b 16M -a 4 "$WORK/ref.tar.zst" "$WORK/parts/part-"
T_FETCH=(); T_SLOW=()
for round in $(seq 1 "$ROUNDS"); do
  echo "slow store, round $round" >&2
  rm -rf "$WORK/ref-out" "$WORK/slow-out" && mkdir -p "$WORK/ref-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t=$(now); $SLOW fetch "$WORK/parts" "$LATENCY" "$BANDWIDTH" 4 | zstd -q -d | tar -xf - -C "$WORK/ref-out"; sync; T_FETCH+=("$(since "$t")")
  rm -rf "$WORK/ref-out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t=$(now); /usr/bin/time -f '%M' -o "$WORK/rss" $SLOW restore "$WORK/repo" "$WORK/slow-out" "$LATENCY" "$BANDWIDTH" "$TS1" >/dev/null 2>>"$WORK/athena.log"
  sync; T_SLOW+=("$(since "$t")"); echo $(( $(cat "$WORK/rss") / 1024 )) >> "$WORK/rss-slow"
  diff -r --no-dereference "$TREE" "$WORK/slow-out" >/dev/null || { echo "the restore from the slow store differs from the source" >&2; exit 1; }
done
rm -rf "$WORK/slow-out" "$WORK/parts"

# PostgreSQL and the whole platform, each job run by a freshly started serve through the API.
AUTH='Authorization: bench-key-0123456789'
# serve_job TIMES RSS_FILE KIND BODY ENV...: a fresh serve with ENV runs one on-demand KIND (backup or restore) with BODY,
# timed from the process's start to the job's Success; appends the time to the array TIMES and the peak RSS to RSS_FILE.
serve_job() {
  local times=$1 rss=$2 kind=$3 body=$4; shift 4
  local port ts reply status t
  port=$(free_port); rm -rf "$WORK/state"
  t=$(now)
  env "$@" ATHENA_API_KEYS=bench-key-0123456789 ATHENA_PORT="$port" ATHENA_STATE_DIR="$WORK/state" bin/athena serve >>"$WORK/athena.log" 2>&1 &
  SERVE_PID=$!
  until curl -sf "localhost:$port/healthz" >/dev/null 2>&1; do sleep 0.02; done
  reply=$(curl -sf -XPOST "localhost:$port/athena/api/v1/ondemand$kind" -H "$AUTH" -d "$body")
  if [ "$kind" = backup ]; then ts=$(echo "$reply" | grep -o '[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]t[0-9-]*'); status=backupstatus
  else ts=$(echo "$body" | grep -o '[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]t[0-9-]*'); status=restorestatus; fi
  while curl -sf "localhost:$port/athena/api/v1/$status?timestamp=$ts" -H "$AUTH" | grep -q '"status":"Running"'; do sleep 0.1; done
  sync; eval "$times+=(\"\$(since \"\$t\")\")"
  curl -sf "localhost:$port/athena/api/v1/$status?timestamp=$ts" -H "$AUTH" > "$WORK/last-record"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["status"] == "Success" else "the service'"'"'s %s ended %s: %s" % (sys.argv[2], r["status"], r.get("error", "")))' "$WORK/last-record" "$kind"
  echo $(( $(awk '/VmHWM/ {print $2}' "/proc/$SERVE_PID/status") / 1024 )) >> "$WORK/$rss"
  kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
  LAST_TS=$ts
}
PG_SCALE=${BENCH_PG_SCALE:-10}
start_postgres "$WORK/pg"
PG_STOP="runuser -u postgres -- $BIN/pg_ctl -D $WORK/pg/data -m fast stop"
trap cleanup EXIT
echo "loading pgbench scale $PG_SCALE" >&2
load_pgbench "$PG_SCALE"
PG_ENV=(POSTGRES_HOST="$POSTGRES_HOST" POSTGRES_PORT="$POSTGRES_PORT" POSTGRES_PASSWORD="$POSTGRES_PASSWORD" POSTGRES_DATABASES=bench
  ATHENA_SCRATCH_DIR="$WORK/scratch")
# The platform: the database, the tree as metagraph, 20 bare git repositories, a 3-key ConfigMap folder.
make_git_repos "$WORK/git" 20
make_config "$WORK/config"
tar -cf - -C "$WORK/git" . | zstd -q -1 -T2 > "$WORK/git.tar.zst"
TSP=$(date -u -d '+2 second' +%Y-%m-%dt%H-%M-%S)
env "${PG_ENV[@]}" METAGRAPH_VOLUME_PATH="$TREE" GITSERVER_VOLUME_PATH="$WORK/git" CONFIGMAP_PATH="$WORK/config" \
  bin/athena backup --location "$WORK/platform-repo" --timestamp "$TSP" >/dev/null 2>>"$WORK/athena.log"
T_DUMP=(); T_PGB=(); T_PGRESTORE=(); T_PGR=(); T_PLATREF=(); T_PLAT=()
for round in $(seq 1 "$ROUNDS"); do
  echo "PostgreSQL and platform, round $round" >&2
  rm -rf "$WORK/ref-dump" "$WORK/pg-repo"; sync
  t=$(now); $BIN/pg_dump -Fd -j2 -f "$WORK/ref-dump" -d bench; sync; T_DUMP+=("$(since "$t")")
  serve_job T_PGB rss-pg-backup backup '{}' "${PG_ENV[@]}" LOCAL_BACKUP_LOCATION="$WORK/pg-repo"
  PG_TS=$LAST_TS
  $BIN/dropdb --if-exists ref_restore; $BIN/createdb ref_restore; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t=$(now); $BIN/pg_restore -j2 -d ref_restore "$WORK/ref-dump"; sync; T_PGRESTORE+=("$(since "$t")")
  PG_RESTORE_SECONDS=${T_PGRESTORE[-1]}
  $BIN/dropdb ref_restore; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  serve_job T_PGR rss-pg-restore restore '{"timestamp": "'"$PG_TS"'", "disablePostRestoreChecks": true, "disableUpgrade": true}' \
    "${PG_ENV[@]}" LOCAL_BACKUP_LOCATION="$WORK/pg-repo"

  # The reference platform restore: each tool one after another, caches dropped once before (the pg_restore is the one above).
  rm -rf "$WORK/plat-out" && mkdir -p "$WORK/plat-out/metagraph" "$WORK/plat-out/git" "$WORK/plat-out/config"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t=$(now)
  zstd -q -d -c "$WORK/ref.tar.zst" | tar -xf - -C "$WORK/plat-out/metagraph"
  zstd -q -d -c "$WORK/git.tar.zst" | tar -xf - -C "$WORK/plat-out/git"
  cp -a "$WORK/config/." "$WORK/plat-out/config/"; sync
  T_PLATREF+=("$(echo "$(since "$t") + $PG_RESTORE_SECONDS" | bc)")
  rm -rf "$WORK/plat-out" && mkdir -p "$WORK/plat-out/metagraph" "$WORK/plat-out/git" "$WORK/plat-out/config"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  serve_job T_PLAT rss-platform restore '{"timestamp": "'"$TSP"'", "disablePostRestoreChecks": true, "disableUpgrade": true}' \
    "${PG_ENV[@]}" LOCAL_BACKUP_LOCATION="$WORK/platform-repo" METAGRAPH_VOLUME_PATH="$WORK/plat-out/metagraph" \
    GITSERVER_VOLUME_PATH="$WORK/plat-out/git" CONFIGMAP_PATH="$WORK/plat-out/config"
  diff -r --no-dereference "$TREE" "$WORK/plat-out/metagraph" >/dev/null || { echo "the platform's metagraph differs from the source" >&2; exit 1; }
  diff -r --no-dereference "$WORK/git" "$WORK/plat-out/git" >/dev/null || { echo "the platform's gitserver differs from the source" >&2; exit 1; }
done
PLAT_REQUESTS=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])).get("requests") or {}; print(", ".join("%s %s" % (k, v) for k, v in r.items()))' "$WORK/last-record")
PG_ROWS=$($BIN/psql -Atq -d bench -c "SELECT count(*) FROM pgbench_accounts")

M_TAR=$(median "${T_TAR[@]}"); M_FIRST=$(median "${T_FIRST[@]}"); M_SECOND=$(median "${T_SECOND[@]}")
M_UNTAR=$(median "${T_UNTAR[@]}"); M_CLI=$(median "${T_CLI[@]}"); M_SERVE=$(median "${T_SERVE[@]}")
M_START=$(median "${T_SERVE_START[@]}"); M_EMPTY=$(median "${T_EMPTY[@]}")
M_JAR=$(median "${T_JAR[@]}"); M_JAR_START=$(median "${T_JAR_START[@]}")
M_FETCH=$(median "${T_FETCH[@]}"); M_SLOW=$(median "${T_SLOW[@]}")
M_DUMP=$(median "${T_DUMP[@]}"); M_PGB=$(median "${T_PGB[@]}"); M_PGRESTORE=$(median "${T_PGRESTORE[@]}"); M_PGR=$(median "${T_PGR[@]}")
M_PLATREF=$(median "${T_PLATREF[@]}"); M_PLAT=$(median "${T_PLAT[@]}")
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
16-160 MiB heap) with the class archive that \`bin/athena class-archive\` made first; $CACHES;
each timing ends with a \`sync\`. The service rows are the DR case: a freshly started \`serve\`,
timed from its start until \`POST /ondemandrestore\` (pre-restore checks on, post-restore checks
and upgrade off) reads Success; of that, the start until \`/healthz\` answered took $M_START s
through \`bin/athena\` and $M_JAR_START s through plain \`java -jar\` (no archive, the JVM's default
heap). Peak RSS is the largest of the runs.

The slow store takes a ${LATENCY} ms round trip plus the bytes at ${BANDWIDTH} MB/s for each request (as bench/transfer.sh,
simulated in the process that reads it); its reference downloads the tar.zst in 16 MiB parts, 4 at a time, in order, into
\`zstd -d | tar -x\` (the downloader is a small JVM program, its start included). PostgreSQL: database \`bench\` = pgbench
scale $PG_SCALE ($DB_BYTES bytes on disk; $PG_ROWS accounts after the last restore), each job by a freshly started
\`serve\` (bin/athena) through \`POST /ondemandbackup\` or \`/ondemandrestore\`, timed from its start to Success;
Athena's restore loads a temporary database and swaps it in. The platform: that database, the tree as metagraph, 20
bare git repositories ($(du -sb "$WORK/git" | cut -f1) bytes) and a 3-key ConfigMap folder, restored into empty folders by one
fresh \`serve\`; its reference is \`pg_restore -j2\`, the two volumes' \`zstd -d | tar -x\` and a \`cp\` of the config,
one after another, added up. The last platform restore's record counted these requests of its store: $PLAT_REQUESTS.

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
| reference: the tar.zst downloaded from the slow store, 4 parts at a time, into \`zstd -d \\| tar -x\` | ${M_FETCH}s | 1 | | |
| Athena restore from the slow store, fresh JVM | ${M_SLOW}s | $(ratio "$M_SLOW" "$M_FETCH")× download and untar | $(verdict "$(ratio "$M_SLOW" "$M_FETCH")" 1.0) | $(peak "$WORK/rss-slow") MiB |
| reference: \`pg_dump -Fd -j2\` | ${M_DUMP}s | 1 | | |
| Athena PostgreSQL backup by a fresh \`serve\` | ${M_PGB}s | $(ratio "$M_PGB" "$M_DUMP")× pg_dump | $(verdict "$(ratio "$M_PGB" "$M_DUMP")" 1.0) | $(peak "$WORK/rss-pg-backup") MiB |
| reference: \`pg_restore -j2\` into an empty database | ${M_PGRESTORE}s | 1 | | |
| Athena PostgreSQL restore by a fresh \`serve\` | ${M_PGR}s | $(ratio "$M_PGR" "$M_PGRESTORE")× pg_restore | $(verdict "$(ratio "$M_PGR" "$M_PGRESTORE")" 1.0) | $(peak "$WORK/rss-pg-restore") MiB |
| reference: the platform's tools one after another, added up | ${M_PLATREF}s | 1 | | |
| Athena whole-platform restore by a fresh \`serve\` (its RTO) | ${M_PLAT}s | $(ratio "$M_PLAT" "$M_PLATREF")× the tools | reported | $(peak "$WORK/rss-platform") MiB |
MD
)
write_section "Recovery time, on disk, cold (bench/rto.sh)" "$SECTION"
echo "$SECTION"
