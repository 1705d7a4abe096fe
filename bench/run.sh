#!/usr/bin/env bash
# Builds bench and the modules it needs (offline, no `mvn install`), writes the run-time class
# path to bench/target/classpath.txt, then runs the benchmark in its own JVM:
#   bench/run.sh throughput --records 200k
#   JAVA_OPTS="-Xmx4g" bench/run.sh rebalance --members 1,10
# Afterwards the same can be run without Maven:
#   java -cp "$(cat bench/target/classpath.txt)" io.tributary.bench.Bench throughput
set -euo pipefail
cd "$(dirname "$0")/.."
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
if ! mvn -B -o -q -Dstyle.color=never -pl bench -am package exec:exec -DskipTests \
        -Dexec.skip=true -Dexec.executable=echo -Dexec.args="%classpath" > "$build_log" 2>&1; then
    cat "$build_log" >&2
    exit 1
fi
sed 's/\x1b\[[0-9;]*m//g' "$build_log" | grep 'target/classes' > bench/target/classpath.txt
exec java ${JAVA_OPTS:--Xms1g -Xmx3g -XX:+UseG1GC} -cp "$(cat bench/target/classpath.txt)" \
    io.tributary.bench.Bench "$@"
