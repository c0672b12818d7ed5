#!/usr/bin/env bash
# Runs each libFuzzer target of build-fuzz/fuzz for a bounded time (make fuzz; README.md here):
#   fuzz/run.sh [SECONDS]   default 20 s per target
# Each target starts from its seed corpus fuzz/corpus/<target>/ (read only) and a work corpus in
# build-fuzz/corpus/<target>/ that keeps what earlier runs found. A crash, leak, sanitizer report
# or timeout fails the run; the input is kept in build-fuzz/artifacts/ and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
status=0
for seeds in fuzz/corpus/*/; do
  target=$(basename "$seeds")
  bin=build-fuzz/fuzz/${target}_fuzz
  work=build-fuzz/corpus/$target
  mkdir -p "$work" build-fuzz/artifacts
  log=build-fuzz/$target.log
  # -max_len: room for the nested and long inputs the limits are about (64 levels, 4 KiB keys
  # and strings); -timeout: one input taking a second is a finding (a stall).
  if "$bin" "$work" "$seeds" -max_total_time="$seconds" -print_final_stats=1 -max_len=16384 \
      -timeout=1 -rss_limit_mb=1024 -artifact_prefix="build-fuzz/artifacts/$target-" \
      >"$log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    echo "fuzz: $target: $execs executions in ${seconds} s, $cov coverage points, no finding"
  else
    echo "fuzz: $target FAILED (log $log):" >&2
    grep -E 'ERROR|SUMMARY|_fuzz:|Test unit written|artifact' "$log" | head -20 >&2
    status=1
  fi
done
exit $status
