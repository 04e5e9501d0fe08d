#!/usr/bin/env python3
"""Checks `redact extract` against the text each fixture was made from.

fixtures/expected/NAME.txt holds the words given to the producer, pages
separated by form feeds. Every expected word must be found on its page (as a
multiset, after NFKC, which turns ligature glyphs into letters); a fixture
with an empty expected text (a scan) must extract to no text at all.
"""
import collections
import os
import subprocess
import sys

from pdf_inputs import argument_parser
import unicodedata


def words(text):
    return collections.Counter(unicodedata.normalize("NFKC", text).split())


def main():
    parser = argument_parser(__doc__)
    args = parser.parse_args()

    failed = False
    pdf_dir = os.path.join(args.fixtures, "pdf")
    names = sorted(n[:-4] for n in os.listdir(pdf_dir) if n.endswith(".pdf"))
    if not names:
        sys.exit(f"no fixtures in {pdf_dir}")
    for name in names:
        with open(os.path.join(args.fixtures, "expected", name + ".txt"), encoding="utf-8") as f:
            expected_pages = f.read().split("\f")
        out = subprocess.run([args.redact, "extract", os.path.join(pdf_dir, name + ".pdf")], capture_output=True,
                             text=True, check=True).stdout
        got_pages = out.split("\f")
        missing = []
        for number, expected in enumerate(expected_pages, 1):
            got = words(got_pages[number - 1]) if number <= len(got_pages) else collections.Counter()
            missing += [f"p{number}:{w}" for w in (words(expected) - got).elements()]
        if not any(p.strip() for p in expected_pages) and out.strip():
            missing.append("(expected no text layer, got text)")
        status = "ok  " if not missing else "FAIL"
        print(f"{status} {name}: {sum(words(''.join(expected_pages)).values())} expected words")
        if missing:
            failed = True
            print(f"     missing: {missing[:20]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
