#!/usr/bin/env python3
"""`ctip flows import|imports|corridors|domestic|categories|shifts|glotip|release` over a store
(issue #9 items 1-5), through the real binary, on SQLite and (label pg) on PostgreSQL:
- an import lands whole or not at all: a file with a bad row exits 2 naming the line and
  column and leaves the store as it was; --dry-run stores nothing; --skip-bad-rows imports the
  rest and lists what it skipped;
- the JSON contracts of corridors and domestic, with ISO alpha-3 codes;
- the demo dataset's domestic-share rise from 2020 is flagged as a shift, with its sentence;
- a k release leaves no suppressed value in its CSV; k < 2 and epsilon <= 0 are refused;
- the epsilon budget holds across separate runs (processes);
- GLOTIP: domestic shares per country-year with the '<5' intervals carried through (the UNODC
  file of ../shared when it is there, else the fixture)."""
import csv
import io
import json
import os
import sys
import tempfile

from ctip_harness import Store

CTIP = sys.argv[1]
TESTDATA = sys.argv[2]
SHARED_GLOTIP = sys.argv[3] if len(sys.argv) > 3 else ""


def jrun(store, *args):
    return json.loads(store.run(*args).stdout)


def imports(store):
    return jrun(store, "flows", "imports", "--json")


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def main():
    with Store(CTIP, prefix="ctip-flows-store-") as store, tempfile.TemporaryDirectory() as tmp:
        store.demo()  # users, screenings (cases: source "ctip") and the generated flows dataset
        o = imports(store)
        assert len(o["imports"]) == 1 and o["imports"][0]["imported"] == 30000, o
        assert "ctip" in o["sources"], o["sources"]
        records = o["records"]

        # A file with a ragged row: rejected whole, the line and column named, nothing stored.
        sample = open(os.path.join(TESTDATA, "ctdc_sample.csv"), encoding="utf-8-sig").read()
        bad = write(tmp, "bad.csv", sample.rstrip("\n") + "\n,2019,Hotline,Female\n")
        r = store.run("flows", "import", "--format", "ctdc", bad, "--quiet", check=False)
        assert r.returncode == 2, (r.returncode, r.stderr)
        bad_line = len(sample.rstrip("\n").split("\n")) + 1
        assert f"line {bad_line}" in r.stderr and "nothing was imported" in r.stderr, r.stderr
        after = imports(store)
        assert after["imports"] == o["imports"] and after["records"] == records, after

        # --dry-run: the summary, nothing stored.
        r = jrun(store, "flows", "import", "--format", "ctdc", bad, "--dry-run", "--skip-bad-rows",
                 "--json", "--quiet")
        assert r["dry_run"] and "import_id" not in r and r["summary"]["skipped"] == 1, r
        assert imports(store)["records"] == records

        # --skip-bad-rows: the good rows land, the bad one is listed.
        r = jrun(store, "flows", "import", "--format", "ctdc", bad, "--skip-bad-rows", "--json",
                 "--quiet")
        assert r["summary"]["skipped"] == 1 and r["summary"]["errors"][0]["line"] == bad_line, r
        assert imports(store)["records"] == records + r["summary"]["imported"]

        # Unknown values are counted, never a country; the format's other layouts import too.
        unknown = r["summary"]["unknown_values"]
        assert "citizenship" in unknown or "CountryOfExploitation" in unknown, unknown
        for fmt, name in [("ctdc-synthetic", "ctdc_synthetic_sample.csv"),
                          ("htcds", "htcds_sample.csv")]:
            jrun(store, "flows", "import", "--format", fmt, os.path.join(TESTDATA, name), "--json",
                 "--quiet")

        # Unknown format, missing file: exit 2 naming the field.
        r = store.run("flows", "import", "--format", "csv", bad, check=False)
        assert r.returncode == 2 and "format" in r.stderr, r.stderr

        # corridors: [{"citizenship","exploitation","count"}] with alpha-3 codes.
        c = jrun(store, "flows", "corridors", "--from", "2017", "--to", "2019", "--json")
        assert c and set(c[0]) == {"citizenship", "exploitation", "count"}, c[:1]
        assert all(len(x["citizenship"]) == 3 and len(x["exploitation"]) == 3 for x in c)
        assert c == sorted(c, key=lambda x: -x["count"]), "by count, descending"
        whole = jrun(store, "flows", "corridors", "--json")
        assert sum(x["count"] for x in whole) > sum(x["count"] for x in c)

        # domestic: [{"year"|"country","domestic","total_known","share"}].
        d = jrun(store, "flows", "domestic", "--by", "year", "--json")
        years = {x["year"]: x for x in d}
        for x in d:
            assert {"year", "domestic", "total_known", "share"} <= set(x), x
            if x["total_known"]:
                assert abs(x["share"] - x["domestic"] / x["total_known"]) < 1e-9
        assert years[2021]["share"] > years[2018]["share"] + 0.1, (years[2018], years[2021])
        dc = jrun(store, "flows", "domestic", "--by", "country", "--json")
        assert all(len(x["country"]) == 3 for x in dc) and any(x["country"] == "UKR" for x in dc)

        # categories by year.
        cat = jrun(store, "flows", "categories", "--group", "labour", "--json")
        assert cat["group"] == "labour" and cat["years"], cat.keys()

        # shifts: the domestic share's rise is flagged, with its one-sentence explanation.
        s = jrun(store, "flows", "shifts", "--json")
        overall = [x for x in s["shifts"] if x["label"] == "Domestic share"]
        assert overall and overall[0]["verdict"] == "shift", overall
        assert overall[0]["explanation"].startswith("Domestic share rose from "), overall[0]
        assert "q < 0.001" in overall[0]["explanation"]
        assert s["shifts"][0]["verdict"] == "shift", "flagged shifts come first"
        r = store.run("flows", "shifts", "--baseline", "2019-2017", check=False)
        assert r.returncode == 2 and "baseline" in r.stderr, r.stderr

        # k release: suppressed cells are empty in the CSV; k < 2 refused.
        out = os.path.join(tmp, "k.csv")
        store.run("flows", "release", "--k", "11", "--out", out)
        rows = list(csv.DictReader(open(out, encoding="utf-8")))
        assert rows and list(rows[0]) == ["citizenship", "exploitation", "count", "status"]
        suppressed = [x for x in rows if x["status"] == "suppressed"]
        assert suppressed and all(x["count"] == "" for x in suppressed)
        assert all(x["count"] == "" or int(x["count"]) == 0 or int(x["count"]) >= 11
                   for x in rows), "no published cell below k but zeros"
        r = store.run("flows", "release", "--k", "1", "--out", out, check=False)
        assert r.returncode == 2 and "k" in r.stderr, r.stderr
        r = store.run("flows", "release", "--epsilon", "0", "--out", out, check=False)
        assert r.returncode == 2 and "epsilon" in r.stderr, r.stderr

        # The epsilon budget (1.0 per dataset) across separate runs: 0.6, then 0.6 is refused.
        store.run("flows", "release", "--epsilon", "0.6", "--out", os.path.join(tmp, "e1.csv"))
        r = store.run("flows", "release", "--epsilon", "0.6", "--out",
                      os.path.join(tmp, "e2.csv"), check=False)
        assert r.returncode != 0 and "budget" in r.stderr and "nothing was released" in r.stderr, r
        assert not os.path.exists(os.path.join(tmp, "e2.csv"))
        store.run("flows", "release", "--epsilon", "0.4", "--out", os.path.join(tmp, "e3.csv"))
        spent = [i["epsilon_spent"] for i in imports(store)["imports"]]
        assert all(abs(x - 1.0) < 1e-9 for x in spent), spent
        exported = json.loads(store.run("audit", "export", "--action", "flows.release").stdout)
        assert len(exported["entries"]) == 3, "every release is audited, refused ones are not"

        # GLOTIP: domestic shares per country-year, '<5' kept as an interval.
        glotip = SHARED_GLOTIP if SHARED_GLOTIP and os.path.exists(SHARED_GLOTIP) else \
            os.path.join(TESTDATA, "glotip_sample.csv")
        r = jrun(store, "flows", "import", "--format", "glotip", glotip, "--json", "--quiet",
                 "--skip-bad-rows")
        assert r["summary"]["imported"] > 0, r["summary"]
        g = jrun(store, "flows", "glotip", "--json")
        assert g and all({"country", "year", "domestic", "share"} <= set(x) for x in g), g[:1]
        intervals = [x for x in g if x["total_known"]["lo"] < x["total_known"]["hi"]]
        assert intervals, "some country-year carries a '<5' interval"
        for x in intervals:
            assert x["share"]["lo"] <= x["share"]["hi"]
            assert x["domestic"]["lo"] <= x["domestic"]["hi"]
        if glotip == SHARED_GLOTIP:
            # Argentina reports victims by citizenship for many years (UNODC GLOTIP 2025).
            arg = jrun(store, "flows", "glotip", "--country", "ARG", "--json")
            assert len(arg) >= 5 and all(x["country"] == "ARG" for x in arg), arg[:2]
        by_year = jrun(store, "flows", "glotip", "--by", "year", "--json")
        assert by_year and "country" not in by_year[0]
    print("flows store CLI: ok")


if __name__ == "__main__":
    main()
