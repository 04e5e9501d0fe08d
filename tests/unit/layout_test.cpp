#include "extract/layout.h"

#include <gtest/gtest.h>

namespace redact::extract {
namespace {

// An upright glyph of `width` at baseline (x, y), 10 pt text.
pdf::Glyph glyph(const std::string& text, double x, double y, double width = 5, double size = 10) {
  pdf::Glyph g;
  g.text = text;
  g.size = size;
  g.origin = {x, y};
  g.end = {x + width, y};
  g.quad = {{x, y - 0.8 * size}, {x + width, y - 0.8 * size}, {x, y + 0.2 * size}, {x + width, y + 0.2 * size}};
  g.box = g.quad.bounds();
  return g;
}

pdf::PageContent page_of(std::vector<pdf::Glyph> glyphs) {
  pdf::PageContent page;
  page.glyphs = std::move(glyphs);
  return page;
}

TEST(Layout, GapsBecomeSpacesAndTightGlyphsStayOneWord) {
  // "ab" touching, then a 3 pt gap (0.3 of the size), then "c".
  PageText t = layout(page_of({glyph("a", 0, 100), glyph("b", 5, 100), glyph("c", 13, 100)}));
  EXPECT_EQ(t.text, "ab c");
  ASSERT_EQ(t.lines.size(), 1u);
  ASSERT_EQ(t.lines[0].words.size(), 2u);
  EXPECT_EQ(t.lines[0].words[0].glyphs, (std::vector<uint32_t>{0, 1}));
}

TEST(Layout, SmallKerningGapIsNotASpace) {
  PageText t = layout(page_of({glyph("a", 0, 100), glyph("b", 6, 100)}));
  EXPECT_EQ(t.text, "ab");
}

TEST(Layout, SpaceGlyphsSeparateWordsWithoutDoubling) {
  PageText t = layout(page_of({glyph("a", 0, 100), glyph(" ", 5, 100, 3), glyph("b", 12, 100)}));
  EXPECT_EQ(t.text, "a b");
}

TEST(Layout, SpaceGlyphMapsItsBreak) {
  PageText t = layout(page_of({glyph("a", 0, 100), glyph(" ", 5, 100, 3), glyph("b", 8, 100)}));
  ASSERT_EQ(t.text, "a b");
  EXPECT_EQ(t.text_glyphs, (std::vector<int32_t>{0, 1, 2}));
}

TEST(Layout, SpaceGlyphKernedOverIsNoBreak) {
  // groff's "Tw o": the "o" is pulled back over the space glyph.
  PageText t = layout(page_of({glyph("T", 0, 100), glyph("w", 5, 100), glyph(" ", 10, 100, 3), glyph("o", 9.9, 100)}));
  EXPECT_EQ(t.text, "Two");
}

TEST(Layout, BaselineMoveStartsANewLineInReadingOrder) {
  // Drawn bottom line first; read top line first.
  PageText t = layout(page_of({glyph("2", 0, 200), glyph("1", 0, 100)}));
  EXPECT_EQ(t.text, "1\n2") << "another baseline: a line break, no block boundary";
  EXPECT_EQ(t.lines.size(), 2u);
}

TEST(Layout, CellsOfARowReadLeftToRight) {
  // A table row drawn right cell first.
  PageText t = layout(page_of({glyph("£", 300, 100), glyph("5", 305, 100), glyph("C", 0, 100.5)}));
  EXPECT_EQ(t.text, "C\n\n£5") << "each cell a block";
}

TEST(Layout, ACellsSecondLineFollowsItsFirstEvenWhenDrawnRowByRow) {
  // Row 1: "Congo" cell line 1 ("DRC of"), cost cell; then the cell's line 2 ("the").
  PageText t = layout(page_of({glyph("A", 0, 100), glyph("B", 5, 100), glyph("£", 300, 100), glyph("C", 0, 112),
                               glyph("D", 0, 140), glyph("£", 300, 140)}));
  EXPECT_EQ(t.text, "AB\nC\n\n£\nD\n\n£") << "a boundary between the cells of a row";
}

TEST(Layout, ParagraphsFarApartAreSeparateBlocks) {
  // Two columns: each column's lines stay together.
  PageText t = layout(page_of({glyph("a", 0, 100), glyph("b", 0, 112), glyph("x", 300, 100), glyph("y", 300, 112)}));
  EXPECT_EQ(t.text, "a\nb\n\nx\ny") << "a narrow first column (line numbers, row codes): a boundary";
  EXPECT_TRUE(t.lines[2].new_block);
  EXPECT_FALSE(t.lines[1].new_block);
  // Two columns of text: the second goes on from the bottom of the first.
  auto word = [](double x, double y) {
    std::vector<pdf::Glyph> w;
    for (int i = 0; i < 12; ++i) w.push_back(glyph(std::string(1, static_cast<char>('a' + i)), x + 5 * i, y));
    return w;
  };
  std::vector<pdf::Glyph> columns;
  for (auto part : {word(0, 100), word(0, 112), word(300, 100), word(300, 112)}) columns.insert(columns.end(), part.begin(), part.end());
  PageText text = layout(page_of(columns));
  EXPECT_EQ(text.text.find("\n\n"), std::string::npos) << text.text;
}

TEST(Layout, WordSplitAcrossTwoRunsIsOneWord) {
  // "Côte" drawn as "Cô" and "te" by two operations, abutting.
  PageText t = layout(page_of({glyph("C", 0, 100), glyph("ô", 5, 100), glyph("t", 10, 100), glyph("e", 15, 100)}));
  EXPECT_EQ(t.text, "Côte");
  ASSERT_EQ(t.lines[0].words.size(), 1u);
}

TEST(Layout, TextBytesMapBackToGlyphs) {
  PageText t = layout(page_of({glyph("é", 0, 100), glyph("x", 12, 100)}));
  ASSERT_EQ(t.text, "é x");
  EXPECT_EQ(t.text_glyphs, (std::vector<int32_t>{0, 0, -1, 1}));
}

TEST(Layout, AColumnWideGapStartsANewLine) {
  PageText t = layout(page_of({glyph("a", 0, 100), glyph("b", 5 + 9, 100), glyph("c", 19 + 11, 100)}));
  EXPECT_EQ(t.text, "a b\nc") << "a gap under kBlockGap: the same block (wide justification)";
  PageText cells = layout(page_of({glyph("a", 0, 100), glyph("c", 5 + 40, 100)}));
  EXPECT_EQ(cells.text, "a\n\nc") << "kBlockGap or more: another block (a table cell)";
}

TEST(Layout, EmptyPageHasNoText) {
  PageText t = layout(page_of({}));
  EXPECT_EQ(t.text, "");
  EXPECT_TRUE(t.lines.empty());
}

}  // namespace
}  // namespace redact::extract
