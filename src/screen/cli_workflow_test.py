#!/usr/bin/env python3
"""`ctip screen drafts|correct|history|coverage` (issue #8 item 8): the workflow's drafts and
corrections from the command line, through the same service calls and audit actions as the API.
Drafts and a screening are made through a running server (as the screening page makes them),
then listed, shown, discarded, corrected and read back with the CLI; bad input exits 2 naming the
field and stores nothing. ctest runs it on SQLite and (label pg) on PostgreSQL."""
import json
import sys

from ctip_harness import Server, Store

CTIP = sys.argv[1]
ORG = "Safe Harbour Shelter"  # the demo's screener's organisation


def audit_entries(store, action):
    out = json.loads(store.run("audit", "export", "--action", action).stdout)
    return out["entries"]


def fails(store, *args):
    return store.run(*args, check=False)


def main():
    with Store(CTIP, prefix="ctip-screen-cli-") as store:
        store.demo()
        with Server(store) as server:
            h = server.login("screener")

            def post(path, body):
                status, _, raw = server.request("POST", path, body, h)
                assert status == 201, (path, status, raw)
                return json.loads(raw)

            kept = post("/api/v1/screenings/drafts", {"state": {
                "step": "questions", "setup": {"personRef": "CLI-DRAFT-1"},
                "answers": {"s_job_different": "yes", "s_long_hours": "no",
                            "s_hurt": "unknown"}}})["draft"]
            dropped = post("/api/v1/screenings/drafts", {"state": {
                "step": "consent", "setup": {"personRef": "CLI-DRAFT-2"}}})["draft"]
            # A screening the screener will correct: one strong indicator (refer now) on a
            # screener that otherwise says "no".
            view = post("/api/v1/screenings", {
                "person": {"reference": "CLI-CORR-1"},
                "encounter": {"source": "border", "date": "2026-03-04"},
                "language": "en", "instrument": "screener", "age": 31,
                "answers": {"s_job_different": "no", "s_long_hours": "no",
                            "s_little_or_no_pay": "no", "s_documents_kept": "no"}})
        sid = view["screening"]["id"]
        before_outcome = view["result"]["outcome"]

        # drafts list: every organisation's open drafts, or one organisation's.
        listed = json.loads(store.run("screen", "drafts", "list", "--json").stdout)
        refs = {d["reference"]: d for d in listed}
        assert {"CLI-DRAFT-1", "CLI-DRAFT-2"} <= set(refs), listed
        assert refs["CLI-DRAFT-1"]["answered"] == 2, refs["CLI-DRAFT-1"]  # "unknown" is not
        assert refs["CLI-DRAFT-1"]["step"] == "questions"
        assert audit_entries(store, "screenings.draft.read"), "the list is audited"
        mine = json.loads(store.run("screen", "drafts", "list", "--org", ORG, "--json").stdout)
        assert {d["id"] for d in mine} >= {kept["id"], dropped["id"]}, mine
        text = store.run("screen", "drafts", "list", "--org", ORG).stdout
        assert "CLI-DRAFT-1" in text and "ANSWERED" in text, text
        r = fails(store, "screen", "drafts", "list", "--org", "No Such Org")
        assert r.returncode == 2 and "org" in r.stderr, (r.returncode, r.stderr)

        # drafts show: the state the page saved.
        shown = json.loads(store.run("screen", "drafts", "show", str(kept["id"]), "--json").stdout)
        assert shown["state"]["answers"]["s_job_different"] == "yes", shown
        assert shown["status"] == "open" and shown["created_by"] == "screener", shown
        text = store.run("screen", "drafts", "show", str(kept["id"])).stdout
        assert f"draft {kept['id']} (open" in text and "CLI-DRAFT-1" in text, text
        r = fails(store, "screen", "drafts", "show", "987654")
        assert r.returncode == 1 and "no such draft" in r.stderr, (r.returncode, r.stderr)

        # drafts discard: audited, no longer listed, shown as discarded.
        discards = len(audit_entries(store, "screenings.draft.discard"))
        r = store.run("screen", "drafts", "discard", str(dropped["id"]))
        assert r.stdout.strip() == f"discarded draft {dropped['id']}", r.stdout
        assert len(audit_entries(store, "screenings.draft.discard")) == discards + 1
        listed = json.loads(store.run("screen", "drafts", "list", "--json").stdout)
        assert dropped["id"] not in {d["id"] for d in listed}, listed
        shown = json.loads(
            store.run("screen", "drafts", "show", str(dropped["id"]), "--json").stdout)
        assert shown["status"] == "discarded", shown
        r = fails(store, "screen", "drafts", "discard", "987654")
        assert r.returncode == 1 and "no such draft" in r.stderr, (r.returncode, r.stderr)

        # correct: bad input names the field and stores nothing.
        corrections = len(audit_entries(store, "screenings.correct"))
        base = ["screen", "correct", str(sid), "--as", "screener", "--reason", "said later"]
        for args, code, field in [
            ([*base, "--set", "s_hurt"], 2, "set"),
            ([*base, "--set", "s_hurt=yes", "--set", "s_hurt=no"], 2, "set"),
            ([*base, "--set", "s_bogus=yes"], 2, "answers.s_bogus"),
            ([*base, "--set", "s_hurt=maybe"], 2, "answers.s_hurt"),
            ([*base, "--set", "s_long_hours=no"], 2, "answers"),  # changes nothing
            (["screen", "correct", str(sid), "--as", "screener", "--reason", " ",
              "--set", "s_hurt=yes"], 2, "reason"),
            (["screen", "correct", str(sid), "--as", "nobody.here", "--reason", "x",
              "--set", "s_hurt=yes"], 2, "as"),
            # A role the matrix does not grant screenings.correct.
            (["screen", "correct", str(sid), "--as", "analyst", "--reason", "x",
              "--set", "s_hurt=yes"], 1, "screenings.correct"),
            # Another organisation's screening is not found, as the API answers.
            (["screen", "correct", str(sid), "--as", "investigator", "--reason", "x",
              "--set", "s_hurt=yes"], 1, "no such screening"),
            (["screen", "correct", "987654", "--as", "screener", "--reason", "x",
              "--set", "s_hurt=yes"], 1, "no such screening"),
        ]:
            r = fails(store, *args)
            assert r.returncode == code and field in r.stderr, (args, r.returncode, r.stderr)
        r = fails(store, "screen", "correct", str(sid), "--as", "screener", "--set", "s_hurt=yes")
        assert r.returncode == 2 and "--reason" in r.stderr, r.stderr  # required option
        assert len(audit_entries(store, "screenings.correct")) == corrections
        history = json.loads(store.run("screen", "history", str(sid), "--json").stdout)
        assert history["corrections"] == [], history

        # correct: two strong coercion answers refer now, and the screening's case opens.
        r = store.run("screen", "correct", str(sid), "--as", "screener",
                      "--set", "s_not_free_to_leave=yes", "--set", "s_hurt=yes",
                      "--reason", "said on the second day that the door was locked at night")
        first = r.stdout.splitlines()
        assert first[0].startswith(f"screening {sid} corrected (correction "), r.stdout
        assert "action refer_now; case " in first[1], r.stdout
        entries = audit_entries(store, "screenings.correct")
        assert len(entries) == corrections + 1, entries
        corrected = json.loads(store.run(
            "screen", "correct", str(sid), "--as", "screener", "--set", "s_documents_kept=yes",
            "--reason", "the employer keeps her passport", "--json").stdout)
        assert corrected["result"]["action"] == "refer_now", corrected["result"]["action"]
        assert corrected["case"] and corrected["case"]["status"] in (
            "indicators", "possible", "presumed"), corrected["case"]

        # history: when, by whom, why, each answer from -> to.
        history = json.loads(store.run("screen", "history", str(sid), "--json").stdout)
        assert history["screening_id"] == sid and history["reference"] == "CLI-CORR-1", history
        assert history["action"] == "refer_now" and history["case"], history
        ks = history["corrections"]
        assert [k["corrected_by"] for k in ks] == ["screener", "screener"], ks
        assert ks[0]["previous_outcome"] == before_outcome, (ks[0], before_outcome)
        assert {(c["id"], c["from"], c["to"]) for c in ks[0]["changes"]} == {
            ("s_not_free_to_leave", "unknown", "yes"), ("s_hurt", "unknown", "yes")}, ks[0]
        assert ks[1]["changes"] == [{"id": "s_documents_kept", "from": "no", "to": "yes"}], ks[1]
        text = store.run("screen", "history", str(sid)).stdout
        assert "s_documents_kept: no -> yes" in text, text
        assert "reason: the employer keeps her passport" in text, text
        r = fails(store, "screen", "history", "987654")
        assert r.returncode == 1 and "no such screening" in r.stderr, (r.returncode, r.stderr)

        # coverage: the six outcomes and the three actions, each summing to the persons screened.
        cov = json.loads(store.run("screen", "coverage", "--json").stdout)
        totals = cov["totals"]
        assert set(totals["outcomes"]) == {
            "presumed_trafficking", "possible_trafficking", "coercion_only", "exploitation_only",
            "no_indication", "insufficient_information"}, totals["outcomes"]
        assert set(totals["actions"]) == {"refer_now", "complete_interview",
                                          "no_further_action"}, totals["actions"]
        assert sum(totals["outcomes"].values()) == totals["screened"], totals
        assert sum(totals["actions"].values()) == totals["screened"], totals
        assert totals["actions"]["refer_now"] > 0, totals
        text = store.run("screen", "coverage").stdout
        assert "COERC." in text and "REFER" in text and "INSUFF." in text, text

        # Every command above went through the audit log, which still verifies.
        store.run("audit", "verify")
        for cmd in (["drafts", "--help"], ["correct", "--help"], ["history", "--help"]):
            out = store.run("screen", *cmd).stdout
            assert "Example" in out, (cmd, out)
    print("ok: ctip screen drafts, correct, history and coverage by outcome and action")


if __name__ == "__main__":
    main()
