#include "plan/decide.h"

#include <algorithm>
#include <memory>
#include <set>
#include <span>
#include <tuple>

#include "core/diagnostics.h"
#include "extract/readings.h"
#include "normalize/normalizer.h"
#include "plan/cover.h"
#include "plan/locate.h"

namespace redact::plan {
namespace {

// A label a box can show: the printable ASCII of `text` (the label font is
// a standard one).
std::string label_of(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c >= 0x20 && c < 0x7F) out += c;
  }
  return out;
}

// One line of a proposal as a region, with what decided the proposal.
Region region_of(const Proposal& proposal, const Quad& quad, const std::string& patterns_sha256) {
  Region region;
  region.page = proposal.page;
  region.quad = quad;
  region.box = quad.bounds();
  region.label = proposal.label;
  region.category = proposal.category;
  region.pattern = proposal.pattern;
  region.rule = proposal.rule;
  region.exemptions = proposal.exemptions;
  region.patterns_sha256 = patterns_sha256;
  region.proposal = proposal.name;
  region.chars = proposal.chars;
  return region;
}

}  // namespace

namespace {

// The lines of one reading: the glyphs of each, in reading order (a word
// break's space glyph included).
using ReadingLines = std::vector<std::vector<uint32_t>>;

ReadingLines lines_of(const extract::PageText& text) {
  ReadingLines lines(1);
  for (size_t i = 0; i < text.text.size(); ++i) {
    if (text.text[i] == '\n') {
      if (!lines.back().empty()) lines.emplace_back();
      continue;
    }
    const int32_t g = text.text_glyphs[i];
    if (g >= 0 && (lines.back().empty() || lines.back().back() != static_cast<uint32_t>(g))) {
      lines.back().push_back(static_cast<uint32_t>(g));
    }
  }
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

// Every match in every reading of `page`; the lines of each reading go to
// `lines` when it is given.
std::vector<ReadingMatch> matches_in(const pdf::PageContent& page, const match::Matcher& matcher,
                                     std::vector<ReadingLines>* lines = nullptr) {
  std::vector<ReadingMatch> out;
  auto find = [&](const pdf::PageContent& read, std::span<const std::pair<uint32_t, uint32_t>> whole = {}) {
    for (const auto& [name, text] : extract::all_readings(read)) {
      if (lines) lines->push_back(lines_of(text));
      const normalize::NormalizedText normalized = normalize::normalize(text.text);
      for (Located& located : locate(read, text, normalized, matcher.find(normalized.text), whole)) {
        auto withheld = std::make_shared<const std::string>(
            normalized.text.substr(located.match.begin, located.match.end - located.match.begin));
        const auto [begin, end] = normalized.source_range(located.match.begin, located.match.end);
        out.push_back({std::move(located), text.text.substr(begin, end - begin), std::move(withheld)});
      }
    }
  };
  find(page);
  // Codes another reader reads otherwise (pdf::Glyph::encoded_text): the
  // page read that way too. Glyph indices are the same in both.
  if (std::any_of(page.glyphs.begin(), page.glyphs.end(), [](const pdf::Glyph& g) { return !g.encoded_text.empty(); })) {
    pdf::PageContent other = page;
    for (pdf::Glyph& g : other.glyphs) {
      if (!g.encoded_text.empty()) g.text = g.encoded_text;
    }
    find(other);
  }
  // Spans whose /ActualText pdftotext reads otherwise than their glyphs:
  // the page read as it reads them; a match in an ActualText read whole
  // takes every glyph of its span (apply then writes the ActualText `()`).
  if (const std::optional<extract::ActualTextReading> actual = extract::with_actual_text(page)) {
    find(actual->page, actual->spans);
  }
  return out;
}

// How many times a page is read again without what the rounds before
// found. Two joins in a row are rare; past these, check of the output
// still holds what is left.
constexpr int kRemovalRounds = 3;
// How many lines before and after a line that loses glyphs, in each
// reading, a removal may bring together with it.
constexpr ptrdiff_t kJoinedLines = 4;

// The glyphs a removal of `taken` can bring together, in readings of the
// page as it was (`lines`): in each reading, every line within
// kJoinedLines of a line that loses a glyph; then, so that no reading of
// these glyphs sees part of a line (the tail of "Somalia" reads "Mali"),
// every line of any reading that holds one of them, until none is added.
// Everything, when that comes to half the page or a taken glyph is on no
// line: a dense table's rows and columns may join it all.
std::vector<bool> joinable(const std::vector<ReadingLines>& lines, const std::vector<bool>& taken) {
  const size_t n = taken.size();
  // Each glyph's lines, as (reading, line): those of glyph g are
  // places[first[g]] to places[first[g + 1]].
  std::vector<uint32_t> first(n + 1, 0);
  for (const ReadingLines& reading : lines) {
    for (const std::vector<uint32_t>& line : reading) {
      for (uint32_t g : line) {
        if (g < n) ++first[g + 1];
      }
    }
  }
  for (size_t g = 0; g < n; ++g) first[g + 1] += first[g];
  std::vector<std::pair<uint32_t, uint32_t>> places(first[n]);
  std::vector<uint32_t> filled(first.begin(), first.end() - 1);
  for (uint32_t r = 0; r < lines.size(); ++r) {
    for (uint32_t l = 0; l < lines[r].size(); ++l) {
      for (uint32_t g : lines[r][l]) {
        if (g < n) places[filled[g]++] = {r, l};
      }
    }
  }
  auto lines_of_glyph = [&](uint32_t g) {
    return std::span<const std::pair<uint32_t, uint32_t>>(places.data() + first[g], first[g + 1] - first[g]);
  };
  std::vector<bool> near(n, false);
  std::vector<std::vector<bool>> added(lines.size());
  for (size_t r = 0; r < lines.size(); ++r) added[r].assign(lines[r].size(), false);
  std::vector<uint32_t> to_visit;
  size_t count = 0;
  auto add_line = [&](uint32_t r, uint32_t l) {
    if (added[r][l]) return;
    added[r][l] = true;
    for (uint32_t g : lines[r][l]) {
      if (g < n && !near[g]) {
        near[g] = true;
        ++count;
        to_visit.push_back(g);
      }
    }
  };
  for (uint32_t g = 0; g < n; ++g) {
    if (!taken[g]) continue;
    if (lines_of_glyph(g).empty()) return std::vector<bool>(n, true);
    for (const auto& [r, l] : lines_of_glyph(g)) {
      const ptrdiff_t from = std::max<ptrdiff_t>(0, static_cast<ptrdiff_t>(l) - kJoinedLines);
      const ptrdiff_t to = std::min<ptrdiff_t>(static_cast<ptrdiff_t>(lines[r].size()) - 1, l + kJoinedLines);
      for (ptrdiff_t k = from; k <= to; ++k) add_line(r, static_cast<uint32_t>(k));
    }
  }
  while (!to_visit.empty()) {
    if (2 * count > n) return std::vector<bool>(n, true);
    const uint32_t g = to_visit.back();
    to_visit.pop_back();
    for (const auto& [r, l] : lines_of_glyph(g)) add_line(r, l);
  }
  return near;
}

}  // namespace

std::vector<ReadingMatch> match_readings(const pdf::PageContent& page, const match::Matcher& matcher) {
  std::vector<ReadingLines> lines;
  std::vector<ReadingMatch> out = matches_in(page, matcher, &lines);
  // Taking glyphs out brings together what they kept apart: a row "Total
  // 7" above "Spain" above "Officers visited..." reads "7 Officers" once
  // "Spain" is gone, and check of the output would hold the page for it. So
  // what a removal can bring together (joinable: the lines around it, not a
  // dense page's every glyph) is read again without the glyphs found so far,
  // as the output will read, and what that finds is withheld too.
  std::vector<bool> taken(page.glyphs.size(), false);
  size_t counted = 0;
  for (int round = 0; round < kRemovalRounds; ++round) {
    bool more = false;
    for (; counted < out.size(); ++counted) {
      for (uint32_t g : out[counted].located.glyphs) {
        if (!taken[g]) more = taken[g] = true;
      }
    }
    if (!more) break;
    const std::vector<bool> near = joinable(lines, taken);
    pdf::PageContent rest;
    rest.number = page.number;
    rest.width = page.width;
    rest.height = page.height;
    rest.rotation = page.rotation;
    rest.crop_box = page.crop_box;
    rest.page_from_user = page.page_from_user;
    rest.fonts = page.fonts;
    std::vector<uint32_t> original;  // index in `rest` -> index in `page`
    const size_t kept = static_cast<size_t>(std::count(near.begin(), near.end(), true));
    rest.glyphs.reserve(kept);
    original.reserve(kept);
    for (uint32_t g = 0; g < page.glyphs.size(); ++g) {
      if (taken[g] || !near[g]) continue;
      rest.glyphs.push_back(page.glyphs[g]);
      original.push_back(g);
    }
    std::vector<ReadingMatch> found = matches_in(rest, matcher);
    if (found.empty()) break;
    for (ReadingMatch& m : found) {
      for (uint32_t& g : m.located.glyphs) g = original[g];
      out.push_back(std::move(m));
    }
  }
  return out;
}

PageDecision decide_by_matches(const pdf::PageContent& page, int number, const match::Matcher& matcher) {
  PageDecision out;
  std::set<uint32_t> planned;
  for (const ReadingMatch& found : match_readings(page, matcher)) {
    const Located& located = found.located;
    const match::Pattern& pattern = matcher.patterns()[located.match.pattern];
    // The same match seen by another reading: its glyphs are already planned.
    if (std::all_of(located.glyphs.begin(), located.glyphs.end(), [&](uint32_t g) { return planned.contains(g); })) {
      continue;
    }
    planned.insert(located.glyphs.begin(), located.glyphs.end());
    out.glyphs.insert(out.glyphs.end(), located.glyphs.begin(), located.glyphs.end());
    auto sources = std::make_shared<std::vector<pdf::GlyphSource>>();
    for (uint32_t g : located.glyphs) sources->push_back(page.glyphs[g].source);
    for (size_t line = 0; line < located.boxes.size(); ++line) {
      Region region;
      region.page = number;
      region.box = located.boxes[line];
      region.quad = located.quads[line];
      region.category = pattern.category;
      region.pattern = pattern.id;
      region.rule = pattern.file == "--term" ? "term" : "pattern";
      region.exemptions = matcher.exemptions(located.match);
      region.label = label_text(region.exemptions);
      region.withheld = found.withheld;
      region.chars = located.match.end - located.match.begin;
      region.sources = sources;
      out.regions.push_back(std::move(region));
    }
  }
  // What the boxes hide goes with them, by the rule `apply` removes a
  // mark's glyphs by: a glyph no reading put in a match (the space inside a
  // letter-spaced "Tw o") would otherwise stay under a black box, and
  // `mark` + `apply` would remove what `run` left.
  std::vector<Quad> quads;
  for (const Region& region : out.regions) quads.push_back(region.quad);
  for (const std::vector<uint32_t>& covered : covered_glyphs(page, quads)) {
    for (uint32_t g : covered) {
      if (planned.insert(g).second) out.glyphs.push_back(g);
    }
  }
  return out;
}

const Proposal* Review::proposal_of(const pdf::Document::RedactMark& mark) const {
  if (!proposals) return nullptr;
  if (const auto named = by_name.find({mark.page, mark.name}); named != by_name.end()) {
    return &proposals->list[named->second];
  }
  if (!mark.name.empty()) return nullptr;
  for (const Proposal& p : proposals->list) {
    if (p.page == mark.page && same_place(mark.quads, p.quads)) return &p;
  }
  return nullptr;
}

PageDecision decide_by_marks(const pdf::PageContent& page, int number, const Review& review, size_t& empty) {
  PageDecision out;
  const auto marks = review.marks.find(number);
  if (marks == review.marks.end()) return out;
  for (const pdf::Document::RedactMark& mark : marks->second) {
    const Proposal* proposal = review.proposal_of(mark);
    const std::string label = !proposal || !mark.overlay_text.empty() ? label_of(mark.overlay_text) : proposal->label;
    const bool kept = proposal && label == proposal->label && same_place(mark.quads, proposal->quads);
    // A proposal left as it was is applied where the list puts it, to the
    // full precision the annotation's numbers lost: as `run` would.
    const std::vector<Quad>& quads = kept ? proposal->quads : mark.quads;
    const std::vector<std::vector<uint32_t>> covered = covered_glyphs(page, quads);
    std::string text;
    for (const auto& glyphs : covered) {
      for (uint32_t g : glyphs) text += page.glyphs[g].text;
    }
    const auto meets_image = [&](const Quad& q) {
      const Rect b = q.bounds();
      return std::any_of(page.images.begin(), page.images.end(), [&](const pdf::ImageUse& i) {
        return i.box.meets(b);
      });
    };
    // An annotation under the mark loses its strings (blank_annotations_under).
    const auto meets_annotation = [&](const Quad& q) {
      const Rect b = q.bounds();
      return std::any_of(page.streams.begin(), page.streams.end(), [&](const pdf::StreamUse& u) {
        return !u.annotation.empty() && u.bounds.meets(b);
      });
    };
    if (text.empty() && std::none_of(quads.begin(), quads.end(), meets_image) &&
        std::none_of(quads.begin(), quads.end(), meets_annotation)) {
      ++empty;
    }
    auto withheld = std::make_shared<const std::string>(normalize::normalized(text));
    for (size_t q = 0; q < quads.size(); ++q) {
      out.glyphs.insert(out.glyphs.end(), covered[q].begin(), covered[q].end());
      Region region;
      region.page = number;
      region.quad = quads[q];
      region.box = quads[q].bounds();
      region.proposal = mark.name;
      region.label = label;
      if (proposal) {
        const bool relabelled = label != proposal->label;
        region.decision = kept ? Decision::kept : Decision::changed;
        region.category = proposal->category;
        region.pattern = proposal->pattern;
        region.rule = proposal->rule;
        // A new label is the reviewer's word on what the box withholds under.
        region.exemptions = relabelled ? exemptions_in(label) : proposal->exemptions;
        region.patterns_sha256 = review.proposals->patterns_sha256;
      } else {
        region.decision = Decision::added;
        region.category = "marked by a reviewer";
        region.rule = "reviewer";
        region.exemptions = exemptions_in(mark.overlay_text);
      }
      if (region.decision != Decision::kept) {
        // A proposal keeps the author mark gave it: not the reviewer's name.
        if (!(proposal && mark.author == kProposalAuthor)) region.author = mark.author;
        region.date = mark.date;
      }
      region.withheld = withheld;
      region.chars = withheld->size();
      out.regions.push_back(std::move(region));
    }
  }
  return out;
}

PageDecision decide_by_plan(const pdf::PageContent& page, int number, const Review& review) {
  PageDecision out;
  const auto key = [](const pdf::GlyphSource& s) {
    return std::tuple(s.stream, s.op, s.op_offset, s.string_index, s.byte_index, s.byte_count);
  };
  std::map<decltype(key(pdf::GlyphSource{})), uint32_t> by_source;
  std::set<uint32_t> planned;
  std::vector<Quad> quads;
  for (const Proposal& proposal : review.proposals->list) {
    if (proposal.page != number) continue;
    if (by_source.empty()) {
      for (uint32_t g = 0; g < page.glyphs.size(); ++g) by_source.emplace(key(page.glyphs[g].source), g);
    }
    const std::string where = "page " + std::to_string(number) + ": " + proposal.name;
    // A box far off the page paints nothing anyone sees (and its numbers
    // may not even be written).
    for (const Quad& quad : proposal.quads) {
      for (const Point& p : {quad.ul, quad.ur, quad.ll, quad.lr}) {
        if (p.x < -page.width || p.x > 2 * page.width || p.y < -page.height || p.y > 2 * page.height) {
          throw Error(ErrorKind::unsupported, Location(), where + " has a quad far outside the page: the plan does not fit it");
        }
      }
    }
    std::string text;
    for (const pdf::GlyphSource& source : proposal.glyphs) {
      const auto found = by_source.find(key(source));
      if (found == by_source.end()) {
        throw Error(ErrorKind::unsupported, Location(),
                    where + " names a glyph (stream " + std::to_string(source.stream) + ", operation " +
                        std::to_string(source.op) + ", byte " + std::to_string(source.byte_index) +
                        ") this file does not draw there: the plan does not fit it");
      }
      // Under its own box: a glyph taken out from under none would leave
      // what draws it otherwise (the scan under an OCR layer) uncovered.
      const pdf::Glyph& glyph = page.glyphs[found->second];
      if (std::none_of(proposal.quads.begin(), proposal.quads.end(), [&](const Quad& q) { return hides(q, glyph); })) {
        throw Error(ErrorKind::unsupported, Location(),
                    where + " names a glyph (stream " + std::to_string(source.stream) + ", operation " +
                        std::to_string(source.op) + ", byte " + std::to_string(source.byte_index) +
                        ") that none of its quads covers: the plan does not fit it");
      }
      if (planned.insert(found->second).second) out.glyphs.push_back(found->second);
      text += page.glyphs[found->second].text;
    }
    auto withheld = std::make_shared<const std::string>(normalize::normalized(text));
    for (const Quad& quad : proposal.quads) {
      Region region = region_of(proposal, quad, review.proposals->patterns_sha256);
      region.decision = Decision::matched;  // as planned: a script's edits are nobody's review
      region.withheld = withheld;
      out.regions.push_back(std::move(region));
      quads.push_back(quad);
    }
  }
  for (const std::vector<uint32_t>& covered : covered_glyphs(page, quads)) {
    for (uint32_t g : covered) {
      if (planned.insert(g).second) out.glyphs.push_back(g);
    }
  }
  return out;
}

std::vector<Region> left_by_reviewer(const Review& review) {
  std::vector<Region> out;
  if (!review.proposals || review.from_plan) return out;
  std::map<const Proposal*, const pdf::Document::RedactMark*> carried;
  for (const auto& [number, marks] : review.marks) {
    for (const pdf::Document::RedactMark& mark : marks) carried[review.proposal_of(mark)] = &mark;
  }
  for (const Proposal& p : review.proposals->list) {
    const auto it = carried.find(&p);
    if (it != carried.end() && same_place(it->second->quads, p.quads)) continue;
    for (const Quad& quad : p.quads) {
      Region region;
      region.page = p.page;
      region.quad = quad;
      region.box = quad.bounds();
      out.push_back(std::move(region));
    }
  }
  return out;
}

std::vector<Region> declined_proposals(const Review& review) {
  std::vector<Region> out;
  if (!review.proposals || review.from_plan) return out;
  std::set<const Proposal*> carried;
  for (const auto& [number, marks] : review.marks) {
    for (const pdf::Document::RedactMark& mark : marks) carried.insert(review.proposal_of(mark));
  }
  for (const Proposal& p : review.proposals->list) {
    if (carried.contains(&p)) continue;
    for (const Quad& quad : p.quads) out.push_back(region_of(p, quad, review.proposals->patterns_sha256));
  }
  return out;
}

std::string unsure_reading(const pdf::PageContent& page) {
  if (page.glyphs.empty() && !page.images.empty()) return "images but no text layer (a scan?); its text cannot be checked";
  if (page.unknown_glyphs > 0) return std::to_string(page.unknown_glyphs) + " glyphs whose Unicode is unknown";
  if (!page.complete) {
    return "the page could not be read completely" +
           (page.incomplete_reason.empty() ? std::string() : " (" + page.incomplete_reason + ")");
  }
  return "";
}

}  // namespace redact::plan
