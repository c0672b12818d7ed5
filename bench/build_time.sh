#!/usr/bin/env bash
# Clean build time (issue #6, item 8): the committed tree (HEAD) exported to a temporary
# directory and built from nothing with the release preset on every core, without ccache.
# Prints one line: wall and CPU seconds.
# Usage: bash bench/build_time.sh [REV]      (default HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
git archive "$rev" | tar -x -C "$dir"
cd "$dir"
export CCACHE_DISABLE=1
cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER= -DCMAKE_C_COMPILER_LAUNCHER= >/dev/null
TIMEFORMAT='%R %U %S'
{ time cmake --build --preset release -j"$(nproc)" >/dev/null 2>"$dir/build.log"; } 2>"$dir/times"
read -r wall user sys <"$dir/times"
printf 'clean build of %s (all targets, release preset, -j%s): %.0f s wall, %.0f s CPU\n' \
  "$(git -C "$OLDPWD" rev-parse --short "$rev")" "$(nproc)" "$wall" \
  "$(awk -v a="$user" -v b="$sys" 'BEGIN{print a+b}')"
