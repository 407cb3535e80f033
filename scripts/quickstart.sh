#!/bin/sh
# Quick start: install what is missing, build, prove the default instance
# (khatri-rao, m=6, d=4, n=24, phi = 1 + x + x^2/2) and verify the
# certificate it wrote.
set -e
cd "$(dirname "$0")/.."
sh scripts/setup.sh
./src/genrank prove
./src/genrank verify genrank-khatri-rao-m6-d4-n24-phi1_1_1d2.json
echo
echo "genrank is built as $(pwd)/src/genrank. To type 'genrank' as the README does:"
echo "    export PATH=\"$(pwd)/src:\$PATH\""
echo "or install it with: sudo make install"
