#!/usr/bin/env bash
# Runs one guest test program twice with translated code kept in a code cache of its
# own: the first run compiles its hot code and stores it, the second links the stored
# code instead (runtime/code_cache.h); both must print what run_guest.sh expects. A
# cached region that a run links is touched (its file's time is set to now), so a file
# of the first run that is newer than a mark set before the second run shows that code
# came from the cache.
#   run_cached.sh MIPSRUN GUEST_BINARY SOURCE_DIR NAME ENDIAN [MIPSRUN_OPTIONS...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
jit=(--jit=sync --jit-threshold=2 "--code-cache=$cache/code")
"$here/run_guest.sh" "$@" "${jit[@]}" || { echo "(the run that filled the cache)"; exit 1; }
# A program too short to have hot code (three blocks, each run once) stores nothing.
[ -d "$cache/code" ] || exit 0
find "$cache/code" -type f | sort >"$cache/stored"
# Dated back, so that whatever the next run touches is newer than the mark, however
# coarse the file system's clock.
xargs -r touch -d @946684800 <"$cache/stored"  # 2000-01-01
touch -d @978307200 "$cache/started"           # 2001-01-01
"$here/run_guest.sh" "$@" "${jit[@]}" || { echo "(the run from the cache)"; exit 1; }
find "$cache/code" -type f -newer "$cache/started" | sort >"$cache/touched"
if [ -z "$(comm -12 "$cache/stored" "$cache/touched")" ]; then
  echo "FAIL: the second run linked nothing from the code cache"
  exit 1
fi
