#!/bin/sh
# genrank sweep, merge and report: every case once, resume after a kill,
# shards that merge into the same results as one run, certificates that
# verify, and the proved theorems respected.  Emits TAP.
GENRANK=${GENRANK:-../src/genrank}
case $GENRANK in /*) ;; *) GENRANK=$(pwd)/$GENRANK ;; esac
PYTHON3=${PYTHON3:-python3}
top_srcdir=${top_srcdir:-..}
case $top_srcdir in /*) ;; *) top_srcdir=$(pwd)/$top_srcdir ;; esac
work=$(mktemp -d /tmp/genrank-t-sweep.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
G=$GENRANK
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
# the results without timings, sorted: comparable across runs
norm() { sed 's/,"seconds":[0-9.e+-]*//; s/,"certificate":[^,]*//' "$1" | sort; }

grid="--m 1..7 --d 1..4 --supports 2 --trials 2 --seed 9"
cases=$((7 * 4 * 7))
$G sweep $grid --out one.jsonl --jobs 2 --certs certs 2>/dev/null; ok $? "sweep exits 0"
[ "$(wc -l <one.jsonl)" -eq $cases ]; ok $? "one line per case ($cases)"
[ "$(sed 's/.*"key":"\([^"]*\)".*/\1/' one.jsonl | sort -u | wc -l)" -eq $cases ]; ok $? "no case twice"

$G sweep $grid --out one.jsonl --jobs 2 2>err.txt; st=$?
[ $st -eq 0 ] && [ "$(wc -l <one.jsonl)" -eq $cases ] && grep -q "0 cases run, $cases already" err.txt
ok $? "a rerun skips every finished case"

# killed and resumed: stop a run part way, leave a half-written line as a
# kill during a write would, and resume
big="--m 1..30 --d 1..8 --supports 3 --trials 1 --seed 9"
bigcases=$((30 * 8 * 15))
$G sweep $big --out killed.jsonl --jobs 1 2>/dev/null &
pid=$!
i=0
while [ "$(cat killed.jsonl 2>/dev/null | wc -l)" -lt 100 ] && [ $i -lt 400 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
before=$(wc -l <killed.jsonl)
printf '{"key":"khatri-rao|99|99|99|1","family":"khatri' >>killed.jsonl
[ "$before" -lt $bigcases ]; ok $? "the run was killed part way ($before of $bigcases cases)"
$G sweep $big --out killed.jsonl --jobs 2 2>/dev/null; ok $? "the resumed run exits 0"
[ "$(wc -l <killed.jsonl)" -eq $bigcases ] && ! grep -q '|99|99|99|' killed.jsonl
ok $? "after resuming: every case once, the half line gone"
$G sweep $big --out clean.jsonl --jobs 2 2>/dev/null
norm killed.jsonl >a; norm clean.jsonl >b
cmp -s a b; ok $? "killed-and-resumed results equal an uninterrupted run's"

# shards and merge
for s in 1 2 3; do $G sweep $grid --shard $s/3 --out part$s.jsonl --jobs 1 2>/dev/null || echo fail; done
[ $(($(wc -l <part1.jsonl) + $(wc -l <part2.jsonl) + $(wc -l <part3.jsonl))) -eq $cases ]
ok $? "three shards are disjoint and cover the grid"
$G merge merged.jsonl part1.jsonl part2.jsonl part3.jsonl part1.jsonl 2>/dev/null; ok $? "merge exits 0"
norm merged.jsonl >a; norm one.jsonl >b
cmp -s a b; ok $? "merged shards equal the single run (per-case seeds)"
$G merge thrice.jsonl part1.jsonl part1.jsonl part1.jsonl 2>/dev/null
norm thrice.jsonl >a; norm part1.jsonl >b
cmp -s a b; ok $? "a file merged with itself twice more keeps each case once"

# certificates
bad=0; cnt=0
for f in certs/*.json; do cnt=$((cnt + 1)); $G verify --quiet "$f" || bad=$((bad + 1)); done
[ $bad -eq 0 ] && [ $cnt -eq $cases ]; ok $? "all $cnt certificates verify"

# theorems: hadamard reaches Theorem 3.2 everywhere (proved; doc/theory.md
# section 4); khatri-rao monomials are never below without the
# Alexander-Hirschowitz value explaining it
$G sweep --family hadamard $grid --out had.jsonl 2>/dev/null
[ "$(grep -c '"prediction":"holds"' had.jsonl)" -eq $cases ]; ok $? "hadamard: every case reaches Theorem 3.2"
! grep '"prediction":"below"' one.jsonl | grep -q '"support":"[0-9]"'
ok $? "khatri-rao monomials: every shortfall is the Alexander-Hirschowitz value"
grep -q '"key":"khatri-rao|3|4|11|0,1"' one.jsonl && grep '"key":"khatri-rao|3|4|11|0,1"' one.jsonl | grep -q '"certified":9,.*"prediction":"below-explained"'
ok $? "m=3 d=4 phi=x: certified 9, explained"

# report
$G report one.jsonl --md r.md --csv r.csv --svg . --grids; ok $? "report exits 0"
total=$(sed -n '/^| cases/{n;n;p;}' r.md | head -n 1 | cut -d'|' -f2 | tr -d ' ')
[ "$total" = "$cases" ]; ok $? "the summary counts $cases cases"
[ "$(($(wc -l <r.csv) - 1))" -eq $cases ] && head -n 1 r.csv | grep -q '^key,family,m,d,n,support,coeffs,rows,theorem,predicted,ah,certified,gap,prediction,status,exact_by'
ok $? "CSV: header and one row per case"
if command -v "$PYTHON3" >/dev/null 2>&1; then
    "$PYTHON3" -c "import xml.dom.minidom,sys; xml.dom.minidom.parse('khatri-rao.svg')"; ok $? "the SVG is well-formed XML"
else
    n=$((n + 1)); echo "ok $n - # SKIP no python3 to parse the SVG"
fi

# Kruskal ranks in a sweep: never above the rank, certificates verify
$G sweep --m 1..3 --d 1..3 --supports 1 --kruskal --certs kcerts --out kr.jsonl 2>/dev/null; ok $? "sweep --kruskal exits 0"
bad=0
while IFS= read -r line; do
    k=$(echo "$line" | sed -n 's/.*"kruskal":\([0-9]*\).*/\1/p')
    r=$(echo "$line" | sed 's/.*"certified":\([0-9]*\).*/\1/')
    [ -n "$k" ] && [ "$k" -le "$r" ] || bad=$((bad + 1))
done <kr.jsonl
[ $bad -eq 0 ] && [ "$(wc -l <kr.jsonl)" -eq 27 ]; ok $? "every case has a Kruskal rank <= its rank"
bad=0
for f in kcerts/*.json; do $G verify "$f" | grep -q "Kruskal rank >=" || bad=$((bad + 1)); done
[ $bad -eq 0 ]; ok $? "their certificates verify with the Kruskal part"
$G sweep --m 1..3 --d 1..3 --supports 1 --seed 5 --out kr.jsonl 2>/dev/null; [ $? -eq 2 ]
ok $? "resuming with other options (--seed, --kruskal) is refused"

# bad usage
$G sweep --m 0..3 --d 1 --supports 1 --out x.jsonl 2>/dev/null; [ $? -eq 2 ]; ok $? "bad range rejected"
$G sweep --m 1 --d 1 --supports 1 --coeffs 0,1 --out x.jsonl 2>/dev/null; [ $? -eq 2 ]; ok $? "--supports with --coeffs rejected"
echo "not json" >junk.jsonl
$G sweep --m 1 --d 1 --supports 1 --out junk.jsonl 2>/dev/null; [ $? -eq 1 ]; ok $? "a foreign output file is not appended to"
# named activations: Theorems 4.4 / 4.5 (min(rows, n), n = rows + 1)
$G sweep --m 1..3 --d 1..2 --phi "tanh,sigmoid',gelu" --out phi.jsonl --certs phicerts --jobs 2 2>/dev/null
ok $? "sweep --phi runs"
[ "$(grep -c '"prediction":"holds"' phi.jsonl)" -eq 18 ]; ok $? "sweep --phi: 18 cases, each reaching Theorem 4.4/4.5's value"
st=0; for f in phicerts/*.json; do $G verify --quiet "$f" || st=1; done
ok $st "sweep --phi certificates verify"
[ "$(ls phicerts | grep -c "'")" -eq 0 ]; ok $? "certificate names carry no quote (sigmoid' -> dsigmoid)"
$G report phi.jsonl --md phi.md --grids >/dev/null && grep -q "phi = gelu" phi.md; ok $? "report: one table per activation"
$G sweep --m 1 --d 1 --phi relu --out x.jsonl 2>/dev/null; [ $? -eq 2 ]; ok $? "sweep: unknown activation rejected"
$G sweep --m 1 --d 1 --phi tanh --coeffs 0,1 --out x.jsonl 2>/dev/null; [ $? -eq 2 ]; ok $? "--phi with --coeffs rejected"

# one sweep at a time on one file: a second is refused while the first runs
$G sweep --m 1..60 --d 1..12 --supports 3 --trials 1 --out lock.jsonl --jobs 1 2>/dev/null &
pid=$!
i=0
while [ ! -s lock.jsonl ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
$G sweep --m 1..60 --d 1..12 --supports 3 --trials 1 --out lock.jsonl --jobs 1 2>err.txt; st=$?
running=0; kill -0 $pid 2>/dev/null && running=1
wait $pid
[ $running -eq 0 ] || { [ $st -eq 2 ] && grep -q "another sweep is writing" err.txt; }
ok $? "a second sweep on a running sweep's file is refused (exit 2)"
[ "$(wc -l <lock.jsonl)" -eq 10800 ] && [ "$(sed 's/.*"key":"\([^"]*\)".*/\1/' lock.jsonl | sort | uniq -d | wc -l)" -eq 0 ]
ok $? "... and the first writes every case once (10800)"

# merge and report refuse what they cannot read, and leave OUT alone
$G sweep --m 1..2 --d 1 --supports 1 --seed 3 --out s3.jsonl 2>/dev/null
$G sweep --m 1..2 --d 1 --supports 1 --seed 4 --out s4.jsonl 2>/dev/null
echo keep >out.jsonl
$G merge out.jsonl s3.jsonl missing.jsonl 2>err.txt; st=$?
[ $st -eq 2 ] && grep -q "missing.jsonl" err.txt && [ "$(cat out.jsonl)" = keep ]
ok $? "merge: a missing input is an error (exit 2), OUT untouched"
mkdir -p adir
$G merge out.jsonl s3.jsonl adir 2>/dev/null; [ $? -eq 2 ] && [ "$(cat out.jsonl)" = keep ]
ok $? "merge: a directory as input is an error, OUT untouched"
$G merge out.jsonl s3.jsonl s4.jsonl 2>err.txt; st=$?
[ $st -eq 2 ] && grep -q "different options" err.txt && [ "$(cat out.jsonl)" = keep ]
ok $? "merge: shards made with different --seed are refused, OUT untouched"
: >empty.jsonl
$G merge out.jsonl empty.jsonl 2>/dev/null; [ $? -eq 2 ] && [ "$(cat out.jsonl)" = keep ]
ok $? "merge: inputs without results are refused, OUT untouched"
cp s3.jsonl part.jsonl; printf '{"key":"khatri-rao|9|9|9|1","fam' >>part.jsonl
l3=$(wc -l <s3.jsonl)
$G merge out.jsonl part.jsonl 2>err.txt; st=$?
[ $st -eq 0 ] && grep -q "line $((l3 + 1)) is incomplete" err.txt && [ "$(wc -l <out.jsonl)" -eq "$l3" ]
ok $? "merge: an incomplete last line is reported and left out"
$G report adir >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "report: a directory is an error"
$G report empty.jsonl >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "report: a file without results is an error"
$G report missing.jsonl >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "report: a missing file is an error"
$G report part.jsonl >rep.md 2>err.txt; st=$?
[ $st -eq 0 ] && grep -q "line $((l3 + 1)) is incomplete" err.txt; ok $? "report: an incomplete last line is reported"
cat s3.jsonl s3.jsonl >twice.jsonl
$G report twice.jsonl --csv twice.csv >/dev/null 2>&1 && $G report s3.jsonl --csv once.csv >/dev/null 2>&1 \
    && cmp -s twice.csv once.csv
ok $? "report: a case written twice counts once"
# two rows of one (m, d) cell with different n: the SVG draws the worse one
# and the CSV keeps both rows as they are
# (the worse row first: the report once copied it over the other row,
# JSON object and all, which printed it twice and freed it twice)
grep '"key":"khatri-rao|1|1|2|1"' s3.jsonl | sed 's/"n":2,/"n":1,/; s/|1|1|2|1"/|1|1|1|1"/;
    s/"prediction":"holds"/"prediction":"below"/; s/"certified":1,/"certified":0,/; s/"rank":1,/"rank":0,/' >cell.jsonl
grep '"key":"khatri-rao|1|1|2|1"' s3.jsonl >>cell.jsonl
mkdir -p svgc
$G report cell.jsonl --svg svgc --csv cell.csv >/dev/null 2>&1; st=$?
[ $st -eq 0 ] && [ "$(grep -c '<rect x=' svgc/khatri-rao.svg)" -ge 1 ] && [ "$(wc -l <cell.csv)" -eq 3 ] \
    && [ "$(sed -n 2p cell.csv)" != "$(sed -n 3p cell.csv)" ]
ok $? "report --svg: one cell for several n, rows left intact"
sed 's/"m":1,/"m":100000000,/' s3.jsonl >huge.jsonl
mkdir -p svgh
$G report huge.jsonl --svg svgh >/dev/null 2>err.txt; st=$?
[ $st -eq 2 ] && grep -q "m and d in" err.txt && [ ! -s svgh/khatri-rao.svg ]
ok $? "report --svg: a row with a huge m is refused, not drawn"
timeout 60 $G sweep --m 1..100000 --d 1..100000 --supports 4 --out huge-grid.jsonl 2>err.txt; st=$?
[ $st -eq 2 ] && grep -q "split the --m or --d range" err.txt && [ ! -e huge-grid.jsonl ]
ok $? "sweep: a grid of 3e11 cases is refused at once, before it is built"
$G sweep --bogus 2>err.txt; [ $? -eq 2 ] && grep -q "unknown option '--bogus'" err.txt
ok $? "sweep: an unknown option is named"
$G report s3.jsonl --svg svgnew --md svgnew.md >/dev/null 2>&1 && [ -s svgnew/khatri-rao.svg ] && [ -s svgnew.md ]
ok $? "report --svg creates a missing directory and still writes --md"

# networks (sweep --family network): every architecture and object once,
# rows that genrank network reproduces from their seeds, certificates
# that verify, resumption, shards, and the report
ngrid="--family network --depth 1..3 --width 1..2 --d 1..2 --K 1..2 --bias both --seed 5"
ncases=$(((1 + 2 + 4) * 2 * 2 * 2 * 4))
$G sweep $ngrid --out net.jsonl --jobs 2 --certs ncerts 2>/dev/null; ok $? "network sweep exits 0"
[ "$(wc -l <net.jsonl)" -eq $ncases ] && [ "$(sed 's/.*"key":"\([^"]*\)".*/\1/' net.jsonl | sort -u | wc -l)" -eq $ncases ]
ok $? "network sweep: one row per architecture and object ($ncases)"
$G sweep $ngrid --out net.jsonl --jobs 2 2>err.txt && grep -q "0 cases run, $ncases already" err.txt
ok $? "network sweep: a rerun skips every finished case"
for s in 1 2; do $G sweep $ngrid --shard $s/2 --out npart$s.jsonl --jobs 1 2>/dev/null || echo fail; done
$G merge nmerged.jsonl npart1.jsonl npart2.jsonl 2>/dev/null
norm nmerged.jsonl >a; norm net.jsonl >b
cmp -s a b; ok $? "network sweep: merged shards equal the single run"
bad=0; cnt=0
for f in ncerts/*.json; do cnt=$((cnt + 1)); $G verify --quiet "$f" || bad=$((bad + 1)); done
[ $bad -eq 0 ] && [ $cnt -eq $ncases ]; ok $? "network sweep: all $cnt certificates verify"
# each row's point again by genrank network --seed: the same facts, the
# same prediction, a rank as high (several primes there, one here)
"$PYTHON3" -c '
import json, random, sys
rows = [json.loads(x) for x in open("net.jsonl")]
random.seed(int(sys.argv[1]))
for r in random.sample(rows, 12):
    print(",".join(map(str, r["widths"])), "yes" if r["bias"] else "no", r["seed"], r["object"],
          r["rank"], r["predicted"] if r["predicted"] is not None else "null", r["n"])' $(od -An -N2 -tu2 /dev/urandom) >pick.txt
bad=0
while read -r w b seed obj rank pred nn; do
    bf=; [ "$b" = yes ] && bf=--bias
    $G network --widths $w $bf --seed $seed --n $nn --object $obj --json --out one.json >one.out 2>/dev/null
    "$PYTHON3" -c '
import json, sys
o = json.load(open("one.out"))
p = None if sys.argv[2] == "null" else int(sys.argv[2])
sys.exit(not (o["rank"] >= int(sys.argv[1]) and o["predicted"] == p))' $rank $pred || bad=$((bad + 1))
done <pick.txt
[ $bad -eq 0 ]; ok $? "network sweep: 12 random rows reproduced by genrank network --seed ($bad differ)"
mkdir -p nsvg
$G report net.jsonl --md net.md --csv net.csv --svg nsvg 2>/dev/null; st=$?
[ $st -eq 0 ] && grep -q "^## Where each formula holds" net.md && [ "$(wc -l <net.csv)" -eq $((ncases + 1)) ] \
    && "$PYTHON3" -c 'import xml.dom.minidom, sys; xml.dom.minidom.parse(sys.argv[1])' nsvg/network.svg
ok $? "report on network rows: Markdown, a CSV row per case, a well-formed network.svg"
"$PYTHON3" -c '
import csv, json, sys
rows = {json.loads(x)["key"]: json.loads(x) for x in open("net.jsonl")}
got = list(csv.DictReader(open("net.csv")))
sys.exit(not (len(got) == len(rows) and all(int(c["certified"]) == rows[c["key"]]["rank"]
             and c["prediction"] == rows[c["key"]]["prediction"] for c in got)))'
ok $? "report --csv: each network row's rank and verdict as in the JSON"
total=$(grep -c '"prediction":"holds"' net.jsonl)
cells=$(sed -n 's/.*<title>.*: \([0-9]*\) cases, \([0-9]*\) hold.*/\2/p' nsvg/network.svg | awk '{s += $1} END {print s}')
[ "$cells" -eq "$total" ]; ok $? "report --svg: the cells' counts of cases that hold add up to the rows' ($total)"
cp s3.jsonl fam.jsonl
$G sweep --family network --depth 1 --d 1 --K 1 --seed 3 --out fam.jsonl 2>err.txt; st=$?
[ $st -eq 2 ] && grep -q "need separate --out files" err.txt && cmp -s fam.jsonl s3.jsonl
ok $? "a network sweep into a file of family rows is refused, the file untouched"
cat net.jsonl s3.jsonl >mixed.jsonl
$G report mixed.jsonl >/dev/null 2>err.txt; [ $? -eq 2 ] && grep -q "mixes network rows" err.txt
ok $? "report: a file mixing network and family rows is refused"
sed 's/"K":1,/"K":100000000,/' net.jsonl >nhuge.jsonl
mkdir -p nsvgh
$G report nhuge.jsonl --svg nsvgh >/dev/null 2>err.txt; [ $? -eq 2 ] && grep -q "too much to draw" err.txt
ok $? "report --svg: a network row with a huge K is refused, not drawn"
for args in "--family network --d 1 --K 1 --out x.jsonl:needs --depth" \
            "--family network --depth 2 --d 1 --K 1 --out x.jsonl:--width is required" \
            "--family network --depth 9 --width 1 --d 1 --K 1 --out x.jsonl:--depth must be" \
            "--family network --depth 2 --width 1 --d 1 --K 1 --m 2 --out x.jsonl:do not go with" \
            "--family network --depth 2 --width 1 --d 1 --K 1 --activation tanh --out x.jsonl:--activation must" \
            "--family network --depth 2 --width 1 --d 1 --K 1 --object hess --out x.jsonl:--object must" \
            "--family network --depth 2 --width 1 --d 1 --K 1 --bias maybe --out x.jsonl:--bias must" \
            "--m 1 --d 1 --supports 1 --depth 2 --out x.jsonl:go with --family network" \
            "--family network --depth 8 --width 1..1000 --d 1 --K 1 --out x.jsonl:narrow --depth or --width"; do
    a=${args%%:*}; want=${args#*:}
    timeout 60 $G sweep $a 2>err.txt; st=$?
    [ $st -eq 2 ] && grep -q -- "$want" err.txt && [ ! -e x.jsonl ]
    ok $? "sweep $a: refused ($want)"
done
PY=${PYTHON3:-python3}
for py in "$PY" /usr/bin/python3; do
    [ -x "$(command -v "$py")" ] || continue
    "$py" "$top_srcdir/scripts/hessian-atlas.py" net.jsonl >conj.md 2>err.txt; st=$?
    "$PY" -c '
import json, re, sys
rows = [json.loads(x) for x in open("net.jsonl")]
text = open("conj.md").read()
# every regime line: "N cases", and each candidate fits at most N
for m in re.finditer(r"(\d+) cases \(depth", text):
    n = int(m.group(1))
    assert n <= len(rows)
for m in re.finditer(r"Fits (\d+) of (\d+) cases \((\d+) certified above", text):
    assert int(m.group(1)) + int(m.group(3)) <= int(m.group(2))
assert "## Where seed 001 has no formula" in text' ; st2=$?
    [ $st -eq 0 ] && [ $st2 -eq 0 ]; ok $? "scripts/hessian-atlas.py under $py: a conjectures section whose counts are consistent"
done
echo "1..$n"
