#include "normalize/normalizer.h"

#include <gtest/gtest.h>

#include "core/unicode.h"
#include "pdf/text_string.h"

namespace redact::normalize {
namespace {

TEST(Normalizer, LigaturesDiacriticsApostrophesAndDashes) {
  EXPECT_EQ(normalized("o\uFB03cers in C\u00F4te d\u2019Ivoire \u2013 T\u00FCrkiye"), "officers in Cote d'Ivoire - Turkiye");
  EXPECT_EQ(normalized("S\u00E3o Tom\u00E9 \u201Cquoted\u201D"), "Sao Tome \"quoted\"");
  EXPECT_EQ(normalized("\u00A312,345\u00A0k"), "\u00A312,345 k");
  EXPECT_EQ(normalized("Cura\u00E7ao"), "Curacao");
}

TEST(Normalizer, SoftHyphensVanishAndLineEndHyphensJoin) {
  EXPECT_EQ(normalized("deploy\u00ADment"), "deployment");
  EXPECT_EQ(normalized("deploy-\nment"), "deployment");
  EXPECT_EQ(normalized("deploy\u00AD\nment"), "deployment");
  EXPECT_EQ(normalized("Guinea-\nBissau"), "Guinea-Bissau");  // a capital: the hyphen is real
  EXPECT_EQ(normalized("costs -\nand"), "costs - and");          // a dash between words
  EXPECT_EQ(normalized("United States of\nAmerica"), "United States of America");
}

TEST(Normalizer, ControlCharactersAreWordBreaks) {
  // A font can map its space glyph to a control character: readers show a
  // gap there, and so must the patterns' text (the readings with the
  // controls dropped are extract::all_readings' and pdf::other_readings').
  EXPECT_EQ(normalized("Two\x03officers"), "Two officers");
  EXPECT_EQ(normalized("France\x1FSpain\u0085Italy\x7FPeru"), "France Spain Italy Peru");  // C1 too
  EXPECT_EQ(normalized(std::string("a\tb\vc\fd\0e", 9)), "a b c d e");
  EXPECT_EQ(normalized("Fr\u200Dance"), "France") << "a zero-width joiner is not a control";
  const NormalizedText n = normalize("x\x02y");
  ASSERT_EQ(n.text, "x y");
  EXPECT_EQ(n.source_range(1, 2), (std::pair<size_t, size_t>{1, 2}));
}

TEST(Normalizer, ABlankLineIsABoundaryNoPatternCrosses) {
  EXPECT_EQ(normalized("9\n\nmilitary officers"), "9 \u2029military officers");
  EXPECT_EQ(normalized("9\r\n\r\nofficers"), "9 \u2029officers");
  EXPECT_EQ(normalized("a\n\n\nb"), "a \u2029b") << "one marker however many blank lines";
  EXPECT_EQ(normalized("deploy-\n\nment"), "deployment") << "a word hyphenated across the break stays whole";
  EXPECT_EQ(normalized("\u2029"), " ") << "the marker cannot come from the text itself";
}

TEST(Normalizer, SuperscriptsAndSubscriptsAreReadAsNothing) {
  // A footnote mark or a sign set above the line is not more of the word:
  // NFKD alone would make "France\u2122" "FranceTM" and "France\u00B9" "France1".
  EXPECT_EQ(normalized("France\u2122 campaign"), "France campaign");
  EXPECT_EQ(normalized("France\u00B9\u00B2 here"), "France here");
  EXPECT_EQ(normalized("14\u00B9 officers"), "14 officers") << "nor more of a number";
  EXPECT_EQ(normalized("Holland\u2122 Foods"), "Holland Foods") << "no acronym after a name";
  EXPECT_EQ(normalized("CO\u2082 and x\u207A\u00B2"), "CO and x");
  // Modifier letters are letters: a word written in them is that word.
  EXPECT_EQ(normalized("M\u1D9CKenzie in \u1D36\u1D2C\u1D3E\u1D2C\u1D3A"), "McKenzie in JAPAN");
  EXPECT_EQ(normalized("1\u00BA"), "1o") << "an ordinal indicator is a letter";
  const NormalizedText n = normalize("Spain\u00B3 x");  // a match across it takes it
  ASSERT_EQ(n.text, "Spain x");
  EXPECT_EQ(n.source_range(0, 7), (std::pair<size_t, size_t>{0, 9}));
}

TEST(Normalizer, EveryByteMapsBackToItsSourceCharacter) {
  const std::string source = "\uFB01x\nC\u00F4";  // "ﬁ" (3 bytes) x \n C ô (2 bytes)
  NormalizedText n = normalize(source);
  ASSERT_EQ(n.text, "fix Co");
  EXPECT_EQ(n.source_range(0, 2), (std::pair<size_t, size_t>{0, 3}));  // "fi" <- the ligature
  EXPECT_EQ(n.source_range(2, 3), (std::pair<size_t, size_t>{3, 4}));  // "x"
  EXPECT_EQ(n.source_range(4, 6), (std::pair<size_t, size_t>{5, 8}));  // "Co" <- "Cô"
}

TEST(Normalizer, PdfTextStringsDecodeBeforeMatching) {
  EXPECT_EQ(normalized(pdf::decode_text_string(std::string("\xFE\xFF\x00T\x00\xFC", 6))), "Tu");
  EXPECT_EQ(normalized(pdf::decode_text_string("C\xF4te")), "Cote");
}

TEST(Normalizer, UnknownGlyphsStayUnknown) {
  EXPECT_EQ(normalized("a\uFFFDb"), "a\uFFFDb");
}

}  // namespace
}  // namespace redact::normalize
