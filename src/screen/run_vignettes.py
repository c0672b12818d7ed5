#!/usr/bin/env python3
"""Runs the screening case vignettes (data/vignettes/*.json) through the real ctip binary.

Usage: run_vignettes.py CTIP VIGNETTES_DIR

Each vignette is a case written as data:
  {"description": "...", "tags": [...],
   "input": {...answers file...}            (or "input_text": "raw file contents"),
   "expected": {...}}
and runs as `ctip screen evaluate --answers FILE --json`. Expected keys:
  exit_code (default 0); for exit code 2: stderr_contains (list of strings, e.g. the field).
  For exit code 0: outcome, could_become (required), and optionally combination, clause,
  profile, positive_dimensions (the exact set), ask_next_includes, ask_next_excludes,
  ask_next_empty, ask_next_first_strength, reason_contains, next_step, unexplored_includes.
Exit 0 when every vignette passes, 1 otherwise.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

TOP_KEYS = {"description", "tags", "input", "input_text", "expected"}
EXPECTED_KEYS = {
    "exit_code", "stderr_contains", "outcome", "could_become", "combination", "clause", "profile",
    "positive_dimensions", "ask_next_includes", "ask_next_excludes", "ask_next_empty",
    "ask_next_first_strength", "reason_contains", "next_step", "unexplored_includes",
}


def check(v: dict, proc: subprocess.CompletedProcess) -> list:
    exp = v["expected"]
    problems = []
    want_rc = exp.get("exit_code", 0)
    if proc.returncode != want_rc:
        return [f"exit code {proc.returncode}, expected {want_rc}; stderr: {proc.stderr.strip()}"]
    if want_rc != 0:
        for s in exp.get("stderr_contains", []):
            if s not in proc.stderr:
                problems.append(f"stderr does not contain {s!r}: {proc.stderr.strip()}")
        return problems
    try:
        r = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return [f"stdout is not JSON: {e}"]
    for key in ("outcome", "could_become", "rule_version", "instrument_version", "rules_applied",
                "dimensions", "ask_next", "explanation"):
        if key not in r:
            problems.append(f"result has no {key!r}")
    if problems:
        return problems
    for key in ("outcome", "could_become", "profile"):
        if key in exp and r.get(key) != exp[key]:
            problems.append(f"{key} is {r.get(key)!r}, expected {exp[key]!r}")
    if "combination" in exp and r["rules_applied"]["combination"] != exp["combination"]:
        problems.append(f"combination is {r['rules_applied']['combination']!r}, expected {exp['combination']!r}")
    if "clause" in exp and r["explanation"]["clause"] != exp["clause"]:
        problems.append(f"clause is {r['explanation']['clause']!r}, expected {exp['clause']!r}")
    if "reason_contains" in exp and exp["reason_contains"] not in r["rules_applied"]["reason"]:
        problems.append(f"reason {r['rules_applied']['reason']!r} lacks {exp['reason_contains']!r}")
    positive = sorted(d["id"] for d in r["dimensions"] if d["positive"])
    if "positive_dimensions" in exp and positive != sorted(exp["positive_dimensions"]):
        problems.append(f"positive dimensions {positive}, expected {sorted(exp['positive_dimensions'])}")
    ask = [a["id"] for a in r["ask_next"]]
    if r["outcome"] == r["could_become"] and ask:
        problems.append("ask_next must be empty when outcome equals could_become")
    if r["outcome"] != r["could_become"] and not ask:
        problems.append("ask_next must not be empty when outcome differs from could_become")
    if exp.get("ask_next_empty") and ask:
        problems.append(f"ask_next should be empty: {ask}")
    for i in exp.get("ask_next_includes", []):
        if i not in ask:
            problems.append(f"ask_next lacks {i}")
    for i in exp.get("ask_next_excludes", []):
        if i in ask:
            problems.append(f"ask_next should not contain {i}")
    if "ask_next_first_strength" in exp and (not ask or r["ask_next"][0]["strength"] != exp["ask_next_first_strength"]):
        problems.append(f"ask_next should start with a {exp['ask_next_first_strength']} indicator")
    if "next_step" in exp and r["next_step"]["action"] != exp["next_step"]:
        problems.append(f"next_step is {r['next_step']['action']!r}, expected {exp['next_step']!r}")
    for d in exp.get("unexplored_includes", []):
        if d not in r["unexplored_dimensions"]:
            problems.append(f"unexplored_dimensions lacks {d}")
    return problems


def main() -> int:
    ctip, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    files = sorted(folder.glob("*.json"))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            try:
                v = json.loads(path.read_text(encoding="utf-8"))
                bad_keys = (set(v) - TOP_KEYS) | (set(v.get("expected", {})) - EXPECTED_KEYS)
                if bad_keys or "description" not in v or "expected" not in v or ("input" in v) == ("input_text" in v):
                    raise ValueError(f"malformed vignette (keys {sorted(bad_keys)})")
                if v["expected"].get("exit_code", 0) == 0 and not {"outcome", "could_become"} <= set(v["expected"]):
                    raise ValueError("expected outcome and could_become are required")
            except (ValueError, json.JSONDecodeError) as e:
                print(f"FAIL {path.name}: {e}")
                failures += 1
                continue
            answers = pathlib.Path(tmp) / "answers.json"
            text = v["input_text"] if "input_text" in v else json.dumps(v["input"], ensure_ascii=False)
            answers.write_text(text, encoding="utf-8")
            proc = subprocess.run([ctip, "screen", "evaluate", "--answers", str(answers), "--json"],
                                  capture_output=True, text=True, timeout=30)
            problems = check(v, proc)
            if problems:
                failures += 1
                print(f"FAIL {path.name}: {v['description']}")
                for p in problems:
                    print(f"     {p}")
            else:
                print(f"ok   {path.name}")
    print(f"{len(files) - failures}/{len(files)} vignettes passed")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
