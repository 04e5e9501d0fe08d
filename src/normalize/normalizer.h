// Text prepared for matching, and the map back to where each part came from.
//
// Normalization folds what a reader does not see as different: compatibility
// forms (NFKD: the ligature U+FB01 is "fi"), diacritics (removed: "Côte"
// matches "Cote"), typographic apostrophes, quotes and dashes, unusual spaces,
// soft hyphens (removed), and line breaks (a space; a word hyphenated at a
// line end is joined: "deploy-\nment" is "deployment", "Guinea-\nBissau" is
// "Guinea-Bissau"). A blank line ("\n\n": the layout's break between two
// blocks, paragraphs, table cells or columns) adds the block boundary
// marker U+2029 after the space: RE2's \s does not match it, so no pattern
// joins a number at the end of one cell to a noun in the next. A superscript
// or subscript character that is no letter (a footnote mark "¹", the sign
// "™", which NFKD makes "1" and "TM") is read as nothing, as a person skips
// it: a reader sees France in "France™". Case is kept.
//
// Every byte of the result maps to the source character it came from, so a
// match in the normalized text names an exact range of the source text (and
// through extract::PageText::text_glyphs, exact glyphs).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace redact::normalize {

struct NormalizedText {
  std::string text;  // UTF-8
  // For each byte of `text`, the source byte range of the character it came from.
  std::vector<uint32_t> source_begin;
  std::vector<uint32_t> source_end;

  // The source byte range [begin, end) behind normalized bytes [b, e), e > b.
  std::pair<size_t, size_t> source_range(size_t b, size_t e) const {
    return {source_begin[b], source_end[e - 1]};
  }
};

NormalizedText normalize(std::string_view source);

// The normalized form alone, for patterns, terms and examples.
std::string normalized(std::string_view text);

}  // namespace redact::normalize
