#!/bin/sh
# Runs the libFuzzer harnesses built by `make fuzz` (doc/fuzzing.md).
#
#   sh fuzz/run.sh replay 0 FUZZDIR HARNESS...   each corpus input once
#   sh fuzz/run.sh fuzz SECONDS FUZZDIR HARNESS...
#
# Run from the build directory: the harnesses are ./fuzz/NAME, their
# corpora FUZZDIR/corpus/NAME (read only; fuzzing writes the inputs it
# finds to fuzz-out/NAME/), crashes go to fuzz-out/NAME-crash-* (leaks
# to -leak-*, timeouts to -timeout-*), logs to fuzz-out/NAME-MODE.log.
# Prints one line per harness and exits 1 when any harness failed.
set -u
mode=$1 seconds=$2 fuzzdir=$3
shift 3
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
mkdir -p fuzz-out
failed=0
for h in "$@"; do
    corpus=$fuzzdir/corpus/$h
    log=fuzz-out/$h-$mode.log
    dict=""
    [ -f "$fuzzdir/$h.dict" ] && dict="-dict=$fuzzdir/$h.dict"
    count=$(find "$corpus" -type f | wc -l)
    start=$(date +%s)
    touch fuzz-out/$h-stamp
    case $mode in
    replay)
        # every input once, by name (a file that crashes is named in the log)
        find "$corpus" -type f -print0 | sort -z | xargs -0 ./fuzz/$h -rss_limit_mb=2048 \
            -timeout=60 -artifact_prefix=fuzz-out/$h- >"$log" 2>&1
        status=$?
        runs=$(grep -c '^Executed ' "$log")
        ;;
    fuzz)
        mkdir -p fuzz-out/$h
        # shellcheck disable=SC2086
        ./fuzz/$h -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 \
            -artifact_prefix=fuzz-out/$h- $dict fuzz-out/$h "$corpus" >"$log" 2>&1
        status=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        ;;
    *)
        echo "fuzz/run.sh: mode must be replay or fuzz" >&2
        exit 2
        ;;
    esac
    secs=$(($(date +%s) - start))
    found() {
        find fuzz-out -maxdepth 1 -type f -newer fuzz-out/$h-stamp \( -name "$h-crash-*" \
            -o -name "$h-leak-*" -o -name "$h-timeout-*" -o -name "$h-oom-*" \)
    }
    crashes=$(found | wc -l)
    if [ "$mode" = fuzz ]; then
        new=$(find fuzz-out/$h -type f | wc -l)
        echo "fuzz/$h: ${runs:-0} executions in $secs s, corpus $count inputs + $new new, $crashes crash/leak/timeout inputs"
    else
        echo "fuzz/$h: replayed ${runs:-0} of $count corpus inputs in $secs s, $crashes crash/leak/timeout inputs"
    fi
    if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ] || { [ "$mode" = replay ] && [ "${runs:-0}" -ne "$count" ]; }; then
        failed=1
        echo "fuzz/$h: FAILED (exit status $status); the end of $log:" >&2
        tail -n 40 "$log" >&2
        found >&2
    fi
done
exit $failed
