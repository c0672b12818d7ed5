#!/usr/bin/env python3
"""Roles that cannot be minted beyond one's own reach (issue #7, item 4), against the real binary
on a demo store. Before: an organisation's admin could create auditor and analyst accounts,
whose matrix scope is `all`, and the new auditor read every organisation's audit trail.

1. The admin gets 403 (naming `role`) creating an auditor or an analyst, and nothing is created:
   the account cannot log in.
2. The admin still creates the organisation-scoped roles (201).
3. The operator on the server gives an auditor through `ctip users add` (exit 0), who logs in.

Usage: grants_test.py path/to/ctip   (CTIP_TEST_ENGINE=postgresql runs it on PostgreSQL)
"""
import json
import sys

from ctip_harness import Server, Store

GOOD_PASSWORD = "tram-lantern-oak-7"


def create(srv, headers, username, role):
    status, _, body = srv.request("POST", "/api/v1/users",
                                  {"username": username, "password": GOOD_PASSWORD, "role": role},
                                  headers=headers)
    return status, json.loads(body) if body else {}


def main(ctip):
    with Store(ctip, prefix="ctip-grants-") as store:
        store.demo()
        with Server(store) as srv:
            admin = srv.login("admin")
            for role in ("auditor", "analyst"):
                status, body = create(srv, admin, f"minted.{role}", role)
                assert status == 403, (role, status, body)
                assert body["error"]["field"] == "role", body
                status, _, _ = srv.request("POST", "/api/v1/session",
                                           {"username": f"minted.{role}",
                                            "password": GOOD_PASSWORD})
                assert status == 401, f"a refused {role} must not exist ({status})"
            print("ok: an organisation's admin creating an auditor or analyst -> 403 naming role")

            for role in ("screener", "caseworker", "investigator", "admin"):
                status, body = create(srv, admin, f"new.{role}", role)
                assert status == 201, (role, status, body)
                assert body["user"]["role"] == role
            print("ok: the admin creates screener, caseworker, investigator, admin -> 201")

            # The operator at the server's command line may give any role.
            out = store.run("users", "add", "--name", "operator.auditor", "--org",
                            "Oversight Office", "--role", "auditor", "--password-stdin",
                            input=GOOD_PASSWORD + "\n", check=False)
            assert out.returncode == 0, out.stderr
            headers = srv.login("operator.auditor", GOOD_PASSWORD)
            status, _, _ = srv.request("GET", "/api/v1/audit/entries", headers=headers)
            assert status == 200, status
            # The CLI applies the password policy too.
            out = store.run("users", "add", "--name", "weak.user", "--org", "Oversight Office",
                            "--role", "auditor", "--password-stdin", input="1234567890\n",
                            check=False)
            assert out.returncode == 2 and "password" in out.stderr, (out.returncode, out.stderr)
            print("ok: the operator gives an auditor with `ctip users add` -> exit 0, who logs in; "
                  "a weak password there -> exit 2")
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
