#!/usr/bin/env python3
"""Files PoDoFo 0.9.8 cannot open alone, opened through libqpdf:

- a LibreOffice letter whose cross-reference table points at the wrong bytes,
  and a pdfcpu file whose cross-reference stream has the wrong size (from the
  peer corpus): both are redacted, the audit log says the input was repaired,
  and `check` of the damaged input reports it (risk `repaired`);
- an AES-256 (revision 6) file with a user password, as qpdf encrypts it:
  failed without the password and with a wrong one, redacted with
  `--password-file`, and the output is not encrypted;
- an AES-256 file with only an owner password: redacted, output not encrypted;
- `check` names each object by its number in the file, whatever libqpdf did
  to it (repaired, decrypted, or read where PoDoFo cannot: MuPDF's test 4505);
- the broken LibreOffice letter with an incremental update appended whose
  trailer names a catalog that is not there (two revisions: readers may
  rebuild either): held for review, not written.

What each output shows to pdftotext is compared with the output of the same
run on the sound original: repairing or decrypting must change nothing else."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pdf_inputs import Checks, argument_parser


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def pdftotext(path):
    return run("pdftotext", "-layout", path, "-").stdout


def audit_documents(log):
    with open(log, encoding="utf-8") as f:
        return {os.path.basename(r["document"]): r for r in map(json.loads, f) if r["type"] == "document"}


def info_object(path, *qpdf_args):
    """The document information dictionary's object, as qpdf reads the file:
    "object N G", or None."""
    trailer = run("qpdf", *qpdf_args, "--show-object=trailer", path).stdout
    found = re.search(r"/Info (\d+) (\d+) R", trailer)
    return f"object {found.group(1)} {found.group(2)}" if found else None


def producer_objects(report):
    return {f["object"] for f in report["findings"] if f["kind"] == "producer"}


def break_xref(data):
    """Every offset of the classic xref table moved 7 bytes on: a reader
    that trusts the table finds no object where it looks."""
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    table = re.sub(rb"(\d{10}) (\d{5}) n",
                   lambda m: b"%010d %s n" % (int(m.group(1)) + 7, m.group(2)), data[start:end])
    return data[:start] + table + data[end:]


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    redact = args.redact
    source = os.path.join(args.fixtures, "pdf", "libreoffice-letter.pdf")
    rotated = os.path.join(args.corpus, "peer", "cpu__testdata__testRot.pdf")

    with tempfile.TemporaryDirectory() as tmp:
        inputs = os.path.join(tmp, "in")
        os.makedirs(inputs)
        shutil.copy(source, os.path.join(inputs, "sound.pdf"))
        with open(source, "rb") as f:
            data = f.read()
        broken = os.path.join(inputs, "broken-xref.pdf")
        with open(broken, "wb") as f:
            f.write(break_xref(data))
        check("precondition: poppler reads the broken file as the sound one", pdftotext(broken) == pdftotext(source))
        updated = os.path.join(inputs, "broken-with-update.pdf")
        damaged = break_xref(data)
        start = damaged.rindex(b"startxref")
        update = (b"\n9999 0 obj\n<< /Title (An update) >>\nendobj\nxref\n9999 1\n0000000001 00000 n \n"
                  b"trailer\n<< /Size 10000 /Root 9998 0 R /Prev 7 >>\nstartxref\n3\n%%EOF\n")
        with open(updated, "wb") as f:
            f.write(damaged + update)
        locked = os.path.join(inputs, "locked.pdf")
        run("qpdf", "--encrypt", "open-sesame", "owner-pw", "256", "--", source, locked)
        owner_only = os.path.join(inputs, "owner-only.pdf")
        run("qpdf", "--encrypt", "", "owner-pw", "256", "--", source, owner_only)
        shutil.copy(rotated, os.path.join(inputs, "xref-stream-wrong-size.pdf"))
        password = os.path.join(tmp, "password")
        with open(password, "w") as f:
            f.write("open-sesame\n")
        wrong = os.path.join(tmp, "wrong")
        with open(wrong, "w") as f:
            f.write("not-it\n")

        # Without a password: the locked file fails and says why; the rest are written.
        out = os.path.join(tmp, "out")
        result = run(redact, "run", inputs, "-o", out)
        docs = audit_documents(os.path.join(out, "audit.jsonl"))
        check("without a password: exit 3 (one failed, one held)", result.returncode == 3, result.stderr.strip())
        check("locked: failed, needs a password",
              docs["locked.pdf"]["status"] == "failed" and "needs a password" in docs["locked.pdf"]["reason"],
              str(docs["locked.pdf"]["reason"]))
        check("locked: the input is named once in the line",
              result.stdout.count(locked) == 1, [l for l in result.stdout.splitlines() if "locked" in l])
        check("locked: no output", not os.path.exists(os.path.join(out, "locked.pdf")))
        reference = pdftotext(os.path.join(out, "sound.pdf"))
        check("precondition: the sound file is redacted", docs["sound.pdf"]["status"] == "redacted")
        for name in ("broken-xref.pdf", "xref-stream-wrong-size.pdf"):
            notes = docs[name].get("input_notes", [])
            check(f"{name}: written", docs[name]["status"] in ("redacted", "clean"), str(docs[name]["reason"]))
            check(f"{name}: the audit log says it was repaired",
                  any(n.startswith("repaired by libqpdf") for n in notes), str(notes))
        check("broken-xref: the same redactions as the sound file",
              docs["broken-xref.pdf"]["redactions"] == docs["sound.pdf"]["redactions"])
        check("broken-xref: the same text as the sound file's output",
              pdftotext(os.path.join(out, "broken-xref.pdf")) == reference)
        check("sound file: no notes", docs["sound.pdf"].get("input_notes") == [])
        check("broken with an update: held, ambiguous", docs["broken-with-update.pdf"]["status"] == "needs_review" and
              "ambiguous" in (docs["broken-with-update.pdf"]["reason"] or ""), str(docs["broken-with-update.pdf"]["reason"]))
        check("broken with an update: no output", not os.path.exists(os.path.join(out, "broken-with-update.pdf")))
        for name in ("owner-only.pdf",):
            notes = docs[name].get("input_notes", [])
            check(f"{name}: redacted, decrypted", docs[name]["status"] == "redacted" and
                  any(n.startswith("decrypted") for n in notes), str(notes))
            encryption = run("qpdf", "--show-encryption", os.path.join(out, name)).stdout
            check(f"{name}: the output is not encrypted", "File is not encrypted" in encryption, encryption.strip())
            check(f"{name}: the same text as the sound file's output", pdftotext(os.path.join(out, name)) == reference)

        # With the password: the locked file too; with a wrong one: failed.
        out2 = os.path.join(tmp, "out2")
        result = run(redact, "run", locked, "-o", out2, "--password-file", password)
        docs = audit_documents(os.path.join(out2, "audit.jsonl"))
        check("with the password: redacted", result.returncode == 0 and docs["locked.pdf"]["status"] == "redacted",
              result.stdout.strip())
        written = os.path.join(out2, "locked.pdf")
        check("with the password: the output is not encrypted",
              "File is not encrypted" in run("qpdf", "--show-encryption", written).stdout)
        check("with the password: the same text as the sound file's output", pdftotext(written) == reference)
        result = run(redact, "run", locked, "-o", os.path.join(tmp, "out3"), "--password-file", wrong)
        check("a wrong password: failed, said so", result.returncode == 3 and "does not open it" in result.stdout,
              result.stdout.strip())
        # A batch's password does not stop a file that needs none from opening.
        result = run(redact, "run", owner_only, "-o", os.path.join(tmp, "out5"), "--password-file", password)
        check("a password given for the batch: the file with no user password is redacted all the same",
              result.returncode == 0, result.stdout.strip()[-300:])
        result = run(redact, "run", locked, "-o", os.path.join(tmp, "out4"), "--password-file", os.path.join(tmp, "none"))
        check("a missing password file: usage error", result.returncode == 2, result.stderr.strip())

        # check: the damaged input is a risk; the locked one opens with the password.
        result = run(redact, "check", "--format", "json", broken)
        report = json.loads(result.stdout)[0]
        kinds = {(f["kind"], f["severity"]) for f in report["findings"]}
        check("check: the broken file is a risk (repaired)", ("repaired", "risk") in kinds and result.returncode == 1,
              str(sorted(kinds)))
        check("check: the broken file's objects keep their numbers (the producer is named where qpdf finds it)",
              producer_objects(report) == {info_object(broken)}, f"{producer_objects(report)} {info_object(broken)}")
        result = run(redact, "check", "--format", "json", "--password-file", password, locked)
        report = json.loads(result.stdout)[0]
        check("check: the decrypted file's objects keep their numbers",
              producer_objects(report) == {info_object(locked, "--password=open-sesame")},
              f"{producer_objects(report)} {info_object(locked, '--password=open-sesame')}")
        kinds = {(f["kind"], f["severity"]) for f in report["findings"]}
        check("check: the locked file opens with the password", "error" not in report and ("encrypted", "info") in kinds,
              str(sorted(kinds)))
        check("check: its withheld text is found through the encryption", any(k == ("text", "leak") for k in kinds))
        result = run(redact, "check", locked)
        check("check: without the password it cannot be checked (exit 3)",
              result.returncode == 3 and "needs a password" in result.stderr, result.stderr.strip())

        # A file qpdf reads without a complaint and PoDoFo 0.9.8 cannot (its
        # cross-reference entries end in one byte, not two: 19 bytes where
        # PoDoFo reads 20): read from qpdf's copy, said so, and its objects
        # named as in the file.
        unusual = os.path.join(args.corpus, "peer", "mu__test_4505.pdf")
        result = run(redact, "check", "--format", "json", unusual)
        report = json.loads(result.stdout)[0]
        rewritten = [f["message"] for f in report["findings"] if f["kind"] == "rewritten"]
        check("check: a file only qpdf reads says it was read from qpdf's copy",
              any("PoDoFo 0.9.8 cannot read it" in m for m in rewritten), str(rewritten))
        check("check: and names its objects as the file does",
              producer_objects(report) == {info_object(unusual)}, f"{producer_objects(report)} {info_object(unusual)}")

    sys.exit(check.exit_status())


if __name__ == "__main__":
    main()
