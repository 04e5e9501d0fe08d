#!/usr/bin/env python3
"""Checks that `redact extract` finds the same words as independent extractors.

For every text PDF among the fixtures and the corpus, our words and
poppler's `pdftotext` words are NFKC-normalized and compared as multisets: the
share of our words that pdftotext also has, and the share of its words that we
have, must both reach 99%.

Where pdftotext itself loses text, MuPDF (`mutool draw -F txt`) referees
instead, and the output says so. Known cases: poppler keeps only the first
50,000 characters under 3 pt on a page, breaks text set at 30 degrees into
letters, drops characters drawn over identical ones one by one ("-" table
fillers in Durham, hidden text in x-ray's hidden_text_on_visible_text.pdf).
"""
import collections
import subprocess
import sys
import unicodedata

from pdf_inputs import argument_parser, text_pdfs


def words(text):
    text = unicodedata.normalize("NFKC", text)
    # pdftotext and redact may differ on the typographic apostrophe only.
    return collections.Counter(text.replace("\u2019", "'").split())


def agreement(ours, theirs):
    common = sum((ours & theirs).values())
    return (common / max(1, sum(ours.values())), common / max(1, sum(theirs.values())))


REFEREES = [
    ("pdftotext", ["pdftotext", "-enc", "UTF-8"]),
    ("mutool", ["mutool", "draw", "-q", "-F", "txt", "-o", "-"]),
]


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--threshold", type=float, default=0.99)
    args = parser.parse_args()

    failures = []
    for pdf in text_pdfs(args.fixtures, args.corpus):
        ours = subprocess.run([args.redact, "extract", pdf], capture_output=True, text=True, check=True).stdout
        a = words(ours)
        for referee, command in REFEREES:
            b = words(subprocess.run(command + [pdf, "-"] if referee == "pdftotext" else command + [pdf],
                                     capture_output=True, text=True, check=True).stdout)
            precision, recall = agreement(a, b)
            ok = precision >= args.threshold and recall >= args.threshold
            print(f"{'ok  ' if ok else 'FAIL'} ours-in-{referee} {precision:.4f}  {referee}-in-ours {recall:.4f}  {pdf}")
            if ok:
                break
        if not ok:
            failures.append(pdf)
            only_ours = list((a - b).elements())[:15]
            only_theirs = list((b - a).elements())[:15]
            print(f"     only in redact:    {only_ours}")
            print(f"     only in {referee}: {only_theirs}")
    if failures:
        print(f"{len(failures)} file(s) below {args.threshold:.0%} agreement")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
