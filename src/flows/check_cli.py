#!/usr/bin/env python3
"""`ctip flows summary` through the real binary: the JSON of a good file, and exit code 2 with
the line and column on stderr for bad ones. Usage: check_cli.py CTIP TESTDATA_DIR"""
import json
import os
import subprocess
import sys
import tempfile

ctip, testdata = sys.argv[1], sys.argv[2]
failures = []


def run(*args, stdin=None):
    return subprocess.run([ctip, "flows", "summary", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def check(cond, what):
    if not cond:
        failures.append(what)


r = run(os.path.join(testdata, "ctdc_sample.csv"), "--format", "ctdc", "--json")
check(r.returncode == 0, f"ctdc sample: exit {r.returncode}: {r.stderr}")
if r.returncode == 0:
    out = json.loads(r.stdout)
    check(out["summary"]["imported"] == 8, "ctdc sample: 8 imported")
    check({"citizenship": "UKR", "exploitation": "UKR", "count": 2} in out["corridors"],
          "ctdc sample: corridor UKR -> UKR x 2")
    check(out["domestic"]["by_year"][0] == {"year": 2017, "domestic": 1, "total_known": 2,
                                            "unknown": 0, "share": 0.5},
          f"ctdc sample: domestic 2017: {out['domestic']['by_year'][:1]}")
    check(any(v["value"] == "0" for v in out["summary"]["unknown_values"]["citizenship"]),
          "ctdc sample: citizenship \"0\" listed as unknown")
    check("exploitation" in out["groups"] and "recruiter" in out["groups"], "groups present")

r = run(os.path.join(testdata, "glotip_sample.csv"), "--format", "glotip", "--json")
check(r.returncode == 0, f"glotip sample: exit {r.returncode}: {r.stderr}")
if r.returncode == 0:
    out = json.loads(r.stdout)
    arg = [d for d in out["domestic"] if d["country"] == "ARG" and d["year"] == 2019]
    check(arg and arg[0]["total_known"] == {"lo": 1584, "hi": 1596}, f"glotip ARG 2019: {arg}")
    check(out["summary"]["malformed"][0]["value"] == "6,112,019", "glotip malformed listed")

with tempfile.TemporaryDirectory() as d:
    bad = os.path.join(d, "bad.csv")
    with open(bad, "w") as f:
        f.write("yearOfRegistration,isForcedLabour,citizenship\n2019,1,NG\n2019,maybe,NG\n2019,1\n")
    r = run(bad, "--format", "ctdc", "--json")
    check(r.returncode == 2, f"bad flag: exit {r.returncode}")
    check("line 3, column 2 (isForcedLabour)" in r.stderr, f"bad flag message: {r.stderr}")
    check("line 4" in r.stderr and "ragged" in r.stderr, f"ragged row message: {r.stderr}")
    check(r.stdout == "", "nothing on stdout when the file has errors")
    r = run(bad, "--format", "ctdc", "--json", "--skip-bad-rows")
    check(r.returncode == 0 and json.loads(r.stdout)["summary"]["skipped"] == 2,
          f"--skip-bad-rows: exit {r.returncode}")
    with open(bad, "w") as f:
        f.write("2019,1,NG\n")
    r = run(bad, "--format", "ctdc")
    check(r.returncode == 2 and "header" in r.stderr, f"missing header: {r.returncode} {r.stderr}")
    r = run(bad, "--format", "excel")
    check(r.returncode == 2 and "ctdc-synthetic" in r.stderr, f"unknown format: {r.stderr}")
    r = run(os.path.join(d, "absent.csv"), "--format", "ctdc")
    check(r.returncode == 2, "missing file: exit 2")

r = subprocess.run([ctip, "flows", "summary", "--help"], capture_output=True, text=True)
check(r.returncode == 0 and "glotip" in r.stdout and "Example" in r.stdout, "--help teaches")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
