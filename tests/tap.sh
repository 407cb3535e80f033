# TAP helpers shared by the shell tests (sourced; they need $work and
# count properties in $n; json needs $PYTHON3).

ok() {   # ok CONDITION-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

skip() {   # skip DESCRIPTION: a property this machine cannot test
    n=$((n + 1))
    echo "ok $n # SKIP $1"
}

# expect STATUS DESCRIPTION -- COMMAND...: exit status and, for 1 and 2,
# exactly one line on stderr starting with "genrank:"
expect() {
    want=$1; desc=$2; shift 3
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    good=0
    [ "$got" -eq "$want" ] || good=1
    if [ "$want" -eq 1 ] || [ "$want" -eq 2 ]; then
        head -n 1 "$work/err" | grep -q '^genrank: ' || good=1
        [ "$(grep -c '^genrank: ' "$work/err")" -eq 1 ] || good=1
    fi
    [ $good -eq 0 ] || { echo "# exit $got (wanted $want): $*"; sed 's/^/#   /' "$work/err"; }
    ok $good "$desc"
}

# json FILE EXPR: evaluates EXPR (Python, the object as o) on a JSON file
json() {
    "$PYTHON3" -c "import json, sys; o = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}
