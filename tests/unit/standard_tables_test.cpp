#include "pdf/standard_tables.h"

#include <gtest/gtest.h>

namespace redact::pdf {
namespace {

TEST(GlyphNames, AdobeGlyphListAndUniForms) {
  EXPECT_EQ(glyph_name_to_unicode("A"), U"A");
  EXPECT_EQ(glyph_name_to_unicode("sterling"), U"\u00A3");
  EXPECT_EQ(glyph_name_to_unicode("fi"), U"\uFB01");
  EXPECT_EQ(glyph_name_to_unicode("quoteright"), U"\u2019");
  EXPECT_EQ(glyph_name_to_unicode("uni20AC"), U"\u20AC");
  EXPECT_EQ(glyph_name_to_unicode("uni00660069"), U"fi");
  EXPECT_EQ(glyph_name_to_unicode("u1F600"), std::u32string(1, 0x1F600));
  EXPECT_EQ(glyph_name_to_unicode("f_f_i"), U"ffi");
  EXPECT_EQ(glyph_name_to_unicode("a.sc"), U"a");
}

// pdfTeX names Computer Modern's symbols by TeX's list, which the Adobe
// Glyph List lacks: "Copyright (circlecopyrt) 2009" held a paper whole.
TEST(GlyphNames, TexNamesAndTheirSizes) {
  EXPECT_EQ(glyph_name_to_unicode("circlecopyrt"), U"\u00A9");
  EXPECT_EQ(glyph_name_to_unicode("triangle"), U"\u25B3");
  EXPECT_EQ(glyph_name_to_unicode("angbracketleft"), U"\u27E8");
  EXPECT_EQ(glyph_name_to_unicode("summationtext"), U"\u2211");  // the Adobe name plus a size
  EXPECT_EQ(glyph_name_to_unicode("parenleftBigg"), U"(");
  EXPECT_EQ(glyph_name_to_unicode("coproductdisplay"), U"\u2210");  // TeX's name plus a size
  EXPECT_EQ(glyph_name_to_unicode("circlecopyrt.alt"), U"\u00A9");
  EXPECT_EQ(glyph_name_to_unicode("big"), U"");
  EXPECT_EQ(glyph_name_to_unicode("g42text"), U"");
  // What poppler knows: Adobe's names only.
  EXPECT_EQ(adobe_glyph_name_to_unicode("triangle"), U"");
  EXPECT_EQ(adobe_glyph_name_to_unicode("summationtext"), U"");
  EXPECT_EQ(adobe_glyph_name_to_unicode("summation"), U"\u2211");
}

TEST(GlyphNames, MeaninglessNamesAreUnknown) {
  EXPECT_EQ(glyph_name_to_unicode("g42"), U"");
  EXPECT_EQ(glyph_name_to_unicode("cid00017"), U"");
  EXPECT_EQ(glyph_name_to_unicode("uniD800"), U"");  // a surrogate is no character
  // Too few hex digits: PoDoFo's lookup read "uni41" as ")" (decimal 41).
  EXPECT_EQ(glyph_name_to_unicode("uni41"), U"");
  EXPECT_EQ(glyph_name_to_unicode("uni123"), U"");
  EXPECT_EQ(glyph_name_to_unicode("u53"), U"");
  // Small letters: MuPDF reads them, poppler does not (the code then).
  EXPECT_EQ(glyph_name_to_unicode("uni00e9"), U"\u00E9");
  EXPECT_EQ(adobe_glyph_name_to_unicode("uni00e9"), U"");
  EXPECT_EQ(glyph_name_to_unicode(""), U"");
}

TEST(BaseEncodings, ValuesAreNotByteSwapped) {
  EXPECT_EQ(base_encoding_unicode(BaseEncoding::win_ansi, 0x41), U'A');
  EXPECT_EQ(base_encoding_unicode(BaseEncoding::win_ansi, 0x80), U'\u20AC');
  EXPECT_EQ(base_encoding_unicode(BaseEncoding::win_ansi, 0xA3), U'\u00A3');
  EXPECT_EQ(base_encoding_unicode(BaseEncoding::standard, 0x27), U'\u2019');
  EXPECT_EQ(base_encoding_unicode(BaseEncoding::mac_roman, 0x8E), U'\u00E9');
  EXPECT_EQ(base_encoding_unicode(BaseEncoding::symbol, 0x61), U'\u03B1');
}

TEST(Standard14, NamesAndAliases) {
  ASSERT_NE(Standard14::find("Helvetica"), nullptr);
  EXPECT_EQ(Standard14::find("Arial,Bold")->name(), "Helvetica-Bold");
  EXPECT_EQ(Standard14::find("Arial-BoldItalicMT")->name(), "Helvetica-BoldOblique");
  EXPECT_EQ(Standard14::find("TimesNewRomanPSMT")->name(), "Times-Roman");
  EXPECT_EQ(Standard14::find("TimesNewRomanPS-BoldMT")->name(), "Times-Bold");
  EXPECT_EQ(Standard14::find("CourierNew,Italic")->name(), "Courier-Oblique");
  EXPECT_EQ(Standard14::find("LiberationSans"), nullptr);
}

TEST(Standard14, WidthsAndExtents) {
  const Standard14* helvetica = Standard14::find("Helvetica");
  EXPECT_EQ(helvetica->width(U'A'), 667);
  EXPECT_EQ(helvetica->width(U' '), 278);
  EXPECT_EQ(helvetica->width(U'\u4E00'), -1);
  EXPECT_GT(helvetica->ascent(), 700);
  EXPECT_LT(helvetica->descent(), -200);
  EXPECT_EQ(Standard14::find("Courier")->width(U'i'), 600);
}

}  // namespace
}  // namespace redact::pdf
