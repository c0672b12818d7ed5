#!/usr/bin/env bash
# The flows benchmark of issue #9 item 6, end to end on generated CTDC files (bench/gen_ctdc.py):
#   - `ctip flows summary` on the file (target: at least 1,000,000 records/s);
#   - `ctip flows import` into a fresh store (target: at least 200,000 records/s);
#   - every aggregate command over the stored records, each a fresh process that loads the
#     records from the store (target: at most 2 s wall): corridors, domestic by year and by
#     country, categories for each of the five groups, shifts, release --k 11;
#   - the same import and aggregates on a throw-away PostgreSQL (scripts/with-postgres.sh);
#   - the import's peak memory for 1 million and for N records (target: about the same).
# Each step runs under /usr/bin/time -v (wall, user + system CPU, peak RSS); the script prints
# one table row per step, with its target and whether it was met.
#
# Usage (after `make build`, which builds ./build-release/ctip):
#   bash bench/flows_10m.sh                 # 10,000,000 records, SQLite then PostgreSQL
#   bash bench/flows_10m.sh --records 2000000 --no-pg
# Environment: CTIP_BINARY (default ./build-release/ctip), CTIP_BENCH_FLOWS_DIR (where the
# generated files are cached between runs; default /tmp: the 10 M file is 2 GB and takes about
# 90 s of CPU to generate once, with the fixed seed 1, so every run reads the same bytes).
#
# Inner mode, used by the script itself for PostgreSQL:
#   bash bench/flows_10m.sh --store-only URL FILE N    # import FILE (N records) into URL, then
#                                                      # the aggregates; rows only, no header
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CTIP_BINARY:-./build-release/ctip}
[ -x "$bin" ] || { echo "build first: make build (or set CTIP_BINARY)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }
cache=${CTIP_BENCH_FLOWS_DIR:-/tmp}

row() {  # step records wall_s cpu_s rss_mb rate target met
  printf '| %-40s | %10s | %7s | %7s | %7s | %12s | %-12s | %-3s |\n' "$@"
}

# measure STEP RECORDS TARGET_KIND TARGET_VALUE CMD...: runs CMD under time -v, prints a row.
#   TARGET_KIND rate: records/s (wall) must be >= VALUE; wall: wall seconds must be <= VALUE;
#   none: no target.
measure() {
  local step=$1 records=$2 kind=$3 value=$4
  shift 4
  local tv
  tv=$(mktemp)
  if ! /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$tv.err"; then
    echo "FAILED: $*" >&2
    cat "$tv.err" >&2
    rm -f "$tv" "$tv.err"
    exit 1
  fi
  local wall cpu rss rate target met
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$tv")
  cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.2f", u+s}' "$tv")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$tv")
  rate=-
  if [ "$kind" = rate ]; then
    rate=$(awk -v n="$records" -v w="$wall" 'BEGIN{ if (w > 0) printf "%.0f", n/w; else print "-" }')
  fi
  case $kind in
    rate)
      target=">= $value/s"
      met=$(awk -v r="$rate" -v t="$value" 'BEGIN{print (r >= t) ? "yes" : "NO"}')
      ;;
    wall)
      target="<= $value s"
      met=$(awk -v w="$wall" -v t="$value" 'BEGIN{print (w <= t) ? "yes" : "NO"}')
      ;;
    *)
      target="-"
      met="-"
      ;;
  esac
  row "$step" "$records" "$wall" "$cpu" "$rss" "$rate" "$target" "$met"
  last_rss=$rss
  rm -f "$tv" "$tv.err"
}

# store_steps LABEL FILE N STORE_ARGS...: import into the (empty) store, then every aggregate.
store_steps() {
  local label=$1 file=$2 n=$3
  shift 3
  local out
  out=$(mktemp -d)
  measure "import ($label)" "$n" rate 200000 \
    "$bin" flows import --format ctdc --quiet "$@" "$file"
  import_rss=$last_rss
  measure "corridors ($label)" "$n" wall 2 "$bin" flows corridors --json "$@"
  measure "domestic --by year ($label)" "$n" wall 2 "$bin" flows domestic --by year --json "$@"
  measure "domestic --by country ($label)" "$n" wall 2 \
    "$bin" flows domestic --by country --json "$@"
  for g in exploitation labour sexual control recruiter; do
    measure "categories --group $g ($label)" "$n" wall 2 \
      "$bin" flows categories --group "$g" --json "$@"
  done
  measure "shifts ($label)" "$n" wall 2 "$bin" flows shifts --json "$@"
  measure "release --k 11 ($label)" "$n" wall 2 \
    "$bin" flows release --k 11 --out "$out/release.csv" "$@"
  rm -rf "$out"
}

if [ "${1:-}" = --store-only ]; then
  url=$2 file=$3 n=$4
  data=$(mktemp -d)
  store_steps pg "$file" "$n" --data "$data" --store "$url"
  rm -rf "$data"
  exit 0
fi

records=10000000
pg=1
while [ $# -gt 0 ]; do
  case $1 in
    --records) records=$2; shift 2 ;;
    --no-pg) pg=0; shift ;;
    *) echo "usage: $0 [--records N] [--no-pg]" >&2; exit 2 ;;
  esac
done

generate() {  # N -> prints the cached file's path, generating it when missing
  local f="$cache/ctip-bench-ctdc-$1.csv"
  if [ ! -s "$f" ]; then
    echo "generating $f ($1 records) ..." >&2
    python3 bench/gen_ctdc.py "$1" --seed 1 -o "$f.part"
    mv "$f.part" "$f"
  fi
  echo "$f"
}
file=$(generate "$records")
small=$(generate 1000000)

echo "ctip flows benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average:$(uptime | sed 's/.*load average://'), binary $bin"
echo "file: $file ($(du -m "$file" | cut -f1) MB)"
echo
row "step" "records" "wall s" "CPU s" "peak MB" "records/s" "target" "met"
echo "|---|---|---|---|---|---|---|---|"
measure "summary" "$records" rate 1000000 \
  "$bin" flows summary "$file" --format ctdc --json

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
store_steps sqlite "$file" "$records" --data "$data"
big_rss=$import_rss
# Import memory against the file's size: 1 M records into another fresh store.
small_data=$(mktemp -d)
measure "import 1M (sqlite, memory check)" 1000000 rate 200000 \
  "$bin" flows import --format ctdc --quiet --data "$small_data" "$small"
small_rss=$last_rss
rm -rf "$small_data"

if [ "$pg" = 1 ]; then
  bash scripts/with-postgres.sh bash -c \
    'exec bash bench/flows_10m.sh --store-only "$CTIP_TEST_PG" "$@"' bench "$file" "$records"
fi
echo
echo "import peak RSS (sqlite): $small_rss MB for 1,000,000 records, $big_rss MB for $records" \
  "records (target: about the same; ratio $(awk -v a="$big_rss" -v b="$small_rss" \
  'BEGIN{printf "%.2f", a/b}'))"
