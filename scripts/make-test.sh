#!/usr/bin/env bash
# `make test` (and so CI, .ci/run): the Makefile's test targets, in two lanes.
#
# The tests wait on PostgreSQL, on the servers they start and on Chromium, and leave a core idle
# much of the time. The builds of the sanitizers' unit tests (asan-build) and of the fuzz targets
# (fuzz-build), and clang-tidy (tidy), wait on nothing but the configuration of the ci build. So
# they run one after another in a background lane at idle priority (Linux SCHED_IDLE: they get a
# core only when nothing else wants it, so the tests and the ci build keep their speed and their
# timing), while the foreground lane builds and runs the rest. A foreground step that needs a
# background one (asan-test, fuzz) waits for it. Any failure fails make test: a failing foreground
# step stops the background lane; a failing background step is reported, with its log, when it
# is waited for.
set -euo pipefail
cd "$(dirname "$0")/.."
make=(${MAKE:-make} --no-print-directory)
started=$(date +%s)
# Idle CPU time of the machine (all cores), in seconds, from /proc/stat (idle + iowait ticks):
# the phases print how much of it make test has left unused so far.
idle_seconds() { awk '/^cpu / { print int(($5 + $6) / 100) }' /proc/stat; }
idle_at_start=$(idle_seconds)
phase() {
  echo "make test: $1 ($(($(date +%s) - started)) s since the start," \
    "$(($(idle_seconds) - idle_at_start)) s of idle CPU)"
}
# Runs a step of the foreground lane and prints its wall and CPU time (CPU: of all its processes).
step() {
  local TIMEFORMAT="make test: $1: %0R s, CPU %0U s user + %0S s system"
  shift
  time "$@"
}

step test-deps "${make[@]}" test-deps
cmake --preset ci >/dev/null  # compile_commands.json for tidy

# The background lane. SCHED_IDLE where the kernel allows it, else the lowest nice level.
idle=(chrt --idle 0)
"${idle[@]}" true 2>/dev/null || idle=(nice -n 19)
lane=build/background-lane
rm -rf "$lane" && mkdir -p "$lane"
set -m  # the lane gets its own process group, so that a failure can stop all of it
(
  set +e
  for target in asan-build fuzz-build tidy; do
    TIMEFORMAT="make test: $target (background): %0R s, CPU %0U s user + %0S s system"
    { time "${idle[@]}" "${make[@]}" -o test-deps "$target" TIDY_CONFIGURE=true; } \
      >"$lane/$target.log" 2>&1
    echo $? >"$lane/$target.rc"
  done
) &
lane_pid=$!
set +m
stop_lane() { kill -- -"$lane_pid" 2>/dev/null || true; }
trap stop_lane EXIT
phase "asan-build, fuzz-build and tidy started in the background"

# Waits for a background step, prints its log, and fails make test if the step failed.
await() {
  while [ ! -f "$lane/$1.rc" ] && kill -0 "$lane_pid" 2>/dev/null; do sleep 2; done
  phase "background $1 done"
  cat "$lane/$1.log"
  if [ "$(cat "$lane/$1.rc" 2>/dev/null || echo 1)" != 0 ]; then
    echo "make test: $1 FAILED" >&2
    exit 1
  fi
}

step web+typecheck "${make[@]}" -o test-deps web typecheck
step cpp-build "${make[@]}" -o test-deps cpp-build
phase "ci build done"
step cpp-test "${make[@]}" -o test-deps -o cpp-build cpp-test
step e2e "${make[@]}" -o test-deps -o web -o cpp-build e2e
step openapi-check "${make[@]}" -o test-deps -o cpp-build -o cpp-test -o e2e openapi-check
step node18-check "${make[@]}" -o test-deps -o cpp-build node18-check NODE18_FLAGS=--no-e2e
step format-check "${make[@]}" format-check
phase "tests, browser tests, OpenAPI and Node 18 checks done"
await asan-build
step asan-test "${make[@]}" -o test-deps -o asan-build asan-test
await fuzz-build
step fuzz "${make[@]}" -o test-deps -o fuzz-build fuzz
phase "sanitizers' unit tests and fuzzing done"
await tidy
wait "$lane_pid" || true
trap - EXIT
phase "done"
echo "make test: all suites passed"
