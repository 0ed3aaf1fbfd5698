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
make_platform_volumes "$WORK"
export POSTGRES_DATABASES=bench ATHENA_SCRATCH_DIR=$WORK/scratch LOCAL_BACKUP_LOCATION=$WORK/unused \
  METAGRAPH_VOLUME_PATH=$WORK/metagraph GITSERVER_VOLUME_PATH=$WORK/gitserver CONFIGMAP_PATH=$WORK/config
run() { java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp "$JAR" bench/TransferBench.java platform "$WORK/runs" "$LATENCY" "$BANDWIDTH" 2>>"$WORK/athena.log"; }
# Headline: each setting in freshly started JVMs, one backup and restore each, alternating, 3 of each (medians count).
# Beside it, labelled warm: one long-lived JVM, best of 2 after a throw-away round.
COLD=$(for k in 1 2 3; do ATHENA_BENCH_COLD=sequential run; ATHENA_BENCH_COLD=parallel run; done)
WARM=$(run)
grep '^round' "$WORK/athena.log" >&2 || true
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# col SETTING FIELD OUTPUT: the median of that field of that setting's lines.
col() { echo "$3" | awk -v s="$1" -v f="$2" '$1 == s { print $f }' | median; }
SEQ=$(col sequential 2 "$COLD"); SEQ_SPREAD=$(col sequential 3 "$COLD"); SEQ_R=$(col sequential 4 "$COLD")
PAR=$(col parallel 2 "$COLD"); PAR_SPREAD=$(col parallel 3 "$COLD"); PAR_R=$(col parallel 4 "$COLD")
W_SEQ=$(col sequential 2 "$WARM"); W_SEQ_R=$(col sequential 4 "$WARM"); W_PAR=$(col parallel 2 "$WARM"); W_PAR_R=$(col parallel 4 "$WARM")
SECTION=$(cat <<MD
## A whole platform's backup and restore (bench/platform.sh)

Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(where "$WORK") (cluster, volumes and store in $WORK): PostgreSQL 15 with database \`bench\` =
pgbench scale $SCALE ($DB_BYTES bytes on disk), a metagraph volume of $META_BYTES bytes
(/usr/share/doc), a gitserver volume of 40 bare repositories ($GIT_BYTES bytes) and a 3-key
ConfigMap folder, backed up into a store that takes a ${LATENCY} ms round trip plus the bytes at
${BANDWIDTH} MB/s per request (like S3). Headline: medians of 3 freshly started JVMs per setting, each one
backup and its restore, timed inside the process (its start not counted), the settings alternating; beside it, labelled warm, one long-lived JVM, the settings
alternating, best of 2 after a throw-away round. Each backup is restored, with the same setting, over the platform it came
from (read as from S3: the checked packs kept in the scratch folder).

The window is the backup's duration; the spread is how far apart the first and the last
component's captures started, that is how far apart in time the restored platform's parts can be.

| measurement | fresh JVM, seconds | ratio | spread (s) | warm JVM, seconds | warm ratio |
|---|---|---|---|---|---|
| reference backup: components one after another (\`ATHENA_COMPONENT_THREADS=1\`, as before) | $SEQ | 1 | $SEQ_SPREAD | $W_SEQ | 1 |
| backup, components side by side (the default) | $PAR | $(ratio "$PAR" "$SEQ")× | $PAR_SPREAD | $W_PAR | $(ratio "$W_PAR" "$W_SEQ")× |
| reference restore: components one after another | $SEQ_R | 1 | | $W_SEQ_R | 1 |
| restore, the data side by side, then config (the default) | $PAR_R | $(ratio "$PAR_R" "$SEQ_R")× | | $W_PAR_R | $(ratio "$W_PAR_R" "$W_SEQ_R")× |
MD
)
write_section "A whole platform's backup and restore (bench/platform.sh)" "$SECTION"
echo "$SECTION"
