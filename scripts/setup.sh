#!/bin/sh
# Installs the Debian packages genrank needs (only those missing), then
# configures and builds it in place.  Used by quickstart.sh and check.sh.
set -e
cd "$(dirname "$0")/.."

pkgs="build-essential autoconf automake libtool pkg-config libgmp-dev libmpfr-dev libflint-dev libflint-arb-dev libjansson-dev nettle-dev liblapack-dev libopenblas-dev python3"
# for the Python package's tests, its pictures and the example notebook
# (doc/python.md), installed without their recommendations
py_pkgs="python3-numpy python3-sympy python3-matplotlib python3-nbclient python3-nbformat python3-ipykernel"
missing=""
py_missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
for p in $py_pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || py_missing="$py_missing $p"
done
if [ -n "$missing$py_missing" ]; then
    echo "genrank: installing:$missing$py_missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -q
    [ -z "$missing" ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
    [ -z "$py_missing" ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $py_missing
fi

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --quiet
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
