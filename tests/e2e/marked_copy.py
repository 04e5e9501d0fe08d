#!/usr/bin/env python3
"""Marked copies (`run --marked-copy`, `audit marked-copy`), refereed by
poppler and MuPDF: every word of the original is still there (pdftotext
and mutool agree word for word, the marks' own words aside), every page is
stamped NOT FOR PUBLICATION, and every redaction of the audit log has a red
outline where the log puts it and a line to its label in a column added
beside the page (pdftoppm draws the page, this script reads the pixels;
pdftotext reads the column). Marked copies are never written
among the published outputs, and never from an original that is not the
one the log recorded."""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser, read_ppm

STAMP = "MARKED COPY - NOT FOR PUBLICATION - withheld text is readable and outlined"


def words_pdftotext(pdf):
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout.split()


def words_mutool(pdf):
    return subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf], capture_output=True,
                          text=True).stdout.split()


def page_size(pdf, page):
    """Width + height of the page's MediaBox, as pdfinfo reads it."""
    info = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), pdf], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page") and "size:" in line)
    fields = size.split("size:")[1].split()
    return float(fields[0]) + float(fields[2])


def reddish(pixels, width, x, y):
    r, g, b = pixels[3 * (y * width + x):3 * (y * width + x) + 3]
    return r > g + 25 and r > b + 25


def red(pixels, width, x, y):
    r, g, b = pixels[3 * (y * width + x):3 * (y * width + x) + 3]
    return r > 140 and g < 110 and b < 110


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    fixtures = os.path.join(args.fixtures, "pdf")
    redact = args.redact
    with tempfile.TemporaryDirectory() as tmp:
        originals = os.path.join(tmp, "in")
        os.makedirs(originals)
        for name in ("libreoffice-letter.pdf", "podofo-rotated.pdf", "chromium-table.pdf", "podofo-form-xobject.pdf",
                     "scan-page.pdf"):
            shutil.copy(os.path.join(fixtures, name), originals)
        out, marked = os.path.join(tmp, "out"), os.path.join(tmp, "marked")
        r = subprocess.run([redact, "run", originals, "-o", out, "--marked-copy", marked, "--progress", "none"],
                           capture_output=True, text=True)
        check("run --marked-copy: four written, one held", r.returncode == 1, r.stdout[-300:] + r.stderr[-300:])
        records = [json.loads(line) for line in open(os.path.join(out, "audit.jsonl"), encoding="utf-8")]
        documents = {rec["document"]: rec for rec in records if rec["type"] == "document"}
        written = {d: rec for d, rec in documents.items() if rec["status"] in ("redacted", "clean")}
        check("a marked copy per document written, named in its record, none for the held one",
              sorted(os.listdir(marked)) == sorted(os.path.basename(d)[:-4] + ".marked.pdf" for d in written) and
              all(os.path.exists(rec.get("marked_copy", "")) for rec in written.values()) and
              all("marked_copy" not in rec for d, rec in documents.items() if d not in written),
              str(sorted(os.listdir(marked))))
        check("nothing marked among the published outputs", not any(".marked." in n for n in os.listdir(out)))

        labels = set()
        for rec in records:
            if rec["type"] == "redaction":
                labels.update(w for e in rec["exemptions"] for w in ("s." + e[1:], "s." + e[1:] + ","))
                labels.add(rec["category"])
        allowed = set(STAMP.split()) | labels | {"-"}
        for document, rec in sorted(written.items()):
            name = os.path.basename(document)
            copy = rec["marked_copy"]
            for referee, words in (("pdftotext", words_pdftotext), ("mutool", words_mutool)):
                original, marks = collections.Counter(words(document)), collections.Counter(words(copy))
                lost, added = original - marks, marks - original
                check(f"{name}: {referee} reads every word of the original in its marked copy", not lost,
                      str(list(lost.items())[:8]))
                check(f"{name}: {referee} reads nothing more than the stamp and the labels",
                      set(added) <= allowed, str(sorted(set(added) - allowed)[:8]))
            pages = int(subprocess.run(["pdfinfo", copy], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0])
            stamped = all("NOT FOR PUBLICATION" in subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), copy, "-"],
                                                                   capture_output=True, text=True).stdout
                          for p in range(1, pages + 1))
            check(f"{name}: every page stamped NOT FOR PUBLICATION", stamped)

            boxes = [b for b in records if b["type"] == "redaction" and b["document"] == document]
            check(f"{name}: the page gains the labels' column", abs(page_size(copy, 1) - page_size(document, 1) - 160) < 1,
                  f"{page_size(copy, 1)} vs {page_size(document, 1)}")
            missing = []
            for page in sorted({b["page"] for b in boxes}):
                stem = os.path.join(tmp, "page")
                subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile", copy, stem],
                               check=True)
                with open(stem + ".ppm", "rb") as f:
                    width, height, pixels = read_ppm(f.read())
                on_page = [b for b in boxes if b["page"] == page]
                for b in on_page:
                    x0, y0, x1, y1 = b["box"]
                    column = [y for y in range(int(y0) + 1, int(y1)) if 0 <= y < height]
                    outlined = any(
                        sum(red(pixels, width, x, y) for y in column) >= 0.6 * len(column)
                        for x in range(int(x0) - 1, int(x0) + 2) if 0 <= x < width) if column else False
                    # The leader leaves the box's right edge at mid-height.
                    mid = int((y0 + y1) / 2)
                    led = any(reddish(pixels, width, x, y) for x in range(int(x1) + 1, int(x1) + 4)
                              for y in range(mid - 2, mid + 3) if 0 <= x < width and 0 <= y < height)
                    if not (outlined and led):
                        missing.append((page, b["box"], outlined, led))
                # The labels, read by pdftotext from the column alone.
                labels_text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(width - 160)),
                                              "-y", "0", "-W", "160", "-H", str(height), copy, "-"],
                                             capture_output=True, text=True).stdout
                for category in {b["category"] for b in on_page}:
                    n = sum(1 for b in on_page if b["category"] == category)
                    if labels_text.count(category) < n:
                        missing.append((page, category, labels_text.count(category), n))
            check(f"{name}: every redaction of the log ({len(boxes)}) outlined and led to its label in the column",
                  not missing, str(missing[:4]))

        # From the log and the originals, later.
        again = os.path.join(tmp, "again")
        r = subprocess.run([redact, "audit", "marked-copy", os.path.join(out, "audit.jsonl"), "-o", again],
                           capture_output=True, text=True)
        check("audit marked-copy writes the same marked copies from the log",
              r.returncode == 0 and sorted(os.listdir(again)) == sorted(os.listdir(marked)) and
              all(collections.Counter(words_pdftotext(os.path.join(again, n))) ==
                  collections.Counter(words_pdftotext(os.path.join(marked, n))) for n in os.listdir(marked)),
              r.stdout + r.stderr)
        r = subprocess.run([redact, "audit", "marked-copy", os.path.join(out, "audit.jsonl"), "-o", out],
                           capture_output=True, text=True)
        check("audit marked-copy refuses the published folder", r.returncode == 2 and
              not any(".marked." in n for n in os.listdir(out)), r.stderr)
        r = subprocess.run([redact, "run", originals, "-o", os.path.join(tmp, "o2"), "--marked-copy",
                            os.path.join(tmp, "o2", "marked")], capture_output=True, text=True)
        check("run refuses marked copies inside the output folder", r.returncode == 2 and
              not os.path.exists(os.path.join(tmp, "o2")), r.stderr)
        # Hostile review: the published folder's own subfolders, the input
        # folder, a link inside the marked copies' folder.
        nested_in, nested_out = os.path.join(tmp, "nested-in"), os.path.join(tmp, "nested-out")
        os.makedirs(os.path.join(nested_in, "2024"))
        shutil.copy(os.path.join(fixtures, "libreoffice-letter.pdf"), os.path.join(nested_in, "2024", "a.pdf"))
        subprocess.run([redact, "run", nested_in, "-o", nested_out, "--progress", "none"], capture_output=True)
        r = subprocess.run([redact, "audit", "marked-copy", os.path.join(nested_out, "audit.jsonl"), "-o",
                            os.path.join(nested_out, "marked")], capture_output=True, text=True)
        check("audit marked-copy refuses a folder inside the published one, beside its subfolders",
              r.returncode == 2 and not os.path.exists(os.path.join(nested_out, "marked")), r.stderr)
        before = sorted(os.listdir(originals))
        r = subprocess.run([redact, "run", originals, "-o", os.path.join(tmp, "o3"), "--marked-copy", originals],
                           capture_output=True, text=True)
        check("run refuses marked copies among the inputs", r.returncode == 2 and sorted(os.listdir(originals)) == before,
              r.stderr)
        linked = os.path.join(tmp, "linked")
        os.makedirs(os.path.join(tmp, "o4", "2024"))
        os.makedirs(linked)
        os.symlink(os.path.join(tmp, "o4", "2024"), os.path.join(linked, "2024"))
        r = subprocess.run([redact, "run", nested_in, "-o", os.path.join(tmp, "o4"), "--marked-copy", linked,
                            "--progress", "none"], capture_output=True, text=True)
        check("a link inside the marked copies' folder does not lead them among the outputs",
              r.returncode == 3 and "NOT written" in r.stdout and
              not any(".marked." in n for n in os.listdir(os.path.join(tmp, "o4", "2024"))), r.stdout[-400:])

        # A dense page: every box keeps its label (smaller), none runs off the page.
        dense = os.path.join(tmp, "dense")
        terms = ["the", "of", "to", "and", "in", "a", "for", "was", "officers", "information", "with", "by", "on", "at",
                 "is", "be", "as", "that", "this", "from", "force", "request", "your", "you", "we", "are", "or", "not",
                 "have", "has", "which", "will", "I", "our", "Act", "Constabulary", "Northshire", "November", "2023"]
        subprocess.run([redact, "run", os.path.join(fixtures, "libreoffice-letter.pdf"), "-o", os.path.join(dense, "out"),
                        "--no-patterns", "--term-exemption", "s40(2)", "--marked-copy", os.path.join(dense, "marked"),
                        "--progress", "none"] +
                       [a for t in terms for a in ("--term", t)], capture_output=True)
        dense_records = [json.loads(line) for line in open(os.path.join(dense, "out", "audit.jsonl"), encoding="utf-8")]
        copy = os.path.join(dense, "marked", "libreoffice-letter.marked.pdf")
        per_page = collections.Counter(rec["page"] for rec in dense_records if rec["type"] == "redaction")
        short = {}
        for page, n in per_page.items():
            column = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", "595", "-y", "0", "-W", "160",
                                     "-H", "842", copy, "-"], capture_output=True, text=True).stdout
            if column.count("term") < n:
                short[page] = (column.count("term"), n)
        check(f"a dense page ({max(per_page.values()) if per_page else 0} boxes) keeps every label", per_page and
              max(per_page.values()) > 100 and not short, str(short))

        with open(os.path.join(originals, "podofo-rotated.pdf"), "ab") as f:
            f.write(b"\n% changed since the run\n")
        third = os.path.join(tmp, "third")
        r = subprocess.run([redact, "audit", "marked-copy", os.path.join(out, "audit.jsonl"), "-o", third],
                           capture_output=True, text=True)
        check("no marked copy of an original that is not the one recorded", r.returncode == 3 and
              "podofo-rotated.pdf" in r.stderr and "SHA-256" in r.stderr and
              not os.path.exists(os.path.join(third, "podofo-rotated.marked.pdf")), r.stderr)
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
