#!/bin/sh
# genrank rank on given matrices: the kernel proof and the probabilistic
# bound, prover and checker timed side by side (wall seconds and peak
# memory from /usr/bin/time), on products of random factors of known rank
# made by bench/randmat.c.  Prints a Markdown table for doc/performance.md.
# Run from the top of a built tree:
#
#   sh bench/rank.sh                       # the default cases below
#   CASES="300:300:200:10:kernel" sh bench/rank.sh
#
# A case is ROWS:COLS:RANK:DIGITS:HOW (HOW: kernel or probabilistic).
# Not part of `make check`.
set -u
cd "$(dirname "$0")/.." || exit 1
CASES=${CASES:-"300:300:200:10:kernel 1000:1000:750:20:probabilistic 2000:2000:1500:20:probabilistic"}
B=bench/build
mkdir -p "$B"
[ -x src/genrank ] || { echo "bench: build genrank first" >&2; exit 1; }
cc -O2 bench/randmat.c -o "$B/randmat" -lflint -lgmp || exit 1
echo "| matrix | rank | entries | upper bound | rank (s) | rank memory | verify (s) | verify memory | certificate |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in $CASES; do
    IFS=: read -r r cols k dig how <<EOT
$c
EOT
    m="$B/m-$r-$cols-$k-$dig.mtx"
    [ -f "$m" ] || "$B/randmat" "$r" "$cols" "$k" "$dig" 1 >"$m" || exit 1
    /usr/bin/time -f "%e %M" -o "$B/t1" src/genrank rank "$m" --upper-bound "$how" --quiet \
        --out "$B/cert.json" || exit 1
    /usr/bin/time -f "%e %M" -o "$B/t2" src/genrank verify --quiet "$B/cert.json" || exit 1
    read -r s1 m1 <"$B/t1"
    read -r s2 m2 <"$B/t2"
    size=$(stat -c %s "$B/cert.json")
    status=$(sed -n 's/^  "status": "\(.*\)",$/\1/p' "$B/cert.json")
    printf '| %s × %s | %s | ~%s digits | %s (%s) | %s | %s MB | %s | %s MB | %s MB |\n' "$r" "$cols" "$k" \
        "$dig" "$how" "$status" "$s1" "$((m1 / 1024))" "$s2" "$((m2 / 1024))" "$((size / 1000000))"
done
