"""What the end-to-end tests share: their command line, and the PDFs they run
over (our fixtures and the real corpus)."""
import argparse
import csv
import os
import subprocess
import sys
import zlib


def text_pdfs(fixtures_dir, corpus_dir):
    """Every fixture PDF with a text layer, and every corpus PDF the manifest
    says has text. Missing directories are an error, never a silent skip."""
    if not corpus_dir:
        sys.exit("--corpus is required: the real PDFs are part of this check")
    for d in (fixtures_dir, corpus_dir):
        if not os.path.isdir(d):
            sys.exit(f"missing input directory: {d}")
    pdfs = []
    for name in sorted(os.listdir(os.path.join(fixtures_dir, "pdf"))):
        if not name.endswith(".pdf"):
            continue
        expected = os.path.join(fixtures_dir, "expected", name[:-4] + ".txt")
        with open(expected, encoding="utf-8") as f:
            if f.read().strip():
                pdfs.append(os.path.join(fixtures_dir, "pdf", name))
    with open(os.path.join(corpus_dir, "MANIFEST.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["has_text"] == "yes":
                pdfs.append(os.path.join(corpus_dir, row["path"]))
    return pdfs


def argument_parser(description):
    """The options every end-to-end test takes (ctest passes all three)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--redact", required=True, help="the redact binary")
    parser.add_argument("--fixtures", required=True, help="the fixtures directory")
    parser.add_argument("--corpus", help="the shared corpus of real PDFs")
    return parser


class Checks:
    """Named pass/fail checks printed as they run: check(label, ok, detail)."""

    def __init__(self):
        self.failures = []

    def __call__(self, label, ok, detail=""):
        print(f"{'ok  ' if ok else 'FAIL'} {label} {detail}".rstrip())
        if not ok:
            self.failures.append(label)

    def exit_status(self):
        return 1 if self.failures else 0


def text_of(pdf):
    """What pdftotext reads of a PDF."""
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    width, height = int(parts[1]), int(parts[2])
    return width, height, parts[4][-width * height:]


def read_ppm(data):
    """Width, height and RGB bytes of a binary PPM (P6), as pdftoppm writes it."""
    parts = data.split(maxsplit=3)
    width, height = int(parts[1]), int(parts[2])
    return width, height, data[-3 * width * height:]


def render(pdf, page, dpi, stem):
    """Page `page` of `pdf` rendered by poppler (pdftoppm) in gray."""
    # -cropbox: page space (the boxes of the audit log) is relative to the CropBox.
    subprocess.run(["pdftoppm", "-cropbox", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), pdf, stem],
                   check=True)
    folder, base = os.path.dirname(stem), os.path.basename(stem)
    candidates = [f for f in os.listdir(folder) if f.startswith(base) and f.endswith(".pgm")]
    return read_pgm(os.path.join(folder, candidates[0]))


def compare_rendering(original, redacted, page, boxes, dpi, tmp):
    """Renders a page of both files and counts, outside the boxes (page
    space, points; 2 pixels of margin), the pixels that changed by more than
    40 levels, and inside them (1 pixel in), the dark ones. Returns
    (changed, outside, dark, inside), or None when the sizes differ."""
    stem = os.path.join(tmp, f"render-{os.path.basename(redacted)}-{page}")
    w0, h0, a = render(original, page, dpi, stem + "-a")
    w1, h1, b = render(redacted, page, dpi, stem + "-b")
    if (w0, h0) != (w1, h1):
        return None
    scaled = [[v * dpi / 72 for v in box] for box in boxes]

    def near_box(x, y, margin):
        return any(x0 - margin <= x <= x1 + margin and y0 - margin <= y <= y1 + margin for x0, y0, x1, y1 in scaled)

    changed = outside = dark = inside = 0
    for y in range(h0):
        for x in range(w0):
            i = y * w0 + x
            if near_box(x, y, 2):
                if not near_box(x, y, -1):
                    continue
                inside += 1
                dark += b[i] < 128
            else:
                outside += 1
                changed += abs(a[i] - b[i]) > 40
    return changed, outside, dark, inside


# Small PDFs written by hand, for the shapes no producer makes.
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Officers were sent to France in May.) Tj ET"


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def flate(data, times=1):
    for _ in range(times):
        data = zlib.compress(data, 9)
    return data


def write_pdf(objects, trailer=b"", hide=None):
    """A classic cross-reference table over `objects` [(number, body)]; the
    catalog is object 1. With `hide` (number, before, after), that object's
    text is written between `before` and `after` (inside a comment, a
    string, another stream's data), its offset pointing at it all the same."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects:
        hidden = hide and hide[0] == number
        if hidden:
            out += hide[1]
        offsets[number] = len(out)
        out += b"%d 0 obj " % number + body + b" endobj" if hidden else b"%d 0 obj\n" % number + body + b"\nendobj\n"
        if hidden:
            out += hide[2]
    size = max(offsets) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    return bytes(out)


def page_objects(content=TEXT, page_extra=b"", catalog_extra=b"", resources=b"/Font << /F1 5 0 R >>", more=(),
                 content_object=None):
    return [(1, b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>"),
            (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << "
             + resources + b" >> " + page_extra + b">>"),
            (4, content_object or stream(b"", content)),
            (5, FONT)] + list(more)
