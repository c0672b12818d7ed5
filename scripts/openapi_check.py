#!/usr/bin/env python3
"""Checks the API against its contract, docs/openapi.yaml.

  openapi_check.py [--spec docs/openapi.yaml] [--record FILE]... [--routes FILE]

--record-dir  every *.jsonl file in a folder (one per server process); none fails.
--record  a JSON Lines file written by the server when CTIP_API_RECORD names it (one line per
          answered /api/ request: method, route, path, status, content_type, body). Every line's
          status must be documented for its route and method, and its body must validate
          against the documented schema (JSON Schema 2020-12, #/components refs resolved). A
          request no route matched must have answered with a documented error body and a 4xx
          status. An empty record fails: a check that saw nothing proves nothing.
--routes  the output of `ctip api routes` (a JSON array of {method, pattern, action, summary}):
          every route must be documented with the same action (x-ctip-action), and every
          documented operation must be served by a route.

The document itself is checked every time: every $ref resolves and every schema is a valid
2020-12 schema. Exit status 0 when all holds, 1 with one line per problem otherwise.
Runs with Debian 12's python3-jsonschema (4.10) and python3-yaml, and with newer jsonschema.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import warnings
from pathlib import Path

import jsonschema
import yaml

API_PREFIX = "/api/v1"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def resolve_pointer(doc, ref: str):
    if not ref.startswith("#/"):
        raise KeyError(f"only local references are allowed: {ref}")
    node = doc
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node


class Contract:
    """The OpenAPI document, with one validator per documented response schema."""

    def __init__(self, path: Path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.path = path
        self._validators: dict[str, jsonschema.protocols.Validator] = {}

    # -- the document itself ----------------------------------------------------------------
    def self_check(self) -> list[str]:
        problems = []
        if not str(self.doc.get("openapi", "")).startswith("3.1"):
            problems.append(f"{self.path}: 'openapi' must be 3.1.x")

        def walk(node, where):
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    try:
                        resolve_pointer(self.doc, ref)
                    except (KeyError, IndexError, ValueError):
                        problems.append(f"{self.path}: {where}: unresolved $ref {ref}")
                for k, v in node.items():
                    walk(v, f"{where}/{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, f"{where}/{i}")

        walk(self.doc, "#")
        for name, schema in self.doc.get("components", {}).get("schemas", {}).items():
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as e:
                problems.append(f"{self.path}: schema {name} is not valid JSON Schema: {e.message}")
        for key, enum_name in self.enum_keys().items():
            if self.enum_of(enum_name) is None:
                problems.append(f"{self.path}: Meta x-ctip-enums.{key} names {enum_name}, "
                                "which is not a schema with an enum")
        return problems

    # -- operations -------------------------------------------------------------------------
    def operations(self):
        """Yields (path, METHOD, operation) for every documented operation."""
        for path, item in self.doc.get("paths", {}).items():
            for method in METHODS:
                if method in item:
                    yield path, method.upper(), item[method]

    def operation(self, path: str, method: str):
        item = self.doc.get("paths", {}).get(path)
        if item is None:
            return None
        return item.get(method.lower())

    def response(self, path: str, method: str, status: int):
        op = self.operation(path, method)
        responses = op.get("responses", {})
        pointer = None
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                pointer = (f"#/paths/{pointer_escape(path)}/{method.lower()}/responses/"
                           f"{pointer_escape(key)}")
                break
        if pointer is None:
            return None, None
        response = resolve_pointer(self.doc, pointer)
        while "$ref" in response:  # a shared response in #/components/responses
            pointer = response["$ref"]
            response = resolve_pointer(self.doc, pointer)
        return pointer, response

    def validator(self, pointer: str):
        """A 2020-12 validator of the schema at `pointer`, resolving refs in this document."""
        if pointer not in self._validators:
            # The document is the root resource so that "#/components/..." resolves; OpenAPI's
            # own keys are unknown keywords to JSON Schema and are ignored.
            root = dict(self.doc)
            root["$ref"] = pointer
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self._validators[pointer] = jsonschema.Draft202012Validator(root)
        return self._validators[pointer]

    def errors_for(self, pointer: str, instance) -> list[str]:
        v = self.validator(pointer)
        out = []
        for e in sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in e.absolute_path) or "(body)"
            out.append(f"{where}: {e.message[:300]}")
        return out

    # -- enumerations served by GET /meta ---------------------------------------------------
    def enum_keys(self) -> dict[str, str]:
        meta = self.doc.get("components", {}).get("schemas", {}).get("Meta", {})
        return meta.get("x-ctip-enums", {})

    def enum_of(self, schema_name: str):
        schema = self.doc.get("components", {}).get("schemas", {}).get(schema_name)
        if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
            return None
        return schema["enum"]


def doc_path(route: str) -> str | None:
    if route == API_PREFIX or route.startswith(API_PREFIX + "/"):
        return route[len(API_PREFIX):] or "/"
    return None


def check_record(contract: Contract, lines: list[str], source: str) -> tuple[list[str], dict]:
    """Validates recorded responses. Returns the problems and {(path, METHOD): {statuses}}."""
    problems: list[str] = []
    seen: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    count = 0
    error_pointer = "#/components/schemas/Error"
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        count += 1
        where = f"{source}:{number}"
        try:
            rec = json.loads(line)
            method, route, status = rec["method"], rec["route"], rec["status"]
            body, content_type = rec["body"], rec.get("content_type") or ""
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            problems.append(f"{where}: not a record line ({e})")
            continue
        if not isinstance(status, int):
            problems.append(f"{where}: status {status!r} is not an integer")
            continue
        if route is None:
            # No route matched: the API still answers with its error shape and a client error.
            if not 400 <= status < 500:
                problems.append(f"{where}: {method} {rec.get('path')} matched no route but "
                                f"answered {status} (expected a 4xx)")
            for e in contract.errors_for(error_pointer, body):
                problems.append(f"{where}: {method} (no route) {status}: {e}")
            continue
        path = doc_path(route)
        op = contract.operation(path, method) if path else None
        if op is None:
            problems.append(f"{where}: {method} {route} is not in the document")
            continue
        seen[(path, method)].add(status)
        pointer, response = contract.response(path, method, status)
        if response is None:
            problems.append(f"{where}: {method} {route} answered {status}, a status the document "
                            "does not list for it")
            continue
        schema_holder = response.get("content", {}).get("application/json")
        if schema_holder is None:
            if body is not None:
                problems.append(f"{where}: {method} {route} {status}: the document says no body, "
                                "the server sent one")
            continue
        if body is None:
            problems.append(f"{where}: {method} {route} {status}: no JSON body "
                            f"(content type {content_type!r})")
            continue
        if not content_type.startswith("application/json"):
            problems.append(f"{where}: {method} {route} {status}: content type {content_type!r}")
        for e in contract.errors_for(pointer + "/content/application~1json/schema", body):
            problems.append(f"{where}: {method} {route} {status}: {e}")
        if (path, method, status) == ("/meta", "GET", 200) and isinstance(body, dict):
            for key, enum_name in contract.enum_keys().items():
                served, documented = body.get(key), contract.enum_of(enum_name)
                if isinstance(served, list) and documented is not None and \
                        sorted(served) != sorted(documented):
                    problems.append(f"{where}: GET /meta serves {key} = {served}, the document's "
                                    f"{enum_name} is {documented}")
    if count == 0:
        problems.append(f"{source}: no recorded responses (was CTIP_API_RECORD set for the tests?)")
    return problems, seen


def check_routes(contract: Contract, routes, source: str) -> list[str]:
    problems = []
    if not isinstance(routes, list) or not routes:
        return [f"{source}: expected a non-empty JSON array of routes"]
    served = set()
    for r in routes:
        try:
            method, pattern, action = r["method"].upper(), r["pattern"], r["action"]
        except (KeyError, TypeError, AttributeError):
            problems.append(f"{source}: not a route: {r!r}")
            continue
        path = doc_path(pattern)
        op = contract.operation(path, method) if path else None
        if op is None:
            problems.append(f"{source}: route {method} {pattern} ({action}) is not in the document")
            continue
        served.add((path, method))
        documented = op.get("x-ctip-action")
        if documented != action:
            problems.append(f"{source}: route {method} {pattern} has action {action}, the "
                            f"document says {documented}")
    for path, method, _ in contract.operations():
        if (path, method) not in served:
            problems.append(f"{contract.path}: {method} {API_PREFIX}{path} is documented but no "
                            "route serves it")
    return problems


def summarise(problems: list[str], limit: int = 200) -> list[str]:
    """A problem seen on many record lines ("FILE:LINE: text") is printed once with a count."""
    by_text: dict[str, list[str]] = collections.OrderedDict()
    for p in problems:
        head, _, rest = p.partition(": ")
        on_a_line = ":" in head and head.rsplit(":", 1)[-1].isdigit()
        by_text.setdefault(rest if on_a_line else p, []).append(head if on_a_line else "")
    out = []
    for text, heads in by_text.items():
        if not heads[0]:
            out.append(text)
            continue
        more = f" (and {len(heads) - 1} more lines)" if len(heads) > 1 else ""
        out.append(f"{heads[0]}: {text}{more}")
    if len(out) > limit:
        out = out[:limit] + [f"... {len(out) - limit} more problems"]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = Path(__file__).resolve().parent.parent
    ap.add_argument("--spec", type=Path, default=root / "docs" / "openapi.yaml")
    ap.add_argument("--record", type=Path, action="append", default=[])
    ap.add_argument("--record-dir", type=Path, action="append", default=[],
                    help="every *.jsonl in DIR is a record; a DIR without one fails")
    ap.add_argument("--routes", type=Path)
    args = ap.parse_args(argv)

    contract = Contract(args.spec)
    problems = contract.self_check()
    for folder in args.record_dir:
        found = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
        if not found:
            problems.append(f"{folder}: no record files (*.jsonl)")
        args.record += found
    seen: dict = collections.defaultdict(set)
    total_lines = 0
    for record in args.record:
        if not record.exists():
            problems.append(f"{record}: no such record file")
            continue
        text = record.read_text(encoding="utf-8")
        lines = text.splitlines()
        if text and not text.endswith("\n"):
            # Lines are flushed whole; a last line without its newline is a server killed while
            # writing it (tests/integration/kill_test.py does that on purpose).
            print(f"openapi-check: {record}: ignoring an unfinished last line")
            lines = lines[:-1]
        total_lines += sum(1 for l in lines if l.strip())
        p, s = check_record(contract, lines, str(record))
        problems += p
        for k, v in s.items():
            seen[k] |= v
    if args.routes:
        try:
            routes = json.loads(args.routes.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            routes = None
            problems.append(f"{args.routes}: cannot read the routes ({e})")
        if routes is not None:
            problems += check_routes(contract, routes, str(args.routes))

    ops = list(contract.operations())
    if args.record:
        untested = [f"{m} {API_PREFIX}{p}" for p, m, _ in ops if (p, m) not in seen]
        print(f"openapi-check: {total_lines} recorded responses, "
              f"{len(ops) - len(untested)}/{len(ops)} documented operations exercised")
        if untested:
            print("  not exercised by the tests: " + ", ".join(untested))
    if problems:
        for line in summarise(problems):
            print(line, file=sys.stderr)
        print(f"openapi-check: FAILED ({len(problems)} problems)", file=sys.stderr)
        return 1
    print(f"openapi-check: {args.spec.name} ({len(ops)} operations) holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
