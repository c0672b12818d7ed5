#!/usr/bin/env python3
"""Issue #7 item 5: an attacker with the data directory cannot rewrite the audit log unnoticed
by a verifier who kept a signed head elsewhere. Each of 21 tamper scenarios - edits, deletions,
truncations, a rebuild re-signed with the stored key, a full wipe, a replaced key, a rollback to
a backup - must make `ctip audit verify --against KEPT` exit non-zero, where KEPT is a head
exported (`ctip audit head --out`) before the tampering, outside the data directory. Scenarios
that plain `verify` cannot see (rebuild, wipe, rewound truncation, rollback, replaced key) are
asserted to pass plain verify, so the test shows what the kept head adds. A witness directory
(`ctip serve --audit-witness DIR`) is checked the same way, and a signing key kept outside the
data directory (`--audit-key FILE`: verify needs only the public key, appending without the key
is refused). Runs on SQLite and PostgreSQL
(CTIP_TEST_ENGINE, tests/security/CMakeLists.txt)."""
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

import ctip_harness as h

CTIP = sys.argv[1]
HEAD_FILE = "audit-head.json"
TABLES = ["audit_entries", "audit_tree_heads", "audit_nodes", "audit_state"]


# ---- RFC 9162 Merkle hashing and the leaf format, written from the README, not from ctip ----

def sha(b):
    return hashlib.sha256(b).digest()


def mth(leaves):
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def frontier(leaves):
    """The roots of the perfect subtrees of the tree (one per set bit of n, largest first)."""
    out, start, n = [], 0, len(leaves)
    for bit in range(63, -1, -1):
        if n & (1 << bit):
            out.append(mth(leaves[start:start + (1 << bit)]))
            start += 1 << bit
    return "".join(x.hex() for x in out)


def field(t, v):
    if v is None:
        return b"N"
    b = v.encode() if isinstance(v, str) else str(v).encode()
    return t + len(b).to_bytes(8, "big") + b


def leaf_hash(seq, time_, uid, actor, org, action, otype, oid, outcome, occ, addr, details):
    sourced = addr is not None or details is not None
    tag = "ctip-audit-entry/3" if sourced else (
        "ctip-audit-entry/2" if occ is not None else "ctip-audit-entry/1")
    data = field(b"S", tag) + field(b"I", seq) + field(b"S", time_) + field(b"I", uid) + \
        field(b"S", actor) + field(b"I", org) + field(b"S", action) + field(b"S", otype) + \
        field(b"S", oid) + field(b"S", outcome)
    if sourced:
        data += field(b"I", occ) + field(b"S", addr) + field(b"S", details)
    elif occ is not None:
        data += field(b"I", occ)
    return sha(b"\x00" + data)


# ---- stores: one base, copied per scenario ----

class Copy:
    """A copy of a prepared store (data dir, and on PostgreSQL a database from a template)."""

    def __init__(self, template, template_data, pg, prefix):
        self.data = tempfile.mkdtemp(prefix=prefix)
        shutil.rmtree(self.data)
        shutil.copytree(template_data, self.data)
        self.pg, self.db = pg, None
        if pg:
            self.db = f"ctip_tamper_{os.getpid()}_{int(time.time() * 1e6) % 10**9}"
            # FILE_COPY: 2.5x faster than PostgreSQL 15's default (WAL_LOG) for a demo store
            h.psql(pg, f"CREATE DATABASE {self.db} TEMPLATE {template} STRATEGY FILE_COPY")

    def url(self):
        return self.pg.rsplit("/", 1)[0] + "/" + self.db

    def args(self):
        return ["--data", self.data] + (["--store", self.url()] if self.db else [])

    def ctip(self, *args, check=False):
        env = dict(os.environ, CTIP_DEMO_PASSWORD=h.PASSWORD)
        return subprocess.run([CTIP, *args, *self.args()], capture_output=True, text=True,
                              env=env, check=check)

    def sql(self, *statements):
        if self.db:  # one psql process (and one transaction) for all of them
            h.psql(self.url(), ";\n".join(statements))
            return
        db = sqlite3.connect(os.path.join(self.data, "ctip.sqlite"))
        for s in statements:
            db.execute(s)
        db.commit()
        db.close()

    def rows(self, query):
        if self.db:
            out = subprocess.run(["psql", "-XAt", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                                  self.url(), "-c", query], check=True, capture_output=True,
                                 text=True).stdout
            return [line.split("\x1f") for line in out.splitlines() if line]
        db = sqlite3.connect(os.path.join(self.data, "ctip.sqlite"))
        r = [[("" if v is None else str(v)) for v in row] for row in db.execute(query)]
        db.close()
        return r

    def close(self):
        shutil.rmtree(self.data, ignore_errors=True)
        if self.db:
            h.psql(self.pg, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")


def make_template(pg, name, prefix, key_from=None, extra_reads=0):
    """A demo store (plus `extra_reads` audited reads); with key_from, signed with that key."""
    data = tempfile.mkdtemp(prefix=prefix)
    if key_from:
        shutil.copy(os.path.join(key_from, "audit-signing.key"), data)
    s = Copy.__new__(Copy)
    s.data, s.pg, s.db = data, pg, None
    if pg:
        s.db = name
        h.psql(pg, f"CREATE DATABASE {name} STRATEGY FILE_COPY")
    s.ctip("demo", "--no-serve", check=True)
    for _ in range(extra_reads):
        s.ctip("users", "list", check=True)
    return s


def checkpoint(s):
    if not s.db:
        db = sqlite3.connect(os.path.join(s.data, "ctip.sqlite"))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()


def verify(s, *extra):
    return s.ctip("audit", "verify", *extra)


def copy_audit_tables(src, dst):
    """Replaces dst's audit tables with src's rows (an attacker's rebuild written in place)."""
    dst.sql(*[f"DELETE FROM {t}" for t in TABLES])
    for t in TABLES:
        cols = [r[0] for r in src.rows(
            f"SELECT column_name FROM information_schema.columns WHERE table_name = '{t}' "
            "ORDER BY ordinal_position")] if src.db else [
            r[1] for r in src.rows(f"PRAGMA table_info({t})")]
        rows = src.rows(f"SELECT {', '.join(cols)} FROM {t}")
        statements = []
        for row in rows:
            vals = []
            for c, v in zip(cols, row):
                if v == "" and c in ("actor_user_id", "org_id", "occurrences", "client_address",
                                     "details", "previous_size"):
                    vals.append("NULL")
                elif c in ("seq", "tree_size", "actor_user_id", "org_id", "occurrences",
                           "previous_size", "height", "node_index", "id"):
                    vals.append(v)
                else:
                    vals.append("'" + v.replace("'", "''") + "'")
            statements.append(f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join(vals)})")
        if statements:
            if dst.db:  # one psql call per table, the statements on its standard input
                subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", dst.url()],
                               input=";\n".join(statements) + ";\n", text=True, check=True,
                               capture_output=True)
            else:
                dst.sql(*statements)
    shutil.copy(os.path.join(src.data, HEAD_FILE), os.path.join(dst.data, HEAD_FILE))


def truncate_to(s, size, keep_head_file=False):
    """Deletes every entry after `size` with its heads and rewinds audit_state (frontier
    recomputed) and audit-head.json to the head at `size`: a shorter log that verifies."""
    leaves = [bytes.fromhex(r[0]) for r in s.rows(
        f"SELECT leaf_hash FROM audit_entries WHERE seq <= {size} ORDER BY seq")]
    s.sql(f"DELETE FROM audit_entries WHERE seq > {size}",
          f"DELETE FROM audit_tree_heads WHERE tree_size > {size}",
          f"UPDATE audit_state SET tree_size = {size}, frontier = '{frontier(leaves)}'")
    if keep_head_file:
        return
    row = s.rows(f"SELECT tree_size, root_hash, timestamp, signature FROM audit_tree_heads "
                 f"WHERE tree_size = {size}")[0]
    pk = json.load(open(os.path.join(s.data, HEAD_FILE)))["confirmed"]["public_key"]
    head = {"tree_size": int(row[0]), "root_hash": row[1], "timestamp": row[2],
            "signature": row[3], "public_key": pk}
    with open(os.path.join(s.data, HEAD_FILE), "w") as f:
        json.dump({"format": "ctip-audit-head-file/1", "confirmed": head, "latest": head}, f)


def head_sizes(s):
    return [int(r[0]) for r in s.rows("SELECT tree_size FROM audit_tree_heads ORDER BY tree_size")]


def max_seq(s):
    return int(s.rows("SELECT MAX(seq) FROM audit_entries")[0][0])


# ---- the scenarios: each tampers with a copy of the base store ----

def edit_entry(s, ctx):
    s.sql("UPDATE audit_entries SET action = 'users.list' WHERE seq = 100")


def edit_entry_and_leaf_hash(s, ctx):
    r = s.rows("SELECT seq, time, actor_user_id, actor, org_id, action, object_type, object_id, "
               "outcome, occurrences, client_address, details FROM audit_entries WHERE seq = 50")[0]
    conv = [int(r[0]), r[1], int(r[2]) if r[2] else None, r[3], int(r[4]) if r[4] else None,
            r[5], r[6], "999", r[8], int(r[9]) if r[9] else None, r[10] or None, r[11] or None]
    s.sql(f"UPDATE audit_entries SET object_id = '999', leaf_hash = "
          f"'{leaf_hash(*conv).hex()}' WHERE seq = 50")


def delete_middle(s, ctx):
    s.sql("DELETE FROM audit_entries WHERE seq = 200")


def delete_tail(s, ctx):
    s.sql(f"DELETE FROM audit_entries WHERE seq = {max_seq(s)}")


def delete_tail_and_head(s, ctx):
    n = max_seq(s)
    s.sql(f"DELETE FROM audit_entries WHERE seq = {n}",
          f"DELETE FROM audit_tree_heads WHERE tree_size = {n}")


def delete_tail_and_head_file(s, ctx):
    sizes = head_sizes(s)
    truncate_to(s, sizes[-2])
    os.remove(os.path.join(s.data, HEAD_FILE))


def truncate_rewound(s, ctx):
    truncate_to(s, head_sizes(s)[-2])  # the newest batch gone, state and head file rewound
    ctx["plain_passes"] = True


def truncate_many(s, ctx):
    truncate_to(s, [x for x in head_sizes(s) if x <= 300][-1])
    ctx["plain_passes"] = True


def reorder(s, ctx):
    s.sql("UPDATE audit_entries SET seq = -1 WHERE seq = 10",
          "UPDATE audit_entries SET seq = 10 WHERE seq = 11",
          "UPDATE audit_entries SET seq = 11 WHERE seq = -1")


def swap_actor(s, ctx):
    a = s.rows("SELECT actor FROM audit_entries WHERE seq = 20")[0][0]
    n = max_seq(s)
    b = s.rows(f"SELECT actor FROM audit_entries WHERE seq = {n}")[0][0]
    if a == b:
        b = "someone-else"
    s.sql(f"UPDATE audit_entries SET actor = '{b}' WHERE seq = 20",
          f"UPDATE audit_entries SET actor = '{a}' WHERE seq = {n}")


def change_timestamp(s, ctx):
    s.sql("UPDATE audit_entries SET time = '2020-01-01T00:00:00Z' WHERE seq = 30")


def change_outcome(s, ctx):
    s.sql("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 40")


def forge_signature(s, ctx):
    size = head_sizes(s)[5]
    sig = s.rows(f"SELECT signature FROM audit_tree_heads WHERE tree_size = {size}")[0][0]
    forged = ("0" if sig[0] != "0" else "1") + sig[1:]
    s.sql(f"UPDATE audit_tree_heads SET signature = '{forged}' WHERE tree_size = {size}")


def edit_head_root(s, ctx):
    size = head_sizes(s)[-1]
    s.sql(f"UPDATE audit_tree_heads SET root_hash = '{'ab' * 32}' WHERE tree_size = {size}")


def delete_middle_head(s, ctx):
    size = head_sizes(s)[3]
    s.sql(f"DELETE FROM audit_tree_heads WHERE tree_size = {size}")


def insert_entry(s, ctx):
    n = max_seq(s)
    s.sql("INSERT INTO audit_entries (seq, time, actor, action, object_type, object_id, outcome, "
          f"leaf_hash) VALUES ({n + 1}, '2026-01-01T00:00:00Z', 'ghost', 'users.read', 'user', "
          f"'1', 'success', '{'00' * 32}')")


def edit_frontier(s, ctx):
    s.sql(f"UPDATE audit_state SET frontier = '{'cd' * 32}' || substr(frontier, 65)")


def rebuild_with_stored_key(s, ctx):
    copy_audit_tables(ctx["rebuilt"], s)
    ctx["plain_passes"] = True


def wipe_all(s, ctx):
    s.sql("DELETE FROM audit_entries", "DELETE FROM audit_tree_heads", "DELETE FROM audit_nodes",
          "UPDATE audit_state SET tree_size = 0, frontier = ''")
    os.remove(os.path.join(s.data, HEAD_FILE))
    ctx["plain_passes"] = True


def replace_key(s, ctx):
    other = ctx["other_key"]
    copy_audit_tables(other, s)
    for f in ("audit-signing.key", "audit-public.key"):
        shutil.copy(os.path.join(other.data, f), os.path.join(s.data, f))
    ctx["plain_passes"] = True


def rollback_to_backup(s, ctx):
    # The store and its head file as they were in a backup taken before the kept head.
    copy_audit_tables(ctx["backup"], s)
    ctx["plain_passes"] = True


SCENARIOS = [edit_entry, edit_entry_and_leaf_hash, delete_middle, delete_tail,
             delete_tail_and_head, delete_tail_and_head_file, truncate_rewound, truncate_many,
             reorder, swap_actor, change_timestamp, change_outcome, forge_signature,
             edit_head_root, delete_middle_head, insert_entry, edit_frontier,
             rebuild_with_stored_key, wipe_all, replace_key, rollback_to_backup]


def main():
    assert len(SCENARIOS) == 21
    pg = h.pg_server()
    tag = f"{os.getpid()}_{int(time.time()) % 100000}"
    outside = tempfile.mkdtemp(prefix="ctip-kept-")  # "elsewhere": not the data directory
    made = []
    try:
        base = make_template(pg, f"ctip_tbase_{tag}", "ctip-base-")
        made.append(base)
        checkpoint(base)
        backup = Copy(base.db, base.data, pg, "ctip-backup-")  # a backup, taken now
        made.append(backup)
        for _ in range(3):  # the log grows after the backup
            base.ctip("users", "list", check=True)
        checkpoint(base)
        kept = os.path.join(outside, "kept-head.json")
        r = base.ctip("audit", "head", "--out", kept, check=True)
        print(r.stdout.strip())
        assert oct(os.stat(kept).st_mode & 0o777) == "0o600", oct(os.stat(kept).st_mode)
        public_key = os.path.join(outside, "audit-public.key")
        shutil.copy(os.path.join(base.data, "audit-public.key"), public_key)
        kept_size = json.load(open(kept))["tree_size"]

        # The rebuild: a log of more entries than the kept head, signed with the stored key.
        rebuilt = make_template(pg, f"ctip_treb_{tag}", "ctip-rebuilt-", key_from=base.data,
                                extra_reads=5)
        made.append(rebuilt)
        assert max_seq(rebuilt) > kept_size, (max_seq(rebuilt), kept_size)
        other_key = make_template(pg, f"ctip_tkey_{tag}", "ctip-otherkey-", extra_reads=5)
        made.append(other_key)
        for t in (rebuilt, other_key):
            checkpoint(t)
        ctx_base = {"rebuilt": rebuilt, "other_key": other_key, "backup": backup}

        # Controls: the untouched log, and the log grown since the head was kept, pass.
        c = Copy(base.db, base.data, pg, "ctip-control-")
        try:
            ok = verify(c, "--against", kept)
            assert ok.returncode == 0, ok.stdout + ok.stderr
            c.ctip("users", "list", check=True)
            ok = verify(c, "--against", kept, "--public-key", public_key)
            assert ok.returncode == 0, ok.stdout + ok.stderr
            assert "consistent with 1 kept head" in ok.stdout, ok.stdout
            print("control:", ok.stdout.strip())
        finally:
            c.close()

        failures = []
        for scenario in SCENARIOS:
            s = Copy(base.db, base.data, pg, "ctip-tamper-")
            ctx = dict(ctx_base)
            try:
                scenario(s, ctx)
                plain = verify(s)
                against = verify(s, "--against", kept)
                with_key = verify(s, "--against", kept, "--public-key", public_key)
                out = (against.stdout + against.stderr).strip().splitlines()
                print(f"{scenario.__name__}: plain exit {plain.returncode}, --against exit "
                      f"{against.returncode}, with --public-key exit {with_key.returncode}: "
                      f"{out[-1] if out else ''}")
                if against.returncode == 0 or with_key.returncode == 0:
                    failures.append(scenario.__name__ + " passed --against")
                if ctx.get("plain_passes") and plain.returncode != 0:
                    # The scenario is meant to fool plain verify; if it does not, it tests less.
                    failures.append(scenario.__name__ + " did not pass plain verify: " +
                                    plain.stderr.strip())
            finally:
                s.close()
        assert not failures, failures
        print(f"ok: all {len(SCENARIOS)} tamper scenarios fail verify --against a kept head")

        witness_check(base, pg, outside)
        key_outside_check(pg, tag, outside, made)
    finally:
        for t in made:
            t.close()
        shutil.rmtree(outside, ignore_errors=True)


def witness_check(base, pg, outside):
    """ctip serve --audit-witness DIR keeps heads (0600) that catch a later wipe."""
    s = Copy(base.db, base.data, pg, "ctip-witness-")
    witness = os.path.join(outside, "witness")
    try:
        port = h.free_port()
        env = dict(os.environ, CTIP_DEMO_PASSWORD=h.PASSWORD)
        proc = subprocess.Popen([CTIP, "serve", *s.args(), "--port", str(port), "--log-level",
                                 "off", "--audit-witness", witness,
                                 "--audit-witness-interval", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            for _ in range(200):
                try:
                    if h.request(port, "GET", "/api/v1/health")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.05)
            st, cookie, body = h.request(port, "POST", "/api/v1/session",
                                         {"username": "admin", "password": h.PASSWORD})
            assert st == 200, (st, body)
            headers = {"Cookie": cookie.split(";")[0]}
            for _ in range(3):
                assert h.request(port, "GET", "/api/v1/users", headers=headers)[0] == 200
            time.sleep(1.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
        files = sorted(os.listdir(witness))
        assert len(files) >= 2, files
        for f in files:
            mode = os.stat(os.path.join(witness, f)).st_mode & 0o777
            assert mode == 0o600, (f, oct(mode))
        newest = json.load(open(os.path.join(witness, files[-1])))
        assert newest["tree_size"] == max_seq(s), (newest, max_seq(s))
        ok = verify(s, "--witness", witness)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        print("witness:", len(files), "heads;", ok.stdout.strip())
        wipe_all(s, {})
        bad = verify(s, "--witness", witness)
        assert bad.returncode != 0, bad.stdout
        print("witness after a wipe:", bad.stderr.strip())
    finally:
        s.close()


def key_outside_check(pg, tag, outside, made):
    """--audit-key FILE keeps the signing key off the data directory: the data holds only the
    public key, verify needs nothing more, and appending without the key is refused."""
    key = os.path.join(outside, "mnt", "audit-signing.key")
    data = tempfile.mkdtemp(prefix="ctip-keyout-")
    s = Copy.__new__(Copy)
    s.data, s.pg, s.db = data, pg, None
    if pg:
        s.db = f"ctip_tkout_{tag}"
        h.psql(pg, f"CREATE DATABASE {s.db} STRATEGY FILE_COPY")
    made.append(s)
    s.ctip("demo", "--no-serve", "--audit-key", key, check=True)
    assert os.path.exists(key) and oct(os.stat(key).st_mode & 0o777) == "0o600"
    assert not os.path.exists(os.path.join(data, "audit-signing.key")), os.listdir(data)
    assert os.path.exists(os.path.join(data, "audit-public.key"))
    ok = verify(s)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = s.ctip("users", "list")
    assert refused.returncode != 0, "appended without the signing key"
    s.ctip("users", "list", "--audit-key", key, check=True)
    ok = verify(s)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    print("key outside the data directory:", ok.stdout.strip())


if __name__ == "__main__":
    main()
