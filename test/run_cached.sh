#!/usr/bin/env bash
# Runs one guest test program twice with translated code kept in a code cache of its
# own: the first run compiles its hot code and stores it, the second links the stored
# code instead (runtime/code_cache.h); both must print what run_guest.sh expects. A
# third run under --stats checks that code came from the cache.
#   run_cached.sh MIPSRUN GUEST_BINARY SOURCE_DIR NAME ENDIAN [MIPSRUN_OPTIONS...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
mipsrun=$1 binary=$2 srcdir=$3 name=$4
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
jit=(--jit=sync --jit-threshold=2 "--code-cache=$cache")
"$here/run_guest.sh" "$@" "${jit[@]}" || { echo "(the run that filled the cache)"; exit 1; }
"$here/run_guest.sh" "$@" "${jit[@]}" || { echo "(the run from the cache)"; exit 1; }
# A program too short to have hot code (three blocks, each run once) stores nothing.
[ -n "$(find "$cache" -type f)" ] || exit 0
args=()
if [ -f "$srcdir/$name.args" ]; then mapfile -t args < "$srcdir/$name.args"; fi
shift 5
stats=$(cd "$cache" && MIPSRUN_TEST=from-the-host "$mipsrun" --stats "$@" "${jit[@]}" "$binary" \
          "${args[@]}" </dev/null 2>&1 >/dev/null)
if ! grep -qE "code cache .*: regions loaded [1-9]" <<<"$stats"; then
  echo "FAIL: nothing came from the code cache:"
  printf '%s\n' "$stats"
  exit 1
fi
