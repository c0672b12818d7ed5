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
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

CTIP = sys.argv[1]
PASSWORD = "ctip-demo-2026"
REQUESTS_PER_CLIENT = 60


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    res = conn.getresponse()
    data = res.read()
    return res.status, res.getheader("Set-Cookie"), data


def psql(url, sql):
    out = subprocess.run(["psql", "-XAt", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def start(url, data, port):
    p = subprocess.Popen([CTIP, "serve", "--store", url, "--data", data, "--port", str(port),
                          "--log-level", "off"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            if request(port, "GET", "/api/v1/health")[0] == 200:
                return p
        except OSError:
            if p.poll() is not None:
                raise SystemExit("server exited: " + p.stderr.read().decode())
            time.sleep(0.05)
    p.kill()
    raise SystemExit("server did not start")


def login(port, user):
    status, cookie, body = request(port, "POST", "/api/v1/session",
                                   {"username": user, "password": PASSWORD})
    assert status == 200, (status, body)
    return {"Cookie": cookie.split(";")[0], "X-CSRF-Token": json.loads(body)["csrf_token"]}


def main():
    server_url = os.environ.get("CTIP_TEST_PG")
    if not server_url:
        raise SystemExit("CTIP_TEST_PG is not set: run through scripts/with-postgres.sh")
    db = f"ctip_two_servers_{os.getpid()}"
    psql(server_url, f"CREATE DATABASE {db}")
    url = server_url.rsplit("/", 1)[0] + "/" + db
    data = tempfile.mkdtemp(prefix="ctip-pg-two-")
    servers = []
    try:
        env = dict(os.environ, CTIP_DEMO_PASSWORD=PASSWORD)
        subprocess.run([CTIP, "demo", "--store", url, "--data", data, "--no-serve"], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        before = int(psql(url, "SELECT count(*) FROM audit_entries"))
        ports = random.sample(range(20000, 40000), 2)
        servers = [start(url, data, p) for p in ports]

        failures = []
        audited = [0]
        failed_logins = [0]
        per_server = {p: 0 for p in ports}
        lock = threading.Lock()

        def client(c):
            port = ports[c % 2]
            auth = login(port, "admin")
            done = 1  # the login
            for i in range(REQUESTS_PER_CLIENT):
                kind = i % 3
                if kind == 0:
                    status, _, body = request(port, "POST", "/api/v1/users",
                                              {"username": f"two.c{c}.{i}",
                                               "password": "a-good-password",
                                               "role": "screener"}, auth)
                    ok = status == 201
                elif kind == 1:
                    status, _, body = request(port, "GET", "/api/v1/users", headers=auth)
                    ok = status == 200
                else:
                    status, _, body = request(port, "POST", "/api/v1/session",
                                              {"username": "admin", "password": "wrong-password"})
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

        for s in servers:
            s.send_signal(signal.SIGTERM)
            assert s.wait(timeout=30) == 0, "server did not exit cleanly"
        servers = []

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
        verify = subprocess.run([CTIP, "audit", "verify", "--store", url, "--data", data],
                                capture_output=True, text=True)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert "note:" not in verify.stdout, verify.stdout
        check = subprocess.run([CTIP, "db", "check", "--store", url], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        print(f"ok: {count} entries numbered 1..{count} under {heads} batch heads, "
              f"{failed_logins[0]} failed logins folded, audit verify passes: "
              + verify.stdout.strip())
    finally:
        for s in servers:
            s.kill()
            s.wait()
        shutil.rmtree(data, ignore_errors=True)
        psql(server_url, f"DROP DATABASE IF EXISTS {db}")


if __name__ == "__main__":
    main()
