#!/usr/bin/env bash
# End-to-end HTTP benchmark (issues #2, #6): authenticated GET /api/v1/me, store-backed reads, an
# audited personal-data read and an audited write under wrk from loopback. Prints one line per
# endpoint: requests/s and p99 latency.
# Usage: bash bench/run.sh [--store URL|pg] [seconds] [connections]      (after `make build`)
#   --store postgresql://...   the server on that PostgreSQL database (it must be empty or hold
#                              the demo data; the audit key files go to a temporary --data)
#   --store pg                 the same on a throw-away PostgreSQL (scripts/with-postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
store=""
if [ "${1:-}" = --store ]; then
  store=$2
  shift 2
fi
if [ "$store" = pg ]; then
  exec bash scripts/with-postgres.sh bash -c 'exec bash bench/run.sh --store "$CTIP_TEST_PG" "$@"' \
    bench "$@"
fi
secs=${1:-10}
conns=${2:-16}
bin=${CTIP_BINARY:-./build-release/ctip}  # make build; the ci build is ./build/ctip
[ -x "$bin" ] || bin=./build/ctip
[ -x "$bin" ] || { echo "build first: make build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: bash scripts/install-deps.sh bench" >&2; exit 1; }

dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
store_args=(--data "$dir")
if [ -n "$store" ]; then store_args+=(--store "$store"); fi
engine=sqlite
if [ -n "$store" ]; then engine=${store%%:*}; fi
echo "store: $engine" >&2
"$bin" demo "${store_args[@]}" --no-serve >/dev/null
"$bin" serve "${store_args[@]}" --port "$port" --log-level warn >/dev/null 2>"$dir/server.log" &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

login() {  # user -> prints "token csrf"
  local body
  body=$(curl -sf -c "$dir/cookies-$1" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"${CTIP_DEMO_PASSWORD:-ctip-demo-2026}\"}" \
    "http://127.0.0.1:$port/api/v1/session")
  printf '%s %s\n' "$(awk '$6=="ctip_session"{print $7}' "$dir/cookies-$1")" \
    "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$body")"
}

report() {  # name output
  local rps; rps=$(awk '/Requests\/sec/{print $2}' <<<"$2")
  local p99; p99=$(awk '$1=="99%"{print $2}' <<<"$2")
  local non2xx; non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$2")
  printf '%-36s %10s req/s   p99 %8s   non-2xx %s   (%ss, %s connections, 2 wrk threads)\n' \
    "$1" "$rps" "$p99" "${non2xx:-0}" "$secs" "$conns"
}

run() {  # name user path
  local creds; creds=$(login "$2")
  cat >"$dir/auth.lua" <<LUA
wrk.headers["Cookie"] = "ctip_session=${creds% *}"
LUA
  report "$1" "$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/auth.lua" "http://127.0.0.1:$port$3")"
}

# An audited write: each request records an encounter (a new pseudonymous person) and appends
# its audit entry in the same transaction.
run_encounter_post() {  # name user
  local creds; creds=$(login "$2")
  cat >"$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Cookie"] = "ctip_session=${creds% *}"
wrk.headers["X-CSRF-Token"] = "${creds#* }"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local ref = string.format("bench-%d-%d", math.random(1, 1000000000), n)
  return wrk.format(nil, nil, nil,
    '{"person":{"reference":"' .. ref .. '"},"encounter":{"source":"border"}}')
end
LUA
  report "$1" "$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/post.lua" "http://127.0.0.1:$port/api/v1/encounters")"
}

# Warm-up, not reported: the first seconds after start open the store's connections (on
# PostgreSQL a backend process each, statements prepared per connection) and follow the demo
# load; measured without it, GET /api/v1/me on PostgreSQL had a p99 of 0.7 s, with it 3.5 ms.
run "warm-up (not measured)" screener /api/v1/me >/dev/null

# The issue's pair: the session read behind every page, and one store-backed read (the latest
# signed tree head of the audit log, one indexed row).
run "GET /api/v1/me" screener /api/v1/me
run "GET /api/v1/audit/head" auditor /api/v1/audit/head
# Heavier work, for the record: an aggregate over a year of encounters (~100 cells of JSON), a
# read of personal data (its audit entry is group-committed with those of concurrent requests
# before the answer leaves), and a write with its audit entry in the same transaction.
run "GET /api/v1/screenings/coverage" analyst /api/v1/screenings/coverage
run "GET /api/v1/users (audited)" admin /api/v1/users
run_encounter_post "POST /api/v1/encounters (audited)" screener
printf '%-36s %s\n' "server peak memory (VmHWM)" "$(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)"
