#include "pdf/document.h"

#include <gtest/gtest.h>

#include "core/file.h"
#include "unit/test_pdf.h"

namespace redact::pdf {
namespace {

using test::build_pdf;
using test::TestPage;

ErrorKind open_error(const std::string& path) {
  try {
    Document::open(path);
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "opened " << path;
  return ErrorKind::usage;
}

TEST(Document, MissingFileIsAnIoError) {
  EXPECT_EQ(open_error("/nonexistent/redact-test.pdf"), ErrorKind::io);
}

TEST(Document, NotAPdfIsDamaged) {
  EXPECT_EQ(open_error(test::write_temp("x.pdf", "this is not a PDF at all\n")), ErrorKind::damaged);
}

TEST(Document, TruncatedFileIsDamaged) {
  std::string pdf = build_pdf({TestPage{"BT /F1 10 Tf (H) Tj ET"}});
  EXPECT_EQ(open_error(test::write_temp("t.pdf", pdf.substr(0, pdf.size() / 2))), ErrorKind::damaged);
}

TEST(Document, ErrorMessagesNameTheFile) {
  const std::string path = test::write_temp("x.pdf", "garbage");
  try {
    Document::open(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

TEST(Document, RotatedPageIsShownTurnedClockwise) {
  auto doc = Document::open(test::write_temp(
      "r.pdf", build_pdf({TestPage{"BT /F1 10 Tf 100 700 Td (H) Tj ET", "<< /Font << /F1 4 0 R >> >>", "/Rotate 90"}})));
  Diagnostics d;
  PageContent page = doc->read_page(1, d);
  EXPECT_EQ(page.rotation, 90);
  EXPECT_NEAR(page.width, 792, 1e-6);
  EXPECT_NEAR(page.height, 612, 1e-6);
  // Turned clockwise: the top of the page (y = 792) is now on the right.
  EXPECT_NEAR(page.glyphs[0].origin.x, 700, 1e-6);
  EXPECT_NEAR(page.glyphs[0].origin.y, 100, 1e-6);
}

TEST(Document, CropBoxMovesTheOrigin) {
  auto doc = Document::open(test::write_temp(
      "c.pdf", build_pdf({TestPage{"BT /F1 10 Tf 100 700 Td (H) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                   "/CropBox [50 50 562 742]"}})));
  Diagnostics d;
  PageContent page = doc->read_page(1, d);
  EXPECT_NEAR(page.width, 512, 1e-6);
  EXPECT_NEAR(page.glyphs[0].origin.x, 50, 1e-6);
  EXPECT_NEAR(page.glyphs[0].origin.y, 42, 1e-6);
}

TEST(Document, PagesAreCountedAndReadInOrder) {
  auto doc = Document::open(test::write_temp(
      "p.pdf", build_pdf({TestPage{"BT /F1 10 Tf (H) Tj ET"}, TestPage{"BT /F1 10 Tf (i) Tj ET"}})));
  ASSERT_EQ(doc->page_count(), 2);
  Diagnostics d;
  EXPECT_EQ(doc->read_page(2, d).glyphs.at(0).text, "i");
}

}  // namespace
}  // namespace redact::pdf

namespace redact::pdf {
namespace {

// An output is numbered 1, 2, 3... whatever numbers its input used or left
// free, every reference following its object; a reference to no object is
// written null, not left to name whichever object takes its number.
TEST(Document, WriteNumbersTheObjectsKeptWithoutGaps) {
  const std::string input = test::write_temp(
      "numbering.pdf",
      test::build_pdf({test::TestPage{"BT /F1 12 Tf 72 700 Td (Kept) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                      "/Bar 6 0 R /Foo 99 0 R"}},
                      {"(nobody names this)", "(named by the page)"}));
  auto document = Document::open(input);
  const std::string output = input + ".out.pdf";
  document->write(output);
  const std::string bytes = read_file(output).value();
  EXPECT_NE(bytes.find("5 0 obj"), std::string::npos);
  EXPECT_EQ(bytes.find("8 0 obj"), std::string::npos) << "objects 6, 7, 8 (the page, its content) move down one";
  EXPECT_EQ(bytes.find("nobody names this"), std::string::npos);
  EXPECT_NE(bytes.find("/Bar 5 0 R"), std::string::npos);
  EXPECT_NE(bytes.find("/Foo null"), std::string::npos);
  const size_t xref = bytes.rfind("\nxref\n");
  ASSERT_NE(xref, std::string::npos);
  EXPECT_EQ(bytes.find(" f", bytes.find(" f", xref) + 1), std::string::npos) << "one free entry: object 0";
  Diagnostics diagnostics;
  const PageContent page = Document::open(output)->read_page(1, diagnostics);
  std::string text;
  for (const Glyph& g : page.glyphs) text += g.text;
  EXPECT_EQ(text, "Kept");
}

// PoDoFo makes an Info dictionary as it loads a file with none: it must
// not take a number the file's table left free, or a reference to that
// number would come to name it.
TEST(Document, AReferenceToAFreedNumberStaysOneToNoObject) {
  std::string bytes = test::build_pdf({test::TestPage{"BT /F1 12 Tf 72 700 Td (Kept) Tj ET",
                                                      "<< /Font << /F1 4 0 R >> >>", "/Foo 5 0 R"}},
                                      {"(freed)"});
  bytes.replace(bytes.find(" /Info 3 0 R"), 12, "");
  const size_t table = bytes.find("\nxref\n");
  size_t line = bytes.find('\n', bytes.find('\n', table + 1) + 1) + 1;  // the entry of object 0
  line += 5 * 20;                                                           // of object 5
  bytes.replace(line, 20, "0000000000 00001 f \n");
  const std::string input = test::write_temp("freed.pdf", bytes);
  auto document = Document::open(input);
  const std::string output = input + ".out.pdf";
  document->write(output);
  const std::string written = read_file(output).value();
  EXPECT_NE(written.find("/Foo null"), std::string::npos) << written.substr(0, 600);
}

}  // namespace
}  // namespace redact::pdf
