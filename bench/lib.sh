# Shared by the benchmark scripts: replaces (or appends) one "## Title (bench/x.sh)" section of docs/benchmarks.md.
write_section() {
  python3 - "$1" "$2" <<'PY'
import re, sys
title, section = sys.argv[1], sys.argv[2].strip() + "\n"
path = "docs/benchmarks.md"
try:
    text = open(path).read()
except FileNotFoundError:
    text = ""
if not text.strip():
    text = "# Benchmarks\n\nEvery number here is written by a script under bench/; ratios compare runs made in the same invocation.\n\n"
pattern = re.compile(re.escape("## " + title) + r"\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
}

# Every script sources this from the repository's root: the jar they run, built when missing.
JAR=$PWD/target/athena.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package

# a / b with two decimals (a leading zero included, which bc leaves out).
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }

# A TCP port nothing listens on.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a PostgreSQL 15 cluster in $1 (made fresh, owned by postgres) on a free port, stopped and
# removed when the script exits; exports PG* for the client tools and POSTGRES_* for Athena.
start_postgres() {
  local work=$1
  BIN=/usr/lib/postgresql/15/bin
  rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work" && chown postgres "$work"
  PORT=$(free_port)
  PW=bench-password
  echo "$PW" > "$work/pw" && chown postgres "$work/pw"
  runuser -u postgres -- $BIN/initdb -D "$work/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 --pwfile="$work/pw" -N >/dev/null
  runuser -u postgres -- $BIN/pg_ctl -D "$work/data" -l "$work/log" -w -o "-p $PORT -k $work -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" start >/dev/null
  trap "runuser -u postgres -- $BIN/pg_ctl -D '$work/data' -m fast stop >/dev/null 2>&1 || true; rm -rf '$work'" EXIT
  export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGPASSWORD=$PW
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$PORT POSTGRES_PASSWORD=$PW
}

# Creates database `bench` as pgbench scale $1, runs the SQL given after it, then settles the
# cluster (autovacuum of the new tables, the load's checkpoint) before anything is timed; sets DB_BYTES.
load_pgbench() {
  local scale=$1; shift
  $BIN/createdb bench
  $BIN/pgbench -q -i -s "$scale" bench >/dev/null 2>&1
  for sql in "$@"; do $BIN/psql -q -d bench -c "$sql"; done
  $BIN/psql -q -d bench -c "VACUUM ANALYZE" -c "CHECKPOINT"
  DB_BYTES=$($BIN/psql -Atq -d bench -c "SELECT pg_database_size('bench')")
}

# The benchmarks' tree, in $1: copies of /usr/share/doc, /usr/share/locale, /usr/lib/postgresql and a
# JDK (about 600 MB in 9,700 files); sets TREE_BYTES and TREE_FILES.
build_tree() {
  mkdir -p "$1"
  for d in /usr/share/doc /usr/share/locale /usr/lib/postgresql /usr/lib/jvm/java-17-openjdk-amd64; do
    [ -d "$d" ] && cp -a "$d" "$1/$(echo "$d" | tr / _)"
  done
  TREE_BYTES=$(du -sb "$1" | cut -f1)
  TREE_FILES=$(find "$1" -type f | wc -l)
}

# Whether bench/memory-limit.sh can make a memory cgroup here (v2 with its memory controller, or v1).
memory_limit_available() { bench/memory-limit.sh --check; }

# "on disk" or "in memory": where the folder $1 lies (tmpfs counts as memory), for a section's first line.
where() { if [ "$(df --output=fstype "$1" 2>/dev/null | tail -1)" = tmpfs ]; then echo "in memory"; else echo "on disk"; fi; }

# $2 bare git repositories in $1 (r1.git ...), each one commit of a slice of /usr/share/locale: a gitserver volume.
make_git_repos() {
  local into=$1 count=$2 i=0 d src
  mkdir -p "$into"
  for d in /usr/share/locale/*/; do
    i=$((i + 1)); [ $i -le "$count" ] || break
    src="$into.src/r$i"; mkdir -p "$src"; cp -a "$d" "$src/"
    git -C "$src" init -q && git -C "$src" add -A && git -C "$src" -c user.name=bench -c user.email=bench@localhost commit -qm "slice $i"
    git clone -q --bare "$src" "$into/r$i.git"
  done
  rm -rf "$into.src"
}

# A mounted ConfigMap's folder in $1: three keys, a file each.
make_config() {
  mkdir -p "$1"
  for k in APP_HOST FEATURE_FLAGS DB_URL; do echo "value of $k" > "$1/$k"; done
}

# A platform's volumes in $1: metagraph/ (a copy of /usr/share/doc), gitserver/ (40 bare repositories) and config/ (a
# 3-key ConfigMap folder); sets META_BYTES, META_FILES and GIT_BYTES.
make_platform_volumes() {
  mkdir -p "$1/metagraph"
  cp -a /usr/share/doc "$1/metagraph/doc"
  make_git_repos "$1/gitserver" 40
  make_config "$1/config"
  META_BYTES=$(du -sb "$1/metagraph" | cut -f1)
  META_FILES=$(find "$1/metagraph" -type f | wc -l)
  GIT_BYTES=$(du -sb "$1/gitserver" | cut -f1)
}
