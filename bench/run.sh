#!/usr/bin/env bash
# Builds bench and the modules it needs (no `mvn install`), writes the run-time class path to
# bench/target/classpath.txt, then runs the benchmark in its own JVM:
#   bench/run.sh suite --profile quick           # the issue-16 figures, brokers in child JVMs
#   bench/run.sh throughput --records 200k
#   JAVA_OPTS="-Xmx4g" bench/run.sh rebalance --members 1,10
# Afterwards the same can be run without Maven:
#   java -cp "$(cat bench/target/classpath.txt)" io.tributary.bench.Bench throughput
set -euo pipefail
cd "$(dirname "$0")/.."
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
# exec:exec echoes each module's class path; bench's is the line naming bench/target/classes.
# No -Dexec.skip: it would also skip the protocol module's code generator (an exec execution),
# which a fresh clone needs. Offline first; a never-filled local repository ("Cannot access
# central in offline mode") falls back to an online build, as bin/tributary does.
build() {
    mvn -B -q -Dstyle.color=never "$@" -pl bench -am package exec:exec -DskipTests \
        -Dexec.executable=echo -Dexec.args="%classpath" > "$build_log" 2>&1
}
if ! build -o; then
    echo "bench: offline build failed, trying online ..." >&2
    if ! build; then
        cat "$build_log" >&2
        exit 1
    fi
fi
mkdir -p bench/target
sed 's/\x1b\[[0-9;]*m//g' "$build_log" | grep '/bench/target/classes' | tail -1 > bench/target/classpath.txt
default_opts="-Xms1g -Xmx3g -XX:+UseG1GC"
if [[ "${1:-}" == "suite" ]]; then
    # The suite spawns and measures child JVMs (brokers, Apache's tools); its own heap only has to
    # hold the clients part's consumers and producers (both clients get the same JVM). Fixed size:
    # the System.gc() before each measured pass shrank a growable heap, and the pass then paid for
    # page faults and small young generations again (KafkaProducer 0.78M -> 1.07-1.14M records/s,
    # our producer 1.23-1.26M -> 1.47-1.52M with it; docs/design/bench.md, "Session 18").
    default_opts="-Xms1g -Xmx1g -XX:+UseG1GC"
fi
exec java ${JAVA_OPTS:-$default_opts} -cp "$(cat bench/target/classpath.txt)" \
    io.tributary.bench.Bench "$@"
