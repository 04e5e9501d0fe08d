#include "pdf/document.h"

#include <gtest/gtest.h>

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
