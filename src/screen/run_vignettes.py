#!/usr/bin/env python3
"""Runs the screening case vignettes (data/vignettes/*.json) through the real ctip binary, and
measures agreement on the situational vignettes (data/vignettes/cases/*.json).

Usage: run_vignettes.py CTIP VIGNETTES_DIR [--min-agreement F] [--markdown]

Each vignette is a case written as data:
  {"description": "...", "tags": [...],
   "input": {...answers file...}            (or "input_text": "raw file contents"),
   "expected": {...}}
and runs as `ctip screen evaluate --answers FILE --json`. Expected keys:
  exit_code (default 0); for exit code 2: stderr_contains (list of strings, e.g. the field).
  For exit code 0: outcome, could_become (required), and optionally combination, clause,
  profile, positive_dimensions (the exact set), ask_next_includes, ask_next_excludes,
  ask_next_empty, ask_next_first_strength, reason_contains, next_step, unexplored_includes,
  action, referrals_include, referrals_exclude.
Exit 0 when every vignette passes, 1 otherwise.

Situational vignettes (issue #8 item 10), one file per profile in VIGNETTES_DIR/cases:
  {"profile": P, "cases": [{"id", "situation", "source", "reasoning",
                            "input": {...answers file...},
                            "expected": {"action", "outcome"}}]}
The expected action and outcome are an expert's reading of the situation under the rules of
issue #8 (written before running the engine). Each case is run and compared; the script prints
the agreement per profile (action and outcome) and fails when a file is malformed or when the
overall agreement on either falls below --min-agreement (default 0.9).
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
    "action", "referrals_include", "referrals_exclude",
}
CASE_KEYS = {"id", "situation", "source", "reasoning", "input", "expected"}
ACTIONS = {"refer_now", "complete_interview", "no_further_action"}
OUTCOMES = {"insufficient_information", "no_indication", "exploitation_only", "coercion_only",
            "possible_trafficking", "presumed_trafficking"}
RANK = ["insufficient_information", "no_indication", "exploitation_only", "coercion_only",
        "possible_trafficking", "presumed_trafficking"]


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
    for key in ("outcome", "could_become", "profile", "action"):
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
    # A question is listed when its "yes" could raise the outcome or change the action
    # (issue #8 item 6): something to ask whenever the combination could still rise.
    raisable = RANK.index(r["could_become"]) > RANK.index(r["outcome"]) and r["outcome"] != "insufficient_information"
    if raisable and not ask:
        problems.append("ask_next must not be empty when outcome differs from could_become")
    for k in exp.get("referrals_include", []):
        if k not in r.get("referrals", []):
            problems.append(f"referrals lack {k}: {r.get('referrals')}")
    for k in exp.get("referrals_exclude", []):
        if k in r.get("referrals", []):
            problems.append(f"referrals should not contain {k}")
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


def evaluate(ctip: str, tmp: str, text: str) -> subprocess.CompletedProcess:
    answers = pathlib.Path(tmp) / "answers.json"
    answers.write_text(text, encoding="utf-8")
    return subprocess.run([ctip, "screen", "evaluate", "--answers", str(answers), "--json"],
                          capture_output=True, text=True, timeout=30)


def measure(ctip: str, folder: pathlib.Path, tmp: str, markdown: bool) -> tuple:
    """Runs the situational vignettes; returns (malformed, action agreement, outcome agreement)."""
    malformed = 0
    rows = []
    total = [0, 0, 0]
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if set(data) != {"profile", "cases", "description"} and set(data) != {"profile", "cases"}:
                raise ValueError(f"keys {sorted(data)}")
        except (ValueError, json.JSONDecodeError) as e:
            print(f"FAIL {path.name}: {e}")
            malformed += 1
            continue
        n = action_ok = outcome_ok = 0
        ids = set()
        for case in data["cases"]:
            name = f"{path.name}#{case.get('id')}"
            exp = case.get("expected", {})
            if (set(case) != CASE_KEYS or case["id"] in ids or exp.get("action") not in ACTIONS
                    or exp.get("outcome") not in OUTCOMES or set(exp) != {"action", "outcome"}
                    or not case["reasoning"].strip() or not case["source"].strip()
                    or case["input"].get("profile") not in (data["profile"], "screener")):
                print(f"FAIL {name}: malformed case")
                malformed += 1
                continue
            ids.add(case["id"])
            proc = evaluate(ctip, tmp, json.dumps(case["input"], ensure_ascii=False))
            if proc.returncode != 0:
                print(f"FAIL {name}: exit code {proc.returncode}: {proc.stderr.strip()}")
                malformed += 1
                continue
            r = json.loads(proc.stdout)
            n += 1
            a_ok = r["action"] == exp["action"]
            o_ok = r["outcome"] == exp["outcome"]
            action_ok += a_ok
            outcome_ok += o_ok
            if not (a_ok and o_ok):
                print(f"differs {name}: expected {exp['action']}/{exp['outcome']}, "
                      f"ctip {r['action']}/{r['outcome']}")
        rows.append((data["profile"], n, action_ok, outcome_ok))
        total[0] += n
        total[1] += action_ok
        total[2] += outcome_ok
    if markdown:
        print("| profile | cases | action agrees | outcome agrees |")
        print("|---|---:|---:|---:|")
    for profile, n, a, o in rows + [("all", *total)]:
        if n == 0:
            continue
        if markdown:
            print(f"| {profile} | {n} | {a}/{n} ({100 * a / n:.0f}%) | {o}/{n} ({100 * o / n:.0f}%) |")
        else:
            print(f"agreement {profile}: {n} cases, action {a}/{n} ({100 * a / n:.1f}%), "
                  f"outcome {o}/{n} ({100 * o / n:.1f}%)")
    n = max(total[0], 1)
    return malformed, total[1] / n, total[2] / n


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    ctip, folder = args[0], pathlib.Path(args[1])
    min_agreement = 0.9
    for a in sys.argv[1:]:
        if a.startswith("--min-agreement="):
            min_agreement = float(a.split("=", 1)[1])
    markdown = "--markdown" in sys.argv
    files = sorted(folder.glob("*.json"))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        if (folder / "cases").is_dir():
            malformed, action_agreement, outcome_agreement = measure(ctip, folder / "cases", tmp, markdown)
            failures += malformed
            if min(action_agreement, outcome_agreement) < min_agreement:
                print(f"FAIL agreement below {min_agreement}: action {action_agreement:.3f}, "
                      f"outcome {outcome_agreement:.3f}")
                failures += 1
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
            text = v["input_text"] if "input_text" in v else json.dumps(v["input"], ensure_ascii=False)
            proc = evaluate(ctip, tmp, text)
            problems = check(v, proc)
            if problems:
                failures += 1
                print(f"FAIL {path.name}: {v['description']}")
                for p in problems:
                    print(f"     {p}")
            else:
                print(f"ok   {path.name}")
    print(f"{failures} failure(s); {len(files)} rule vignettes checked")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
