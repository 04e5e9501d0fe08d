#!/usr/bin/env python3
"""Review before publishing: `redact mark`, a reviewer's edits, `redact apply`,
refereed by tools redact does not share code with.

- `mark` writes a copy whose words are the original's (pdftotext, mutool),
  that qpdf --check, pdftotext and mutool open without a warning the original
  did not give, with one /Redact annotation per proposal (read from qpdf's
  JSON), each drawn in red over text that stays readable (pdftoppm's pixels).
- A reviewer deletes one proposal, moves another onto other words and adds a
  mark of their own, as a viewer writes them (/T, /M, /NM of its own), here
  through qpdf's JSON. `apply` then removes exactly the words under the
  marks left (pdftotext -bbox says which words lie under each quad): every
  other word of the original is still there for pdftotext and mutool, the
  deleted proposal's and the moved one's first words too. The audit log says
  kept, changed (a proposal moved, with its name), added (author and date) and
  declined.
- /Redact annotations made by MuPDF (`mutool run`, as PyMuPDF's tests make
  them) are applied with --no-patterns: their words gone, every other word
  there.
- A mark with no area is refused by name (held for review, nothing written).
"""
import collections
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser, read_ppm

FIXTURE = "libreoffice-letter.pdf"


def run(*command):
    return subprocess.run(list(command), capture_output=True, text=True)


def words_pdftotext(pdf):
    return run("pdftotext", pdf, "-").stdout.split()


def words_mutool(pdf):
    return run("mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf).stdout.split()


def bbox_words(pdf):
    """[(page, text, (x0, y0, x1, y1) in PDF user space)] by pdftotext -bbox."""
    page_html = run("pdftotext", "-bbox", pdf, "-").stdout
    out = []
    page = 0
    height = 0.0
    for line in page_html.splitlines():
        m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if m:
            page += 1
            height = float(m.group(2))
            continue
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            text = html.unescape(m.group(5))
            out.append((page, text, (x0, height - y1, x1, height - y0)))
    return out


def objects(pdf):
    """qpdf's JSON: {"pages": [...], "objects": {"obj:N 0 R": {...}}}."""
    j = json.loads(run("qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf", pdf).stdout)
    return j["pages"], j["qpdf"][1]


def redact_annotations(pdf):
    """[(page number, object key, dictionary)] of every /Redact annotation."""
    pages, objs = objects(pdf)
    out = []
    for number, page in enumerate(pages, 1):
        for ref in objs["obj:" + page["object"]]["value"].get("/Annots", []):
            value = objs.get("obj:" + ref, {}).get("value", {})
            if isinstance(value, dict) and value.get("/Subtype") == "/Redact":
                out.append((number, "obj:" + ref, value))
    return out


def qpdf_update(source, changes, max_object, out):
    """`source` with the objects of `changes` ({"obj:N 0 R": {"value": ...}})
    replaced or added, written to `out` by qpdf from its JSON, as a viewer
    that edits annotations would write them."""
    update = {"qpdf": [{"jsonversion": 2, "pushedinheritedpageresources": False, "calledgetallpages": False,
                        "maxobjectid": max_object}, changes]}
    with open(out + ".json", "w") as f:
        json.dump(update, f)
    return run("qpdf", source, "--update-from-json=" + out + ".json", out)


def quads(annotation):
    points = annotation.get("/QuadPoints") or []
    out = []
    for i in range(0, len(points) - 7, 8):
        xs, ys = points[i:i + 8:2], points[i + 1:i + 8:2]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def under(box, rects):
    """Whether the word's centre lies inside one of the rectangles."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in rects)


def core(word):
    return re.sub(r"^\W+|\W+$", "", word)


def warnings(command):
    """The warning lines a reader prints (MuPDF's note about ICC aside)."""
    return [l for l in (command.stderr or "").splitlines() if l.strip() and "ICC support" not in l]


def check_removed_exactly(check, label, original, output, applied, kept_rects=(), words_under=True):
    """Words of `original` under `applied` rectangles (by page) are gone from
    `output` (pdftotext and mutool); every other word is still there."""
    words = bbox_words(original)
    gone = [(p, w) for p, w, box in words if under(box, applied.get(p, []))]
    stays = collections.Counter(w for p, w, box in words if not under(box, applied.get(p, [])))
    for reader, read in (("pdftotext", words_pdftotext), ("mutool", words_mutool)):
        out = collections.Counter(read(output))
        # Read by the same reader from the original: words it splits otherwise.
        before = collections.Counter(read(original))
        missing = (stays & before) - out
        check(f"{label}: every word outside the marks is still there ({reader})", not missing,
              f"missing {sorted(missing.elements())[:10]}")
        # A word under a mark may be there only as often as it is outside the marks.
        outside = collections.Counter(core(w) for w in stays.elements())
        found = collections.Counter(core(w) for w in out.elements())
        left = sorted({w for p, w in gone if core(w) and found[core(w)] > outside[core(w)]})
        if words_under:
            check(f"{label}: the words under the marks are gone ({reader})", gone and not left, f"still there: {left[:10]}")
    for p, rect in kept_rects:
        kept = [w for q, w, box in words if q == p and under(box, [rect])]
        out = collections.Counter(words_pdftotext(output))
        check(f"{label}: the words a reviewer left ({' '.join(kept)}) are still there",
              kept and all(out[w] > 0 for w in kept))


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    redact = args.redact
    original = os.path.join(args.fixtures, "pdf", FIXTURE)
    with tempfile.TemporaryDirectory() as tmp:
        # 1. mark
        marked_dir = os.path.join(tmp, "marked")
        result = run(redact, "mark", original, "-o", marked_dir, "--progress", "none")
        check("mark exits 0", result.returncode == 0, result.stdout + result.stderr)
        marked = os.path.join(marked_dir, FIXTURE)
        check("mark keeps every word (pdftotext)", words_pdftotext(marked) == words_pdftotext(original))
        check("mark keeps every word (mutool)", words_mutool(marked) == words_mutool(original))
        qpdf = run("qpdf", "--check", marked)
        check("qpdf --check passes the marked copy without a warning", qpdf.returncode == 0 and "WARNING" not in qpdf.stdout + qpdf.stderr,
              qpdf.stdout[-300:] + qpdf.stderr[-300:])
        for name, command in (("pdftotext", ["pdftotext", "{}", "/dev/null"]),
                              ("mutool", ["mutool", "draw", "-q", "-o", "/dev/null", "{}"])):
            before = warnings(run(*[original if a == "{}" else a for a in command]))
            after = warnings(run(*[marked if a == "{}" else a for a in command]))
            check(f"{name} reads the marked copy without a new warning", set(after) <= set(before), str(after[:3]))
        annotations = redact_annotations(marked)
        proposals = [(p, key, a) for p, key, a in annotations if a.get("/NM", "").startswith("u:redact-proposal-")]
        check("mark writes proposals as /Redact annotations", len(proposals) >= 5 and len(proposals) == len(annotations),
              str(len(annotations)))
        check("each proposal has its label, its reason and its quads",
              all(a.get("/OverlayText", "").startswith("u:s.") and a.get("/Contents", "").startswith("u:Proposed by redact")
                  and quads(a) for p, key, a in proposals))
        log = [json.loads(line) for line in open(os.path.join(marked_dir, "audit.jsonl"))]
        names = {r["proposal"] for r in log if r["type"] == "proposal" and r["decision"] == "proposed"}
        check("the mark log records every proposal", names == {a["/NM"][2:] for p, k, a in proposals}, str(len(names)))
        check("the mark log says the document was marked",
              [r["status"] for r in log if r["type"] == "document"] == ["marked"])
        check("the mark log holds no redaction", not [r for r in log if r["type"] == "redaction"])

        # The page with the most proposals is the one the reviewer edits.
        busiest = collections.Counter(p for p, k, a in proposals).most_common(1)[0][0]
        # The proposals are drawn on every page: red on each quad's edge, the
        # text inside still dark.
        dpi = 100
        page_height = float(re.search(r"Page size:\s+[\d.]+ x ([\d.]+)", run("pdfinfo", marked).stdout).group(1))
        drawn = dark = 0
        for number in sorted({p for p, k, a in proposals}):
            stem = os.path.join(tmp, f"page{number}")
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", marked, stem],
                           check=True)
            with open(stem + ".ppm", "rb") as f:
                width, height, pixels = read_ppm(f.read())

            def pixel(x, y):
                px, py = int(x * dpi / 72), int((page_height - y) * dpi / 72)
                i = 3 * (py * width + px)
                return pixels[i:i + 3]

            for a in [a for p, k, a in proposals if p == number]:
                x0, y0, x1, y1 = quads(a)[0]
                ys = [y0 + (y1 - y0) * t / 10 for t in range(1, 10)]
                if any(r > 150 and g < 100 and b < 100 for r, g, b in (pixel(x0, y) for y in ys)):
                    drawn += 1
                inside = [pixel(x0 + (x1 - x0) * s / 20, y0 + (y1 - y0) * t / 10) for s in range(2, 19) for t in range(2, 9)]
                if any(max(p) < 110 for p in inside):
                    dark += 1
        check("pdftoppm draws every proposal in red", drawn == len(proposals), f"{drawn}/{len(proposals)}")
        check("the text under each proposal still shows", dark == len(proposals), f"{dark}/{len(proposals)}")

        # 2. A reviewer's edits, as a viewer writes them.
        pages, objs = objects(marked)
        words = bbox_words(marked)
        page1 = [(k, a) for p, k, a in proposals if p == busiest]
        deleted_key, deleted = page1[0]
        moved_key, moved = page1[1]
        taken = [q for p, k, a in proposals if p == busiest for q in quads(a)]
        free = [(w, box) for p, w, box in words if p == busiest and not under(box, taken) and len(core(w)) >= 5]
        target_move, target_add = free[3], free[8]

        def annotation_box(box):
            x0, y0, x1, y1 = box
            return [x0, y0, x1, y1], [x0, y1, x1, y1, x0, y0, x1, y0]

        page_key = "obj:" + pages[busiest - 1]["object"]
        page = objs[page_key]["value"]
        page["/Annots"] = [r for r in page["/Annots"] if "obj:" + r != deleted_key]
        moved_value = objs[moved_key]["value"]
        moved_value["/Rect"], moved_value["/QuadPoints"] = annotation_box(target_move[1])
        moved_value["/M"] = "u:D:20261202101500Z"
        # A third proposal keeps its place and gets a new label: changed,
        # recorded under what the new label names.
        relabelled_key, relabelled = page1[2]
        relabelled_value = objs[relabelled_key]["value"]
        relabelled_value["/OverlayText"] = "u:s.43(2)"
        new_number = max(int(k.split(":")[1].split()[0]) for k in objs if k.startswith("obj:")) + 1
        rect, points = annotation_box(target_add[1])
        added = {"/Type": "/Annot", "/Subtype": "/Redact", "/Rect": rect, "/QuadPoints": points, "/T": "u:A. Reviewer",
                 "/M": "u:D:20261202101800Z", "/NM": "u:3f2c9a1e-reviewer", "/OverlayText": "u:s.40(2)", "/IC": [0, 0, 0],
                 "/P": pages[busiest - 1]["object"]}
        page["/Annots"].append(f"{new_number} 0 R")
        reviewed = os.path.join(tmp, "reviewed.pdf")
        edit = qpdf_update(marked, {page_key: {"value": page}, moved_key: {"value": moved_value},
                                    relabelled_key: {"value": relabelled_value},
                                    f"obj:{new_number} 0 R": {"value": added}}, new_number, reviewed)
        check("qpdf writes the reviewed file", edit.returncode == 0, edit.stderr)

        # 3. apply
        out_dir = os.path.join(tmp, "out")
        result = run(redact, "apply", reviewed, "-o", out_dir, "--progress", "none")
        check("apply exits 0", result.returncode == 0, result.stdout + result.stderr)
        output = os.path.join(out_dir, "reviewed.pdf")
        if os.path.exists(output):
            applied = collections.defaultdict(list)
            for p, k, a in redact_annotations(reviewed):
                applied[p].extend(quads(a))
            check_removed_exactly(check, "reviewed file", original, output, applied,
                                  kept_rects=[(busiest, q) for q in quads(deleted) + quads(moved)])
            check("no /Redact annotation is left", not redact_annotations(output))
            # `check` knows nothing of the review: what it finds must be the
            # text the reviewer left, where they left it, and nothing else.
            verdict = run(redact, "check", output, "--format", "json")
            findings = [f for f in json.loads(verdict.stdout)[0]["findings"] if f["severity"] != "info"] \
                if verdict.stdout.startswith("[") else None
            left = quads(deleted) + quads(moved)
            check("redact check finds only the text the reviewer left",
                  findings is not None and findings and all(
                      f["kind"] == "text" and any(abs(f["box"][0] - q[0]) < 1 and abs((f["box"][1] + f["box"][3]) / 2 - (page_height - (q[1] + q[3]) / 2)) < 2
                                                  for q in left) for f in findings), verdict.stdout[-800:])
            log = [json.loads(line) for line in open(os.path.join(out_dir, "audit.jsonl"))]
            redactions = [r for r in log if r["type"] == "redaction"]
            decisions = collections.Counter(r.get("decision") for r in redactions)
            check("every region applied has a decision", None not in decisions, str(decisions))
            check("the moved proposal is recorded as changed, by name",
                  moved["/NM"][2:] in [r["proposal"] for r in redactions if r.get("decision") == "changed"])
            relabels = [r for r in redactions if r.get("proposal") == relabelled["/NM"][2:]]
            check("the relabelled proposal is recorded as changed, under its new label's exemption",
                  relabels and all(r["decision"] == "changed" and r["exemptions"] == ["s43(2)"] and "author" not in r
                                   for r in relabels), str(relabels))
            adds = [r for r in redactions if r.get("decision") == "added"]
            check("the reviewer's mark is recorded as added, with author, date and exemption",
                  len(adds) == 1 and adds[0]["author"] == "A. Reviewer" and adds[0]["date"] == "D:20261202101800Z"
                  and adds[0]["rule"] == "reviewer" and adds[0]["exemptions"] == ["s40(2)"], str(adds))
            declined = [r for r in log if r["type"] == "proposal"]
            check("the deleted proposal is recorded as declined",
                  [(r["decision"], r["proposal"]) for r in declined] == [("declined", deleted["/NM"][2:])] * len(quads(deleted)),
                  str(declined))
            check("the kept proposals are recorded as kept", decisions["kept"] >= len(proposals) - 3, str(decisions))
            check("no record holds the withheld text", core(target_add[0]) not in json.dumps(log))
            verify = run(redact, "audit", "verify", os.path.join(out_dir, "audit.jsonl"))
            check("the apply log verifies", verify.returncode == 0, verify.stdout + verify.stderr)
            schedule = run(redact, "audit", "schedule", os.path.join(out_dir, "audit.jsonl"), "--format", "csv").stdout
            check("the schedule says what the reviewer decided",
                  "kept by a reviewer" in schedule and "changed by a reviewer" in schedule
                  and "a reviewer's mark (A. Reviewer)" in schedule, schedule[:300])

        # 4. Marks made by MuPDF, applied alone.
        words = [(w, box) for p, w, box in bbox_words(original) if p == 1 and len(core(w)) >= 4]
        targets = [words[2], words[12]]
        script = os.path.join(tmp, "mark.js")
        with open(script, "w") as f:
            f.write("var doc = new PDFDocument(scriptArgs[0]);\nvar page = doc.loadPage(0);\n")
            height = float(re.search(r"Page size:\s+[\d.]+ x ([\d.]+)", run("pdfinfo", original).stdout).group(1))
            for w, (x0, y0, x1, y1) in targets:
                # MuPDF's page space: y down from the top.
                top, bottom = height - y1, height - y0
                f.write(f"var a = page.createAnnotation('Redact');\na.setRect([{x0}, {top}, {x1}, {bottom}]);\n"
                        f"a.setQuadPoints([[{x0}, {top}, {x1}, {top}, {x0}, {bottom}, {x1}, {bottom}]]);\n"
                        f"a.setAuthor('MuPDF reviewer');\na.update();\n")
            f.write("doc.save(scriptArgs[1], '');\n")
        by_mupdf = os.path.join(tmp, "by-mupdf.pdf")
        made = run("mutool", "run", script, original, by_mupdf)
        check("mutool makes /Redact annotations", made.returncode == 0 and len(redact_annotations(by_mupdf)) == 2, made.stderr)
        out_dir = os.path.join(tmp, "out-mupdf")
        result = run(redact, "apply", by_mupdf, "-o", out_dir, "--no-patterns", "--progress", "none")
        check("apply --no-patterns applies MuPDF's marks", result.returncode == 0, result.stdout + result.stderr)
        output = os.path.join(out_dir, "by-mupdf.pdf")
        if os.path.exists(output):
            applied = {1: [q for p, k, a in redact_annotations(by_mupdf) for q in quads(a)]}
            check_removed_exactly(check, "MuPDF's marks", original, output, applied)
            log = [json.loads(line) for line in open(os.path.join(out_dir, "audit.jsonl"))]
            adds = [r for r in log if r["type"] == "redaction"]
            check("MuPDF's marks are recorded as added by their author",
                  len(adds) == 2 and all(r["decision"] == "added" and r["author"] == "MuPDF reviewer" for r in adds))

        # 5. A mark that marks nothing that can be told: held, by name.
        pages, objs = objects(original)
        page_key = "obj:" + pages[0]["object"]
        page = objs[page_key]["value"]
        number = max(int(k.split(":")[1].split()[0]) for k in objs if k.startswith("obj:")) + 1
        page.setdefault("/Annots", []).append(f"{number} 0 R")
        broken = os.path.join(tmp, "broken-mark.pdf")
        qpdf_update(original, {page_key: {"value": page},
                               f"obj:{number} 0 R": {"value": {"/Type": "/Annot", "/Subtype": "/Redact",
                                                               "/QuadPoints": [1, 2, 3]}}}, number, broken)
        result = run(redact, "apply", broken, "-o", os.path.join(tmp, "out-broken"), "--no-patterns", "--progress", "none")
        check("a mark with no area holds the document, naming it",
              result.returncode == 1 and "/Redact annotation" in result.stdout and "not quads of four points" in result.stdout
              and not os.path.exists(os.path.join(tmp, "out-broken", "broken-mark.pdf")), result.stdout)
        # 7. A mark over an image: the image's own pixels under it go black
        # (pdfimages reads them out of the output), the words elsewhere stay.
        scan = os.path.join(args.fixtures, "pdf", "ocr-scan.pdf")
        script = os.path.join(tmp, "image.js")
        with open(script, "w") as f:
            f.write("var doc = new PDFDocument(scriptArgs[0]);\nvar page = doc.loadPage(0);\n"
                    "var a = page.createAnnotation('Redact');\na.setRect([300, 400, 400, 450]);\na.update();\n"
                    "doc.save(scriptArgs[1], '');\n")
        over_image = os.path.join(tmp, "over-image.pdf")
        made = run("mutool", "run", script, scan, over_image)
        result = run(redact, "apply", over_image, "-o", os.path.join(tmp, "out-image"), "--no-patterns", "--progress", "none")
        output = os.path.join(tmp, "out-image", "over-image.pdf")
        check("a mark over an image is applied", made.returncode == 0 and result.returncode == 0, made.stderr + result.stdout)
        def under_mark(pdf, stem):
            """The image's own pixels under the mark: black or not, read by pdfimages."""
            subprocess.run(["pdfimages", pdf, os.path.join(tmp, stem)], check=True)
            name = sorted(f for f in os.listdir(tmp) if f.startswith(stem + "-"))[0]
            with open(os.path.join(tmp, name), "rb") as f:
                data = f.read()
            kind, width, height = data[:2], *map(int, data.split(maxsplit=3)[1:3])
            body = data[-((width + 7) // 8) * height:] if kind == b"P4" else data[-width * height:]

            def black(x, y):
                if kind == b"P4":
                    return body[y * ((width + 7) // 8) + x // 8] >> (7 - x % 8) & 1 == 1
                return body[y * width + x] < 40

            scale = width / 595.0  # the scan covers the whole A4 page
            return [black(x, y) for x in range(int(300 * scale) + 3, int(400 * scale) - 3, 5)
                    for y in range(int(400 * scale) + 3, int(450 * scale) - 3, 5)]

        if os.path.exists(output):
            before, after = under_mark(scan, "before"), under_mark(output, "after")
            check("the image's pixels under the mark are black in the image itself",
                  not all(before) and after and all(after), f"before {sum(before)}/{len(before)}, after {sum(after)}/{len(after)}")
            check_removed_exactly(check, "a mark over an image", scan, output, {1: [(300, 842 - 450, 400, 842 - 400)]},
                                  words_under=False)

        # 8. An annotation under a mark loses its own text too (a viewer's
        # comments panel shows /Contents); a hidden mark is nobody's
        # decision; a file that carries marks is not marked again.
        script = os.path.join(tmp, "freetext.js")
        with open(script, "w") as f:
            f.write("var doc = new PDFDocument(scriptArgs[0]);\nvar page = doc.loadPage(0);\n"
                    "var t = page.createAnnotation('FreeText');\nt.setRect([330, 700, 530, 730]);\n"
                    "t.setContents('Freetextsecret note');\nt.update();\n"
                    "var a = page.createAnnotation('Redact');\na.setRect([325, 695, 535, 735]);\na.update();\n"
                    "doc.save(scriptArgs[1], '');\n")
        freetext = os.path.join(tmp, "freetext.pdf")
        made = run("mutool", "run", script, original, freetext)
        result = run(redact, "apply", freetext, "-o", os.path.join(tmp, "out-freetext"), "--no-patterns", "--progress", "none")
        output = os.path.join(tmp, "out-freetext", "freetext.pdf")
        check("a mark over a FreeText annotation is applied", made.returncode == 0 and result.returncode == 0,
              made.stderr + result.stdout)
        if os.path.exists(output):
            raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", output, "-"], capture_output=True).stdout
            check("the annotation's own text is gone from the file (qpdf)", raw and b"Freetextsecret" not in raw)
            log = [json.loads(line) for line in open(os.path.join(tmp, "out-freetext", "audit.jsonl"))]
            check("the blanked text is on the record",
                  any(r["type"] == "string" and r["key"] == "Contents" and r["action"] == "blanked" for r in log))
        pages, objs = objects(by_mupdf)
        first = redact_annotations(by_mupdf)[0][1]
        hidden_value = objs[first]["value"]
        hidden_value["/F"] = 2
        hidden = os.path.join(tmp, "hidden-mark.pdf")
        qpdf_update(by_mupdf, {first: {"value": hidden_value}}, len(objs), hidden)
        result = run(redact, "apply", hidden, "-o", os.path.join(tmp, "out-hidden"), "--no-patterns", "--progress", "none")
        check("a hidden mark holds the document", result.returncode == 1 and "Hidden or NoView" in result.stdout, result.stdout)
        result = run(redact, "mark", by_mupdf, "-o", os.path.join(tmp, "marked-again"), "--progress", "none")
        check("a file that carries /Redact annotations is not marked",
              result.returncode == 1 and "already carries /Redact annotations" in result.stdout, result.stdout)

        # 6. A list of proposals is read from the file: a forged one whose
        # "declined" proposal covers the whole page excuses no leak.
        pages, objs = objects(original)
        root = next(k for k, v in objs.items() if isinstance(v.get("value"), dict) and v["value"].get("/Type") == "/Catalog")
        catalog = objs[root]["value"]
        width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", original).stdout).groups())
        whole = [0, 0, width, 0, 0, height, width, height]
        forged = {"version": 1, "patterns_sha256": "", "proposals": [
            {"name": "redact-proposal-1", "page": p, "quads": [whole], "label": "", "category": "country",
             "pattern": "country.iso3166", "rule": "pattern", "exemptions": [], "chars": 1} for p in range(1, len(pages) + 1)]}
        catalog["/RedactProposals"] = "u:" + json.dumps(forged)
        forged_pdf = os.path.join(tmp, "forged.pdf")
        made = qpdf_update(original, {root: {"value": catalog}}, len(objs), forged_pdf)
        result = run(redact, "apply", forged_pdf, "-o", os.path.join(tmp, "out-forged"), "--progress", "none")
        check("a forged list of proposals excuses no leak: held",
              made.returncode == 0 and result.returncode == 1 and "leak text" in result.stdout
              and not os.path.exists(os.path.join(tmp, "out-forged", "forged.pdf")), made.stderr + result.stdout[-400:])
        # Under the team's key, only the list mark wrote with it is trusted.
        key = os.path.join(tmp, "team.key")
        with open(key, "wb") as f:
            f.write(os.urandom(32))
        result = run(redact, "apply", forged_pdf, "-o", os.path.join(tmp, "out-forged-key"), "--audit-key", key,
                     "--no-patterns", "--progress", "none")
        check("under --audit-key, a list mark did not sign holds the document",
              result.returncode == 1 and "does not carry its HMAC" in result.stdout, result.stdout[-300:])
        run(redact, "mark", original, "-o", os.path.join(tmp, "marked-key"), "--audit-key", key, "--progress", "none")
        result = run(redact, "apply", os.path.join(tmp, "marked-key", FIXTURE), "-o", os.path.join(tmp, "out-key"),
                     "--audit-key", key, "--progress", "none")
        check("under --audit-key, the list mark signed is applied", result.returncode == 0, result.stdout[-300:])
        # 10. What viewers do to a marked copy. One drops the list of
        # proposals: held, said. One drops every /NM: proposals are known by
        # their place. A save cut short: the revision the viewer shows, or
        # held when no reader can show the reviewer's.
        pages, objs = objects(marked)
        root = next(k for k, v in objs.items() if isinstance(v.get("value"), dict) and v["value"].get("/Type") == "/Catalog")
        no_list = dict(objs[root]["value"])
        no_list.pop("/RedactProposals", None)
        no_names = {k: dict(v["value"]) for p, k, v in [(p, k, {"value": a}) for p, k, a in redact_annotations(marked)]}
        for value in no_names.values():
            value.pop("/NM", None)
        for label, changes in (("dropped-list", {root: {"value": no_list}}),
                               ("dropped-names", {k: {"value": v} for k, v in no_names.items()})):
            qpdf_update(marked, changes, len(objs), os.path.join(tmp, label + ".pdf"))
        result = run(redact, "apply", os.path.join(tmp, "dropped-list.pdf"), "-o", os.path.join(tmp, "out-dl"), "--progress", "none")
        check("a marked copy whose list of proposals a viewer dropped is held, saying so",
              result.returncode == 1 and "no longer holds the list of proposals" in result.stdout, result.stdout[-300:])
        result = run(redact, "apply", os.path.join(tmp, "dropped-names.pdf"), "-o", os.path.join(tmp, "out-dn"), "--progress", "none")
        log = [json.loads(line) for line in open(os.path.join(tmp, "out-dn", "audit.jsonl"))] if result.returncode == 0 else []
        check("proposals whose names a viewer dropped are known by their place: kept, none declined",
              log and all(r.get("decision") == "kept" for r in log if r["type"] == "redaction")
              and not [r for r in log if r["type"] == "proposal"], result.stdout[-300:])
        script = os.path.join(tmp, "incremental.js")
        with open(script, "w") as f:
            f.write("var doc = new PDFDocument(scriptArgs[0]);\nvar page = doc.loadPage(0);\n"
                    "var marks = page.getAnnotations();\npage.deleteAnnotation(marks[0]);\n"
                    "doc.save(scriptArgs[1], 'incremental');\n")
        incremental = os.path.join(tmp, "incremental.pdf")
        shutil.copy(marked, incremental)
        made = run("mutool", "run", script, incremental, incremental)
        with open(incremental, "rb") as f:
            saved = f.read()
        first_page_marks = len([1 for p, k, a in proposals if p == 1])
        for label, data in (("cut-eof", saved[:saved.rstrip().rfind(b"%%EOF")]),
                            ("cut-xref", saved[:saved.rfind(b"xref", 0, saved.rfind(b"startxref"))])):
            path = os.path.join(tmp, label + ".pdf")
            with open(path, "wb") as f:
                f.write(data)
            result = run(redact, "apply", path, "-o", os.path.join(tmp, "out-" + label), "--no-patterns", "--progress", "none")
            log_path = os.path.join(tmp, "out-" + label, "audit.jsonl")
            declined = [r for r in map(json.loads, open(log_path)) if r["type"] == "proposal"] if os.path.exists(log_path) else []
            if label == "cut-eof":
                check("a save cut before its %%EOF is read at the reviewer's revision (as qpdf and MuPDF read it)",
                      made.returncode == 0 and first_page_marks > 0 and result.returncode == 0 and len(declined) >= 1
                      and "repaired by libqpdf" in result.stdout, result.stdout[-300:])
            else:
                check("a save whose cross-reference section is lost is held: every reader shows the revision before it",
                      result.returncode == 1 and "objects follow the last %%EOF" in result.stdout, result.stdout[-300:])

        # 9. A marked copy of another project's file that poppler once read
        # with a warning (a table that skipped the numbers of objects dropped).
        if args.corpus:
            peer = os.path.join(args.corpus, "peer", "cpu__annotations__HighlightAnnotation.pdf")
            if os.path.exists(peer):
                result = run(redact, "mark", peer, "-o", os.path.join(tmp, "peer"), "--no-patterns", "--term", "This is",
                             "--term-exemption", "s40(2)", "--progress", "none")
                copy = os.path.join(tmp, "peer", os.path.basename(peer))
                check("a peer file's marked copy reads without a warning (pdftotext)",
                      result.returncode == 0 and not warnings(run("pdftotext", copy, "/dev/null")), result.stdout[-300:])
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
