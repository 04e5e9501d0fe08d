#!/usr/bin/env python3
"""Hostile and broken files, one of each class an attacker can send: each
ends with exit 0, 1 or 3 (never a signal, a hang or an "internal error"),
with the outcome its class calls for, and within a memory bound.

- nesting: a dictionary and an array nested 20,000 deep (PoDoFo's tokenizer
  recurses once a level) are refused, exit 3, with a message that says so;
- the same hidden from a front-to-back reading (in a comment, a string or
  another stream's data, where the cross-reference table points all the
  same), behind names that look like keywords (/obj, /stream), inside an
  object stream that does not say /Type /ObjStm, and 60 objects 200 deep (PoDoFo's parse
  costs depth^3 an object: minutes together);
- bombs: a content stream, a doubly compressed content stream, one with TIFF
  prediction (PoDoFo's filters decoded those whole), an ASCII85+Flate chain, an image under a match, XMP metadata and an object
  stream, each a few KB or MB that inflate to gigabytes, stay far below
  their size in memory and end held (1) or refused (3);
- a page tree whose /Count says 2,147,483,647 (one page) and one that loops:
  read as the pages it has;
- forms that draw each other ten times over, fifteen deep: the page is held
  within the per-page budget, not run 10^15 times; so is a page of Ink
  annotations without an appearance that share one long array of points;
- content of operations with 4,096 operands each, or arrays of a million
  items (a small compressed stream that would take gigabytes parsed): held
  within the per-page budget of operations and operands;
- 120,000 objects in one object stream (PoDoFo's reading takes time
  growing with their square), and a stream whose header names one object
  3,000 times (PoDoFo parses its value each time): read from libqpdf's copy
  with the objects loose, and the audit log says so;
- a page listed 200,000 times in the page tree: read once; an xref that
  claims 8,388,000 objects: no output of that many free entries; one that
  lists 8,388,000 objects in use in 60 KB: refused;
- a progressive JPEG of 30,000 empty scans under a match: libjpeg stops at
  500 scans, the document is held; so is a JPEG 2000 codestream of 2 KB
  declaring 65,535 tiles (OpenJPEG allocated gigabytes reading its header);
- a damaged object (a stream whose /Length names no object: PoDoFo reads
  it only when first touched) reached only through the outlines, the form,
  the name tree, the structure tree, a thumbnail, an annotation, Info or
  XMP metadata: the file goes through libqpdf's repair at opening (the
  audit log says so), never into an abort in a later walk;
- a temporary output that a killed run left beside the output is removed by
  the next run;
- other projects' test files that once broke redact (fixtures/hostile/):
  exit 0, 1 or 3, and any output a sound file that reads as its input.

The memory bound is 400 MB for a plain build; a sanitizer build (its shadow
memory counts too) is held to 2 GB."""
import json
import os
import resource
import subprocess
import sys
import tempfile
import zlib

from pdf_inputs import FONT, TEXT, Checks, argument_parser, flate, page_objects, read_ppm, stream, write_pdf
from jpx_images import many_tiles

def with_object_stream(loose, packed, hide=(b"", b""), pairs=None):
    """A file whose objects `packed` [(number, body)] sit in one object
    stream (object 90), with a cross-reference stream (object 91); `hide`
    (before, after) is written around object 90. With `pairs`, the stream's
    header names the first packed object that many times over."""
    bodies, offsets, at = b"", [], 0
    for n, body in packed:
        offsets.append(at)
        bodies += body + b"\n"
        at += len(body) + 1
    header = b" ".join(b"%d %d" % (n, o) for (n, _), o in zip(packed, offsets)) + b"\n"
    if pairs:
        header = b"%d 0 " % packed[0][0] * pairs + b"\n"
    data = flate(header + bodies)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    where = {}
    count = pairs or len(packed)
    for n, body in loose + [(90, stream(b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (count, len(header)),
                                        data))]:
        if n == 90:
            out += hide[0]
        where[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
        if n == 90:
            out += hide[1]
    size = 92
    rows = b""
    for n in range(size):
        if n in where:
            rows += b"\x01" + where[n].to_bytes(4, "big") + b"\x00\x00"
        elif any(n == p for p, _ in packed):
            index = [p for p, _ in packed].index(n)
            rows += b"\x02" + (90).to_bytes(4, "big") + index.to_bytes(2, "big")
        elif n == 91:
            rows += b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x00" + b"\x00" * 4 + b"\xff\xff"
    xref_at = len(out)
    out += b"91 0 obj\n" + stream(b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % size, rows) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def large_object_stream(count):
    """The page of page_objects() and `count` small dictionaries, all
    referenced from the catalog, in one object stream in falling order of
    their numbers (PoDoFo inserts each into its sorted list of objects and
    looks it up in the list of the stream's entries: time growing with
    count^2)."""
    first = 10
    numbers = list(range(first + count - 1, first - 1, -1))
    bodies = b"".join(b"<< /A %6d >>\n" % (n % 1000000) for n in numbers)  # 16 bytes each
    header = b" ".join(b"%d %d" % (n, 16 * k) for k, n in enumerate(numbers)) + b"\n"
    packed_at = first + count
    loose = page_objects(catalog_extra=b"/Many [" + b" ".join(b"%d 0 R" % n for n in range(first, packed_at)) + b"] ")
    loose.append((packed_at, stream(b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (count, len(header)),
                                    flate(header + bodies))))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    where = {}
    for n, body in loose:
        where[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = packed_at + 1
    rows = bytearray()
    for n in range(xref + 1):
        if n in where:
            rows += b"\x01" + where[n].to_bytes(4, "big") + b"\x00\x00\x00\x00"
        elif first <= n < packed_at:
            rows += b"\x02" + packed_at.to_bytes(4, "big") + (first + count - 1 - n).to_bytes(4, "big")
        elif n == xref:
            rows += b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00\x00\x00"
        else:
            rows += b"\x00" * 9
    at = len(out)
    out += b"%d 0 obj\n" % xref + stream(b"/Type /XRef /Size %d /W [1 4 4] /Root 1 0 R /Filter /FlateDecode" % (xref + 1),
                                         flate(bytes(rows))) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def entries_naming_one_object(count):
    """The page of page_objects(), and a cross-reference stream of `count`
    entries in use, all past the page's objects giving the catalog's offset
    (five bytes an entry, compressing a thousandfold): PoDoFo and qpdf set
    up an object for each."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    where = {}
    for n, body in page_objects():
        where[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = max(where) + 1
    rows = b"\x00" * 5 + b"".join(b"\x01" + where.get(n, where[1]).to_bytes(4, "big") for n in range(1, xref))
    rows += b"\x01" + len(out).to_bytes(4, "big") + (b"\x01" + where[1].to_bytes(4, "big")) * (count - xref - 1)
    at = len(out)
    out += b"%d 0 obj\n" % xref + stream(b"/Type /XRef /Size %d /W [1 4 0] /Root 1 0 R /Filter /FlateDecode" % count,
                                         flate(rows)) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def deflate_bomb(gigabytes, prefix=b"", times=1):
    """zlib data that inflates to `prefix` and then `gigabytes` GiB of
    spaces, made without compressing gigabytes: after a full flush deflate
    starts afresh, so one compressed 16 MiB block can be repeated. The
    checksum at the end is left wrong: a reader that stops at its limit
    never reaches it."""
    compressor = zlib.compressobj(9)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b" " * (1 << 24)) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = head + block * (gigabytes * 64) + b"\x03\x00" + b"\x00" * 4
    return flate(data) if times == 2 else data


def cases():
    bad = (6, b"<< /Length 99 0 R >>\nstream\nsecret data here\nendstream")
    places = {
        "outlines": page_objects(catalog_extra=b"/Outlines 7 0 R ",
                                 more=[(7, b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>"),
                                       (8, b"<< /Title (Hi) /Parent 7 0 R /A << /S /JavaScript /JS 6 0 R >> >>"), bad]),
        "acroform": page_objects(catalog_extra=b"/AcroForm << /Fields [] /XFA 6 0 R >> ", more=[bad]),
        "names": page_objects(catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a) << /Type /Filespec /F (a) "
                                            b"/EF << /F 6 0 R >> >>] >> >> ", more=[bad]),
        "structure_tree": page_objects(catalog_extra=b"/StructTreeRoot << /Type /StructTreeRoot /K << /S /P "
                                                     b"/ActualText 6 0 R >> >> ", more=[bad]),
        "thumbnail": page_objects(page_extra=b"/Thumb 6 0 R ", more=[bad]),
        "annotation": page_objects(page_extra=b"/Annots [<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /AP << /N 6 0 R >> >>] ",
                                   more=[bad]),
        "metadata": page_objects(catalog_extra=b"/Metadata 6 0 R ", more=[bad]),
    }
    for place, objects in places.items():
        yield f"damaged_object.only_through_{place}", write_pdf(objects), {0}, "notes=repaired"
    yield ("damaged_object.only_through_info", write_pdf(page_objects(more=[bad, (7, b"<< /Title 6 0 R >>")]), trailer=b"/Info 7 0 R "),
           {0}, "notes=repaired")
    deep = 20000
    yield "nesting.dictionary", write_pdf(page_objects(catalog_extra=b"/Deep 6 0 R ", more=[(6, b"<< /A " * deep + b">>" * deep)])), {3}, "nested"
    yield "nesting.array", write_pdf(page_objects(catalog_extra=b"/Deep 6 0 R ", more=[(6, b"[" * deep + b"]" * deep)])), {3}, "nested"
    # The scan reads the file front to back; PoDoFo reads from the offsets
    # the cross-reference table gives: an object hidden from one is not from
    # the other. And /obj, /stream are names to PoDoFo, not keywords.
    deep_dict = b"<< /A " * 300 + b"1" + b">>" * 300
    hiding = {"in_a_comment": (b"% ", b"\n"), "in_a_string": (b"(", b")\n"),
              "in_stream_data": (b"99 0 obj << /Length 0 >> stream\n", b"\nendstream endobj\n")}
    for where, (before, after) in hiding.items():
        yield (f"nesting.hidden_{where}",
               write_pdf(page_objects(catalog_extra=b"/Deep 6 0 R ", more=[(6, deep_dict)]), hide=(6, before, after)), {3}, "nested")
    yield ("nesting.behind_names_obj_and_stream",
           write_pdf(page_objects(catalog_extra=b"/Deep 6 0 R ",
                                  more=[(6, b"<< /obj " * 150 + b"/stream " + b"<< /A " * 150 + b"/endstream" + b">>" * 300)])),
           {3}, "nested")
    untyped = with_object_stream(page_objects()[2:], [(1, b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>"), (2, page_objects()[1][1]),
                                                      (6, b"[" * 20 + deep_dict + b"]" * 20)])
    yield "nesting.in_an_object_stream_without_type", untyped.replace(b"/Type /ObjStm ", b""), {3}, "nested"
    yield ("nesting.in_an_object_stream_hidden_in_stream_data",
           with_object_stream(page_objects()[2:], [(1, b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>"), (2, page_objects()[1][1]),
                                                   (6, deep_dict)],
                              hide=(b"99 0 obj\n<< /Length 0 >>\nstream\n", b"\nendstream\nendobj\n")),
           {3}, "nested")
    xref_bomb = with_object_stream(page_objects()[2:], [(1, page_objects()[0][1]), (2, page_objects()[1][1])])
    start = xref_bomb.index(b"91 0 obj")
    rows_at = xref_bomb.index(b"stream\n", start) + 7
    rows = xref_bomb[rows_at:xref_bomb.index(b"\nendstream", rows_at)]
    compressor = zlib.compressobj(9)
    data = compressor.compress(rows) + compressor.flush(zlib.Z_FULL_FLUSH)
    data += deflate_bomb(3)[2:]  # the zeros' blocks, without a second zlib header
    xref_dict = b"/Type /XRef /Size 92 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode"
    yield ("bomb.cross_reference_stream",
           xref_bomb[:start] + b"91 0 obj\n" + stream(xref_dict, data) + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % start,
           {3}, "MiB")
    many = [(10 + i, b"<< /A " * 200 + b">>" * 200) for i in range(60)]
    refs = b" ".join(b"%d 0 R" % n for n, _ in many)
    yield ("nesting.many_deep_objects", write_pdf(page_objects(catalog_extra=b"/Deep [" + refs + b"] ", more=many)), {3},
           "so often")
    yield ("nesting.in_object_stream",
           with_object_stream(page_objects()[2:], [(1, b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>"), (2, page_objects()[1][1]),
                                                   (6, b"[" * 2000 + b"]" * 2000)]),
           {3}, "nested")
    yield "bomb.content", write_pdf(page_objects(content_object=stream(b"/Filter /FlateDecode", deflate_bomb(3)))), {1}, "MiB"
    yield ("bomb.content_compressed_twice",
           write_pdf(page_objects(content_object=stream(b"/Filter [/FlateDecode /FlateDecode]", deflate_bomb(3, times=2)))), {1}, "MiB")
    yield ("bomb.content_with_tiff_prediction",
           write_pdf(page_objects(content_object=stream(b"/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 1 >>",
                                                        deflate_bomb(3)))), {1}, "MiB")
    a85 = __import__("base64").a85encode(deflate_bomb(1), adobe=True)[2:]
    yield ("bomb.ascii85_and_flate",
           write_pdf(page_objects(content_object=stream(b"/Filter [/ASCII85Decode /FlateDecode]", a85))), {1}, "MiB")
    image = stream(b"/Type /XObject /Subtype /Image /Width 65536 /Height 16384 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                   b"/Filter /FlateDecode", deflate_bomb(3))
    yield ("bomb.image_under_a_match",
           write_pdf(page_objects(content=b"q 500 0 0 100 60 700 cm /Im1 Do Q " + TEXT,
                                  resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>", more=[(6, image)])),
           {1}, "")
    # A JPEG 2000 codestream of 2 KB whose header declares 65,535 tiles of
    # 4 components: OpenJPEG allocated 860 MB reading it (4.7 GB for 64
    # components); redact refuses it from the header first.
    image = stream(b"/Type /XObject /Subtype /Image /Width 255 /Height 257 /ColorSpace /DeviceCMYK /Filter /JPXDecode",
                   many_tiles())
    yield ("bomb.jpeg2000_tiles_under_a_match",
           write_pdf(page_objects(content=b"q 500 0 0 100 60 700 cm /Im1 Do Q " + TEXT,
                                  resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>", more=[(6, image)])),
           {1}, "")
    yield ("bomb.xmp_metadata",
           write_pdf(page_objects(catalog_extra=b"/Metadata 6 0 R ",
                                  more=[(6, stream(b"/Type /Metadata /Subtype /XML /Filter /FlateDecode", deflate_bomb(3)))])),
           {0}, "")
    packed = [(1, b"<< /Type /Catalog /Pages 2 0 R /Pad 6 0 R >>"), (2, page_objects()[1][1]),
              (6, b"(" + b" " * 100 + b")")]
    bomb_file = with_object_stream(page_objects()[2:], packed)
    body = deflate_bomb(3, prefix=b"1 0 2 60 6 200\n<< /Type /Catalog /Pages 2 0 R >>")
    start = bomb_file.index(b"90 0 obj")
    end = bomb_file.index(b"endobj", start)
    bomb_file = bomb_file[:start] + b"90 0 obj\n" + stream(b"/Type /ObjStm /N 3 /First 16 /Filter /FlateDecode", body) + b"\n" + bomb_file[end:]
    # The cross-reference stream's offsets are now wrong: readers repair it.
    yield "bomb.object_stream", bomb_file, {3}, "MiB"
    count = page_objects()
    count[1] = (2, b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>")
    yield "page_tree.huge_count", write_pdf(count), {0}, "pages=1"
    loop = page_objects()
    loop[1] = (2, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>")
    yield "page_tree.loop", write_pdf(loop), {0}, "pages=1"
    pages = page_objects()
    pages[1] = (2, b"<< /Type /Pages /Kids [" + b"3 0 R " * 200000 + b"] /Count 200000 >>")
    yield "page_tree.one_page_listed_200000_times", write_pdf(pages), {0}, "pages=1"
    sized = write_pdf(page_objects())
    yield "xref.size_8388000", sized.replace(b"/Size 6 ", b"/Size 8388000 "), {0, 3}, "output<100000"
    wide = b"0 " * 4096 + b"n\n"
    yield ("content.operations_of_4096_operands",
           write_pdf(page_objects(content_object=stream(b"/Filter /FlateDecode", flate(wide * ((60 << 20) // len(wide)) + TEXT)))),
           {1}, "operands")
    array = b"[" + b"0 " * ((1 << 20) - 1) + b"] TJ\n"
    yield ("content.arrays_of_a_million_items",
           write_pdf(page_objects(content_object=stream(b"/Filter /FlateDecode",
                                                        flate(b"BT /F1 12 Tf " + array * ((60 << 20) // len(array)) + b"ET " + TEXT)))),
           {1}, "operands")
    # A progressive JPEG of 30,000 empty scans under a match: each scan is a
    # pass over 7000 x 7000 pixels.
    def segment(marker, payload):
        return b"\xff" + bytes([marker]) + len(payload + b"..").to_bytes(2, "big") + payload
    counts = bytes([1] + [0] * 15)
    jpeg = (b"\xff\xd8" + segment(0xDB, b"\x00" + bytes([1] * 64))
            + segment(0xC2, b"\x08" + (7000).to_bytes(2, "big") * 2 + b"\x03\x01\x11\x00\x02\x11\x00\x03\x11\x00")
            + segment(0xC4, b"\x00" + counts + b"\x00" + b"\x10" + counts + b"\x00")
            + (segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x00\x00") + b"\x00") * 30000 + b"\xff\xd9")
    image = stream(b"/Type /XObject /Subtype /Image /Width 7000 /Height 7000 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                   b"/Filter /DCTDecode", jpeg)
    yield ("image.jpeg_of_30000_scans_under_a_match",
           write_pdf(page_objects(content=b"q 500 0 0 100 60 700 cm /Im1 Do Q " + TEXT,
                                  resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>", more=[(6, image)])),
           {1}, "")
    # Filters named by the abbreviations poppler and MuPDF also take (/F,
    # /DP): a reader of /Filter alone sees compressed bytes, no text, and
    # called the page clean.
    yield ("filters.abbreviated_f", write_pdf(page_objects(content_object=stream(b"/F /FlateDecode", flate(TEXT)))),
           {0, 1}, "no-leak")
    rows = b"\x01" + bytes([TEXT[0]]) + bytes((TEXT[i] - TEXT[i - 1]) & 0xFF for i in range(1, len(TEXT)))  # one PNG Sub row
    yield ("filters.abbreviated_dp",
           write_pdf(page_objects(content_object=stream(b"/Filter /FlateDecode /DP << /Predictor 12 /Columns %d >>" % len(TEXT),
                                                        flate(rows)))), {0, 1}, "no-leak")
    # A null /DecodeParms (or /Filter) is no entry at all to poppler and
    # MuPDF, which then take /DP (or /F): redact read the data unpredicted,
    # found nothing, and published the text.
    yield ("filters.null_decodeparms_then_dp",
           write_pdf(page_objects(content_object=stream(b"/Filter /FlateDecode /DecodeParms null /DP << /Predictor 12 /Columns %d >>"
                                                        % len(TEXT), flate(rows)))), {0, 1}, "no-leak")
    yield ("filters.null_filter_then_f",
           write_pdf(page_objects(content_object=stream(b"/Filter null /F /FlateDecode", flate(TEXT)))), {0, 1}, "no-leak")
    # Content that is not content (compressed bytes with no filter named):
    # nothing redact reads there can be trusted, so the page is incomplete.
    yield ("content.encoded_bytes_read_as_content",
           write_pdf(page_objects(content_object=stream(b"", flate(TEXT * 40, times=2)))), {1}, "not PDF operators")
    yield ("filters.abbreviated_f_on_a_form",
           write_pdf(page_objects(content=b"/X1 Do", resources=b"/XObject << /X1 6 0 R >>",
                                  more=[(6, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                                                   b"/Resources << /Font << /F1 5 0 R >> >> /F [/AHx /Fl]",
                                                   flate(TEXT).hex().encode() + b">"))])), {0, 1}, "no-leak")
    # An image under the match whose PNG predictor is named by /DP: its
    # blacked-out data must not keep the old predictor (readers would undo
    # it again and show noise where the image was kept).
    width = 100
    red_rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(20))  # PNG None rows
    image = stream(b"/Type /XObject /Subtype /Image /Width %d /Height 20 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                   b"/Filter /FlateDecode /DP << /Predictor 15 /Colors 3 /Columns %d >>" % (width, width), flate(red_rows))
    yield ("filters.abbreviated_dp_on_an_image_under_a_match",
           write_pdf(page_objects(content=b"q 500 0 0 40 60 700 cm /Im1 Do Q " + TEXT,
                                  resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>", more=[(6, image)])),
           {0, 1}, "no-leak red-at=500,89")
    # 120,000 objects in one object stream, falling: PoDoFo alone takes ten
    # seconds (a minute for 400,000); read by way of libqpdf's
    # copy with the objects loose.
    yield "object_stream.of_120000_objects", large_object_stream(120000), {0, 1}, "notes=rewritten by libqpdf"
    # One entry names object 80 in the stream, but its header names it
    # 3,000 times; PoDoFo parses the value at its offset, an array of
    # 300,000 numbers, for each: minutes, though the entries say one object.
    # A cross-reference stream of 8,388,000 entries naming one object, in a
    # file of 60 KB: refused before PoDoFo or qpdf sets them up (a
    # gigabyte).
    yield "xref.millions_of_entries_naming_one_object", entries_naming_one_object(8388000), {3}, "objects in use"
    yield ("object_stream.header_pairs_past_the_entries",
           with_object_stream(page_objects(), [(80, b"[" + b"0 " * 300000 + b"]")], pairs=3000), {0, 1},
           "notes=rewritten by libqpdf")
    # Form n draws form n+1 ten times; the last draws text.
    forms = []
    for n in range(15):
        draws = b" ".join(b"q 1 0 0 1 0 %d cm /X Do Q" % k for k in range(10))
        forms.append((10 + n, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X %d 0 R >> >>"
                                     % (11 + n), draws)))
    forms.append((25, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>", TEXT)))
    yield ("forms.fan_out",
           write_pdf(page_objects(content=b"/X Do", resources=b"/XObject << /X 10 0 R >>", more=forms)),
           {1}, "forms")
    # Ink annotations without an appearance, each naming one array of
    # 20,000 points four times: viewers draw them from the points, and so
    # does the walk, within its bound.
    points = b" ".join(b"%d %d" % (100 + k % 400, 700 - k % 7) for k in range(20000))
    inks = b" ".join(b"<< /Type /Annot /Subtype /Ink /Rect [0 0 612 792] /C [0 0 0] /BS << /W 14 >> "
                     b"/InkList [10 0 R 10 0 R 10 0 R 10 0 R] >>" for _ in range(70))
    yield ("annotations.shared_ink_points",
           write_pdf(page_objects(page_extra=b"/Annots [" + inks + b"] ", more=[(10, b"[" + points + b"]")])),
           {1}, "draw more than 4 million points")


def pixel_at(pdf, x, y):
    """The RGB of page 1 of `pdf` at (x, y) points from the top left, as poppler renders it at 72 dpi."""
    ppm = subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", pdf], capture_output=True).stdout
    width, _, pixels = read_ppm(ppm)
    offset = 3 * (y * width + x)
    return tuple(pixels[offset:offset + 3])


def run_measured(args, env):
    """Runs `args`; returns (exit status or -signal, stdout+stderr, peak RSS in MB)."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        return "timeout", output.decode(errors="replace"), 0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return process.returncode, output.decode(errors="replace"), usage.ru_maxrss // 1024


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    sanitized = "sanitize" in os.path.abspath(args.redact)
    limit_mb = 2048 if sanitized else 400
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1")
    with tempfile.TemporaryDirectory() as tmp:
        for name, data, expected, hint in cases():
            path = os.path.join(tmp, name + ".pdf")
            with open(path, "wb") as f:
                f.write(data)
            out = os.path.join(tmp, "out-" + name)
            # Each command in a child of its own, so that the peak RSS is
            # that command's (RUSAGE_CHILDREN keeps the largest child).
            probe = [sys.executable, "-c",
                     "import resource,subprocess,sys;"
                     "p=subprocess.run(sys.argv[1:],capture_output=True);"
                     "sys.stdout.buffer.write(p.stdout+p.stderr);"
                     "print('\\nRSS_MB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024);"
                     "sys.exit(p.returncode if p.returncode>=0 else 128-p.returncode)"]
            status, output, _ = run_measured(probe + [args.redact, "run", path, "-o", out], env)
            rss = int(output.rsplit("RSS_MB", 1)[1]) if "RSS_MB" in output else -1
            detail = f"exit {status}, {rss} MB"
            check(f"{name}: run ends with exit {sorted(expected)}", status in expected, detail + " " + output[-300:].replace("\n", " | "))
            check(f"{name}: no internal error", "internal error" not in output)
            check(f"{name}: run stays under {limit_mb} MB", 0 <= rss < limit_mb, detail)
            if hint.startswith("no-leak"):
                written = os.path.join(out, name + ".pdf")
                shown = subprocess.run(["pdftotext", written, "-"], capture_output=True, text=True).stdout if os.path.exists(written) else ""
                check(f"{name}: pdftotext of the output shows no withheld word", "France" not in shown, shown[:120])
                if os.path.exists(written):
                    check(f"{name}: pdftotext of the output shows the words kept", "Officers were sent to" in shown, shown[:120])
                if "red-at=" in hint and os.path.exists(written):
                    x, y = map(int, hint.split("red-at=")[1].split(","))
                    pixel = pixel_at(written, x, y)
                    check(f"{name}: the image outside the region is still red at ({x}, {y})",
                          pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60, str(pixel))
            elif hint.startswith("output<"):
                written = [os.path.join(out, n) for n in os.listdir(out) if n.endswith(".pdf")] if os.path.isdir(out) else []
                check(f"{name}: no output of {hint[7:]} bytes or more", all(os.path.getsize(w) < int(hint[7:]) for w in written),
                      str([os.path.getsize(w) for w in written]))
            elif hint.startswith("notes="):
                with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
                    documents = [r for r in map(json.loads, f) if r["type"] == "document"]
                notes = documents[0].get("input_notes", []) if documents else []
                check(f"{name}: the audit log says the input was {hint[6:]}", any(hint[6:] in n for n in notes), str(notes)[:200])
            elif hint.startswith("pages="):
                with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
                    documents = [r for r in map(json.loads, f) if r["type"] == "document"]
                check(f"{name}: read as {hint[6:]} page(s)", documents and documents[0]["pages"] == int(hint[6:]),
                      str(documents[0]["pages"] if documents else None))
            elif hint:
                check(f"{name}: the reason names the limit ('{hint}')", hint in output, output[-300:].replace("\n", " | "))
            for command in (["check", path], ["extract", path]):
                status, output, _ = run_measured(probe + [args.redact] + command, env)
                rss = int(output.rsplit("RSS_MB", 1)[1]) if "RSS_MB" in output else -1
                check(f"{name}: {command[0]} ends with exit 0, 1 or 3 under {limit_mb} MB",
                      status in (0, 1, 3) and 0 <= rss < limit_mb and "internal error" not in output,
                      f"exit {status}, {rss} MB")

        # Other projects' test files that once broke redact: any output
        # written is a sound file (qpdf --check) that reads as its input.
        third_party = os.path.join(args.fixtures, "hostile")
        for name in sorted(n for n in os.listdir(third_party) if n.endswith(".pdf")):
            path = os.path.join(third_party, name)
            out = os.path.join(tmp, "out-" + name)
            status, output, _ = run_measured([args.redact, "run", path, "-o", out], env)
            check(f"{name}: run ends with exit 0, 1 or 3", status in (0, 1, 3) and "internal error" not in output, f"exit {status}")
            status_check, output_check, _ = run_measured([args.redact, "check", path], env)
            check(f"{name}: check ends with exit 0, 1 or 3", status_check in (0, 1, 3) and "internal error" not in output_check,
                  f"exit {status_check} {output_check[-200:]}")
            written = os.path.join(out, name)
            if os.path.exists(written):
                # The structure a writer makes: no damage qpdf must repair
                # (what the input's own objects say, a loop in its page
                # tree, stays the input's).
                qpdf = subprocess.run(["qpdf", "--check", written], capture_output=True, text=True)
                said = qpdf.stdout + qpdf.stderr
                check(f"{name}: the output's cross-reference table is sound to qpdf",
                      not any(w in said for w in ("damaged", "reconstruct", "expected ")), said[-200:])
                if "(0 redactions)" in output:
                    text = lambda p: subprocess.run(["pdftotext", "-layout", p, "-"], capture_output=True, text=True).stdout
                    check(f"{name}: the output reads as the input", text(written) == text(path))

        # A killed run's temporary output is removed by the next run (its
        # process, one that has ended, named in it); one of a process still
        # running (another shard writing to the same folder) stays.
        source = os.path.join(tmp, "letter.pdf")
        with open(source, "wb") as f:
            f.write(write_pdf(page_objects()))
        out = os.path.join(tmp, "out-stale")
        os.makedirs(out)
        ended = subprocess.Popen(["true"])
        ended.wait()
        stale = os.path.join(out, "letter.pdf.%d-0.redact-tmp" % ended.pid)
        live = os.path.join(out, "other.pdf.%d-0.redact-tmp" % os.getpid())
        for path in (stale, live):
            with open(path, "wb") as f:
                f.write(b"%PDF-1.7 half written")
        status, output, _ = run_measured([args.redact, "run", source, "-o", out], env)
        check("stale temporary: the run redacts", status == 0, output[-200:])
        check("stale temporary: removed by the next run", not os.path.exists(stale), str(os.listdir(out)))
        check("stale temporary: one of a running process stays", os.path.exists(live), str(os.listdir(out)))
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
