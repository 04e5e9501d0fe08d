#!/usr/bin/env python3
"""`run` is the one-step path of `mark` + `apply`: applied with no edits, the
proposals of `mark` give the very bytes `run` writes.

For every fixture, every corpus PDF with the shipped patterns, and every peer
file with its phrases as terms: `run` writes an output exactly when `mark` +
`apply` does, and the two outputs are the same bytes (same objects, same
numbers, same boxes to the last digit). Enough of them lose text (audit status
`redacted`, counted) for the comparison to mean something: form fields,
annotations, images under boxes, letter-spaced words, pages whose /Annots is
an empty array.
"""
import json
import os
import subprocess
import tempfile

from pdf_inputs import Checks, argument_parser


def status(folder):
    with open(os.path.join(folder, "audit.jsonl"), encoding="utf-8") as f:
        return [r for r in map(json.loads, f) if r["type"] == "document"][0]["status"]


def compare(redact, source, matching, tmp, check):
    """Runs both paths on `source`; returns the status of `run`."""
    name = os.path.basename(source)
    run_dir, mark_dir, apply_dir = (os.path.join(tmp, d) for d in ("run", "mark", "apply"))
    subprocess.run([redact, "run", source, "-o", run_dir, *matching], capture_output=True)
    subprocess.run([redact, "mark", source, "-o", mark_dir, *matching], capture_output=True)
    marked = os.path.join(mark_dir, name)
    if os.path.exists(marked):
        subprocess.run([redact, "apply", marked, "-o", apply_dir, *matching], capture_output=True)
    ran, applied = os.path.join(run_dir, name), os.path.join(apply_dir, name)
    check(f"{name}: run writes it exactly when mark + apply does", os.path.exists(ran) == os.path.exists(applied),
          f"run {os.path.exists(ran)}, apply {os.path.exists(applied)}")
    if os.path.exists(ran) and os.path.exists(applied):
        with open(ran, "rb") as a, open(applied, "rb") as b:
            check(f"{name}: the same bytes", a.read() == b.read())
    return status(run_dir)


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    sources = []  # (path, matching flags)
    fixtures = os.path.join(args.fixtures, "pdf")
    sources += [(os.path.join(fixtures, n), []) for n in sorted(os.listdir(fixtures)) if n.endswith(".pdf")]
    peer = os.path.join(args.corpus, "peer")
    for folder in ("foi", "bad_redaction", "peer"):
        here = os.path.join(args.corpus, folder)
        sources += [(os.path.join(here, n), []) for n in sorted(os.listdir(here)) if n.lower().endswith(".pdf")]
    with open(os.path.join(peer, "phrases.json"), encoding="utf-8") as f:
        for name, phrases in sorted(json.load(f).items()):
            terms = [a for p in phrases for a in ("--term", p)]
            if terms:
                sources.append((os.path.join(peer, name), ["--no-patterns", "--term-exemption", "s40(2)", *terms]))

    redacted = 0
    for source, matching in sources:
        with tempfile.TemporaryDirectory() as tmp:
            redacted += compare(args.redact, source, matching, tmp, check) == "redacted"
    check(f"at least 20 of the {len(sources)} documents lose text", redacted >= 20, f"({redacted})")
    return check.exit_status()


if __name__ == "__main__":
    raise SystemExit(main())
