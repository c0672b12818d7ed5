#!/usr/bin/env python3
"""SIGKILL during writes loses no committed data and never corrupts the store; SIGTERM shuts
down cleanly (issue #2).

Starts the real `ctip serve`, has four clients create records as fast as they can, kills the
server with SIGKILL mid-stream, then reopens the store: every write the server acknowledged
(2xx) must be there, `ctip db check` and `ctip audit verify` must pass. Repeated three times on
the same store, so recovery after a kill is exercised too. ctest runs it on SQLite and (label
pg) on PostgreSQL.
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


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    res = conn.getresponse()
    data = res.read()
    return res.status, res.getheader("Set-Cookie"), data


# With CTIP_TEST_ENGINE=postgresql, the same test on a fresh database on the server
# CTIP_TEST_PG names (scripts/with-postgres.sh): --store names it, --data keeps the audit key
# files.
PG_SERVER = None
if os.environ.get("CTIP_TEST_ENGINE") == "postgresql":
    PG_SERVER = os.environ.get("CTIP_TEST_PG")
    if not PG_SERVER:
        raise SystemExit("CTIP_TEST_ENGINE=postgresql needs CTIP_TEST_PG: run through "
                         "scripts/with-postgres.sh")
PG_DB = f"ctip_kill_{os.getpid()}"


def psql(url, sql):
    subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True)


def store(data):
    if not PG_SERVER:
        return ["--data", data]
    return ["--store", PG_SERVER.rsplit("/", 1)[0] + "/" + PG_DB, "--data", data]


def start(data, port):
    env = dict(os.environ, CTIP_DEMO_PASSWORD=PASSWORD)
    p = subprocess.Popen([CTIP, "serve", *store(data), "--port", str(port), "--log-level", "off"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(100):
        try:
            if request(port, "GET", "/api/v1/health")[0] == 200:
                return p
        except OSError:
            time.sleep(0.05)
    p.kill()
    raise SystemExit("server did not start")


def login(port, user):
    status, cookie, body = request(port, "POST", "/api/v1/session",
                                   {"username": user, "password": PASSWORD})
    assert status == 200, (status, body)
    return {"Cookie": cookie.split(";")[0], "X-CSRF-Token": json.loads(body)["csrf_token"]}


def main():
    data = tempfile.mkdtemp(prefix="ctip-kill-")
    if PG_SERVER:
        psql(PG_SERVER, f"CREATE DATABASE {PG_DB}")
    try:
        env = dict(os.environ, CTIP_DEMO_PASSWORD=PASSWORD)
        subprocess.run([CTIP, "demo", *store(data), "--no-serve"], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        acknowledged = []
        lock = threading.Lock()
        for round_ in range(3):
            port = random.randint(20000, 40000)
            server = start(data, port)
            auth = login(port, "admin")
            stop = threading.Event()

            def writer(w):
                i = 0
                while not stop.is_set():
                    name = f"kill.r{round_}.w{w}.{i}"
                    i += 1
                    try:
                        status, _, _ = request(port, "POST", "/api/v1/users",
                                               {"username": name, "password": "a-good-password",
                                                "role": "screener"}, auth)
                    except OSError:
                        return  # the server is gone
                    if status == 201:
                        with lock:
                            acknowledged.append(name)

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
            for t in threads:
                t.start()
            time.sleep(1.5 + random.random())
            server.send_signal(signal.SIGKILL)
            server.wait()
            stop.set()
            for t in threads:
                t.join()
            print(f"round {round_}: killed after {len(acknowledged)} acknowledged writes in all")

        listed = subprocess.run([CTIP, "users", "list", *store(data), "--json"], check=True,
                                capture_output=True, text=True).stdout
        present = {u["username"] for u in json.loads(listed)}
        lost = [n for n in acknowledged if n not in present]
        assert acknowledged, "no write was acknowledged: the test proved nothing"
        assert not lost, f"{len(lost)} acknowledged writes lost, e.g. {lost[:3]}"
        check = subprocess.run([CTIP, "db", "check", *store(data)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        verify = subprocess.run([CTIP, "audit", "verify", *store(data)], capture_output=True,
                                text=True)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        print(f"ok: {len(acknowledged)} acknowledged writes all present; store and audit log intact")

        # SIGTERM is a graceful shutdown: the server stops accepting, finishes, exits 0.
        port = random.randint(20000, 40000)
        server = start(data, port)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0, "server did not exit cleanly on SIGTERM"
        print("ok: SIGTERM shuts the server down cleanly")
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if PG_SERVER:
            psql(PG_SERVER, f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
