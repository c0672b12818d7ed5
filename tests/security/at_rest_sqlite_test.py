#!/usr/bin/env python3
"""Data at rest (issue #7 item 6): the review found the store, its WAL and the audit head file
created 0644 in a 0755 directory, readable by any local user. Under umask 022, after `ctip demo`,
a running server that writes (and so creates the -wal/-shm files and job inputs), and
`ctip db backup`, every file under --data and in the backup must be 0600 and every directory
0700. A data directory an older ctip left 0755 with a 0644 store is tightened when opened.
SQLite only: on PostgreSQL the server's own files are the database administrator's.
"""
import os
import stat
import subprocess
import sys

from ctip_harness import Server, Store

CTIP = sys.argv[1]


def modes(root):
    """{path: mode} of root and everything under it."""
    out = {root: stat.S_IMODE(os.stat(root).st_mode)}
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            out[p] = stat.S_IMODE(os.lstat(p).st_mode)
    return out


def assert_private(root):
    bad = []
    seen = modes(root)
    for p, m in seen.items():
        want = 0o700 if os.path.isdir(p) else 0o600
        if m != want:
            bad.append(f"{p}: {oct(m)} (want {oct(want)})")
    assert not bad, "files readable by others:\n" + "\n".join(bad)
    return len(seen)


def screening(ref):
    return {"person": {"reference": ref}, "encounter": {"source": "police"}, "language": "en",
            "instrument": "full", "profile": "adult_labour", "age": 30,
            "answers": {"ex_excessive_hours": "yes"}}


def main():
    os.umask(0o022)
    with Store(CTIP, prefix="ctip-at-rest-") as store:
        store.demo()
        with Server(store) as server:
            auth = server.login("screener")
            for i in range(5):
                status, _, body = server.request("POST", "/api/v1/screenings",
                                                 screening(f"REST-{i:04d}"), auth)
                assert status == 201, (status, body)
            # While the server runs the WAL and shared-memory files exist: check them too.
            assert os.path.exists(os.path.join(store.data, "ctip.sqlite-wal")), \
                "expected the server's WAL file"
            n_live = assert_private(store.data)
            backup = os.path.join(store.data + "-backup")
            try:
                out = store.run("db", "backup", "--to", backup)
                assert "backup written" in out.stdout, out.stdout
                n_backup = assert_private(backup)
            finally:
                subprocess.run(["rm", "-rf", backup], check=False)
        n_after = assert_private(store.data)
        print(f"ok: {n_live} paths while serving, {n_after} after, {n_backup} in the backup: "
              f"files 0600, directories 0700 under umask 022")

        # A data directory an older ctip created 0755 with 0644 files is tightened when opened.
        os.chmod(store.data, 0o755)
        for name in ("ctip.sqlite", "audit-head.json"):
            os.chmod(os.path.join(store.data, name), 0o644)
        store.run("db", "check")
        assert stat.S_IMODE(os.stat(store.data).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(os.path.join(store.data, "ctip.sqlite")).st_mode) == 0o600
        store.run("audit", "verify")
        with Server(store) as server:
            auth = server.login("screener")
            status, _, _ = server.request("POST", "/api/v1/screenings", screening("REST-9999"),
                                          auth)
            assert status == 201
        assert_private(store.data)
        print("ok: a 0755 directory with 0644 files from an older ctip is tightened on open")


if __name__ == "__main__":
    main()
