#!/bin/sh
# The Python package (python/genrank, doc/python.md) under each Python
# interpreter there is: /usr/bin/python3 (Debian's, with its packages) and
# the python3 on PATH when that is another one.  tests/t-python.py does the
# work; this script numbers its TAP lines, checks that a plain
# `PYTHONPATH=python` import finds the program of the build tree, and runs
# the example notebook where Debian's nbclient is installed.  Emits TAP.
GENRANK=${GENRANK:-../src/genrank}
case $GENRANK in /*) ;; *) GENRANK=$(pwd)/$GENRANK ;; esac
top_srcdir=${top_srcdir:-..}
top_builddir=${top_builddir:-..}
work=$(mktemp -d /tmp/genrank-t-python.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0
unset GENRANK_PROGRAM
export PYTHONDONTWRITEBYTECODE=1

ok() {   # ok CONDITION-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
skip() {
    n=$((n + 1)); echo "ok $n # SKIP $1"
}

pys=""
[ -x /usr/bin/python3 ] && pys=/usr/bin/python3
other=$(command -v python3 2>/dev/null)
if [ -n "$other" ] && [ "$other" != /usr/bin/python3 ]; then
    pys="$pys $other"
elif [ -z "$other" ]; then
    skip "no python3 on PATH"
fi
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"

for py in $pys; do
    # the check of doc/python.md: from the build tree, nothing else set
    got=$(cd "$top_builddir" && PYTHONPATH=python "$py" -c "import genrank; print(genrank.prove(family='khatri-rao', m=3, d=4, n=20, coeffs=[0,1], seed=2).rank)" 2>"$work/err")
    [ "$got" = 9 ] || sed 's/^/# /' "$work/err"
    [ "$got" = 9 ]; ok $? "$py: PYTHONPATH=python import genrank; prove(m=3, d=4, phi=x).rank prints 9"
    mkdir -p "$work/t"
    PYTHONPATH="$top_builddir/python" "$py" "$top_srcdir/tests/t-python.py" "$GENRANK" "$top_srcdir" "$work/t" \
        >"$work/out" 2>"$work/err"
    st=$?
    while IFS= read -r line; do
        case $line in
            "ok - "*) n=$((n + 1)); echo "ok $n - $py: ${line#ok - }" ;;
            "not ok - "*) n=$((n + 1)); echo "not ok $n - $py: ${line#not ok - }" ;;
            *) echo "$line" ;;
        esac
    done <"$work/out"
    [ -s "$work/err" ] && sed 's/^/# stderr: /' "$work/err"
    ok $st "$py: tests/t-python.py ran to the end"
    rm -rf "$work/t"
done

# the example notebook, top to bottom, in Debian's Jupyter
if /usr/bin/python3 -c 'import nbclient, nbformat, ipykernel' 2>/dev/null; then
    mkdir -p "$work/nb"
    PYTHONPATH="$top_builddir/python" /usr/bin/python3 "$top_srcdir/tests/run-notebook.py" \
        "$top_srcdir/doc/examples/genrank.ipynb" "$work/nb" >"$work/nbout" 2>&1
    st=$?
    sed 's/^/# /' "$work/nbout"
    ok $st "doc/examples/genrank.ipynb runs top to bottom without an error"
else
    skip "doc/examples/genrank.ipynb not run: Debian's python3-nbclient, python3-nbformat and python3-ipykernel are not installed (scripts/setup.sh installs them)"
fi
echo "1..$n"
