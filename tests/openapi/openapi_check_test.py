#!/usr/bin/env python3
"""Tests of scripts/openapi_check.py: it passes the recorded sample and the route list, and it
fails on each kind of drift it exists to catch. The samples were recorded from server_test
(record_sample.jsonl, one line per route, method and status) and written from the route
tables (routes_sample.json); each test breaks one thing in a copy.

  python3 tests/openapi/openapi_check_test.py
"""
import copy
import io
import json
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import openapi_check  # noqa: E402

SPEC = ROOT / "docs" / "openapi.yaml"
RECORD = HERE / "record_sample.jsonl"
ROUTES = HERE / "routes_sample.json"


def records():
    return [json.loads(l) for l in RECORD.read_text().splitlines() if l.strip()]


def find(recs, method, route, status):
    for r in recs:
        if (r["method"], r["route"], r["status"]) == (method, route, status):
            return r
    raise AssertionError(f"the sample has no {method} {route} {status}")


class OpenApiCheckTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_check(self, recs=None, routes=None, spec=SPEC):
        args = ["--spec", str(spec)]
        if recs is not None:
            path = Path(self.tmp.name) / "record.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in recs))
            args += ["--record", str(path)]
        if routes is not None:
            path = Path(self.tmp.name) / "routes.json"
            path.write_text(json.dumps(routes))
            args += ["--routes", str(path)]
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(args)
        return rc, out.getvalue() + err.getvalue()

    def assertFails(self, needle, **kw):
        rc, text = self.run_check(**kw)
        self.assertEqual(rc, 1, text)
        self.assertIn(needle, text)

    # -- what holds ---------------------------------------------------------------------------
    def test_the_samples_hold(self):
        rc, text = self.run_check(recs=records(), routes=json.loads(ROUTES.read_text()))
        self.assertEqual(rc, 0, text)
        self.assertIn("94 recorded responses", text)

    def test_the_document_is_valid(self):
        contract = openapi_check.Contract(SPEC)
        self.assertEqual(contract.self_check(), [])

    # -- recorded responses -------------------------------------------------------------------
    def test_an_empty_record_fails(self):
        self.assertFails("no recorded responses", recs=[])

    def test_a_missing_record_file_fails(self):
        rc, text = 0, ""
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(["--record", str(Path(self.tmp.name) / "absent.jsonl")])
        self.assertEqual(rc, 1)
        self.assertIn("no such record file", err.getvalue())

    def test_a_record_folder_without_records_fails(self):
        folder = Path(self.tmp.name) / "e2e"
        folder.mkdir()
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(["--record-dir", str(folder)])
        self.assertEqual(rc, 1)
        self.assertIn("no record files", err.getvalue())
        (folder / "a.jsonl").write_text(RECORD.read_text())
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(["--record-dir", str(folder)])
        self.assertEqual(rc, 0, err.getvalue())

    def test_an_undocumented_route_fails(self):
        recs = records()
        r = copy.deepcopy(find(recs, "GET", "/api/v1/users", 200))
        r["route"] = "/api/v1/users/{id}"
        self.assertFails("GET /api/v1/users/{id} is not in the document", recs=recs + [r])

    def test_an_undocumented_method_fails(self):
        recs = records()
        r = copy.deepcopy(find(recs, "GET", "/api/v1/health", 200))
        r["method"] = "DELETE"
        self.assertFails("DELETE /api/v1/health is not in the document", recs=[r])

    def test_an_undocumented_status_fails(self):
        recs = records()
        r = copy.deepcopy(find(recs, "GET", "/api/v1/screenings/{id}", 404))
        r["status"] = 500
        r["body"]["error"]["code"] = "internal"
        self.assertFails("answered 500, a status the document does not list", recs=[r])

    def test_a_missing_required_field_fails(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/audit/verify", 200)
        del r["body"]["note"]
        self.assertFails("'note' is a required property", recs=recs)

    def test_an_undocumented_field_fails(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/me", 200)
        r["body"]["user"]["email"] = "x@example.org"
        self.assertFails("Additional properties are not allowed ('email'", recs=recs)

    def test_a_value_outside_an_enumeration_fails(self):
        recs = records()
        r = find(recs, "POST", "/api/v1/screenings", 201)
        r["body"]["result"]["outcome"] = "victim"
        self.assertFails("'victim' is not one of", recs=recs)

    def test_a_nested_shape_is_checked_through_refs(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/screenings/coverage", 200)
        r["body"]["totals"]["screened"] = "12"
        self.assertFails("totals/screened: '12' is not of type 'integer'", recs=recs)

    def test_an_error_body_must_have_the_error_shape(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/screenings/{id}", 404)
        r["body"] = {"message": "no such screening"}
        self.assertFails("'error' is a required property", recs=recs)

    def test_a_body_where_none_is_documented_fails(self):
        recs = records()
        r = find(recs, "DELETE", "/api/v1/session", 204)
        r["body"] = {}
        self.assertFails("the document says no body", recs=recs)

    def test_no_body_where_one_is_documented_fails(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/health", 200)
        r["body"] = None
        self.assertFails("no JSON body", recs=recs)

    def test_an_unmatched_request_must_answer_a_client_error(self):
        recs = records()
        r = copy.deepcopy(find(recs, "GET", None, 404))
        r["status"] = 500
        self.assertFails("matched no route but answered 500", recs=[r])

    def test_meta_must_serve_the_documented_enumerations(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/meta", 200)
        r["body"]["languages"] = ["en", "es", "fr"]
        self.assertFails("GET /meta serves languages", recs=recs)

    def test_meta_may_grow_keys_of_string_lists_only(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/meta", 200)
        r["body"]["capabilities"] = ["screen"]
        rc, text = self.run_check(recs=recs)
        self.assertEqual(rc, 0, text)
        r["body"]["capabilities"] = [1]
        self.assertFails("1 is not of type 'string'", recs=recs)

    def test_one_problem_on_many_lines_is_reported_once_with_a_count(self):
        recs = records()
        r = find(recs, "GET", "/api/v1/health", 200)
        r["body"]["status"] = "down"
        rc, text = self.run_check(recs=recs + [r, r])
        self.assertEqual(rc, 1)
        self.assertEqual(text.count("'ok' was expected"), 1, text)
        self.assertIn("(and 2 more lines)", text)

    def test_a_malformed_line_fails(self):
        path = Path(self.tmp.name) / "bad.jsonl"
        path.write_text("{not json\n")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(["--record", str(path)])
        self.assertEqual(rc, 1)
        self.assertIn("not a record line", err.getvalue())

    def test_an_unfinished_last_line_is_a_killed_server_not_a_problem(self):
        path = Path(self.tmp.name) / "killed.jsonl"
        full = RECORD.read_text()
        path.write_text(full + full.splitlines()[3][:40])
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(["--record", str(path)])
        self.assertEqual(rc, 0, err.getvalue())
        self.assertIn("ignoring an unfinished last line", out.getvalue())
        # ... but an unfinished line in the middle is malformed.
        path.write_text(full.splitlines()[3][:40] + "\n" + full)
        with redirect_stdout(out), redirect_stderr(err):
            rc = openapi_check.main(["--record", str(path)])
        self.assertEqual(rc, 1)

    # -- served routes ------------------------------------------------------------------------
    def test_a_route_the_document_lacks_fails(self):
        routes = json.loads(ROUTES.read_text())
        routes.append({"method": "GET", "pattern": "/api/v1/flows/imports/{id}",
                       "action": "flows.read", "summary": "An import"})
        self.assertFails("route GET /api/v1/flows/imports/{id} (flows.read) is not in the document",
                         routes=routes)

    def test_a_documented_path_no_route_serves_fails(self):
        routes = [r for r in json.loads(ROUTES.read_text()) if r["pattern"] != "/api/v1/audit/head"]
        self.assertFails("GET /api/v1/audit/head is documented but no route serves it",
                         routes=routes)

    def test_a_route_with_another_action_fails(self):
        routes = json.loads(ROUTES.read_text())
        for r in routes:
            if r["pattern"] == "/api/v1/users" and r["method"] == "GET":
                r["action"] = "users.manage"
        self.assertFails("has action users.manage, the document says users.read", routes=routes)

    def test_an_empty_route_list_fails(self):
        self.assertFails("expected a non-empty JSON array", routes=[])

    # -- the document -------------------------------------------------------------------------
    def test_an_unresolved_reference_fails(self):
        text = SPEC.read_text().replace("#/components/schemas/TreeHead'}",
                                        "#/components/schemas/TreeHed'}", 1)
        spec = Path(self.tmp.name) / "openapi.yaml"
        spec.write_text(text)
        self.assertFails("unresolved $ref #/components/schemas/TreeHed", spec=spec)


if __name__ == "__main__":
    unittest.main(verbosity=1)
