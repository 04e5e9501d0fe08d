"""A JPEG 2000 image under a redaction loses the covered pixels in the image itself.

The images are made by OpenJPEG's own encoder (opj_compress, Debian's
libopenjp2-tools), lossless, from a picture drawn here: a JP2 file in colour
whose dictionary names no colour space (the data tells it), and a bare
codestream in gray with /ColorSpace /DeviceGray. Each is drawn on a page
with an invisible OCR text layer over it, as scanning software writes it.
`redact run --term KESTREL` must write the page with the word gone for
pdftotext, the image's own pixels under the box black, the rest of them
exactly as they were (both read back by poppler's pdfimages, a decoder that
is not ours), and the rest of the text kept. A JP2 file with a palette
(an index codestream and a pclr box, written here around OpenJPEG's
codestream) is drawn in its palette's colours, before and after. Damaged
data, a tile left out, YCC colours, an opacity channel (a cdef box, or
/SMaskInData), and a codestream declaring 65,535 tiles (OpenJPEG allocated
gigabytes for one) hold the document with the reason named.
"""
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdf_inputs import Checks, argument_parser, page_objects, stream, text_of, write_pdf  # noqa: E402

# The image: 120 x 20 pixels drawn at (48, 550), 480 x 80 points (4 points a pixel).
X, Y, W, H = 48.0, 550.0, 480.0, 80.0
WIDTH, HEIGHT = 120, 20
# The OCR layer: "KESTREL" in Helvetica 24 from x = 60 (about 95 points wide).
LAYER = b"BT 3 Tr /F1 24 Tf 60 580 Td (KESTREL) Tj ( ROOST) Tj ET"
VISIBLE = b"BT 0 Tr /F1 12 Tf 72 700 Td (The rest of this page is not withheld.) Tj ET"


def picture(components):
    """A light picture with a pattern in every pixel, none of it black."""
    out = bytearray()
    for row in range(HEIGHT):
        for col in range(WIDTH):
            gray = 120 + (col * 7 + row * 13) % 120
            out += bytes([gray]) if components == 1 else bytes([gray, 255 - gray // 2, (gray * 3) % 200 + 40])
    return bytes(out)


def encode(tmp, stem, components, suffix):
    """The picture encoded by opj_compress (lossless by default)."""
    kind = b"P5" if components == 1 else b"P6"
    source = os.path.join(tmp, stem + (".pgm" if components == 1 else ".ppm"))
    with open(source, "wb") as f:
        f.write(kind + b"\n%d %d\n255\n" % (WIDTH, HEIGHT) + picture(components))
    target = os.path.join(tmp, stem + suffix)
    # Three resolution levels: the default six want 32 pixels a side.
    subprocess.run(["opj_compress", "-i", source, "-o", target, "-n", "3"], check=True, capture_output=True)
    return open(target, "rb").read()


def encode_raw(tmp, stem, samples, components, tiles=None):
    """Planar 8-bit samples encoded as a bare codestream, in tiles if given."""
    source = os.path.join(tmp, stem + ".raw")
    with open(source, "wb") as f:
        f.write(samples)
    target = os.path.join(tmp, stem + ".j2k")
    extra = ["-t", "%d,%d" % tiles] if tiles else []
    subprocess.run(["opj_compress", "-i", source, "-o", target, "-n", "2", "-F", "%d,%d,%d,8,u" % (WIDTH, HEIGHT, components)]
                   + extra, check=True, capture_output=True)
    return open(target, "rb").read()


def box(kind, body):
    return struct.pack(">I", 8 + len(body)) + kind + body


def jp2(codestream, components, colour, more=b""):
    """A JP2 file around `codestream`: signature, file type, header (image
    header, colour specification by enumerated space, `more` boxes)."""
    header = box(b"ihdr", struct.pack(">IIHBBBB", HEIGHT, WIDTH, components, 7, 7, 0, 0))
    header += box(b"colr", struct.pack(">BBBI", 1, 0, 0, colour)) + more
    return (box(b"jP  ", b"\r\n\x87\n") + box(b"ftyp", b"jp2 " + struct.pack(">I", 0) + b"jp2 ")
            + box(b"jp2h", header) + box(b"jp2c", codestream))


def without_a_tile(codestream):
    """The codestream with its second tile-part taken out (walked by Psot)."""
    at = codestream.find(b"\xff\x90")
    parts = []
    while codestream[at:at + 2] == b"\xff\x90":
        length = struct.unpack(">I", codestream[at + 6:at + 10])[0]
        parts.append((at, at + length))
        at += length
    return codestream[:parts[1][0]] + codestream[parts[1][1]:]


def many_tiles():
    """A codestream's main header that declares a 255 x 257 image in 1 x 1
    tiles of 4 components (65,535 tiles), and one tile-part."""
    siz = struct.pack(">HHIIIIIIIIH", 38 + 3 * 4, 0, 255, 257, 0, 0, 1, 1, 0, 0, 4) + b"\x07\x01\x01" * 4
    cod = struct.pack(">HBBHBBBBBB", 12, 0, 0, 1, 0, 0, 4, 4, 0, 1)
    qcd = struct.pack(">HB", 4, 0x40) + b"\x40"
    return b"\xff\x4f\xff\x51" + siz + b"\xff\x52" + cod + b"\xff\x5c" + qcd + \
        b"\xff\x90" + struct.pack(">HHIBB", 10, 0, 14, 0, 1) + b"\xff\x93" + b"\xff\xd9"


def write_input(path, data, dictionary):
    image = stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /Filter /JPXDecode " % (WIDTH, HEIGHT)
                   + dictionary, data)
    content = b"q %g 0 0 %g %g %g cm /Im1 Do Q\n" % (W, H, X, Y) + LAYER + b"\n" + VISIBLE
    objects = page_objects(content=content, resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>",
                           more=[(6, image)])
    with open(path, "wb") as f:
        f.write(write_pdf(objects))


def image_samples(pdf, tmp, stem, components):
    """The page's image as poppler decodes it, `components` bytes a pixel
    (pdfimages writes a gray JPEG 2000 image in colour), or None for a
    colour image written in gray."""
    subprocess.run(["pdfimages", pdf, os.path.join(tmp, stem)], check=True, capture_output=True)
    name = sorted(f for f in os.listdir(tmp) if f.startswith(stem + "-"))[0]
    data = open(os.path.join(tmp, name), "rb").read()
    written = 3 if data[:2] == b"P6" else 1
    samples = data[-written * WIDTH * HEIGHT:]
    if written == components:
        return samples
    return samples[::3] if components == 1 else None


def image_dictionary(pdf):
    """The image's dictionary in the output (objects are numbered anew)."""
    qdf = subprocess.run(["qpdf", "--qdf", "--stream-data=preserve", "--object-streams=disable", pdf, "-"],
                         capture_output=True).stdout
    for part in qdf.split(b"endobj"):
        if b"/Subtype /Image" in part:
            return part[:part.find(b"stream")].decode("latin-1")
    return ""


def run(redact, pdf, out):
    return subprocess.run([redact, "run", pdf, "-o", out, "--no-patterns", "--term", "KESTREL", "--term-exemption",
                           "s40(2)", "--progress", "none"], capture_output=True, text=True)


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        rgb = encode(tmp, "rgb", 3, ".jp2")
        gray = encode(tmp, "gray", 1, ".j2k")
        check("opj_compress wrote a JP2 file and a bare codestream",
              rgb[4:8] == b"jP  " and gray[:4] == b"\xff\x4f\xff\x51")
        for label, data, dictionary, components in [
                ("JP2 in colour, its colours in the data", rgb, b"", 3),
                ("codestream in gray, /DeviceGray", gray, b"/ColorSpace /DeviceGray", 1)]:
            stem = "gray" if components == 1 else "rgb"
            pdf = os.path.join(tmp, stem + ".pdf")
            write_input(pdf, data, dictionary)
            before = image_samples(pdf, tmp, stem + "-in", components)
            check(f"{label}: poppler reads the input's image and its OCR layer",
                  before == picture(components) and "KESTREL" in text_of(pdf))
            out = os.path.join(tmp, "out-" + stem)
            result = run(args.redact, pdf, out)
            output = os.path.join(out, os.path.basename(pdf))
            check(f"{label}: redacted, not held", result.returncode == 0 and os.path.exists(output),
                  result.stdout + result.stderr)
            if not os.path.exists(output):
                continue
            words = text_of(output)
            check(f"{label}: the word is gone for pdftotext, the rest kept",
                  "KESTREL" not in words and "ROOST" in words and "not withheld" in words, repr(words))
            image = image_dictionary(output)
            check(f"{label}: written back with Flate, 8 bits and a colour space readers know",
                  "/FlateDecode" in image and "/JPXDecode" not in image and "/BitsPerComponent 8" in image
                  and ("/DeviceRGB" if components == 3 else "/DeviceGray") in image, image)
            after = image_samples(output, tmp, stem + "-out", components)
            # Pixel (col, row) covers x from X + col * 4, y down from Y + H - row * 4.
            def under_box(col, row):
                x0, x1 = X + col * W / WIDTH, X + (col + 1) * W / WIDTH
                y0, y1 = Y + H - (row + 1) * H / HEIGHT, Y + H - row * H / HEIGHT
                return x0 >= 62 and x1 <= 150 and y0 >= 578 and y1 <= 596
            pixels = [(r, c) for r in range(HEIGHT) for c in range(WIDTH)]
            inside = [p for p in pixels if under_box(p[1], p[0])]
            sample = lambda data, p: data[(p[0] * WIDTH + p[1]) * components:(p[0] * WIDTH + p[1] + 1) * components]
            check(f"{label}: the image's own pixels under the box are black (pdfimages)",
                  after is not None and inside
                  and all(sample(after, p) == bytes(components) for p in inside),
                  f"{sum(sample(after, p) == bytes(components) for p in inside)} of {len(inside)}")
            far = [p for p in pixels if X + p[1] * W / WIDTH > 200]
            changed = [p for p in far if sample(before, p) != sample(after, p)]
            check(f"{label}: the image's other pixels are exactly as they were", after is not None and far and not changed,
                  f"{len(changed)} of {len(far)} changed")

        # A palette: a one-component index codestream, a pclr box of three
        # 8-bit columns and a cmap box; sRGB. Drawn in the palette's colours
        # by poppler before and after, every pixel not under the box as it was.
        palette = [bytes([(i * 37) % 256, 255 - (i * 11) % 256, 60 + (i * 5) % 190]) for i in range(32)]
        index = bytes((col // 4 + row) % 32 for row in range(HEIGHT) for col in range(WIDTH))
        pclr = box(b"pclr", struct.pack(">HB", 32, 3) + b"\x07\x07\x07" + b"".join(palette))
        cmap = box(b"cmap", b"".join(struct.pack(">HBB", 0, 1, i) for i in range(3)))
        indexed = jp2(encode_raw(tmp, "index", index, 1), 1, 16, pclr + cmap)
        pdf = os.path.join(tmp, "palette.pdf")
        write_input(pdf, indexed, b"")
        expected = b"".join(palette[i] for i in index)
        before = image_samples(pdf, tmp, "palette-in", 3)
        check("a palette: poppler draws the input in the palette's colours", before == expected)
        out = os.path.join(tmp, "out-palette")
        result = run(args.redact, pdf, out)
        output = os.path.join(out, "palette.pdf")
        check("a palette: redacted, not held", result.returncode == 0 and os.path.exists(output), result.stdout + result.stderr)
        if os.path.exists(output):
            after = image_samples(output, tmp, "palette-out", 3)
            far = [i for i in range(WIDTH * HEIGHT) if X + (i % WIDTH) * W / WIDTH > 200]
            check("a palette: the other pixels keep the palette's colours", after is not None
                  and all(after[3 * i:3 * i + 3] == expected[3 * i:3 * i + 3] for i in far))

        # Data cut short, a tile left out, YCC colours, an opacity channel
        # (a channel definition, or /SMaskInData), too many tiles: held, the
        # image named, nothing written.
        planes = picture(3)
        planar = bytes(planes[i * 3 + c] for c in range(3) for i in range(WIDTH * HEIGHT))
        tiled = encode_raw(tmp, "tiled", planar, 3, (40, 10))
        rgba = encode_raw(tmp, "rgba", planar + bytes(WIDTH * HEIGHT), 4)
        opacity = box(b"cdef", struct.pack(">H", 4) + b"".join(struct.pack(">HHH", c, 0, c + 1) for c in range(3))
                      + struct.pack(">HHH", 3, 1, 0))
        for stem, data, dictionary in [("damaged", rgb[:len(rgb) // 2], b""),
                                       ("tile-left-out", without_a_tile(tiled), b"/ColorSpace /DeviceRGB"),
                                       ("sYCC", jp2(encode_raw(tmp, "ycc", planar, 3), 3, 18), b""),
                                       ("opacity-channel", jp2(rgba, 4, 16, opacity), b""),
                                       ("many-tiles", many_tiles(), b"/ColorSpace /DeviceCMYK"),
                                       ("smask-in-data", rgb, b"/SMaskInData 1")]:
            pdf = os.path.join(tmp, stem + ".pdf")
            write_input(pdf, data, dictionary)
            out = os.path.join(tmp, "out-" + stem)
            result = run(args.redact, pdf, out)
            check(f"{stem} JPEG 2000 data under a box holds the document, naming the image",
                  result.returncode == 1 and "cannot be cleaned" in result.stdout and "6 0" in result.stdout
                  and not os.path.exists(os.path.join(out, stem + ".pdf")), result.stdout + result.stderr)
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
