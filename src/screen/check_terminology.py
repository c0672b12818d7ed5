#!/usr/bin/env python3
"""Checks every instrument string and every web UI string against the terminology of its
language (data/instruments/terminology/<lang>.json; issue #8 item 9).

Usage: check_terminology.py REPO_ROOT
Fails (exit 1) when a string contains a forbidden text (case-insensitive), or when a concept's
term is used nowhere in that language (one term per concept, and that term actually used).
"""
import json
import pathlib
import sys

LANGS = ("en", "es", "fr", "ar")


def localized_strings(node, path=""):
    """Yields (path, lang, text) for every object of texts by language in a data file: the
    {"en","es","fr","ar"} texts and the partial ones (the fr and ar feminine forms)."""
    if isinstance(node, dict):
        if node and set(node) <= set(LANGS) and all(isinstance(v, str) for v in node.values()):
            for lang, text in node.items():
                yield path, lang, text
            return
        for k, v in node.items():
            yield from localized_strings(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from localized_strings(v, f"{path}[{i}]")


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    data = root / "data" / "instruments"
    terms = {}
    for lang in LANGS:
        path = data / "terminology" / f"{lang}.json"
        terms[lang] = json.loads(path.read_text(encoding="utf-8"))
    strings = []  # (where, lang, text)
    for path in sorted(data.rglob("*.json")):
        if path.parent.name in ("schema", "terminology"):
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        for where, lang, text in localized_strings(doc):
            strings.append((f"{path.relative_to(root)}:{where}", lang, text))
    ui = sorted((root / "web" / "src" / "i18n").glob("*.json"))
    ui += sorted((root / "web" / "src" / "capabilities").glob("*/i18n/*.json"))
    for path in ui:
        lang = path.stem
        if lang not in LANGS:
            continue
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(text, str):
                strings.append((f"{path.relative_to(root)}:{key}", lang, text))
    problems = 0
    for where, lang, text in strings:
        low = text.casefold()
        for f in terms[lang]["forbidden"]:
            if f["text"].casefold() in low:
                print(f"{where} [{lang}]: contains {f['text']!r}; use {f['use_instead']!r} ({f['why']})")
                problems += 1
    for lang in LANGS:
        corpus = " ".join(t for _, l, t in strings if l == lang).casefold()
        for term in terms[lang]["terms"]:
            if term["use"].casefold() not in corpus:
                print(f"[{lang}] the term {term['use']!r} ({term['concept']}) is used nowhere")
                problems += 1
    print(f"{len(strings)} strings checked in {len(LANGS)} languages, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
