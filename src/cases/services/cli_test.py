#!/usr/bin/env python3
"""`ctip providers import|list` through the real binary, on SQLite and (label pg) PostgreSQL:
- a file with bad rows exits 2, names every bad row by line and field on stderr, and imports
  nothing (all or nothing);
- a good file imports every provider, which `ctip providers list --json` shows with its free
  places; --service and --free filter;
- a missing store is refused (exit 2, naming --data) rather than created;
- the import is audited (providers.import)."""
import json
import os
import sys

from ctip_harness import Store

CTIP = sys.argv[1]
TESTDATA = sys.argv[2]


def check(cond, message):
    if not cond:
        raise SystemExit("FAIL: " + message)


def providers(store, *extra):
    return json.loads(store.run("providers", "list", "--json", *extra).stdout)


with Store(CTIP, prefix="ctip-providers-") as store:
    migrated = store.run("db", "migrate", check=False)
    check(migrated.returncode == 0, f"db migrate: {migrated.stderr}")

    bad = store.run("providers", "import", os.path.join(TESTDATA, "providers_bad.csv"),
                    check=False)
    check(bad.returncode == 2, f"bad rows: exit {bad.returncode}, want 2: {bad.stderr}")
    for needle in ("line 3, services", "massage", "line 4, occupancy", "line 5, capacity",
                   "nothing was imported"):
        check(needle in bad.stderr, f"stderr lacks {needle!r}: {bad.stderr}")
    check(providers(store) == [], "a rejected file left providers behind")

    good = store.run("providers", "import", os.path.join(TESTDATA, "providers.csv"), "--json")
    check(json.loads(good.stdout)["imported"] == 2, good.stdout)
    listed = providers(store)
    check([p["name"] for p in listed] == ["Casa Ana shelter", "Legal Clinic"], str(listed))
    check(listed[0]["free_places"] == 8 and listed[1]["free_places"] == 40, str(listed))
    check([p["name"] for p in providers(store, "--service", "legal_aid")] == ["Legal Clinic"],
          "--service legal_aid")
    text = store.run("providers", "list").stdout
    check("8/20 free" in text, text)

    audit = store.run("audit", "export", "--action", "providers.import", check=False)
    check(audit.returncode == 0 and "providers.import" in audit.stdout,
          f"import not audited: {audit.returncode} {audit.stdout[:200]} {audit.stderr[:200]}")

missing = Store(CTIP, prefix="ctip-providers-missing-")
try:
    if not missing.db:
        os.rmdir(missing.data)
        r = missing.run("providers", "list", check=False)
        check(r.returncode == 2 and "--data" in r.stderr, f"missing store: {r.returncode} {r.stderr}")
        check(not os.path.exists(os.path.join(missing.data, "ctip.sqlite")), "store was created")
finally:
    missing.close()

print("providers CLI: ok")
