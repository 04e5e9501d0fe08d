#!/usr/bin/env python3
"""`redact apply` on marks a hostile author or a careless reviewer could
write, each found by a review and refereed by pdftotext, mutool and qpdf:

- a font whose /Ascent and /Descent put its glyph boxes far from its ink:
  the letters under a mark go all the same (the ink band), for both;
- an annotation under a mark keeps none of its strings: a note's author,
  subject and popup, a link's chained URI, a list box's options, a button's
  captions and its JavaScript, a field's name (viewers draw a widget with no
  appearance from them);
- a mark with a comment popup (as Acrobat writes one) goes with it;
- a mark whose author and name hold the withheld text puts neither in the
  audit log, and a date that is no date is not recorded;
- a name spelt out letter by letter in a note and a field under the box
  ("J a n e  D o e"), or in a field far from it with no appearance, is left
  by neither `run` nor an unedited `mark` + `apply`;
- `mark` adds nothing into an /Annots array that is the page's /Contents too.
"""
import json
import os
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser, stream, write_pdf

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def run(*command):
    return subprocess.run(list(command), capture_output=True, text=True)


def redact_mark(x0, y0, x1, y1, extra=b""):
    return (b"<< /Type /Annot /Subtype /Redact /Rect [%d %d %d %d] /QuadPoints [%d %d %d %d %d %d %d %d] /F 4 "
            b"/T (Reviewer) " % (x0, y0, x1, y1, x0, y1, x1, y1, x0, y0, x1, y0) + extra + b">>")


def one_page(content, annots, more, font=HELVETICA, fonts=b"/F1 4 0 R", catalog=b""):
    """Objects 1 catalog, 2 pages, 3 page, 4 font, 5 content, then `more` from 6."""
    objects = [(1, b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>"),
               (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
               (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << " + fonts +
                b" >> >> /Contents 5 0 R /Annots [" + annots + b"] >>"),
               (4, font), (5, stream(b"", content))]
    return write_pdf(objects + [(6 + i, body) for i, body in enumerate(more)])


def raw(pdf):
    return subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"], capture_output=True).stdout


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    redact = args.redact
    with tempfile.TemporaryDirectory() as tmp:
        def apply(name, data, *options):
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(data)
            out = os.path.join(tmp, "out-" + name[:-4])
            result = run(redact, "apply", path, "-o", out, "--progress", "none", *options)
            return result, os.path.join(out, name), os.path.join(out, "audit.jsonl")

        # A font that says its glyphs reach 30 sizes below the baseline (or
        # above): the boxes miss the ink a reviewer marks.
        widths = b" ".join([b"556"] * 224)
        for label, metrics in (("descent", b"/FontBBox [-600 -3000 1500 100] /Ascent 100 /Descent -3000"),
                               ("ascent", b"/FontBBox [-600 -100 1500 3000] /Ascent 3000 /Descent -100")):
            font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /Zorgfont /FirstChar 32 /LastChar 255 /Widths [" +
                    widths + b"] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>")
            descriptor = b"<< /Type /FontDescriptor /FontName /Zorgfont /Flags 32 " + metrics + b" /CapHeight 716 /StemV 80 >>"
            data = one_page(b"BT /F1 14 Tf 72 600 Td (Name: Jane Doe) Tj ET BT /F2 14 Tf 72 500 Td (Keep this line) Tj ET",
                            b"6 0 R", [redact_mark(117, 597, 183, 611), descriptor, HELVETICA], font=font,
                            fonts=b"/F1 4 0 R /F2 8 0 R")
            result, output, _ = apply(f"metrics-{label}.pdf", data, "--no-patterns")
            text = run("pdftotext", output, "-").stdout if os.path.exists(output) else ""
            mu = run("mutool", "draw", "-q", "-F", "txt", "-o", "-", output).stdout if os.path.exists(output) else ""
            check(f"a font whose {label} lies: the marked name is gone, the rest stays",
                  result.returncode == 0 and "Jane" not in text + mu and "Doe" not in text + mu and "Name:" in text
                  and "Keep this line" in text, result.stdout[-300:] + text)

        # An annotation's strings under a mark.
        secrets = [b"Authorsecret", b"Subjsecret", b"Popupsecret", b"nextsecret", b"Optsecret", b"Capsecret",
                   b"Buttonsecret", b"Rollsecret", b"Altsecret", b"JSsecret", b"Fieldnamesecret", b"Indirectsecret"]
        data = one_page(
            b"BT /F1 14 Tf 72 700 Td (Page text keep) Tj ET", b"6 0 R 7 0 R 8 0 R 9 0 R 10 0 R 11 0 R",
            [b"<< /Type /Annot /Subtype /Text /Rect [80 600 100 620] /Contents (note) /T (Authorsecret) "
             b"/Subj (Subjsecret) /Popup 7 0 R /F 4 >>",
             b"<< /Type /Annot /Subtype /Popup /Rect [120 600 260 620] /Parent 6 0 R /Contents (Popupsecret) /F 4 >>",
             b"<< /Type /Annot /Subtype /Link /Rect [80 550 260 570] /Border [0 0 0] /A << /S /URI /URI (http://ok.example/) "
             b"/Next << /S /URI /URI (http://nextsecret.example/) >> >> /F 4 /Contents 12 0 R >>",
             b"<< /Type /Annot /Subtype /Widget /FT /Ch /T (Fieldnamesecret) /Opt [(Optsecret1) [(e) (Optsecret2)]] "
             b"/V (Optsecret1) /Rect [80 480 260 530] /DA (/Helv 12 Tf 0 g) /F 4 /P 3 0 R /MK << /CA (Capsecret) >> >>",
             b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (btn) /Rect [80 440 260 470] /DA (/Helv 12 Tf 0 g) "
             b"/MK << /CA (Buttonsecret) /RC (Rollsecret) /AC (Altsecret) >> /F 4 /P 3 0 R "
             b"/AA << /E << /S /JavaScript /JS (app.alert\\('JSsecret'\\)) >> >> >>",
             redact_mark(70, 430, 280, 625),
             b"(Indirectsecret)"],  # 12: a string that is an object of its own
            catalog=b"/AcroForm << /Fields [9 0 R 10 0 R] /NeedAppearances true /DA (/Helv 12 Tf 0 g) "
                    b"/DR << /Font << /Helv 4 0 R >> >> >>")
        result, output, log = apply("strings.pdf", data)
        check("a mark over annotations is applied", result.returncode == 0, result.stdout[-300:])
        if os.path.exists(output):
            body = raw(output)
            left = [s.decode() for s in secrets if s in body]
            check("no string of an annotation under the mark is left in the file (qpdf)", body and not left, str(left))
            shown = run("pdftotext", output, "-").stdout + run("mutool", "draw", "-q", "-F", "txt", "-o", "-", output).stdout
            check("no reader draws one (pdftotext, mutool)", not any(s.decode() in shown for s in secrets), shown[:200])
            check("the page's own text stays", "Page text keep" in run("pdftotext", output, "-").stdout)
            records = [json.loads(line) for line in open(log)]
            check("each string blanked is on the record", len([r for r in records if r["type"] == "string"]) >= 8,
                  str(len([r for r in records if r["type"] == "string"])))

        # A mark with a comment popup, as Acrobat writes it.
        data = one_page(b"BT /F1 14 Tf 72 600 Td (Name: Jane Doe here) Tj ET", b"6 0 R 7 0 R",
                        [redact_mark(114, 595, 182, 615, b"/Popup 7 0 R"),
                         b"<< /Type /Annot /Subtype /Popup /Rect [200 600 300 650] /Parent 6 0 R /F 4 >>"])
        result, output, _ = apply("popup.pdf", data, "--no-patterns")
        check("a mark with a popup is applied, popup and all",
              result.returncode == 0 and os.path.exists(output) and b"/Subtype /Redact" not in raw(output) and b"/Subtype /Popup" not in raw(output)
              and "Jane" not in run("pdftotext", output, "-").stdout, result.stdout[-300:])

        # What a mark says of itself, when it holds the withheld text.
        data = one_page(b"BT /F1 14 Tf 72 600 Td (Name: Jane Doe here) Tj ET", b"6 0 R",
                        [redact_mark(114, 595, 182, 615, b"/T (Jane Doe) /NM (Jane Doe) /M (Jane Doe 07700 900123)")
                         .replace(b"/T (Reviewer) ", b"")])
        result, output, log = apply("author.pdf", data, "--term", "Jane Doe", "--term-exemption", "s40(2)")
        text = open(log).read() if os.path.exists(log) else ""
        check("the log holds no withheld text from a mark's author, name or date",
              result.returncode == 0 and "Jane" not in text and "07700" not in text, text[-400:])

        # A name spelt out in an annotation's strings under the box, where
        # the patterns do not read it ("J a n e  D o e"): `run`, and `mark`
        # then `apply` unedited, leave none of those strings (qpdf), and
        # pdftotext does not draw the field again from its value.
        page = b"BT /F1 14 Tf 72 700 Td (The report was written by Jane Doe last year.) Tj ET"
        notes = [b"<< /Type /Annot /Subtype /Text /Rect [150 690 250 720] /Contents (J a n e  D o e wrote this) >>",
                 b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f) /Rect [150 690 300 715] /V (J.a.n.e D.o.e) >>",
                 # Far from any box, with no appearance: a viewer draws it from its value.
                 b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (g) /Rect [150 400 300 425] /V (J a n e  D o e) >>"]
        data = one_page(page, b"6 0 R 7 0 R 8 0 R", notes,
                        catalog=b"/AcroForm << /Fields [7 0 R 8 0 R] /NeedAppearances true >>")
        path = os.path.join(tmp, "spelt.pdf")
        with open(path, "wb") as f:
            f.write(data)
        terms = ["--no-patterns", "--term", "Jane Doe", "--term-exemption", "s40(2)", "--progress", "none"]
        ran = run(redact, "run", path, "-o", os.path.join(tmp, "spelt-run"), *terms)
        run(redact, "mark", path, "-o", os.path.join(tmp, "spelt-mark"), *terms)
        applied = run(redact, "apply", os.path.join(tmp, "spelt-mark", "spelt.pdf"), "-o", os.path.join(tmp, "spelt-apply"),
                      *terms)
        for label, result, output in (("run", ran, os.path.join(tmp, "spelt-run", "spelt.pdf")),
                                      ("mark + apply", applied, os.path.join(tmp, "spelt-apply", "spelt.pdf"))):
            body = raw(output) if os.path.exists(output) else b""
            shown = run("pdftotext", output, "-").stdout if body else ""
            check(f"{label}: a name spelt out in a note and fields is not left (qpdf, pdftotext)",
                  result.returncode == 0 and body and b"J a n e" not in body and b"J.a.n.e" not in body
                  and "J a n e" not in shown and "J.a.n.e" not in shown and "last year" in shown,
                  result.stdout[-300:])

        # A page whose /Annots is its /Contents array too: a mark is not
        # added into the content (the reviewer would see an empty page).
        objects = [(1, b"<< /Type /Catalog /Pages 2 0 R >>"), (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                   (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
                       b"/Contents 6 0 R /Annots 6 0 R >>"),
                   (4, HELVETICA), (5, stream(b"", b"BT /F1 14 Tf 72 700 Td (Officers went to France.) Tj ET")),
                   (6, b"[5 0 R]")]
        path = os.path.join(tmp, "shared.pdf")
        with open(path, "wb") as f:
            f.write(write_pdf(objects))
        marked = run(redact, "mark", path, "-o", os.path.join(tmp, "shared-mark"), "--progress", "none")
        copy = os.path.join(tmp, "shared-mark", "shared.pdf")
        reading = run("pdftotext", copy, "-") if os.path.exists(copy) else None
        check("a mark is not added into an /Annots that is the page's /Contents too",
              marked.returncode == 0 and reading and "France" in reading.stdout and not reading.stderr.strip()
              and not run("qpdf", "--check", copy).stderr.strip(), marked.stdout[-300:] + (reading.stderr if reading else ""))
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
