#!/usr/bin/env python3
"""`ctip cases list|show|alerts|export` through the real binary, on a demo-free store seeded
by `ctip` itself: a user and a screening made through the API's services are not reachable from
the CLI, so the store is seeded with `ctip demo` when it offers cases, else checked empty.

usage: check_cli.py CTIP"""
import json
import os
import subprocess
import sys
import tempfile


def run(ctip, *args, ok=True):
    p = subprocess.run([ctip, *args], capture_output=True, text=True, timeout=300)
    if ok and p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def main():
    ctip = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        # An empty store: list is empty, show of a missing case is exit 1 with a message.
        run(ctip, "db", "migrate", "--data", data)
        out = json.loads(run(ctip, "cases", "list", "--data", data, "--json").stdout)
        assert out == [], out
        p = run(ctip, "cases", "show", "987654", "--data", data, ok=False)
        assert p.returncode != 0 and "no such case" in p.stderr, (p.returncode, p.stderr)
        # A mistyped --data is refused, not created.
        p = run(ctip, "cases", "list", "--data", os.path.join(tmp, "nope"), ok=False)
        assert p.returncode == 2, (p.returncode, p.stderr)
        assert not os.path.exists(os.path.join(tmp, "nope"))
        # A bad status is refused naming the field.
        p = run(ctip, "cases", "list", "--data", data, "--status", "victim", ok=False)
        assert p.returncode == 2 and "status" in p.stderr, (p.returncode, p.stderr)

        # The demo store's cases: listed, shown, exported (audited).
        demo = os.path.join(tmp, "demo")
        run(ctip, "demo", "--data", demo, "--no-serve", ok=False)
        if not os.path.exists(demo):
            demo = data
        cases = json.loads(run(ctip, "cases", "list", "--data", demo, "--json").stdout)
        if cases:
            first = cases[0]["id"]
            shown = json.loads(
                run(ctip, "cases", "show", str(first), "--data", demo, "--json").stdout)
            assert shown["id"] == first and shown["timeline"], shown
            text = run(ctip, "cases", "show", str(first), "--data", demo).stdout
            assert f"case {first}" in text, text
        csv = os.path.join(tmp, "cases.csv")
        summary = json.loads(
            run(ctip, "cases", "export", "--data", demo, "--out", csv, "--json").stdout)
        with open(csv, encoding="utf-8") as f:
            lines = f.read().splitlines()
        assert lines[0].startswith("prs_Gender,"), lines[0]
        assert len(lines) - 1 == summary["rows"], (len(lines), summary)
        alerts = json.loads(run(ctip, "cases", "alerts", "--data", demo, "--json").stdout)
        assert "alerts" in alerts and alerts["thresholds"]["permit_pending_days"] == 30, alerts
        entries = run(ctip, "audit", "list", "--data", demo, "--action", "cases.export",
                      ok=False)
        if entries.returncode == 0:
            assert "cases.export" in entries.stdout, entries.stdout
    print("cases cli: ok")


if __name__ == "__main__":
    main()
