"""Shared helpers for the tests that drive the real `ctip` binary (tests/integration,
tests/security): a store on SQLite or on the PostgreSQL that scripts/with-postgres.sh started,
a server on a free port, JSON requests and logins.

Engine: CTIP_TEST_ENGINE=postgresql (with CTIP_TEST_PG=postgresql://...) gives each Store a
fresh database on that server; anything else gives a SQLite store in the temporary --data dir.
"""
import http.client
import json
import os
import shutil
import socket
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
            psql(self.pg, f"CREATE DATABASE {self.db}")

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

    def demo(self):
        self.run("demo", "--no-serve")
        return self

    def close(self):
        shutil.rmtree(self.data, ignore_errors=True)
        if self.db:
            psql(self.pg, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


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
