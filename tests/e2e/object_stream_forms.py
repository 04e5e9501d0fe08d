#!/usr/bin/env python3
"""An object stream that is also a form the page draws (a hostile file from
a review): viewers show the text its data carries past the objects packed
in it, while PoDoFo 0.9.8 drops every object stream once it has read the
objects in it, so redact saw nothing there and `check` called the file
clean. Such a file is read from libqpdf's copy, where the stream is an
object like any other: `check` finds the match pdftotext shows, and `run`
removes it and keeps the rest of the page."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

from pdf_inputs import Checks, argument_parser


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def object_stream_form_pdf():
    """Object 10 is an object stream holding object 6, and a form the page
    draws: its data goes on past the objects with text. A cross-reference
    stream (11) names object 6 in it."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    packed = b"6 0 " + b"<< /Foo 1 >>\n" + b" BT /F1 30 Tf 10 40 Td (Norway) Tj ET"
    loose = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
             2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm0 10 0 R >> >> >>",
             4: stream(b"BT /F1 12 Tf 20 150 Td (Plain text) Tj ET /Fm0 Do"),
             5: font,
             10: stream(zlib.compress(packed), b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Subtype /Form "
                                               b"/BBox [0 0 300 200] /Resources << /Font << /F1 5 0 R >> >>")}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(loose):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + loose[n] + b"\nendobj\n"
    offsets[11] = len(out)
    rows = b""
    for n in range(12):
        if n in offsets:
            rows += struct.pack(">BIH", 1, offsets[n], 0)
        elif n == 6:
            rows += struct.pack(">BIH", 2, 10, 0)
        else:
            rows += struct.pack(">BIH", 0, 0, 65535 if n == 0 else 0)
    out += b"11 0 obj\n" + stream(rows, b"/Type /XRef /Size 12 /W [1 4 2] /Root 1 0 R") + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[11]
    return bytes(out)


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        packed = os.path.join(tmp, "object-stream-form.pdf")
        with open(packed, "wb") as f:
            f.write(object_stream_form_pdf())
        check("precondition: pdftotext shows the object stream drawn as a form",
              "Norway" in run("pdftotext", packed, "-").stdout)
        check("precondition: mutool shows it too",
              "Norway" in run("mutool", "draw", "-F", "txt", "-o", "-", packed).stdout)
        result = run(args.redact, "check", "--format", "json", packed)
        findings = json.loads(result.stdout)[0]["findings"]
        check("check finds the match", result.returncode == 1 and any(f["severity"] == "leak" for f in findings),
              result.stdout[:300])
        check("check says the file was read from libqpdf's copy", any(f["kind"] == "rewritten" for f in findings))
        out = os.path.join(tmp, "out")
        result = run(args.redact, "run", packed, "-o", out, "--progress", "none")
        written = os.path.join(out, "object-stream-form.pdf")
        check("run writes it", result.returncode == 0 and os.path.exists(written), result.stdout[:300])
        for name, command in (("pdftotext", ["pdftotext", written, "-"]),
                              ("mutool", ["mutool", "draw", "-F", "txt", "-o", "-", written])):
            shown = run(*command).stdout if os.path.exists(written) else ""
            check(f"{name}: the match is gone and the rest kept", "Norway" not in shown and "Plain text" in shown,
                  shown[:200])
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
