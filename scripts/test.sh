#!/usr/bin/env bash
# The README's second command: install the packages, then build and run the whole test
# suite: unit and end-to-end tests in the release build and in the ASan+UBSan build
# (build-asan/), and GCC's C execute tests (about 6,900 runs) and QEMU's linux-user
# tests under the release build in each execution mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
# Translated code that the test runs keep goes into the build tree, not the user's own
# cache (runtime/code_cache.h); ctest sets the same for its tests.
export MIPSRUN_CODE_CACHE="$PWD/build/code-cache"
# A test that hangs fails after this many seconds instead of holding up the rest (the
# slowest, the ASan build's eager runs, take well under a minute).
test_timeout=600

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
(cd build && ctest --output-on-failure --timeout "$test_timeout" -j"$jobs")

# The suite in each execution mode: the default (tiered), the interpreter alone, and
# every block translated before it runs (a sample: eager compiles ~1,000 blocks per
# test). The binaries are built once and reused.
torture() {
  python3 test/torture/run_torture.py --mipsrun build/mipsrun --work build/torture \
    --known-failures test/torture/known_failures.txt --jobs "$jobs" "$@"
}
echo "== GCC torture and gcc.dg execute tests under build/mipsrun (default: tiered)"
torture
echo "== the same under --jit=off"
torture --mipsrun-option=--jit=off
echo "== every 60th of them under --jit=eager"
torture --mipsrun-option=--jit=eager --sample 60

# QEMU's own linux-user tests (tests/tcg/multiarch, tests/tcg/mips) from Debian's qemu
# source package, in each mode.
echo "== QEMU's linux-user tests under build/mipsrun"
python3 test/qemu_tcg/run_qemu_tcg.py --mipsrun build/mipsrun --work build/qemu-tcg --jobs "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMIPSRUN_SANITIZE=ON
cmake --build build-asan
(cd build-asan && ctest --output-on-failure --timeout "$test_timeout" -j"$jobs")
