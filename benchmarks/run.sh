#!/usr/bin/env bash
# Builds and runs the benchmark suite: `bash benchmarks/run.sh` (full, < 15 min on 2 cores) or
# `bash benchmarks/run.sh quick` (< 3 min). Prints a table and writes benchmarks/target/bench-summary.json.
# `bash benchmarks/run.sh interleaved [h2|h2lazy|pg]` runs the one-report-per-commit sinks (and Headway's batch of 100) taking
# turns in one JVM and prints their medians (a few minutes; no JSON). `bash benchmarks/run.sh split` times the status
# query and a report's write with the jobs row split into a hot and a cold table, against today's one table (lazy H2).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case "$mode" in
  full|quick) args=("$mode") ;;
  interleaved) args=(interleaved "${2:-h2}") ;;
  split) args=(split) ;;
  *) echo "usage: bash benchmarks/run.sh [quick | interleaved [h2|h2lazy|pg] | split]" >&2; exit 2 ;;
esac
mvn -B -q -DskipTests -pl benchmarks -am package
rm -rf benchmarks/target/db
exec java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar benchmarks/target/benchmarks.jar "${args[@]}"
