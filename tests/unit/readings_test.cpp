// The readings of a page besides layout, on small PDFs of the shapes that
// defeated the layout reading.
#include "extract/readings.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/normalizer.h"
#include "pdf/document.h"
#include "unit/test_pdf.h"

namespace redact::extract {
namespace {

pdf::PageContent read_content(const std::string& content) {
  auto doc = pdf::Document::open(test::write_temp("t.pdf", test::build_pdf({test::TestPage{content}})));
  Diagnostics d;
  return doc->read_page(1, d);
}

// Whether any reading of the page has a match of the shipped patterns in
// `category` ("" for any category).
bool some_reading_finds(const pdf::PageContent& page, const std::string& category = "") {
  for (const auto& [name, text] : all_readings(page)) {
    for (const match::Match& m : test::shipped_matcher().find(normalize::normalized(text.text))) {
      if (category.empty() || test::shipped_matcher().patterns()[m.pattern].category == category) return true;
    }
  }
  return false;
}

// A word hyphenated at the end of a line is read whole, whatever the case
// of the letter that goes on: poppler joins "KES-" and "TREL" into KESTREL,
// where the normalizer keeps the hyphen of "Guinea-" + "Bissau" (a review
// found check and run blind to it). The join takes the hyphen's glyph too.
// An /ActualText that says what its glyphs say, white space, case and
// compatibility forms aside, gives each glyph its part: its spaces where it
// has them, none where it has none; any other says otherwise.
TEST(Readings, AnActualTextIsSharedAmongTheGlyphsItSaysWhatTheySay) {
  const auto glyphs = [](std::vector<std::string> texts) {
    std::vector<pdf::Glyph> out(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) out[i].text = texts[i];
    return out;
  };
  using Parts = std::optional<std::vector<std::string>>;
  EXPECT_EQ(actual_text_parts("Fr", glyphs({"F", "r", " "})), (Parts{{"F", "r", ""}}));
  EXPECT_EQ(actual_text_parts("x\tFr ", glyphs({"x", "F", "r"})), (Parts{{"x", "\tF", "r "}}));
  EXPECT_EQ(actual_text_parts("official", glyphs({"o", "f", "\uFB01", "c", "i", "a", "l"})),
            (Parts{{"o", "f", "fi", "c", "i", "a", "l"}}));
  EXPECT_EQ(actual_text_parts("Fr", glyphs({"Z", "z"})), Parts{});
  EXPECT_EQ(actual_text_parts("Paris", glyphs({"P", "A", "R", "I", "S"})), (Parts{{"P", "a", "r", "i", "s"}}))
      << "a small-caps font";
  EXPECT_EQ(actual_text_parts("Cafe\u0301", glyphs({"C", "a", "f", "\u00E9"})), (Parts{{"C", "a", "f", "\u00E9"}}))
      << "composed as the glyph is";
  EXPECT_EQ(actual_text_parts("Kent", glyphs({"K", "e", "-", "n", "t"})), (Parts{{"K", "e", "", "n", "t"}}))
      << "a word hyphenated across a line";
  EXPECT_EQ(actual_text_parts("Ke-nt", glyphs({"K", "e", "-", "n", "t"})), (Parts{{"K", "e", "-", "n", "t"}}));
  EXPECT_EQ(actual_text_parts("Official", glyphs({"o", "f"})), Parts{});
  EXPECT_EQ(actual_text_parts("Fra", glyphs({"F", "r"})), Parts{}) << "it says more";
  EXPECT_EQ(actual_text_parts("F", glyphs({"F", "r"})), Parts{}) << "it says less";
  EXPECT_EQ(actual_text_parts("Fr", glyphs({})), Parts{});
  EXPECT_EQ(actual_text_parts("F", glyphs({"\uFFFD"})), Parts{});
}

TEST(Readings, AWordHyphenatedAtALineEndIsReadWholeWhateverItsCase) {
  const auto readings_of = [](const std::string& content) {
    std::vector<std::string> out;
    for (const auto& [name, text] : all_readings(read_content(content))) out.push_back(normalize::normalized(text.text));
    return out;
  };
  const auto reads = [&](const std::string& content, const std::string& word) {
    const auto all = readings_of(content);
    return std::any_of(all.begin(), all.end(), [&](const std::string& t) { return t.find(word) != std::string::npos; });
  };
  EXPECT_TRUE(reads("BT /F1 12 Tf 72 700 Td (Operation KES-) Tj 0 -14 Td (TREL found it.) Tj ET", "KESTREL"));
  EXPECT_TRUE(reads("BT /F1 12 Tf 72 700 Td (sent to FRAN-) Tj 0 -14 Td (CE in May.) Tj ET", "FRANCE"));
  EXPECT_TRUE(reads("BT /F1 12 Tf 72 700 Td (sent to Guinea-) Tj 0 -14 Td (Bissau in May.) Tj ET", "Guinea-Bissau"))
      << "the hyphen is kept in the others";
  EXPECT_FALSE(reads("BT /F1 12 Tf 72 700 Td (a list -) Tj 0 -14 Td (KES TREL) Tj ET", "KESTREL"))
      << "a dash standing alone joins nothing";
  // The joined reading maps the hyphen to its glyph: a match takes it.
  const pdf::PageContent page = read_content("BT /F1 12 Tf 72 700 Td (Operation KES-) Tj 0 -14 Td (TREL found it.) Tj ET");
  bool mapped = false;
  for (const auto& [name, text] : all_readings(page)) {
    const size_t at = text.text.find(std::string("KES") + std::string(kReadAsNothing) + "TREL");
    if (at != std::string::npos) mapped = page.glyphs[static_cast<size_t>(text.text_glyphs[at + 3])].text == "-";
  }
  EXPECT_TRUE(mapped);
}

TEST(Readings, LetterSpacingByPositioningIsJoinedWithItsWordGapsKept) {
  // "TO FRANCE" set letter by letter, 4 pt apart, words 12 pt apart.
  std::string content = "BT /F1 12 Tf ";
  double x = 72;
  for (char c : std::string("TO FRANCE")) {
    if (c == ' ') {
      x += 8;
      continue;
    }
    content += "1 0 0 1 " + std::to_string(x) + " 700 Tm (" + std::string(1, c) + ") Tj ";
    x += 12;
  }
  content += "ET";
  const pdf::PageContent page = read_content(content);
  const PageText text = layout(page);
  EXPECT_EQ(text.text, "T O F R A N C E");
  EXPECT_EQ(join_letter_spacing(page, text).text, "TO FRANCE");
}

TEST(Readings, ALetterSpacedWordWithPunctuationOrControlsAroundItsLettersIsJoined) {
  // "(S p a i n)." letter by letter: the brackets and the stop belong to
  // the letters beside them, and break no run.
  EXPECT_TRUE(some_reading_finds(read_content("BT /F1 12 Tf 72 700 Td [(Sent to ) (\\(S) -900 (p) -900 (a) -900 (i) -900 (n\\).)] TJ ET"),
                                 "country"));
  // Typographic quotes (WinAnsi 93, 94) and a dash (97) around the letters.
  EXPECT_TRUE(some_reading_finds(
      read_content("BT /F1 12 Tf 72 700 Td [(Sent to ) (\\223S) -900 (p) -900 (a) -900 (i) -900 (n\\224\\227) ( then home.)] TJ ET"),
      "country"));
  // Each letter followed by a control character (a font's zero-width
  // glyph mapped to U+0001).
  const std::string font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 5 0 R >>";
  const std::string cmap = test::stream_object(
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> "
      "endcodespacerange 1 beginbfchar <01> <0001> endbfchar 1 beginbfrange <20> <7E> <0020> endbfrange "
      "endcmap end end");
  auto doc = pdf::Document::open(test::write_temp(
      "c.pdf", test::build_pdf({test::TestPage{"BT /F1 12 Tf 72 700 Td [(Sent to ) (S\\001) -900 (p\\001) -900 (a\\001) -900 "
                                               "(i\\001) -900 (n\\001)] TJ ET"}},
                               {cmap}, font)));
  Diagnostics d;
  EXPECT_TRUE(some_reading_finds(doc->read_page(1, d), "country"));
}

TEST(Readings, AMarkStandingAloneInsideARunOfLettersJoinsIt) {
  // "1 2 , 0 0 0": the comma once ended the run, and the cost matched was
  // "000 pounds", leaving "1 2 ," on the page.
  const pdf::PageContent page = read_content("BT /F1 12 Tf 72 700 Td (Costs were 1 2 , 0 0 0 pounds, \243 5 0 0 .) Tj ET");
  EXPECT_EQ(join_letter_spacing(page, layout(page)).text, "Costs were 12,000 pounds, \u00A3 500 .");
  // A mark after a run stays apart from it; one between two letters joins them.
  const pdf::PageContent other = read_content("BT /F1 12 Tf 72 700 Td (A B , and C - D E) Tj ET");
  EXPECT_EQ(join_letter_spacing(other, layout(other)).text, "AB , and C-DE");
}

TEST(Readings, LettersPartedByOneMarkReadAsTheWord) {
  // "S-p-a-i-n" and "S.p.a.i.n" in one string, "S. p. a. i. n." and
  // "S - p - a - i - n" spread by their spaces, marks doubled or mixed, a
  // soft hyphen (WinAnsi 0xAD) among hyphens: each reads as Spain.
  for (const char* shown : {"(Sent to S-p-a-i-n then home.)", "(Sent to S.p.a.i.n then home.)",
                            "(Sent to S. p. a. i. n. then home.)", "(SENT TO S/P/A/I/N)",
                            "(Sent to S - p - a - i - n then home.)", "(Sent to S -- p -- a -- i -- n.)",
                            "(Sent to S--p--a--i--n.)", "(Sent to S-p.a-i-n.)", "(Sent to S-p\\255a-i-n.)"}) {
    EXPECT_TRUE(some_reading_finds(read_content(std::string("BT /F1 12 Tf 72 700 Td ") + shown + " Tj ET"), "country"))
        << shown;
  }
  // Two letters, a letter in a word or a number, digits: no reading.
  for (const char* shown : {"(U.K and e.g.)", "(x-y and z)", "(Version 1.2.3, 2-0-2-3)", "(a-b-c1 and 1a-b-c)"}) {
    const pdf::PageContent page = read_content(std::string("BT /F1 12 Tf 72 700 Td ") + shown + " Tj ET");
    for (const auto& [name, text] : all_readings(page)) EXPECT_NE(std::string(name), "separators dropped") << shown;
  }
}

TEST(Readings, LettersStackedOneAboveAnotherReadAsTheWord) {
  // A header cell in stacked orientation: "Spain" a letter a line (left
  // aligned, so the narrow "i" overlaps the wide "S" only in part), with
  // "Officers" a third of a size beside its third letter (the next cell),
  // the next row's cell below it, and "£7,500" down a margin, centred.
  // pdftotext prints a letter a line.
  const pdf::PageContent page = read_content(
      "BT /F1 12 Tf 72 700 Td (S) Tj 0 -14 Td (p) Tj 0 -14 Td (a) Tj 0 -14 Td (i) Tj 0 -14 Td (n) Tj "
      "1 0 0 1 83 672 Tm (Officers) Tj 1 0 0 1 72 626 Tm (x) Tj 1 0 0 1 83 626 Tm (2) Tj "
      "1 0 0 1 400 700 Tm (\243) Tj 1 0 0 1 400.3 686 Tm (7) Tj 1 0 0 1 401.7 672 Tm (,) Tj "
      "1 0 0 1 400.3 658 Tm (5) Tj 1 0 0 1 400.3 644 Tm (0) Tj 1 0 0 1 400.3 630 Tm (0) Tj ET");
  EXPECT_EQ(stacked_letters(page).text, "Spain x\n\n\u00A37,500");
  EXPECT_TRUE(some_reading_finds(page, "country"));
  EXPECT_TRUE(some_reading_finds(page, "cost"));
  // Lines of words, a column of list numbers beside text, two letters
  // stacked, letters farther apart than two lines: no stack.
  const pdf::PageContent text = read_content(
      "BT /F1 12 Tf 72 700 Td (Officers were sent) Tj 0 -14 Td (to the region.) Tj 0 -14 Td (I am a) Tj "
      "1 0 0 1 72 600 Tm (1) Tj 1 0 0 1 100 600 Tm (First item) Tj 1 0 0 1 72 586 Tm (2) Tj 1 0 0 1 100 586 Tm (Second) Tj "
      "1 0 0 1 300 500 Tm (O) Tj 1 0 0 1 300 486 Tm (K) Tj "
      "1 0 0 1 400 500 Tm (P) Tj 1 0 0 1 400 470 Tm (e) Tj 1 0 0 1 400 440 Tm (r) Tj 1 0 0 1 400 410 Tm (u) Tj ET");
  EXPECT_EQ(stacked_letters(text).text, "");
}

TEST(Readings, ContentOrderMeasuresGapsFromTheAdvanceWithTc) {
  const pdf::PageContent page = read_content("BT /F1 12 Tf 4 Tc 72 700 Td (FRANCE) Tj ET");
  EXPECT_EQ(content_order(page).text, "FRANCE");
}

TEST(Readings, ContentOrderBreaksWordsInSeparateTextObjectsCloseTogether) {
  // "Deployment" then "France" 0.1 em after it, in another BT ... ET.
  const pdf::PageContent page =
      read_content("BT /F1 12 Tf 72 700 Td (Deployment) Tj ET BT /F1 12 Tf 137.22 700 Td (France) Tj ET");
  EXPECT_EQ(content_order(page).text, "Deployment France");
}

// Words kerned apart in a TJ array by less than the layout's word gap:
// pdftotext splits them at 0.1 em, and so does the position reading, where
// a country between them is found (a hostile review's file).
TEST(Readings, WordsKernedApartAsPdftotextSplitsThemAreFound) {
  const pdf::PageContent page =
      read_content("BT /F1 12 Tf 72 700 Td [(deployed to) -120 (Afghanistan) -120 (in 2019)] TJ ET");
  EXPECT_EQ(by_position(page).text, "deployed to Afghanistan in 2019");
  EXPECT_TRUE(some_reading_finds(page, "country"));
  // Kerning within a word (a few thousandths) splits nothing.
  EXPECT_EQ(by_position(read_content("BT /F1 12 Tf 72 700 Td [(Af) -40 (gha) 30 (nistan)] TJ ET")).text, "Afghanistan");
}

// The real corpus's officer-count errors: a transcript's line number, a
// table's row code, joined to the noun at the start of the next cell. A
// column-wide gap starts a block in every reading, and no pattern crosses
// a block boundary.
TEST(Readings, NoMatchJoinsACellToTheNext) {
  const pdf::PageContent page = read_content(
      "BT /F1 10 Tf 40 700 Td (9) Tj 60 0 Td (military officers attended the hearing.) Tj ET "
      "BT /F1 10 Tf 40 680 Td (100) Tj 120 0 Td (Employees) Tj ET "
      "BT /F1 10 Tf 40 660 Td (12) Tj 45 0 Td (officers) Tj ET");  // 3.4 em: a cell for every reading
  EXPECT_FALSE(some_reading_finds(page));
  // Within one block the count is found, words spread by justification too.
  const pdf::PageContent together = read_content("BT /F1 10 Tf 40 700 Td (9 military officers attended.) Tj ET");
  EXPECT_FALSE(test::shipped_matcher().find(normalize::normalized(layout(together).text)).empty());
  const pdf::PageContent justified = read_content("BT /F1 10 Tf 40 700 Td (sent) Tj 35 0 Td (49) Tj 28 0 Td (officers) Tj ET");
  EXPECT_FALSE(test::shipped_matcher().find(normalize::normalized(layout(justified).text)).empty()) << layout(justified).text;
}

// From the third hostile review: what pdftotext reads by position, every
// reading must let a pattern see.
TEST(Readings, WordsDrawnLateOrRaisedAreReadWhereTheyStand) {
  // "States" drawn first, raised 7 pt with Ts, after "...the United"
  // (pdftotext reads "Officers went to the United States").
  EXPECT_TRUE(some_reading_finds(read_content("BT /F1 12 Tf 185 700 Td 7 Ts (States) Tj ET "
                                              "BT /F1 12 Tf 40 700 Td (Officers went to the United) Tj ET"),
                                 "country"));
  // "States" put back on line 1 after line 2 was drawn.
  EXPECT_TRUE(some_reading_finds(read_content("BT /F1 12 Tf 40 700 Td (Officers went to the United) Tj "
                                              "0 -14 Td (Kingdom first and then Canada.) Tj "
                                              "157.6 14 Td (States in May.) Tj ET"),
                                 "country"));
  EXPECT_TRUE(some_reading_finds(read_content("BT /F1 12 Tf 40 700 Td (The operation needed 12) Tj "
                                              "0 -14 Td (people in total.) Tj 138 14 Td (officers from the unit.) Tj ET"),
                                 "officer_count"));
}

// From the fourth hostile review: no reading joins two columns that share
// baselines, a column's line end to the other column's next line, or text
// in two directions (pdftotext reads none of these as "Costa Rica").
TEST(Readings, NoReadingJoinsColumnsOrDirections) {
  EXPECT_FALSE(some_reading_finds(read_content("BT /F1 10 Tf 40 700 Td (fourth of May at the Costa) Tj 0 -12 Td (cafe near the station.) Tj ET "
                                               "BT /F1 10 Tf 193 700 Td (Rica family archive staff) Tj 0 -12 Td (and circulated later.) Tj ET"),
                                  "country"));
  EXPECT_FALSE(some_reading_finds(read_content("BT /F1 10 Tf 40 60 Td (Footer: see the Costa) Tj ET "
                                               "BT /F1 10 Tf 0 1 -1 0 560 300 Tm (Rica Holdings Ltd registered office) Tj ET"),
                                  "country"));
}

// A Type 3 font whose FontMatrix draws 8 pt capitals at "1.2 Tf": gaps are
// measured in its own em, so a space is a space, not a block boundary.
TEST(Readings, AType3FontsSizeComesThroughItsFontMatrix) {
  // Every letter is the same box glyph, 60 units wide; the space is 30.
  std::string procs = "/space 6 0 R", widths = "30";
  for (char c = 'A'; c <= 'U'; ++c) procs += std::string(" /") + c + " 6 0 R";
  for (int code = 33; code <= 85; ++code) widths += " 60";
  const std::string type3 =
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 60 70] /FontMatrix [0.1 0 0 0.1 0 0] /CharProcs << " + procs +
      " >> /Encoding << /Type /Encoding /Differences [32 /space 65 /A /B /C /D /E /F /G /H /I /J /K /L /M /N /O /P /Q /R"
      " /S /T /U] >> /FirstChar 32 /LastChar 85 /Widths [" + widths + "] /Resources << >> >>";
  const std::string glyph = test::stream_object("60 0 0 0 60 70 d1 0 0 60 70 re f");
  auto doc = pdf::Document::open(test::write_temp(
      "t3.pdf", test::build_pdf({test::TestPage{"BT /F1 1.2 Tf 40 700 Td (UNITED STATES) Tj ET",
                                                "<< /Font << /F1 4 0 R >> >>"}},
                                {"<< /Placeholder true >>", glyph}, type3)));
  Diagnostics d;
  const pdf::PageContent page = doc->read_page(1, d);
  ASSERT_FALSE(page.glyphs.empty());
  EXPECT_NEAR(page.glyphs[0].size, 8.4, 0.01);
  EXPECT_EQ(layout(page).text, "UNITED STATES");
  EXPECT_TRUE(some_reading_finds(page, "country"));
}

// A Type 3 font's FontBBox, which no reader draws, may be far taller than
// its glyphs: its em is kept within a factor of two of what its advances
// say, so that a word drawn in it after a space is still a word of its own
// (a FontBBox 20 em tall joined "to" and "France" into one word, which no
// pattern or term found).
TEST(Readings, AType3FontsTallFontBBoxDoesNotJoinItsWordToTheLastOne) {
  std::string procs, widths;
  for (char c = 'a'; c <= 'z'; ++c) procs += std::string(" /") + c + " 6 0 R";
  for (int code = 65; code <= 122; ++code) widths += " 600";
  const std::string type3 =
      "<< /Type /Font /Subtype /Type3 /FontBBox [-10000 -10000 10000 10000] /FontMatrix [0.001 0 0 0.001 0 0] "
      "/CharProcs << /F 6 0 R" + procs + " >> /Encoding << /Type /Encoding /Differences [70 /F 97 /a /b /c /d /e /f /g "
      "/h /i /j /k /l /m /n /o /p /q /r /s /t /u /v /w /x /y /z] >> /FirstChar 65 /LastChar 122 /Widths [" + widths +
      "] /Resources << >> >>";
  const std::string glyph = test::stream_object("600 0 d0 100 0 400 700 re f");
  auto doc = pdf::Document::open(test::write_temp(
      "t3tall.pdf",
      test::build_pdf({test::TestPage{"BT /F2 12 Tf 72 700 Td (deployed to ) Tj ET BT /F1 12 Tf 137.376 700 Td (France) "
                                      "Tj ET",
                                      "<< /Font << /F1 4 0 R /F2 7 0 R >> >>"}},
                      {"<< /Placeholder true >>", glyph, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"},
                      type3)));
  Diagnostics d;
  const pdf::PageContent page = doc->read_page(1, d);
  EXPECT_EQ(layout(page).text, "deployed to France");
  EXPECT_TRUE(some_reading_finds(page, "country"));
}

TEST(Readings, LayoutMergesAHeaderDrawnOutOfOrderInMixedSizes) {
  const pdf::PageContent page = read_content(
      "BT /F1 14 Tf 1 0 0 1 72 700 Tm (S) Tj 1 0 0 1 90.8 700 Tm (L) Tj /F1 10 Tf 1 0 0 1 81.4 700 Tm (ri) Tj "
      "1 0 0 1 98.6 700 Tm (ank) Tj 1 0 0 1 114.7 700 Tm (a) Tj ET");
  EXPECT_EQ(layout(page).text, "Sri Lanka");
}

TEST(Readings, TextDrawnOverTextStaysTwoLines) {
  const pdf::PageContent page =
      read_content("BT /F1 12 Tf 72 700 Td (TROOPER) Tj ET BT /F1 12 Tf 72.5 700 Td (LLC) Tj ET");
  EXPECT_EQ(layout(page).text, "TROOPER\nLLC");
}

TEST(Readings, SkewedTextStaysOneLine) {
  const pdf::PageContent page = read_content("BT /F1 12 Tf 1 0 0.27 1 72 700 Tm (Officers were sent to Sri Lanka) Tj ET");
  EXPECT_EQ(layout(page).text, "Officers were sent to Sri Lanka");
}

}  // namespace
}  // namespace redact::extract
