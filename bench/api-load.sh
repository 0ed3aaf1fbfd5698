#!/usr/bin/env bash
# Load check: 200 concurrent clients send status and list requests (2,000 in all, localhost only)
# while a backup of ~1 GB of new data runs; records p50/p99 latency and errors in docs/benchmarks.md.
# A reference run of the same load against the idle service comes first, in the same invocation.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/bench/work}/api
rm -rf "$WORK" && mkdir -p "$WORK/metagraph"
for i in $(seq 1 50); do head -c 10M /dev/urandom > "$WORK/metagraph/blob-$i"; done
PORT=$(free_port)
KEY=bench-key
LOCAL_BACKUP_LOCATION=$WORK/backups METAGRAPH_VOLUME_PATH=$WORK/metagraph ATHENA_API_KEYS=$KEY ATHENA_PORT=$PORT \
  ATHENA_STATE_DIR=$WORK/state java -jar "$JAR" serve > "$WORK/athena.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
post() { curl -s -XPOST "http://127.0.0.1:$PORT/athena/api/v1/ondemandbackup" -H "Authorization: $KEY" -d '{}' | sed 's/.*timestamp \([^"]*\)".*/\1/'; }
wait_done() { while curl -s "http://127.0.0.1:$PORT/athena/api/v1/backupstatus?timestamp=$1" -H "Authorization: $KEY" | grep -q Running; do sleep 0.2; done; }
FIRST=$(post); wait_done "$FIRST"
IDLE=$(java bench/ApiLoad.java "$PORT" "$KEY" "$FIRST")
for i in $(seq 51 150); do head -c 10M /dev/urandom > "$WORK/metagraph/blob-$i"; done
SECOND=$(post)
BUSY=$(java bench/ApiLoad.java "$PORT" "$KEY" "$SECOND")
STILL=$(curl -s "http://127.0.0.1:$PORT/athena/api/v1/backupstatus?timestamp=$SECOND" -H "Authorization: $KEY" | grep -o '"status":"[A-Za-z]*"')
wait_done "$SECOND"
val() { echo "$1" | awk -v k="$2" '$1 == k {print $2}'; }
SECTION=$(cat <<MD
## API under load (bench/api-load.sh)

Run on $(date -u +%Y-%m-%d): 200 concurrent clients, 10 requests each (half \`GET /backupstatus\`,
half \`GET /backuplist\`), against \`athena serve\` on localhost; first with the service idle
(reference), then while a backup of 1 GB of new data runs (status when the load ended: $STILL).

| run | requests | errors | p50 | p99 | max | wall time |
|---|---|---|---|---|---|---|
| idle (reference) | $(val "$IDLE" requests) | $(val "$IDLE" errors) | $(val "$IDLE" p50_ms) ms | $(val "$IDLE" p99_ms) ms | $(val "$IDLE" max_ms) ms | $(val "$IDLE" seconds) s |
| during a backup | $(val "$BUSY" requests) | $(val "$BUSY" errors) | $(val "$BUSY" p50_ms) ms | $(val "$BUSY" p99_ms) ms | $(val "$BUSY" max_ms) ms | $(val "$BUSY" seconds) s |

p99 during the backup is $(echo "scale=2; $(val "$BUSY" p99_ms) / $(val "$IDLE" p99_ms)" | bc)× the idle p99.
MD
)
write_section "API under load (bench/api-load.sh)" "$SECTION"
echo "$SECTION"
