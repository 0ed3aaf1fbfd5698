#!/usr/bin/env bash
# Soak: `athena serve` (the jar, as users run it) takes a scheduled backup of a small, changing
# platform every 2 seconds, with retention pruning after each, until SOAK_BACKUPS (300) have
# succeeded; then the whole repository is verified. Resident memory, heap after a full GC, threads,
# open files and the bytes stored are measured after the first 5 backups and at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${SOAK_BACKUPS:-300}
WORK=$(mktemp -d /tmp/athena-soak.XXXXXX)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/metagraph" "$WORK/git" "$WORK/config"
head -c 2000000 /dev/urandom > "$WORK/metagraph/graph.db"
git init -q --bare "$WORK/git/repo.git"
echo "app.example.com" > "$WORK/config/APP_HOST"
PORT=$(free_port)
KEY=soak-key-0123456789abcdef
LOCAL_BACKUP_LOCATION=$WORK/backups METAGRAPH_VOLUME_PATH=$WORK/metagraph GITSERVER_VOLUME_PATH=$WORK/git CONFIGMAP_PATH=$WORK/config \
  ATHENA_API_KEYS=$KEY ATHENA_PORT=$PORT ATHENA_STATE_DIR=$WORK/state ENABLE_REGULAR_BACKUPS=true BACKUP_FREQUENCY='*/2 * * * * *' \
  BACKUP_RETENTION_PERIOD=0 java -jar "$JAR" serve > "$WORK/serve.log" 2>&1 &
PID=$!
metric() { curl -s "localhost:$PORT/metrics" | awk -v m="$1" 'index($0, m) == 1 { print $NF }'; }
succeeded() { local v; v=$(metric 'athena_backups_total{status="Success"}'); printf '%.0f' "${v:-0}"; }
sample() {
  jcmd $PID GC.run >/dev/null
  HEAP=$(jcmd $PID GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K", "", $(i+1)); print $(i+1); exit } }')
  RSS=$(awk '/VmRSS/ { print $2 }' /proc/$PID/status)
  THREADS=$(ls /proc/$PID/task | wc -l)
  FILES=$(ls /proc/$PID/fd | wc -l)
  STORED=$(du -sk "$WORK/backups" | cut -f1)
}
until curl -sf "localhost:$PORT/healthz" >/dev/null; do sleep 0.2; done
i=0
while [ "$(succeeded)" -lt 5 ]; do sleep 1; done
sample; H0=$HEAP R0=$RSS T0=$THREADS F0=$FILES S0=$STORED
START=$(date +%s)
while [ "$(succeeded)" -lt "$N" ]; do
  i=$((i + 1))
  head -c $((4000 + i)) /dev/urandom > "$WORK/metagraph/change-$((i % 20))"
  sleep 1
done
ELAPSED=$(( $(date +%s) - START ))
sample
FAILED=$(printf '%.0f' "$(metric athena_backup_failures_total)")
SKIPPED=$(printf '%.0f' "$(metric athena_scheduled_backups_skipped_total)")
kill $PID; wait $PID 2>/dev/null || true
LIVE=$(du -sk "$WORK/metagraph" "$WORK/git" "$WORK/config" | awk '{ s += $1 } END { print s }')
if java -jar "$JAR" verify --location "$WORK/backups" > "$WORK/verify.log" 2>&1; then VERIFY=clean; else VERIFY="FAILED: $(tail -1 "$WORK/verify.log")"; fi
echo "backups $N failed $FAILED skipped $SKIPPED; heap ${H0}K -> ${HEAP}K; rss ${R0}K -> ${RSS}K; threads $T0 -> $THREADS; files $F0 -> $FILES; stored ${S0}K -> ${STORED}K (live ${LIVE}K); verify $VERIFY"
write_section "Soak: scheduled backups every 2 s (bench/soak.sh)" "## Soak: scheduled backups every 2 s (bench/soak.sh)

\`athena serve\` from the jar, a platform of metagraph (2 MB, a file rewritten between backups), a bare git
repository and a ConfigMap; \`BACKUP_FREQUENCY='*/2 * * * * *'\`, \`BACKUP_RETENTION_PERIOD=0\` (each
backup's sweep forgets the older ones and prunes). Measured after the first 5 backups and after
the last ($(date -u +%Y-%m-%d), $(nproc) cores):

| | after 5 | after $N |
|---|---|---|
| heap after a full GC | ${H0} KiB | ${HEAP} KiB |
| resident memory | ${R0} KiB | ${RSS} KiB |
| threads | ${T0} | ${THREADS} |
| open files | ${F0} | ${FILES} |
| bytes stored | ${S0} KiB | ${STORED} KiB (live data ${LIVE} KiB) |

$N backups in ${ELAPSED} s after the first 5: $FAILED failed, $SKIPPED scheduled runs skipped (a backup still running).
\`athena verify\` of the repository afterwards: $VERIFY."
