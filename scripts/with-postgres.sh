#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL 15 server (Debian postgresql-15):
#   scripts/with-postgres.sh COMMAND [ARGS...]
# initdb in a new temporary directory, a server listening only on a Unix socket in that
# directory (no TCP), fsync off (nothing here must survive a crash), CTIP_TEST_PG exported as
# a postgresql:// URL for the command, and the server stopped and the directory removed when
# the command ends, however it ends. Exits with the command's status.
#
# initdb and postgres refuse to run as root; as root (CI) they run as the `postgres` system
# user that the Debian package creates, in a directory it owns.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "with-postgres.sh: no $PG_BIN/initdb; install postgresql-15 (scripts/install-deps.sh test)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/ctip-pg.XXXXXX)
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

"${as_owner[@]}" "$PG_BIN/initdb" -D "$dir/data" -U ctip --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# listen_addresses='' : Unix socket only. max_connections: several test binaries run at once,
# each with a few pooled connections.
"${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories=$dir -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}

# libpq takes a socket directory as the host, percent-encoded in a URI.
export CTIP_TEST_PG="postgresql://ctip@${dir//\//%2F}/postgres"
export CTIP_TEST_PG_DIR="$dir"
echo "with-postgres.sh: PostgreSQL 15 on socket $dir" >&2
set +e
"$@"
status=$?
set -e
exit $status
