#!/usr/bin/env python3
"""Content streams no page draws are emptied when they hold a match or
cannot be read whole, instead of the document being held for them.

A LibreOffice letter gets, through qpdf's JSON update (no hand-written PDF
syntax), three streams nobody sees:
- the /On appearance of an annotation whose state is /Off, showing "Norway";
- a form left in the resources of a visible annotation's appearance that
  never draws it, showing "Portugal";
- another such form whose Flate data is cut short (no reader inflates it
  whole), showing "Chile" in what can be read.
`redact run` writes the document, each of the three streams is a `string`
record (key `stream`, action `emptied`), qpdf finds none of the three
words anywhere in the output (every stream decoded), and pdftotext reads
the output as it reads the output of the letter alone: nothing that shows
was touched.

Two hostile files (a reviewer's) for streams reached other ways than the
walks of pages follow:
- a soft mask's /G form showing "Norway" through which the page paints:
  never emptied (emptying it blanked the page);
- an object stream that is also a form the page draws ("Norway" after its
  objects), which PoDoFo drops once read: `check` finds the match that
  pdftotext shows, and `run` removes it."""
import base64
import json
import os
import subprocess
import sys
import tempfile
import zlib

from pdf_inputs import Checks, argument_parser

WORDS = ("Norway", "Portugal", "Chile")


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def form(content, resources, raw=None, extra=None):
    stream = {"dict": {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 200, 20], "/Resources": resources,
                       **(extra or {})},
              "data": base64.b64encode(raw if raw is not None else content.encode()).decode()}
    return {"stream": stream}


def with_undrawn_streams(source, target, tmp):
    """`source` with the three streams above added (qpdf --update-from-json)."""
    described = json.loads(run("qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf", source).stdout)
    page = described["pages"][0]["object"]
    page_value = described["qpdf"][1]["obj:" + page]["value"]
    n = described["qpdf"][0]["maxobjectid"] + 1
    ref = lambda k: f"{n + k} 0 R"
    font = {"/Font": {"/H": ref(0)}}
    cut = zlib.compress(b"BT /H 12 Tf 2 5 Td (Spain) Tj ET " * 40)
    objects = {
        ref(0): {"value": {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"}},
        ref(1): form("BT /H 12 Tf 2 5 Td (Norway) Tj ET", font),
        ref(2): {"value": {"/Type": "/Annot", "/Subtype": "/Square", "/Rect": [300, 700, 500, 720], "/AS": "/Off",
                           "/AP": {"/N": {"/On": ref(1), "/Off": ref(7)}}}},
        ref(3): form("BT /H 12 Tf 2 5 Td (Portugal) Tj ET", font),
        ref(4): form(b"", font, raw=cut[: len(cut) // 2], extra={"/Filter": "/FlateDecode"}),
        ref(5): form("0 0 1 RG 1 1 198 18 re S", {"/XObject": {"/U": ref(3), "/V": ref(4)}}),
        ref(6): {"value": {"/Type": "/Annot", "/Subtype": "/Square", "/Rect": [300, 650, 500, 670],
                           "/AP": {"/N": ref(5)}}},
        ref(7): form("0 1 0 RG 1 1 198 18 re S", {}),
    }
    objects[page] = {"value": {**page_value, "/Annots": [ref(2), ref(6)]}}
    update = os.path.join(tmp, "update.json")
    with open(update, "w") as f:
        json.dump({"qpdf": [{"jsonversion": 2, "pushedinheritedpageresources": False, "calledgetallpages": False},
                            {"obj:" + k: v for k, v in objects.items()}]}, f)
    result = run("qpdf", source, target, "--update-from-json=" + update)
    if result.returncode not in (0, 3):
        sys.exit("qpdf could not make the input: " + result.stderr)


def classic_pdf(objects):
    """A PDF of `objects` (number -> body bytes) with a classic table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    size = max(objects) + 1
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
    for n in range(1, size):
        out += b"%010d 00000 n\r\n" % offsets[n] if n in offsets else b"0000000000 00000 f\r\n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, table)
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
PAGES = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 5: FONT}


def soft_mask_pdf():
    return classic_pdf({**PAGES,
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
           b"/Resources << /Font << /F1 5 0 R >> /ExtGState << /GS1 6 0 R >> >> >>",
        4: stream(b"q /GS1 gs 0 0 1 rg 0 0 300 200 re f BT /F1 20 Tf 20 100 Td (Visible text here) Tj ET Q"),
        6: b"<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G 7 0 R >> >>",
        7: stream(b"1 g 0 0 300 200 re f 0 g BT /F1 30 Tf 10 20 Td (Norway) Tj ET",
                  b"/Type /XObject /Subtype /Form /BBox [0 0 300 200] /Group << /S /Transparency /CS /DeviceGray >> "
                  b"/Resources << /Font << /F1 5 0 R >> >>")})


def object_stream_form_pdf():
    """Object 10 is an object stream holding object 6, and a form the page
    draws: its data goes on past the objects with text."""
    import struct
    packed = b"6 0 " + b"<< /Foo 1 >>\n" + b" BT /F1 30 Tf 10 40 Td (Norway) Tj ET"
    data = zlib.compress(packed)
    loose = {**PAGES,
             3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm0 10 0 R >> >> >>",
             4: stream(b"BT /F1 12 Tf 20 150 Td (Plain text) Tj ET /Fm0 Do"),
             10: stream(data, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Subtype /Form /BBox [0 0 300 200] "
                              b"/Resources << /Font << /F1 5 0 R >> >>")}
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


def every_stream_decoded(path):
    """The file as qpdf writes it with every stream it can decode decoded."""
    return subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--decode-level=all", path, "-"],
                          capture_output=True).stdout


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    source = os.path.join(args.fixtures, "pdf", "libreoffice-letter.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        hiding = os.path.join(tmp, "hiding.pdf")
        with_undrawn_streams(source, hiding, tmp)
        decoded = every_stream_decoded(hiding)
        check("precondition: qpdf finds Norway and Portugal in the input",
              b"(Norway)" in decoded and b"(Portugal)" in decoded)
        check("precondition: pdftotext does not show them",
              not any(w in run("pdftotext", hiding, "-").stdout for w in WORDS))

        out = os.path.join(tmp, "out")
        result = run(args.redact, "run", hiding, source, "-o", out, "--progress", "none")
        with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        document = next(r for r in records if r["type"] == "document" and r["document"] == hiding)
        check("the document is written, not held", document["status"] == "redacted", str(document.get("reason")))
        emptied = [r for r in records if r["type"] == "string" and r["document"] == hiding and r["action"] == "emptied"]
        check("three undrawn streams emptied, on the record",
              len(emptied) == 3 and all(r["key"] == "stream" for r in emptied), json.dumps(emptied)[:400])
        check("two for a country, one unreadable",
              sorted(r["category"] for r in emptied) == ["country", "country", "unreadable"],
              str([r["category"] for r in emptied]))
        check("the run line counts them", "3 undrawn streams emptied" in result.stdout, result.stdout[:300])

        written = os.path.join(out, "hiding.pdf")
        decoded = every_stream_decoded(written)
        for word in WORDS:
            check(f"qpdf finds no {word} in the output", word.encode() not in decoded)
        check("pdftotext reads the output as the letter's own output",
              run("pdftotext", written, "-").stdout == run("pdftotext", os.path.join(out, "libreoffice-letter.pdf"),
                                                           "-").stdout)
        check("mutool reads the output without an error",
              "error" not in run("mutool", "draw", "-F", "txt", "-o", "/dev/null", written).stderr.lower())

        # Streams reached other ways than the walks of pages follow.
        masked = os.path.join(tmp, "soft-mask.pdf")
        with open(masked, "wb") as f:
            f.write(soft_mask_pdf())
        out2 = os.path.join(tmp, "out2")
        run(args.redact, "run", masked, "-o", out2, "--progress", "none")
        with open(os.path.join(out2, "audit.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        check("a soft mask's form is never emptied",
              not any(r["type"] == "string" and r["action"] == "emptied" for r in records),
              str([r["object"] for r in records if r["type"] == "string"]))

        packed = os.path.join(tmp, "object-stream-form.pdf")
        with open(packed, "wb") as f:
            f.write(object_stream_form_pdf())
        check("precondition: pdftotext shows the object stream drawn as a form",
              "Norway" in run("pdftotext", packed, "-").stdout)
        result = run(args.redact, "check", "--format", "json", packed)
        leaks = [f for f in json.loads(result.stdout)[0]["findings"] if f["severity"] == "leak"]
        check("check finds the match in an object stream drawn as a form", result.returncode == 1 and leaks,
              result.stdout[:300])
        out3 = os.path.join(tmp, "out3")
        run(args.redact, "run", packed, "-o", out3, "--progress", "none")
        shown = run("pdftotext", os.path.join(out3, "object-stream-form.pdf"), "-").stdout
        check("run removes it, and keeps the rest", "Norway" not in shown and "Plain text" in shown, shown[:200])
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
