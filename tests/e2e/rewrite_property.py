#!/usr/bin/env python3
"""The content rewriter never breaks a stream (a property test).

For every text PDF among the fixtures and the corpus, and three seeds, a
random third of the glyphs of every page's own content is removed with the
rewriter (tests/tools/rewrite_subset.cpp), as a redaction removes them. Then,
by readers we did not write:
- pdftotext and mutool say nothing about the output they did not say about
  the input (no new warning: an operator glued to another, a broken array);
- MuPDF reads every glyph that was not removed exactly where it was (within
  0.05 pt), and no glyph that was: the output's characters are the input's
  minus the removed ones.
"""
import collections
import html
import unicodedata
import json
import os
import re
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser, text_pdfs

SEEDS = (1, 2, 3)
FRACTION = 0.3
CHAR = re.compile(r'<char quad="[^"]*" x="([-\d.e]+)" y="([-\d.e]+)"[^>]* c="((?:[^"]|&quot;)*)"/>')
PAGE = re.compile(r"<page ")


def warnings(command):
    result = subprocess.run(command, capture_output=True, text=True)
    return {re.sub(r"\d+", "N", line.strip()) for line in result.stderr.splitlines() if line.strip()}


def mupdf_chars(pdf):
    """(page, char, x, y) of every character MuPDF reads, spaces left out."""
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf], capture_output=True, text=True).stdout
    out = []
    for number, page in enumerate(PAGE.split(xml)[1:], start=1):
        for x, y, c in CHAR.findall(page):
            c = html.unescape(c)
            if c.strip():
                out.append((number, c, float(x), float(y)))
    return out


class Chars:
    """Characters to take out one by one, found by page, character and
    place: a grid of 1-pt cells keeps each lookup short on pages of tens of
    thousands of characters."""

    def __init__(self, chars):
        self.cells = collections.defaultdict(list)
        self.count = 0
        for page, c, x, y in chars:
            self.cells[(page, c, round(x), round(y))].append((x, y))
            self.count += 1

    def take(self, page, c, x, y, tolerance, along=None):
        """Removes the character of `page` drawing `c` nearest (x, y), within
        `tolerance`, or up to `along` points further along the line (a
        ligature's later letters)."""
        reach = round(along or tolerance) + 1
        best = None
        for cx in range(round(x) - 1, round(x) + reach + 1):
            for cy in (round(y) - 1, round(y), round(y) + 1):
                cell = self.cells.get((page, c, cx, cy), [])
                for i, (xx, yy) in enumerate(cell):
                    if -tolerance <= xx - x <= (along or tolerance) and abs(yy - y) <= tolerance:
                        distance = abs(xx - x) + abs(yy - y)
                        if best is None or distance < best[0]:
                            best = (distance, cell, i)
        if best is None:
            return False
        del best[1][best[2]]
        self.count -= 1
        return True

    def sample(self, n):
        return [key for key, cell in self.cells.items() if cell][:n]


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--rewriter", required=True, help="the redact_rewrite_subset test tool")
    args = parser.parse_args()
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in text_pdfs(args.fixtures, args.corpus):
            name = os.path.basename(pdf)
            warned_before = {"pdftotext": warnings(["pdftotext", pdf, "-"]),
                             "mutool": warnings(["mutool", "draw", "-F", "txt", "-o", "-", pdf])}
            before = mupdf_chars(pdf)
            for seed in SEEDS:
                out = os.path.join(tmp, f"{seed}-{name}")
                result = subprocess.run([args.rewriter, pdf, out, str(seed), str(FRACTION)], capture_output=True, text=True)
                if result.returncode != 0:
                    check(f"{name} seed {seed}: rewritten", False, result.stderr.strip())
                    continue
                removed = [json.loads(line) for line in result.stdout.splitlines()]
                warned = {"pdftotext": warnings(["pdftotext", out, "-"]),
                          "mutool": warnings(["mutool", "draw", "-F", "txt", "-o", "-", out])}
                for reader in warned:
                    new = sorted(warned[reader] - warned_before[reader])
                    check(f"{name} seed {seed}: {reader}: no new warning", not new, str(new[:3]))
                # What MuPDF should read: the input less the removed glyphs.
                expected = Chars(before)
                unmatched = 0
                for g in removed:
                    text = unicodedata.normalize("NFKC", g["text"]).strip()
                    if len(text) == 1:
                        if not expected.take(g["page"], text, g["x"], g["y"], 0.6):
                            unmatched += 1
                        continue
                    # A ligature: MuPDF reads its letters spread along its advance.
                    for letter in text:
                        if not expected.take(g["page"], letter, g["x"], g["y"], 0.6, along=20):
                            unmatched += 1
                stray = [c for c in mupdf_chars(out) if not expected.take(c[0], c[1], c[2], c[3], 0.05)]
                check(f"{name} seed {seed}: every kept glyph where it was ({len(removed)} removed)",
                      not stray and expected.count <= unmatched,
                      f"moved or new: {stray[:3]}; missing: {expected.sample(3)}"
                      if stray or expected.count > unmatched else "")
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
