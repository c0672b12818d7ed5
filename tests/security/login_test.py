#!/usr/bin/env python3
"""Logins that cannot lock out the owner or exhaust memory (issue #7, item 3), against the real
binary on a demo store:

1. Wrong passwords sent from one address (127.0.0.2) make that address wait (429), and never
   refuse the right password sent from another (127.0.0.1, 127.0.0.3). Before: 5 wrong
   passwords from anywhere locked the named account for 15 minutes.
2. Throttled attempts are aggregated in the audit log: 40 of them from one source add a couple
   of entries, not 40 (before: one signed entry per attempt).
3. Weak passwords are refused with 400 naming `password` (the review's `aaaaaaaaaa`,
   `1234567890`, ten spaces; a common one; one containing the username).
4. A user keeps at most 5 sessions: the sixth login ends the oldest. Changing one's password
   follows the policy too (400 naming `new_password`) and ends every session of the user.
5. A login flood - 32 connections of wrong passwords for a few seconds, each from its own
   address so that no throttle slows it - keeps the server's peak RSS (VmHWM) under 300 MB
   (before: 1.6 GB, a 64 MiB Argon2 buffer per request), and /health answers meanwhile.

Usage: login_test.py path/to/ctip   (CTIP_TEST_ENGINE=postgresql runs it on PostgreSQL)
"""
import json
import os
import sys
import threading
import time

from ctip_harness import Server, Store, request

FLOOD_CONNECTIONS = 32
FLOOD_SECONDS = 5
MAX_RSS_MB = 300
# Under AddressSanitizer (make test's build) the same server holds shadow memory and a quarantine
# of freed blocks (up to 256 MB by default): about twice the memory, as ASan's documentation says
# (https://github.com/google/sanitizers/wiki/AddressSanitizer#introduction). A flood that grew
# without bound would still cross it.
if os.environ.get("CTIP_SANITIZED") == "1":
    MAX_RSS_MB = 2 * MAX_RSS_MB


def login_status(srv, user, password, source):
    return srv.request("POST", "/api/v1/session", {"username": user, "password": password},
                       source=source)[0]


def vm_hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc/PID/status")


def audit_size(srv, headers):
    status, _, body = srv.request("GET", "/api/v1/audit/head", headers=headers)
    assert status == 200, (status, body)
    doc = json.loads(body)
    return doc.get("tree_size", doc.get("head", {}).get("tree_size"))


def no_lockout_from_another_address(srv):
    attacker, owner = "127.0.0.2", "127.0.0.1"
    statuses = [login_status(srv, "screener", f"guess-number-{i}", attacker) for i in range(8)]
    assert statuses[:5] == [401] * 5, statuses
    assert statuses[5:] == [429] * 3, f"the guessing address must wait: {statuses}"
    assert login_status(srv, "screener", "ctip-demo-2026", attacker) == 429, \
        "the guessing address waits even with the right password"
    srv.login("screener", source=owner)
    srv.login("screener", source="127.0.0.3")
    print(f"ok: 8 wrong passwords from {attacker} -> {statuses}; "
          f"the right one from {owner} and 127.0.0.3 -> 200")


def throttled_attempts_are_aggregated(srv):
    auditor = srv.login("auditor")
    before = audit_size(srv, auditor)
    for i in range(40):
        assert login_status(srv, "screener", f"guess-number-{i}", "127.0.0.2") == 429
    after = audit_size(srv, auditor)
    # The first throttled attempt of the source is written at once, the rest counted and
    # written as one entry when the window closes; a few other entries may come from the
    # auditor's own reads.
    assert after - before <= 4, f"40 throttled attempts added {after - before} audit entries"
    print(f"ok: 40 throttled attempts added {after - before} audit entries")


def weak_passwords_are_400(srv):
    admin = srv.login("admin")
    weak = ["aaaaaaaaaa", "1234567890", " " * 10, "aaaaaaaaaaaa", "123456789012",
            "password1234", "elevenchars", "my-new.user-secret"]
    for pw in weak:
        status, _, body = srv.request("POST", "/api/v1/users",
                                      {"username": "new.user", "password": pw, "role": "screener"},
                                      headers=admin)
        error = json.loads(body).get("error", {})
        assert status == 400 and error.get("field") == "password", (pw, status, body)
    status, _, body = srv.request("POST", "/api/v1/users",
                                  {"username": "new.user", "password": "tram-lantern-oak-7",
                                   "role": "screener"}, headers=admin)
    assert status == 201, (status, body)
    print(f"ok: {len(weak)} weak passwords -> 400 naming password; a good one -> 201")


def sessions_per_user_are_bounded(srv):
    sessions = [srv.login("caseworker") for _ in range(6)]
    me = [srv.request("GET", "/api/v1/me", headers=h)[0] for h in sessions]
    assert me == [401] + [200] * 5, me
    print(f"ok: 6 logins of one user -> /me {me} (the oldest ended)")


def password_change_follows_the_policy(srv):
    old = srv.login("inspector")
    other = srv.login("inspector")

    def change(headers, current, new):
        status, _, body = srv.request("POST", "/api/v1/me/password",
                                      {"current_password": current, "new_password": new},
                                      headers=headers)
        return status, (json.loads(body).get("error", {}).get("field") if body else None)

    assert change(old, "not-the-password", "tram-lantern-oak-7") == (400, "current_password")
    assert change(old, "ctip-demo-2026", "1234567890") == (400, "new_password")
    assert change(old, "ctip-demo-2026", "my-inspector-pass") == (400, "new_password")
    assert change(old, "ctip-demo-2026", "tram-lantern-oak-7") == (204, None)
    assert srv.request("GET", "/api/v1/me", headers=old)[0] == 401
    assert srv.request("GET", "/api/v1/me", headers=other)[0] == 401, "every session ends"
    srv.login("inspector", "tram-lantern-oak-7")
    print("ok: POST /me/password: wrong current -> 400 current_password, weak new -> 400 "
          "new_password, good -> 204 and every session of the user ends")


def flood_keeps_memory_bounded(srv):
    stop = time.monotonic() + FLOOD_SECONDS
    counts = [0] * FLOOD_CONNECTIONS
    resets = [0] * FLOOD_CONNECTIONS
    statuses = set()
    health_ms = []

    def flood(t):
        n = 0
        while time.monotonic() < stop:
            n += 1
            # Each attempt from its own address with a made-up username: no throttle, every
            # one an Argon2 verify (against the fixed hash that hides which accounts exist).
            source = f"127.1.{t}.{n % 250 + 1}"
            try:
                # A generous timeout: 32 queued hashes on a small shared machine take seconds.
                statuses.add(srv.request("POST", "/api/v1/session",
                                         {"username": f"nobody-{t}-{n}", "password": "x"},
                                         source=source, timeout=60)[0])
            except ConnectionResetError:
                # The HTTP server resets some connections of such a burst (the binary before
                # this change does too): the HTTP server's part of issue #7. Counted, reported.
                resets[t] += 1
            counts[t] += 1

    threads = [threading.Thread(target=flood, args=(t,)) for t in range(FLOOD_CONNECTIONS)]
    for th in threads:
        th.start()
    while time.monotonic() < stop:
        t0 = time.monotonic()
        try:
            assert srv.request("GET", "/api/v1/health", timeout=60)[0] == 200
            health_ms.append((time.monotonic() - t0) * 1000)
        except ConnectionResetError:
            resets[0] += 1
        time.sleep(0.2)
    for th in threads:
        th.join()
    peak = vm_hwm_mb(srv.proc.pid)
    health_ms.sort()
    print(f"figure: {FLOOD_CONNECTIONS} connections of wrong logins for {FLOOD_SECONDS} s: "
          f"{sum(counts)} attempts ({sum(resets)} connections reset), "
          f"server peak RSS (VmHWM) {peak:.0f} MB, "
          f"/health median {health_ms[len(health_ms) // 2]:.1f} ms, max {health_ms[-1]:.1f} ms")
    assert srv.alive()
    assert statuses == {401}, statuses
    assert peak < MAX_RSS_MB, f"peak RSS {peak:.0f} MB under a login flood"


def main(ctip):
    with Store(ctip, prefix="ctip-login-") as store:
        store.demo()
        with Server(store) as srv:
            no_lockout_from_another_address(srv)
            throttled_attempts_are_aggregated(srv)
            weak_passwords_are_400(srv)
            sessions_per_user_are_bounded(srv)
            password_change_follows_the_policy(srv)
        # A fresh server, so that its peak RSS is the flood's.
        with Server(store) as srv:
            flood_keeps_memory_bounded(srv)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
