#!/usr/bin/env python3
"""The plan is data: `redact plan` prints it, `redact apply --plan` applies it
to the very file it was made for, and to no other.

- Every fixture `run` writes has a plan (one JSON line, never the withheld
  text), and `apply --plan` of it unedited writes the bytes `run` writes.
- A plan with a proposal added by a script (quads over a word, no glyphs)
  removes that word and every proposal's (pdftotext -bbox words under the
  quads, for pdftotext and mutool), and every other word stays.
- Held, nothing written: the plan given for another file, a file changed
  by one byte since, a plan made by another version, a glyph moved in the
  plan, a proposal past the last page, quads shrunk off the glyphs they
  name, a quad far off the page, a proposal deleted (its text is a leak), a
  plan applied with other matching flags; a plan line that is not one
  (or a page number out of range), or unsigned under --audit-key, is a
  usage error naming the file and line.
"""
import collections
import json
import os
import shutil
import subprocess
import tempfile

from pdf_inputs import Checks, argument_parser
from review_marks import core, words_mutool, words_pdftotext

FIXTURE = "libreoffice-letter.pdf"  # upright, uncropped: page space is pdftotext's


def run(*command):
    return subprocess.run(list(command), capture_output=True, text=True)


def page_words(pdf):
    """[(page, word, (x0, y0, x1, y1))] in page space (origin top left), by pdftotext -bbox."""
    import html
    import re
    out, page = [], 0
    for line in run("pdftotext", "-bbox", pdf, "-").stdout.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            out.append((page, html.unescape(m.group(5)), tuple(float(m.group(i)) for i in range(1, 5))))
    return out


def rects(proposal):
    return [(min(q[0::2]), min(q[1::2]), max(q[0::2]), max(q[1::2])) for q in proposal["quads"]]


def under(box, boxes):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in boxes)


def held(folder, reason):
    with open(os.path.join(folder, "audit.jsonl"), encoding="utf-8") as f:
        doc = [r for r in map(json.loads, f) if r["type"] == "document"][0]
    return doc["status"] == "needs_review" and reason in (doc["reason"] or ""), f"{doc['status']}: {doc['reason']}"


def main():
    args = argument_parser(__doc__).parse_args()
    check = Checks()
    redact = args.redact
    fixtures = os.path.join(args.fixtures, "pdf")
    with tempfile.TemporaryDirectory() as tmp:
        planned = 0
        for name in sorted(n for n in os.listdir(fixtures) if n.endswith(".pdf")):
            source = os.path.join(fixtures, name)
            ran = run(redact, "run", source, "-o", os.path.join(tmp, "run"))
            plan = run(redact, "plan", source)
            written = os.path.exists(os.path.join(tmp, "run", name))
            check(f"{name}: a plan exactly when run writes it", written == (plan.returncode == 0 and plan.stdout != ""),
                  f"run {ran.returncode}, plan {plan.returncode}: {plan.stderr.strip()[:200]}")
            if not written or plan.returncode != 0:
                continue
            planned += 1
            path = os.path.join(tmp, name + ".plan.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write(plan.stdout)
            applied = run(redact, "apply", "--plan", path, source, "-o", os.path.join(tmp, "apply"))
            with open(os.path.join(tmp, "run", name), "rb") as a:
                same = os.path.exists(os.path.join(tmp, "apply", name)) and a.read() == open(
                    os.path.join(tmp, "apply", name), "rb").read()
            check(f"{name}: apply --plan writes the bytes run writes", same, applied.stderr.strip()[-300:])
        check("plans were compared", planned >= 5, f"({planned})")

        source = os.path.join(fixtures, FIXTURE)
        plan = json.loads(run(redact, "plan", source).stdout)
        proposals = plan["proposals"]
        check("the plan names glyphs and quads, never text", proposals and all(
            p["glyphs"] and p["quads"] and "text" not in p for p in proposals))
        under_any = {core(w) for pg, w, b in page_words(source)
                     if len(core(w)) >= 4 and any(pg == p["page"] and under(b, rects(p)) for p in proposals)}
        # Its names aside (a category "deployment_reason" is not a leak of "deployment").
        bare = json.dumps([{k: v for k, v in p.items() if k not in ("category", "pattern", "label")} for p in proposals])
        check("no word under a proposal is in the plan", under_any and not [w for w in under_any if w in bare],
              f"{sorted(under_any)[:8]}")

        # A script adds a proposal of its own (quads over a word no pattern
        # matched, no glyphs): that word goes too, every other word stays.
        all_words = page_words(source)
        taken = [b for pg, w, b in all_words if pg == 1 and core(w) == "Dear"]
        check("the letter has a word 'Dear' to take", bool(taken))
        x0, y0, x1, y1 = taken[0]
        added = dict(plan, proposals=proposals + [dict(proposals[0], name="added-by-script", page=1, glyphs=[],
                                                       quads=[[x0, y0, x1, y0, x0, y1, x1, y1]])])
        path = os.path.join(tmp, "added.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(added) + "\n")
        out = os.path.join(tmp, "added")
        applied = run(redact, "apply", "--plan", path, source, "-o", out)
        check("a plan with a proposal added applies", applied.returncode == 0, applied.stderr.strip()[-300:])
        output = os.path.join(out, FIXTURE)
        if os.path.exists(output):
            boxes = collections.defaultdict(list)
            for p in added["proposals"]:
                boxes[p["page"]] += rects(p)
            gone = [w for pg, w, b in all_words if under(b, boxes[pg])]
            stays = collections.Counter(core(w) for pg, w, b in all_words if not under(b, boxes[pg]))
            for reader, read in (("pdftotext", words_pdftotext), ("mutool", words_mutool)):
                found = collections.Counter(core(w) for w in read(output))
                before = collections.Counter(core(w) for w in read(source))
                missing = sorted(w for w in stays if w and found[w] < min(stays[w], before[w]))
                check(f"every word outside the proposals stays ({reader})", not missing, f"missing {missing[:10]}")
                left = sorted({w for w in gone if core(w) and found[core(w)] > stays[core(w)]})
                check(f"the words under the proposals, the added one's too, are gone ({reader})",
                      "Dear" in gone and not left, f"still there: {left[:10]}")

        # Plans that do not fit: held, nothing written.
        def held_case(label, plan_lines, target, reason):
            path = os.path.join(tmp, label + ".jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write("".join(json.dumps(p) + "\n" for p in plan_lines))
            out = os.path.join(tmp, label)
            result = run(redact, "apply", "--plan", path, target, "-o", out)
            ok, detail = held(out, reason)
            check(f"{label}: held ({reason})", result.returncode == 1 and ok, detail)
            check(f"{label}: nothing written", not os.path.exists(os.path.join(out, os.path.basename(target))))

        other = os.path.join(fixtures, "chromium-table.pdf")
        held_case("another file", [plan], other, "no plan given was made for this file")
        changed = os.path.join(tmp, FIXTURE)
        shutil.copy(source, changed)
        with open(changed, "ab") as f:
            f.write(b"\n")
        held_case("a file changed since", [plan], changed, "no plan given was made for this file")
        held_case("another version", [dict(plan, tool="redact 0.0.1")], source, "made by redact 0.0.1")
        moved = json.loads(json.dumps(plan))
        moved["proposals"][0]["glyphs"][0][1] += 100000
        held_case("a glyph moved", [moved], source, "the plan does not fit it")
        beyond = json.loads(json.dumps(plan))
        beyond["proposals"][-1]["page"] = 99
        held_case("a proposal past the last page", [beyond], source, "the plan does not fit it")
        shrunk = json.loads(json.dumps(plan))
        for q in shrunk["proposals"][0]["quads"]:
            q[:] = [q[0], q[1], q[0] + 1, q[1], q[0], q[1] + 1, q[0] + 1, q[1] + 1]
        held_case("quads shrunk off the glyphs they name", [shrunk], source, "that none of its quads covers")
        huge = json.loads(json.dumps(plan))
        huge["proposals"][0]["quads"][0][2] = huge["proposals"][0]["quads"][0][6] = 1e70
        held_case("a quad far off the page", [huge], source, "far outside the page")
        # Deleted proposals: their text is a leak to the same flags, and
        # other flags (--no-patterns) would not cut what lies outside the
        # page content as the plan's matches were.
        fewer = dict(plan, proposals=proposals[1:])
        held_case("a proposal deleted", [fewer], source, "leak")
        path = os.path.join(tmp, "fewer.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(fewer) + "\n")
        out = os.path.join(tmp, "other-flags")
        result = run(redact, "apply", "--plan", path, source, "-o", out, "--no-patterns")
        ok, detail = held(out, "other matching flags")
        check("a plan applied with other matching flags is held", result.returncode == 1 and ok, detail)

        # Not a plan, or not signed under the key: usage errors naming the line.
        path = os.path.join(tmp, "bad.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(plan) + "\n{not json\n")
        result = run(redact, "apply", "--plan", path, source, "-o", os.path.join(tmp, "bad"))
        check("a line that is not a plan is a usage error naming it", result.returncode == 2 and f"{path}:2" in result.stderr,
              result.stderr.strip())
        wrapped = json.loads(json.dumps(plan))
        wrapped["proposals"][0]["page"] = 4294967297  # 1, were it wrapped to 32 bits
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(wrapped) + "\n")
        result = run(redact, "apply", "--plan", path, source, "-o", os.path.join(tmp, "bad"))
        check("a page number out of range is a usage error", result.returncode == 2 and "out of range" in result.stderr,
              result.stderr.strip())
        key = os.path.join(tmp, "key")
        with open(key, "w") as f:
            f.write("a team secret of enough length 0123456789\n")
        path = os.path.join(tmp, "plain.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(plan) + "\n")
        result = run(redact, "apply", "--plan", path, source, "-o", os.path.join(tmp, "unsigned"), "--audit-key", key)
        check("an unsigned plan under --audit-key is refused", result.returncode == 2 and "HMAC" in result.stderr,
              result.stderr.strip())
        signed = run(redact, "plan", source, "--audit-key", key)
        path = os.path.join(tmp, "signed.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(signed.stdout)
        result = run(redact, "apply", "--plan", path, source, "-o", os.path.join(tmp, "signed"), "--audit-key", key)
        check("a signed plan applies under its key", result.returncode == 0, result.stderr.strip()[-300:])
    return check.exit_status()


if __name__ == "__main__":
    raise SystemExit(main())
