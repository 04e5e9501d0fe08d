// Glyph removal, checked the way it matters: after rewriting, every glyph
// that stays is exactly where it was, the removed text is gone for our
// extractor and for poppler's pdftotext, and untouched bytes are unchanged.
#include "apply/content_rewriter.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/diagnostics.h"
#include "pdf/document.h"
#include "unit/test_pdf.h"
#include "core/text.h"

namespace redact::apply {
namespace {

using test::build_pdf;
using test::stream_object;
using test::TestPage;

pdf::PageContent read(const std::string& pdf_bytes, const std::string& name) {
  auto doc = pdf::Document::open(test::write_temp(name, pdf_bytes));
  Diagnostics d;
  return doc->read_page(1, d);
}

std::string text_of(const pdf::PageContent& page) {
  std::string out;
  for (const pdf::Glyph& g : page.glyphs) out += g.text;
  return out;
}

std::string pdftotext(const std::string& path) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(("pdftotext '" + path + "' - 2>/dev/null").c_str(), "r"), pclose);
  std::array<char, 4096> buffer;
  size_t n;
  while (pipe && (n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) out.append(buffer.data(), n);
  return out;
}

struct Case {
  std::string content = "";
  std::vector<std::string> objects = {};
  std::string font4 = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
};

// Removes the glyphs spelling `word` (its first occurrence) and checks everything.
void check_removal(const Case& c, const std::string& word) {
  const std::string original = build_pdf({TestPage{c.content}}, c.objects, c.font4);
  const pdf::PageContent before = read(original, "before.pdf");
  const std::string text = text_of(before);
  const size_t at = text.find(word);
  ASSERT_NE(at, std::string::npos) << text;
  // Glyph index range of the word (one byte of text per glyph in these cases).
  std::vector<Removal> removals;
  for (size_t i = at; i < at + word.size(); ++i) {
    const pdf::Glyph& g = before.glyphs[i];
    removals.push_back({g.source.op, g.source.string_index, g.source.byte_index, g.source.byte_count, g.removal_shift});
  }
  const auto ops = pdf::parse_content(c.content, nullptr);
  const std::string rewritten = remove_glyphs(c.content, ops, removals);

  const std::string redacted = build_pdf({TestPage{rewritten}}, c.objects, c.font4);
  const std::string path = test::write_temp("after.pdf", redacted);
  const pdf::PageContent after = read(redacted, "after.pdf");
  EXPECT_EQ(text_of(after), text.substr(0, at) + text.substr(at + word.size())) << rewritten;
  ASSERT_EQ(after.glyphs.size(), before.glyphs.size() - word.size());
  for (size_t i = 0; i < after.glyphs.size(); ++i) {
    const pdf::Glyph& was = before.glyphs[i < at ? i : i + word.size()];
    EXPECT_NEAR(after.glyphs[i].origin.x, was.origin.x, 1e-3) << "glyph " << i << " '" << was.text << "' moved";
    EXPECT_NEAR(after.glyphs[i].origin.y, was.origin.y, 1e-3) << "glyph " << i << " '" << was.text << "' moved";
  }
  const std::string poppler = pdftotext(path);
  EXPECT_EQ(poppler.find(word), std::string::npos) << poppler;
  EXPECT_NE(poppler.find("today"), std::string::npos) << poppler;
}

TEST(ContentRewriter, TjBecomesTJWithADisplacement) {
  check_removal({"BT /F1 12 Tf 72 700 Td (Sent to France today) Tj ET"}, "France");
}

TEST(ContentRewriter, TJKerningAndSplitStringsAreKept) {
  check_removal({"BT /F1 12 Tf 72 700 Td [(Sent to Fr) -20 (an) 35 (ce today)] TJ ET"}, "France");
}

TEST(ContentRewriter, CharAndWordSpacingAndHorizontalScale) {
  check_removal({"BT /F1 12 Tf 1.5 Tc 4 Tw 80 Tz 72 700 Td (Sent to France today) Tj ET"}, "France ");
}

TEST(ContentRewriter, QuoteOperatorsKeepTheirLineMoveAndSpacing) {
  check_removal({"BT /F1 12 Tf 14 TL 72 700 Td (First line) Tj (Sent to France today) ' ET"}, "France");
  check_removal({"BT /F1 12 Tf 14 TL 72 700 Td (First line) Tj 3 1 (Sent to France today) \" ET"}, "France");
}

// Regression: "0 Tw(text)'" was rewritten as "0 TwT* [...] TJ", a stream
// that pdftotext and mutool reject.
TEST(ContentRewriter, InsertedOperatorsAreSeparatedFromCopiedBytes) {
  check_removal({"BT /F1 12 Tf 14 TL 72 700 Td (First line) Tj 0 Tw(Sent to France today)' ET"}, "France");
  check_removal({"BT /F1 12 Tf 14 TL 72 700 Td (First line) Tj 99 3 1(Sent to France today)\" ET"}, "France");
}

TEST(ContentRewriter, CommentsOfARewrittenStreamAreLeftOut) {
  const std::string content = "BT /F1 12 Tf % France\n72 700 Td (Sent to France) Tj%France again\r\n(x) Tj ET %France";
  std::vector<pdf::Comment> comments;
  const auto ops = pdf::parse_content(content, nullptr, SIZE_MAX, nullptr, nullptr, &comments);
  ASSERT_EQ(comments.size(), 3u);
  EXPECT_EQ(remove_glyphs(content, ops, {}, {}, comments), "BT /F1 12 Tf \n72 700 Td (Sent to France) Tj\r\n(x) Tj ET ");
  // With a glyph removed in the operation before a comment, too.
  const std::string out = remove_glyphs(content, ops, {Removal{3, 0, 8, 1, 600}}, {}, comments);
  EXPECT_EQ(out.find('%'), std::string::npos) << out;
  EXPECT_NE(out.find("(x) Tj ET"), std::string::npos) << out;
}

// Strings no operation shows (pdf::LooseString) are written as asked
// (`()` to empty one), where they stand, and nothing else changes; one that
// is not where the walk put it stops the rewrite.
TEST(ContentRewriter, LooseStringsAreRewrittenInPlace) {
  const std::string content = "BT /F1 12 Tf (Kestrel) (shown) Tj ET\nBX <4B65>xyz EX /P<</Alt(Kes(t)rel)>>BDC EMC";
  const auto ops = pdf::parse_content(content, nullptr);
  ASSERT_EQ(ops.size(), 9u);
  const LooseEdits emptied{{2, {{content.find("(Kestrel)"), "()"}}},
                           {5, {{content.find("<4B65>"), "()"}}},
                           {7, {{content.find("(Kes(t"), "<FEFF0041>"}}}};
  EXPECT_EQ(remove_glyphs(content, ops, {}, {}, {}, emptied),
            "BT /F1 12 Tf () (shown) Tj ET\nBX ()xyz EX /P<</Alt<FEFF0041>>>BDC EMC");
  // With the shown string losing a glyph, the operation is written anew
  // and its extra operand goes with the rest of what it did not show.
  const std::string out = remove_glyphs(content, ops, {Removal{2, 0, 0, 1, 600}}, {}, {}, emptied);
  EXPECT_EQ(out.find("Kes"), std::string::npos) << out;
  EXPECT_NE(out.find("[-600 <686F776E>] TJ"), std::string::npos) << out;
  EXPECT_THROW(remove_glyphs(content, ops, {}, {}, {}, {{2, {{content.find("(shown)"), "()"}}}}), Error);
  EXPECT_THROW(remove_glyphs(content, ops, {}, {}, {}, {{9, {{0, "()"}}}}), Error);
}

TEST(ContentRewriter, TwoByteCodesOfAType0Font) {
  Case c;
  c.font4 = "<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H /DescendantFonts [5 0 R] "
            "/ToUnicode 6 0 R >>";
  c.objects = {"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /DW 600 /W [65 [700 500]] "
               "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R >>",
               stream_object("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0020> <007E> "
                             "<0020> endbfrange"),
               "<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
               "/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"};
  std::string hex;
  for (char ch : std::string("Sent to France today")) {
    char code[8];
    std::snprintf(code, sizeof code, "00%02X", static_cast<unsigned char>(ch));
    hex += code;
  }
  c.content = "BT /F1 12 Tf 5 Tw 72 700 Td <" + hex + "> Tj ET";
  check_removal(c, "France");
}

TEST(ContentRewriter, UntouchedOperationsAreCopiedByteForByte) {
  const std::string content = "q 1 0 0 1 0 0 cm\nBT /F1 12 Tf (keep) Tj ET\n%comment\nBT (gone) Tj ET Q";
  const auto ops = pdf::parse_content(content, nullptr);
  ASSERT_EQ(ops[7].op, "Tj");
  const std::string out = remove_glyphs(content, ops, {{7, 0, 0, 4, 500}});
  EXPECT_EQ(out, "q 1 0 0 1 0 0 cm\nBT /F1 12 Tf (keep) Tj ET\n%comment\nBT [-500] TJ ET Q");
}

TEST(ContentRewriter, RemovalsThatDoNotFitAreRefused) {
  const std::string content = "BT (ab) Tj ET q";
  const auto ops = pdf::parse_content(content, nullptr);
  EXPECT_THROW(remove_glyphs(content, ops, {{1, 0, 5, 1, 500}}), Error);   // past the string
  EXPECT_THROW(remove_glyphs(content, ops, {{3, 0, 0, 1, 500}}), Error);   // q shows no text
  EXPECT_THROW(remove_glyphs(content, ops, {{1, 1, 0, 1, 500}}), Error);   // no second string
  EXPECT_THROW(remove_glyphs(content, ops, {{1, 0, 0, 1, std::nan("")}}), Error);
}

TEST(ContentRewriter, NumbersIgnoreTheLocaleAndHaveNoExponent) {
  EXPECT_EQ(pdf_number(-2000), "-2000");
  EXPECT_EQ(pdf_number(0.5), "0.5");
  EXPECT_EQ(pdf_number(1e-9), "0");
  EXPECT_EQ(pdf_number(123456789.125), "123456789.125");
  EXPECT_EQ(pdf_number(-0.00001), "0");
  // Written out in full, 1e70 did not fit the buffer, and what was in it
  // went into the file (a hostile plan's quad).
  EXPECT_EQ(pdf_number(3e38).size(), 39u);
  EXPECT_THROW(pdf_number(1e70), Error);
  EXPECT_THROW(pdf_number(-3.5e38), Error);
}

// From a hostile review: a stray Q popped the wrapper and the boxes drawn
// after the content went where its last cm sent them, off the page.
TEST(ContentRewriter, IsolatedContentCannotMoveOrClipWhatFollows) {
  auto wrap = [](const std::string& content) { return isolated(content, pdf::parse_content(content, nullptr)); };
  EXPECT_EQ(wrap("BT (a) Tj ET"), "q\nBT (a) Tj ET\nQ\n");
  EXPECT_EQ(wrap("Q 1 0 0 1 2000 2000 cm"), "q\nq\nQ 1 0 0 1 2000 2000 cm\nQ\n");
  EXPECT_EQ(wrap("Q Q q"), "q\nq\nq\nQ Q q\nQ\nQ\n");
  EXPECT_EQ(wrap("q 0 0 1 1 re W n q"), "q\nq 0 0 1 1 re W n q\nQ\nQ\nQ\n") << "a clip left open is closed";
  // Balanced whatever the content: as many Q after as q before and inside.
  for (const std::string content : {"Q", "q", "Q q Q q q", "q Q Q"}) {
    const std::string out = wrap(content);
    long depth = 0, lowest = 0;
    for (const pdf::Operation& op : pdf::parse_content(out, nullptr)) {
      depth += op.op == "q" ? 1 : op.op == "Q" ? -1 : 0;
      lowest = std::min(lowest, depth);
    }
    EXPECT_EQ(depth, 0) << content;
    EXPECT_EQ(lowest, 0) << content;
  }
}

}  // namespace
}  // namespace redact::apply
