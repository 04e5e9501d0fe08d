#!/usr/bin/env python3
"""`redact scan` end to end: exit statuses, and boxes checked against poppler.

A match's box must cover the words poppler's `pdftotext -bbox` reports for
the same text (across to within 1 pt, and their middle line), so the boxes a
later stage paints are where a reader sees the words. Exit statuses: 0 nothing found, 1 found, 2 broken
configuration, 3 unreadable file.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from pdf_inputs import Checks, argument_parser


PUNCTUATION = ".,;:()'\""


def run(redact, *args):
    return subprocess.run([redact, *args], capture_output=True, text=True)


def poppler_words(pdf, page):
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"], capture_output=True,
                          text=True, check=True).stdout
    html = re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(html)
    return [(w.text, [float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]) for w in root.iter("word")]


def covers(box, word, tolerance=1.0, whole=True):
    """Across, the box spans the word to within `tolerance`; up and down, it
    holds the word's middle. (Vertical extents are a font-metric convention
    on which poppler and MuPDF differ; compare_boxes.py holds ours to MuPDF's.)"""
    middle = (word[1] + word[3]) / 2
    right = box[2] >= word[2] - tolerance if whole else box[2] > word[0]
    return box[0] <= word[0] + tolerance and right and box[1] <= middle <= box[3]


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()

    letter = os.path.join(args.fixtures, "pdf", "libreoffice-letter.pdf")
    result = run(args.redact, "scan", "--format", "json", letter)
    check("found: exit 1", result.returncode == 1, result.stderr.strip())
    matches = json.loads(result.stdout) if result.stdout else []
    texts = {(m["category"], m["text"].replace("\n", " ")) for m in matches}
    for wanted in [("country", "Côte d'Ivoire"), ("cost", "£12,345.67"), ("country", "Republic of Korea")]:
        check(f"found {wanted}", wanted in texts)
    # Each single-line match covers poppler's words for it.
    checked = 0
    for m in matches:
        if len(m["boxes"]) != 1:
            continue
        words = poppler_words(letter, m["page"])
        box = m["boxes"][0]
        for part in m["text"].split():
            part = part.strip(PUNCTUATION)
            # Poppler's box of "Korea." holds the full stop, which the match leaves out.
            candidates = [(w, t == part) for t, w in words if t.strip(PUNCTUATION) == part]
            if not candidates:
                continue
            ok = any(covers(box, w, whole=whole) for w, whole in candidates)
            checked += 1
            if not ok:
                check(f"box of {m['text']!r} covers poppler's {part!r}", False, f"{box} vs {[w for w, _ in candidates]}")
    check("boxes compared with poppler", checked >= 10, f"({checked} words)")

    # scan reads every page every way run does, and lists each match once,
    # whole: letters parted by marks ("S-p-a-i-n" and "I/T/A/L/Y" to
    # pdftotext) are found as the words, a letter-spaced heading once.
    for name, wanted in [("letter-spacing-css.pdf", ["FRANCE"]), ("separated-letters-chromium.pdf", ["FRANCE", "Spain", "ITALY"])]:
        pdf = os.path.join(args.fixtures, "check", "pdf", name)
        result = run(args.redact, "scan", "--format", "json", pdf)
        countries = [m["text"] for m in json.loads(result.stdout or "[]") if m["category"] == "country"]
        check(f"{name}: each country listed once, whole", sorted(countries) == sorted(wanted), str(countries))
    separated = os.path.join(args.fixtures, "check", "pdf", "separated-letters-chromium.pdf")
    poppler = subprocess.run(["pdftotext", separated, "-"], capture_output=True, text=True).stdout
    check("poppler reads the parted letters as they are drawn", "S-p-a-i-n" in poppler and "I/T/A/L/Y" in poppler, poppler[:300])

    with tempfile.TemporaryDirectory() as tmp:
        clean = os.path.join(tmp, "clean.txt")
        with open(clean, "w", encoding="utf-8") as f:
            f.write("Section 24(1) applies. We received your request on 1 January 2023 (ref 01.FOI.23.034376).")
        result = run(args.redact, "scan", clean)
        check("nothing found: exit 0", result.returncode == 0 and result.stdout == "", result.stdout)

        result = run(args.redact, "scan", "--term", "Operation Nightjar", clean)
        check("--term without --term-exemption: exit 2", result.returncode == 2, result.stderr.strip())

        result = run(args.redact, "scan", "--term", "\u2122", "--term-exemption", "s43", clean)
        check("--term with nothing to match once normalized (a sign read as nothing): exit 2 naming it",
              result.returncode == 2 and "--term '\u2122'" in result.stderr, result.stderr.strip())

        result = run(args.redact, "scan", "--term", "received your", "--term-exemption", "s31(1)(a)", clean)
        check("--term finds the phrase", result.returncode == 1 and "term term [s31(1)(a)]" in result.stdout,
              result.stdout.strip())

        keep = os.path.join(tmp, "keep.txt")
        with open(keep, "w", encoding="utf-8") as f:
            f.write("# totals we disclose\n49 officers\n")
        total = os.path.join(tmp, "total.txt")
        with open(total, "w", encoding="utf-8") as f:
            f.write("In all, 49 officers were deployed.")
        check("a count is found", run(args.redact, "scan", total).returncode == 1)
        check("--keep-file keeps it", run(args.redact, "scan", "--keep-file", keep, total).returncode == 0)

        broken = os.path.join(tmp, "broken.toml")
        with open(broken, "w", encoding="utf-8") as f:
            f.write('version = 1\ncategories = ["a"]\n[[pattern]]\nid = "x"\ncategory = "a"\nexemptions = ["s1"]\n'
                    'description = "d"\nregex = \'(\'\n')
        result = run(args.redact, "scan", "--patterns", broken, clean)
        check("broken pattern set: exit 2 with file:line", result.returncode == 2 and "broken.toml:8:" in result.stderr,
              result.stderr.strip())

        result = run(args.redact, "scan", os.path.join(tmp, "missing.pdf"))
        check("missing file: exit 3", result.returncode == 3, result.stderr.strip())
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
