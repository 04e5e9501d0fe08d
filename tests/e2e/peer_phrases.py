#!/usr/bin/env python3
"""Other redaction projects' hardest test files (corpus/peer: iText pdfSweep,
PyMuPDF, pdfcpu), each redacted with the phrases `phrases.json` gives it, as
terms only (`--no-patterns`).

A file that is written must pass, for pdftotext and for mutool alike:
- every phrase is gone (as words, any case, any spacing);
- no other word is lost: each word the input had and the output lacks is a
  word of a phrase or holds one;
- no new warning: the reader says nothing about the output that it did not
  say about the input.
Rendered by pdftoppm, the page is unchanged outside the boxes and dark
inside them (image pixels blacked out, JPEGs re-encoded, soft masks made
opaque there).
A file that is held must be held for the reason EXPECTED names (a reason the
README lists). Either way the outcome must be the one EXPECTED says: a file
that starts being held, or stops, fails here until the table says why."""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

from pdf_inputs import Checks, argument_parser, compare_rendering

# "written", or the fragment of the hold (or failure) reason.
EXPECTED = {
    "cpu__annotations__HighlightAnnotation.pdf": "written",
    "cpu__basic__TextRotateDemo.pdf": "risk text-outside-crop",
    "cpu__fill__person.pdf": "written",  # field values and tooltips cut, field scripts dropped
    "cpu__testdata__Paclitaxel.PDF": "written",
    "cpu__testdata__annotTest.pdf": "written",  # a stamp's drawing in its circle clip covers nothing outside the circle
    "cpu__testdata__testRot.pdf": "written",
    "mu__2.pdf": "risk text-outside-crop",
    "mu__test2093.pdf": "written",  # an ICC-based image with a 1-bit soft mask under a region
    "mu__test_2645_2.pdf": "written",  # a form in a form
    "mu__test_3357.pdf": "risk hidden-colour-text",  # CCITT scans repainted; the input has white text
    "mu__test_4047.pdf": "written",  # the full stop the box hides goes with "Por Unidade"
    "mu__test_4505.pdf": "could not be read completely",
    "mu__test_4614.pdf": "written",  # a JPEG inside Flate ([/FlateDecode /DCTDecode]); a field named after the number
    "mu__widgettest.pdf": "risk clipped-text",  # the input clips a list box's options
    "sweep__BigDocumentAutoCleanUpTest__TheSopranos.pdf": "written",
    "sweep__CleanUpAnnotationTest__freeTextAnnotation.pdf": "written",
    "sweep__MaskedImagesTest__imageSMaskAIS.pdf": "written",  # a JPEG with a soft mask
    "sweep__PdfAutoSweepTest__noninvertibleMatrix.pdf": "risk singular-matrix",
    "sweep__PdfCleanUpToolTest__fullyFilteredImageDocument.pdf": "risk text-under-box",  # the input draws a JPEG over its text
    "sweep__PdfCleanUpToolTest__helloHelvetica02.pdf": "risk invisible-text",
}

LABEL = "s.40(2)"  # the label of --term-exemption s40(2)

READERS = {
    "pdftotext": lambda pdf: ["pdftotext", "-enc", "UTF-8", pdf, "-"],
    "mutool": lambda pdf: ["mutool", "draw", "-F", "txt", "-o", "-", pdf],
}


def read(reader, pdf):
    result = subprocess.run(READERS[reader](pdf), capture_output=True, text=True)
    # Object numbers and offsets change when a file is rewritten; the words of a warning do not.
    warnings = {re.sub(r"\d+", "N", line.strip()) for line in result.stderr.splitlines() if line.strip()}
    return unicodedata.normalize("NFKC", result.stdout), warnings


def words(text):
    return collections.Counter(w.lower() for w in re.findall(r"\w+", text))


def phrase_pattern(phrase):
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.IGNORECASE)


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    peer = os.path.join(args.corpus, "peer")
    with open(os.path.join(peer, "phrases.json"), encoding="utf-8") as f:
        phrases = json.load(f)
    check("every peer file has an expected outcome", set(phrases) == set(EXPECTED),
          str(set(phrases) ^ set(EXPECTED)))

    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(phrases):
            source = os.path.join(peer, name)
            out = os.path.join(tmp, name + ".out")
            terms = [a for p in phrases[name] for a in ("--term", p)]
            command = [args.redact, "run", source, "-o", out]
            command += ["--no-patterns", "--term-exemption", "s40(2)", *terms] if terms else []
            result = subprocess.run(command, capture_output=True, text=True)
            with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
                record = [r for r in map(json.loads, f) if r["type"] == "document"][0]
            written = record["status"] in ("redacted", "clean")
            want = EXPECTED.get(name, "written")
            if want != "written":
                check(f"{name}: held or failed for '{want}'", not written and want in (record["reason"] or ""),
                      f"{record['status']}: {record['reason']}")
                continue
            check(f"{name}: written", written, f"{record['status']}: {record['reason']}")
            if not written:
                continue
            output = os.path.join(out, name)
            # Poppler's rendering: nothing changed outside the boxes (images
            # blacked out and JPEGs re-encoded included), dark inside.
            with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
                boxes = collections.defaultdict(list)
                for r in map(json.loads, f):
                    if r["type"] == "redaction":
                        boxes[r["page"]].append(r["box"])
            for page, page_boxes in sorted(boxes.items()):
                compared = compare_rendering(source, output, page, page_boxes, 50, tmp)
                check(f"{name} p{page}: rendered at the same size", compared is not None)
                if compared:
                    changed, outside, dark, inside = compared
                    check(f"{name} p{page}: unchanged outside the boxes", changed <= 0.002 * outside,
                          f"({changed} of {outside} pixels)")
                    check(f"{name} p{page}: dark inside the boxes", inside == 0 or dark >= 0.6 * inside,
                          f"({dark} of {inside} pixels)")
            for reader in READERS:
                before, warned_before = read(reader, source)
                after, warned_after = read(reader, output)
                left = [p for p in phrases[name] if phrase_pattern(p).search(after)]
                check(f"{name}: {reader}: every phrase gone", not left, str(left))
                phrase_words = {w.lower() for p in phrases[name] for w in re.findall(r"\w+", p)}
                lost = words(before) - words(after)
                collateral = sorted(w for w in lost if not any(p in w for p in phrase_words))
                # A reader that joins a word hyphenated at a line end with a
                # box's label after it ("inner-" + "s.40(2)"): the word is on
                # the page, the reader's text runs it into the label.
                joined = [w for w in collateral if re.search(r"(?<!\w)" + re.escape(w[:3]) + r"\w*" + re.escape(LABEL), after, re.I)]
                if joined:
                    print(f"note {name}: {reader}: joined with a label by the reader: {joined}")
                collateral = [w for w in collateral if w not in joined]
                # Letters the reader now runs into a neighbour ("e" and "i" read as
                # "ei" once the word between them is gone): on the page, not lost.
                added = words(after) - words(before)
                merged = [w for w in collateral if any(w in a and w != a for a in added)]
                if merged:
                    print(f"note {name}: {reader}: run into a neighbour by the reader: {merged}")
                collateral = [w for w in collateral if w not in merged]
                check(f"{name}: {reader}: no other word lost", not collateral, str(collateral[:20]))
                new_warnings = sorted(warned_after - warned_before)
                check(f"{name}: {reader}: no new warning", not new_warnings, str(new_warnings[:5]))
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
