#!/usr/bin/env python3
"""`ctip jobs` (issue #6, item 7): a job run in process with a progress bar, the same file
uploaded to a running server and followed, list/show/cancel on the store, and bad input that
exits 2 naming the field. ctest runs it on SQLite and (label pg) on PostgreSQL."""
import json
import os
import subprocess
import sys

from ctip_harness import PASSWORD, Server, Store

CTIP = sys.argv[1]


def main():
    with Store(CTIP, prefix="ctip-jobs-cli-") as store:
        store.demo()
        lines = 25_000
        path = os.path.join(store.data, "input.csv")
        with open(path, "w") as f:
            for i in range(lines):
                f.write(f"2026-11-30,row {i}\n")

        kinds = subprocess.run([CTIP, "jobs", "kinds"], capture_output=True, text=True,
                               check=True)
        assert "count_lines" in kinds.stdout, kinds.stdout

        # In process: the final job as JSON; progress went to stderr.
        r = store.run("jobs", "run", "count_lines", path, "--json")
        job = json.loads(r.stdout)
        assert job["status"] == "succeeded" and job["result"]["lines"] == lines, job
        assert "100%" in r.stderr or "bytes" in r.stderr, r.stderr

        # On a running server (the store's own job runner), through the API.
        with Server(store) as server:
            r = subprocess.run(
                [CTIP, "jobs", "submit", "count_lines", path, "--server",
                 f"http://127.0.0.1:{server.port}", "--user", "analyst", "--password-stdin",
                 "--json"], input=PASSWORD + "\n", capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            remote = json.loads(r.stdout)
            assert remote["status"] == "succeeded" and remote["result"]["lines"] == lines, remote
            # A role without jobs.create is refused, naming the action.
            r = subprocess.run(
                [CTIP, "jobs", "submit", "count_lines", path, "--server",
                 f"http://127.0.0.1:{server.port}", "--user", "screener", "--password-stdin"],
                input=PASSWORD + "\n", capture_output=True, text=True)
            assert r.returncode != 0 and "jobs.create" in r.stderr, (r.returncode, r.stderr)

        listed = json.loads(store.run("jobs", "list", "--json").stdout)
        assert [j["id"] for j in listed][:2] == [remote["id"], job["id"]], listed
        shown = json.loads(store.run("jobs", "show", str(job["id"]), "--json").stdout)
        assert shown["result"]["lines"] == lines, shown
        r = store.run("jobs", "cancel", str(job["id"]), check=False)
        assert r.returncode != 0 and "succeeded" in r.stderr, (r.returncode, r.stderr)
        r = store.run("jobs", "run", "no_such_kind", path, check=False)
        assert r.returncode == 2 and "kind" in r.stderr, (r.returncode, r.stderr)
        r = store.run("jobs", "show", "999999", check=False)
        assert r.returncode != 0 and "no such job" in r.stderr, (r.returncode, r.stderr)
    print("ok: ctip jobs run, submit, list, show and cancel")


if __name__ == "__main__":
    main()
