// What the interpreter needs to know of a font: how to split a string into
// character codes, each code's Unicode text and its width. Built from the font
// dictionary by font_loader.cpp (PoDoFo's own decoding is not usable, see
// shared/PODOFO-0.9.8.md); this type itself is plain data.
//
// A code whose Unicode cannot be determined gives an empty string from
// `unicode()`: callers must report it as unknown, never guess.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.h"
#include "pdf/cmap.h"

namespace redact::pdf {

struct Font {
  enum class Kind { type1, truetype, type3, type0, unknown };

  Kind kind = Kind::unknown;
  std::string base_font;  // without a subset prefix such as "ABCDEF+"
  std::string object;     // "12 0", or "" for a direct dictionary
  bool vertical = false;
  // Glyph space to text space: 1/1000 except for Type3 fonts.
  Matrix font_matrix{0.001, 0, 0, 0.001, 0, 0};
  // In text space units (fractions of the font size).
  double ascent = 0.8;
  double descent = -0.2;
  // The height of the font's em in text space units: 1 but for a Type3 font
  // whose FontMatrix makes its glyphs larger or smaller than the font size
  // says (its FontBBox height, through the FontMatrix). Glyph::size is the
  // font size times this: what word and column gaps are measured in.
  double em = 1.0;

  // --- simple fonts (Type1, TrueType, Type3): one byte per code
  std::array<std::u32string, 256> simple_unicode{};  // from /Encoding and /Differences
  // Codes whose simple_unicode is only the usual default (WinAnsi for a
  // symbolic TrueType font that says nothing): no evidence of what is drawn.
  std::array<bool, 256> simple_guessed{};
  // Where another reader reads a code otherwise (poppler's WinAnsi for a
  // symbolic TrueType font whose program names its glyphs): see
  // Glyph::encoded_text. Empty where the readings agree.
  std::array<std::u32string, 256> simple_alternative{};
  // Type3 codes whose glyph procedure paints nothing (or that have none):
  // text shown with them is read by every extractor and seen by no one.
  std::array<bool, 256> simple_paints_nothing{};
  // Type3 codes whose glyph procedure sets its own colours (or draws an
  // image, a shading or a form): the text's fill colour is not what shows.
  std::array<bool, 256> simple_own_colour{};
  // Type3 codes whose glyph procedure shows text of its own (Tj, TJ, ' or
  // ", or a form that does): what the glyph looks like is that text, which
  // its Unicode does not say ("Z" drawing "Fr" beside "ance" shows France
  // to the eye alone).
  std::array<bool, 256> simple_shows_text{};
  std::array<double, 256> simple_widths{};           // glyph space
  std::array<bool, 256> simple_has_width{};
  double missing_width = 0;                          // glyph space

  // Codes whose glyph in the embedded program draws nothing readable (no
  // outline, a speck, ink far from its place or next to none: font_loader.cpp,
  // blank_glyph): text shown with them may show nothing, which drawing the
  // page settles. Not for Type3 fonts.
  std::array<bool, 256> simple_blank{};

  // --- Type0 fonts
  std::optional<CMap> encoding;  // code -> CID and the codespace
  struct WidthRange {
    uint32_t first, last;
    double width;
  };
  std::vector<WidthRange> cid_widths;  // sorted by `first` once loaded
  double default_width = 1000;         // /DW
  std::vector<WidthRange> cid_vertical_advances;  // /W2 w1y only
  double default_vertical_advance = -1000;        // /DW2 [vy w1y]: w1y
  double default_vertical_origin_y = 880;         // /DW2: vy

  std::optional<CMap> to_unicode;
  // CIDs whose glyph is blank, as simple_blank; shorter than the highest CID.
  std::vector<bool> blank_cids;

  // The code at `pos` (< bytes.size()); returns its length in bytes (>= 1).
  size_t next_code(std::string_view bytes, size_t pos, uint32_t& code) const;
  // The Unicode text of a code; empty when it cannot be determined.
  std::u32string unicode(uint32_t code) const;
  // The horizontal displacement w0 of a code, in text space units.
  double width(uint32_t code) const;
  // The vertical displacement w1 (negative: downwards) in text space units.
  double vertical_advance(uint32_t code) const;
  // Word spacing applies to the single-byte code 32 only (9.3.3).
  bool is_word_space(uint32_t code, size_t length) const { return code == 32 && length == 1; }
  bool is_simple() const { return kind != Kind::type0; }
  std::optional<uint32_t> cid(uint32_t code) const;
  // Whether the embedded program's glyph for `code` may draw nothing.
  bool blank(uint32_t code) const;
};

// Strips "ABCDEF+" subset prefixes.
std::string strip_subset_prefix(std::string_view base_font);

}  // namespace redact::pdf
