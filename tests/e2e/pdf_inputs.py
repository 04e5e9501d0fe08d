"""What the end-to-end tests share: their command line, and the PDFs they run
over (our fixtures and the real corpus)."""
import argparse
import csv
import os
import sys


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
