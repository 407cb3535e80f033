#!/bin/sh
# genrank matexp as a user meets it: help, solve on a data file (real and
# complex entries), its JSON and weights file, refusals with one-line
# errors and their exit statuses, capacity -> verify, a tampered
# certificate, and the shipped matexp certificates.  Emits TAP.
GENRANK=${GENRANK:-../src/genrank}
case $GENRANK in /*) ;; *) GENRANK=$(pwd)/$GENRANK ;; esac
top_srcdir=${top_srcdir:-..}
PYTHON3=${PYTHON3:-python3}
work=$(mktemp -d /tmp/genrank-t-matexp.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0

. "$top_srcdir/tests/tap.sh"

G=$GENRANK
expect 0 "matexp --help" -- $G matexp --help
grep -q "^Usage: genrank matexp solve" "$work/out"; ok $? "matexp --help shows the usage of both subcommands"
expect 0 "help matexp" -- $G help matexp
expect 2 "matexp without a subcommand (exit 2)" -- $G matexp
expect 2 "matexp with an unknown subcommand (exit 2)" -- $G matexp fit

cat >"$work/real.json" <<'END'
{"X1": [[1, 2, 0], [0, 1, "1/2"], [3, 0, 1]],
 "X2": [[0.5, -1, 2], [1, 0, 0], [0, 2, -1]],
 "Y1": [[2, 1, 0], [1, 3, 1], [0, 1, 4]],
 "Y2": [[-1, 0.25, 0], [0, 5, 1], [2, 0, -3]]}
END
cat >"$work/complex.json" <<'END'
{"X1": [[[1, 1], 2], [0, [0, -1]]],
 "X2": [["1/3", -1], [[2, "0.5"], 1]],
 "Y1": [[[0, 2], 1], [1, 3]],
 "Y2": [[-1, [1, 1]], ["-2/7", 5]]}
END
for f in real complex; do
    expect 0 "solve on $f data (exit 0)" -- $G matexp solve --data "$work/$f.json" --out "$work/w-$f.json"
    grep -q "^certified: f(X1) contains Y1 and f(X2) contains Y2" "$work/out"; ok $? "solve on $f data: certified"
    json "$work/w-$f.json" 'o["certified"] is True and len(o["W3"]["mid"]) == o["d"] and all(float(r) < 1e-20 for row in o["W2"]["rad"] for r in row)'
    ok $? "solve on $f data: --out writes the weights' midpoints and small radii"
    $G matexp solve --data "$work/$f.json" --json --alpha 3/2 >"$work/s.json"
    json "$work/s.json" 'o["certified"] is True and o["radius"] < 1e-15 and o["alpha"] == "3/2"'
    ok $? "solve --json on $f data with --alpha 3/2: certified, radius below 1e-15"
done

cat >"$work/sing.json" <<'END'
{"X1": [[1, 2], [3, 4]], "X2": [[0, 0], [1, 0]], "Y1": [[2, 1], [1, 3]], "Y2": [[1, 0], [0, 1]]}
END
expect 1 "a singular X1 - X2 is refused (exit 1)" -- $G matexp solve --data "$work/sing.json"
grep -q "X1 - X2 is singular" "$work/err"; ok $? "... naming X1 - X2"
cat >"$work/jordan.json" <<'END'
{"X1": [[1, 0], [0, 1]], "X2": [[0, 0], [0, 0]], "Y1": [[1, 0], [0, 1]], "Y2": [[1, 1], [0, 1]]}
END
expect 1 "a Jordan block in alpha Y1^-1 Y2 is refused (exit 1)" -- $G matexp solve --data "$work/jordan.json"
grep -q "repeated eigenvalue" "$work/err"; ok $? "... saying the eigenvalue is repeated"
printf '{"X1": [[1]], "X2": [[2]], "Y1": [["x"]], "Y2": [[1]]}' >"$work/bad.json"
expect 2 "a bad entry is refused (exit 2)" -- $G matexp solve --data "$work/bad.json"
grep -q 'Y1"\[0\]\[0\] is not a number' "$work/err"; ok $? "... naming the entry"
printf '{"X1": [[1]]' >"$work/trunc.json"
expect 2 "a truncated file is refused (exit 2)" -- $G matexp solve --data "$work/trunc.json"
expect 2 "a missing file is refused (exit 2)" -- $G matexp solve --data "$work/none.json"
expect 2 "--alpha 1 is refused (exit 2)" -- $G matexp solve --data "$work/real.json" --alpha 1
expect 2 "solve without --data (exit 2)" -- $G matexp solve
expect 1 "solve with an unwritable --out (exit 1)" -- $G matexp solve --data "$work/real.json" --out "$work/no/such/w.json"

expect 0 "capacity d = 2, L = 3, n = 3 (exit 0)" -- $G matexp capacity --d 2 --layers 3 --n 3 --out "$work/c.json"
grep -q "^exact: rank = 12" "$work/out"; ok $? "... rank 12, the bound met"
expect 0 "capacity --complex --json (exit 0)" -- $G matexp capacity --d 2 --layers 2 --n 3 --complex --seed 9 --json --out "$work/cc.json"
json "$work/out" 'o["rank"] == o["bound"] == 8 and o["met"] is True and o["full_row_rank"] is False'
ok $? "... --json: rank 8 = bound, not full row rank"
expect 0 "verify accepts both certificates" -- $G verify "$work/c.json" "$work/cc.json"
sed 's/"rank": 12/"rank": 11/' "$work/c.json" >"$work/t.json"
expect 1 "verify refuses a certificate with its rank changed (exit 1)" -- $G verify "$work/t.json"
expect 2 "verify --max-precision 64 refuses a 128-bit witness (exit 2, a limit)" -- $G verify --max-precision 64 "$work/c.json"
expect 2 "capacity --d 9 (exit 2)" -- $G matexp capacity --d 9 --layers 2 --n 2
expect 2 "capacity with min(L, n) d^2 = 576 > 512 (exit 2)" -- $G matexp capacity --d 8 --layers 9 --n 9
expect 2 "capacity without --n (exit 2)" -- $G matexp capacity --d 2 --layers 2
expect 1 "capacity with an unwritable --out (exit 1)" -- $G matexp capacity --d 1 --layers 1 --n 1 --out "$work/no/such/c.json"

count=0; fails=0
for f in "$top_srcdir"/certificates/matexp/*.json; do
    count=$((count + 1))
    $G verify --quiet "$f" || fails=$((fails + 1))
done
[ $fails -eq 0 ] && [ $count -gt 0 ]; ok $? "the $count shipped matexp certificates verify"
echo "1..$n"
