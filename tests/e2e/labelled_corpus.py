#!/usr/bin/env python3
"""Recall and precision of the shipped patterns on tests/match/labelled.tsv.

Each sentence is scanned on its own (one page of a .txt file each) with
`redact scan --format json`. A label (category=text) is found only when one
match of the same category covers the whole of it (a match of "Congo" does
not find "Democratic Republic of the Congo": the rest would be published); a
match is correct when it covers a label of its sentence or lies inside one. Recall must be 1.0 for countries,
costs and officer counts, and precision at least 0.97 overall. Prints both,
per category, and every miss and false match.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict

from pdf_inputs import argument_parser

FULL_RECALL = ("country", "cost", "officer_count")
MIN_PRECISION = 0.97


def norm(text):
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u2019", "'").split())


def covers(match, label):
    return norm(label) in norm(match)


def agrees(match, label):
    m, l = norm(match), norm(label)
    return m in l or l in m


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--labelled", required=True)
    parser.add_argument("--patterns")
    args = parser.parse_args()

    with open(args.labelled, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    sentences, labels = [], []
    for row in rows:
        sentences.append(row["sentence"])
        wanted = []
        for part in filter(None, (p.strip() for p in (row["labels"] or "").split(" | "))):
            category, _, text = part.partition("=")
            if text not in row["sentence"]:
                sys.exit(f"label {part!r} is not in its sentence: {row['sentence']!r}")
            wanted.append((category, text))
        labels.append(wanted)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sentences.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\f".join(sentences))
        command = [args.redact, "scan", "--format", "json", path]
        if args.patterns:
            command += ["--patterns", args.patterns]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode not in (0, 1):
            sys.exit(f"redact scan failed ({result.returncode}): {result.stderr}")
        found = defaultdict(list)
        for m in json.loads(result.stdout):
            found[m["page"] - 1].append((m["category"], m["text"]))

    tp_labels, all_labels = defaultdict(int), defaultdict(int)
    good_matches, all_matches = defaultdict(int), defaultdict(int)
    problems = []
    for i, sentence in enumerate(sentences):
        for category, text in labels[i]:
            all_labels[category] += 1
            if any(c == category and covers(t, text) for c, t in found[i]):
                tp_labels[category] += 1
            else:
                problems.append(f"MISSED {category}={text!r} in {sentence!r}")
        for category, text in found[i]:
            all_matches[category] += 1
            if any(c == category and agrees(text, t) for c, t in labels[i]):
                good_matches[category] += 1
            else:
                problems.append(f"FALSE  {category}={text!r} in {sentence!r}")

    ok = True
    print(f"{len(sentences)} sentences, {sum(all_labels.values())} labels, {sum(all_matches.values())} matches")
    for category in sorted(set(all_labels) | set(all_matches)):
        recall = tp_labels[category] / all_labels[category] if all_labels[category] else 1.0
        precision = good_matches[category] / all_matches[category] if all_matches[category] else 1.0
        print(f"  {category:18s} recall {recall:.3f} ({tp_labels[category]}/{all_labels[category]})  "
              f"precision {precision:.3f} ({good_matches[category]}/{all_matches[category]})")
        if category in FULL_RECALL and recall < 1.0:
            ok = False
    precision = sum(good_matches.values()) / max(1, sum(all_matches.values()))
    print(f"  overall precision {precision:.3f} (at least {MIN_PRECISION} needed)")
    ok = ok and precision >= MIN_PRECISION
    for p in problems:
        print("  " + p)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
