#!/usr/bin/env python3
"""`redact extract` on files it cannot read: the exit status (3), a message
that names the file and says what is wrong, and nothing on stdout. Also the
usage errors (exit 2), and the warning for a page that is only an image."""
import os
import shutil
import subprocess
import sys

from pdf_inputs import argument_parser
import tempfile


def run(redact, *args):
    return subprocess.run([redact, *args], capture_output=True, text=True)


def main():
    parser = argument_parser(__doc__)
    args = parser.parse_args()
    source = os.path.join(args.fixtures, "pdf", "podofo-standard14.pdf")
    failures = []

    def expect(label, result, status, fragment):
        ok = result.returncode == status and fragment in result.stderr and (status == 0 or result.stdout == "")
        print(f"{'ok  ' if ok else 'FAIL'} {label}: exit {result.returncode}, stderr {result.stderr.strip()!r}")
        if not ok:
            failures.append(label)

    with tempfile.TemporaryDirectory() as tmp:
        encrypted = os.path.join(tmp, "encrypted.pdf")
        subprocess.run(["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", source, encrypted],
                       check=True)
        expect("encrypted", run(args.redact, "extract", encrypted), 3, encrypted + ": is encrypted")

        truncated = os.path.join(tmp, "truncated.pdf")
        with open(source, "rb") as f:
            data = f.read()
        with open(truncated, "wb") as f:
            f.write(data[: len(data) // 3])
        expect("truncated", run(args.redact, "extract", truncated), 3, truncated + ": is damaged")

        missing = os.path.join(tmp, "missing.pdf")
        expect("missing", run(args.redact, "extract", missing), 3, missing + ": no such file")

        empty = os.path.join(tmp, "empty.pdf")
        open(empty, "wb").close()
        expect("empty", run(args.redact, "extract", empty), 3, empty + ":")

        copy = os.path.join(tmp, "ok.pdf")
        shutil.copy(source, copy)
        expect("bad format", run(args.redact, "extract", "--format", "xml", copy), 2, "--format")
        expect("no file", run(args.redact, "extract"), 2, "exactly one")
        expect("unknown command", run(args.redact, "frobnicate"), 2, "unknown command")
        expect("readable", run(args.redact, "extract", copy), 0, "")
        scan = os.path.join(args.fixtures, "pdf", "scan-page.pdf")
        expect("scan warns", run(args.redact, "extract", scan), 0, "page 1: page has images but no text layer")
        out = os.path.join(tmp, "out")
        for command in ("run", "mark", "apply"):
            expect(f"{command}: an empty input name", run(args.redact, command, "", "-o", out), 2, "an input is an empty name")
            expect(f"{command}: an empty output name", run(args.redact, command, copy, "-o", ""), 2, "(-o) is an empty name")
        expect("plan: no file", run(args.redact, "plan"), 2, "give at least one PDF")
        expect("plan: missing", run(args.redact, "plan", missing), 3, missing + ": failed: no such file")
        expect("plan: a scan is held", run(args.redact, "plan", scan), 1, "images but no text layer")
        expect("plan: a missing plan file", run(args.redact, "apply", "--plan", missing, copy, "-o", out), 2,
               missing + ": cannot read the plan")
        expect("mark takes no --marked-copy", run(args.redact, "mark", copy, "-o", out, "--marked-copy", tmp), 2,
               "--marked-copy")
    if failures:
        print(f"{len(failures)} case(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
