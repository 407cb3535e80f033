#!/bin/sh
# The one JSON schema (doc/json.md): every command's --json output, and
# every sweep row, has the fields and types the document's tables list
# (tests/json-schema.py reads them); verify with several files reports each
# and exits with the worst status; the status of sweep rows and summaries
# is recomputed from the rows' numbers.  Sizes and seeds are random (the
# base seed is printed).  Emits TAP.
G=${GENRANK:-../src/genrank}
top_srcdir=${top_srcdir:-..}
PYTHON3=${PYTHON3:-python3}
work=$(mktemp -d /tmp/genrank-t-json.XXXXXX)
[ -n "$KEEP" ] || trap 'rm -rf "$work"' EXIT
n=0
. "$top_srcdir/tests/tap.sh"
doc="$top_srcdir/doc/json.md"

if ! command -v "$PYTHON3" >/dev/null 2>&1; then
    echo "1..0 # SKIP no python3 to read the JSON"
    exit 0
fi

base=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
echo "# base seed $base"
# rnd LO HI K: the K-th random integer in [LO, HI] from the base seed
rnd() {
    awk -v s="$base" -v k="$3" -v lo="$1" -v hi="$2" 'BEGIN { srand(s + 7919 * k); print lo + int(rand() * (hi - lo + 1)) }'
}

checked=""
# conform OBJECT FILE DESCRIPTION
conform() {
    "$PYTHON3" "$top_srcdir/tests/json-schema.py" "$doc" "$1" "$2" 2>"$work/why"
    st=$?
    [ $st -eq 0 ] || sed 's/^/# /' "$work/why"
    ok $st "$3: the $1 object of doc/json.md"
    checked="$checked|$1|"
}
# field FILE EXPR: a Python expression on the JSON object o is true
field() {
    "$PYTHON3" -c 'import json, sys; o = json.load(open(sys.argv[1])); sys.exit(not eval(sys.argv[2]))' "$1" "$2"
}

m=$(rnd 2 5 1); d=$(rnd 2 4 2); s=$(rnd 1 100000 3)

# formula: polynomial, named phi, an Alexander-Hirschowitz value, the
# section-4 bound
$G formula --m $m --d $d --n 40 --coeffs 1,0,1 --json >"$work/f1.json"
conform formula "$work/f1.json" "formula m=$m d=$d phi=1+x^2"
$G formula --family hadamard --m $m --d $d --n 30 --phi tanh --json >"$work/f2.json"
conform formula "$work/f2.json" "formula --phi tanh"
$G formula --m 3 --d 4 --n 20 --coeffs 0,1 --json >"$work/f3.json"
conform formula "$work/f3.json" "formula with an exact value (Alexander-Hirschowitz)"
field "$work/f3.json" 'o["corrected"] == 9 and o["predicted"] == 10'; ok $? "... corrected 9, predicted 10"
$G formula --m 3 --d 3 --n 20 --coeffs 1,1 --json >"$work/f4.json"
conform formula "$work/f4.json" "formula with the section-4 bound"

# prove: exact by the theorem, by Alexander-Hirschowitz, by the bound; a
# named phi with the float comparison; Kruskal; a given point (lower bound)
cd "$work" || exit 1
$G prove --m $m --d $d --n 40 --coeffs 1,0,1 --seed $s --json --out p1.json >pj1.json
conform prove pj1.json "prove m=$m d=$d seed $s"
field pj1.json 'o["status"] == ("exact" if o["rank"] == o["predicted"] else "lower bound") and (o["exact_by"] is None) == (o["status"] != "exact")'
ok $? "... status exact exactly when the rank meets the prediction, exact_by set with it"
$G prove --m 3 --d 4 --n 20 --coeffs 0,1 --seed $s --json --out p2.json >pj2.json
conform prove pj2.json "prove below the prediction (Alexander-Hirschowitz)"
field pj2.json 'o["status"] == "exact" and o["rank"] == 9 and "Alexander" in o["exact_by"]'; ok $? "... exact by Alexander-Hirschowitz"
$G prove --m 3 --d 3 --n 20 --coeffs 1,1 --seed $s --trials 2 --json --out p3.json >pj3.json
conform prove pj3.json "prove phi=1+x below the prediction"
field pj3.json 'o["status"] == "exact" and o["rank"] == o["upper_bound"] == 8 and "section 4" in o["exact_by"]'; ok $? "... exact by the section-4 bound"
$G prove --family hadamard --phi tanh --m $m --d 2 --n 12 --seed $s --compare-float --json --out p4.json >pj4.json
conform prove pj4.json "prove --phi tanh --compare-float"
$G prove --family hadamard --m 4 --d 2 --n 6 --coeffs 1,1,1 --kruskal --seed $s --json --out p5.json >pj5.json
conform prove pj5.json "prove --kruskal"
printf '{"A": [[1, 0], [2, 0], [3, 0]], "B": [[1, 1], [2, 1], [0, 1], [1, 5]]}' >pt.json
$G prove --m 3 --d 2 --n 4 --coeffs 0,1 --point pt.json --json --out p6.json >pj6.json
conform prove pj6.json "prove --point at a degenerate point"
field pj6.json 'o["point"] == "given" and o["status"] == "lower bound" and o["exact_by"] is None'; ok $? "... a lower bound there"

# rank: exact by a kernel, by the shape, probabilistic, a lower bound
r=$(rnd 1 4 4)
"$PYTHON3" -c '
import random, sys
random.seed(int(sys.argv[1])); r = int(sys.argv[2])
L = [[random.randint(-9, 9) for _ in range(r)] for _ in range(7)]
R = [[random.randint(-9, 9) for _ in range(6)] for _ in range(r)]
M = [[sum(L[i][k] * R[k][j] for k in range(r)) for j in range(6)] for i in range(7)]
print(__import__("json").dumps(M))' $s $r >mat.json
$G rank mat.json --exact --json --out r1.json >rj1.json
conform rank rj1.json "rank --exact of a 7 x 6 product of rank <= $r"
$G rank mat.json --json --out r2.json >rj2.json
conform rank rj2.json "rank without --exact"
field rj2.json 'o["status"] == "lower bound" and o["exact_by"] is None and o["upper_bound_kind"] is None'; ok $? "... a lower bound"
$G rank mat.json --upper-bound probabilistic --json --out r3.json >rj3.json
conform rank rj3.json "rank --upper-bound probabilistic"
field rj3.json 'o["status"].startswith("exact") and o["upper_bound_kind"] == "probabilistic" and (o["status"] == "exact") == (o["error_bits"] is None)'
ok $? "... exact (a prime above Hadamard's bound) or exact with probability, kind probabilistic"
$G rank "$top_srcdir/data/matrices/hilbert12-25digits.mtx" --exact --json --out r4.json >rj4.json
conform rank rj4.json "rank --exact of the Hilbert matrix (full rank)"

# capacity: certified, refused (a duplicate point), a polynomial
iris="$top_srcdir/data/sklearn/iris.csv"
$G capacity --data "$iris" --label-column last --activation tanh --dedup --seed $s --json --quiet --out c1.json >cj1.json
conform capacity cj1.json "capacity --dedup on Iris"
field cj1.json 'o["rank"] == o["n"] and o["status"] == "exact" and o["necessary_width"] == max(o["necessary_widths"].values())'
ok $? "... rank n, exact, necessary_width the largest of necessary_widths"
$G capacity --data "$iris" --label-column last --activation tanh --json --quiet --out c2.json >cj2.json 2>/dev/null
conform "capacity refused" cj2.json "capacity on Iris's duplicate points"
printf '1,2,0\n3,1,1\n0,2,0\n5,5,1\n2,7,0\n1,1,1\n' >small.csv
$G capacity --data small.csv --label-column last --activation poly --coeffs 0,1,1 --json --quiet --out c3.json >cj3.json 2>/dev/null
conform capacity cj3.json "capacity with a polynomial activation"

# matexp
printf '{"X1": [[1, 2], [0, 1]], "X2": [[0, 1], [1, 3]], "Y1": [[2, 1], [1, 3]], "Y2": [[1, 0], [0, 5]]}' >mx.json
$G matexp solve --data mx.json --json >mj1.json 2>/dev/null
conform "matexp solve" mj1.json "matexp solve"
$G matexp capacity --d 2 --layers 2 --n $(rnd 1 3 5) --seed $s --json --out m2.json >mj2.json
conform "matexp capacity" mj2.json "matexp capacity"

# network: one object and several, and verify of its certificate
$G network --widths 3,$(rnd 2 5 11),2 --n $(rnd 2 6 12) --object jacobian --seed $s --json --out nw1.json >nj1.json
conform network nj1.json "network with one object"
$G network --widths 3,$(rnd 2 5 11),2 --n $(rnd 2 6 12) --object hessian-loss --compare-float --seed $s --json --out nw3.json >nj3.json
conform network nj3.json "network --compare-float"
field nj3.json 'isinstance(o["float_rank"], int) and 0 <= o["float_rank"] <= min(o["shape"]) and o["float_smax"] >= o["float_smin"] >= 0'
ok $? "... float_rank within the matrix's sizes, singular values in order"
$G network --widths 2,3,2 --n 3 --bias --object jacobian,hessian-loss --seed $s --json --out nw2.json >nj2.json
conform "network several" nj2.json "network with two objects"
$G verify nw1.json --json >v-nw1.json
conform "verify network" v-nw1.json "verify of a network certificate"
$G network --widths 2,$(rnd 1 3 13),2 --n 3 --activation tanh --object hessian-loss --compare-float --seed $s --json --out nw4.json >nj4.json
conform network nj4.json "network with a named activation (ball route)"
field nj4.json 'o["route"] == "ball" and o["prime"] is None and o["precision"] >= 64'
ok $? "... route ball, no prime, its precision"
$G verify nw4.json --json >v-nw4.json
conform "verify network" v-nw4.json "verify of a ball-route network certificate"

# verify: each kind, an invalid certificate, several files
for f in p1 p2 p3 p4 p5 p6; do
    $G verify $f.json --json >v-$f.json
    conform "verify rank" v-$f.json "verify $f"
done
field v-p2.json 'o["status"] == "exact" and o["m"] == 3 and o["d"] == 4 and o["n"] == 20 and o["theorem"] == "Theorem 4.2"'
ok $? "verify of a rank certificate: m, d, n, theorem and the status recomputed"
"$PYTHON3" -c '
import json, sys
for k in (1, 2, 3, 4, 5, 6):
    p, v = json.load(open("pj%d.json" % k)), json.load(open("v-p%d.json" % k))
    if (p["status"], p["exact_by"], p["rank"], p["predicted"]) != (v["status"], v["exact_by"], v["rank"], v["predicted"]):
        sys.exit("%d: %r / %r" % (k, p, v))'
ok $? "verify recomputes the status and exact_by that prove printed, for all six"
$G verify r1.json --json >v-r1.json; conform "verify matrix" v-r1.json "verify a rank --exact certificate"
$G verify r3.json --json >v-r3.json; conform "verify matrix" v-r3.json "verify a probabilistic certificate"
field v-r3.json 'o["status"] == json.load(open("rj3.json"))["status"]'; ok $? "... the same status as rank printed"
$G verify c1.json --json >v-c1.json; conform "verify capacity" v-c1.json "verify a capacity certificate"
$G verify m2.json --json >v-m2.json; conform "verify matexp" v-m2.json "verify a matexp certificate"
sed 's/"rank": \([0-9]*\)/"rank": 1\1/' p1.json >bad.json
$G verify bad.json --json >v-bad.json 2>/dev/null
conform "verify invalid" v-bad.json "verify a tampered certificate"

# several files: each reported, in order; the exit status the worst
files="p1.json r1.json c1.json m2.json bad.json none.json"
$G verify $files --json >vs.json 2>/dev/null; vst=$?
conform "verify several" vs.json "verify with six files"
field vs.json '[r["certificate"] for r in o["results"]] == "'"$files"'".split() and [r["valid"] for r in o["results"]] == [True] * 4 + [False] * 2 and o["exit_status"] == 1 and not o["valid"]'
[ $? -eq 0 ] && [ $vst -eq 1 ]; ok $? "... each file in order, exit 1 (an invalid one) over 2 (a missing one)"
k=0
for set in "p1.json r1.json" "none.json p2.json" "p3.json bad.json" "none.json bad.json c1.json" "c1.json none.json"; do
    k=$((k + 1)); want=0
    for f in $set; do
        $G verify --quiet $f 2>/dev/null; one=$?
        if [ $one -eq 1 ] || [ $want -eq 1 ]; then want=1; elif [ $one -gt $want ]; then want=$one; fi
    done
    $G verify --quiet $set 2>/dev/null; got=$?
    $G verify $set >text.out 2>/dev/null
    lines=0
    for f in $set; do grep -q "^$f: valid" text.out && lines=$((lines + 1)); done
    valid=0
    for f in $set; do $G verify --quiet $f 2>/dev/null && valid=$((valid + 1)); done
    [ $got -eq $want ] && [ $lines -eq $valid ]
    ok $? "verify $set: exit $got, the worst of the files one by one ($want); a text line for each valid one"
done

# sweep rows and summaries: status recomputed from the row's numbers
$G sweep --m 1..$m --d 2..$d --supports 2 --seed $s --jobs 2 --out sw.jsonl --json >swj.json 2>/dev/null
conform "sweep row" sw.jsonl "sweep rows (m 1..$m, d 2..$d, supports of {0,1,2})"
conform sweep swj.json "sweep --json"
$G sweep --family hadamard --m 1..2 --d 1..2 --phi tanh --kruskal --seed $s --jobs 1 --out sw2.jsonl --certs certs >/dev/null 2>&1
conform "sweep row" sw2.jsonl "sweep rows with --phi, --kruskal and --certs"
"$PYTHON3" -c '
import json, sys
bad = 0
for path in sys.argv[1:]:
    for line in open(path):
        o = json.loads(line)
        r = o["certified"]
        met = r in (o["predicted"], o["ah"], o["bound"])
        want = "holds" if r >= o["predicted"] else "below-explained" if met else "below"
        bad += (o["status"] != ("exact" if met else "lower bound") or o["prediction"] != want
                or o["rank"] != r or (o["exact_by"] is None) == met)
sys.exit(bad)' sw.jsonl sw2.jsonl
ok $? "every sweep row: status exact exactly when the rank meets the prediction, AH or the bound"
$G sweep --family network --depth 1..3 --width 1..2 --d 1..2 --K 1..2 --bias both \
    --seed $s --jobs 2 --certs ncerts --out nsw.jsonl >/dev/null 2>&1
$G sweep --family network --depth 2 --width 1..2 --d 2 --K 1..2 --activation relu \
    --seed $s --jobs 2 --out nsw.jsonl >/dev/null 2>&1
conform "network sweep row" nsw.jsonl "network sweep rows (linear depth 1..3 with --certs, relu depth 2)"
"$PYTHON3" -c '
import json, sys
bad = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    r, p = o["rank"], o["predicted"]
    want = ("none" if p is None else "holds" if r == p else "above" if r > p
            else "below-explained" if r == o["bound"] else "below")
    bad += (o["prediction"] != want or o["status"] != ("exact" if r == o["bound"] else "lower bound")
            or o["certified"] != r or (o["exact_by"] is None) == (r == o["bound"])
            or o["gap"] != (None if p is None else r - p) or r > o["bound"])
sys.exit(bad)' nsw.jsonl
ok $? "every network sweep row: prediction, status, gap and exact_by recomputed from its numbers"
$G report nsw.jsonl --json >nrep.json; conform report nrep.json "report --json (network rows)"
field nrep.json 'o["families"]["network"]["cases"] == o["cases"] == '"$(wc -l <nsw.jsonl)"
ok $? "report --json counts network rows under families.network"
$G report sw.jsonl --json >rep.json; conform report rep.json "report --json"
"$PYTHON3" -c '
import json, sys
rows = [json.loads(x) for x in open("sw.jsonl")]
o = json.load(open("rep.json"))
st = {"exact": 0, "lower bound": 0}
for r in rows:
    st[r["status"]] += 1
fam = o["families"]["khatri-rao"]
sys.exit(not (o["statuses"] == st == fam["statuses"] and o["cases"] == len(rows)))'
ok $? "report --json counts the rows by status"
$G report sw.jsonl >rep.md
grep -q "^Status: [0-9]* exact" rep.md; ok $? "report's Markdown states the status counts"
$G sweep --m 1..$m --d 2..$d --supports 2 --seed $s --jobs 2 --out sw.jsonl 2>sw.err >/dev/null
grep -q "sw.jsonl: [0-9]* cases: [0-9]* exact, [0-9]* lower bound" sw.err; ok $? "sweep's summary line states the status counts"
$G merge mg.jsonl sw.jsonl --json >mj.json 2>/dev/null; conform merge mj.json "merge --json"
$G merge mg.jsonl sw.jsonl 2>mg.err
grep -q "mg.jsonl: [0-9]* cases: [0-9]* exact" mg.err; ok $? "merge's summary line states the status counts"
# rows written before schema 1 (no schema, the comparison in "status")
# are read as the rows of schema 1 they were made from
"$PYTHON3" -c '
import json, sys
out = open("old.jsonl", "w")
for line in open("sw.jsonl"):
    o = json.loads(line)
    for k in ("schema", "rank", "exact_by"):
        o.pop(k)
    o["status"] = o.pop("prediction")
    out.write(json.dumps(o) + "\n")'
$G merge up.jsonl old.jsonl 2>/dev/null && $G merge new.jsonl sw.jsonl 2>/dev/null
"$PYTHON3" -c '
import json, sys
a = sorted((json.loads(x) for x in open("up.jsonl")), key=lambda o: o["key"])
b = sorted((json.loads(x) for x in open("new.jsonl")), key=lambda o: o["key"])
keys = ("schema", "key", "rank", "prediction", "status", "exact_by", "certified")
sys.exit(not (len(a) == len(b) > 0 and all(all(x[k] == y[k] for k in keys) for x, y in zip(a, b))))'
ok $? "merge brings rows of before schema 1 to schema 1: the same status, prediction, rank and exact_by"

# every object of the document (but the reserved one) was checked
missing=$("$PYTHON3" "$top_srcdir/tests/json-schema.py" "$doc" --list | while IFS= read -r o; do
    case "$o" in *reserved*) continue ;; esac
    case "$checked" in *"|$o|"*) ;; *) echo "$o" ;; esac
done)
[ -z "$missing" ]; ok $? "every object doc/json.md describes is checked${missing:+ (not: $missing)}"

echo "1..$n"
