#!/usr/bin/env bash
# Case management's services at scale (issue #11): referral ranking against 10,000 providers
# (<= 10 ms) and every dashboard over 1 million cases (<= 1 s), on SQLite and on PostgreSQL.
# Builds the release preset's services_bench and runs it on a fresh SQLite store, then on a
# throw-away PostgreSQL 15 server (scripts/with-postgres.sh). Figures: bench/README.md.
#   bash bench/services_bench.sh [--cases N] [--providers N]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build build-release -j2 --target services_bench
BIN=build-release/bench/services_bench
DIR=$(mktemp -d /tmp/ctip-services-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
echo "== SQLite"
"$BIN" --store "sqlite:$DIR" "$@"
echo "== PostgreSQL"
bash scripts/with-postgres.sh bash -c '"$0" --store "$CTIP_TEST_PG" "$@"' "$BIN" "$@"
