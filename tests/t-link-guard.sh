#!/bin/sh
# The checker never links the prover: no object of src/check/ or of the
# src/core/ it is built with may refer to a symbol that an object of
# src/families/, src/kernels/, src/prove/, src/cert/ or src/cli/ defines,
# and libgenrank-check does not depend on libgenrank.  Read from nm of
# the built objects, as lrat-check's independence is a fact of its build.
b=${top_builddir:-.}
NM=$(echo "${NM:-nm}" | awk '{print $1}')   # libtool's NM may carry -B
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else notok "$2"; fi; }

objects() { for r in "$@"; do find "$b/src/$r" -name '*.o'; done | sort; }
# global symbols an object set defines / refers to, one per line
defined() { objects "$@" | xargs "$NM" -P -g --defined-only 2>/dev/null | awk 'NF >= 2 && $2 != "U" {print $1}' | sort -u; }
undefined() { objects "$@" | xargs "$NM" -P -u 2>/dev/null | awk 'NF >= 2 {print $1}' | sort -u; }

echo "1..7"
for r in core check families kernels prove cert cli; do
    objects "$r" > "$tmp/$r.list"
done
all=yes
for r in core check families kernels prove cert cli; do
    [ -s "$tmp/$r.list" ] || { all=no; echo "# no objects in src/$r (build first)"; }
done
check '[ $all = yes ]' "every room has built objects"

undefined check core > "$tmp/checker.u"
defined families kernels prove cert cli > "$tmp/prover.d"
comm -12 "$tmp/checker.u" "$tmp/prover.d" > "$tmp/leak"
check '[ ! -s "$tmp/leak" ]' "the checker's objects refer to no symbol of families/, kernels/, prove/, cert/ or cli/"
sed 's/^/#   leak: /' "$tmp/leak"

# the guard sees references: the prover refers to core symbols, and the
# checker's own symbols are referred to within check/
undefined families kernels prove cert > "$tmp/prover.u"
defined core > "$tmp/core.d"
check '[ -n "$(comm -12 "$tmp/prover.u" "$tmp/core.d")" ]' "the guard sees the prover's references into core/ (it is not vacuous)"
defined check > "$tmp/check.d"
check 'grep -qx genrank_verify_file "$tmp/check.d" && grep -qx _genrank_minor_det_mod "$tmp/check.d"' \
    "the checker's objects define genrank_verify_file and the generic minor routine"
check '! grep -qx genrank_verify_file "$tmp/prover.d" && ! grep -qx genrank_formula "$tmp/prover.d"' \
    "no prover object defines a checker or core symbol"

so=$(find "$b/src/.libs" -name 'libgenrank-check.so*' -type f 2>/dev/null | head -n 1)
check '[ -n "$so" ]' "libgenrank-check is a shared library of its own"
if [ -n "$so" ] && command -v objdump >/dev/null 2>&1; then
    check '! objdump -p "$so" | grep NEEDED | grep -q "libgenrank\.so"' "libgenrank-check does not depend on libgenrank"
else
    notok "libgenrank-check does not depend on libgenrank (objdump or the library missing)"
fi
[ $fails -eq 0 ]
