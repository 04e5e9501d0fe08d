#!/usr/bin/env python3
"""An /ActualText stands for the glyphs of its marked-content span: pdftotext
prints it in their place, mutool prints the glyphs. `run` must leave neither
reader anything withheld, and take no more than it must.

- a span whose ActualText says what its glyphs say, and which loses some of
  them ("Paris, Fr" over those glyphs, then "ance"): the ActualText keeps
  what the glyphs that stay say, "Paris, ", and loses the "Fr" pdftotext
  printed where "France" had been;
- a span holding the whole match among other words ("official France fine"):
  the other words stay for both readers;
- the same with letters outside ASCII, written back as UTF-16 ("Café, F");
- an ActualText that says what its glyphs say but for white space is read
  as pdftotext reads it, its spaces where it has them and none where it has
  none: /ActualText (Fr) over "Fr " then "ance" reads "France" there (a
  hostile review's leak), and so do a tab before "Fr" and a span over " nce";
- pdftotext lays an ActualText evenly from its span's first glyph to the
  end of its last, so a gap between the glyphs (kerning in a TJ) parts
  nothing: /ActualText (Fr) over [(F) -400 (r)], then "ance", reads
  "France", as does (Fr) over [(Zz) -8000 (q)] (the second review's leaks);
  "Paris France Lyon" kerned apart loses just "France";
- a ligature glyph "ﬁ" under an ActualText "fi", capitals of a small-caps
  font under small letters, and a precomposed "é" under "e" and a combining
  acute, say what they say: only the match's glyphs go, and the ActualText
  keeps the other words;
- a hyphen the ActualText has not reads as nothing on one line ("Fr-ance"
  under "France"), and as a hyphen at the end of a line, which the readings
  join: either way "France" is found and goes;
- a span whose ActualText says other than its glyphs (/ActualText (Fr) over
  "Zz", then "ance": pdftotext reads "France", mutool "Zzance"): `run`
  reads the page as pdftotext does, takes the span's glyphs and its
  ActualText with the match, and writes the document instead of holding it;
- an ActualText over no glyph, which pdftotext does not print, is a string
  of the stream: cut when it holds the term, no reason to hold the file;
- in each, `check` finds the term in the input; no decoded stream (qpdf) holds the term or the withheld part of
  the ActualText, and the output passes `check` with the term.
"""
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

from pdf_inputs import Checks, argument_parser, page_objects, write_pdf

TERM = ["--no-patterns", "--term", "France", "--term-exemption", "s27"]
# WinAnsi, and code 1 the "fi" ligature (U+FB01).
FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /fi] >> >>")


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def pdf(content):
    objects = page_objects(content=content)
    objects[4] = (5, FONT)
    return write_pdf(objects)


# name: (content, words both readers keep, what neither may read)
CASES = {
    "partial": (b"BT /F1 12 Tf 72 700 Td (Sent to ) Tj /Span << /ActualText (Paris, Fr) >> BDC (Paris, Fr) Tj EMC "
                b"(ance is far away) Tj ET",
                ["Sent", "Paris,", "far", "away"], [r"\bFr"]),
    "inside": (b"BT /F1 12 Tf 72 700 Td (The ) Tj /Span << /ActualText (official France fine) >> BDC "
               b"(official France fine) Tj EMC ( was paid) Tj ET",
               ["The", "official", "fine", "was", "paid"], []),
    "accented": (b"BT /F1 12 Tf 72 700 Td (Lunch at ) Tj /Span << /ActualText <FEFF00430061006600E9002C00200046> >> "
                 b"BDC (Caf\\351, F) Tj EMC (rance today) Tj ET",
                 ["Lunch", "Caf\u00e9,", "today"], [r"\bF\b", r"\bF\s*$"]),
    "trailing space": (b"BT /F1 12 Tf 72 700 Td (Officers went to ) Tj /Span << /ActualText (Fr) >> BDC (Fr ) Tj EMC "
                       b"(ance) Tj ( last year) Tj ET",
                       ["Officers", "went", "to", "last", "year"], [r"\bFr"]),
    "tab": (b"BT /F1 12 Tf 72 700 Td (Seen ) Tj /Span << /ActualText (x\tFr) >> BDC (xFr) Tj EMC (ance now) Tj ET",
            ["Seen", "now"], [r"\bFr"]),
    "two spans": (b"BT /F1 12 Tf 72 700 Td (Went to ) Tj /Span << /ActualText (Fra) >> BDC (Fra) Tj EMC "
                  b"/Span << /ActualText (nce) >> BDC ( nce) Tj EMC ( in May) Tj ET",
                  ["Went", "to", "in", "May"], [r"\bFra", r"\bnce"]),
    "ligature": (b"BT /F1 12 Tf 72 700 Td (The ) Tj /Span << /ActualText (official France fine) >> BDC "
                 b"(of\001cial France \001ne) Tj EMC ( was paid) Tj ET",
                 ["The", "official", "fine", "was", "paid"], []),
    "kerned apart": (b"BT /F1 12 Tf 72 700 Td (Officers went to ) Tj /Span << /ActualText (Fr) >> BDC "
                     b"[(F) -400 (r)] TJ EMC (ance) Tj ( last year) Tj ET",
                     ["Officers", "went", "to", "last", "year"], [r"\bFr", r"\bF\b"]),
    "spread whole": (b"BT /F1 12 Tf 72 700 Td (Sent to ) Tj /Span << /ActualText (Fr) >> BDC [(Zz) -8000 (q)] TJ EMC "
                     b"(ance today) Tj ET",
                     ["Sent", "to", "today"], [r"\bFr"]),
    "kerned words": (b"BT /F1 12 Tf 72 700 Td /Span << /ActualText (Paris France Lyon) >> BDC "
                     b"[(Paris) -300 (Fr) -800 (ance) -300 (Lyon)] TJ EMC ET",
                     ["Paris", "Lyon"], [r"\bFr", r"\bance"]),
    "small caps": (b"BT /F1 12 Tf 72 700 Td /Span << /ActualText (Paris France Lyon) >> BDC (PARIS FRANCE LYON) Tj EMC "
                   b"ET", ["Lyon|LYON", "Paris|PARIS"], [r"(?i)france"]),
    "combining acute": (b"BT /F1 12 Tf 72 700 Td /Span << /ActualText <FEFF00430061006600650301002000460072> >> BDC "
                        b"(Caf\351 Fr) Tj EMC (ance today) Tj ET",
                        ["Caf\u00e9", "today"], [r"\bFr"]),
    "hyphen on a line": (b"BT /F1 12 Tf 72 700 Td (Sent to ) Tj /Span << /ActualText (France) >> BDC (Fr-ance) Tj EMC "
                         b"( today) Tj ET", ["Sent", "to", "today"], [r"\bFr", r"ance\b"]),
    "hyphen across lines": (b"BT /F1 12 Tf 14 TL 72 700 Td (Sent to ) Tj /Span << /ActualText (France) >> BDC (Fr-) Tj "
                            b"T* (ance) Tj EMC ( today) Tj ET", ["Sent", "to", "today"], [r"\bFr", r"\bance\b"]),
    "split": (b"BT /F1 12 Tf 72 700 Td (Officers were deployed to ) Tj /Span << /ActualText (Fr) >> BDC (Zz) Tj EMC "
              b"(ance last year.) Tj ET",
              ["Officers", "deployed", "last", "year."], [r"\bFr", "Zz"]),
}


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        for name, (content, kept, gone) in CASES.items():
            source = os.path.join(tmp, name + ".pdf")
            with open(source, "wb") as f:
                f.write(pdf(content))
            before = run("pdftotext", source, "-").stdout
            check(f"{name}: pdftotext reads the term in the input", "France" in before, before)
            result = run(args.redact, "check", source, *TERM)
            check(f"{name}: check finds the term in the input", result.returncode == 1 and "leak text" in result.stdout,
                  result.stdout[-400:])
            out = os.path.join(tmp, "out-" + name)
            result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
            redacted = os.path.join(out, name + ".pdf")
            check(f"{name}: run writes it redacted", result.returncode == 0 and "1 redacted" in result.stdout,
                  (result.stdout + result.stderr)[-400:])
            if not os.path.exists(redacted):
                continue
            for reader, text in (("pdftotext", run("pdftotext", redacted, "-").stdout),
                                 ("mutool", run("mutool", "draw", "-F", "txt", "-o", "-", redacted).stdout)):
                text = unicodedata.normalize("NFKC", text)  # mutool prints the ligature as it is
                words = text.split()
                lost = [w for w in kept if not any(re.fullmatch(w, word) for word in words)]
                check(f"{name}: {reader}: no other word lost", not lost, f"{lost} in {text!r}")
                left = [g for g in ["France", *gone] if re.search(g, text, re.MULTILINE)]
                check(f"{name}: {reader}: nothing withheld left", not left, f"{left} in {text!r}")
            raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", redacted, "-"],
                                 capture_output=True).stdout
            check(f"{name}: no decoded stream holds the term", b"France" not in raw and b"ActualText (Fr" not in raw
                  and b"(Paris, Fr)" not in raw)
            result = run(args.redact, "check", redacted, *TERM)
            check(f"{name}: the output passes check", result.returncode == 0, result.stdout[-400:])
        # An ActualText over no glyph: pdftotext prints nothing for it (nor
        # joins it to what follows), so it is a string of the stream, cut
        # when it holds a match, and no reason to hold the document
        # (Chromium leaves such spans where the glyphs of a ligature fell
        # off the page).
        for name, said, status, text in (("over nothing", b"Fr", "1 clean", "Sent to ance today"),
                                         ("term over nothing", b"France", "1 redacted", "Sent to ance today")):
            source = os.path.join(tmp, name + ".pdf")
            with open(source, "wb") as f:
                f.write(pdf(b"BT /F1 12 Tf 72 700 Td (Sent to ) Tj /Span << /ActualText (" + said + b") >> BDC EMC "
                            b"(ance today) Tj ET"))
            check(f"{name}: pdftotext prints nothing for it", run("pdftotext", source, "-").stdout.split() == text.split())
            out = os.path.join(tmp, "out-" + name)
            result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
            check(f"{name}: run writes it", result.returncode == 0 and status in result.stdout,
                  (result.stdout + result.stderr)[-400:])
            redacted = os.path.join(out, name + ".pdf")
            raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", redacted, "-"],
                                 capture_output=True).stdout if os.path.exists(redacted) else b""
            check(f"{name}: the term is in no stream", b"France" not in raw, raw[:0])
            check(f"{name}: every word stays", run("pdftotext", redacted, "-").stdout.split() == text.split())
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
