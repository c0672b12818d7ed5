#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of `ctip ads analyze`'s networks against the generator's
ground truth (bench/gen_ads.py writes truth.csv: id,network,poster), issue #10's quality measure.

  python3 bench/ads_eval.py OUT_DIR/ads.csv CORPUS/truth.csv [OUT_DIR/networks.json]

A true group is a network, or one independent poster's own ads (one person, one phone: their
reposts belong together). An ad in no predicted network is its own group. Pairs are counted per
group (n choose 2), never enumerated, so a million ads take seconds.

With networks.json, also the issue's rule on phones: every pair of ads that share a normalised
phone number is in one network, except through values reported as too common. Ads that share a
phone are linked by it, so a phone listed by two networks (and not too common) breaks the rule;
the check fails the run (exit 1) when one does."""
import csv
import json
import sys
from collections import Counter


def pairs(n):
    return n * (n - 1) // 2


def main():
    predicted, truth = {}, {}
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            predicted[row["id"]] = row["network"] or ("solo:" + row["id"])
    with open(sys.argv[2], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth[row["id"]] = row["network"] or ("poster:" + row["poster"])
    ids = [i for i in predicted if i in truth]
    both = Counter((predicted[i], truth[i]) for i in ids)
    tp = sum(pairs(n) for n in both.values())
    pp = sum(pairs(n) for n in Counter(predicted[i] for i in ids).values())
    tt = sum(pairs(n) for n in Counter(truth[i] for i in ids).values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"ads {len(ids)}  pairs: predicted {pp}, true {tt}, both {tp}  "
          f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            doc = json.load(f)
        common = {(v["kind"], v["value"]) for v in doc["too_common"]}
        networks_of = {}
        for n in doc["networks"]:
            for s in n["selectors"]:
                if s["kind"] == "phone":
                    networks_of.setdefault(s["value"], set()).add(n["id"])
        split = sorted(p for p, ns in networks_of.items()
                       if len(ns) > 1 and ("phone", p) not in common)
        print(f"phones in networks {len(networks_of)}  too common {len(common)}  "
              f"in more than one network {len(split)}")
        if split:
            print("phones split across networks: " + ", ".join(split[:10]))
            sys.exit(1)


if __name__ == "__main__":
    main()
