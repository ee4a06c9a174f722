#!/usr/bin/env bash
# The README's second command: install the packages, then build and run the whole test
# suite twice: the release build, and the ASan+UBSan build (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
(cd build && ctest --output-on-failure -j"$jobs")

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMIPSRUN_SANITIZE=ON
cmake --build build-asan
(cd build-asan && ctest --output-on-failure -j"$jobs")
