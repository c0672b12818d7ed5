#!/usr/bin/env python3
"""Two ctip servers on one PostgreSQL keep one gap-free, fork-free audit log (issue #6, item 5).

Run under scripts/with-postgres.sh, which starts a throw-away PostgreSQL and exports
CTIP_TEST_PG. Creates a fresh database on it, loads the demo data, starts two
`ctip serve --store postgresql://...` sharing one --data directory (the audit signing key and
head file), and has six clients (three per server) make audited writes (users created),
audited reads of personal data (the users list) and failed logins at the same time. Every
request must succeed; afterwards `ctip audit verify` must pass, the entries must be numbered
1..N without a gap, there must be exactly one signed head per tree size, and the log must hold
at least one entry per audited request.
"""
import os
import signal
import subprocess
import sys
import threading
import time

from ctip_harness import Server, Store, psql, request

CTIP = sys.argv[1]
REQUESTS_PER_CLIENT = 60


def main():
    server_url = os.environ.get("CTIP_TEST_PG")
    if not server_url:
        raise SystemExit("CTIP_TEST_PG is not set: run through scripts/with-postgres.sh")
    with Store(CTIP, prefix="ctip-pg-two-", pg_url=server_url) as store:
        store.demo()
        url = store.args()[1]
        before = int(psql(url, "SELECT count(*) FROM audit_entries"))
        # One of them runs the store's jobs; the other is started with --no-jobs. The six
        # clients are all admin: more sessions than the default five per user.
        many = ("--sessions-per-user", "12")
        servers = [Server(store, extra=many), Server(store, extra=many + ("--no-jobs",))]
        try:
            run_clients_and_check(store, url, before, servers)
        finally:
            for sv in servers:
                sv.stop()


def run_clients_and_check(store, url, before, servers):
    ports = [sv.port for sv in servers]

    failures = []
    audited = [0]
    failed_logins = [0]
    per_server = {p: 0 for p in ports}
    lock = threading.Lock()

    def client(c):
        port = ports[c % 2]
        auth = servers[c % 2].login("admin")
        done = 1  # the login
        for i in range(REQUESTS_PER_CLIENT):
            kind = i % 3
            if kind == 0:
                status, _, body = request(port, "POST", "/api/v1/users",
                                          {"username": f"two.c{c}.{i}",
                                           "password": "a-good-password",
                                           "role": "screener"}, auth, timeout=30)
                ok = status == 201
            elif kind == 1:
                status, _, body = request(port, "GET", "/api/v1/users", headers=auth,
                                          timeout=30)
                ok = status == 200
            else:
                status, _, body = request(port, "POST", "/api/v1/session",
                                          {"username": "admin", "password": "wrong-password"}, timeout=30)
                ok = status in (401, 429)
                if ok:
                    with lock:
                        failed_logins[0] += 1
                    continue
            if not ok:
                with lock:
                    failures.append((port, i, status, body[:200]))
            else:
                done += 1
        with lock:
            audited[0] += done
            per_server[port] += done

    threads = [threading.Thread(target=client, args=(c,)) for c in range(6)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert not failures, f"{len(failures)} requests failed, e.g. {failures[:3]}"
    assert all(n > 0 for n in per_server.values()), per_server
    print(f"{audited[0]} audited requests over two servers in {elapsed:.1f}s: {per_server}")

    for sv in servers:
        assert sv.stop(signal.SIGTERM) == 0, "server did not exit cleanly"

    count, low, high = psql(
        url, "SELECT count(*), min(seq), max(seq) FROM audit_entries").split("|")
    count, low, high = int(count), int(low), int(high)
    assert low == 1 and high == count, f"gap in the log: {count} entries, seq {low}..{high}"
    # Successful requests each have their own entry; failed logins are folded per source
    # and window (AuditLog::record_failure: the first at once, the rest counted in
    # `occurrences` of one entry per window).
    failure = "action = 'session.login' AND outcome <> 'success'"
    one_each = int(psql(url, "SELECT count(*) FROM audit_entries WHERE seq > "
                        f"{before} AND NOT ({failure})"))
    assert one_each >= audited[0], (
        f"{audited[0]} audited requests but only {one_each} new entries")
    folded = int(psql(url, "SELECT COALESCE(sum(COALESCE(occurrences, 1)), 0) FROM "
                      f"audit_entries WHERE seq > {before} AND {failure}"))
    assert folded == failed_logins[0], (
        f"{failed_logins[0]} failed logins but {folded} counted in folded entries")
    # One head per batch: no two heads for one size (a fork), each head continuing the one
    # before it (previous_size), the last covering every entry.
    heads, distinct, top = psql(
        url, "SELECT count(*), count(DISTINCT tree_size), max(tree_size) "
             "FROM audit_tree_heads").split("|")
    assert int(heads) == int(distinct) and int(top) == count, (
        f"{heads} heads for {count} entries ({distinct} sizes, top {top}): a fork or a gap")
    broken = int(psql(url, "SELECT count(*) FROM (SELECT tree_size, previous_size, "
                      "lag(tree_size, 1, 0::bigint) OVER (ORDER BY tree_size) AS prev "
                      "FROM audit_tree_heads) h WHERE previous_size <> prev"))
    assert broken == 0, f"{broken} heads do not continue the head before them"
    verify = store.run("audit", "verify", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "note:" not in verify.stdout, verify.stdout
    check = subprocess.run([CTIP, "db", "check", "--store", url], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    print(f"ok: {count} entries numbered 1..{count} under {heads} batch heads, "
          f"{failed_logins[0]} failed logins folded, audit verify passes: "
          + verify.stdout.strip())


if __name__ == "__main__":
    main()
