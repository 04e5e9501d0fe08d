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
was touched."""
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
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
