"""A JBIG2 scan under a redaction loses the covered pixels in the image itself.

The image is pdf.js's JBIG2 test image (fixtures/foreign/README.md: a symbol
dictionary and a text region that reads "JBIG2 TEXT"), drawn on a page with
an invisible OCR text layer over it, as OCR tools write scans; once as it
is, once with its symbol dictionary moved into /JBIG2Globals (Flate), as
scanners and Acrobat write it. `redact run --term JBIG2` must write the page
with the word gone for pdftotext, the image's own pixels under the box black
and the rest of them as they were (read back by poppler's pdfimages, a
decoder that is not ours), and the rest of the text kept. Damaged JBIG2
data, and a stream of two pages, hold the document with the reason named.
"""
import os
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdf_inputs import Checks, argument_parser, page_objects, stream, text_of, write_pdf  # noqa: E402

# The image: 132 x 14 pixels drawn at (48, 550), 500 x 53.03 points.
X, Y, W, H = 48.0, 550.0, 500.0, 53.03
WIDTH, HEIGHT = 132, 14
# The OCR layer: "JBIG2" in Helvetica 36 from x = 60 (about 100 points wide).
LAYER = b"BT 3 Tr /F1 36 Tf 60 556 Td (JBIG2) Tj ( TEXT) Tj ET"
VISIBLE = b"BT 0 Tr /F1 12 Tf 72 700 Td (The rest of this page is not withheld.) Tj ET"


def segments(data):
    """The segments of an embedded JBIG2 stream: (header, body) each."""
    out, i = [], 0
    while i < len(data):
        number = int.from_bytes(data[i:i + 4], "big")
        flags, j = data[i + 4], i + 5
        count = data[j] >> 5
        assert count <= 4, "long referred-to segment lists are not read here"
        j += 1 + count * (1 if number <= 256 else 2 if number <= 65536 else 4)
        j += 4 if flags & 0x40 else 1
        length = int.from_bytes(data[j:j + 4], "big")
        out.append((data[i:j + 4], data[j + 4:j + 4 + length]))
        i = j + 4 + length
    return out


def with_globals(data):
    """The symbol dictionaries (type 0) moved to a globals stream, their page
    association 0, as 7.4.7 says embedded streams with globals are split."""
    page, shared = b"", b""
    for header, body in segments(data):
        if header[4] & 0x3F == 0:
            assert not header[4] & 0x40
            shared += header[:-5] + b"\x00" + header[-4:] + body
        else:
            page += header + body
    return page, shared


def two_pages(data):
    """The stream followed by a copy of itself as page 2 (segment numbers
    and references moved on): readers differ on which page they draw."""
    parts = segments(data)
    shift = len(parts)
    second = b""
    for header, body in parts:
        count = header[5] >> 5
        number = int.from_bytes(header[:4], "big") + shift
        refs = bytes(r + shift for r in header[6:6 + count])
        second += number.to_bytes(4, "big") + header[4:6] + refs + b"\x02" + header[-4:] + body
    return data + second


def write_input(path, data, globals_data=None):
    parms = b""
    more = []
    if globals_data is not None:
        packed = zlib.compress(globals_data)
        more.append((7, stream(b"/Filter /FlateDecode", packed)))
        parms = b" /DecodeParms << /JBIG2Globals 7 0 R >>"
    image = stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 1 /ColorSpace /DeviceGray "
                   b"/Filter /JBIG2Decode" % (WIDTH, HEIGHT) + parms, data)
    content = b"q %g 0 0 %g %g %g cm /Im1 Do Q\n" % (W, H, X, Y) + LAYER + b"\n" + VISIBLE
    objects = page_objects(content=content, resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>",
                           more=[(6, image)] + more)
    with open(path, "wb") as f:
        f.write(write_pdf(objects))


def image_pixels(pdf, tmp, stem):
    """The page's image as poppler decodes it: rows of booleans, True black."""
    subprocess.run(["pdfimages", pdf, os.path.join(tmp, stem)], check=True)
    name = sorted(f for f in os.listdir(tmp) if f.startswith(stem + "-"))[0]
    data = open(os.path.join(tmp, name), "rb").read()
    kind, width, height = data[:2], *map(int, data.split(maxsplit=3)[1:3])
    if kind == b"P4":
        row = (width + 7) // 8
        body = data[-row * height:]
        return [[body[y * row + x // 8] >> (7 - x % 8) & 1 == 1 for x in range(width)] for y in range(height)]
    body = data[-width * height:]
    return [[body[y * width + x] < 128 for x in range(width)] for y in range(height)]


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    source = os.path.join(args.fixtures, "foreign", "pdfjs-jbig2_symbol_offset.pdf")
    raw = subprocess.run(["qpdf", "--show-object=6", "--raw-stream-data", source], capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        page_data, shared = with_globals(raw)
        for label, data, globals_data in [("embedded", raw, None), ("with /JBIG2Globals", page_data, shared)]:
            stem = label.split()[-1].strip("/")
            pdf = os.path.join(tmp, stem + ".pdf")
            write_input(pdf, data, globals_data)
            before = image_pixels(pdf, tmp, stem + "-in")
            check(f"{label}: poppler reads the input's image and its OCR layer",
                  len(before) == HEIGHT and any(any(row) for row in before) and "JBIG2" in text_of(pdf))
            out = os.path.join(tmp, "out-" + stem)
            result = subprocess.run([args.redact, "run", pdf, "-o", out, "--no-patterns", "--term", "JBIG2", "--term-exemption", "s40(2)",
                                     "--progress", "none"], capture_output=True, text=True)
            output = os.path.join(out, os.path.basename(pdf))
            check(f"{label}: redacted, not held", result.returncode == 0 and os.path.exists(output),
                  result.stdout + result.stderr)
            if not os.path.exists(output):
                continue
            words = text_of(output)
            check(f"{label}: the word is gone for pdftotext, the rest kept",
                  "JBIG2" not in words and "TEXT" in words and "not withheld" in words, repr(words))
            after = image_pixels(output, tmp, stem + "-out")
            # Pixel (col, row) covers x from X + col * W / WIDTH, y down from Y + H.
            def under_box(col, row):
                x0, x1 = X + col * W / WIDTH, X + (col + 1) * W / WIDTH
                y1 = Y + H - row * H / HEIGHT
                return x0 >= 61 and x1 <= 159 and y1 <= 585
            inside = [after[r][c] for r in range(HEIGHT) for c in range(WIDTH) if under_box(c, r)]
            before_inside = [before[r][c] for r in range(HEIGHT) for c in range(WIDTH) if under_box(c, r)]
            check(f"{label}: the image's own pixels under the box are black (pdfimages)",
                  inside and all(inside) and not all(before_inside), f"{sum(inside)} of {len(inside)}")
            far = [(r, c) for r in range(HEIGHT) for c in range(WIDTH) if X + c * W / WIDTH > 175]
            changed = [p for p in far if before[p[0]][p[1]] != after[p[0]][p[1]]]
            check(f"{label}: the image's other pixels are as they were", len(before) == len(after) and not changed,
                  f"{len(changed)} of {len(far)} changed")

        # Damaged data, and a stream of two pages (poppler draws the last,
        # jbig2dec and MuPDF the first): held, the image named, nothing written.
        for stem, data in [("damaged", raw[:-12]), ("two-pages", two_pages(raw))]:
            pdf = os.path.join(tmp, stem + ".pdf")
            write_input(pdf, data)
            out = os.path.join(tmp, "out-" + stem)
            result = subprocess.run([args.redact, "run", pdf, "-o", out, "--no-patterns", "--term", "JBIG2",
                                     "--term-exemption", "s40(2)", "--progress", "none"], capture_output=True, text=True)
            check(f"{stem} JBIG2 data under a box holds the document, naming the image",
                  result.returncode == 1 and "cannot be cleaned" in result.stdout
                  and not os.path.exists(os.path.join(out, stem + ".pdf")), result.stdout + result.stderr)
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
