#!/bin/sh
# Installs the Debian packages genrank needs (only those missing), then
# configures and builds it in place.  Used by quickstart.sh and check.sh.
set -e
cd "$(dirname "$0")/.."

pkgs="build-essential autoconf automake libtool pkg-config libgmp-dev libmpfr-dev libflint-dev libflint-arb-dev libjansson-dev nettle-dev liblapack-dev libopenblas-dev python3"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "genrank: installing:$missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --quiet
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
