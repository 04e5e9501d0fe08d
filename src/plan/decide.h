// The ways of deciding what a page loses, from its reading: by the
// matcher (`run`, `mark`, `plan`), by the /Redact marks a reviewer left and
// the proposals they came from (`apply`), or by a plan (`apply --plan`);
// and the rules by which a reading cannot be planned by at all. Plain
// decisions on plain data: nothing here changes a document.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "match/matcher.h"
#include "pdf/document.h"
#include "pdf/page_content.h"
#include "plan/locate.h"
#include "plan/proposals.h"
#include "plan/region.h"

namespace redact::plan {

// What a page is to lose, as one way of deciding it says: the glyphs, and
// the regions (one a line) with what decided them.
struct PageDecision {
  std::vector<uint32_t> glyphs;
  std::vector<Region> regions;
};
// A match in one reading of a page: where it is, its text as that reading
// has it, and as the patterns saw it (normalized).
struct ReadingMatch {
  Located located;
  std::string text;
  std::shared_ptr<const std::string> withheld;
};
// Every match in every reading of the page (layout, content order, letter
// spacing joined...: extract/readings.h), and in the page read with the
// codes another reader reads otherwise: what `run` removes and `scan` lists.
// The same match is found by each reading that has it. Then the page is
// read again without the glyphs found (a few rounds), as the output will
// read: what taking them out brings together is a match too.
std::vector<ReadingMatch> match_readings(const pdf::PageContent& page, const match::Matcher& matcher);

// Decides by the matcher: every match in every reading of the page
// (extract/readings.h), so that what check would find is removed, and every
// glyph the boxes of those matches cover (`hides`).
PageDecision decide_by_matches(const pdf::PageContent& page, int number, const match::Matcher& matcher);

// What a reviewer decided about the proposals of `redact mark`, and the
// marks of the file (its /Redact annotations, read before they were taken
// off), by page.
struct Review {
  std::map<int, std::vector<pdf::Document::RedactMark>> marks;
  std::optional<plan::Proposals> proposals;  // none when the file holds no list (marked by another tool)
  // `apply --plan`: the proposals are a plan, applied as they stand (no
  // marks; none declined).
  bool from_plan = false;
  std::map<std::pair<int, std::string>, size_t> by_name;  // (page, /NM) -> its proposal in the list

  // The proposal a mark carries: by its name, or, for a mark without one
  // (a viewer that drops /NM), the proposal of its page in the same place.
  const Proposal* proposal_of(const pdf::Document::RedactMark& mark) const;
};


// Decides by the marks: each mark's quads withhold the glyphs they cover
// (covered_glyphs); what decided it comes from its proposal, when it is
// one, else from the mark (a reviewer's). Counts in `empty` the marks that
// cover no glyph and meet no image and no annotation.
PageDecision decide_by_marks(const pdf::PageContent& page, int number, const Review& review, size_t& empty);

// Decides by a plan (`review.from_plan`): each proposal of the page
// withholds the glyphs it names and those its quads cover. Throws Error
// (unsupported) for a glyph this reading does not draw where the plan says.
PageDecision decide_by_plan(const pdf::PageContent& page, int number, const Review& review);

// Where the reviewer decided that text stays: the places of the proposals
// they deleted or moved away, as the list has them (page space).
std::vector<Region> left_by_reviewer(const Review& review);
// The proposals no mark carries any more: deleted by the reviewer.
std::vector<Region> declined_proposals(const Review& review);

// Why a page's reading cannot be planned by, "" when it can: images but no
// text (a scan), glyphs whose Unicode is unknown, content not read whole.
std::string unsure_reading(const pdf::PageContent& page);

}  // namespace redact::plan
