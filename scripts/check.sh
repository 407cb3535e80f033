#!/bin/sh
# The whole test suite: install what is missing, build, run `make check`,
# and end with the line "N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
sh scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
make check >/dev/null 2>&1
status=$?
log=test-suite.log
if [ ! -f "$log" ]; then
    echo "genrank: make check produced no $log" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
count() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$log" | head -n 1; }
# per-program results, one line per property
for f in tests/*.log; do
    [ "$f" = "tests/test-suite.log" ] && continue
    printf '%-22s %s ok, %s not ok\n' "$(basename "$f" .log)" \
        "$(grep -c '^PASS:' "$f")" "$(grep -c -E '^(FAIL|ERROR|XPASS):' "$f")"
done
grep -E '^(FAIL|ERROR|XPASS):' tests/*.log
pass=$(count PASS); fail=$(count FAIL); err=$(count ERROR); xpass=$(count XPASS); skip=$(count SKIP)
failed=$(( ${fail:-0} + ${err:-0} + ${xpass:-0} ))
[ "${skip:-0}" -gt 0 ] && echo "${skip} skipped (see tests/*.log)"
echo "${pass:-0} passed, $failed failed"
[ $status -eq 0 ] && [ $failed -eq 0 ]
