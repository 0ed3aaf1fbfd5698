#!/usr/bin/env bash
# Physical backups and point-in-time recovery (issue 14), on disk, each Athena command a freshly
# started JVM (java -jar), in one run:
#  1. a base backup of a pgbench database beside pg_basebackup -Ft and a plain copy of the data
#     folder, then a second base backup after a few transactions: what it stores;
#  2. the recovery point: `serve` archives the WAL while pgbench commits rows at a steady rate; the
#     database server and Athena are killed with SIGKILL at the same moment (the node is lost); the
#     original server, restarted, says what was committed; a second `serve` recovers the archive
#     ("targetTime": "latest") into a new data folder, which says what was recovered. The difference
#     is the RPO, to compare with WAL_UPLOAD_INTERVAL_SECONDS.
# Usage: bench/pitr.sh [pgbench scale, default 30 (about 450 MB)]. Writes its section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SCALE=${1:-30}
INTERVAL=${WAL_UPLOAD_INTERVAL_SECONDS:-10}
WORK=${BENCH_WORK:-$PWD/bench/work/pitr}
start_postgres "$WORK"
SRC_PORT=$PORT
echo "loading pgbench scale $SCALE" >&2
load_pgbench "$SCALE"
$BIN/psql -q -d bench -c "CREATE TABLE rpo (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())"
SERVE_PIDS=()
cleanup_serve() { for p in "${SERVE_PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; }
trap "cleanup_serve; runuser -u postgres -- $BIN/pg_ctl -D '$WORK/data' -m immediate stop >/dev/null 2>&1 || true; runuser -u postgres -- $BIN/pg_ctl -D '$WORK/recovered' -m immediate stop >/dev/null 2>&1 || true; rm -rf '$WORK'" EXIT

now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
mb() { echo $(( $1 / 1000000 )); }

# 1. Base backup speed and size.
drop_caches; t=$(now); cp -a "$WORK/data" "$WORK/copy"; sync; T_CP=$(elapsed "$t"); rm -rf "$WORK/copy"
drop_caches; t=$(now); $BIN/pg_basebackup -D "$WORK/ref-bb" -F t -X fetch -c fast; sync; T_PGBB=$(elapsed "$t")
REF_BYTES=$(du -sb "$WORK/ref-bb" | cut -f1)
export POSTGRES_BACKUP_MODE=physical ATHENA_SCRATCH_DIR=$WORK/scratch
drop_caches; t=$(now); java -jar "$JAR" backup --location "$WORK/repo" --timestamp 2026-01-01t00-00-00 >>"$WORK/athena.log" 2>&1; sync; T_FIRST=$(elapsed "$t")
STORED1=$(du -sb "$WORK/repo" | cut -f1)
$BIN/pgbench -n -t 500 bench >/dev/null 2>&1
$BIN/psql -q -d bench -c "CHECKPOINT"
drop_caches; t=$(now); java -jar "$JAR" backup --location "$WORK/repo" --timestamp 2026-01-01t01-00-00 >>"$WORK/athena.log" 2>&1; sync; T_SECOND=$(elapsed "$t")
STORED2=$(( $(du -sb "$WORK/repo" | cut -f1) - STORED1 ))
# Unpacking pg_basebackup's tar is the by-hand restore of a base backup (before the server replays its WAL).
mkdir "$WORK/untarred"; drop_caches; t=$(now); tar -xf "$WORK/ref-bb/base.tar" -C "$WORK/untarred"; sync; T_UNTAR=$(elapsed "$t"); rm -rf "$WORK/untarred" "$WORK/ref-bb"

# 2. The recovery point after the node is lost.
API_PORT=$(free_port)
KEY=bench-pitr-key-0123456789
SERVICE_ENV=(LOCAL_BACKUP_LOCATION=$WORK/service ATHENA_API_KEYS=$KEY ATHENA_STATE_DIR=$WORK/state POSTGRES_DATABASES=bench)
env "${SERVICE_ENV[@]}" ATHENA_PORT=$API_PORT POSTGRES_WAL_ARCHIVE=true WAL_UPLOAD_INTERVAL_SECONDS=$INTERVAL \
  java -jar "$JAR" serve >>"$WORK/serve.log" 2>&1 &
SERVE_PIDS+=($!)
api() { curl -fsS -H "Authorization: $KEY" "$@"; }
until api "http://127.0.0.1:$API_PORT/healthz" >/dev/null 2>&1; do sleep 0.5; done
TS=$(api -XPOST "http://127.0.0.1:$API_PORT/athena/api/v1/ondemandbackup" -d '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["message"].split()[-1])')
until [ "$(api "http://127.0.0.1:$API_PORT/athena/api/v1/backupstatus?timestamp=$TS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = Success ]; do sleep 1; done
echo "INSERT INTO rpo DEFAULT VALUES;" > "$WORK/insert.sql"
$BIN/pgbench -n -f "$WORK/insert.sql" -c 2 -R 200 -T 60 bench >/dev/null 2>&1 &
LOAD=$!
sleep 30
POSTMASTER=$(head -1 "$WORK/data/postmaster.pid")
kill -9 "$POSTMASTER" "${SERVE_PIDS[0]}"
wait "$LOAD" 2>/dev/null || true
KILLED_AT=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
# The original server, restarted, replays its own WAL: everything committed before the kill. Its backends end once they
# notice the postmaster is gone; it starts again after that.
for i in $(seq 1 30); do
  runuser -u postgres -- $BIN/pg_ctl -D "$WORK/data" -l "$WORK/log" -w -o "-p $SRC_PORT -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 && break
  sleep 1
done
until $BIN/psql -Atq -d bench -c "SELECT 1" >/dev/null 2>&1; do sleep 0.5; done
COMMITTED=$($BIN/psql -Atq -d bench -c "SELECT count(*) || ' ' || extract(epoch FROM max(at)) FROM rpo")
runuser -u postgres -- $BIN/pg_ctl -D "$WORK/data" -m fast -w stop >/dev/null

# A new server recovered from the archive alone.
NEW_PORT=$(free_port)
mkdir -p "$WORK/recovered" && chown postgres "$WORK/recovered" && chmod 700 "$WORK/recovered"
START="runuser -u postgres -- $BIN/pg_ctl -D $WORK/recovered -l $WORK/recovered.log -w -t 600 -o '-p $NEW_PORT -k $WORK -c listen_addresses=127.0.0.1' start"
# recover_latest LOG VAR=VALUE...: a new `serve` with the service's settings and these, asked for a "latest" point-in-time
# restore; waits for it, sets T_RESTORE to its wall time, and stops on a failure.
recover_latest() {
  local log=$1; shift
  local port; port=$(free_port)
  env "${SERVICE_ENV[@]}" ATHENA_PORT=$port POSTGRES_BACKUP_MODE=physical "$@" java -jar "$JAR" serve >>"$WORK/$log" 2>&1 &
  SERVE_PIDS+=($!)
  until api "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.5; done
  local t; t=$(now)
  api -XPOST "http://127.0.0.1:$port/athena/api/v1/ondemandrestore" -d '{"targetTime": "latest", "disableUpgrade": true}' >/dev/null
  status() { api "http://127.0.0.1:$port/athena/api/v1/restorestatus?timestamp=$TS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
  until [ "$(status)" != Running ]; do sleep 1; done
  T_RESTORE=$(elapsed "$t")
  [ "$(status)" = Success ] || { echo "the recovery failed; see $WORK/$log" >&2; api "http://127.0.0.1:$port/athena/api/v1/restorestatus?timestamp=$TS" >&2; exit 1; }
  kill -9 "${SERVE_PIDS[-1]}" 2>/dev/null || true
}
recover_latest serve2.log POSTGRES_PORT=$NEW_PORT POSTGRES_DATA_DIR=$WORK/recovered POSTGRES_STOP_COMMAND=true POSTGRES_START_COMMAND="$START"
T_RECOVER=$T_RESTORE
RECOVERED=$(PGPORT=$NEW_PORT $BIN/psql -Atq -d bench -c "SELECT count(*) || ' ' || extract(epoch FROM max(at)) FROM rpo")

# 3. The same recovery loaded logically into a server that stays up (no POSTGRES_DATA_DIR): the original server, started
# again, takes the recovered database "bench" in place of its own, through a scratch server Athena starts and removes.
runuser -u postgres -- $BIN/pg_ctl -D "$WORK/data" -l "$WORK/log" -w -o "-p $SRC_PORT -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
recover_latest serve3.log POSTGRES_PORT=$SRC_PORT ATHENA_SCRATCH_DIR=$WORK/scratch
T_LOGICAL=$T_RESTORE
LOGICAL=$($BIN/psql -Atq -d bench -c "SELECT count(*) FROM rpo")
C_ROWS=${COMMITTED% *}; C_AT=${COMMITTED#* }
R_ROWS=${RECOVERED% *}; R_AT=${RECOVERED#* }
RPO=$(printf '%.2f' "$(echo "$C_AT - $R_AT" | bc)")
VERDICT=$(if [ "$(echo "$RPO <= $INTERVAL + 1" | bc)" = 1 ]; then echo "meets the target of WAL_UPLOAD_INTERVAL_SECONDS + 1 s = $((INTERVAL + 1)) s"; else echo "**misses** the target of $((INTERVAL + 1)) s"; fi)

SECTION="## Physical backups and point-in-time recovery (bench/pitr.sh)

$(where "$WORK"), each Athena command a freshly started JVM, caches dropped before each timed step; $(date -u +%Y-%m-%d),
$(nproc) cores. pgbench scale $SCALE ($(mb "$DB_BYTES") MB database), PostgreSQL 15, \`POSTGRES_BACKUP_MODE=physical\`.

| what | time | ratio to pg_basebackup -Ft | stored |
|---|---|---|---|
| \`cp -a\` of the data folder (the server running) | ${T_CP} s | $(ratio "$T_CP" "$T_PGBB")× | |
| \`pg_basebackup -F t -X fetch -c fast\` | ${T_PGBB} s | 1.00× | $(mb "$REF_BYTES") MB |
| \`athena backup\`, first base backup | ${T_FIRST} s | $(ratio "$T_FIRST" "$T_PGBB")× | $(mb "$STORED1") MB |
| \`athena backup\` after 500 pgbench transactions | ${T_SECOND} s | $(ratio "$T_SECOND" "$T_PGBB")× | $(mb "$STORED2") MB more ($(ratio "$((STORED2 * 100))" "$STORED1")% of the first) |
| \`tar -x\` of pg_basebackup's tar (a restore by hand, before replay) | ${T_UNTAR} s | | |

**Recovery point.** \`serve\` archived the WAL (\`WAL_UPLOAD_INTERVAL_SECONDS=$INTERVAL\`) while pgbench committed about
200 single-row transactions a second; after 30 s the database server and Athena were killed with SIGKILL together. The
original server, restarted, held $C_ROWS committed rows; a new server recovered by a second \`serve\` from the archive alone
(\`\"targetTime\": \"latest\"\`, base backup, WAL, promotion: ${T_RECOVER} s from the request to the freshly started \`serve\` to its end) held $R_ROWS. The last transaction recovered committed
**${RPO} s** before the last one committed: this run $VERDICT.

**Recovered logically** (no \`POSTGRES_DATA_DIR\`): the same \`latest\` recovery, by a third \`serve\`, into the original server
started again and left running: a scratch server recovered the base backup and the WAL, the database was dumped from it and
swapped into the running server, with row counts checked: ${T_LOGICAL} s, timed the same way ($(ratio "$T_LOGICAL" "$T_RECOVER")× the data-folder recovery), $LOGICAL rows."
write_section "Physical backups and point-in-time recovery (bench/pitr.sh)" "$SECTION"
echo "$SECTION"
