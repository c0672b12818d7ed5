#!/usr/bin/env bash
# Installs what ctip needs on Debian 12, from Debian's packages and the npm registry only.
# Fast when everything is present: it asks dpkg first and calls apt-get/npm only for what is
# missing or out of date.
#   scripts/install-deps.sh build   compiler, libraries, Node packages of the front end
#   scripts/install-deps.sh test    build + GoogleTest, clang-format, clang-tidy, Chromium, browser-test packages,
#                                   PostgreSQL 15 server, the OpenAPI check's Python modules,
#                                   Node 18 for its build check
#   scripts/install-deps.sh bench   build + Google Benchmark, wrk and GNU time
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}

build_pkgs=(g++ cmake make pkg-config git libsqlite3-dev sqlite3 libpq-dev libsodium-dev libssl-dev nlohmann-json3-dev
            libspdlog-dev libfmt-dev libcli11-dev libcpp-httplib-dev libboost-dev iso-codes zlib1g-dev
            libgtest-dev libgmock-dev libbenchmark-dev python3
            libcairo2-dev libpango1.0-dev fonts-dejavu-core libglpk-dev
            libicu-dev libhyperscan-dev libphonenumber-dev libabsl-dev libjemalloc-dev)
# libcairo2-dev, libpango1.0-dev, fonts-dejavu-core: the screening's PDF summary (Arabic shaped
# by Pango/HarfBuzz, DejaVu Sans embedded); poppler-utils (pdftotext): its tests read it back.
# libglpk-dev: the linear programs of the flows' suppression audit (src/flows/stats).
# libicu-dev (NFKC, case folding, word and emoji breaks), libhyperscan-dev (the indicator
# lexicon in one pass) and libphonenumber (phone numbers to E.164): the online ads (src/online).
# libabsl-dev (Abseil's flat hash tables; libphonenumber-dev depends on it too): the online
# ads' tables of a million ids and selector values.
# libjemalloc-dev: the ctip command's allocator, on transparent huge pages (src/cli/malloc_conf.cpp).
# Debian 12's libphonenumber-dev depends on libboost-thread-dev (Boost 1.74), which conflicts
# with libboost1.81-dev: ctip therefore builds on Debian's default Boost, libboost-dev (1.74),
# so that every package comes from apt as it is.
# postgresql-15: the throw-away server of scripts/with-postgres.sh (tests on PostgreSQL).
# clang-19 and libclang-rt-19-dev (libFuzzer, ASan, UBSan) and ccache: make fuzz.
test_pkgs=(clang-format clang-tidy-19 chromium python3-jsonschema python3-yaml postgresql-15
           clang-19 libclang-rt-19-dev ccache poppler-utils)
bench_pkgs=(wrk time)  # time: /usr/bin/time -v in bench/flows_10m.sh

want=("${build_pkgs[@]}")
case "$mode" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${bench_pkgs[@]}") ;;
  all) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench|all" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from Debian: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The front end builds with Node.js 18 (Debian 12's nodejs) or newer; `make node18-check`
# proves it. Only older ones are refused.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ]; then
  echo "ctip's front end needs Node.js 18 or newer (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# npm ci only when the lockfile changed since the last install.
npm_install() {
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install web
if [ "$mode" = test ] || [ "$mode" = all ]; then
  npm_install tests/e2e
  npm_install scripts/node18  # Node 18 from npm's `node` package, for make node18-check
fi
