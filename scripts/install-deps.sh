#!/usr/bin/env bash
# Installs what building and testing mipsrun needs on Debian 12, as root (or via sudo).
# Safe to run again: apt-get skips what is already there.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  llvm-16-dev libabsl-dev libffi-dev libgtest-dev libgmock-dev
  libzstd-dev zlib1g-dev libedit-dev libxml2-dev libncurses-dev   # what llvm-16-dev's CMake config expects
  gcc-mips-linux-gnu gcc-mipsel-linux-gnu binutils-mips-linux-gnu
  libc6-dev-mips-cross libc6-dev-mipsel-cross   # only recommended by the compilers
  qemu-user hyperfine
  python3 gcc-12-source   # the GCC torture suite run (test/torture)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
