#!/bin/sh
# Issue #10's benchmark, end to end: `ctip ads analyze` on the generator's corpus of N ads
# (bench/gen_ads.py, seed S; generated unless it exists), timed as a process with its peak memory
# (GNU time), then scored against the ground truth (bench/ads_eval.py: pairwise precision,
# recall and F1 of the networks, and the check that no phone links two networks unless it is
# reported as too common). The targets for 1,000,000 ads on 2 cores: >= 100,000 ads/s, peak
# memory <= 2 GiB, F1 >= 0.97.
#
# Usage: [RUNS=k] bench/ads_analyze.sh [N=1000000] [S=1] [BUILD=build-release]
#   e.g. cmake --preset release && cmake --build build-release -j2 --target ctip
#        bench/ads_analyze.sh 1000000
set -eu
n=${1:-1000000}
seed=${2:-1}
build=${3:-build-release}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CTIP_ADS_CORPUS_DIR:-/tmp/ctip-ads-$n-$seed}
out=${CTIP_ADS_OUT_DIR:-/tmp/ctip-ads-analyze-$n-$seed}
if [ ! -f "$corpus/ads.csv" ] || [ ! -f "$corpus/truth.csv" ]; then
  python3 "$here/gen_ads.py" --ads "$n" --seed "$seed" --out "$corpus"
fi
# RUNS=k runs it k times (the machine's other load makes single runs vary): each run's time,
# then the median and the best.
runs=${RUNS:-1}
times=$(mktemp)
i=0
while [ "$i" -lt "$runs" ]; do
  rm -rf "$out"
  /usr/bin/time -f "%e %M" -a -o "$times" "$build/ctip" ads analyze --in "$corpus/ads.csv" \
    --out "$out" --quiet
  i=$((i + 1))
done
python3 - "$n" "$times" <<'PY'
import statistics, sys
n = int(sys.argv[1])
runs = [tuple(map(float, line.split())) for line in open(sys.argv[2]) if line.strip()]
for seconds, kib in runs:
    print(f"RESULT ads {n}  wall {seconds:.2f} s  {n / seconds:,.0f} ads/s  "
          f"peak RSS {kib / 1024:,.0f} MiB")
if len(runs) > 1:
    median = statistics.median(s for s, _ in runs)
    best = min(s for s, _ in runs)
    print(f"RESULT {len(runs)} runs  median {median:.2f} s = {n / median:,.0f} ads/s  "
          f"best {best:.2f} s = {n / best:,.0f} ads/s  "
          f"peak RSS at most {max(k for _, k in runs) / 1024:,.0f} MiB")
PY
rm -f "$times"
python3 "$here/ads_eval.py" "$out/ads.csv" "$corpus/truth.csv" "$out/networks.json"
