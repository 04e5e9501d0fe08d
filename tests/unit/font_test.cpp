#include "pdf/font.h"

#include <gtest/gtest.h>

namespace redact::pdf {
namespace {

TEST(Font, SimpleFontWidthsAndMissingWidth) {
  Font font;
  font.kind = Font::Kind::truetype;
  font.simple_widths[65] = 722;
  font.simple_has_width[65] = true;
  font.missing_width = 250;
  EXPECT_DOUBLE_EQ(font.width(65), 0.722);
  EXPECT_DOUBLE_EQ(font.width(66), 0.25);
  uint32_t code = 0;
  EXPECT_EQ(font.next_code("AB", 1, code), 1u);
  EXPECT_EQ(code, 66u);
  EXPECT_TRUE(font.is_word_space(32, 1));
}

TEST(Font, ToUnicodeWinsOverEncodingAndEmptyMeansUnknown) {
  Font font;
  font.kind = Font::Kind::type1;
  font.simple_unicode[1] = U"x";
  font.to_unicode = CMap::parse("1 beginbfchar <02> <0041> endbfchar 1 beginbfchar <03> <0000> endbfchar");
  EXPECT_EQ(font.unicode(2), U"A");
  EXPECT_EQ(font.unicode(1), U"x");  // not in ToUnicode: the encoding says
  EXPECT_EQ(font.unicode(3), U"");   // mapped to NUL: unknown
  EXPECT_EQ(font.unicode(4), U"");
}

TEST(Font, Type0WidthsFromWRangesAndDefault) {
  Font font;
  font.kind = Font::Kind::type0;
  font.encoding = CMap::identity(false);
  font.cid_widths = {{3, 3, 500}, {10, 20, 600}};
  font.default_width = 1000;
  EXPECT_DOUBLE_EQ(font.width(3), 0.5);
  EXPECT_DOUBLE_EQ(font.width(15), 0.6);
  EXPECT_DOUBLE_EQ(font.width(21), 1.0);
  uint32_t code = 0;
  EXPECT_EQ(font.next_code(std::string("\x00\x03\x00\x20", 4), 0, code), 2u);
  EXPECT_EQ(code, 3u);
  EXPECT_FALSE(font.is_word_space(32, 2));  // word spacing is for 1-byte code 32 only
}

TEST(Font, Type3WidthsGoThroughTheFontMatrix) {
  Font font;
  font.kind = Font::Kind::type3;
  font.font_matrix = Matrix{0.01, 0, 0, 0.01, 0, 0};
  font.simple_widths[65] = 50;
  font.simple_has_width[65] = true;
  EXPECT_DOUBLE_EQ(font.width(65), 0.5);
}

TEST(Font, SubsetPrefixIsStripped) {
  EXPECT_EQ(strip_subset_prefix("ABCDEF+LiberationSans"), "LiberationSans");
  EXPECT_EQ(strip_subset_prefix("Abcdef+X"), "Abcdef+X");
  EXPECT_EQ(strip_subset_prefix("Helvetica"), "Helvetica");
}

}  // namespace
}  // namespace redact::pdf
