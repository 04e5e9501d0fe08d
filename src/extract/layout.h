// Lines and words rebuilt from glyph geometry, and the page's text in
// reading order.
//
// Glyphs are taken in content-stream order. A glyph continues the current
// line when it runs in the same direction, its baseline is within half a font
// size of the line's, and it neither jumps back nor leaps `kColumnGap` ahead
// (the next cell of a table row starts a line of its own). Words break where the gap
// from the previous glyph exceeds `kSpaceGap` of the font size, or
// `kSpaceGlyphGap` where a space glyph stands between them (a space that
// the next glyph is kerned back over is no break: readers see no gap). Lines
// are then ordered top to bottom (in the page as displayed), and lines that
// share a baseline are joined left to right, so a table row reads as one line.
// Text drawn in other directions (rotated) follows, grouped by direction.
//
// Glyphs drawn over identical ones are kept: hidden text laid over visible
// text ("FRANCE" under "FRANCS") must reach the matcher whole, so nothing is
// dropped as a duplicate (poppler drops such characters one by one).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.h"
#include "pdf/page_content.h"

namespace redact::extract {

// A word is its glyphs; its text and bounds are theirs (text_of, bounds_of),
// worked out only where they are shown: a reading of a dense table makes
// a hundred thousand words, and each reading only needs their glyphs.
struct Word {
  std::vector<uint32_t> glyphs;  // indices into PageContent::glyphs
};

struct Line {
  std::vector<Word> words;
  bool new_block = false;  // starts a block: a paragraph, a table cell, a column
};

std::string text_of(const pdf::PageContent& page, const Word& word);
Rect bounds_of(const pdf::PageContent& page, const Word& word);
Rect bounds_of(const pdf::PageContent& page, const Line& line);

struct PageText {
  std::vector<Line> lines;
  // Words separated by single spaces, lines by '\n', blocks by "\n\n".
  std::string text;
  // For each byte of `text`, the glyph it came from (for a word break, the
  // space glyph there, if any), or -1 for a break the layout inserted.
  std::vector<int32_t> text_glyphs;
};

constexpr double kSpaceGap = 0.15;
constexpr double kSpaceGlyphGap = 0.05;
constexpr double kColumnGap = 1.0;
// Font sizes: a gap on one baseline at least this wide separates two blocks
// (table cells, a line number and its text), across which no pattern
// matches; a narrower one (wide justification) is only a line break, and
// "United     States" still reads as one name.
constexpr double kBlockGap = 3.0;

// Whether a glyph's text is a space (a word break, not a letter): space,
// no-break space, tab, line feed, carriage return.
bool is_space(const std::string& text);

// The direction a glyph reads in, in page space (a unit vector): along its
// baseline, or up its quad turned right for a zero-width or vertical glyph.
Point reading_direction(const pdf::Glyph& glyph);

// What the readings of a page look up about each glyph, worked out once per
// page: all_readings passes over a dense table's glyphs a dozen times, and a
// Glyph is 260 bytes with its text a string of its own, so each look at one
// out of order is a cache miss.
class GlyphFacts {
 public:
  explicit GlyphFacts(const pdf::PageContent& page);

  // reading_direction of glyph `g`.
  Point direction(size_t g) const { return directions_[g]; }
  // is_space of its text.
  bool space(size_t g) const { return kinds_[g] & kSpace; }
  // Its text is all punctuation or symbols (quotes, brackets, dashes, a
  // bullet, a degree sign), and not empty.
  bool punctuation(size_t g) const { return kinds_[g] & kPunctuation; }
  // Its text is all control characters (and not empty).
  bool controls(size_t g) const { return kinds_[g] & kControls; }
  bool empty(size_t g) const { return text_starts_[g] == text_starts_[g + 1]; }
  std::string_view text(size_t g) const {
    return std::string_view(texts_).substr(text_starts_[g], text_starts_[g + 1] - text_starts_[g]);
  }

 private:
  static constexpr uint8_t kSpace = 1, kPunctuation = 2, kControls = 4;
  std::vector<Point> directions_;
  std::vector<uint8_t> kinds_;
  std::string texts_;                // every glyph's text, one after another
  std::vector<size_t> text_starts_;  // glyph g's is [text_starts_[g], text_starts_[g + 1])
};

PageText layout(const pdf::PageContent& page, const GlyphFacts& facts);
PageText layout(const pdf::PageContent& page);

// The direction group of a reading direction: 0 upright, then 90, 180, 270
// degrees, and 4 for anything else.
int direction_group(Point dir);

// Builds a PageText from lines of items: a glyph index (>= 0), a word break
// (-1), or a word break at space glyph i (-2 - i). Lines without a glyph are
// left out. `new_blocks[i]` (when given) says line i starts a block: a blank
// line goes before it, which the normalizer turns into a boundary no
// pattern crosses. Every reading of a page (layout, readings.h) ends here.
PageText assemble(const GlyphFacts& facts, const std::vector<std::vector<int64_t>>& lines,
                  const std::vector<bool>& new_blocks = {});

}  // namespace redact::extract
