#!/bin/sh
# One command for the linking benchmark (issue #10): generates a corpus of N ads with ground
# truth (bench/gen_ads.py, seed S) unless it exists, then runs ctip_ads_bench on it, which prints
# ads/s of each stage, peak memory, pairwise precision, recall and F1 of the networks, and the
# false-positive rate of the organised ranking on independent posters (src/online/linking/README.md).
#
# Usage: bench/ads_bench.sh [N=100000] [S=1] [BUILD=build-release]
#   e.g. cmake --preset release && cmake --build build-release -j2 --target ctip_ads_bench
#        bench/ads_bench.sh 1000000
set -eu
n=${1:-100000}
seed=${2:-1}
build=${3:-build-release}
here=$(cd "$(dirname "$0")" && pwd)
dir=${CTIP_ADS_CORPUS_DIR:-/tmp/ctip-ads-$n-$seed}
if [ ! -f "$dir/ads.csv" ] || [ ! -f "$dir/truth.csv" ]; then
  python3 "$here/gen_ads.py" --ads "$n" --seed "$seed" --out "$dir"
fi
exec "$build/src/online/linking/ctip_ads_bench" "$dir/ads.csv" "$dir/truth.csv"
