// The proposals `redact mark` leaves in the file it marks, for `redact
// apply` to tell what a reviewer did with each: kept it, moved it, deleted
// it, or added a mark of their own. Each proposal is one match: one /Redact
// annotation (named by its /NM) with one quad per line. The list sits in
// the marked file's catalog as one JSON text (Document::catalog_text under
// kProposalsKey); it holds what decided each proposal and where it was,
// never the text it covers.
#pragma once

#include <string>
#include <vector>

#include "core/geometry.h"

namespace redact::plan {

inline constexpr const char* kProposalsKey = "RedactProposals";
// The /NM of a proposal starts so; its /T (author) is kProposalAuthor.
inline constexpr const char* kProposalPrefix = "redact-proposal-";
inline constexpr const char* kProposalAuthor = "redact";

struct Proposal {
  std::string name;  // its annotation's /NM
  int page = 0;
  std::vector<Quad> quads;  // page space, one per line
  std::string label;        // the box's label ("s.27(1)(a)")
  std::string category, pattern, rule;
  std::vector<std::string> exemptions;
  size_t chars = 0;
};

struct Proposals {
  std::string patterns_sha256;  // of the pattern set that proposed them ("" for none)
  std::vector<Proposal> list;
};

std::string to_json(const Proposals& proposals);
// Throws redact::Error (damaged) for a text that is not such a list.
Proposals proposals_from_json(const std::string& text);

// Whether two lists of quads are the same within half a point: a proposal
// the reviewer left where it was.
bool same_place(const std::vector<Quad>& a, const std::vector<Quad>& b);

// The exemptions a label names ("s.27(1)(a), s.40(2)" gives s27(1)(a) and
// s40(2)), as the pattern files write them: a reviewer's mark is recorded
// under what its /OverlayText says.
std::vector<std::string> exemptions_in(const std::string& label);

}  // namespace redact::plan
