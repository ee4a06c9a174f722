#!/usr/bin/env bash
# The README's first command: install the packages, build mipsrun into build/, and run
# the bundled sample program in both byte orders.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
echo
echo "== build/mipsrun build/guest/be/hello (big-endian MIPS32, static)"
build/mipsrun build/guest/be/hello
echo "== build/mipsrun build/guest/le/hello (little-endian MIPS32, static)"
build/mipsrun build/guest/le/hello
