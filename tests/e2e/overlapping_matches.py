#!/usr/bin/env python3
"""Overlapping matches are withheld whole, and their boxes cite every exemption.

groff's memo says "... deployed to the Republic of Korea to assist with the
security of a major sporting event, at a cost of £9,876.54. Two officers
attended a training conference in the United States of America; the
conference fee of $7,250.00 was paid by the host." Overlapping matches once
went to the longest alone, and the rest of the shorter one was published:
- a term the officer adds, "sporting event, at a cost of", runs past the end
  of the purpose clause the patterns match ("to assist ... event");
- a term "America; the conference fee" is longer than the country it
  overlaps: "United States of" was left (and the check of the output held
  the document for review).
Judged by pdftotext and mutool: both terms and the country are gone, the
words around them stay; the audit log's boxes cite the terms' exemption
with the clause's.
"""
import json
import os
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser

TERMS = ["sporting event, at a cost of", "America; the conference fee"]
TERM_EXEMPTION = "s43(2)"


def text_of(command):
    return " ".join(subprocess.run(command, capture_output=True, text=True, check=True).stdout.split())


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    source = os.path.join(args.fixtures, "pdf", "groff-memo.pdf")
    before = text_of(["pdftotext", "-enc", "UTF-8", source, "-"])
    check("the input says it once", before.count("at a cost of") == 1 and "major sporting event" in before)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        result = subprocess.run([args.redact, "run", source, "-o", out, "--term", TERMS[0], "--term", TERMS[1],
                                 "--term-exemption", TERM_EXEMPTION], capture_output=True, text=True)
        check("run exit 0", result.returncode == 0, (result.stdout + result.stderr).strip())
        if result.returncode != 0:
            return check.exit_status()
        redacted = os.path.join(out, "groff-memo.pdf")
        for tool, command in (("pdftotext", ["pdftotext", "-enc", "UTF-8", redacted, "-"]),
                              ("mutool", ["mutool", "draw", "-q", "-F", "txt", "-o", "-", redacted])):
            after = text_of(command)
            gone = [w for w in ("sporting", "event,", "at a cost of", "United", "States", "conference fee")
                    if w in after]
            check(f"{tool}: the whole of each match is gone", not gone, f"{gone}")
            kept = [w for w in ("investigation, at a total cost of", "attended a training conference in the",
                                "paid by the host.") if w not in after]
            check(f"{tool}: the words around it stay", not kept, f"{kept}")
        records = [json.loads(line) for line in open(os.path.join(out, "audit.jsonl"), encoding="utf-8")]
        cited = [r for r in records if r["type"] == "redaction" and TERM_EXEMPTION in r["exemptions"]]
        check("the terms' exemption is cited", len(cited) >= 2, f"{len(cited)} records")
        check("with the clause's", any(r["category"] == "deployment_reason" and "s24(1)" in r["exemptions"]
                                       for r in cited), f"{[(r['category'], r['exemptions']) for r in cited]}")
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
