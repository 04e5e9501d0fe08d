#!/usr/bin/env python3
"""The audit log and its review commands, refereed by code we did not write:
Python's hashlib and hmac recompute every link and MAC, the `cryptography`
package (or the openssl command) checks the Ed25519 seal, and pdftotext says which page a phrase is on.

- `audit verify` accepts an untouched log, and rejects an edited, a reordered
  and a deleted record, a record of the wrong shape (even with its chain
  recomputed), a log rewritten with a recomputed SHA-256 chain when a key or
  a seal was used, and an output changed after the run;
- `audit confirm` says yes for the text a box hid and no for another;
- `audit summary` and `audit schedule` agree with the log's own records.
"""
import csv
import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser

try:  # the referee for Ed25519: Python's cryptography package, else the openssl command
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
except ImportError:
    Ed25519PrivateKey = None

KEY = b"a secret only the disclosure team holds"
PHRASE = "Ms Patel"  # on page 1 of libreoffice-letter.pdf (pdftotext says so below)


def read_lines(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8").splitlines()


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def dump(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def rechain(records, link):
    """The lines of `records` linked again, as someone editing the log would."""
    prev, lines = "0" * 64, []
    for record in records:
        line = dump(dict(record, prev=prev))
        lines.append(line)
        prev = link(line.encode())
    return lines


def sha_link(line):
    return hashlib.sha256(line).hexdigest()


def derived(purpose):
    return hmac.new(KEY, purpose, hashlib.sha256).hexdigest().encode()


def mac_of(record):
    """A line's "mac": HMAC under the derived key of the line without it."""
    unsigned = dump({k: v for k, v in record.items() if k != "mac"})
    return hmac.new(derived(b"redact audit record v1"), unsigned.encode(), hashlib.sha256).hexdigest()


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    redact = args.redact
    fixtures = os.path.join(args.fixtures, "pdf")

    def audit(*argv):
        return subprocess.run([redact, "audit", *argv], capture_output=True, text=True)

    with tempfile.TemporaryDirectory() as tmp:
        key_file = os.path.join(tmp, "audit.key")
        with open(key_file, "wb") as f:
            f.write(KEY)
        private_pem, public_pem = os.path.join(tmp, "seal.pem"), os.path.join(tmp, "seal.pub.pem")
        if Ed25519PrivateKey:
            private = Ed25519PrivateKey.generate()
            with open(private_pem, "wb") as f:
                f.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
            with open(public_pem, "wb") as f:
                f.write(private.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
        else:
            subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", private_pem], check=True)
            subprocess.run(["openssl", "pkey", "-in", private_pem, "-pubout", "-out", public_pem], check=True)

        def signature_verifies(signature_hex, message):
            if Ed25519PrivateKey:
                try:
                    private.public_key().verify(bytes.fromhex(signature_hex), message)
                    return True
                except Exception:  # noqa: BLE001 - any failure is a bad signature
                    return False
            with open(os.path.join(tmp, "message"), "wb") as f:
                f.write(message)
            with open(os.path.join(tmp, "signature"), "wb") as f:
                f.write(bytes.fromhex(signature_hex))
            return subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", public_pem, "-rawin",
                                   "-in", os.path.join(tmp, "message"), "-sigfile", os.path.join(tmp, "signature")],
                                  capture_output=True).returncode == 0

        letter = os.path.join(fixtures, "libreoffice-letter.pdf")
        page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", letter, "-"], capture_output=True, text=True).stdout
        check("the phrase is on page 1 by pdftotext", PHRASE in " ".join(page1.split()))

        out = os.path.join(tmp, "out")
        r = subprocess.run([redact, "run", letter, os.path.join(fixtures, "chromium-table.pdf"),
                            os.path.join(fixtures, "scan-page.pdf"), "-o", out, "--term", PHRASE,
                            "--term-exemption", "s40(2)", "--audit-key", key_file, "--audit-sign", private_pem,
                            "--progress", "none"], capture_output=True, text=True)
        log = os.path.join(out, "audit.jsonl")
        check("a keyed, sealed run (one held for review)", r.returncode == 1 and os.path.exists(log), r.stderr[-300:])
        lines = read_lines(log)
        records = [json.loads(l) for l in lines]

        # The format, by hand: every line is linked to the one before by its
        # SHA-256 and carries its own HMAC under the derived key; the seal
        # signs every byte before it.
        prev, linked, macs = "0" * 64, True, True
        for line, record in zip(lines, records):
            linked = linked and record["prev"] == prev and dump(record) == line
            macs = macs and record.get("mac") == mac_of(record)
            prev = sha_link(line.encode())
        check("every line is linked by the SHA-256 of the one before (hashlib)", linked)
        check("every line carries its HMAC-SHA256 under the derived key (Python's hmac)", macs)
        seal = records[-1]
        before = ("\n".join(lines[:-1]) + "\n").encode()
        sealed = seal.get("type") == "seal" and seal.get("log_sha256") == hashlib.sha256(before).hexdigest() and \
            signature_verifies(seal["signature"], b"redact audit seal v1\n" + seal["log_sha256"].encode())
        check("the seal is an Ed25519 signature of every byte before it (cryptography or openssl)", sealed, str(seal)[:200])
        check("no record holds the withheld phrase", PHRASE not in "\n".join(lines) and "Patel" not in "\n".join(lines))

        r = audit("verify", log, "--key", key_file, "--public-key", public_pem)
        check("the untouched log verifies with its key and seal", r.returncode == 0 and prev in r.stdout and
              "signature checked" in r.stdout and "MAC checked" in r.stdout and "2 outputs unchanged" in r.stdout,
              r.stdout + r.stderr)
        r = audit("verify", log, "--public-key", public_pem)
        check("... and with the public key alone", r.returncode == 0 and "MACs not checked" in r.stdout and
              prev in r.stdout, r.stdout)
        r = audit("verify", log)
        check("... but not with neither", r.returncode == 2 and "--key" in r.stderr, r.stderr)

        def rejected(label, edited, *extra, expect_line=None, expect=""):
            forged = os.path.join(tmp, "forged.jsonl")
            write_lines(forged, edited)
            r = audit("verify", forged, "--no-outputs", *extra)
            ok = r.returncode == 1 and expect in r.stdout
            if expect_line is not None:
                ok = ok and f"{forged}:{expect_line}:" in r.stdout
            check(label, ok, (r.stdout + r.stderr)[-300:])

        redaction_lines = [i for i, rec in enumerate(records) if rec["type"] == "redaction"]
        i, j = redaction_lines[0], redaction_lines[1]
        edited = list(lines)
        edited[i] = edited[i].replace('"page":', '"page":1', 1)
        rejected("an edited record", edited, "--key", key_file, expect_line=i + 1, expect="mac")
        swapped = list(lines)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        rejected("reordered records", swapped, "--key", key_file, expect_line=i + 1)
        rejected("a deleted record", lines[:i] + lines[i + 1:], "--key", key_file, expect_line=i + 1)
        rejected("a deleted record, under the seal", lines[:i] + lines[i + 1:], "--public-key", public_pem,
                 expect_line=i + 1, expect="prev")

        # Rewritten whole by someone without the key: a SHA-256 chain and
        # no MACs, or the old MACs kept.
        forged = [dict(rec, chain="sha256") if rec["type"] == "run" else rec for rec in records if rec["type"] != "seal"]
        forged = [{k: v for k, v in rec.items() if k not in ("prev", "mac")} for rec in forged]
        for rec in forged:
            if rec["type"] == "redaction":
                rec["exemptions"] = ["s23(1)"]
        rejected("a log rewritten with a SHA-256 chain fails under the key", rechain(forged, sha_link), "--key", key_file,
                 expect_line=1, expect="not written under a key")
        kept_macs = [{k: v for k, v in rec.items() if k != "prev"} for rec in records]
        kept_macs[i]["exemptions"] = ["s23(1)"]
        rejected("... and keeping the old MACs", rechain(kept_macs, sha_link), "--key", key_file, expect_line=i + 1,
                 expect="mac")
        last = dict(records[-2])  # the last document record, before the seal
        last.update(status="needs_review", output=None, output_sha256=None, output_size=None, reason="forged")
        rejected("the last record edited, seal dropped, links recomputed", rechain(
            [{k: v for k, v in rec.items() if k != "prev"} for rec in records[:-2] + [last]], sha_link),
            "--key", key_file, expect="mac")
        rejected("... and under the public key (not sealed)", rechain(forged, sha_link), "--public-key", public_pem,
                 expect="not sealed")
        old_seal = {k: v for k, v in records[-1].items() if k not in ("prev", "mac")}
        rejected("... even keeping the old seal", rechain(forged + [old_seal], sha_link), "--public-key", public_pem,
                 expect="seal does not describe")

        # The wrong shape, even with a chain that holds (an unkeyed log).
        plain = os.path.join(tmp, "plain")
        subprocess.run([redact, "run", letter, "-o", plain, "--progress", "none"], capture_output=True)
        plain_records = [{k: v for k, v in json.loads(l).items() if k != "prev"} for l in read_lines(os.path.join(plain, "audit.jsonl"))]
        r = audit("verify", os.path.join(plain, "audit.jsonl"))
        check("an unkeyed log verifies", r.returncode == 0, r.stdout + r.stderr)
        k = next(n for n, rec in enumerate(plain_records) if rec["type"] == "redaction")
        shaped = [dict(rec) for rec in plain_records]
        shaped[k]["text"] = "the withheld words"
        rejected("a record with a field its type does not have", rechain(shaped, sha_link), expect_line=k + 1,
                 expect="wrong shape")
        shaped = [dict(rec) for rec in plain_records]
        shaped[k]["box"] = [1, 2, 3]
        rejected("a box that is not four numbers", rechain(shaped, sha_link), expect_line=k + 1, expect="box")
        rejected("a status no document record can have, chain recomputed",
                 rechain(plain_records[:-1] + [dict(plain_records[-1], status="published")], sha_link),
                 expect="status")

        # A run with no pattern set at all, only a phrase: its log is as reviewable.
        terms_only = os.path.join(tmp, "terms-only")
        subprocess.run([redact, "run", letter, "-o", terms_only, "--no-patterns", "--term", PHRASE,
                        "--term-exemption", "s40(2)", "--progress", "none"],
                       capture_output=True)
        r = audit("verify", os.path.join(terms_only, "audit.jsonl"))
        check("a --no-patterns run's log verifies", r.returncode == 0, r.stdout + r.stderr)
        r = subprocess.run([redact, "run", letter, "-o", terms_only, "--no-patterns", "--term", PHRASE,
                            "--term-exemption", "s40(2)", "--resume",
                            "--progress", "none"], capture_output=True, text=True)
        check("... and resumes", r.returncode == 0 and "done earlier" in r.stdout, r.stdout[-300:] + r.stderr[-300:])

        # An output changed after the run.
        output = os.path.join(out, "libreoffice-letter.pdf")
        shutil.copy(output, output + ".kept")
        with open(output, "ab") as f:
            f.write(b"\n% appended after the run\n")
        r = audit("verify", log, "--key", key_file)
        check("an output changed after the run fails verify", r.returncode == 1 and "changed after the run" in r.stdout,
              r.stdout)
        shutil.move(output + ".kept", output)

        # confirm, refereed by Python's hmac.
        term_records = [rec for rec in records if rec["type"] == "redaction" and rec["rule"] == "term"]
        expected_hmac = hmac.new(derived(b"redact audit text v1"), PHRASE.encode(), hashlib.sha256).hexdigest()
        check("the term's boxes are on page 1 with Python's HMAC of the phrase",
              term_records and all(rec["page"] == 1 and rec["text_hmac"] == expected_hmac for rec in term_records),
              str(term_records)[:300])
        r = audit("confirm", log, "--key", key_file, "--document", letter, "--page", "1", "--text", PHRASE)
        check("confirm: yes for the phrase the box hid", r.returncode == 0 and r.stdout.startswith("yes"), r.stdout + r.stderr)
        r = audit("confirm", log, "--key", key_file, "--document", output, "--page", "1", "--text", PHRASE)
        check("... by the output's name too", r.returncode == 0, r.stdout + r.stderr)
        r = audit("confirm", log, "--key", key_file, "--document", letter, "--page", "1", "--text", "Ms Smith")
        check("confirm: no for another", r.returncode == 1 and r.stdout.startswith("no"), r.stdout + r.stderr)
        wrong_key = os.path.join(tmp, "wrong.key")
        with open(wrong_key, "wb") as f:
            f.write(b"not the key")
        r = audit("confirm", log, "--key", wrong_key, "--document", letter, "--page", "1", "--text", PHRASE)
        check("confirm with another key: no answer from a log that does not verify", r.returncode == 2 and
              not r.stdout.startswith(("yes", "no")), r.stdout + r.stderr)

        # summary and schedule against the records.
        documents = {}
        pending = {}
        for rec in records:
            if rec["type"] == "redaction":
                pending.setdefault(rec["document"], []).append(rec)
            if rec["type"] == "document":
                documents[rec["document"]] = (rec, pending.pop(rec["document"], []))
        r = audit("summary", log, "--key", key_file, "--format", "json")
        summary = json.loads(r.stdout) if r.returncode == 0 else {}
        by_status = {}
        for rec, _ in documents.values():
            by_status[rec["status"]] = by_status.get(rec["status"], 0) + 1
        check("summary --format json: documents by status", summary.get("by_status") == by_status, r.stdout[:300])
        check("... boxes per document", {d["document"]: d["redactions"] for d in summary.get("documents", [])} ==
              {name: len(boxes) for name, (_, boxes) in documents.items()})
        exemptions = {}
        for _, boxes in documents.values():
            for rec in boxes:
                for e in rec["exemptions"]:
                    exemptions[e] = exemptions.get(e, 0) + 1
        check("... by exemption", summary.get("redactions", {}).get("by_exemption") == exemptions)
        r = audit("summary", log, "--key", key_file)
        check("summary as text names the held document and its reason",
              r.returncode == 0 and "scan-page.pdf" in r.stdout and "no text layer" in r.stdout, r.stdout[-400:])
        r = audit("summary", log, "--key", key_file, "--format", "csv")
        rows = list(csv.reader(io.StringIO(r.stdout)))
        check("summary --format csv: a row per document", r.returncode == 0 and
              sum(1 for row in rows if row[0] == "document") == len(documents), r.stdout[:300])

        r = audit("schedule", log, "--key", key_file)
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        expected = sorted((rec["document"], str(rec["page"]), rec["category"], "; ".join(rec["exemptions"]))
                          for rec, boxes in documents.values() if rec["status"] in ("redacted", "clean")
                          for rec in boxes)
        got = sorted((row["document"], row["page"], row["category"], row["exemptions"]) for row in rows)
        check("schedule: one row per redaction of each published document", r.returncode == 0 and got == expected,
              f"{len(got)} rows, {len(expected)} records")
        pages = [(row["document"], int(row["page"])) for row in rows]
        check("... in page order", all(a <= b for a, b in zip(pages, pages[1:]) if a[0] == b[0]))
        check("... decided by the term or a pattern",
              {row["decided_by"] for row in rows if row["category"] == "term"} == {"a --term phrase"})
        r = audit("schedule", log, "--key", key_file, "--format", "md")
        table = [line for line in r.stdout.splitlines() if line.startswith("| ")]
        check("schedule --format md: the same rows", r.returncode == 0 and len(table) == len(rows) + 1, r.stdout[:200])

        # Shards of a keyed run merged, and the merged log sealed.
        shards = os.path.join(tmp, "shards")
        for k in ("1/2", "2/2"):
            subprocess.run([redact, "run", fixtures, "-o", shards, "--shard", k, "--audit-key", key_file,
                            "--progress", "none"], capture_output=True)
        merged = os.path.join(tmp, "merged.jsonl")
        logs = [os.path.join(shards, "audit.1-of-2.jsonl"), os.path.join(shards, "audit.2-of-2.jsonl")]
        r = audit("merge", *logs, "-o", merged)
        check("keyed shard logs do not merge without the key", r.returncode == 2 and not os.path.exists(merged), r.stderr)
        r = audit("merge", *logs, "-o", merged, "--key", key_file, "--sign", private_pem)
        check("... and merge with it, sealed", r.returncode == 0, r.stderr)
        r = audit("verify", merged, "--public-key", public_pem)
        check("the merged log verifies by its seal", r.returncode == 0 and "signature checked" in r.stdout,
              r.stdout + r.stderr)
        sealed_shards = os.path.join(tmp, "sealed-shards")
        for k in ("1/2", "2/2"):
            subprocess.run([redact, "run", fixtures, "-o", sealed_shards, "--shard", k, "--audit-sign", private_pem,
                            "--progress", "none"], capture_output=True)
        sealed_logs = [os.path.join(sealed_shards, "audit.1-of-2.jsonl"), os.path.join(sealed_shards, "audit.2-of-2.jsonl")]
        merged2 = os.path.join(tmp, "merged2.jsonl")
        r = audit("merge", *sealed_logs, "-o", merged2, "--sign", private_pem)
        check("sealed shard logs do not merge unless their seals are checked", r.returncode == 2 and
              "--public-key" in r.stderr and not os.path.exists(merged2), r.stderr)
        r = audit("merge", *sealed_logs, "-o", merged2, "--public-key", public_pem, "--sign", private_pem)
        check("... and merge when they are", r.returncode == 0, r.stderr)
        r = audit("verify", merged, "--key", key_file)
        check("... and by its key", r.returncode == 0, r.stdout + r.stderr)

        # Names chosen by whoever sent the documents: no formula in the CSV,
        # no link or image in the Markdown, no line of their own in the text.
        hostile = os.path.join(tmp, "hostile")
        os.makedirs(hostile)
        names = ["=HYPERLINK(1).pdf", "![x](http:evil.example).pdf", "a\nredacted: fake.pdf"]
        for name in names:
            shutil.copy(letter, os.path.join(hostile, name))
        subprocess.run([redact, "run", *names, "-o", "../hostile-out", "--progress", "none"], cwd=hostile, capture_output=True)
        hostile_log = os.path.join(tmp, "hostile-out", "audit.jsonl")
        r = audit("schedule", hostile_log)
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        check("schedule csv: a name that is a formula starts with a quote mark",
              rows and all(not row["document"].startswith(("=", "+", "-", "@")) for row in rows) and
              any(row["document"] == "'=HYPERLINK(1).pdf" for row in rows), str({row["document"] for row in rows}))
        r = audit("schedule", hostile_log, "--format", "md")
        check("schedule md: no link or image of a name's making", r.returncode == 0 and "![x](" not in r.stdout and
              "\\!\\[x\\](http:evil" in r.stdout, r.stdout[:400])
        r = audit("summary", hostile_log)
        check("summary text: a newline in a name cannot fake a line", r.returncode == 0 and
              "\nredacted: fake.pdf" not in r.stdout and "a\\x0Aredacted: fake.pdf" in r.stdout, r.stdout[-400:])

        r = audit("verify", os.path.join(tmp, "missing.jsonl"))
        check("a missing log", r.returncode == 3, r.stderr.strip())
    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
