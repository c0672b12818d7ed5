#!/usr/bin/env python3
"""The CLI goes through the capabilities' services (docs/architecture.md): `ctip screen coverage`
is audited under the API's action, `ctip users` audits each change, `ctip api routes` lists every
route and `ctip api meta` the enumerations, and bad input still exits 2 naming the field."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

CTIP = sys.argv[1]


def ctip(*args, stdin=None):
    return subprocess.run([CTIP, *args], capture_output=True, text=True, input=stdin)


def last_audit(data):
    db = sqlite3.connect(os.path.join(data, "ctip.sqlite"))
    row = db.execute("SELECT actor, action, object_type, object_id, outcome FROM audit_entries "
                     "ORDER BY seq DESC LIMIT 1").fetchone()
    db.close()
    return row


def main():
    data = tempfile.mkdtemp(prefix="ctip-cli-")
    try:
        r = ctip("demo", "--data", data, "--no-serve")
        assert r.returncode == 0, r.stderr

        routes = json.loads(ctip("api", "routes").stdout)
        keys = {(x["method"], x["pattern"]) for x in routes}
        for want in [("GET", "/api/v1/meta"), ("GET", "/api/v1/screenings/{id}"),
                     ("POST", "/api/v1/users/{id}/disable"), ("GET", "/api/v1/audit/head")]:
            assert want in keys, want
        assert all(set(x) == {"method", "pattern", "action", "summary"} for x in routes)
        meta = json.loads(ctip("api", "meta").stdout)
        assert meta["languages"] == ["en", "es", "fr", "ar"], meta
        assert "screener" in meta["roles"] and "border" in meta["encounter_sources"], meta

        r = ctip("screen", "coverage", "--data", data, "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["totals"]["encountered"] > 0
        assert last_audit(data) == ("cli", "screenings.coverage", "coverage", "all", "success"), \
            last_audit(data)
        r = ctip("screen", "coverage", "--data", data, "--from", "2026-13")
        assert r.returncode == 2 and "from" in r.stderr, (r.returncode, r.stderr)

        r = ctip("users", "add", "--data", data, "--name", "cli.user", "--org", "CLI Org",
                 "--role", "screener", "--password-stdin", stdin="a-long-password\n")
        assert r.returncode == 0, r.stderr
        assert last_audit(data)[:3] == ("cli", "users.create", "user"), last_audit(data)
        r = ctip("users", "add", "--data", data, "--name", "cli.user2", "--org", "CLI Org",
                 "--role", "wizard", "--password-stdin", stdin="a-long-password\n")
        assert r.returncode == 2 and "role" in r.stderr, r.stderr
        r = ctip("users", "disable", "--data", data, "--name", "cli.user")
        assert r.returncode == 0, r.stderr
        assert last_audit(data)[:2] == ("cli", "users.disable"), last_audit(data)
        r = ctip("users", "enable", "--data", data, "--name", "nobody.here")
        assert r.returncode == 2 and "name" in r.stderr, r.stderr
        listed = json.loads(ctip("users", "list", "--data", data, "--org", "CLI Org",
                                 "--json").stdout)
        assert [u["username"] for u in listed] == ["cli.user"] and listed[0]["disabled"], listed
        assert last_audit(data)[:2] == ("cli", "users.read"), last_audit(data)
        r = ctip("users", "list", "--data", data, "--org", "No Such Org")
        assert r.returncode == 2 and "org" in r.stderr, r.stderr

        r = ctip("audit", "verify", "--data", data)
        assert r.returncode == 0, r.stdout + r.stderr
        print("cli services ok")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
