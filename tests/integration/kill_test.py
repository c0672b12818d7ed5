#!/usr/bin/env python3
"""SIGKILL during writes loses no committed data and never corrupts the store; SIGTERM shuts
down cleanly (issue #2).

Starts the real `ctip serve`, has four clients create records as fast as they can, kills the
server with SIGKILL mid-stream, then reopens the store: every write the server acknowledged
(2xx) must be there, `ctip db check` and `ctip audit verify` must pass. Repeated three times on
the same store, so recovery after a kill is exercised too. ctest runs it on SQLite and (label
pg) on PostgreSQL.
"""
import json
import random
import signal
import sys
import threading
import time

from ctip_harness import Server, Store, request

CTIP = sys.argv[1]


def main():
    with Store(CTIP, prefix="ctip-kill-") as store:
        store.demo()
        acknowledged = []
        lock = threading.Lock()
        for round_ in range(3):
            server = Server(store)
            port = server.port
            auth = server.login("admin")
            stop = threading.Event()

            def writer(w):
                i = 0
                while not stop.is_set():
                    name = f"kill.r{round_}.w{w}.{i}"
                    i += 1
                    try:
                        status, _, _ = request(port, "POST", "/api/v1/users",
                                               {"username": name, "password": "a-good-password",
                                                "role": "screener"}, auth)
                    except OSError:
                        return  # the server is gone
                    if status == 201:
                        with lock:
                            acknowledged.append(name)

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
            for t in threads:
                t.start()
            time.sleep(1.5 + random.random())
            server.stop(signal.SIGKILL)
            stop.set()
            for t in threads:
                t.join()
            print(f"round {round_}: killed after {len(acknowledged)} acknowledged writes in all")

        present = {u["username"] for u in json.loads(store.run("users", "list", "--json").stdout)}
        lost = [n for n in acknowledged if n not in present]
        assert acknowledged, "no write was acknowledged: the test proved nothing"
        assert not lost, f"{len(lost)} acknowledged writes lost, e.g. {lost[:3]}"
        check = store.run("db", "check", check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        verify = store.run("audit", "verify", check=False)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        print(f"ok: {len(acknowledged)} acknowledged writes all present; store and audit log intact")

        # SIGTERM is a graceful shutdown: the server stops accepting, finishes, exits 0.
        server = Server(store)
        assert server.stop(signal.SIGTERM) == 0, "server did not exit cleanly on SIGTERM"
        print("ok: SIGTERM shuts the server down cleanly")

if __name__ == "__main__":
    main()
