#!/usr/bin/env python3
"""Issue #7 item 5, the other half: the audit log answers "who saw this person's records, and
when?". List reads record which ids they returned (not a count), probes of another
organisation's objects and of ids that do not exist are recorded, every entry made through the
API carries the client address (the command line's carry "cli"), an auditor filters by actor,
action, object and time, and exports the filtered entries with inclusion proofs - checked here
against the signed head by an RFC 9162 verifier written independently in Python - through an
action that is itself audited. Runs on SQLite and PostgreSQL."""
import hashlib
import json
import sys
from urllib.parse import urlencode

import ctip_harness as h

CTIP = sys.argv[1]


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 §2.1.3.2, transcribed."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while (fn & 1) == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def get(srv, headers, path, **query):
    status, _, body = srv.request("GET", path + ("?" + urlencode(query) if query else ""),
                                  headers=headers)
    return status, (json.loads(body) if body else None)


def main():
    with h.Store(CTIP, prefix="ctip-sources-") as store:
        store.demo()
        with h.Server(store) as srv:
            inv = srv.login("investigator")       # Federal Police
            cw = srv.login("caseworker")          # Safe Harbour Shelter
            status, listed = get(srv, inv, "/api/v1/screenings")
            assert status == 200, status
            rows = listed["screenings"] if isinstance(listed, dict) else listed
            ids = [s["id"] for s in rows]
            assert ids, "the investigator's organisation has screenings"
            status, mine = get(srv, cw, "/api/v1/screenings")
            cw_ids = [s["id"] for s in (mine["screenings"] if isinstance(mine, dict) else mine)]
            theirs = next(i for i in ids if i not in cw_ids)
            # A probe of another organisation's screening, and of one that does not exist.
            assert get(srv, cw, f"/api/v1/screenings/{theirs}")[0] == 404
            assert get(srv, cw, "/api/v1/screenings/987654")[0] == 404
            admin = srv.login("admin")
            status, users = get(srv, admin, "/api/v1/users")
            assert status == 200

            # A failed login is recorded with where it came from too.
            st = srv.request("POST", "/api/v1/session",
                             {"username": "screener", "password": "not-the-password"})[0]
            assert st == 401, st
            au = srv.login("auditor")
            status, failed = get(srv, au, "/api/v1/audit/entries", action="session.login",
                                 actor="screener")
            assert any(e["outcome"] == "failure" and e["client_address"] == "127.0.0.1"
                       for e in failed["entries"]), failed
            target = ids[0]
            # Who saw screening `target`: the investigator's list read that returned it.
            status, saw = get(srv, au, "/api/v1/audit/entries", object_type="screening",
                              object_id=str(target))
            assert status == 200, saw
            reads = [e for e in saw["entries"] if e["action"] == "screenings.read"]
            assert any(e["actor"] == "investigator" and e["details"]
                       and target in e["details"]["ids"] for e in reads), saw
            # The list of the caseworker's organisation did not return it.
            assert not any(e["actor"] == "caseworker" and e["action"] == "screenings.read"
                           for e in saw["entries"]), saw
            lists = [e for e in reads if e["object_type"] == "screening_list"]
            assert all(e["client_address"] == "127.0.0.1" for e in lists), lists
            assert all(len(e["details"]["ids"]) == int(e["object_id"]) for e in lists), lists

            status, probes = get(srv, au, "/api/v1/audit/entries", actor="caseworker")
            by_action = {e["action"]: e for e in probes["entries"]}
            denied = by_action.get("access.denied")
            assert denied and denied["object_id"] == str(theirs) and \
                denied["outcome"] == "denied", probes
            missing = by_action.get("access.not_found")
            assert missing and missing["object_id"] == "987654", probes
            assert denied["client_address"] == "127.0.0.1", denied

            status, ur = get(srv, au, "/api/v1/audit/entries", action="users.read", actor="admin")
            returned = ur["entries"][0]["details"]
            assert returned["object_type"] == "user"
            assert sorted(returned["ids"]) == sorted(u["id"] for u in
                                                     (users["users"] if isinstance(users, dict)
                                                      else users)), (returned, users)

            # Time range: nothing before 2001, everything since.
            status, none = get(srv, au, "/api/v1/audit/entries", until="2001-01-01T00:00:00Z")
            assert status == 200 and none["entries"] == [], none
            status, since = get(srv, au, "/api/v1/audit/entries", since="2001-01-01T00:00:00Z",
                                limit="5")
            assert len(since["entries"]) == 5, since

            # The export: each entry proven included in the signed head, and itself audited.
            status, ex = get(srv, au, "/api/v1/audit/export", object_type="screening",
                             object_id=str(target))
            assert status == 200, ex
            head = ex["head"]
            root = bytes.fromhex(head["root_hash"])
            assert ex["entries"], ex
            for e in ex["entries"]:
                ok = verify_inclusion(e["seq"] - 1, head["tree_size"],
                                      bytes.fromhex(e["leaf_hash"]),
                                      [bytes.fromhex(p) for p in e["inclusion_proof"]], root)
                assert ok, e
                bad = [bytes.fromhex(p) for p in e["inclusion_proof"]]
                if bad:
                    bad[0] = bytes(32)
                    assert not verify_inclusion(e["seq"] - 1, head["tree_size"],
                                                bytes.fromhex(e["leaf_hash"]), bad, root)
            status, audited = get(srv, au, "/api/v1/audit/entries", action="audit.export")
            last = audited["entries"][0]
            assert last["actor"] == "auditor" and last["client_address"] == "127.0.0.1", last
            assert last["details"]["filter"] == {"object_type": "screening",
                                                 "object_id": str(target)}, last
            assert last["details"]["entries"] == len(ex["entries"]), last
            # Only auditors export.
            assert get(srv, admin, "/api/v1/audit/export")[0] == 403

        # The command line's entries carry "cli"; its export is audited too; the log verifies.
        r = store.run("audit", "export", "--action", "access.not_found", "--out",
                      store.data + "/export.json")
        exported = json.load(open(store.data + "/export.json"))
        assert len(exported["entries"]) == 1, exported
        r = store.run("users", "list")
        r = store.run("audit", "export", "--actor", "cli", "--limit", "3")
        cli = json.loads(r.stdout)["entries"]
        assert cli and all(e["client_address"] == "cli" for e in cli), cli
        assert any(e["action"] == "audit.export" for e in cli), cli
        r = store.run("audit", "verify")
        print(r.stdout.strip())
        print("ok: list reads name their ids, probes are recorded, entries carry the client "
              "address, auditor filters and an audited export with verifying inclusion proofs")


if __name__ == "__main__":
    main()
