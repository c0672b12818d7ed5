#!/usr/bin/env python3
"""Backups that finish and restore (issue #7 item 7): the review found that `ctip db backup`
never finished while the server wrote steadily (the online backup API restarts on every write),
copied only the SQLite file, and that no restored backup passed `ctip audit verify`.

Here a server runs with four writers creating screenings as fast as they can; three backups are
taken meanwhile, each must finish within a bound, while the writers keep being acknowledged.
Each backup is restored into a new directory with the signing key kept apart, and the restored
store must pass `ctip db check` and `ctip audit verify`. SQLite only (PostgreSQL: pg_dump,
backup_test.py).
"""
import json
import os
import shutil
import sys
import tempfile
import threading
import time

from ctip_harness import Server, Store

CTIP = sys.argv[1]
BOUND_S = 20  # a backup of this store under load takes well under a second; the bound is loose


def screening(ref):
    return {"person": {"reference": ref}, "encounter": {"source": "police"}, "language": "en",
            "instrument": "full", "profile": "adult_labour", "age": 30,
            "answers": {"ex_excessive_hours": "yes", "dr_deceived_wages": "yes"}}


def main():
    work = tempfile.mkdtemp(prefix="ctip-backup-")
    try:
        with Store(CTIP, prefix="ctip-backup-data-") as store:
            store.demo()
            with Server(store) as server:
                auth = server.login("screener")
                stop = threading.Event()
                acknowledged = [0]
                errors = []
                lock = threading.Lock()

                def writer(w):
                    i = 0
                    while not stop.is_set():
                        i += 1
                        status, _, body = server.request(
                            "POST", "/api/v1/screenings", screening(f"LOAD-{w}-{i}"), auth)
                        with lock:
                            if status == 201:
                                acknowledged[0] += 1
                            else:
                                errors.append((status, body[:200]))

                threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
                for t in threads:
                    t.start()
                backups = []
                try:
                    time.sleep(1.0)
                    for k in range(3):
                        before = acknowledged[0]
                        dest = os.path.join(work, f"backup-{k}")
                        t0 = time.monotonic()
                        out = store.run("db", "backup", "--to", dest)
                        took = time.monotonic() - t0
                        during = acknowledged[0] - before
                        print(f"backup {k}: {took:.2f} s with {during} screenings written "
                              f"meanwhile ({out.stdout.splitlines()[0]})")
                        assert took < BOUND_S, f"backup took {took:.1f} s under load"
                        backups.append(dest)
                        time.sleep(0.5)
                finally:
                    stop.set()
                    for t in threads:
                        t.join()
                assert not errors, errors[:3]
                assert acknowledged[0] > 50, f"only {acknowledged[0]} writes: no real load"
                print(f"ok: {acknowledged[0]} screenings written by 4 writers during the backups")

            key = os.path.join(store.data, "audit-signing.key")
            for k, dest in enumerate(backups):
                manifest = json.load(open(os.path.join(dest, "manifest.json")))
                names = sorted(f["name"] for f in manifest["files"])
                assert names == ["audit-head.json", "audit-public.key", "ctip.sqlite"], names
                assert not os.path.exists(os.path.join(dest, "audit-signing.key")), \
                    "the private key must not be in a backup"
                restored = os.path.join(work, f"restored-{k}")
                r = Store(CTIP, pg_url="")
                shutil.rmtree(r.data)
                r.data = restored
                r.run("db", "restore", "--from", dest, "--signing-key", key)
                check = r.run("db", "check", check=False)
                assert check.returncode == 0, check.stdout + check.stderr
                verify = r.run("audit", "verify", check=False)
                assert verify.returncode == 0, verify.stdout + verify.stderr
                assert "audit log ok" in verify.stdout, verify.stdout
                print(f"ok: backup {k} restored; {verify.stdout.splitlines()[0]}")

            # Without the key the restore still checks the store and says what is missing;
            # a wrong key is refused.
            r = Store(CTIP, pg_url="")
            shutil.rmtree(r.data)
            r.data = os.path.join(work, "restored-nokey")
            out = r.run("db", "restore", "--from", backups[0])
            assert "signing key" in out.stdout, out.stdout
            other = Store(CTIP, pg_url="").demo(fresh=True)  # a key of its own
            try:
                r.data = os.path.join(work, "restored-wrongkey")
                bad = r.run("db", "restore", "--from", backups[0], "--signing-key",
                            os.path.join(other.data, "audit-signing.key"), check=False)
                assert bad.returncode == 2 and "--signing-key" in bad.stderr, bad.stderr
            finally:
                other.close()
            print("ok: restore without the key says so; a key that did not sign the log is "
                  "refused")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
