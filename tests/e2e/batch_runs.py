#!/usr/bin/env python3
"""`redact run` as a batch: worker processes, order, isolation, shards, progress.

- the fixtures run with -j 1 and with -j 2 (two separate runs) give the same
  output bytes for every document and the same audit records (all but the
  chain and the start time);
- a worker that aborts (a test-only hook, REDACT_TEST_FAULT) fails its
  document with the signal named, leaves no temporary file, and the other
  documents are written; a worker that hangs is stopped by --timeout and
  failed with that reason; a run stopped by SIGTERM records every document
  and leaves no worker, and a run killed outright takes its workers with
  it; the audit log of each run verifies;
- a held document leaves no output behind, not even one an earlier run
  wrote under its name;
- two inputs that would write one output are refused (exit 2) naming both,
  before anything is written;
- --shard 1/2 and 2/2, into one folder, split the job list into two
  disjoint parts whose documents and output bytes are those of one run of
  the whole, each with its own audit log, and `audit merge` joins the two
  logs into one chain holding one run's records (a shard in two logs, a
  missing shard, a log not of a shard, a merged log over another file are
  refused); bad -j, --timeout are refused;
- an output or audit log over an input, an audit log over a file that is
  not one, and an output folder inside an input folder are refused; a
  newline in a file name is printed escaped; a closed stdout does not stop
  the run off the record;
- --resume skips exactly the documents whose output, input and settings are
  unchanged since the log recorded them, and appends to its chain; other
  settings skip nothing; a log cut before its last newline is continued;
  a log that does not verify is refused;
- on a pseudo-terminal the progress bar is drawn on stderr; through a pipe it
  is not (plain lines come only every ten seconds); --quiet prints only held
  and failed documents and the summary.
"""
import hashlib
import json
import os
import pty
import select
import signal
import shutil
import subprocess
import sys
import tempfile
import time

from pdf_inputs import Checks, argument_parser


def run(redact, *args, env=None):
    return subprocess.run([redact, "run", *args], capture_output=True, text=True, env=env)


def documents(out, log="audit.jsonl"):
    """{file name: record} for the document records of OUT/audit.jsonl (or `log`)."""
    with open(os.path.join(out, log), encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return {os.path.basename(r["document"]): r for r in records if r["type"] == "document"}


def comparable(out):
    """The audit records without what differs between runs (the chain, the
    start time) and with the output folder's name taken out."""
    with open(os.path.join(out, "audit.jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    kept = []
    for r in records:
        r.pop("prev", None)
        r.pop("started", None)
        kept.append(json.dumps(r, sort_keys=True).replace(out + "/", "OUT/"))
    return kept


def hashes(out):
    return {name: hashlib.sha256(open(os.path.join(out, name), "rb").read()).hexdigest()
            for name in sorted(os.listdir(out)) if name.endswith(".pdf")}


def workers_of(out):
    """The processes still running a batch into `out`."""
    found = subprocess.run(["pgrep", "-f", "--", out], capture_output=True, text=True).stdout.split()
    return [pid for pid in found if int(pid) != os.getpid()]


def wait_for(path, seconds):
    """Whether `path` exists within `seconds` (a slow sanitizer build needs more than a fixed sleep)."""
    end = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > end:
            return False
        time.sleep(0.1)
    return True


def verifies(redact, out):
    return subprocess.run([redact, "audit", "verify", os.path.join(out, "audit.jsonl")], capture_output=True).returncode == 0


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    redact = args.redact
    fixtures = os.path.join(args.fixtures, "pdf")

    with tempfile.TemporaryDirectory() as tmp:
        # The same batch, one worker and two.
        one, two = os.path.join(tmp, "one"), os.path.join(tmp, "two")
        r1 = run(redact, fixtures, "-o", one, "-j", "1")
        r2 = run(redact, fixtures, "-o", two, "-j", "2")
        check("-j 1 and -j 2 end alike", r1.returncode == r2.returncode and r1.returncode in (0, 1),
              f"{r1.returncode} {r2.returncode} {r2.stderr[-300:]}")
        check("-j 1 and -j 2 write the same output bytes", hashes(one) == hashes(two) and len(hashes(one)) >= 5,
              str(set(hashes(one).items()) ^ set(hashes(two).items()))[:300])
        check("-j 1 and -j 2 write the same audit records, in input order", comparable(one) == comparable(two))
        names = [json.loads(l)["document"] for l in open(os.path.join(two, "audit.jsonl")) if '"document"' in l]
        in_order = [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]
        check("records come document by document in the order of the inputs", in_order == sorted(set(names)), str(in_order))

        # A held document leaves no output behind, not even an earlier run's.
        stale_out = os.path.join(tmp, "stale-out")
        os.makedirs(stale_out)
        with open(os.path.join(stale_out, "scan-page.pdf"), "wb") as f:
            f.write(b"%PDF-1.7 an earlier run's output")
        r = run(redact, os.path.join(fixtures, "scan-page.pdf"), "-o", stale_out)
        records = documents(stale_out)
        check("a held document's earlier output is removed", r.returncode == 1 and
              not os.path.exists(os.path.join(stale_out, "scan-page.pdf")) and
              records.get("scan-page.pdf", {}).get("earlier_output_removed") is True, r.stdout[:300])

        # A worker that crashes, and one that hangs.
        batch = os.path.join(tmp, "batch")
        os.makedirs(batch)
        for name in ("a.pdf", "b.pdf", "c.pdf"):
            shutil.copy(os.path.join(fixtures, "libreoffice-letter.pdf"), os.path.join(batch, name))
        crashed = os.path.join(tmp, "crashed")
        r = run(redact, batch, "-o", crashed, "-j", "2", env=dict(os.environ, REDACT_TEST_FAULT="abort:b.pdf"))
        records = documents(crashed)
        check("a crashing worker fails its document: exit 3", r.returncode == 3, f"{r.returncode} {r.stderr[-300:]}")
        check("... with the signal named", records.get("b.pdf", {}).get("status") == "failed"
              and "signal 6" in (records["b.pdf"].get("reason") or ""), str(records.get("b.pdf"))[:300])
        check("... and the other documents are written",
              all(records.get(n, {}).get("status") == "redacted" for n in ("a.pdf", "c.pdf"))
              and sorted(n for n in os.listdir(crashed) if n.endswith(".pdf")) == ["a.pdf", "c.pdf"],
              str(sorted(os.listdir(crashed))))
        check("... leaving no temporary file", not any(n.endswith(".redact-tmp") for n in os.listdir(crashed)),
              str(os.listdir(crashed)))
        # The hash is of the bytes a worker read and said it read: one that
        # crashed said nothing, and a hash of the file read afterwards could
        # name other bytes.
        check("... and no input hash is recorded for it", "input_sha256" in records.get("b.pdf", {}) and
              records["b.pdf"]["input_sha256"] is None, str(records.get("b.pdf"))[:300])
        check("... while the others' are those of their bytes", records.get("a.pdf", {}).get("input_sha256") ==
              hashlib.sha256(open(os.path.join(batch, "a.pdf"), "rb").read()).hexdigest())
        check("... and its audit log verifies", verifies(redact, crashed))
        hung = os.path.join(tmp, "hung")
        r = run(redact, batch, "-o", hung, "-j", "2", "--timeout", "3", env=dict(os.environ, REDACT_TEST_FAULT="sleep:a.pdf"))
        records = documents(hung)
        check("a hanging worker is stopped by --timeout: exit 3", r.returncode == 3, f"{r.returncode} {r.stderr[-300:]}")
        check("... its document failed with the timeout named", records.get("a.pdf", {}).get("status") == "failed"
              and "--timeout" in (records["a.pdf"].get("reason") or ""), str(records.get("a.pdf"))[:300])
        check("... the others written", all(records.get(n, {}).get("status") == "redacted" for n in ("b.pdf", "c.pdf")))
        check("... and its audit log verifies", verifies(redact, hung))

        # The run stopped by SIGTERM, and killed outright.
        stopped = os.path.join(tmp, "stopped")
        process = subprocess.Popen([redact, "run", batch, "-o", stopped, "-j", "2"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=dict(os.environ, REDACT_TEST_FAULT="sleep:b.pdf"))
        # a.pdf and b.pdf start together: once a.pdf is written, b.pdf's worker hangs.
        check("... (a.pdf is written first)", wait_for(os.path.join(stopped, "a.pdf"), 120))
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        records = documents(stopped)
        check("a run stopped by SIGTERM ends with exit 3", process.returncode == 3, f"{process.returncode} {err[-200:]}")
        check("... every document is on the record", sorted(records) == ["a.pdf", "b.pdf", "c.pdf"], str(sorted(records)))
        check("... the one running failed as stopped", "stopped by signal 15" in (records.get("b.pdf", {}).get("reason") or ""),
              str(records.get("b.pdf"))[:200])
        check("... its worker is gone", not workers_of(stopped))
        check("... and its audit log verifies", verifies(redact, stopped))
        killed = os.path.join(tmp, "killed")
        process = subprocess.Popen([redact, "run", batch, "-o", killed, "-j", "2"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=dict(os.environ, REDACT_TEST_FAULT="sleep:a.pdf"))
        # Once b.pdf is written, a.pdf's worker hangs.
        check("... (b.pdf is written while a.pdf's worker hangs)", wait_for(os.path.join(killed, "b.pdf"), 120)
              and len(workers_of(killed)) >= 2)
        process.kill()
        process.wait()
        end = time.monotonic() + 10
        while workers_of(killed) and time.monotonic() < end:
            time.sleep(0.1)
        check("a worker dies with its run when the run is killed", not workers_of(killed))

        # Stdout closed early (| head -1): the run goes on, on the record.
        piped = os.path.join(tmp, "piped")
        process = subprocess.Popen([redact, "run", batch, "-o", piped, "-j", "1"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        process.stdout.readline()
        process.stdout.close()
        process.wait(timeout=120)
        check("a closed stdout does not end the run off the record", process.returncode == 0 and
              sorted(documents(piped)) == ["a.pdf", "b.pdf", "c.pdf"] and verifies(redact, piped), str(process.returncode))

        # Two inputs, one output.
        other = os.path.join(tmp, "other")
        os.makedirs(other)
        shutil.copy(os.path.join(fixtures, "groff-memo.pdf"), os.path.join(other, "a.pdf"))
        collided = os.path.join(tmp, "collided")
        r = run(redact, os.path.join(batch, "a.pdf"), os.path.join(other, "a.pdf"), "-o", collided)
        check("two inputs for one output are a usage error", r.returncode == 2, str(r.returncode))
        check("... naming both", os.path.join(batch, "a.pdf") in r.stderr and os.path.join(other, "a.pdf") in r.stderr,
              r.stderr[-300:])
        check("... before anything is written", not os.path.exists(collided))

        # Resume: exactly the documents done and unchanged are skipped.
        again = os.path.join(tmp, "again")
        shutil.copytree(batch, os.path.join(tmp, "again-in"))
        again_in = os.path.join(tmp, "again-in")
        run(redact, again_in, "-o", again)
        first_a = open(os.path.join(again, "a.pdf"), "rb").read()
        shutil.copy(os.path.join(fixtures, "groff-memo.pdf"), os.path.join(again_in, "b.pdf"))  # changed input
        os.remove(os.path.join(again, "c.pdf"))                                             # lost output
        r = run(redact, again_in, "-o", again, "--resume")
        lines = r.stdout.splitlines()
        check("--resume skips exactly the documents done and unchanged",
              any(l.startswith("done earlier: ") and l.split(" -> ")[0].endswith("a.pdf") for l in lines)
              and any(l.startswith("redacted: ") and "b.pdf" in l for l in lines)
              and any(l.startswith("redacted: ") and "c.pdf" in l for l in lines)
              and "1 done in an earlier run, skipped" in r.stdout, r.stdout[:400])
        check("... leaves the skipped output as it was", open(os.path.join(again, "a.pdf"), "rb").read() == first_a)
        with open(os.path.join(again, "audit.jsonl"), encoding="utf-8") as f:
            kinds = [json.loads(l)["type"] for l in f]
        check("... and appends to the log's chain", kinds.count("run") == 2 and verifies(redact, again), str(kinds.count("run")))
        r = run(redact, again_in, "-o", again, "--resume", "--term", "Officers", "--term-exemption", "s40(2)")
        check("... but not with other settings (a --term)", "done earlier" not in r.stdout and verifies(redact, again),
              r.stdout[:300])
        log = os.path.join(again, "audit.jsonl")
        with open(log, "rb") as f:
            cut = f.read().rstrip(b"\n")
        with open(log, "wb") as f:
            f.write(cut)  # a run killed between a record and its newline
        r = run(redact, again_in, "-o", again, "--resume")
        check("--resume continues a log cut before its last newline", r.returncode == 0 and verifies(redact, again),
              r.stderr[-200:])
        with open(log, "a", encoding="utf-8") as f:
            f.write('{"type": "run", "prev": "forged"}\n')
        r = run(redact, again_in, "-o", again, "--resume")
        check("--resume refuses a log that does not verify", r.returncode == 2 and "does not verify" in r.stderr, r.stderr[-200:])

        # Shards, into one output folder, each with its own log.
        shared = os.path.join(tmp, "shared")
        run(redact, fixtures, "-o", shared, "--shard", "1/2")
        run(redact, fixtures, "-o", shared, "--shard", "2/2")
        d1, d2, whole = documents(shared, "audit.1-of-2.jsonl"), documents(shared, "audit.2-of-2.jsonl"), documents(one)
        check("shards are disjoint and cover the job list", not (d1.keys() & d2.keys()) and (d1.keys() | d2.keys()) == whole.keys()
              and d1 and d2, f"{sorted(d1)} {sorted(d2)}")
        check("shards sharing a folder write what one run writes", hashes(shared) == hashes(one),
              str(set(hashes(shared).items()) ^ set(hashes(one).items()))[:300])
        check("the shard is in the run record",
              json.loads(open(os.path.join(shared, "audit.1-of-2.jsonl")).readline()).get("shard") == "1/2")
        merged = os.path.join(tmp, "merged.jsonl")
        m = subprocess.run([redact, "audit", "merge", os.path.join(shared, "audit.1-of-2.jsonl"),
                            os.path.join(shared, "audit.2-of-2.jsonl"), "-o", merged], capture_output=True, text=True)
        def document_records(path, out):
            with open(path, encoding="utf-8") as f:
                records = [json.loads(l) for l in f]
            return sorted(json.dumps({k: v for k, v in r.items() if k != "prev"}, sort_keys=True).replace(out + "/", "OUT/")
                          for r in records if r["type"] not in ("run", "merge"))
        check("two shard logs merge into one chain", m.returncode == 0 and
              subprocess.run([redact, "audit", "verify", merged], capture_output=True).returncode == 0, m.stderr[-200:])
        check("... whose records are those of one run of the whole",
              document_records(merged, shared) == document_records(os.path.join(one, "audit.jsonl"), one))
        copy = os.path.join(tmp, "copy-of-1.jsonl")
        shutil.copy(os.path.join(shared, "audit.1-of-2.jsonl"), copy)
        for logs, why in (([os.path.join(shared, "audit.1-of-2.jsonl"), copy], "a shard in two logs"),
                          ([os.path.join(shared, "audit.1-of-2.jsonl")], "a missing shard"),
                          ([os.path.join(shared, "audit.1-of-2.jsonl"), os.path.join(one, "audit.jsonl")], "a log not of a shard")):
            target = os.path.join(tmp, "refused.jsonl")
            m = subprocess.run([redact, "audit", "merge", *logs, "-o", target], capture_output=True, text=True)
            check(f"... {why} is refused", m.returncode == 2 and not os.path.exists(target), m.stderr[-200:])
        victim = os.path.join(tmp, "victim.pdf")
        shutil.copy(os.path.join(fixtures, "groff-memo.pdf"), victim)
        m = subprocess.run([redact, "audit", "merge", os.path.join(shared, "audit.1-of-2.jsonl"),
                            os.path.join(shared, "audit.2-of-2.jsonl"), "-o", victim], capture_output=True, text=True)
        check("... and so is a merged log over a file that is not one", m.returncode == 2 and
              open(victim, "rb").read() == open(os.path.join(fixtures, "groff-memo.pdf"), "rb").read(), m.stderr[-200:])
        bad = run(redact, fixtures, "-o", os.path.join(tmp, "bad"), "--shard", "3/2")
        check("--shard 3/2 is a usage error", bad.returncode == 2 and "--shard" in bad.stderr, bad.stderr[-200:])
        for option in (["-j", "-1"], ["-j", "0"], ["--timeout", "-1"]):
            bad = run(redact, fixtures, "-o", os.path.join(tmp, "bad"), *option)
            check(f"{' '.join(option)} is a usage error", bad.returncode == 2, bad.stderr[-200:])

        # What a run must never write over.
        own = os.path.join(tmp, "own")
        os.makedirs(own)
        shutil.copy(os.path.join(fixtures, "libreoffice-letter.pdf"), os.path.join(own, "a.pdf"))
        before = open(os.path.join(own, "a.pdf"), "rb").read()
        r = run(redact, os.path.join(own, "a.pdf"), "-o", own)
        check("an output that would overwrite its input is refused", r.returncode == 2
              and open(os.path.join(own, "a.pdf"), "rb").read() == before, r.stderr[-200:])
        r = run(redact, os.path.join(own, "a.pdf"), "-o", os.path.join(tmp, "own-out"), "--audit", os.path.join(own, "a.pdf"))
        check("an audit log that would overwrite an input is refused", r.returncode == 2
              and open(os.path.join(own, "a.pdf"), "rb").read() == before, r.stderr[-200:])
        other_pdf = os.path.join(tmp, "not-a-log.pdf")
        shutil.copy(os.path.join(fixtures, "groff-memo.pdf"), other_pdf)
        r = run(redact, os.path.join(own, "a.pdf"), "-o", os.path.join(tmp, "own-out"), "--audit", other_pdf)
        check("an audit log over a file that is not one is refused", r.returncode == 2 and "not an audit log" in r.stderr,
              r.stderr[-200:])
        r = run(redact, own, "-o", os.path.join(own, "out"))
        check("an output folder inside an input folder is refused", r.returncode == 2 and "holds the output folder" in r.stderr
              and not os.path.exists(os.path.join(own, "out")), f"{r.returncode} {r.stderr[-200:]}")
        odd = os.path.join(tmp, "odd")
        os.makedirs(odd)
        shutil.copy(os.path.join(fixtures, "libreoffice-letter.pdf"), os.path.join(odd, "a\nclean: forged.pdf"))
        r = run(redact, odd, "-o", os.path.join(tmp, "odd-out"))
        check("a newline in a file name cannot forge a line", "\nclean: forged" not in r.stdout and "\\x0Aclean" in r.stdout,
              r.stdout[:200])

        # Progress.
        barred = os.path.join(tmp, "barred")
        master, slave = pty.openpty()
        process = subprocess.Popen([redact, "run", fixtures, "-o", barred, "-j", "2"], stdout=subprocess.PIPE,
                                   stderr=slave)
        os.close(slave)
        drawn = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
        stdout = process.communicate()[0].decode()
        os.close(master)
        check("on a terminal a progress bar is drawn", b"\r\x1b[K[" in drawn and b"documents" in drawn and b"pages/s" in drawn,
              repr(drawn[-200:]))
        check("... and cleared before the summary", drawn.endswith(b"\r\x1b[K"), repr(drawn[-60:]))
        check("... while stdout keeps its document lines", "redacted: " in stdout and "\x1b" not in stdout)
        check("through a pipe there is no bar", "\x1b[K" not in r1.stderr and "\r" not in r1.stderr, repr(r1.stderr[-200:]))
        quiet = run(redact, fixtures, "-o", os.path.join(tmp, "quiet"), "--quiet")
        check("--quiet prints only held and failed documents and the summary",
              "redacted: " not in quiet.stdout and "clean: " not in quiet.stdout and "needs_review: " in quiet.stdout
              and "documents:" in quiet.stdout and quiet.stderr == "", quiet.stdout[-300:] + quiet.stderr[-200:])
        bad = run(redact, fixtures, "-o", os.path.join(tmp, "bad2"), "--progress", "loud")
        check("--progress loud is a usage error", bad.returncode == 2, bad.stderr[-200:])

    return check.exit_status()


if __name__ == "__main__":
    sys.exit(main())
