#!/bin/sh
# genrank's benchmark: rank with pivots of random n x n matrices modulo a
# prime, genrank's BLAS kernel side by side with FLINT, FFLAS-FFPACK,
# PARI/GP and numpy (floating point), the dgemm rate as the ceiling, then
# genrank prove and verify end to end on a Theorem 4.3 instance.  Writes
# the table into doc/performance.md.  Run from the top of a built tree:
#
#   sh bench/run.sh                 # sizes 1000 2000 4000 8000
#   SIZES="1000 2000" REPS=5 sh bench/run.sh
#   RECORD=1 sh bench/run.sh        # and the 80000 x 80000 record (hours)
#
# Peers are optional: apt-get install fflas-ffpack pari-gp python3-numpy.
# Not part of `make check`.
set -u
cd "$(dirname "$0")/.." || exit 1
SIZES=${SIZES:-"1000 2000 4000 8000"}
REPS=${REPS:-3}
SLOW_REPS=${SLOW_REPS:-1}          # FLINT, PARI, numpy at n >= 8000
P=${P:-1048573}                    # a 20-bit prime, as genrank uses for the kernel
OUT=${OUT:-doc/performance.md}
B=bench/build
mkdir -p "$B"

[ -x src/genrank ] && [ -f src/.libs/libgenrank.so ] || { echo "bench: build genrank first (sh scripts/setup.sh)" >&2; exit 1; }
blas_cflags=$(pkg-config --cflags openblas 2>/dev/null)
blas_libs=$(pkg-config --libs openblas 2>/dev/null || echo -lblas)
cc -O2 -I src $blas_cflags bench/kernel.c -o "$B/kernel" src/.libs/libgenrank.so src/.libs/libgenrank-check.so \
    -Wl,-rpath,"$(pwd)/src/.libs" -lflint -lgmp $blas_libs || exit 1
have_fflas=no
if pkg-config --exists fflas-ffpack 2>/dev/null; then
    c++ -O3 -march=native -DNDEBUG bench/fflas.cpp -o "$B/fflas" \
        $(pkg-config --cflags --libs fflas-ffpack) 2>"$B/fflas.log" && have_fflas=yes
fi
have_gp=no; command -v gp >/dev/null 2>&1 && have_gp=yes
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
have_np=no; $PY -c "import numpy" 2>/dev/null && have_np=yes

median_py() {  # n reps: numpy.linalg.matrix_rank on a random n x n matrix
    $PY - "$1" "$2" "$P" <<'PYEOF'
import sys, time, numpy as np
n, reps, p = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
A = np.random.default_rng(n).integers(0, p, (n, n)).astype(float)
ts = []
for _ in range(reps):
    t = time.perf_counter(); r = np.linalg.matrix_rank(A); ts.append(time.perf_counter() - t)
ts.sort(); print("%.4f %d" % (ts[len(ts) // 2], r))
PYEOF
}
median_gp() {  # n reps: matrank over Z/p
    gp -q -s 12G 2>/dev/null <<GPEOF | tail -n 1
p=$P; n=$1; setrand(n); M=Mod(matrix(n,n,i,j,random(p)),p);
v=vector($2); for(k=1,$2, t=getabstime(); r=matrank(M); v[k]=getabstime()-t);
v=vecsort(v); print(v[floor(($2+1)/2)]/1000., " ", r)
GPEOF
}

rows=""
vrows=""    # the checker's determinant beside the prover's kernel
for n in $SIZES; do
    reps=$REPS; slow=$REPS
    [ "$n" -ge 8000 ] && slow=$SLOW_REPS
    g=$("$B/kernel" genrank "$n" "$P" "$reps"); tg=${g% *}
    d=$("$B/kernel" dgemm "$n" 0 "$reps"); td=${d% *}
    f=$("$B/kernel" flint "$n" "$P" "$slow"); tf=${f% *}
    tff=-; [ $have_fflas = yes ] && { x=$("$B/fflas" "$n" "$P" "$reps"); tff=${x% *}; }
    tgp=-; [ $have_gp = yes ] && { x=$(median_gp "$n" "$slow"); tgp=${x% *}; }
    tnp=-; [ $have_np = yes ] && { x=$(median_py "$n" "$slow"); tnp=${x% *}; }
    v=$("$B/kernel" vdet "$n" "$P" "$reps"); tv=${v% *}
    vrows="$vrows| $n | double, p = $P | $tg | $tv | $(awk -v v="$tv" -v g="$tg" 'BEGIN{printf "%.2f", v / g}') |
"
    row=$(awk -v n="$n" -v g="$tg" -v d="$td" -v f="$tf" -v ff="$tff" -v gp="$tgp" -v np="$tnp" 'BEGIN {
        eff = 100 * d / (3 * g)
        printf "| %d | %.3f | %.0f%% | %.3f | %s | %s | %s | %s |", n, g, eff, d,
            f == "-" ? "-" : sprintf("%.3f (%.1f×)", f, f / g),
            ff == "-" ? "-" : sprintf("%.3f (%.2f×)", ff, ff / g),
            gp == "-" ? "-" : sprintf("%.3f (%.1f×)", gp, gp / g),
            np == "-" ? "-" : sprintf("%.3f (%.1f×)", np, np / g) }')
    echo "$row"
    rows="$rows$row
"
done

med() { echo "$@" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# e2e NAME ARGS...: prove (with ARGS), verify and verify --fast, REPS
# times each; sets NAME_p, NAME_v and NAME_f to the medians
e2e() {
    name=$1; shift
    tp=""; tv=""; tf=""
    for k in $(seq "$REPS"); do
        s=$(date +%s.%N); ./src/genrank prove "$@" --seed $k --out "$B/$name.json" --quiet; e=$(date +%s.%N)
        tp="$tp $(echo "$e - $s" | bc)"
        s=$(date +%s.%N); ./src/genrank verify --quiet "$B/$name.json" || st=1; e=$(date +%s.%N)
        tv="$tv $(echo "$e - $s" | bc)"
        s=$(date +%s.%N); ./src/genrank verify --fast --quiet "$B/$name.json" || st=1; e=$(date +%s.%N)
        tf="$tf $(echo "$e - $s" | bc)"
    done
    eval "${name}_p=$(med $tp) ${name}_v=$(med $tv) ${name}_f=$(med $tf)"
}

# end to end on a Theorem 4.3 instance: khatri-rao m=300 d=20 n=6000, phi = x + x^2 + x^3
E2E=${E2E:-"--m 300 --d 20 --n 6000 --coeffs 0,1,1,1"}
e2e e2e $E2E
mp=$e2e_p; mv=$e2e_v; mf=$e2e_f

# the FLINT path with 62-bit primes: khatri-rao m=100 d=20 n=2000, --method flint
E62=${E62:-"--m 100 --d 20 --n 2000 --coeffs 0,1,1,1"}
e2e e62 $E62 --method flint
mp62=$e62_p; mv62=$e62_v; mf62=$e62_f
kn=$(echo "$E2E" | awk '{print $2 * $4}')
k8=$("$B/kernel" genrank "$kn" "$P" "$REPS"); tk=${k8% *}
dk=$("$B/kernel" dgemm "$kn" 0 "$REPS"); tdk=${dk% *}     # the dgemm bound: 2/3 n^3 at dgemm's rate
echo "prove $mp verify $mv verify --fast $mf kernel($kn) $tk; 62-bit: prove $mp62 verify $mv62 fast $mf62"

# the compact kernel (16-bit residues, primes below 2^16) at sizes where
# the double kernel's 8 bytes per entry get large: the kernel alone on a
# random n x n matrix against the dgemm bound (dgemm's rate taken at the
# largest of SIZES: three n x n doubles would not fit), then prove, verify
# and verify --fast end to end with --method compact and --record-seed on
# khatri-rao md = n, with their peak memory
CSIZES=${CSIZES:-"16000 32000"}
P16=${P16:-65521}
nl=$(echo $SIZES | awk '{print $NF}')
dl=$("$B/kernel" dgemm "$nl" 0 1); tdl=${dl% *}
crows=""
timed() {  # timed OUT CMD...: wall seconds and peak KB of CMD into OUT
    out=$1; shift
    /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null || st=1
    # on failure time writes "Command exited ..." first: keep the numbers
    tail -n 1 "$out" >"$out.1" && mv "$out.1" "$out"
}
for n in $CSIZES; do
    c=$("$B/kernel" compact "$n" "$P16" 1); tc=${c% *}
    v=$("$B/kernel" vdet16 "$n" "$P16" 1); tv=${v% *}
    vrows="$vrows| $n | 16 bits, p = $P16 | $tc | $tv | $(awk -v v="$tv" -v g="$tc" 'BEGIN{printf "%.2f", v / g}') |
"
    md="--family khatri-rao --m $((n / 20)) --d 20 --n $n --coeffs 0,1,1,1 --method compact --record-seed --seed 1"
    timed "$B/cp.t" ./src/genrank prove $md --trials 1 --out "$B/compact-$n.json" --quiet
    timed "$B/cv.t" ./src/genrank verify --quiet "$B/compact-$n.json"
    timed "$B/cf.t" ./src/genrank verify --fast --quiet "$B/compact-$n.json"
    row=$(awk -v n="$n" -v tc="$tc" -v nl="$nl" -v tdl="$tdl" -v cp="$(cat "$B/cp.t")" \
              -v cv="$(cat "$B/cv.t")" -v cf="$(cat "$B/cf.t")" 'BEGIN {
        split(cp, a, " "); split(cv, b, " "); split(cf, f, " ")
        bound = (2.0 / 3.0) * n * n * n / (2.0 * nl * nl * nl / tdl)
        printf "| %d | %.1f | %.0f%% | %.1f (%.1f GB) | %.1f (%.1f GB) | %.2f× prove | %.1f (%.2f GB) |",
            n, tc, 100 * bound / tc, a[1], a[2] / 1048576, b[1], b[2] / 1048576, b[1] / a[1],
            f[1], f[2] / 1048576 }')
    echo "$row"
    crows="$crows$row
"
done

# the record (RECORD=1; about three hours): the paper's instance at
# n = 80000, prove with checkpoints, verify and verify --fast, with
# their peak memory
recrows=""
rec=""
if [ "${RECORD:-0}" = 1 ]; then
    rec="--family khatri-rao --m 1000 --d 80 --n 80000 --coeffs 0,0,0,1 --method compact --record-seed --seed 1 --trials 1"
    rm -f "$B/record.ckpt"      # a stale checkpoint would resume and shorten the time
    timed "$B/rp.t" ./src/genrank prove $rec --checkpoint "$B/record.ckpt" --checkpoint-every 1200 \
        --out "$B/record.json"
    timed "$B/rv.t" ./src/genrank verify --quiet "$B/record.json"
    timed "$B/rf.t" ./src/genrank verify --fast --quiet "$B/record.json"
    recrows=$(awk -v cp="$(cat "$B/rp.t")" -v cv="$(cat "$B/rv.t")" -v cf="$(cat "$B/rf.t")" 'BEGIN {
        split(cp, a, " "); split(cv, b, " "); split(cf, f, " ")
        printf "| 80000 | %.0f (%.1f GB) | %.0f (%.1f GB) | %.2f× prove | %.1f (%.2f GB) |\n",
            a[1], a[2] / 1048576, b[1], b[2] / 1048576, b[1] / a[1], f[1], f[2] / 1048576 }')
    echo "$recrows"
fi

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
ncpu=$(nproc); mem=$(free -g | awk '/^Mem:/ {print $2}')
ob=$(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null || echo unknown)
fl=$(dpkg-query -W -f='${Version}' libflint-dev 2>/dev/null || echo unknown)
ff=$(dpkg-query -W -f='${Version}' fflas-ffpack 2>/dev/null || echo "not installed")
pv=$(dpkg-query -W -f='${Version}' pari-gp 2>/dev/null || echo "not installed")
nv=$($PY -c "import numpy; print(numpy.__version__)" 2>/dev/null || echo "not installed")

tmp=$(mktemp)
{
cat <<HDR
<!-- Generated by bench/run.sh on $(date -u +%Y-%m-%d); rerun it to refresh. -->
# Performance

## Rank with pivots of a random n × n matrix modulo p = $P

Wall-clock seconds, median of $REPS runs (of $SLOW_REPS for FLINT, PARI and
numpy at n ≥ 8000), all measured in one run of \`sh bench/run.sh\` on the
machine below. In brackets: each peer's time as a multiple of genrank's.
"of dgemm" is genrank's rate as a fraction of dgemm's: (2/3·n³ / t_genrank)
/ (2·n³ / t_dgemm).

| n | genrank kernel | of dgemm | dgemm n³ | FLINT nmod_mat_rank | FFLAS-FFPACK Rank | PARI/GP matrank | numpy matrix_rank (float) |
|---|---|---|---|---|---|---|---|
HDR
printf '%s' "$rows"
cat <<MID

genrank, FLINT and FFLAS-FFPACK factor the same matrix; PARI/GP and numpy
factor random matrices of the same size from their own generators (numpy in
double precision, with SVD, so its answer is not exact). FFLAS-FFPACK is
compiled with \`-O3 -march=native -DNDEBUG\`; genrank with its default
\`-O3\`.

## End to end: Theorem 4.3, khatri-rao, $(echo "$E2E" | sed 's/--//g')

| step | seconds (median of $REPS) | ratio |
|---|---|---|
| the dgemm bound: 2/3·n³ operations at dgemm's rate (dgemm n³: $tdk s) | $(awk -v d="$tdk" 'BEGIN{printf "%.3f", d / 3}') | |
| kernel alone on a random ${kn} × ${kn} matrix | $tk | 1 (of the bound: $(awk -v d="$tdk" -v k="$tk" 'BEGIN{printf "%.0f%%", 100 * d / (3 * k)}')) |
| \`genrank prove\` (draw, build, eliminate, write) | $(awk -v x="$mp" 'BEGIN{printf "%.3f", x}') | $(awk -v x="$mp" -v y="$tk" 'BEGIN{printf "%.2f", x / y}') × kernel (of the bound: $(awk -v d="$tdk" -v x="$mp" 'BEGIN{printf "%.0f%%", 100 * d / (3 * x)}')) |
| \`genrank verify\` (parse, rebuild the minor, determinant; a proof) | $(awk -v x="$mv" 'BEGIN{printf "%.3f", x}') | $(awk -v x="$mv" -v y="$mp" 'BEGIN{printf "%.2f", x / y}') × prove |
| \`genrank verify --fast\` (parse, the fast section against the minor's structure; error ≤ 2^-128) | $(awk -v x="$mf" 'BEGIN{printf "%.3f", x}') | $(awk -v x="$mf" -v y="$mp" 'BEGIN{printf "%.2f", x / y}') × prove |

The same with 62-bit primes (the FLINT path: \`--method flint\`), $(echo "$E62" | sed 's/--//g'):

| step | seconds (median of $REPS) | ratio |
|---|---|---|
| \`genrank prove --method flint\` | $(awk -v x="$mp62" 'BEGIN{printf "%.3f", x}') | 1 |
| \`genrank verify\` (FLINT's determinant; a proof) | $(awk -v x="$mv62" 'BEGIN{printf "%.3f", x}') | $(awk -v x="$mv62" -v y="$mp62" 'BEGIN{printf "%.2f", x / y}') × prove |
| \`genrank verify --fast\` (k = 3) | $(awk -v x="$mf62" 'BEGIN{printf "%.3f", x}') | $(awk -v x="$mf62" -v y="$mp62" 'BEGIN{printf "%.2f", x / y}') × prove |

## Machine

- CPU: $cpu, $ncpu cores; memory: ${mem} GiB
- OpenBLAS $ob (pthreads), FLINT $fl, FFLAS-FFPACK $ff, PARI/GP $pv, numpy $nv
- threads: every core for genrank, OpenBLAS and FLINT (their defaults)
MID
cat <<CMP

## The compact kernel: 16-bit residues (\`--method compact\`)

Primes below 2^16 (p = $P16 for the kernel alone), 2 bytes per entry
instead of 8. "of the bound" is the kernel's time against 2/3·n³
operations at dgemm's rate measured at n = $nl (dgemm n³: $tdl s). The
end-to-end rows prove \`khatri-rao --m n/20 --d 20 --n n --coeffs 0,1,1,1
--method compact --record-seed --seed 1\` (one run each), then verify
it (a proof: the witness minor's determinant, in 16 bits too) and verify
it with \`--fast\` (error ≤ 2^-128); seconds and peak memory from
\`/usr/bin/time\`.

| n | kernel alone (s) | of the bound | prove (s, peak) | verify (s, peak) | verify / prove | verify --fast (s, peak) |
|---|---|---|---|---|---|---|
CMP
printf '%s' "$crows"
if [ -n "$recrows" ]; then
    cat <<REC

The record, \`$rec\` (RECORD=1), with its verify and verify --fast:

| n | prove (s, peak) | verify (s, peak) | verify / prove | verify --fast (s, peak) |
|---|---|---|---|---|
$recrows
REC
fi
cat <<VDET

## The checker's determinant beside the prover's kernel

\`genrank verify\` spends its time in its own determinant of the witness
minor (src/check/vblas.c, no code shared with the prover); here it is
timed on the same random n × n matrices as the kernels above (median of
$REPS runs for SIZES, one run for CSIZES).

| n | residues | prover's kernel (s) | checker's determinant (s) | checker / kernel |
|---|---|---|---|---|
VDET
printf '%s' "$vrows"
if [ -f doc/performance-large.md ]; then echo; cat doc/performance-large.md; fi
} >"$tmp"
mv "$tmp" "$OUT"
echo "bench: wrote $OUT"
