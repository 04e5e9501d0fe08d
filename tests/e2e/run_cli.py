#!/usr/bin/env python3
"""`redact run` end to end, judged by tools we did not write.

A batch of every fixture plus an encrypted and a truncated copy:
- each document gets the right status, and the batch finishes (exit 3: some
  failed); the scan is held for review; text inside the form XObject that
  two pages share is removed from a copy for each use;
- in every redacted output, neither pdftotext nor mutool finds any entity
  that `redact scan` found in the input, while at least 99% of the other
  words are still there;
- qpdf's uncompressed dump of the file holds no ASCII entity in clear;
- rendered with pdftoppm, the page outside the boxes is unchanged and the
  boxes are dark;
- the audit log verifies, and a copy with one altered line does not.
"""
import collections
import hashlib
import hmac
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata

from pdf_inputs import Checks, argument_parser, compare_rendering

DPI = 50


def words(text):
    return collections.Counter(unicodedata.normalize("NFKC", text).replace("\u2019", "'").split())


def text_of(command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        inputs = os.path.join(tmp, "in")
        shutil.copytree(os.path.join(args.fixtures, "pdf"), inputs)
        source = os.path.join(inputs, "podofo-standard14.pdf")
        subprocess.run(["qpdf", "--encrypt", "u", "o", "256", "--", source, os.path.join(inputs, "encrypted.pdf")],
                       check=True)
        with open(source, "rb") as f:
            data = f.read()
        with open(os.path.join(inputs, "truncated.pdf"), "wb") as f:
            f.write(data[: len(data) // 3])
        before = {n: hashlib.sha256(open(os.path.join(inputs, n), "rb").read()).hexdigest() for n in os.listdir(inputs)}

        out = os.path.join(tmp, "out")
        result = subprocess.run([args.redact, "run", inputs, "-o", out], capture_output=True, text=True)
        print(result.stdout)
        check("batch exit 3 (some failed)", result.returncode == 3, result.stderr.strip())
        after = {n: hashlib.sha256(open(os.path.join(inputs, n), "rb").read()).hexdigest() for n in os.listdir(inputs)}
        check("inputs untouched", before == after)

        log = os.path.join(out, "audit.jsonl")
        records = [json.loads(line) for line in open(log, encoding="utf-8")]
        status = {os.path.basename(r["document"]): r for r in records if r["type"] == "document"}
        expected = {"scan-page.pdf": "needs_review", "encrypted.pdf": "failed", "truncated.pdf": "failed"}
        for name in sorted(os.listdir(inputs)):
            want = expected.get(name, "redacted")
            got = status.get(name, {}).get("status")
            check(f"status of {name}", got == want, f"{got} ({status.get(name, {}).get('reason')})")
            written = os.path.exists(os.path.join(out, name))
            check(f"{name}: output {'written' if want == 'redacted' else 'absent'}", written == (want == "redacted"))
        check("no temporary files left", not any(f.endswith(".redact-tmp") for f in os.listdir(out)))

        for name in sorted(n for n in os.listdir(inputs) if status.get(n, {}).get("status") == "redacted"):
            original, redacted = os.path.join(inputs, name), os.path.join(out, name)
            found = json.loads(subprocess.run([args.redact, "scan", "--format", "json", original],
                                              capture_output=True, text=True).stdout)
            occurrences = [" ".join(m["text"].split()) for m in found]
            entities = set(occurrences)
            poppler = " ".join(text_of(["pdftotext", "-enc", "UTF-8", redacted, "-"]).split())
            mupdf = " ".join(text_of(["mutool", "draw", "-q", "-F", "txt", "-o", "-", redacted]).split())
            leaked = [e for e in entities if unicodedata.normalize("NFKC", e) in unicodedata.normalize("NFKC", poppler)
                      or unicodedata.normalize("NFKC", e) in unicodedata.normalize("NFKC", mupdf)]
            # A short entity ("UK", "2 officers") may occur inside other text legitimately; all of these
            # were matched as whole words, so their whole-word presence is what counts.
            leaked = [e for e in leaked if f" {e} " in f" {poppler} " or f" {e} " in f" {mupdf} "]
            check(f"{name}: no entity left for pdftotext or mutool", not leaked, f"{leaked[:5]}")

            # The input's text with every entity cut out, against the output's text
            # without the box labels: every other word must still be there.
            remaining = unicodedata.normalize("NFKC", " ".join(text_of(["pdftotext", "-enc", "UTF-8", original, "-"]).split()))
            split = collections.Counter()  # entities poppler reads apart (a table cell's two lines)
            for e in sorted(occurrences, key=len, reverse=True):
                e = unicodedata.normalize("NFKC", e)
                if e in remaining:
                    remaining = remaining.replace(e, " ", 1)
                else:
                    split += words(e)
            unlabelled = re.sub(r"s\.\d+(\(\d+\))*(\([a-z]+\))*,?", " ", poppler)
            kept_before, kept_after = words(remaining) - split, words(unlabelled)
            share = sum((kept_before & kept_after).values()) / max(1, sum(kept_before.values()))
            check(f"{name}: other words kept", share >= 0.99, f"{share:.4f} {list((kept_before - kept_after).elements())[:8]}")

            qdf = os.path.join(tmp, name + ".qdf")
            subprocess.run(["qpdf", "--qdf", "--object-streams=disable", redacted, qdf], check=True)
            raw = open(qdf, "rb").read()
            in_clear = [e for e in entities if e.isascii() and len(e) > 3 and e.encode() in raw]
            check(f"{name}: raw objects hold no entity in clear", not in_clear, f"{in_clear[:5]}")

            boxes = collections.defaultdict(list)
            for r in records:
                if r["type"] == "redaction" and os.path.basename(r["document"]) == name:
                    boxes[r["page"]].append(r["box"])
            for page, page_boxes in sorted(boxes.items()):
                compared = compare_rendering(original, redacted, page, page_boxes, DPI, tmp)
                if not compared:
                    check(f"{name} p{page}: same size", False)
                    continue
                changed, outside, dark, inside = compared
                check(f"{name} p{page}: unchanged outside the boxes", changed <= 0.002 * outside,
                      f"({changed} of {outside} pixels)")
                check(f"{name} p{page}: dark inside the boxes", inside == 0 or dark >= 0.6 * inside,
                      f"({dark} of {inside} pixels)")

        # --dry-run writes nothing at all; --audit-key adds the HMAC of the withheld text.
        dry = os.path.join(tmp, "dry")
        r = subprocess.run([args.redact, "run", "--dry-run", inputs, "-o", dry], capture_output=True, text=True)
        check("dry run writes nothing", r.returncode == 3 and not os.path.exists(dry) and "dry run" in r.stdout,
              r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr)
        key = os.path.join(tmp, "key")
        with open(key, "wb") as f:
            f.write(b"reviewer secret")
        keyed = os.path.join(tmp, "keyed")
        subprocess.run([args.redact, "run", os.path.join(inputs, "podofo-standard14.pdf"), "-o", keyed, "--audit-key", key],
                       capture_output=True, check=True)
        keyed_records = [json.loads(line) for line in open(os.path.join(keyed, "audit.jsonl"), encoding="utf-8")]
        macs = [r.get("text_hmac") for r in keyed_records if r["type"] == "redaction"]
        # Under the key derived for texts (src/audit/audit_log.h).
        text_key = hmac.new(b"reviewer secret", b"redact audit text v1", hashlib.sha256).hexdigest().encode()
        expected_mac = hmac.new(text_key, "Republic of Korea".encode(), hashlib.sha256).hexdigest()
        check("every redaction has text_hmac", macs and all(macs))
        check("text_hmac is HMAC-SHA256 of the withheld text", expected_mac in macs)

        ok = subprocess.run([args.redact, "audit", "verify", log], capture_output=True, text=True)
        check("audit log verifies", ok.returncode == 0, ok.stdout.strip())
        lines = open(log, encoding="utf-8").read().splitlines()
        lines[2] = lines[2].replace('"page":', '"page":9', 1)
        altered = os.path.join(tmp, "altered.jsonl")
        with open(altered, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        bad = subprocess.run([args.redact, "audit", "verify", altered], capture_output=True, text=True)
        check("an altered audit log fails", bad.returncode == 1 and ":4:" in bad.stdout, bad.stdout.strip())
        check("the audit log holds no withheld text", '"text"' not in open(log, encoding="utf-8").read())
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
