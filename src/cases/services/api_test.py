#!/usr/bin/env python3
"""Providers, referrals, the investigation queue and the dashboards through the real server on
a demo store, on SQLite and (label pg) PostgreSQL:
- a referral needs the person's consent for services (409 naming consent), a provider that
  admits the person (409 naming why) and a free place; sent -> accepted -> completed moves the
  provider's occupancy up and back down; the provider's free places show in the directory;
- another organisation's caseworker gets 404 for the referral;
- the investigator's queue ranks an investigation by the recorded inputs and explains it; a
  field visit keeps its safety notes;
- dashboards answer the analyst (aggregates) and never name a case; a platform analyst gets 403
  on every route of the capability."""
import json
import sys

from ctip_harness import Server, Store

CTIP = sys.argv[1]


def check(cond, message):
    if not cond:
        raise SystemExit("FAIL: " + message)


def call(srv, method, path, body=None, who=None):
    status, _, raw = srv.request(method, path, body, headers=who)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


with Store(CTIP, prefix="ctip-services-api-") as store:
    store.demo()
    srv = Server(store)
    try:
        cw = srv.login("caseworker")
        inv = srv.login("investigator")
        analyst = srv.login("analyst")
        platform = srv.login("platform_analyst")

        st, providers = call(srv, "GET", "/api/v1/providers?service=medical", who=cw)
        check(st == 200 and providers["providers"], f"providers: {st} {providers}")
        medical = providers["providers"][0]
        st, cases = call(srv, "GET", "/api/v1/cases", who=cw)
        check(st == 200 and cases["cases"], f"cases: {st}")
        case_id = cases["cases"][0]["id"]

        body = {"case_id": case_id, "provider_id": medical["id"], "service": "medical"}
        st, err = call(srv, "POST", "/api/v1/referrals", body, cw)
        check(st == 409 and err["error"]["field"] == "consent", f"without consent: {st} {err}")
        st, _ = call(srv, "POST", f"/api/v1/cases/{case_id}/consents",
                     {"purpose": "services", "granted": True}, cw)
        check(st == 201, f"consent: {st}")
        # The demo's women-only shelter cannot take a person whose sex is not recorded.
        st, shelters = call(srv, "GET", "/api/v1/providers?service=shelter", who=cw)
        women_only = [p for p in shelters["providers"] if p["eligibility"]["sexes"] == ["female"]]
        if women_only:
            st, err = call(srv, "POST", "/api/v1/referrals",
                           {"case_id": case_id, "provider_id": women_only[0]["id"],
                            "service": "shelter"}, cw)
            check(st == 409 and err["error"]["field"] == "sex", f"ineligible: {st} {err}")

        st, ranked = call(srv, "POST", "/api/v1/referrals/matches",
                          {"case_id": case_id, "services": ["medical"], "include_excluded": True},
                          cw)
        check(st == 200 and ranked["ranked"] and ranked["ranked"][0]["reasons"], f"match: {st}")

        st, ref = call(srv, "POST", "/api/v1/referrals", body, cw)
        check(st == 201 and ref["status"] == "sent", f"refer: {st} {ref}")
        before = medical["occupancy"]
        st, ref = call(srv, "POST", f"/api/v1/referrals/{ref['id']}/response",
                       {"decision": "accepted", "reason": "seen tomorrow"}, cw)
        check(st == 200 and ref["status"] == "accepted", f"accept: {st} {ref}")
        st, p = call(srv, "GET", f"/api/v1/providers/{medical['id']}", who=cw)
        check(p["occupancy"] == before + 1, f"occupancy after accept: {p['occupancy']}")
        st, ref = call(srv, "POST", f"/api/v1/referrals/{ref['id']}/completion", {"note": "ok"}, cw)
        check(st == 200 and ref["status"] == "completed", f"complete: {st} {ref}")
        st, p = call(srv, "GET", f"/api/v1/providers/{medical['id']}", who=cw)
        check(p["occupancy"] == before, f"occupancy after completion: {p['occupancy']}")
        st, _ = call(srv, "GET", f"/api/v1/referrals/{ref['id']}", who=inv)
        check(st == 403, f"an investigator has no referrals.read: {st}")

        st, opened = call(srv, "POST", "/api/v1/investigations", {"network_ref": "net-9"}, inv)
        check(st == 201, f"open: {st} {opened}")
        st, _ = call(srv, "POST", "/api/v1/investigations/priority",
                     {"kind": "investigation", "id": opened["id"],
                      "inputs": {"ongoing_exploitation": True, "victims": 3}}, inv)
        check(st == 200, f"priority: {st}")
        st, q = call(srv, "GET", "/api/v1/investigations", who=inv)
        item = [i for i in q["items"] if i["kind"] == "investigation" and i["id"] == opened["id"]]
        check(item and item[0]["score"] == 37, f"queue: {item}")
        check(any("Exploitation ongoing: yes (+25)" == e["text"] for e in item[0]["explanation"]),
              str(item[0]["explanation"]))
        st, visit = call(srv, "POST", f"/api/v1/investigations/{opened['id']}/visits",
                         {"visit_on": "2026-12-03", "risks": "armed guard",
                          "protective_equipment": "vests"}, inv)
        check(st == 201 and visit["risks"] == "armed guard", f"visit: {st} {visit}")

        for board in ("capacity", "funding", "documentation", "justice", "investigations"):
            st, d = call(srv, "GET", f"/api/v1/dashboards/{board}", who=analyst)
            check(st == 200 and d["dashboard"] == board, f"{board}: {st}")
            check("case_id" not in json.dumps(d), f"{board} names a case")
        st, d = call(srv, "GET", "/api/v1/dashboards/capacity", who=analyst)
        check(any(c["service"] == "shelter" and c["capacity"] > 0 for c in d["cells"]),
              "the demo providers' capacity is on the dashboard")

        for method, path in (("GET", "/api/v1/providers"), ("GET", "/api/v1/referrals"),
                             ("GET", "/api/v1/investigations"),
                             ("GET", "/api/v1/dashboards/capacity")):
            st, _ = call(srv, method, path, who=platform)
            check(st == 403, f"platform analyst {path}: {st}")
    finally:
        srv.proc.kill()

print("services API: ok")
