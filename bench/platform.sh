#!/usr/bin/env bash
# A backup of a whole platform (PostgreSQL, the metagraph and gitserver volumes, the ConfigMap)
# into a store as slow as S3, and its restore: components one after another
# (ATHENA_COMPONENT_THREADS=1, how Athena did it before) against side by side (the default).
# Writes docs/benchmarks.md.
# Usage: bench/platform.sh [pgbench scale, default 10] [round trip ms, default 30] [MB/s per connection, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SCALE=${1:-10}
LATENCY=${2:-30}
BANDWIDTH=${3:-60}
WORK=${BENCH_WORK:-$PWD/bench/work/platform}
start_postgres "$WORK"
echo "loading pgbench scale $SCALE, a metagraph folder, git repositories and a ConfigMap" >&2
load_pgbench "$SCALE"
mkdir -p "$WORK/metagraph"
cp -a /usr/share/doc "$WORK/metagraph/doc"
make_git_repos "$WORK/gitserver" 40
make_config "$WORK/config"
META_BYTES=$(du -sb "$WORK/metagraph" | cut -f1)
GIT_BYTES=$(du -sb "$WORK/gitserver" | cut -f1)
export POSTGRES_DATABASES=bench ATHENA_SCRATCH_DIR=$WORK/scratch LOCAL_BACKUP_LOCATION=$WORK/unused \
  METAGRAPH_VOLUME_PATH=$WORK/metagraph GITSERVER_VOLUME_PATH=$WORK/gitserver CONFIGMAP_PATH=$WORK/config
OUT=$(java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp "$JAR" bench/TransferBench.java platform "$WORK/runs" "$LATENCY" "$BANDWIDTH" 2>>"$WORK/athena.log")
grep '^round' "$WORK/athena.log" >&2 || true
SEQ=$(echo "$OUT" | awk '/sequential/ {print $2}'); SEQ_SPREAD=$(echo "$OUT" | awk '/sequential/ {print $3}'); SEQ_R=$(echo "$OUT" | awk '/sequential/ {print $4}')
PAR=$(echo "$OUT" | awk '/parallel/ {print $2}'); PAR_SPREAD=$(echo "$OUT" | awk '/parallel/ {print $3}'); PAR_R=$(echo "$OUT" | awk '/parallel/ {print $4}')
SECTION=$(cat <<MD
## A whole platform's backup and restore (bench/platform.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(where "$WORK") (cluster, volumes and store in $WORK): PostgreSQL 15 with database \`bench\` =
pgbench scale $SCALE ($DB_BYTES bytes on disk), a metagraph volume of $META_BYTES bytes
(/usr/share/doc), a gitserver volume of 40 bare repositories ($GIT_BYTES bytes) and a 3-key
ConfigMap folder, backed up into a store that takes a ${LATENCY} ms round trip plus the bytes at
${BANDWIDTH} MB/s per request (like S3). One warm JVM; the two settings alternate; best of 2 after a
throw-away round. Each backup is then restored, with the same setting, over the platform it came
from (read as from S3: the checked packs kept in the scratch folder).

The window is the backup's duration; the spread is how far apart the first and the last
component's captures started, that is how far apart in time the restored platform's parts can be.

| measurement | seconds | ratio | spread (s) |
|---|---|---|---|
| reference backup: components one after another (\`ATHENA_COMPONENT_THREADS=1\`, as before) | $SEQ | 1 | $SEQ_SPREAD |
| backup, components side by side (the default) | $PAR | $(ratio "$PAR" "$SEQ")× | $PAR_SPREAD |
| reference restore: components one after another | $SEQ_R | 1 | |
| restore, the data side by side, then config (the default) | $PAR_R | $(ratio "$PAR_R" "$SEQ_R")× | |
MD
)
write_section "A whole platform's backup and restore (bench/platform.sh)" "$SECTION"
echo "$SECTION"
