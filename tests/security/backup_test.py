#!/usr/bin/env python3
"""`ctip db backup` and `ctip db restore` refuse clearly (issue #7 item 7), on both engines.

SQLite: a backup directory must be new or empty; a restore checks every file against the
SHA-256 in manifest.json (a changed byte fails with exit 1 and nothing usable is left), refuses
a directory that is not a backup and a non-empty target (exit 2 naming the option).
PostgreSQL: `ctip db backup` refuses and points to docs/operations.md (pg_dump or PITR, and
what to keep beside it), as does `ctip db restore` into a PostgreSQL store.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from ctip_harness import Store

CTIP = sys.argv[1]


def main():
    work = tempfile.mkdtemp(prefix="ctip-backup-refusals-")
    try:
        with Store(CTIP, prefix="ctip-backup-refusals-data-") as store:
            store.demo()
            dest = os.path.join(work, "backup")
            if store.db:  # PostgreSQL
                out = store.run("db", "backup", "--to", dest, check=False)
                assert out.returncode == 2, (out.returncode, out.stderr)
                assert "pg_dump" in out.stderr and "docs/operations.md" in out.stderr, out.stderr
                assert not os.path.exists(dest), "a refused backup must create nothing"
                out = store.run("db", "restore", "--from", dest, check=False)
                assert out.returncode == 2 and "docs/operations.md" in out.stderr, out.stderr
                print("ok: PostgreSQL backup and restore refused, pointing to docs/operations.md")
                return

            os.makedirs(dest)
            open(os.path.join(dest, "something"), "w").write("x")
            out = store.run("db", "backup", "--to", dest, check=False)
            assert out.returncode == 2 and "--to" in out.stderr, out.stderr
            shutil.rmtree(dest)
            store.run("db", "backup", "--to", dest)

            def restore(src, target):
                return subprocess.run([CTIP, "db", "restore", "--from", src, "--data", target],
                                      capture_output=True, text=True)

            # A non-empty target is refused, naming --data; nothing in it changes.
            out = restore(dest, store.data)
            assert out.returncode == 2 and "--data" in out.stderr, out.stderr
            # Not a backup.
            out = restore(store.data, os.path.join(work, "t1"))
            assert out.returncode == 2 and "manifest.json" in out.stderr, out.stderr
            assert not os.path.exists(os.path.join(work, "t1"))
            # One changed byte in the store copy fails the manifest's SHA-256.
            damaged = os.path.join(work, "damaged")
            shutil.copytree(dest, damaged)
            with open(os.path.join(damaged, "ctip.sqlite"), "r+b") as f:
                f.seek(5000)
                b = f.read(1)
                f.seek(5000)
                f.write(bytes([b[0] ^ 1]))
            out = restore(damaged, os.path.join(work, "t2"))
            assert out.returncode == 1 and "SHA-256" in out.stderr, out.stderr
            assert not os.path.exists(os.path.join(work, "t2"))
            # A missing file listed in the manifest.
            os.remove(os.path.join(damaged, "audit-head.json"))
            out = restore(damaged, os.path.join(work, "t3"))
            assert out.returncode == 1 and "audit-head.json" in out.stderr, out.stderr
            # The intact backup restores (and the restored store checks).
            out = restore(dest, os.path.join(work, "t4"))
            assert out.returncode == 0, out.stderr
            print("ok: non-empty targets, a non-backup, a changed byte and a missing file are "
                  "refused; the intact backup restores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
