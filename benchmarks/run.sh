#!/usr/bin/env bash
# Builds and runs the benchmark suite: `bash benchmarks/run.sh` (full, < 15 min on 2 cores) or
# `bash benchmarks/run.sh quick` (< 3 min). Prints a table and writes benchmarks/target/bench-summary.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case "$mode" in full|quick) ;; *) echo "usage: bash benchmarks/run.sh [quick]" >&2; exit 2 ;; esac
mvn -B -q -DskipTests -pl benchmarks -am package
rm -rf benchmarks/target/db
exec java -Xmx4g -jar benchmarks/target/benchmarks.jar "$mode"
