#!/usr/bin/env python3
"""Validates every data file of data/instruments against its JSON Schema (draft 2020-12).

Usage: check_schemas.py DATA_INSTRUMENTS_DIR
Exit 0 when every file is valid, 1 otherwise, 77 (skipped) when jsonschema (>= 4.0) is missing.
The C++ loader (catalogue.cpp) enforces the same structure and more (cross-file references);
this check keeps the schemas honest as documentation of the format.
"""
import json
import pathlib
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("python3 jsonschema (>= 4.0) not available: skipped")
    sys.exit(77)

KIND_SCHEMA = {
    "instrument": "instrument.schema.json",
    "screener": "screener.schema.json",
    "dimensions": "dimensions.schema.json",
    "decision_rule": "rule.schema.json",
    "action_rule": "action_rule.schema.json",
    "terminology": "terminology.schema.json",
}


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (root / "schema").glob("*.json")}
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())

        def validator(schema):
            return Draft202012Validator(schema, registry=registry)
    except ImportError:  # older jsonschema (e.g. Debian 12's 4.10)
        from jsonschema import RefResolver

        store = {s["$id"]: s for s in schemas.values()}

        def validator(schema):
            return Draft202012Validator(schema, resolver=RefResolver.from_schema(schema, store=store))
    failures = 0
    files = sorted(p for p in root.rglob("*.json") if p.parent.name != "schema")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        schema = schemas.get(KIND_SCHEMA.get(data.get("kind"), ""))
        if schema is None:
            print(f"{path}: unknown kind {data.get('kind')!r}")
            failures += 1
            continue
        errors = list(validator(schema).iter_errors(data))
        for e in errors:
            where = "/".join(str(x) for x in e.absolute_path)
            print(f"{path}: {where}: {e.message[:300]}")
        failures += len(errors)
    print(f"{len(files)} files checked, {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
