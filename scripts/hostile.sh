#!/bin/sh
# Hostile input (doc/fuzzing.md), run by CI before the test suite:
#   1. the distribution's files (make distdir) are configured in a
#      temporary directory with --enable-fuzz: clang, AddressSanitizer,
#      UndefinedBehaviorSanitizer and libFuzzer's coverage;
#   2. `make check` runs there; it fails on a failed test or on any
#      sanitizer report (reports are written to files of their own, so a
#      test that expects a failing exit status cannot hide one);
#   3. the fuzz corpora are replayed (make fuzz-replay) and each harness
#      is fuzzed for FUZZ_SECONDS seconds (default 60; make fuzz).
# Prints a summary and exits 1 when anything failed, keeping the
# temporary directory for inspection.  Installs clang and libFuzzer
# (Debian packages clang, libclang-rt-dev) when they are missing.
set -u
cd "$(dirname "$0")/.." || exit 1
seconds=${FUZZ_SECONDS:-60}
jobs=${HOSTILE_JOBS:-2}

missing=""
for p in clang libclang-rt-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "hostile: installing:$missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null || exit 1
fi
[ -f Makefile ] || sh scripts/setup.sh || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/genrank-hostile.XXXXXX") || exit 1
keep=0
trap '[ $keep -eq 1 ] || rm -rf "$work"' EXIT
fail() {
    keep=1
    echo "hostile: $1 (logs in $work)"
    [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 40 "$2"
    exit 1
}
t0=$(date +%s)
make distdir distdir="$work/genrank" >"$work/distdir.log" 2>&1 || fail "make distdir failed" "$work/distdir.log"
mkdir "$work/build" "$work/reports"
cd "$work/build" || exit 1
../genrank/configure --quiet --enable-fuzz >configure.log 2>&1 || fail "configure --enable-fuzz failed" configure.log
make -j"$jobs" >make.log 2>&1 || fail "the sanitizer build failed" make.log
t1=$(date +%s)

ASAN_OPTIONS="log_path=$work/reports/asan:detect_leaks=1" \
UBSAN_OPTIONS="log_path=$work/reports/ubsan:print_stacktrace=1" \
OPENBLAS_NUM_THREADS=1 make -j"$jobs" check >check.log 2>&1
status=$?
t2=$(date +%s)
count() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" test-suite.log 2>/dev/null | head -n 1; }
pass=$(count PASS); f=$(count FAIL); e=$(count ERROR); x=$(count XPASS)
failed=$(( ${f:-0} + ${e:-0} + ${x:-0} ))
reports=$(find "$work/reports" -type f | wc -l)
echo "hostile: sanitizer build in $((t1 - t0)) s; make check under ASan+UBSan: ${pass:-0} passed, $failed failed, $reports sanitizer reports, $((t2 - t1)) s"
if [ $status -ne 0 ] || [ "$failed" -ne 0 ] || [ "$reports" -ne 0 ]; then
    grep -E '^(FAIL|ERROR|XPASS):' tests/*.log
    for r in $(find "$work/reports" -type f | head -n 5); do echo "== $r"; head -n 40 "$r"; done
    fail "make check under the sanitizers failed" check.log
fi

make fuzz-replay >replay.log 2>&1 || { cat replay.log; fail "replaying the fuzz corpora failed"; }
grep '^fuzz/' replay.log | sed 's/^/hostile: /'
make fuzz FUZZ_SECONDS="$seconds" >fuzz.log 2>&1 || { cat fuzz.log; fail "fuzzing found a crash, a leak or a timeout"; }
grep '^fuzz/.*executions' fuzz.log | sed 's/^/hostile: /'
echo "hostile: passed in $(($(date +%s) - t0)) s"
