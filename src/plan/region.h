// A region of a page to be withheld, and what decided it: a pattern or a
// --term phrase (`redact run`, `redact mark`), or a person reviewing the
// proposals in a PDF viewer (`redact apply`). Plain data, shared by the
// planner, the writer of the audit log and the review commands.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "pdf/page_content.h"

namespace redact::plan {

// Who decided a region, and how.
enum class Decision {
  matched,  // found by a pattern or a term (`run`, or a proposal of `mark`)
  kept,     // proposed by `mark`, left as it was by the reviewer, applied
  changed,  // proposed by `mark`, moved, resized or relabelled by the reviewer, applied
  added,    // marked by a reviewer (or another tool), applied
};
const char* to_string(Decision decision);

// What a box says for its exemptions: "s.27(1)(a), s.31(1)(b)".
std::string label_text(const std::vector<std::string>& exemptions);

struct Region {
  int page = 0;
  Rect box;   // page space, one line of one match (or one quad of a mark)
  Quad quad;  // the same line turned with its text (the box for upright text): what is painted
  std::string label;  // what the box says ("s.27(1)(a)"), "" for none
  // What decided it, as the audit log says it.
  std::string category;
  std::string pattern;  // the pattern's id, "term", or "" for a reviewer's mark
  std::string rule;     // "pattern", "term" or "reviewer"
  std::vector<std::string> exemptions;
  std::string patterns_sha256;  // of the pattern set of a proposal (`apply`); "" otherwise
  Decision decision = Decision::matched;
  std::string proposal;  // the /NM of the mark that carried it ("" for `run`)
  std::string author;    // a reviewer's mark: its /T
  std::string date;      // a reviewer's mark: its /M
  // The normalized text of the whole match, for an HMAC only, never
  // written; one copy for all the lines of a match (a match over 388 lines
  // of 1,000 characters held 150 MB in copies).
  std::shared_ptr<const std::string> withheld;
  size_t chars = 0;  // characters withheld
  // Where the glyphs of the whole match are in the content (`run`, `mark`),
  // for a plan (`redact plan`); one copy for all its lines. Null otherwise.
  std::shared_ptr<const std::vector<pdf::GlyphSource>> sources;
};

}  // namespace redact::plan
