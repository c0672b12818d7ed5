"""Shared helpers for the tests that drive the real `ctip` binary (tests/integration,
tests/security): a store on SQLite or on the PostgreSQL that scripts/with-postgres.sh started,
a server on a free port, JSON requests and logins.

Engine: CTIP_TEST_ENGINE=postgresql (with CTIP_TEST_PG=postgresql://...) gives each Store a
fresh database on that server; anything else gives a SQLite store in the temporary --data dir.
"""
import fcntl
import hashlib
import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time

PASSWORD = "ctip-demo-2026"  # the demo accounts' password (CTIP_DEMO_PASSWORD)


def request(port, method, path, body=None, headers=None, timeout=10, raw=None, source=None):
    """One request; returns (status, Set-Cookie header, body bytes). `raw` sends bytes as is.
    `source` is the client's address (e.g. "127.0.0.2": any 127.x.y.z reaches the loopback
    server), to test what the server does per client address; default 127.0.0.1."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    try:
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        conn.request(method, path, data, h)
        res = conn.getresponse()
        return res.status, res.getheader("Set-Cookie"), res.read()
    finally:
        conn.close()


def psql(url, sql):
    out = subprocess.run(["psql", "-XAt", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_server():
    """The PostgreSQL server URL when the test runs on PostgreSQL, else None."""
    if os.environ.get("CTIP_TEST_ENGINE") != "postgresql":
        return None
    url = os.environ.get("CTIP_TEST_PG")
    if not url:
        raise SystemExit("CTIP_TEST_ENGINE=postgresql needs CTIP_TEST_PG: run through "
                         "scripts/with-postgres.sh")
    return url


class Store:
    """A temporary --data directory and, on PostgreSQL, a fresh database; removed on exit."""

    def __init__(self, ctip, prefix="ctip-test-", pg_url=None):
        self.ctip = ctip
        self.data = tempfile.mkdtemp(prefix=prefix)
        self.pg = pg_url if pg_url is not None else pg_server()
        self.db = None
        if self.pg:
            self.db = f"ctip_t_{os.getpid()}_{int(time.time() * 1000) % 100000000}"
            # FILE_COPY: PostgreSQL 15's default (WAL_LOG) writes every page of the template
            # to the WAL, 1.5x slower here; the test server runs with fsync off.
            psql(self.pg, f"CREATE DATABASE {self.db} STRATEGY FILE_COPY")

    def args(self):
        """The --store/--data arguments every ctip command takes for this store."""
        if not self.db:
            return ["--data", self.data]
        return ["--store", self.pg.rsplit("/", 1)[0] + "/" + self.db, "--data", self.data]

    def run(self, *args, check=True, input=None, env=None):
        """`ctip ARGS... <store args>`; returns the CompletedProcess (text)."""
        e = dict(os.environ, CTIP_DEMO_PASSWORD=PASSWORD)
        e.update(env or {})
        return subprocess.run([self.ctip, *args, *self.args()], check=check, input=input,
                              capture_output=True, text=True, env=e)

    def demo(self, fresh=False):
        """Seeds the demo data. By default the store becomes a copy of one demo store seeded
        per ctip binary, engine and PostgreSQL server (`_demo_template`): seeding took 3-6 s
        of CPU, and some 35 test runs seed one, so the copies share that store's audit signing
        key and log. fresh=True seeds this store itself (`ctip demo`), with a key of its own."""
        if fresh:
            self.run("demo", "--no-serve")
            return self
        data, db = _demo_template(self)
        shutil.copytree(data, self.data, dirs_exist_ok=True)
        if self.db:  # two -c: CREATE DATABASE cannot run inside the transaction of one -c
            subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", self.pg,
                            "-c", f"DROP DATABASE {self.db} WITH (FORCE)",
                            "-c", f"CREATE DATABASE {self.db} TEMPLATE {db} STRATEGY FILE_COPY"],
                           check=True, capture_output=True, text=True)
        return self

    def close(self):
        shutil.rmtree(self.data, ignore_errors=True)
        if self.db:
            psql(self.pg, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _demo_template(store):
    """(data dir, PostgreSQL database or None) of the demo store that Store.demo() copies: seeded
    with `ctip demo` by the first test that asks, under a lock, in the ctip binary's folder
    (test-cache/), named after the binary's size and time, the engine and the server."""
    st = os.stat(store.ctip)
    key = hashlib.sha256(f"{os.path.realpath(store.ctip)} {st.st_size} {st.st_mtime_ns} "
                         f"{store.pg or 'sqlite'}".encode()).hexdigest()[:16]
    cache = os.path.join(os.path.dirname(os.path.realpath(store.ctip)), "test-cache")
    os.makedirs(cache, exist_ok=True)
    data = os.path.join(cache, f"demo-{key}", "data")
    seeded = os.path.join(cache, f"demo-{key}", "seeded")
    db = f"ctip_demo_template_{key}" if store.pg else None
    with open(os.path.join(cache, "demo.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isfile(seeded):
            for old in os.listdir(cache):  # other binaries' and servers' stores, an hour old
                path = os.path.join(cache, old)
                if old.startswith("demo-") and time.time() - os.path.getmtime(path) > 3600:
                    shutil.rmtree(path, ignore_errors=True)
            shutil.rmtree(data, ignore_errors=True)
            os.makedirs(data, mode=0o700)  # as tempfile.mkdtemp makes a Store's
            tmpl = Store.__new__(Store)
            tmpl.ctip, tmpl.data, tmpl.pg, tmpl.db = store.ctip, data, store.pg, db
            if db:
                psql(store.pg, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
                psql(store.pg, f"CREATE DATABASE {db} STRATEGY FILE_COPY")
            tmpl.run("demo", "--no-serve")
            if not db:  # the whole store in ctip.sqlite, none of it in a -wal file
                con = sqlite3.connect(os.path.join(data, "ctip.sqlite"))
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                con.close()
            open(seeded, "w").close()
    return data, db


class Server:
    """`ctip serve` on a free port of 127.0.0.1 for a Store; stopped (SIGKILL) on exit."""

    def __init__(self, store, port=None, extra=(), stderr=subprocess.DEVNULL):
        self.port = port or free_port()
        env = dict(os.environ, CTIP_DEMO_PASSWORD=PASSWORD)
        self.proc = subprocess.Popen(
            [store.ctip, "serve", *store.args(), "--port", str(self.port), "--log-level", "off",
             *extra], stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        for _ in range(200):
            try:
                if request(self.port, "GET", "/api/v1/health")[0] == 200:
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"server exited with {self.proc.returncode}")
                time.sleep(0.05)
        self.proc.kill()
        raise SystemExit("server did not start")

    def request(self, method, path, body=None, headers=None, **kw):
        return request(self.port, method, path, body, headers, **kw)

    def login(self, user, password=PASSWORD, source=None):
        """Signs in (from `source`, see request()); returns the headers (cookie and CSRF token)
        of that session."""
        status, cookie, body = self.request("POST", "/api/v1/session",
                                            {"username": user, "password": password},
                                            source=source)
        assert status == 200, (status, body)
        return {"Cookie": cookie.split(";")[0], "X-CSRF-Token": json.loads(body)["csrf_token"]}

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=None):
        if self.proc.poll() is None:
            if sig is None:
                self.proc.kill()
            else:
                self.proc.send_signal(sig)
        return self.proc.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
