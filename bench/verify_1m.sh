#!/usr/bin/env bash
# `ctip audit verify` over the 1,000,000-entry log that build-release/bench/ctip_bench builds in
# $CTIP_BENCH_AUDIT_DIR or /tmp/ctip-bench-audit-1m (issue #6: at most 10 s on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${CTIP_BENCH_AUDIT_DIR:-/tmp/ctip-bench-audit-1m}
bin=${CTIP_BINARY:-./build-release/ctip}
if [ ! -d "$dir" ]; then
  ./build-release/bench/ctip_bench --benchmark_filter=BM_AuditInclusionProof1M \
    --benchmark_min_time=0.01 >/dev/null
fi
start=$(date +%s.%N)
out=$("$bin" audit verify --data "$dir")
end=$(date +%s.%N)
printf 'ctip audit verify, %s: %.1f s\n' "$out" "$(awk -v a="$end" -v b="$start" 'BEGIN{print a-b}')"
