#!/usr/bin/env python3
"""`redact audit verify` on logs written here with Python's hashlib, so the
chain format is checked by code we did not write: a fresh log verifies (exit
0, with its head), a copy with one altered line fails (exit 1) naming the
line where the chain breaks, an unreadable log is exit 3."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser


def write_log(path, records):
    prev = "0" * 64
    lines = []
    for record in records:
        record = dict(record, prev=prev)
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        lines.append(line)
        prev = hashlib.sha256(line.encode()).hexdigest()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return lines, prev


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "audit.jsonl")
        lines, head = write_log(log, [
            {"type": "run", "version": "test"},
            {"type": "redaction", "document": "a.pdf", "page": 2, "box": [1, 2, 3, 4], "category": "country"},
            {"type": "redaction", "document": "a.pdf", "page": 3, "box": [5, 6, 7, 8], "category": "cost"},
            {"type": "document", "document": "a.pdf", "status": "redacted"},
        ])
        r = subprocess.run([args.redact, "audit", "verify", log], capture_output=True, text=True)
        check("fresh log", r.returncode == 0 and head in r.stdout, r.stdout.strip())

        lines[1] = lines[1].replace('"page":2', '"page":9')
        with open(log, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        r = subprocess.run([args.redact, "audit", "verify", log], capture_output=True, text=True)
        check("altered line", r.returncode == 1 and f"{log}:3:" in r.stdout and "line 2" in r.stdout, r.stdout.strip())

        r = subprocess.run([args.redact, "audit", "verify", os.path.join(tmp, "missing.jsonl")], capture_output=True,
                           text=True)
        check("missing log", r.returncode == 3, r.stderr.strip())
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
