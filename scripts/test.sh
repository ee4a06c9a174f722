#!/usr/bin/env bash
# The README's second command: install the packages, then build and run the whole test
# suite: unit and end-to-end tests in the release build and in the ASan+UBSan build
# (build-asan/), and GCC's C execute tests (about 6,900 runs) under the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
(cd build && ctest --output-on-failure -j"$jobs")

echo "== GCC torture and gcc.dg execute tests under build/mipsrun"
python3 test/torture/run_torture.py --mipsrun build/mipsrun --work build/torture \
  --known-failures test/torture/known_failures.txt --jobs "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMIPSRUN_SANITIZE=ON
cmake --build build-asan
(cd build-asan && ctest --output-on-failure -j"$jobs")
