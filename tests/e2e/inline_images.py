#!/usr/bin/env python3
"""Inline images (`BI ... ID ... EI`, as Ghostscript and many scanners'
software write small images) under a redaction box: each becomes an image
XObject drawn by `Do` in its place, painted black under the box like any
other image, where the document was held before.

For an RGB image written raw, a gray one Flate-compressed with abbreviated
keys and filter, one whose colour space is named in the page's resources,
and one drawn by a form:
- `run` redacts (not held); pdftotext and mutool lose the term and keep the
  rest of the line;
- poppler's rendering is dark inside every box and unchanged outside;
- no inline image is left on the page (qpdf), and the output passes check.
A stencil mask (`/IM true`, which redact cannot paint) is held, its reason
naming the inline image.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import zlib

from pdf_inputs import Checks, argument_parser, compare_rendering, stream, write_pdf

TERM = ["--term", "Spain", "--term-exemption", "s27", "--no-patterns"]
LINE = b"BT /F1 14 Tf 72 700 Td (Officers were sent to Spain in May.) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def inline(dictionary, data):
    """An inline image drawn over the line's place (x 60..360, y 690..720)."""
    return b"q 300 0 0 30 60 690 cm BI " + dictionary + b" ID " + data + b"\nEI Q\n"


def light(components):
    """A light 300 x 30 image: a pixel a point, so that what turns black is the box."""
    return bytes([0xD0 + (i % 7) for i in range(300 * 30 * components)])


def document(content, resources=b"", more=()):
    return write_pdf([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> " + resources + b" >> >>"),
        (4, stream(b"", content)),
        (5, FONT)] + list(more))


def cases():
    gray = zlib.compress(light(1))
    form_content = inline(b"/W 300 /H 30 /CS /RGB /BPC 8", light(3))
    return {
        "rgb-raw": document(inline(b"/W 300 /H 30 /CS /RGB /BPC 8", light(3)) + LINE),
        "gray-flate": document(inline(b"/W 300 /H 30 /CS /G /BPC 8 /F /Fl /L %d" % len(gray), gray) + LINE),
        "named-space": document(inline(b"/Width 300 /Height 30 /ColorSpace /CS0 /BitsPerComponent 8", light(3)) + LINE,
                                b"/ColorSpace << /CS0 /DeviceRGB >>"),
        "in-form": document(b"/Fm0 Do\n" + LINE, b"/XObject << /Fm0 6 0 R >>",
                            [(6, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792]", form_content))]),
    }


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in cases().items():
            source = os.path.join(tmp, name + ".pdf")
            with open(source, "wb") as f:
                f.write(data)
            out = os.path.join(tmp, "out-" + name)
            result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
            written = os.path.join(out, name + ".pdf")
            check(f"{name}: redacted", result.returncode == 0 and result.stdout.startswith("redacted:"),
                  result.stdout[:300] + result.stderr[-300:])
            if not os.path.exists(written):
                continue
            for reader, text in (("pdftotext", run("pdftotext", written, "-").stdout),
                                 ("mutool", run("mutool", "draw", "-F", "txt", "-o", "-", written).stdout)):
                words = " ".join(text.split())
                check(f"{name}: {reader} loses the term, keeps the rest",
                      "Spain" not in words and "Officers were sent to" in words and "in May." in words, words)
            with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
                boxes = [r["box"] for r in map(json.loads, f) if r["type"] == "redaction"]
            compared = compare_rendering(source, written, 1, boxes, 72, tmp)
            check(f"{name}: dark in the box, unchanged outside", compared is not None and boxes
                  and compared[0] == 0 and compared[2] >= 0.9 * compared[3], str(compared))
            raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", written, "-"],
                                 capture_output=True).stdout
            check(f"{name}: no inline image left, an image object in its place",
                  not re.search(rb"(^|\s)BI\s", raw) and b"/Subtype /Image" in raw)
            check(f"{name}: the output passes check", run(args.redact, "check", *TERM, written).returncode == 0)

        stencil = os.path.join(tmp, "stencil.pdf")
        with open(stencil, "wb") as f:
            f.write(document(inline(b"/W 300 /H 30 /IM true", bytes(38 * 30)) + LINE))
        result = run(args.redact, "run", stencil, "-o", os.path.join(tmp, "out-stencil"), "--progress", "none", *TERM)
        check("a stencil mask is held, naming the inline image",
              result.returncode == 1 and "an inline image lies under a region" in result.stdout, result.stdout[:300])
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
