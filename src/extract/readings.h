// Readings of a page's text besides the layout one. `check` matches every
// reading, because a reader that differs from ours (pdftotext, mutool, a
// copy and paste) may see words that our layout does not:
//
// - content_order: each glyph in content-stream order, words split only
//   where the gap from the previous glyph's expected advance (Tc, Tw and Tz
//   included) is more than `kSpaceGap` of the font size, or
//   `kOperationGap` where the two glyphs come from different text-showing
//   operations (two words 0.1 em apart in separate text objects); lines
//   break where the text turns, leaves the baseline or jumps back.
// - by_position: every glyph by its place, as pdftotext reads a page: lines
//   of glyphs whose baselines lie within 0.6 font sizes of each other (a
//   word raised with Ts, a word drawn later back on its line), each read
//   along its direction, lines from top to bottom; every line, and every
//   part of one past `kPositionColumnGap`, a block of its own; words split
//   where pdftotext splits them, `kPositionSpaceGap` apart.
// - join_letter_spacing: a reading in which runs of single-letter words
//   ("D E P L O Y M E N T  T O  F R A N C E", letter spacing made with
//   positioning) are joined, with word breaks where a gap in the run is
//   clearly wider than its letter gaps.
// - spread letters (in all_readings): letters up to `kSpreadGap` font sizes
//   apart, evenly or not, each run of single letters joined whole
//   ("F   r a     n c e").
// - marks skipped (in all_readings): content order with each footnote mark
//   (a glyph no larger than the line's last glyph on its own baseline, set
//   `kMarkShift` of its size or more above or below it) read as nothing,
//   as a person skips it: "France" and a raised "2", which pdftotext and
//   mutool read "France2", read France; "Jordan" and a raised "TM", Jordan.
// - stacked_letters: glyphs each alone on its line (nothing within
//   `kStackAlone` font sizes along it on a baseline within
//   `kStackBaseline`) and stacked one above another, each overlapping the
//   one above along and 0.3 to 2 font sizes below it: each stack of three
//   or more read top to bottom, a block of its own, words broken where the
//   step between letters changes (the next cell below). A header cell set
//   in stacked orientation, a figure written down a margin: pdftotext and
//   mutool print a letter a line, a person reads "Spain".
// - hyphens joined (in all_readings): a word hyphenated at the end of a
//   line read whole whatever the case of the letter that goes on, as
//   poppler reads "KES-" + "TREL"; the normalizer joins only a small letter.
// - controls dropped (in all_readings): a control character, which
//   normalizing reads as a word break (a font's space glyph mapped to
//   U+0003), read as nothing ("Fr\x01ance" is France).
//
// Both return a PageText over the same glyph indices, so plan::locate maps
// their matches back to boxes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/layout.h"

namespace redact::extract {

// What a reading puts in place of a glyph it reads as nothing (a control
// character, a mark between letters): a zero-width joiner, which the
// normalizer ignores, mapped to that glyph so that a match still takes it.
inline constexpr std::string_view kReadAsNothing = "\u200D";

constexpr double kOperationGap = 0.08;
constexpr double kSpreadGap = 4.0;  // font sizes: how far apart spread letters may be
// A footnote mark (marks skipped, in all_readings) has its baseline this
// much of the text's size or more above or below the text's (and less than
// the size). Chromium's <sup> is 0.33 em up, Word's superscript too; a
// mark raised 1.5 pt on 11 pt text is 0.14.
constexpr double kMarkShift = 0.12;
// A glyph this much of the text's size or smaller is a mark raised or
// lowered less: 0.05 of the size (a 65% "1" raised 0.1 em of its own).
constexpr double kSmallMarkSize = 0.75;
constexpr double kSmallMarkShift = 0.05;
// More glyphs in a row off the line than a mark has ("1,2", "iii", "(4)"):
// text on a baseline of its own, such as the next cell of a table.
constexpr size_t kMaxMarkGlyphs = 4;
// Font sizes: in the position reading, a gap this wide on a line parts two
// columns. pdftotext reads "United  States" 1.05 sizes apart as one line and
// two columns 1.5 sizes apart as two.
constexpr double kPositionColumnGap = 1.25;
// Font sizes: pdftotext breaks words this far apart (poppler's
// minWordBreakSpace): a name kerned 0.12 em from its neighbours in a TJ
// array, "[(Mr) -120 (Kestrel) -120 (said)] TJ", is a word of its own to
// it, where the layout reading (kSpaceGap) reads "MrKestrelsaid".
constexpr double kPositionSpaceGap = 0.1;

PageText content_order(const pdf::PageContent& page);
PageText by_position(const pdf::PageContent& page);
PageText join_letter_spacing(const pdf::PageContent& page, const PageText& text);
constexpr double kStackAlone = kSpaceGap;  // font sizes: a word gap
constexpr double kStackBaseline = 0.2;  // font sizes: baselines closer than this share a line
constexpr double kStackPitch = 0.15;  // font sizes: a change of step that breaks a stacked word
constexpr size_t kOpenStacks = 1024;
PageText stacked_letters(const pdf::PageContent& page);

struct Reading {
  const char* name;  // "layout", "content order", "position", "letter spacing", ...
  PageText text;
};
// Every reading of the page, each one only when its text differs from the
// readings before it (most pages read the same in content order, and have
// no letter spacing to join): what the planner and check both match.
std::vector<Reading> all_readings(const pdf::PageContent& page);

// What each glyph of a marked-content span says in the span's /ActualText,
// where that says what the glyphs say, white space, case and compatibility
// forms aside (a small-caps "PARIS" under "Paris", a ligature "ﬁ" under
// "fi", "é" under "e" and a combining acute): each glyph's part of the
// ActualText (in NFKC), after the white space it has before it; a space
// glyph says only that white space, as does a hyphen it has not (the
// "exam-" of "exam-" "ple" under "example"), and the last glyph takes what
// is after. Nothing when the ActualText says otherwise.
std::optional<std::vector<std::string>> actual_text_parts(std::string_view actual,
                                                          std::span<const pdf::Glyph> glyphs);

// The page as pdftotext reads it where a marked-content span has an
// /ActualText: that text in place of the glyphs it shows (the outermost
// span's; over none, pdftotext prints nothing), laid from the first glyph
// to the end of the last, so that on one line gaps between them part
// nothing. Where it says what they say (actual_text_parts), each glyph
// reads its part, a match taking just its glyphs; otherwise the first glyph
// reads it all, and `spans` lists the glyphs so read, [first, end) in page
// order, each read as one: a match that takes the first takes them all.
// Nothing when every ActualText says exactly what its glyphs say, with no
// gap between them: the page reads the same. What the planner and check
// both match.
struct ActualTextReading {
  pdf::PageContent page;
  std::vector<std::pair<uint32_t, uint32_t>> spans;
};
std::optional<ActualTextReading> with_actual_text(const pdf::PageContent& page);

}  // namespace redact::extract
