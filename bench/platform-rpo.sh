#!/usr/bin/env bash
# A recovery point for the whole platform (issue 14): what a frequent backup of the whole platform
# costs once PostgreSQL's WAL is archived, on disk, each backup a freshly started JVM (`athena
# backup`, caches dropped), while `serve` archives the WAL beside it.
#   reference: a backup that takes a new base backup each time (POSTGRES_BASE_BACKUP_MAX_AGE_HOURS=0);
#   against it: a backup that keeps the last base backup and records its WAL position (=24).
# (which closes the WAL segment with pg_switch_wal so the archiver stores it at once).
# Before each backup 1% of the metagraph's files are rewritten, a commit is pushed into two of the
# git repositories, and pgbench runs 500 transactions. Rounds alternate, 3 of each; medians count.
# Usage: bench/platform-rpo.sh [pgbench scale, default 30]. Writes its section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SCALE=${1:-30}
WORK=${BENCH_WORK:-$PWD/bench/work/platform-rpo}
start_postgres "$WORK"
echo "loading pgbench scale $SCALE, a metagraph folder, git repositories and a ConfigMap" >&2
load_pgbench "$SCALE"
make_platform_volumes "$WORK"
KEY=bench-rpo-key-0123456789
API_PORT=$(free_port)
export POSTGRES_DATABASES=bench ATHENA_SCRATCH_DIR=$WORK/scratch LOCAL_BACKUP_LOCATION=$WORK/backups ATHENA_STATE_DIR=$WORK/state \
  METAGRAPH_VOLUME_PATH=$WORK/metagraph GITSERVER_VOLUME_PATH=$WORK/gitserver CONFIGMAP_PATH=$WORK/config \
  POSTGRES_BACKUP_MODE=physical POSTGRES_WAL_ARCHIVE=true ATHENA_API_KEYS=$KEY BACKUP_FREQUENCY="0 0 0 1 1 *"
SERVE=
trap '[ -n "$SERVE" ] && kill "$SERVE" 2>/dev/null; runuser -u postgres -- $BIN/pg_ctl -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
ATHENA_PORT=$API_PORT java -jar "$JAR" serve >>"$WORK/serve.log" 2>&1 &
SERVE=$!
until curl -fsS -H "Authorization: $KEY" "http://127.0.0.1:$API_PORT/healthz" >/dev/null 2>&1; do sleep 0.5; done

now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
# Bytes the backups hold, the WAL archive left out (it grows on its own while the rounds run).
stored() { echo $(( $(du -sb "$WORK/backups" | cut -f1) - $(du -sb "$WORK/backups/app/wal" 2>/dev/null | cut -f1 || echo 0) )); }
ROUND=0
change() {
  ROUND=$((ROUND + 1))
  find "$WORK/metagraph" -type f | awk -v r="$ROUND" 'NR % 100 == r % 100' | while read -r f; do echo "round $ROUND" >> "$f"; done
  for r in 1 2; do
    rm -rf "$WORK/clone" && git clone -q "$WORK/gitserver/r$r.git" "$WORK/clone"
    echo "round $ROUND" > "$WORK/clone/CHANGES" && git -C "$WORK/clone" add -A
    git -C "$WORK/clone" -c user.name=bench -c user.email=bench@localhost commit -qm "round $ROUND" && git -C "$WORK/clone" push -q
  done
  $BIN/pgbench -n -t 500 bench >/dev/null 2>&1
}
# backup MAX_AGE_HOURS: one `athena backup` in a fresh JVM; prints "seconds bytes-stored kept(0|1) postgres-component-seconds".
backup() {
  local before t ts
  before=$(stored)
  ts=2026-01-01t00-$(printf '%02d' "$ROUND")-00
  drop_caches; t=$(now)
  POSTGRES_BASE_BACKUP_MAX_AGE_HOURS=$1 java -jar "$JAR" backup --timestamp "$ts" -o json >"$WORK/last.json" 2>>"$WORK/athena.log"
  local secs; secs=$(elapsed "$t")
  local kept; kept=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); p=m["components"]["postgres"]; print(p.get("baseBackupKept", 0), "%.2f" % (p["durationMs"] / 1000))' "$WORK/last.json")
  echo "$secs $(( $(stored) - before )) $kept"
}
change; FIRST=$(backup 0)
REF=(); KEEP=()
for k in 1 2 3; do
  change; REF+=("$(backup 0)")
  change; KEEP+=("$(backup 24)")
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { local n=$1; shift; for line in "$@"; do echo "$line" | cut -d' ' -f"$n"; done | median; }
R_T=$(field 1 "${REF[@]}"); R_B=$(field 2 "${REF[@]}"); R_P=$(field 4 "${REF[@]}")
K_T=$(field 1 "${KEEP[@]}"); K_B=$(field 2 "${KEEP[@]}"); K_P=$(field 4 "${KEEP[@]}"); K_KEPT=$(for l in "${KEEP[@]}"; do echo "$l" | cut -d' ' -f3; done | paste -sd+ | bc)
WAL=$(curl -fsS -H "Authorization: $KEY" "http://127.0.0.1:$API_PORT/athena/api/v1/walstatus")
LAG=$(echo "$WAL" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("lagSeconds", "?"))')
mib() { printf '%.1f' "$(echo "scale=2; $1 / 1048576" | bc)"; }

SECTION="## A recovery point for the whole platform (bench/platform-rpo.sh)

$(where "$WORK"), each backup \`athena backup\` in a freshly started JVM, caches dropped before it, while \`serve\` archived the WAL
beside it; $(date -u +%Y-%m-%d), $(nproc) cores. The platform: pgbench scale $SCALE ($(mib "$DB_BYTES") MiB database,
\`POSTGRES_BACKUP_MODE=physical\`, \`POSTGRES_WAL_ARCHIVE=true\`), a metagraph volume of $META_FILES files ($(mib "$META_BYTES") MiB), 40 git
repositories and a 3-key ConfigMap. Before each backup 1% of the metagraph's files were rewritten, a commit was pushed
into two repositories and pgbench ran 500 transactions. The rounds alternated, 3 of each; medians.

| backup | time (whole backup, JVM start included) | ratio | its PostgreSQL component | ratio | stored (WAL archive aside) |
|---|---|---|---|---|---|
| the first | $(echo "$FIRST" | cut -d' ' -f1) s | | $(echo "$FIRST" | cut -d' ' -f4) s | | $(mib "$(echo "$FIRST" | cut -d' ' -f2)") MiB |
| reference: a new base backup each time (\`POSTGRES_BASE_BACKUP_MAX_AGE_HOURS=0\`) | ${R_T} s | 1.00× | ${R_P} s | 1.00× | $(mib "$R_B") MiB |
| the last base backup kept, its WAL position recorded (\`=24\`) | ${K_T} s | $(ratio "$K_T" "$R_T")× | ${K_P} s | $(ratio "$K_P" "$R_P")× | $(mib "$K_B") MiB |

The base backup was kept in $K_KEPT of 3 rounds. WAL archive lag at the end: ${LAG} s.

What this gives: with \`BACKUP_FREQUENCY\` every N minutes and the WAL archived, PostgreSQL can be restored to any moment
up to about \`WAL_UPLOAD_INTERVAL_SECONDS\` before a loss (bench/pitr.sh), and the volumes, the git server and the
ConfigMap to their newest capture at or before it: at most N minutes plus one backup's duration (${K_T} s here) old."
write_section "A recovery point for the whole platform (bench/platform-rpo.sh)" "$SECTION"
echo "$SECTION"
