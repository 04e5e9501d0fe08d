// The proposals `redact mark` leaves in the file it marks, for `redact
// apply` to tell what a reviewer did with each: kept it, changed it, deleted
// it, or added a mark of their own. Each proposal is one match: one /Redact
// annotation (named by its /NM) with one quad per line. The list sits in
// the marked file's catalog as one JSON text (Document::catalog_text under
// kProposalsKey); it holds what decided each proposal and where it was,
// never the text it covers.
#pragma once

#include <string>
#include <vector>

#include "core/geometry.h"
#include "pdf/page_content.h"
#include "plan/region.h"

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
  // In a plan (`redact plan`): where the match's glyphs are (stream use,
  // operation, its offset, string, byte, length, as the file is read).
  // Empty in the list of a marked file.
  std::vector<pdf::GlyphSource> glyphs;
};

struct Proposals {
  std::string patterns_sha256;  // of the pattern set that proposed them ("" for none)
  std::vector<Proposal> list;
  // The pages that had no /Annots before their marks were added (given
  // theirs back when the marks go).
  std::vector<int> annots_made;
  // A plan: the SHA-256 of the file it was made for, the redact that read
  // it ("redact 0.1.0") and the match::Matcher::fingerprint of the flags
  // that matched it; a plan fits nothing else. "" in a marked file's list.
  std::string input_sha256, tool, matcher_sha256;
};

// The proposals `regions` make: the lines of one match (one after another,
// with one `withheld`) are one proposal, named redact-proposal-1, -2...
// in order (each region's `proposal` is set to its name).
Proposals proposals_of(std::vector<Region>& regions);

// With a team `key` (the audit key, `--audit-key`), the list carries its
// HMAC-SHA256 under HMAC(key, "redact proposals v1"), so that `apply` with
// the same key knows the list is the one `mark` wrote: a list is read from
// the file, and the text of a proposal it calls declined is let through
// the gate. Without a key the list is taken as it stands.
std::string to_json(const Proposals& proposals, const std::string& key = "");
// Throws redact::Error: damaged for a text that is not such a list;
// unsupported when `key` is given and the list does not carry its HMAC
// under it.
// `what` names the list in messages.
Proposals proposals_from_json(const std::string& text, const std::string& key = "",
                              const std::string& what = std::string("the list of proposals (/") + kProposalsKey + ")");

// Whether two lists of quads are the same within half a point: a proposal
// the reviewer left where it was.
bool same_place(const std::vector<Quad>& a, const std::vector<Quad>& b);

// The exemptions a label names ("s.27(1)(a), s.40(2)" gives s27(1)(a) and
// s40(2)), as the pattern files write them: a reviewer's mark is recorded
// under what its /OverlayText says.
std::vector<std::string> exemptions_in(const std::string& label);

}  // namespace redact::plan
