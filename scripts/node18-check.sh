#!/usr/bin/env bash
# Proves that the front end runs on Node.js 18, the major version Debian 12 ships (nodejs
# 18.19): with the Node 18 binary of npm's `node` package (scripts/node18/, locked), generates
# the API types, type-checks, builds web/ into a temporary folder (web/dist is left alone), and
# runs the browser tests against that build. npm itself is not run under Node 18 (npm 11 needs
# Node 20); the tools are started directly, as `npm run` would start them.
#   scripts/node18-check.sh            typecheck, build and browser tests (needs build/ctip)
#   scripts/node18-check.sh --no-e2e   typecheck and build only
set -euo pipefail
cd "$(dirname "$0")/.."

tools=scripts/node18
if [ ! -x "$tools/node_modules/.bin/node" ] ||
   [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
node18=$(readlink -f "$tools/node_modules/.bin/node")
version=$("$node18" --version)
case "$version" in
  v18.*) ;;
  *) echo "node18-check: expected Node 18 from $tools, got $version" >&2; exit 1 ;;
esac
[ -d web/node_modules ] || { echo "node18-check: run scripts/install-deps.sh test first" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
started=$(date +%s)
(
  cd web
  "$node18" node_modules/openapi-typescript/bin/cli.js ../docs/openapi.yaml -o src/api/schema.d.ts >/dev/null
  "$node18" node_modules/typescript/bin/tsc --noEmit -p .
  "$node18" node_modules/vite/bin/vite.js build --logLevel warn --outDir "$out/dist" --emptyOutDir
)
[ -s "$out/dist/index.html" ] || { echo "node18-check: no index.html built" >&2; exit 1; }
built=$(date +%s)
echo "node18-check: typecheck and build pass on Node $version ($((built - started)) s)"

if [ "${1:-}" != --no-e2e ]; then
  [ -d tests/e2e/node_modules ] || { echo "node18-check: run scripts/install-deps.sh test first" >&2; exit 1; }
  (cd tests/e2e && CTIP_WEB_DIST="$out/dist" "$node18" --test)
  echo "node18-check: browser tests pass on Node $version against its build ($(($(date +%s) - built)) s)"
fi
