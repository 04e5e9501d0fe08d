#!/usr/bin/env python3
"""`redact audit report` in headless Chromium: the report of a run loads
from disk with nothing from the network; every document of the log appears
(held ones with their reasons), every redaction record appears as a
numbered box on its page and as a row of its document's table, every page
picture loads, and each box lies on the black box the output has there
(Chromium draws the picture, this script's own page reads its pixels). A
screenshot is kept as a test artefact."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser, page_objects, stream, write_pdf

# The test's own page: it loads the report in a frame and reads it, so that
# what is checked does not depend on anything the report says of itself.
PROBE = r"""<!DOCTYPE html><html><body>
<iframe id="f" src="report.html" style="width:1200px;height:900px"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('f').addEventListener('load', () => {
  const doc = document.getElementById('f').contentDocument;
  const out = {sections: {}, held: {}, images: 0, images_loaded: 0, light_boxes: [], scripts: doc.scripts.length};
  for (const h of doc.querySelectorAll('[data-status]')) out.held[h.dataset.document] = h.textContent;
  for (const section of doc.querySelectorAll('section.document')) {
    const d = {boxes: [], rows: []};
    for (const row of section.querySelectorAll('table.redactions tr[data-item]')) {
      d.rows.push([+row.dataset.item, +row.children[1].textContent]);
    }
    for (const fig of section.querySelectorAll('figure.page')) {
      const img = fig.querySelector('img');
      out.images++;
      if (!(img.complete && img.naturalWidth > 0)) continue;
      out.images_loaded++;
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      for (const box of fig.querySelectorAll('.box')) {
        d.boxes.push([+box.dataset.item, +fig.dataset.page, box.textContent]);
        const x = parseFloat(box.style.left) / 100 * canvas.width, y = parseFloat(box.style.top) / 100 * canvas.height;
        const w = Math.max(1, parseFloat(box.style.width) / 100 * canvas.width);
        const h = Math.max(1, parseFloat(box.style.height) / 100 * canvas.height);
        const data = ctx.getImageData(Math.floor(x), Math.floor(y), Math.ceil(w), Math.ceil(h)).data;
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
        const mean = sum / (data.length / 4);
        if (mean > 110) out.light_boxes.push([section.dataset.document, +box.dataset.item, Math.round(mean)]);
      }
    }
    out.sections[section.dataset.document] = d;
  }
  document.getElementById('result').textContent = JSON.stringify(out);
});
</script></body></html>
"""


def chromium(*argv):
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--virtual-time-budget=20000", *argv], capture_output=True, text=True, timeout=180)


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--artefacts", required=True, help="where the screenshot is kept")
    args = parser.parse_args()
    check = Checks()
    fixtures = os.path.join(args.fixtures, "pdf")
    os.makedirs(args.artefacts, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        inputs = [os.path.join(fixtures, name) for name in
                  ("libreoffice-letter.pdf", "podofo-rotated.pdf", "chromium-table.pdf", "scan-page.pdf")]
        subprocess.run([args.redact, "run", *inputs, "-o", out, "--progress", "none"], capture_output=True)
        log = os.path.join(out, "audit.jsonl")
        records = [json.loads(line) for line in open(log, encoding="utf-8")]
        documents = {r["document"]: r for r in records if r["type"] == "document"}
        boxes = {}
        for r in records:
            if r["type"] == "redaction":
                boxes.setdefault(r["document"], []).append(r)
        written = {d for d, r in documents.items() if r["status"] in ("redacted", "clean")}
        check("the run wrote three and held one", len(written) == 3 and len(documents) == 4, str(documents.keys()))

        report = os.path.join(tmp, "report.html")
        r = subprocess.run([args.redact, "audit", "report", log, "-o", report], capture_output=True, text=True)
        check("audit report writes the file", r.returncode == 0 and os.path.getsize(report) > 0, r.stderr[-300:])
        html = open(report, encoding="utf-8").read()
        sources = re.findall(r'\b(?:src|href)="([^"]*)"', html)
        check("everything is inside the file: no script, every source a data: URL",
              "<script" not in html.lower() and sources and all(s.startswith("data:image/jpeg;base64,") for s in sources),
              str([s[:40] for s in sources if not s.startswith("data:")])[:300])
        check("its Content-Security-Policy loads nothing from anywhere", "default-src 'none'" in html)

        with open(os.path.join(tmp, "probe.html"), "w", encoding="utf-8") as f:
            f.write(PROBE)
        r = chromium("--allow-file-access-from-files", "--dump-dom", "file://" + os.path.join(tmp, "probe.html"))
        found = re.search(r'<pre id="result">(.*?)</pre>', r.stdout, re.S)
        seen = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")) \
            if found and found.group(1) != "pending" else None
        check("Chromium loaded the report", seen is not None, (r.stdout[-300:] + r.stderr[-300:]))
        if seen:
            check("no script ran in the report", seen["scripts"] == 0)
            check("every published document has its section", set(seen["sections"]) == written, str(seen["sections"].keys()))
            held = {d for d in documents if d not in written}
            check("every held document is listed with its reason", set(seen["held"]) == held and
                  all(documents[d]["reason"] in seen["held"][d] for d in held), str(seen["held"])[:300])
            for document in sorted(written):
                section = seen["sections"].get(document, {"boxes": [], "rows": []})
                expected = sorted((i + 1, r["page"]) for i, r in enumerate(
                    sorted(boxes.get(document, []), key=lambda r: (r["page"], -r["box"][3], r["box"][0]))))
                check(f"{os.path.basename(document)}: a numbered box per redaction, on its page",
                      sorted((item, page) for item, page, _ in section["boxes"]) == expected,
                      f"{len(section['boxes'])} boxes, {len(expected)} records")
                check(f"{os.path.basename(document)}: a row per redaction",
                      sorted(tuple(row) for row in section["rows"]) == expected)
                labels = {item: label for item, _, label in section["boxes"]}
                ordered = sorted(boxes.get(document, []), key=lambda r: (r["page"], -r["box"][3], r["box"][0]))
                check(f"{os.path.basename(document)}: each box labelled with its exemptions, category and rule",
                      all(", ".join(r["exemptions"]) in labels.get(i + 1, "") and r["category"] in labels.get(i + 1, "")
                          and r["pattern"] in labels.get(i + 1, "") for i, r in enumerate(ordered)))
            check("every page picture loaded", seen["images"] > 0 and seen["images_loaded"] == seen["images"],
                  f"{seen['images_loaded']} of {seen['images']}")
            check("every box lies on the black box the output has there (rotated pages too)",
                  not seen["light_boxes"], str(seen["light_boxes"])[:300])

        screenshot = os.path.join(args.artefacts, "report.png")
        if os.path.exists(screenshot):
            os.remove(screenshot)
        chromium("--screenshot=" + screenshot, "--window-size=1200,2400", "file://" + report)
        check("a screenshot is kept as an artefact", os.path.exists(screenshot) and os.path.getsize(screenshot) > 10000,
              screenshot)
        shutil.copy(report, os.path.join(args.artefacts, "report.html"))

        # Hostile review: poppler drew a page filled with a pattern of 0.03 pt
        # cells for minutes, in the report's own process, with no limit. (The
        # pattern lies under no text, which check would draw to see whether it
        # shows, and, failing, hold the document.)
        slow = os.path.join(tmp, "slow")
        os.makedirs(slow)
        cell = b"0 0 0.015 0.015 re f"
        content = (b"q /Pattern cs /P1 scn 0 0 612 500 re f Q "
                   b"BT /F1 12 Tf 72 700 Td (Officers were sent to France.) Tj ET")
        pattern = stream(b"/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 0.03 0.03] "
                         b"/XStep 0.03 /YStep 0.03 /Resources << >>", cell)
        with open(os.path.join(slow, "pattern.pdf"), "wb") as f:
            f.write(write_pdf(page_objects(content, resources=b"/Font << /F1 5 0 R >> /Pattern << /P1 6 0 R >>",
                                           more=[(6, pattern)])))
        subprocess.run([args.redact, "run", os.path.join(slow, "pattern.pdf"), "-o", os.path.join(slow, "out"),
                        "--progress", "none"], capture_output=True)
        try:
            r = subprocess.run([args.redact, "audit", "report", os.path.join(slow, "out", "audit.jsonl"), "-o",
                                os.path.join(slow, "report.html"), "--timeout", "3"], capture_output=True, text=True,
                               timeout=60)
            check("a page poppler draws too slowly is named, not drawn, and the report is written",
                  r.returncode == 0 and "longer than 3 s" in r.stderr and os.path.exists(os.path.join(slow, "report.html")),
                  r.stdout + r.stderr)
        except subprocess.TimeoutExpired:
            check("a page poppler draws too slowly is named, not drawn, and the report is written", False, "hung")

        # An output that is a FIFO (a log names it; verify finds no file there).
        fifo_output = documents[sorted(written)[1]]["output"]
        os.remove(fifo_output)
        os.mkfifo(fifo_output)
        try:
            r = subprocess.run([args.redact, "audit", "report", log, "-o", os.path.join(tmp, "fifo.html")],
                               capture_output=True, text=True, timeout=60)
            check("an output that is a FIFO is not found, not read", r.returncode == 0 and "not found" in r.stderr,
                  r.stdout + r.stderr)
        except subprocess.TimeoutExpired:
            check("an output that is a FIFO is not found, not read", False, "hung")

        # An output changed after the run: no report drawn from it.
        output = documents[sorted(written)[0]]["output"]
        with open(output, "ab") as f:
            f.write(b"\n% changed\n")
        r = subprocess.run([args.redact, "audit", "report", log, "-o", os.path.join(tmp, "again.html")],
                           capture_output=True, text=True)
        check("no report from a log whose output changed", r.returncode == 1 and
              not os.path.exists(os.path.join(tmp, "again.html")), r.stdout + r.stderr)
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
