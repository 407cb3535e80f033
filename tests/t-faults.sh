#!/bin/sh
# Faults: kill -9 at random moments of prove, capacity --search and sweep
# (also two sweeps on one file) never leaves a partial certificate, a
# temporary file or a corrupt row; a full disk (simulated with ulimit -f)
# gives one clear error per failure and leaves nothing partial.  Emits TAP.
GENRANK=${GENRANK:-../src/genrank}
case $GENRANK in /*) ;; *) GENRANK=$(pwd)/$GENRANK ;; esac
top_srcdir=${top_srcdir:-..}
work=$(mktemp -d /tmp/genrank-t-faults.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
G=$GENRANK
D=$top_srcdir/data/sklearn
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

# a pseudo-random delay in [0, max) seconds, from a seed
delay() { awk -v s="$1" -v m="$2" 'BEGIN { srand(s); printf "%.3f", rand() * m }'; }
# no temporary file of an atomic write in directory $1
no_temp() { [ -z "$(find "$1" -name '*.tmp.*' 2>/dev/null)" ]; }

# ---- kill -9 during prove: the certificate is whole or absent ----------
bad=0; whole=0
for i in 1 2 3 4 5 6 7 8 9 10; do
    rm -f big.json
    $G prove --family hadamard --m 1500 --d 200 --n 1500 --coeffs 1,1,1 --seed "$i" \
        --out big.json --quiet 2>/dev/null &
    pid=$!
    sleep "$(delay "$i" 1.5)"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    no_temp . || { bad=1; echo "# kill $i left: $(ls)"; }
    if [ -e big.json ]; then
        whole=$((whole + 1))
        $G verify --quiet big.json || { bad=1; echo "# kill $i left an invalid big.json"; }
    fi
done
ok $bad "kill -9 at 10 random moments of prove: no temporary file, and big.json absent or valid ($whole of 10 finished)"

# ---- kill -9 during capacity --search ----------------------------------
bad=0
for i in 1 2 3 4 5 6; do
    rm -f cap.json
    $G capacity --data "$D/iris.csv" --label-column last --dedup --activation tanh --search \
        --seed "$i" --out cap.json --quiet 2>/dev/null &
    pid=$!
    sleep "$(delay "$((i + 50))" 1.0)"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    no_temp . || { bad=1; echo "# kill $i left: $(ls)"; }
    if [ -e cap.json ]; then
        $G verify --quiet cap.json || { bad=1; echo "# kill $i left an invalid cap.json"; }
    fi
done
ok $bad "kill -9 at 6 random moments of capacity --search: no temporary file, cap.json absent or valid"

# ---- a temporary file left by a process that is gone is removed -------
host=$(hostname | tr './' '--')
: >"x.json.tmp.$host.999999999.AbCdEf"
: >"x.json.tmp.$host.$$.AbCdEf"
: >"x.json.tmp.elsewhere.999999999.AbCdEf"
$G prove --m 3 --d 3 --n 9 --out x.json --quiet
[ ! -e "x.json.tmp.$host.999999999.AbCdEf" ] && [ -e "x.json.tmp.$host.$$.AbCdEf" ] \
    && [ -e x.json.tmp.elsewhere.999999999.AbCdEf ]
ok $? "a write removes the temporary file of a process of this host that is gone, not a live one's or another host's"
rm -f x.json.tmp.*

# ---- kill -9 during sweeps, two on one file: every row whole -----------
grid="--m 1..24 --d 1..6 --supports 2 --trials 1 --seed 5"
cases=$((24 * 6 * 7))
bad=0
for i in 1 2 3 4 5 6 7 8; do
    $G sweep $grid --out rows.jsonl --jobs 2 --certs certs 2>/dev/null &
    p1=$!
    sleep 0.2   # the second sweep on the file is refused while the first runs
    $G sweep $grid --out rows.jsonl --jobs 2 2>/dev/null &
    p2=$!
    sleep "$(delay "$((i + 100))" 1.5)"
    kill -9 "$p1" "$p2" 2>/dev/null
    wait "$p1" 2>/dev/null
    wait "$p2" 2>/dev/null
    sleep 0.1   # the workers die with their sweep
    # every line but perhaps a last one cut by the kill is a whole row
    lines=$(wc -l <rows.jsonl 2>/dev/null || echo 0)
    good=$(grep -c '^{"key":.*}$' rows.jsonl 2>/dev/null)
    good=${good:-0}
    [ "$good" -eq "$lines" ] || { bad=1; echo "# kill $i: $good whole rows of $lines lines"; }
done
# A kill in the instant between naming a temporary certificate and the
# rename leaves it behind; the next write in the directory removes those
# of dead processes (genrank_write_atomic in genrank.h), so the check
# follows one.
$G prove --m 3 --d 3 --n 9 --out certs/probe.json --quiet && rm -f certs/probe.json
no_temp certs || { bad=1; echo "# temporary certificates left: $(find certs -name "*.tmp.*" | head -3)"; }
ok $bad "kill -9 of two sweeps on one file at 8 random moments: whole rows only, no temporary certificate after the next write"
$G sweep $grid --out rows.jsonl --jobs 2 2>/dev/null
st=$?
[ $st -eq 0 ] && [ "$(wc -l <rows.jsonl)" -eq $cases ] \
    && [ "$(sed 's/.*"key":"\([^"]*\)".*/\1/' rows.jsonl | sort -u | wc -l)" -eq $cases ]
ok $? "... and resuming finishes with every case once ($cases)"
bad=0; total=$(ls certs | wc -l); step=$((total / 40 + 1)); k=0
for f in certs/*.json; do
    k=$((k + 1))
    [ -e "$f" ] && [ $((k % step)) -eq 0 ] || continue
    $G verify --quiet "$f" 2>/dev/null || { bad=1; echo "# $f does not verify"; }
done
[ "$total" -gt 0 ] || bad=1
ok $bad "... and the certificates the killed sweeps wrote verify (every ${step}th of $total)"

# ---- a full disk: ulimit -f with SIGXFSZ ignored makes writes fail -----
full() {   # full BLOCKS COMMAND...: run with files limited to BLOCKS
    limit=$1; shift
    sh -c 'trap "" XFSZ; ulimit -f "$0"; exec "$@"' "$limit" "$@"
}
full 8 $G prove --m 30 --d 10 --n 300 --out disk.json >/dev/null 2>err.txt
st=$?
[ $st -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "writing 'disk.json' failed: File too large" err.txt \
    && [ ! -e disk.json ] && no_temp .
ok $? "prove on a full disk: exit 1, one message, no certificate and no temporary file"
full 8 $G capacity --data "$D/iris.csv" --label-column last --dedup --activation tanh \
    --out diskcap.json --quiet >/dev/null 2>err.txt
st=$?
[ $st -eq 1 ] && grep -q "failed: File too large" err.txt && [ ! -e diskcap.json ] && no_temp .
ok $? "capacity on a full disk: exit 1, a message, nothing written"
rm -f full.jsonl
full 2 $G sweep --m 1..8 --d 1..4 --supports 2 --out full.jsonl --jobs 2 --certs fullcerts >/dev/null 2>err.txt
st=$?
[ $st -ne 0 ] && grep -q "could not be written" err.txt \
    && [ "$(tail -c 1 full.jsonl | od -An -c | tr -d ' ')" = '\n' ] \
    && [ "$(grep -c '^{"key":.*}$' full.jsonl)" -eq "$(wc -l <full.jsonl)" ] && no_temp fullcerts
ok $? "sweep on a full disk: fails naming each case, whole rows only, no temporary certificate"
cp rows.jsonl before.jsonl
full 4 $G merge rows.jsonl rows.jsonl before.jsonl >/dev/null 2>err.txt
st=$?
[ $st -eq 1 ] && grep -q "File too large" err.txt && cmp -s rows.jsonl before.jsonl && no_temp .
ok $? "merge on a full disk: exit 1, OUT untouched"
full 4 $G report rows.jsonl --csv disk.csv >/dev/null 2>err.txt
st=$?
[ $st -eq 1 ] && grep -q "File too large" err.txt && [ ! -e disk.csv ] && no_temp .
ok $? "report --csv on a full disk: exit 1, nothing written"

echo "1..$n"
