#!/usr/bin/env python3
"""Case management through the real binary, on SQLite or (CTIP_TEST_ENGINE=postgresql) on
PostgreSQL: the API over a demo store as each role sees it (a caseworker runs a case; an
investigator sees only what was shared with law enforcement; analysts and platform analysts get
403, no session 401; bad input is refused with the reason), then `ctip cases
list|show|alerts|export` and the audit entries of the reads and the export.

usage: check_cli.py CTIP   (PYTHONPATH=tests/harness)"""
import csv
import json
import os
import sys

from ctip_harness import Server, Store


def check(cond, what):
    if not cond:
        sys.exit("cases check failed: " + what)


def api(server):
    def call(method, path, body=None, who=None):
        status, _, raw = server.request(method, path, body, headers=who)
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode()
        return status, data
    return call


def main():
    ctip = sys.argv[1]
    with Store(ctip, prefix="ctip-cases-") as store:
        store.demo()
        with Server(store) as server:
            call = api(server)
            check(call("GET", "/api/v1/cases")[0] == 401, "no session: 401")
            for role in ("platform_analyst", "analyst", "auditor"):
                s, _ = call("GET", "/api/v1/cases", who=server.login(role))
                check(s == 403, f"{role}: 403 on /api/v1/cases, got {s}")
            cw = server.login("caseworker")
            s, body = call("GET", "/api/v1/cases?limit=5", who=cw)
            check(s == 200 and body["cases"], f"caseworker lists cases: {s}")
            case = body["cases"][0]["id"]
            s, body = call("GET", f"/api/v1/cases/{case}", who=cw)
            check(s == 200 and body["case"]["timeline"], "a case with its timeline")

            # Bad input: refused with the reason, nothing written.
            s, err = call("POST", f"/api/v1/cases/{case}/permits",
                          {"kind": "work_permit", "tied_to_employer": True}, who=cw)
            check(s == 400 and "employer" in json.dumps(err), f"tied permit refused: {s} {err}")
            s, err = call("POST", f"/api/v1/cases/{case}/tasks",
                          {"title": "visit", "due_on": "2026-02-30"}, who=cw)
            check(s == 400 and "due_on" in json.dumps(err), f"invalid date refused: {s} {err}")
            s, err = call("POST", f"/api/v1/cases/{case}/transfer", {"org_id": 1}, who=cw)
            check(s == 409 and "consent" in json.dumps(err), f"transfer without consent: {s}")
            s, body = call("GET", f"/api/v1/cases/{case}", who=cw)
            check(body["case"]["permits"] == [] and body["case"]["transfers"] == [],
                  "nothing half-written")

            # The investigator sees the case once it is shared with law enforcement, with consent.
            inv = server.login("investigator")
            check(call("GET", f"/api/v1/cases/{case}", who=inv)[0] == 404,
                  "investigator: not shared yet")
            me = json.loads(server.request("GET", "/api/v1/me", headers=inv)[2])
            police_org = me.get("user", me)["organisation"]["id"]
            check(police_org, "the investigator's organisation id")
            s, _ = call("POST", f"/api/v1/cases/{case}/law-enforcement", {"org_id": police_org},
                        who=cw)
            check(s == 409, f"no law-enforcement consent: 409, got {s}")
            s, _ = call("POST", f"/api/v1/cases/{case}/consents",
                        {"purpose": "law_enforcement", "granted": True}, who=cw)
            check(s == 201, "consent recorded")
            s, _ = call("POST", f"/api/v1/cases/{case}/law-enforcement", {"org_id": police_org},
                        who=cw)
            check(s == 201, f"shared with law enforcement: {s}")
            s, body = call("GET", f"/api/v1/cases/{case}", who=inv)
            check(s == 200 and body["case"]["access"] == "shared", "investigator sees it")
            s, body = call("GET", "/api/v1/cases", who=inv)
            # Besides its own organisation's cases (police screenings open cases too), only the
            # one shared with it.
            shelter = [k["id"] for k in body["cases"] if k["org_id"] != police_org]
            check(shelter == [case], f"only the shared case of another organisation: {shelter}")

            # Justice and follow-up.
            s, p = call("POST", "/api/v1/proceedings", {"case_id": case, "kind": "trial",
                                                        "essential": True}, who=cw)
            check(s == 201, f"proceeding: {s} {p}")
            s, h = call("POST", f"/api/v1/proceedings/{p['proceeding']['id']}/hearings",
                        {"scheduled_on": "2027-03-01", "interpreter_needed": True,
                         "interpreter_language": "ro"}, who=inv)
            check(s == 201, f"hearing by the investigator: {s} {h}")
            s, n = call("POST", f"/api/v1/cases/{case}/notes", {"body": "first"}, who=cw)
            s, _ = call("POST", f"/api/v1/notes/{n['note']['note_id']}/versions",
                        {"body": "corrected"}, who=cw)
            check(s == 201, "note corrected")
            s, body = call("PATCH", f"/api/v1/cases/{case}/status",
                           {"status": "confirmed", "reason": "decision of the NRM"}, who=cw)
            check(s == 200 and body["case"]["victim_status"] == "confirmed", f"status: {s}")
            s, _ = call("POST", f"/api/v1/cases/{case}/consents",
                        {"purpose": "statistics", "granted": True}, who=cw)
            status, _, raw = server.request("POST", "/api/v1/cases/export", {}, headers=cw)
            check(status == 200 and raw.decode().startswith("prs_Gender,"), "export over the API")

        cases = json.loads(store.run("cases", "list", "--json", "--limit", "1000").stdout)
        check(len(cases) >= 1 and case in [k["id"] for k in cases], "cli list")
        shown = json.loads(store.run("cases", "show", str(case), "--json").stdout)
        check(shown["victim_status"] == "confirmed" and len(shown["notes"][0]["versions"]) == 2,
              "cli show")
        text = store.run("cases", "show", str(case)).stdout
        check(f"case {case}" in text and "hearing" in text, text)
        p = store.run("cases", "show", "987654", check=False)
        check(p.returncode != 0 and "no such case" in p.stderr, f"missing case: {p.stderr}")
        p = store.run("cases", "list", "--status", "victim", check=False)
        check(p.returncode == 2 and "status" in p.stderr, f"bad status: {p.stderr}")
        out = os.path.join(store.data, "cases.csv")
        summary = json.loads(store.run("cases", "export", "--out", out, "--json").stdout)
        with open(out, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        check(len(rows) == summary["rows"] and summary["rows"] >= 1, f"export rows: {summary}")
        check(any(r["vic_TraffickingStatus"] == "ActualVictimOfTrafficking" for r in rows),
              "the confirmed case is exported as an actual victim")
        alerts = json.loads(store.run("cases", "alerts", "--json").stdout)
        check(alerts["thresholds"]["proceeding_stall_days"] == 90, "alert thresholds")
        entries = json.loads(store.run("audit", "export", "--action", "cases.export").stdout)
        listed = entries.get("entries", entries) if isinstance(entries, dict) else entries
        check(len(listed) == 2, f"two exports audited (API and CLI): {len(listed)}")
        reads = json.loads(store.run("audit", "export", "--action", "cases.read",
                                     "--object-id", str(case), "--object-type", "case").stdout)
        reads = reads.get("entries", reads) if isinstance(reads, dict) else reads
        check(len(reads) >= 5, f"every read audited: {len(reads)}")
    print("cases cli: ok")


if __name__ == "__main__":
    main()
