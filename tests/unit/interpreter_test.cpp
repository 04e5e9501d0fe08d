// The interpreter, through whole (small) PDFs: each test states the content
// stream and fonts it needs, reads page 1 and checks glyphs and warnings.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "pdf/document.h"
#include "unit/test_pdf.h"

namespace redact::pdf {
namespace {

using test::build_pdf;
using test::stream_object;
using test::TestPage;

struct Read {
  PageContent page;
  Diagnostics diagnostics;
  std::string text() const {
    std::string out;
    for (const Glyph& g : page.glyphs) out += g.text;
    return out;
  }
  bool warned(const std::string& fragment) const {
    for (const Diagnostic& d : diagnostics.items()) {
      if (d.to_string().find(fragment) != std::string::npos) return true;
    }
    return false;
  }
};

Read read(const std::string& pdf_bytes, int page = 1) {
  auto doc = Document::open(test::write_temp("t.pdf", pdf_bytes));
  Read r;
  r.page = doc->read_page(page, r.diagnostics);
  return r;
}

Read read_content(const std::string& content, const std::vector<std::string>& objects = {},
                  const std::string& resources = "<< /Font << /F1 4 0 R >> >>") {
  return read(build_pdf({TestPage{content, resources}}, objects));
}

// Helvetica 'H' is 722/1000 wide, 'i' 222, space 278.
constexpr double kH = 0.722, kI = 0.222, kSpace = 0.278;

TEST(Interpreter, TjPlacesGlyphsFromTdAndWidths) {
  Read r = read_content("BT /F1 10 Tf 100 700 Td (Hi) Tj ET");
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  const Glyph& h = r.page.glyphs[0];
  EXPECT_EQ(h.text, "H");
  EXPECT_NEAR(h.origin.x, 100, 1e-6);
  EXPECT_NEAR(h.origin.y, 792 - 700, 1e-6);  // page space: y down from the top
  EXPECT_NEAR(h.box.x1 - h.box.x0, 10 * kH, 1e-6);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 100 + 10 * kH, 1e-6);
  EXPECT_NEAR(h.size, 10, 1e-6);
  EXPECT_LT(h.box.y0, h.origin.y);  // ascent above the baseline
  EXPECT_GT(h.box.y1, h.origin.y);  // descent below
  EXPECT_EQ(h.source.op, 3u);
  EXPECT_EQ(h.source.byte_index, 0u);
  EXPECT_EQ(r.page.glyphs[1].source.byte_index, 1u);
}

TEST(Interpreter, TJNumbersMoveBackwardsInThousandths) {
  Read r = read_content("BT /F1 10 Tf 0 0 Td [(H) -1000 (i)] TJ ET");
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 10 * kH + 10, 1e-6);
  EXPECT_EQ(r.page.glyphs[1].source.string_index, 1u);
}

TEST(Interpreter, CharWordSpacingAndHorizontalScale) {
  Read r = read_content("BT /F1 10 Tf 2 Tc 5 Tw 50 Tz ( i) Tj ET");
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  // space: (0.278*10 + 2 + 5) * 0.5
  EXPECT_NEAR(r.page.glyphs[1].origin.x, (kSpace * 10 + 2 + 5) * 0.5, 1e-6);
  EXPECT_NEAR(r.page.glyphs[1].box.x1 - r.page.glyphs[1].box.x0, kI * 10 * 0.5, 1e-6);
}

TEST(Interpreter, RiseLeadingAndNextLineOperators) {
  Read r = read_content("BT /F1 10 Tf 12 TL 0 100 Td (H) Tj T* (i) Tj 3 Ts (H) ' 1 2 (i) \" ET");
  ASSERT_EQ(r.page.glyphs.size(), 4u);
  EXPECT_NEAR(r.page.glyphs[0].origin.y, 792 - 100, 1e-6);
  EXPECT_NEAR(r.page.glyphs[1].origin.y, 792 - 88, 1e-6);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 0, 1e-6);
  EXPECT_NEAR(r.page.glyphs[2].origin.y, 792 - 76 - 3, 1e-6);  // ' moves a line; Ts raises
  EXPECT_NEAR(r.page.glyphs[3].origin.y, 792 - 64 - 3, 1e-6);
}

TEST(Interpreter, TDSetsLeadingAndTmReplacesTheMatrix) {
  Read r = read_content("BT /F1 10 Tf 0 -20 TD (H) Tj T* (H) Tj 1 0 0 1 300 400 Tm (i) Tj ET");
  ASSERT_EQ(r.page.glyphs.size(), 3u);
  EXPECT_NEAR(r.page.glyphs[1].origin.y - r.page.glyphs[0].origin.y, 20, 1e-6);
  EXPECT_NEAR(r.page.glyphs[2].origin.x, 300, 1e-6);
  EXPECT_NEAR(r.page.glyphs[2].origin.y, 392, 1e-6);
}

TEST(Interpreter, CmAndQRestoreTheMatrix) {
  Read r = read_content("q 2 0 0 2 100 100 cm BT /F1 10 Tf (H) Tj ET Q BT /F1 10 Tf (H) Tj ET");
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  EXPECT_NEAR(r.page.glyphs[0].size, 20, 1e-6);
  EXPECT_NEAR(r.page.glyphs[0].origin.x, 100, 1e-6);
  EXPECT_NEAR(r.page.glyphs[1].size, 10, 1e-6);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 0, 1e-6);
}

TEST(Interpreter, RotatedTextHasARotatedQuad) {
  Read r = read_content("BT /F1 10 Tf 0 1 -1 0 100 100 Tm (H) Tj ET");
  ASSERT_EQ(r.page.glyphs.size(), 1u);
  const Glyph& g = r.page.glyphs[0];
  EXPECT_NEAR(g.end.x, 100, 1e-6);           // runs up the page...
  EXPECT_NEAR(g.end.y, 692 - 10 * kH, 1e-6); // ...which is towards y = 0 in page space
}

TEST(Interpreter, FormXObjectWithMatrixAndItsOwnResources) {
  const std::string form = stream_object("BT /FF 10 Tf (H) Tj ET",
                                         "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 50 60] "
                                         "/Resources << /Font << /FF 4 0 R >> >>");
  Read r = read_content("q 1 0 0 1 10 20 cm /X1 Do Q BT /F1 10 Tf (i) Tj ET", {form},
                        "<< /Font << /F1 4 0 R >> /XObject << /X1 5 0 R >> >>");
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  EXPECT_NEAR(r.page.glyphs[0].origin.x, 60, 1e-6);
  EXPECT_NEAR(r.page.glyphs[0].origin.y, 792 - 80, 1e-6);
  ASSERT_EQ(r.page.streams.size(), 2u);
  EXPECT_EQ(r.page.streams[1].object, "5 0");
  EXPECT_EQ(r.page.streams[1].parent, 0);
  EXPECT_EQ(r.page.streams[1].via_op, 2u);
  EXPECT_EQ(r.page.glyphs[0].source.stream, 1u);
  EXPECT_EQ(r.page.glyphs[1].source.stream, 0u);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 0, 1e-6);  // the form's cm and Q did not leak
}

TEST(Interpreter, FormThatDrawsItselfStopsAndMarksThePageIncomplete) {
  const std::string form = stream_object("/X1 Do BT /F1 10 Tf (H) Tj ET",
                                         "/Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 5 0 R >> "
                                         "/Font << /F1 4 0 R >> >>");
  Read r = read_content("/X1 Do", {form}, "<< /XObject << /X1 5 0 R >> >>");
  EXPECT_FALSE(r.page.complete);
  EXPECT_TRUE(r.warned("draws itself"));
  EXPECT_EQ(r.page.glyphs.size(), 1u);
}

TEST(Interpreter, ImagesAndInlineImagesAreRecorded) {
  const std::string image = stream_object("\xFF\x00\xFF\x00", "/Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8 "
                                                              "/ColorSpace /DeviceGray");
  Read r = read_content("q 200 0 0 100 50 50 cm /Im1 Do Q BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI BT /F1 10 Tf (H) Tj ET",
                        {image}, "<< /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >>");
  ASSERT_EQ(r.page.images.size(), 2u);
  EXPECT_EQ(r.page.images[0].object, "5 0");
  EXPECT_NEAR(r.page.images[0].box.x1 - r.page.images[0].box.x0, 200, 1e-6);
  EXPECT_EQ(r.page.images[1].object, "");
  EXPECT_EQ(r.text(), "H");
}

TEST(Interpreter, DifferencesEncodingAndGlyphNames) {
  const std::string font4 =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding "
      "/Differences [65 /fi /uni20AC /g42] >> >>";
  Read r = read(build_pdf({TestPage{"BT /F1 10 Tf (ABCD) Tj ET"}}, {}, font4));
  ASSERT_EQ(r.page.glyphs.size(), 4u);
  EXPECT_EQ(r.page.glyphs[0].text, "\uFB01");
  EXPECT_EQ(r.page.glyphs[1].text, "\u20AC");
  EXPECT_TRUE(r.page.glyphs[2].unknown);  // g42 names no character: never guessed
  EXPECT_EQ(r.page.glyphs[3].text, "D");
  EXPECT_EQ(r.page.unknown_glyphs, 1u);
}

// dvips names the glyphs of its bitmap fonts by their codes ("a97" at 97),
// and some producers in hex ("C6f" at 0x6F): poppler and MuPDF read such a
// name as its code. A font whose numbers are not its codes (glyph indices)
// is read as nothing, even where one number matches by chance, and a
// control code stays unknown.
TEST(Interpreter, GlyphsNamedByTheirCodesReadAsTheCode) {
  const auto read_with = [](const std::string& differences, const std::string& shown) {
    const std::string font4 =
        "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] /FontMatrix [0.01 0 0 0.01 0 0] /FirstChar 0 "
        "/LastChar 255 /Widths [] /Encoding << /Differences [" +
        differences + "] >> /CharProcs << >> >>";
    return read(build_pdf({TestPage{"BT /F1 20 Tf (" + shown + ") Tj ET"}}, {}, font4));
  };
  Read decimal = read_with("97 /a97 /a98 /a99 11 /a11", "abc\\013");
  EXPECT_EQ(decimal.text().substr(0, 3), "abc");
  EXPECT_EQ(decimal.page.unknown_glyphs, 1u);  // the ligature at 11

  Read hex = read_with("80 /C50 114 /C72 111 /C6f", "Pro");
  EXPECT_EQ(hex.text(), "Pro");
  EXPECT_EQ(hex.page.unknown_glyphs, 0u);

  Read indices = read_with("65 /g42 /g66 /g67", "ABC");
  EXPECT_EQ(indices.page.unknown_glyphs, 3u);
}

TEST(Interpreter, SimpleFontWidthsFromWidthsArray) {
  const std::string font4 =
      "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Custom /FirstChar 65 /LastChar 66 /Widths [500 1000] "
      "/Encoding /WinAnsiEncoding /FontDescriptor 5 0 R >>";
  const std::string descriptor =
      "<< /Type /FontDescriptor /FontName /ABCDEF+Custom /Flags 32 /Ascent 900 /Descent -100 /MissingWidth 300 "
      "/FontBBox [0 -100 1000 900] >>";
  Read r = read(build_pdf({TestPage{"BT /F1 10 Tf (ABC) Tj ET"}}, {descriptor}, font4));
  ASSERT_EQ(r.page.glyphs.size(), 3u);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 5, 1e-6);
  EXPECT_NEAR(r.page.glyphs[2].origin.x, 15, 1e-6);
  EXPECT_NEAR(r.page.glyphs[2].box.x1 - r.page.glyphs[2].box.x0, 3, 1e-6);  // MissingWidth
  EXPECT_NEAR(r.page.glyphs[0].origin.y - r.page.glyphs[0].box.y0, 9, 1e-6);  // Ascent 900
  EXPECT_NEAR(r.page.glyphs[0].box.y1 - r.page.glyphs[0].origin.y, 1, 1e-6);  // Descent -100
}

TEST(Interpreter, Type0IdentityHWithToUnicodeAndW) {
  const std::string font4 =
      "<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H /DescendantFonts [5 0 R] "
      "/ToUnicode 6 0 R >>";
  const std::string cid = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /DW 1000 /W [1 [500 250] 3 3 0] "
                          "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>";
  const std::string to_unicode = stream_object(
      "1 begincodespacerange <0000> <FFFF> endcodespacerange 3 beginbfchar <0001> <0046> <0002> <00660069> "
      "<0003> <0020> endbfchar");
  Read r = read(build_pdf({TestPage{"BT /F1 10 Tf <0001000200030004> Tj ET"}}, {cid, to_unicode}, font4));
  ASSERT_EQ(r.page.glyphs.size(), 4u);
  EXPECT_EQ(r.page.glyphs[0].text, "F");
  EXPECT_EQ(r.page.glyphs[1].text, "fi");
  EXPECT_EQ(r.page.glyphs[1].source.byte_index, 2u);
  EXPECT_EQ(r.page.glyphs[1].source.byte_count, 2);
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 5, 1e-6);
  EXPECT_NEAR(r.page.glyphs[2].origin.x, 7.5, 1e-6);
  EXPECT_NEAR(r.page.glyphs[3].origin.x, 7.5, 1e-6);  // CID 3 has width 0
  EXPECT_TRUE(r.page.glyphs[3].unknown);              // CID 4: no ToUnicode entry
}

TEST(Interpreter, Type3FontMatrixScalesWidths) {
  const std::string font4 =
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] /FontMatrix [0.01 0 0 0.01 0 0] /FirstChar 65 "
      "/LastChar 65 /Widths [50] /Encoding << /Differences [65 /A] >> /CharProcs << /A 5 0 R >> >>";
  Read r = read(build_pdf({TestPage{"BT /F1 20 Tf (AA) Tj ET"}}, {stream_object("50 0 d0")}, font4));
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  EXPECT_EQ(r.page.glyphs[0].text, "A");
  EXPECT_NEAR(r.page.glyphs[1].origin.x, 10, 1e-6);
}

// A Type3 glyph whose procedure shows text of its own looks like that text,
// whatever its Unicode says: "Z" drawing "Fr" before "ance" shows France to
// the eye and "Zance" to every reader. It is unknown, whether it shows the
// text or draws a form that does; one that paints a path or draws an image
// (as Ghostscript's bitmap fonts do) is not.
TEST(Interpreter, AType3GlyphThatShowsTextOfItsOwnIsUnknown) {
  const std::string font4 =
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] /FontMatrix [0.01 0 0 0.01 0 0] /FirstChar 65 "
      "/LastChar 68 /Widths [50 50 50 50] /Encoding << /Differences [65 /A /B /C /D] >> "
      "/CharProcs << /A 5 0 R /B 6 0 R /C 8 0 R /D 10 0 R >> "
      "/Resources << /Font << /F2 7 0 R >> /XObject << /X 9 0 R /I 11 0 R >> >> >>";
  Read r = read(build_pdf(
      {TestPage{"BT /F1 20 Tf (ABCD) Tj ET"}},
      {stream_object("50 0 d0 BT /F2 80 Tf (Fr) Tj ET"), stream_object("50 0 d0 0 0 50 50 re f"),
       "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", stream_object("50 0 d0 /X Do"),
       stream_object("BT /F2 80 Tf (Fr) Tj ET", "/Type /XObject /Subtype /Form /BBox [0 0 100 100] "
                                                 "/Resources << /Font << /F2 7 0 R >> >>"),
       stream_object("50 0 d0 q 50 0 0 50 0 0 cm /I Do Q"),
       stream_object("\x80", "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                              "/BitsPerComponent 8")},
      font4));
  ASSERT_EQ(r.page.glyphs.size(), 4u);
  EXPECT_TRUE(r.page.glyphs[0].unknown);
  EXPECT_FALSE(r.page.glyphs[1].unknown);
  EXPECT_EQ(r.page.glyphs[1].text, "B");
  EXPECT_TRUE(r.page.glyphs[2].unknown) << "it draws a form that shows text";
  EXPECT_FALSE(r.page.glyphs[3].unknown) << "it draws an image";
  EXPECT_EQ(r.page.unknown_glyphs, 2u);
}

TEST(Interpreter, MalformedContentGivesWarningsWithPageAndStream) {
  Read r = read_content("BT /F1 Tf 10 Td foo (H) Tj ET Q Q");
  EXPECT_TRUE(r.warned("page 1, content stream"));
  EXPECT_TRUE(r.warned("'Tf' needs a font name and a size"));
  EXPECT_TRUE(r.warned("'Td' needs 2 operands"));
  EXPECT_TRUE(r.warned("unknown operator 'foo'"));
  EXPECT_TRUE(r.warned("unbalanced Q"));
  // The Tf failed, so no font is known: the glyph is read but unknown.
  EXPECT_EQ(r.page.unknown_glyphs, 1u);
  EXPECT_FALSE(r.page.complete);
}

// An XObject named by no entry draws nothing in poppler, MuPDF or pdf.js
// (MuPDF's mu__test_4505.pdf draws /RPDFX1, which its resources lack): a
// warning, not an incomplete page. One that is there but no dictionary
// could be anything: the page is incomplete.
TEST(Interpreter, AMissingXObjectDrawsNothingButAnUnreadableOneIsIncomplete) {
  Read missing = read_content("/X9 Do BT /F1 10 Tf (Hi) Tj ET");
  EXPECT_TRUE(missing.page.complete);
  EXPECT_TRUE(missing.warned("XObject /X9 is not in the resources; nothing is drawn"));
  EXPECT_EQ(missing.page.glyphs.size(), 2u);
  Read odd = read_content("/X1 Do", {}, "<< /XObject << /X1 12 >> >>");
  EXPECT_FALSE(odd.page.complete);
}

TEST(Interpreter, DanglingFontMakesUnknownGlyphsAndAnIncompletePage) {
  Read r = read_content("BT /F9 10 Tf (Hi) Tj ET");
  EXPECT_FALSE(r.page.complete);
  EXPECT_TRUE(r.warned("font /F9 is not in the resources"));
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  EXPECT_TRUE(r.page.glyphs[0].unknown);
  EXPECT_EQ(r.page.unknown_glyphs, 2u);
}

TEST(Interpreter, TextBeforeAnyFontIsUnknown) {
  Read r = read_content("BT (Hi) Tj ET");
  EXPECT_FALSE(r.page.complete);
  EXPECT_EQ(r.page.unknown_glyphs, 2u);
}

TEST(Interpreter, InvisibleTextIsStillText) {
  Read r = read_content("BT 3 Tr /F1 10 Tf (H) Tj ET");
  ASSERT_EQ(r.page.glyphs.size(), 1u);
  EXPECT_TRUE(r.page.glyphs[0].invisible);
}

TEST(Interpreter, UnknownOperatorsInsideBXEXAreAllowed) {
  Read r = read_content("BX foo EX BT /F1 10 Tf (H) Tj ET");
  EXPECT_FALSE(r.warned("unknown operator"));
}

TEST(Interpreter, AnnotationAppearanceIsRead) {
  const std::string annot =
      "<< /Type /Annot /Subtype /FreeText /Rect [100 100 200 120] /AP << /N 6 0 R >> /Contents (Hi) >>";
  const std::string appearance = stream_object(
      "BT /F1 10 Tf 0 5 Td (Hi) Tj ET", "/Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 4 0 R >> >>");
  const std::string hidden = "<< /Type /Annot /Subtype /FreeText /F 2 /Rect [0 0 10 10] /AP << /N 6 0 R >> >>";
  Read r = read(build_pdf({TestPage{"", "<< >>", "/Annots [5 0 R 7 0 R]"}}, {annot, appearance, hidden}));
  ASSERT_EQ(r.page.glyphs.size(), 2u);  // the hidden one is not drawn
  EXPECT_NEAR(r.page.glyphs[0].origin.x, 100, 1e-6);
  EXPECT_NEAR(r.page.glyphs[0].origin.y, 792 - 105, 1e-6);
  ASSERT_EQ(r.page.streams.size(), 2u);
  EXPECT_EQ(r.page.streams[1].annotation, "5 0");
}

TEST(Interpreter, ContentsArrayStreamsAreConcatenated) {
  const std::string first = stream_object("BT /F1 10 Tf");
  const std::string second = stream_object("(Hi) Tj ET");
  Read r = read(build_pdf({TestPage{"", "<< /Font << /F1 4 0 R >> >>", "/Contents [5 0 R 6 0 R]"}}, {first, second}));
  EXPECT_EQ(r.text(), "Hi");
  EXPECT_TRUE(r.page.complete);
}

// Content streams are joined as MuPDF joins them, by a space: a comment a
// stream ends with, with no end of line, runs on into the next stream's
// first line, which neither poppler nor MuPDF draws (the fourth review's
// file: a newline there made redact draw it, and its output showed it).
TEST(Interpreter, ACommentAStreamEndsWithRunsIntoTheNextStream) {
  const std::string first = stream_object("BT /F1 10 Tf (Hi) Tj ET % note");
  const std::string second = stream_object("BT /F1 10 Tf (No) Tj ET\nBT /F1 10 Tf (Ok) Tj ET");
  Read r = read(build_pdf({TestPage{"", "<< /Font << /F1 4 0 R >> >>", "/Contents [5 0 R 6 0 R]"}}, {first, second}));
  EXPECT_EQ(r.text(), "HiOk");
}

// Regression: `99 3 1 (text) "` was read with aw 99 and ac 3, spreading the
// word out; the spec and poppler take the last three operands.
TEST(Interpreter, QuoteOperatorTakesItsLastThreeOperands) {
  Read r = read_content("BT /F1 10 Tf 12 TL 99 3 1 (Hi) \" ET");
  ASSERT_EQ(r.page.glyphs.size(), 2u);
  EXPECT_NEAR(r.page.glyphs[1].origin.x - r.page.glyphs[0].origin.x, 7.22 + 1, 0.01);  // H's advance + ac
}

// Strings no operation shows are told, with their operation and offset:
// operands of operators that take none, extra ones, values inside operands.
// The strings an operation shows are not, nor are those of a form run by a
// `Do` told as the `Do`'s.
TEST(Interpreter, StringsNoOperationShowsAreLoose) {
  const std::string content =
      "BT /F1 10 Tf (a) (shown) Tj (b) 100 Tz [(shown) [(c)] <64>] TJ ET\n"
      "BX (e) xyz EX /Span << /Alt (f) /K [(g)] >> BDC EMC 1 2 (h) \" /Fm0 Do (i) foo";
  const std::string form = stream_object("BT /F1 10 Tf (shown) Tj (j) Tj ET () TL",
                                         "/Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >>");
  Read r = read_content(content, {form}, "<< /Font << /F1 4 0 R >> /XObject << /Fm0 5 0 R >> >>");
  std::string told;
  for (const LooseString& s : r.page.loose_strings) {
    told += s.bytes + "@" + std::to_string(s.stream) + ":" + std::to_string(s.op) + " ";
  }
  // `<64>` is a TJ array's string, shown; `1 2 (h) "` shows "h"; the
  // form's `(j) Tj` shows "j" and `() TL` holds an empty loose string.
  EXPECT_EQ(told, "a@0:2 b@0:3 c@0:4 e@0:7 f@0:9 g@0:9 @1:5 i@0:13 ");
  for (const LooseString& s : r.page.loose_strings) {
    if (s.stream == 0) {
      EXPECT_EQ(content.substr(s.offset, 1 + s.bytes.size()), "(" + s.bytes) << s.offset;
    }
  }
  EXPECT_EQ(r.text(), "shownshowndhshownj");
}

// What a consumer of the walk sees besides glyphs.
struct Recorder : ContentConsumer {
  std::vector<std::string> events;
  std::vector<DrawState> glyph_states;
  void begin_stream(uint32_t index, const StreamUse& use) override {
    events.push_back("stream " + std::to_string(index) + (use.hidden ? " hidden " : " ") + use.appearance);
  }
  void glyph(const Glyph& g, const DrawState& state) override {
    events.push_back("glyph " + g.text);
    glyph_states.push_back(state);
  }
  void path(const PathPaint& p, const DrawState& state) override {
    events.push_back(std::string("path") + (p.fill ? " fill" : "") + (p.rectangle ? " rect" : "") +
                     (state.fill.lightness < 0.1 ? " dark" : ""));
  }
  void clip(const DrawState&) override { events.push_back("clip"); }
  void begin_marked_content(const MarkedContent& m) override { events.push_back("mc " + m.tag); }
  void end_marked_content(uint32_t) override { events.push_back("emc"); }
};

TEST(Interpreter, ConsumerSeesPathsClipsColoursAndMarkedContent) {
  const std::string pdf = build_pdf(
      {TestPage{"q 10 10 50 50 re W n BT /F1 10 Tf 1 g (H) Tj ET Q 0 0 1 rg 0 0 5 5 re f 0 g 20 20 m 30 30 l 20 30 l f "
                "/Span << /ActualText (x) >> BDC EMC"}});
  auto doc = Document::open(test::write_temp("t.pdf", pdf));
  Diagnostics d;
  Recorder recorder;
  doc->walk_page(1, recorder, d);
  const std::vector<std::string> expected = {"stream 0 ", "clip",      "glyph H", "path fill rect",
                                             "path fill dark", "mc Span", "emc"};
  EXPECT_EQ(recorder.events, expected);
  ASSERT_EQ(recorder.glyph_states.size(), 1u);
  EXPECT_NEAR(recorder.glyph_states[0].fill.lightness, 1, 1e-9);
  EXPECT_NEAR(recorder.glyph_states[0].clip.y1, 792 - 10, 1e-6);  // page space: y down
}

// Text in a mode that clips (Tr 4 to 7) becomes the clip at ET: its
// glyphs' quads, told to the glyphs as the clip they make; a paint after it
// is in that clip, one after Q is not.
TEST(Interpreter, TextThatClipsIsTheClipAfterItsTextObject) {
  struct Clips : Recorder {
    std::vector<std::optional<ClipOutline>> outlines;  // the pointer is valid during the call only
    std::vector<Rect> boxes;
    void path(const PathPaint& p, const DrawState& state) override {
      Recorder::path(p, state);
      outlines.push_back(state.clip_outline ? std::optional<ClipOutline>(*state.clip_outline) : std::nullopt);
      boxes.push_back(state.clip);
    }
  };
  const std::string pdf = build_pdf({TestPage{"q BT /F1 10 Tf 100 700 Td 7 Tr (Hi) Tj 0 Tr (j) Tj ET 0 0 612 792 re f Q "
                                              "0 0 612 792 re f BT /F1 10 Tf 0 Tr (k) Tj ET"}});
  auto doc = Document::open(test::write_temp("t.pdf", pdf));
  Diagnostics d;
  Clips clips;
  doc->walk_page(1, clips, d);
  const std::vector<std::string> expected = {"stream 0 ", "glyph H", "glyph i", "glyph j", "clip", "path fill rect dark",
                                             "path fill rect dark", "glyph k"};
  EXPECT_EQ(clips.events, expected);
  ASSERT_EQ(clips.glyph_states.size(), 4u);
  const uint64_t serial = clips.glyph_states[0].text_clip;
  EXPECT_NE(serial, 0u);
  EXPECT_EQ(clips.glyph_states[1].text_clip, serial);
  EXPECT_EQ(clips.glyph_states[2].text_clip, 0u) << "shown in mode 0";
  EXPECT_EQ(clips.glyph_states[3].text_clip, 0u);
  ASSERT_EQ(clips.outlines.size(), 2u);
  ASSERT_TRUE(clips.outlines[0].has_value());
  EXPECT_TRUE(clips.outlines[0]->text);
  EXPECT_EQ(clips.outlines[0]->serial, serial);
  EXPECT_EQ(clips.outlines[0]->edges.size(), 8u) << "two glyphs, four edges each";
  EXPECT_NEAR(clips.boxes[0].x0, 100, 1e-6);
  EXPECT_LT(clips.boxes[0].x1, 115) << "the clip ends with \"Hi\", not \"j\"";
  EXPECT_FALSE(clips.outlines[1].has_value()) << "Q restores the clip";
}

TEST(Interpreter, OptionalContentThatIsOffIsMarked) {
  const std::string ocg = "<< /Type /OCG /Name (Layer) >>";
  const std::string pdf = build_pdf(
      {TestPage{"/OC /L1 BDC BT /F1 10 Tf (H) Tj ET EMC BT /F1 10 Tf (i) Tj ET",
                "<< /Font << /F1 4 0 R >> /Properties << /L1 5 0 R >> >>"}},
      {ocg}, test::kHelvetica, "<< /Producer (redact tests) >>", "/OCProperties << /OCGs [5 0 R] /D << /OFF [5 0 R] >> >>");
  auto doc = Document::open(test::write_temp("t.pdf", pdf));
  Diagnostics d;
  Recorder recorder;
  doc->walk_page(1, recorder, d);
  ASSERT_EQ(recorder.glyph_states.size(), 2u);
  EXPECT_TRUE(recorder.glyph_states[0].optional_content_off);
  EXPECT_FALSE(recorder.glyph_states[1].optional_content_off);
}

TEST(Interpreter, EveryAppearanceStateIsWalkedWhenAsked) {
  const std::string annot =
      "<< /Type /Annot /Subtype /Stamp /F 2 /Rect [100 100 200 120] /AS /Off "
      "/AP << /N << /On 6 0 R /Off 6 0 R >> /D 6 0 R >> >>";
  const std::string appearance = stream_object(
      "BT /F1 10 Tf 0 5 Td (Hi) Tj ET", "/Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 4 0 R >> >>");
  const std::string pdf = build_pdf({TestPage{"", "<< >>", "/Annots [5 0 R]"}}, {annot, appearance});
  auto doc = Document::open(test::write_temp("t.pdf", pdf));
  Diagnostics d;
  Recorder viewer, all;
  doc->walk_page(1, viewer, d);
  doc->walk_page(1, all, d, WalkOptions{true});
  EXPECT_EQ(viewer.glyph_states.size(), 0u);  // a Hidden annotation is not drawn
  EXPECT_EQ(all.glyph_states.size(), 6u);      // /N /On, /N /Off, /D
  EXPECT_NE(std::find(all.events.begin(), all.events.end(), "stream 1 hidden N Off"), all.events.end());
}

// Every page within its own budget, the document past its budget: the pages
// read after that are incomplete, say why, and yield no glyphs; a second
// reading of a page counts again.
TEST(Interpreter, DocumentWorkBudgetStopsLaterPages) {
  const std::string content = "BT /F1 10 Tf 10 10 Td (Hello) Tj ET";  // 10 items, 5 operations, 5 glyphs
  const std::string pdf = build_pdf({TestPage{content}, TestPage{content}, TestPage{content}, TestPage{content}});
  for (const auto& [budget, reason] : std::vector<std::pair<WorkBudget, std::string>>{
           {WorkBudget{19, 1000, 1000}, "more than 19 operations and operands parsed"},
           {WorkBudget{1000, 8, 1000}, "more than 8 operations executed"},
           {WorkBudget{1000, 1000, 6}, "more than 6 glyphs shown"}}) {
    auto doc = Document::open(test::write_temp("t.pdf", pdf));
    doc->set_work_budget(budget);
    Diagnostics d;
    const PageContent first = doc->read_page(1, d);
    const PageContent second = doc->read_page(2, d);
    EXPECT_TRUE(first.complete && second.complete) << reason;
    EXPECT_EQ(second.glyphs.size(), 5u) << reason;
    const PageContent again = doc->read_page(1, d);  // now over the budget
    EXPECT_FALSE(again.complete) << reason;
    EXPECT_TRUE(again.glyphs.empty()) << reason;
    EXPECT_NE(again.incomplete_reason.find("the document's work budget is spent"), std::string::npos) << reason;
    EXPECT_NE(again.incomplete_reason.find(reason), std::string::npos) << again.incomplete_reason;
    EXPECT_FALSE(doc->read_page(4, d).complete) << reason;
  }
  // The default budget is far from a small document.
  auto doc = Document::open(test::write_temp("t.pdf", pdf));
  Diagnostics d;
  for (int round = 0; round < 3; ++round) {
    for (int page = 1; page <= 4; ++page) EXPECT_TRUE(doc->read_page(page, d).complete);
  }
}

}  // namespace
}  // namespace redact::pdf
