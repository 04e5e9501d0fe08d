#!/usr/bin/env python3
"""Checks glyph boxes from `redact extract --format json` against MuPDF.

For every text PDF among the fixtures and the corpus, each of our glyphs is paired with the MuPDF character
(`mutool draw -F stext`) of the same text nearest to it on the same page, and
the eight corner coordinates of the two quads are compared. Every glyph must
be within the tolerance (1 pt by default). Prints, per file, how many glyphs
were compared, the largest difference, and the worst glyphs when it fails. A glyph with no MuPDF character of its text
within a few points fails too.

Glyphs whose text is several characters (a ligature mapped to "fi", or
U+FB01, which MuPDF splits) are compared by the union of MuPDF's split quads; spaces are not compared
(MuPDF invents some).
"""
import json
import math
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict

from pdf_inputs import argument_parser, text_pdfs


CELL = 4.0  # points; candidates are looked up in the 3x3 cells around a glyph


class PageChars:
    """MuPDF's characters on one page, indexed by text and by a grid over
    their lower-left corners, so that pairing stays linear on 100k glyphs."""

    def __init__(self):
        self.grid = defaultdict(list)
        self.texts = set()

    def add(self, c, x, y, quad):
        self.texts.add(c)
        self.grid[(c, int(quad[4] // CELL), int(quad[5] // CELL))].append((x, y, quad))

    def __contains__(self, c):
        return c in self.texts

    def near(self, c, x, y):
        cx, cy = int(x // CELL), int(y // CELL)
        return [v for dx in (-1, 0, 1) for dy in (-1, 0, 1) for v in self.grid.get((c, cx + dx, cy + dy), [])]


def mupdf_chars(pdf):
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf], capture_output=True,
                         check=True).stdout
    pages = []
    for page in ET.fromstring(xml).iter("page"):
        chars = PageChars()
        for ch in page.iter("char"):
            quad = [float(v) for v in ch.get("quad").split()]
            chars.add(ch.get("c"), float(ch.get("x")), float(ch.get("y")), quad)
        pages.append(chars)
    return pages


def union(quads):
    xs = [q[i] for q in quads for i in (0, 2, 4, 6)]
    ys = [q[i] for q in quads for i in (1, 3, 5, 7)]
    return [min(xs), min(ys), max(xs), max(ys)]


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--tolerance", type=float, default=1.0)
    args = parser.parse_args()

    pdfs = text_pdfs(args.fixtures, args.corpus)
    failed = False
    for pdf in pdfs:
        ours = json.loads(subprocess.run([args.redact, "extract", "--format", "json", pdf], capture_output=True,
                                         check=True).stdout)
        theirs = mupdf_chars(pdf)
        compared, worst, bad = 0, 0.0, []
        for page, chars in zip(ours["pages"], theirs):
            for g in page["glyphs"]:
                text = g["text"]
                if not text.strip() or g.get("unknown"):
                    continue
                if text[0] not in chars:  # MuPDF splits ligatures: U+FB01 -> "f", "i"
                    text = unicodedata.normalize("NFKC", text)
                if not text.strip():
                    continue
                q = g["quad"]
                ox, oy = q[4], q[5]  # lower-left corner
                candidates = chars.near(text[0], ox, oy)
                if not candidates:
                    bad.append((math.inf, page["number"], text, q, None))
                    continue
                best = min(candidates, key=lambda c: math.hypot(c[2][4] - ox, c[2][5] - oy))
                if len(text) == 1:
                    diff = max(abs(a - b) for a, b in zip(q, best[2]))
                else:
                    # The split quads of MuPDF's characters for this glyph share its baseline.
                    parts = [best[2]]
                    x = best[2][2]
                    for ch in text[1:]:
                        nxt = [c for c in chars.near(ch, x, best[2][5])
                               if abs(c[2][0] - x) < 0.05 and abs(c[1] - best[1]) < 0.05]
                        if nxt:
                            parts.append(nxt[0][2])
                            x = nxt[0][2][2]
                    ub = union(parts)
                    ourb = g["box"]
                    diff = max(abs(a - b) for a, b in zip(ourb, ub))
                compared += 1
                worst = max(worst, diff)
                if diff > args.tolerance:
                    bad.append((diff, page["number"], text, q, best[2]))
        ok = not bad and compared > 0
        failed = failed or not ok
        print(f"{'ok  ' if ok else 'FAIL'} {compared:6d} glyphs, largest difference {worst:.3f} pt  {pdf}")
        for diff, number, text, q, theirs_q in sorted(bad, key=lambda b: -b[0])[:8]:
            print(f"     page {number} {text!r}: ours {q} mupdf {theirs_q} ({diff:.2f} pt)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
