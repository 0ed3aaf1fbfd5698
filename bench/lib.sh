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
