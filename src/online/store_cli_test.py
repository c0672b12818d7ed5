#!/usr/bin/env python3
"""`ctip ads ingest|networks|network|report|verify` over a store (issue #10 items 5-7), through
the real binary, on SQLite and (label pg) on PostgreSQL:
- a generated corpus (bench/gen_ads.py) ingested in two files gives exactly the networks that
  `ctip ads analyze` finds in the whole file in one pass (new ads join the stored clusters);
- every pair of ads that share a normalised phone number is in the same network, unless the
  number is reported too common;
- the ranked list is ranked; bad rows are listed with their lines and skipped, --strict refuses
  the file (exit 2 naming the line) and leaves the store as it was;
- an evidence package verifies against its manifest, and a tampered one does not (exit 1)."""
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict

from ctip_harness import Store, psql

CTIP = sys.argv[1]
ROOT = sys.argv[2]


def query(store, sql):
    """Rows of a read-only query on the store, as lists of strings (None for NULL)."""
    if store.db:
        url = store.pg.rsplit("/", 1)[0] + "/" + store.db
        out = psql(url, sql)
        return [[None if v == "" else v for v in line.split("|")] for line in out.splitlines()]
    con = sqlite3.connect(os.path.join(store.data, "ctip.sqlite"))
    try:
        return [[None if v is None else str(v) for v in row] for row in con.execute(sql)]
    finally:
        con.close()


def partition(pairs):
    groups = defaultdict(set)
    for key, group in pairs:
        if group:
            groups[group].add(key)
    return {frozenset(g) for g in groups.values()}


def main():
    with Store(CTIP, prefix="ctip-ads-store-") as store, tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_ads.py"), "--ads", "3000",
                        "--seed", "3", "--out", corpus], check=True, capture_output=True)
        with open(os.path.join(corpus, "ads.csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        halves = []
        for i, part in enumerate((body[:1800], body[1800:])):
            path = os.path.join(tmp, f"part{i}.csv")
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(header)
                w.writerows(part)
            halves.append(path)

        first = json.loads(store.run("ads", "ingest", halves[0], "--quiet", "--json").stdout)
        assert first["summary"]["ingested"] == 1800, first["summary"]
        r = store.run("ads", "ingest", halves[1], "--quiet")
        assert "1200 ads stored" in r.stdout and "recomputed over all stored ads (3000 stored ads)" in r.stdout, r.stdout

        # The one-pass analysis of the whole file: the same networks.
        out = os.path.join(tmp, "analysis")
        subprocess.run([CTIP, "ads", "analyze", "--in", os.path.join(corpus, "ads.csv"), "--out", out,
                        "--quiet"], check=True, capture_output=True)
        with open(os.path.join(out, "ads.csv"), encoding="utf-8", newline="") as f:
            one_pass = partition((row["id"], row["network"]) for row in csv.DictReader(f))
        stored = partition(query(store, "SELECT ad_key, network_id FROM online_ads"))
        assert len(stored) > 10, len(stored)
        assert stored == one_pass, (len(stored), len(one_pass))

        # Ranked, with the values too common to link.
        nets = json.loads(store.run("ads", "networks", "--json", "--limit", "1000").stdout)
        assert nets["analysis"]["ads"] == 3000 and len(nets["ingests"]) == 2, nets["analysis"]
        ranks = [n["rank"] for n in nets["networks"]]
        assert ranks == list(range(1, len(ranks) + 1)), ranks[:10]
        risks = [n["risk"] for n in nets["networks"]]
        assert risks == sorted(risks, reverse=True), risks[:10]
        common = {v["value"] for v in nets["too_common"] if v["kind"] == "phone"}

        # Every pair of ads sharing a normalised phone is in one network, unless too common.
        by_phone = defaultdict(list)
        for value, network in query(store, "SELECT s.value, a.network_id FROM online_ad_selectors s "
                                           "JOIN online_ads a ON a.id = s.ad_id WHERE s.kind = 'phone'"):
            by_phone[value].append(network)
        shared = 0
        for value, networks in by_phone.items():
            if len(networks) < 2 or value in common:
                continue
            shared += 1
            assert None not in networks and len(set(networks)) == 1, (value, networks)
        assert shared > 50, shared
        print(f"{shared} phones shared by two ads or more, each within one network; "
              f"{len(common)} too common")

        # The same file again: every id already stored, nothing new, nothing recomputed.
        again = store.run("ads", "ingest", halves[1], "--quiet")
        assert "0 ads stored, 1200 rows skipped" in again.stdout and "no new ads" in again.stdout, again.stdout
        assert partition(query(store, "SELECT ad_key, network_id FROM online_ads")) == stored

        # Bad rows: listed with their lines and skipped; --strict refuses and stores nothing.
        bad = os.path.join(tmp, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("id,body,city\nx1,new in town call 713 555 0142,houston\nx2,,houston\n"
                    f"{body[0][0]},stored before,houston\nx4,a good ad,houston\n")
        count = query(store, "SELECT COUNT(*) FROM online_ads")[0][0]
        r = store.run("ads", "ingest", bad, "--strict", "--quiet", check=False)
        assert r.returncode == 2 and "line 3" in r.stderr, (r.returncode, r.stderr)
        assert query(store, "SELECT COUNT(*) FROM online_ads")[0][0] == count
        r = store.run("ads", "ingest", bad, "--quiet")
        assert "line 3" in r.stderr and "line 4" in r.stderr and "already stored" in r.stderr, r.stderr
        assert "2 ads stored, 2 rows skipped" in r.stdout, r.stdout
        assert int(query(store, "SELECT COUNT(*) FROM online_ads")[0][0]) == int(count) + 2

        # The evidence package of the top network; tampering is detected.
        top = nets["networks"][0]["id"]
        pkg = os.path.join(tmp, "evidence")
        r = store.run("ads", "report", "--network", str(top), "--out", pkg)
        assert "ads.evidence.export" in r.stdout, r.stdout
        assert sorted(os.listdir(pkg)) == ["manifest.json", "network.json", "report.html"]
        ok = subprocess.run([CTIP, "ads", "verify", "--dir", pkg], capture_output=True, text=True)
        assert ok.returncode == 0 and "2 files match" in ok.stdout, (ok.stdout, ok.stderr)
        net = json.load(open(os.path.join(pkg, "network.json"), encoding="utf-8"))
        assert net["network"]["id"] == top and net["ads"] and net["templates"] and net["movement"]
        with open(os.path.join(pkg, "network.json"), "a", encoding="utf-8") as f:
            f.write(" ")
        bad_pkg = subprocess.run([CTIP, "ads", "verify", "--dir", pkg], capture_output=True, text=True)
        assert bad_pkg.returncode == 1 and "network.json" in bad_pkg.stderr, bad_pkg.stderr
        # A file the manifest does not list is refused too.
        pkg2 = os.path.join(tmp, "evidence2")
        store.run("ads", "report", "--network", str(top), "--out", pkg2)
        with open(os.path.join(pkg2, "notes.txt"), "w", encoding="utf-8") as f:
            f.write("added later")
        extra = subprocess.run([CTIP, "ads", "verify", "--dir", pkg2], capture_output=True, text=True)
        assert extra.returncode == 1 and "notes.txt: not listed" in extra.stderr, extra.stderr
        print("ok")


if __name__ == "__main__":
    main()
