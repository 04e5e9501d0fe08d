#!/usr/bin/env python3
"""Comments in content streams ("% ..." to the end of a line), and strings
no operation shows (an extra operand, `(...) 100 Tz`, an unknown operator's,
a marked-content property): no viewer draws them, but anyone who reads a
stream's bytes (qpdf --qdf, a text editor) reads them, and they were copied
into the output as they were, while `check` called such a file clean.

- `check` finds a match in a comment of the page's content, of a form the
  page draws, of an annotation's appearance, and inside a TJ array, read
  as strings are ("K e s t r e l");
- `run` removes every comment of a stream that holds one with a match (a
  `string` record each, key `comment`), writes a page whose text had no
  match at all, keeps every other word for pdftotext and mutool, and no
  stream qpdf decodes holds the term; its output passes `check`;
- a comment with no match is no finding, and a `%` inside a string is no
  comment;
- likewise for loose strings: `check` finds each (the page's, a form's),
  `run` writes each holding a match `()` (a `string` record each, key
  `string`), every word stays, no decoded stream holds the term, and the
  output passes `check`;
- a radio button whose export value (a name: /V, /AS, its appearance
  states) holds a match is a leak for `check`, and `run` holds the file;
- so is a term in a font's name (/BaseFont and /FontName, which pdffonts
  lists), in its /FontFamily, in a page's /ID or the trailer's, or in any other name that is
  a value (`/Foo /Kestrel`), in the name of a custom property of the
  document information or of a structure type (a tags panel lists it):
  codes and font names, read for the terms only, so
  that a font family "Georgia" is no country for the shipped patterns;
- a term that is also the PDF's own vocabulary (a surname such as Page,
  Link or Sterling: /Type /Page, /S /Link, a glyph named /sterling) finds
  nothing in any fixture or corpus file.
"""
import json
import os
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser, flate, stream, text_pdfs, write_pdf

TERM = ["--term", "Kestrel", "--term-exemption", "s31", "--no-patterns"]


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def page_with_form(content, form, page_extra=b"", more=()):
    """A page drawing `content` (Flate) and the form Fm0 (`form`, Flate),
    in Helvetica; `more` objects from 7 on."""
    return write_pdf([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + page_extra +
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm0 6 0 R >> >> >>"),
        (4, stream(b"/Filter /FlateDecode", flate(content))),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        (6, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
                   b"/Filter /FlateDecode", flate(form))),
        *more,
    ])


def commented_pdf():
    """Page text with no match; the term only in comments: of the page's
    content (one inside a TJ array), of a form it draws, of a link's
    appearance; and a string holding a "%" that is no comment."""
    content = (b"BT /F1 12 Tf 72 720 Td (Operation notes 50% done) Tj\n"
               b"% Kestrel deployment, page content\n% K e s t r e l\n"
               b"0 -20 Td [(Second) -250 % Kestrel inside an array\n (line)] TJ ET\n/Fm0 Do\n")
    form = (b"BT /F1 12 Tf 72 600 Td (Form text) Tj ET % Kestrel in a form\n")
    appearance = b"% Kestrel in an appearance\n0 0 1 rg 0 0 100 20 re f\n"
    return page_with_form(content, form, b"/Annots [7 0 R] ", [
        (7, b"<< /Type /Annot /Subtype /Link /Rect [72 100 172 120] /Border [0 0 0] /AP << /N 8 0 R >> >>"),
        (8, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 100 20]", appearance)),
    ])


def loose_pdf():
    """Page text with no match; the term only in strings no operation
    shows: an extra operand of Tj, an operand of Tz, an unknown operator's
    inside BX ... EX, a marked-content property, and one in a form."""
    content = (b"BT /F1 12 Tf 72 720 Td (Kestrel one) (Operation notes) Tj\n"
               b"0 -20 Td (Kestrel two) 100 Tz [(Second) -250 (line)] TJ ET\n"
               b"BX (Kestrel three) xyz EX\n"
               b"/Span << /Alt (Kestrel four) >> BDC BT /F1 12 Tf 72 660 Td (Third line) Tj ET EMC\n/Fm0 Do\n")
    form = b"BT /F1 12 Tf 72 600 Td (Form text) Tj ET (Kestrel five) 0 TL\n"
    return page_with_form(content, form)


def radio_pdf():
    """A radio button whose export value is the term: names, not strings."""
    return write_pdf([
        (1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [6 0 R] "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        (4, stream(b"", b"BT /F1 12 Tf 72 720 Td (Operation notes) Tj ET")),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        (6, b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 32768 /T (operation) /V /Kestrel /AS /Kestrel "
            b"/Rect [72 600 92 620] /AP << /N << /Kestrel 7 0 R /Off 7 0 R >> >> >>"),
        (7, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 20 20]", b"0 0 1 rg 0 0 20 20 re f")),
    ])


def font_named_pdf(name):
    """A page whose font and its descriptor are named `name`, under a
    subset tag; the page carries an /ID and a /Foo of it too, and a string
    of it under /Bar (text); the structure tree has a type of its name, and
    the file's identifier is it."""
    return write_pdf([
        (1, b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot << /Type /StructTreeRoot /RoleMap << /" + name
            + b"#20heading /H1 >> >> >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /ID (" + name + b") /Foo /"
            + name + b" /Bar (Sent to " + name + b") /Resources << /Font << /F1 5 0 R >> >> >>"),
        (4, stream(b"", b"BT /F1 12 Tf 72 720 Td (Operation notes) Tj ET")),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+" + name + b" /FontDescriptor 6 0 R >>"),
        (6, b"<< /Type /FontDescriptor /FontName /ABCDEF+" + name + b" /FontFamily (" + name
            + b") /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 "
            b"/StemV 80 >>"),
        (7, b"<< /Title (Notes) /Sent#20to#20" + name + b" (Phase 2) >>"),
    ], trailer=b"/Info 7 0 R /ID [(" + name + b") (" + name + b")] ")


def decoded(path):
    """Every stream of the file as qpdf decodes it."""
    return subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, "-"], capture_output=True).stdout


def shown(path):
    return (run("pdftotext", path, "-").stdout, run("mutool", "draw", "-F", "txt", "-o", "-", path).stdout)


def save(tmp, name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def checked(redact, source, patterns=False):
    """`check --format json` of `source` (with the shipped patterns too, or
    not): the result and its findings."""
    flags = [a for a in TERM if a != "--no-patterns"] if patterns else TERM
    result = run(redact, "check", "--format", "json", *flags, source)
    return result, (json.loads(result.stdout)[0]["findings"] if result.stdout.startswith("[") else [])


def audit_records(out):
    with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        source = save(tmp, "commented.pdf", commented_pdf())
        check("precondition: no reader shows the term",
              all("Kestrel" not in text for text in shown(source)), str(shown(source)))
        check("precondition: qpdf's decoded streams hold it four times", decoded(source).count(b"Kestrel") == 4)

        result, findings = checked(args.redact, source)
        comments = [f for f in findings if f["kind"] == "text" and "comment" in f["message"]]
        check("check: a leak in each comment, the spaced one too", result.returncode == 1 and len(comments) == 5
              and all(f["severity"] == "leak" for f in comments), result.stdout[:600])
        check("... naming the page's content, the form and the appearance",
              {f["object"].rsplit(", offset", 1)[0] for f in comments}
              == {"content stream", "object 6 0 (form)", "annotation 7 0, appearance N"},
              str([f["object"] for f in comments]))
        check("... and no finding for the '%' in a string",
              not any("50" in (f.get("text") or "") for f in findings), str(findings)[:300])

        out = os.path.join(tmp, "out")
        result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
        written = os.path.join(out, "commented.pdf")
        check("run writes it, redacted", result.returncode == 0 and os.path.exists(written)
              and result.stdout.startswith("redacted:"), result.stdout[:300] + result.stderr[-300:])
        if not os.path.exists(written):
            sys.exit(check.exit_status())
        check("no stream qpdf decodes holds the term", b"Kestrel" not in decoded(written))
        for name, text in zip(("pdftotext", "mutool"), shown(written)):
            words = " ".join(text.split())
            check(f"{name}: every word kept", all(w in words for w in
                  ("Operation notes 50% done", "Second line", "Form text")), words)
        records = audit_records(out)
        strings = [r for r in records if r["type"] == "string" and r["key"] == "comment"]
        check("a string record per comment with a match, none holding the text",
              len(strings) == 5 and all(r["action"] == "removed" and r["exemptions"] == ["s31"] for r in strings)
              and not any("Kestrel" in json.dumps(r) for r in records), json.dumps(strings)[:400])
        result = run(args.redact, "check", *TERM, written)
        check("the output passes check", result.returncode == 0, result.stdout[:300])

        # Strings no operation shows.
        source = save(tmp, "loose.pdf", loose_pdf())
        check("precondition: no reader shows the term, where it is five times in the streams",
              all("Kestrel" not in text for text in shown(source)) and decoded(source).count(b"Kestrel") == 5,
              str(shown(source)))
        result, findings = checked(args.redact, source)
        loose = [f for f in findings if f["kind"] == "text" and "no operation shows" in f["message"]]
        check("check: a leak in each loose string, the form's too",
              result.returncode == 1 and len(loose) == 5 and {f["object"].rsplit(", offset", 1)[0] for f in loose}
              == {"content stream", "object 6 0 (form)"}, result.stdout[:600])
        out = os.path.join(tmp, "out-loose")
        result = run(args.redact, "run", source, "-o", out, "--progress", "none", *TERM)
        written = os.path.join(out, "loose.pdf")
        check("run writes it, redacted", result.returncode == 0 and os.path.exists(written), result.stdout[:300])
        if not os.path.exists(written):
            sys.exit(check.exit_status())
        check("no stream qpdf decodes holds the term", b"Kestrel" not in decoded(written))
        for name, text in zip(("pdftotext", "mutool"), shown(written)):
            words = " ".join(text.split())
            check(f"{name}: every word kept", all(w in words for w in
                  ("Operation notes", "Second line", "Third line", "Form text")), words)
        strings = [r for r in audit_records(out) if r["type"] == "string" and r["key"] == "string"]
        check("a string record per loose string with a match",
              len(strings) == 5 and all(r["action"] == "removed" for r in strings), json.dumps(strings)[:400])
        result = run(args.redact, "check", *TERM, written)
        check("the output passes check", result.returncode == 0, result.stdout[:300])

        # A name that holds a field's value.
        source = save(tmp, "radio.pdf", radio_pdf())
        result, findings = checked(args.redact, source)
        names = {f["object"] for f in findings if f["severity"] == "leak" and "the name" in f["message"]}
        check("check: the export value is a leak, where the field and its appearance name it",
              names == {"object 6 0, /V", "object 6 0, /AS", "object 6 0, /AP /N"}, result.stdout[:600])
        result = run(args.redact, "run", source, "-o", os.path.join(tmp, "out-radio"), "--progress", "none", *TERM)
        check("run holds it", result.returncode == 1 and result.stdout.startswith("needs_review:")
              and "the name" in result.stdout, result.stdout[:300])

        # Codes and font names.
        source = save(tmp, "font-named.pdf", font_named_pdf(b"Kestrel"))
        check("precondition: pdffonts lists the font by the term",
              "ABCDEF+Kestrel" in run("pdffonts", source).stdout, run("pdffonts", source).stdout)
        result, findings = checked(args.redact, source)
        leaks = {f["object"] for f in findings if f["severity"] == "leak" and f["kind"] == "string"}
        check("check: a leak in each font name, the family, the page's /ID and /Foo (and /Bar's text)",
              result.returncode == 1 and leaks == {"object 5 0, /BaseFont", "object 6 0, /FontName",
                                                   "object 6 0, /FontFamily", "object 3 0, /ID", "object 3 0, /Foo",
                                                   "object 3 0, /Bar", "object 7 0, /Sent to Kestrel",
                                                   "object 1 0, /RoleMap", "the trailer, /ID"},
              result.stdout[:900])
        result = run(args.redact, "run", source, "-o", os.path.join(tmp, "out-font"), "--progress", "none", *TERM)
        check("run holds it", result.returncode == 1 and result.stdout.startswith("needs_review:")
              and "leak string" in result.stdout, result.stdout[:300])
        source = save(tmp, "georgia.pdf", font_named_pdf(b"Georgia"))
        result, findings = checked(args.redact, source, patterns=True)
        leaks = {f["object"] for f in findings if f["severity"] == "leak" and f["kind"] == "string"}
        check("the shipped patterns find the country in /Bar's text and the custom property's name, not in the "
              "font's names, /ID or /Foo", leaks == {"object 3 0, /Bar", "object 7 0, /Sent to Georgia"},
              result.stdout[:900])

        # Terms that are the PDF's own words.
        vocabulary = ["--no-patterns", "--term-exemption", "s40"]
        for word in ("Page", "Pages", "Catalog", "Image", "XObject", "Link", "Widget", "Sterling",
                     "FlateDecode", "Form", "Annot"):
            vocabulary += ["--term", word]
        for pdf in text_pdfs(args.fixtures, args.corpus):
            result = run(args.redact, "check", "--format", "json", *vocabulary, pdf)
            findings = json.loads(result.stdout)[0]["findings"] if result.stdout.startswith("[") else []
            named = [f["object"] for f in findings if f["kind"] == "string" and f["severity"] == "leak"]
            check(f"{os.path.basename(pdf)}: the PDF's own words are no term's match", not named, str(named)[:300])
    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
