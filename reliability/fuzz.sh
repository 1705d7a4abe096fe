#!/usr/bin/env bash
# Long fuzzing runs (issue 15): each target in fuzzing mode (JAZZER_FUZZ=1) for up to RUNS inputs
# or SECONDS seconds, whichever comes first, one after the other; prints one line per target with
# the inputs tried. A finding stops that target, and the input that triggered it is written to
# reliability/crash-*: move it under src/test/resources/.../<Class>Inputs/<method>/ so every
# `mvn test` replays it, and fix the defect.
#   reliability/fuzz.sh                      # every target, 10M inputs or 2 h each
#   RUNS=100000 SECONDS_PER_TARGET=60 reliability/fuzz.sh 'RecordBatchFuzzTest#recordIteration'
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10000000}
seconds=${SECONDS_PER_TARGET:-7200}
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(
        'ProtocolMessagesFuzzTest#requestBodies'
        'ProtocolMessagesFuzzTest#responseBodies'
        'ProtocolMessagesFuzzTest#requestFrames'
        'RecordBatchFuzzTest#produceValidation'
        'RecordBatchFuzzTest#recordIteration'
        'SaslTokensFuzzTest#tokens'
        'CoordinatorRecordsFuzzTest#records'
        'LogRecoveryFuzzTest#segmentAndIndexes'
    )
fi
for target in "${targets[@]}"; do
    log=$(mktemp)
    status=ok
    JAZZER_FUZZ=1 mvn -o -B test -pl reliability -am -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1=-max_total_time="$seconds" \
        -Djazzer.internal.arg.2=-runs="$runs" >"$log" 2>&1 || status=FINDING
    done_line=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "$log" | tail -1 || true)
    printf '%-45s %-8s %s\n' "$target" "$status" "${done_line:-no run count (see $log)}"
    if [[ $status == ok ]]; then rm -f "$log"; else echo "  log: $log" >&2; fi
done
