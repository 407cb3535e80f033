#!/bin/sh
# The table of doc/matexp.md: for d = 1..DMAX and L = 1..LMAX weight
# matrices, the certified rank of the Jacobian of
# (W_1, ..., W_L) -> (f(X_1), ..., f(X_n)) at n = L and n = L + 1, with
# the certificates written to OUTDIR and checked by genrank verify.
#
#   scripts/matexp-table.sh [OUTDIR] [DMAX] [LMAX]
#
# GENRANK names the program (default ./src/genrank), PYTHON3 a Python 3.
# Rank L d^2 at n = L proves that every n <= L is fit near the point (the
# first n d^2 rows of a matrix of full row rank are independent); n = L + 1
# cannot be, as the rank is at most L d^2 < (L + 1) d^2.
set -e
G=${GENRANK:-./src/genrank}
PY=${PYTHON3:-python3}
out=${1:-matexp-table}
dmax=${2:-4}
lmax=${3:-5}
mkdir -p "$out"
echo "| d | L | rank at n = L (bound L d^2) | rank at n = L + 1 (bound L d^2) | largest n with rank n d^2 | seconds (n = L) |"
echo "|---|---|---|---|---|---|"
d=1
while [ "$d" -le "$dmax" ]; do
    L=1
    while [ "$L" -le "$lmax" ]; do
        n1=$((L + 1))
        $G matexp capacity --d "$d" --layers "$L" --n "$L" --json --out "$out/d$d-l$L-n$L.json" >"$out/a.json"
        $G matexp capacity --d "$d" --layers "$L" --n "$n1" --json --out "$out/d$d-l$L-n$n1.json" >"$out/b.json"
        $G verify --quiet "$out/d$d-l$L-n$L.json" "$out/d$d-l$L-n$n1.json"
        "$PY" - "$out/a.json" "$out/b.json" "$d" "$L" <<'END'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
d, L = int(sys.argv[3]), int(sys.argv[4])
largest = str(L) if a["rank"] == L * d * d else "at least %d (rank %d at n = L)" % (a["rank"] // (d * d), a["rank"])
print("| %d | %d | %d (%d) | %d (%d) | %s | %.2f |" % (d, L, a["rank"], L * d * d, b["rank"],
      b["bound"], largest, a["seconds"]))
END
        L=$((L + 1))
    done
    d=$((d + 1))
done
rm -f "$out/a.json" "$out/b.json"
