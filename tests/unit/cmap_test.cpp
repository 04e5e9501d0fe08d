#include "pdf/cmap.h"

#include <gtest/gtest.h>

namespace redact::pdf {
namespace {

const char* kToUnicode = R"(/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfchar
<0003> <0020>
<0010> <00660069>
<0011> <D83DDE00>
endbfchar
2 beginbfrange
<0020> <0022> <0041>
<0030> <0031> [<0078> <00790079>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end)";

TEST(CMap, BfcharBfrangeAndMultiCharacterValues) {
  CMap cmap = CMap::parse(kToUnicode);
  EXPECT_EQ(cmap.unicode(0x03), U" ");
  EXPECT_EQ(cmap.unicode(0x10), U"fi");                 // ligature
  EXPECT_EQ(cmap.unicode(0x11), std::u32string(1, 0x1F600));  // surrogate pair
  EXPECT_EQ(cmap.unicode(0x20), U"A");
  EXPECT_EQ(cmap.unicode(0x22), U"C");                  // incremented
  EXPECT_EQ(cmap.unicode(0x30), U"x");                  // array form
  EXPECT_EQ(cmap.unicode(0x31), U"yy");
  EXPECT_FALSE(cmap.unicode(0x23).has_value());
}

// Regression: single codes beat large ranges whatever their order, so a
// later bfrange remapping "Xkcdqw" to "France" was not seen. Poppler and
// MuPDF let the later definition win.
TEST(CMap, ALaterDefinitionWinsWhateverItsKind) {
  const CMap later_range = CMap::parse(
      "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <1000> <0058> endbfchar "
      "1 beginbfrange <1000> <1FFF> <0046> endbfrange 1 beginbfchar <1001> <0059> endbfchar", nullptr);
  EXPECT_EQ(later_range.unicode(0x1000), std::u32string(U"F"));
  EXPECT_EQ(later_range.unicode(0x1001), std::u32string(U"Y"));  // a later single code wins over the range
  EXPECT_EQ(later_range.unicode(0x1002), std::u32string(U"H"));
}

TEST(CMap, CodespaceRangesSplitMixedLengthCodes) {
  CMap cmap = CMap::parse("2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange");
  const std::string bytes("\x41\x81\x40\x42", 4);
  uint32_t code = 0;
  bool matched = false;
  EXPECT_EQ(cmap.next_code(bytes, 0, code, matched), 1u);
  EXPECT_TRUE(matched);
  EXPECT_EQ(code, 0x41u);
  EXPECT_EQ(cmap.next_code(bytes, 1, code, matched), 2u);
  EXPECT_EQ(code, 0x8140u);
  EXPECT_EQ(cmap.next_code(bytes, 3, code, matched), 1u);
  EXPECT_EQ(code, 0x42u);
}

TEST(CMap, UnmatchedCodeTakesShortestRangeAndNeverPassesTheEnd) {
  CMap cmap = CMap::parse("1 begincodespacerange <0000> <7FFF> endcodespacerange");
  const std::string bytes("\xFF", 1);
  uint32_t code = 0;
  bool matched = true;
  EXPECT_EQ(cmap.next_code(bytes, 0, code, matched), 1u);
  EXPECT_FALSE(matched);
}

TEST(CMap, CidRangesAndIdentityParent) {
  CMap cmap = CMap::parse(
      "/Identity-H usecmap 1 begincidrange <0100> <01FF> 5000 endcidrange 1 begincidchar <0300> 7 endcidchar");
  EXPECT_EQ(cmap.parent_name(), "Identity-H");
  EXPECT_EQ(cmap.cid(0x0100), 5000u);
  EXPECT_EQ(cmap.cid(0x0105), 5005u);
  EXPECT_EQ(cmap.cid(0x0300), 7u);
  EXPECT_EQ(cmap.cid(0x0042), 0x42u);  // from Identity-H
  EXPECT_FALSE(cmap.vertical());
}

TEST(CMap, GlyphNameValuesAreLookedUp) {
  CMap cmap = CMap::parse("1 beginbfchar <01> /quoteright endbfchar");
  EXPECT_EQ(cmap.unicode(1), U"\u2019");
}

TEST(CMap, WModeMakesItVertical) {
  EXPECT_TRUE(CMap::parse("/WMode 1 def").vertical());
  EXPECT_TRUE(CMap::identity(true).vertical());
}

TEST(CMap, HugeRangesStayRanges) {
  CMap cmap = CMap::parse("1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
  EXPECT_EQ(cmap.mapping_count(), 1u);
  EXPECT_EQ(cmap.unicode(0), U"A");
  EXPECT_EQ(cmap.unicode(1), U"B");
}

TEST(CMap, MalformedEntriesAreSkipped) {
  CMap cmap = CMap::parse("2 beginbfrange <0005> <0001> <0041> <0001> endbfrange 1 beginbfchar <01> endbfchar (");
  EXPECT_FALSE(cmap.unicode(0x01).has_value());
  EXPECT_FALSE(cmap.unicode(0x05).has_value());
}

}  // namespace
}  // namespace redact::pdf
