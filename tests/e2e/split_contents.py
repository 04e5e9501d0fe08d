#!/usr/bin/env python3
"""A page whose /Contents is an array of streams, one of which ends inside a
string that the next one finishes. PDF 32000 (7.8.2) allows a division only
between tokens, and readers part ways: poppler reads the string on across
the division, whole, where MuPDF reads it with the space it puts between
streams. `(Report on KES` + `TREL and others) Tj` is "KESTREL" for
pdftotext and "KES TREL" for mutool; `redact` read MuPDF's way, found no
match, and wrote the page as it was, "clean".

- such a page cannot be read with certainty: `check` says so (a risk,
  naming the split) and `run` holds the file, whether the string holds the
  term or not; so too an octal escape split in two, a backslash that
  escapes the space MuPDF puts there but the string's end for poppler, and
  an inline image's data ending `E` + `I`: the image's end for poppler,
  which then shows the text after it, more data for MuPDF (up to a later
  `EI`, or to the end);
- a division between two tokens (the string, then its operator) or inside
  a hex string (whose white space no reader reads) is read alike by all:
  `run` removes the term, every other word stays for pdftotext and mutool,
  and the output passes `check`.
"""
import json
import os
import subprocess
import sys
import tempfile

from pdf_inputs import FONT, Checks, argument_parser, stream, write_pdf

TERM = ["--term", "Kestrel", "--term-exemption", "s31", "--no-patterns"]
HEAD = b"BT /F1 12 Tf 72 700 Td "


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def split_pdf(first, second):
    """A page drawing `first` then `second`, two streams of one /Contents."""
    return write_pdf([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R 6 0 R] "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        (4, stream(b"", first)),
        (5, FONT),
        (6, stream(b"", second)),
    ])


def shown(path):
    return {"pdftotext": run("pdftotext", path, "-").stdout,
            "mutool": run("mutool", "draw", "-F", "txt", "-o", "-", path).stdout}


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    held = {
        "string": (HEAD + b"(Report on KES", b"TREL and others) Tj ET"),
        "octal escape": (HEAD + b"(Report on KES\\", b"124REL and others) Tj ET"),
        "backslash": (HEAD + b"(Report on \\", b") Tj (KESTREL and others) Tj ET"),
        "no term": (HEAD + b"(Report on the ", b"operation and others) Tj ET"),
        "image data": (HEAD + b"(Report on) Tj ET BI /W 3 /H 1 /CS /G /BPC 8 ID abcE",
                       b"I BT /F1 12 Tf 72 680 Td (KESTREL) Tj ET EI BT /F1 12 Tf 72 660 Td (and others) Tj ET"),
        "image end": (HEAD + b"(Report on) Tj ET BI /W 3 /H 1 /CS /G /BPC 8 ID abcE",
                      b"I BT /F1 12 Tf 72 680 Td (KESTREL and others) Tj ET"),
    }
    alike = {
        "between tokens": (HEAD + b"(Report on KESTREL and others)", b"Tj ET"),
        "hex string": (HEAD + b"<5265706f7274206f6e204b4553", b"5452454c20616e64206f7468657273> Tj ET"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (first, second) in held.items():
            source = os.path.join(tmp, name.replace(" ", "-") + ".pdf")
            with open(source, "wb") as f:
                f.write(split_pdf(first, second))
            if name == "string":
                readings = shown(source)
                check("precondition: pdftotext reads the term whole, mutool with a space in it",
                      "KESTREL" in readings["pdftotext"] and "KES TREL" in readings["mutool"], str(readings))
            result = run(args.redact, "check", "--format", "json", *TERM, source)
            findings = json.loads(result.stdout)[0]["findings"] if result.stdout.startswith("[") else []
            risks = [f for f in findings if f["kind"] == "unreadable-text" and "split a string" in f["message"]]
            if name in ("image data", "image end"):
                readings = shown(source)
                check("precondition: pdftotext reads the text after the image's end, mutool reads it as data",
                      "KESTREL" in readings["pdftotext"] and "KESTREL" not in readings["mutool"], str(readings))
            what = "an inline image's data" if name.startswith("image") else "a string"
            risks = [f for f in findings if f["kind"] == "unreadable-text" and f"split {what}" in f["message"]]
            check(f"{name}: check names the split as a risk", result.returncode == 1 and len(risks) == 1
                  and risks[0]["severity"] == "risk" and risks[0]["page"] == 1, result.stdout[:600])
            out = os.path.join(tmp, "out-" + name.replace(" ", "-"))
            result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
            check(f"{name}: run holds it, saying why", result.returncode == 1
                  and result.stdout.startswith("needs_review:") and f"split {what}" in result.stdout
                  and not os.path.exists(os.path.join(out, os.path.basename(source))),
                  result.stdout[:400] + result.stderr[-300:])

        for name, (first, second) in alike.items():
            source = os.path.join(tmp, name.replace(" ", "-") + ".pdf")
            with open(source, "wb") as f:
                f.write(split_pdf(first, second))
            check(f"precondition: {name}: both readers read the term",
                  all("KESTREL" in text for text in shown(source).values()), str(shown(source)))
            out = os.path.join(tmp, "out-" + name.replace(" ", "-"))
            result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
            written = os.path.join(out, os.path.basename(source))
            check(f"{name}: run writes it, redacted", result.returncode == 0 and result.stdout.startswith("redacted:")
                  and os.path.exists(written), result.stdout[:400] + result.stderr[-300:])
            if not os.path.exists(written):
                continue
            for reader, text in shown(written).items():
                words = " ".join(text.split())
                check(f"{name}: {reader}: the term is gone, every other word stays",
                      "kes" not in words.lower() and "Report on" in words and "and others" in words, words)
            result = run(args.redact, "check", *TERM, written)
            check(f"{name}: the output passes check", result.returncode == 0, result.stdout[:300])
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
