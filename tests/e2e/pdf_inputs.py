"""The PDFs the end-to-end tests run over: our fixtures and the real corpus."""
import csv
import os
import sys


def text_pdfs(fixtures_dir, corpus_dir):
    """Every fixture PDF with a text layer, and every corpus PDF the manifest
    says has text. Missing directories are an error, never a silent skip."""
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
