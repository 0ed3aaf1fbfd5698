#!/usr/bin/env bash
# Runs a command in a fresh memory cgroup limited to LIMIT (say 300M), as a container's memory limit
# would: page cache and kernel memory count against it and are reclaimed at the limit, and the kernel
# kills the process (exit 137) when it cannot reclaim enough. cgroup v2 when its memory controller is
# enabled, else v1. Usage: bench/memory-limit.sh LIMIT COMMAND...; bench/memory-limit.sh --check
# exits 0 when a memory cgroup can be made here.
set -euo pipefail
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null && [ -w /sys/fs/cgroup ]; then
  kind=v2 root=/sys/fs/cgroup
elif [ -w /sys/fs/cgroup/memory ]; then
  kind=v1 root=/sys/fs/cgroup/memory
else
  [ "${1:-}" = --check ] && exit 1
  echo "bench/memory-limit.sh: no writable memory cgroup (v2 memory controller or v1 /sys/fs/cgroup/memory): run as root on a host that has one" >&2
  exit 2
fi
[ "${1:-}" = --check ] && exit 0
limit=${1:-}
if ! [[ $limit =~ ^[0-9]+[KMG]?$ ]] || [ $# -lt 2 ]; then
  echo "bench/memory-limit.sh: usage: bench/memory-limit.sh LIMIT COMMAND... (LIMIT like 300M; got '${limit}')" >&2
  exit 2
fi
shift
cg=$root/athena-bench-$$
mkdir "$cg"
trap 'rmdir "$cg" 2>/dev/null || true' EXIT
if [ $kind = v2 ]; then echo "$limit" > "$cg/memory.max"; else echo "$limit" > "$cg/memory.limit_in_bytes"; fi
code=0
sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$cg" "$@" || code=$?
exit $code
