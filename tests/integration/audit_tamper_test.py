#!/usr/bin/env python3
"""`ctip audit verify` passes on the demo store and fails, naming the entry, after one byte of
one audit row is changed directly in the SQLite file (issue #2, "Done when")."""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

CTIP = sys.argv[1]


def verify(data):
    return subprocess.run([CTIP, "audit", "verify", "--data", data], capture_output=True, text=True)


def main():
    data = tempfile.mkdtemp(prefix="ctip-tamper-")
    try:
        subprocess.run([CTIP, "demo", "--data", data, "--no-serve"], check=True,
                       stdout=subprocess.DEVNULL)
        ok = verify(data)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        print(ok.stdout.strip())

        db_path = os.path.join(data, "ctip.sqlite")
        db = sqlite3.connect(db_path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'audit%'")]
        # The entries table is the one with an 'action' column.
        table = next(t for t in tables
                     if "action" in [c[1] for c in db.execute(f"PRAGMA table_info({t})")])
        cols = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
        seq_col = cols[0]
        hash_col = next(c for c in cols if "hash" in c)
        # A middle entry: its leaf hash is no tree root and not in the final frontier, so the
        # hash text is found only in this row of the file.
        target_seq, action, leaf = db.execute(
            f"SELECT {seq_col}, action, {hash_col} FROM {table} ORDER BY {seq_col} "
            "LIMIT 1 OFFSET 2").fetchone()
        db.close()

        # Flip one byte of that row's action text in the file itself, as an attacker with a hex
        # editor would (e.g. 'users.create' -> 'users.creatf'). The row is found by its unique
        # leaf-hash text; its action text sits within the same record.
        raw = bytearray(open(db_path, "rb").read())
        anchor = raw.find(leaf.encode())
        assert anchor >= 0 and raw.find(leaf.encode(), anchor + 1) < 0, "row not unique in file"
        window_start = max(0, anchor - 400)
        window = bytes(raw[window_start:anchor + 400])
        needle = action.encode()
        offsets = [i for i in range(len(window)) if window.startswith(needle, i)]
        assert offsets, "action text of the row not found near its hash"
        nearest = min(offsets, key=lambda i: abs(window_start + i - anchor))
        pos = window_start + nearest + len(needle) - 1
        raw[pos] ^= 0x03
        open(db_path, "wb").write(bytes(raw))
        print(f"flipped one byte of entry {target_seq} ({action!r}) at file offset {pos}")

        bad = verify(data)
        out = bad.stdout + bad.stderr
        print(out.strip())
        assert bad.returncode != 0, "verify passed after tampering"
        assert "entry" in out, "verify did not name the bad entry"
        print("ok: tampering detected")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
