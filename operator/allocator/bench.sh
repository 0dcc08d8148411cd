#!/usr/bin/env bash
# Reproduces the figures in docs/benchmarks/allocator.md: every JMH benchmark of the allocator
# (results also in operator/allocator/target/jmh.json), then the heap per agent and framework.
#   ./operator/allocator/bench.sh                      # the whole table
#   ./operator/allocator/bench.sh FullCycleBenchmark -p agents=10000 -p frameworks=1000
# JMH_OPTS replaces the run length (default: 1 fork, 3 warmup and 5 measured iterations of 1 s);
# HEAP=0 skips the heap measurement.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
args="${JMH_OPTS:--f 1 -wi 3 -i 5} -rf json -rff target/jmh.json"
if [ "$#" -gt 0 ]; then
  args="$args $*"
fi
goals=(test-compile exec:exec@jmh)
if [ "${HEAP:-1}" != 0 ]; then
  goals+=(exec:exec@heap)
fi
./mvnw -B -q -f operator/allocator/pom.xml -Pbench -Dbench.args="$args" "${goals[@]}"
