#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of `ctip ads analyze`'s networks against the generator's
ground truth (bench/gen_ads.py writes truth.csv: id,network,poster), issue #10's quality measure.

  python3 bench/ads_eval.py OUT_DIR/ads.csv CORPUS/truth.csv

A true group is a network, or one independent poster's own ads (one person, one phone: their
reposts belong together). An ad in no predicted network is its own group. Pairs are counted per
group (n choose 2), never enumerated, so a million ads take seconds."""
import csv
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


if __name__ == "__main__":
    main()
