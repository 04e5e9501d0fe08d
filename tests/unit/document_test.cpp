#include "pdf/document.h"

#include <gtest/gtest.h>

#include <set>

#include <algorithm>

#include "core/file.h"
#include "unit/test_pdf.h"

namespace redact::pdf {
namespace {

using test::build_pdf;
using test::stream_object;
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

// A file with no cross-reference table at all (PoDoFo cannot open it; qpdf
// rebuilds the table from the objects), whose page draws form `form`.
std::string file_without_a_table(long form) {
  const std::string n = std::to_string(form);
  return "%PDF-1.4\n"
         "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
         "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
         "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /XObject << /X " +
         n + " 0 R >> >> >>\nendobj\n"
         "4 0 obj\n<< /Length 5 >>\nstream\n/X Do\nendstream\nendobj\n" +
         n + " 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length 0 >>\nstream\n\nendstream\nendobj\n"
         "trailer\n<< /Root 1 0 R /Size " + std::to_string(form + 1) + " >>\nstartxref\n0\n%%EOF\n";
}

std::vector<std::string> streams_of(Document& document) {
  std::vector<std::string> objects;
  for (const Document::ContentStream& stream : document.content_streams()) objects.push_back(stream.object);
  return objects;
}

bool any_note_starts(const Document& document, const std::string& start) {
  const std::vector<std::string>& notes = document.opening_notes();
  return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.starts_with(start); });
}

// What redact says about "object 40 0" of a repaired file must be about the
// user's object 40 0: libqpdf's copy keeps every number (QPDFWriter would
// number them 1, 2, 3...).
TEST(Document, ARepairedFileKeepsItsObjectNumbers) {
  auto document = Document::open(test::write_temp("no-table.pdf", file_without_a_table(40)));
  EXPECT_TRUE(any_note_starts(*document, "repaired by libqpdf"));
  EXPECT_FALSE(any_note_starts(*document, "renumbered"));
  EXPECT_EQ(streams_of(*document), std::vector<std::string>{"40 0"});
}

// Numbers too sparse to keep (a table of five million entries for five
// objects): QPDFWriter's copy, and the notes say the numbers are the copy's.
TEST(Document, ARepairedFileWithSparseNumbersIsRenumberedAndSaysSo) {
  auto document = Document::open(test::write_temp("sparse.pdf", file_without_a_table(5'000'000)));
  EXPECT_TRUE(any_note_starts(*document, "renumbered"));
  EXPECT_EQ(streams_of(*document).size(), 1u);
  EXPECT_NE(streams_of(*document), std::vector<std::string>{"5000000 0"});
}

// qpdf's fuzz-16214.pdf (its catalog, 14 0, lies past /Size): resolving
// every object made libqpdf lose the catalog when it had not been asked
// for first, and the file was refused. It is asked for first; the file
// opens with its numbers.
TEST(Document, AFileWhoseCatalogLiesPastSizeOpensWithItsNumbers) {
  auto document = Document::open(REDACT_SOURCE_DIR "/fuzz/crashes/qpdf-fuzz-16214-catalog-lost.pdf");
  EXPECT_EQ(document->catalog_id(), "14 0");
  EXPECT_FALSE(any_note_starts(*document, "renumbered"));
}

// A stream whose /Length stops short of its data (pdfium's form_object.pdf,
// /Length 0 on a page's content): PoDoFo reads /Length bytes, MuPDF and
// qpdf read on to endstream and show the text, so the file is read from
// libqpdf's copy, on the record. A /Length that only leaves out the end
// of line is no damage.
TEST(Document, AStreamLongerThanItsLengthIsReadWhole) {
  const std::string content = "BT /F1 12 Tf 72 700 Td (Officers were sent) Tj 0 -14 Td (to Spain.) Tj ET";
  const auto with_length = [&](size_t length, const std::string& keyword = "stream\n", const std::string& note = "") {
    return build_pdf({TestPage{"", "<< /Font << /F1 4 0 R >> >>", "/Contents 5 0 R"}},
                     {"<< /Length " + std::to_string(length) + note + " >>\n" + keyword + content + "\nendstream"});
  };
  auto text_of = [](Document& document) {
    Diagnostics d;
    std::string text;
    for (const Glyph& g : document.read_page(1, d).glyphs) text += g.text;
    return text;
  };
  auto short_length = Document::open(test::write_temp("short-length.pdf", with_length(20)));
  EXPECT_TRUE(any_note_starts(*short_length, "repaired by libqpdf"));
  EXPECT_NE(text_of(*short_length).find("Spain"), std::string::npos) << text_of(*short_length);
  // Spaces after the keyword, which PoDoFo and MuPDF skip (a hostile review's).
  for (const std::string keyword : {"stream \n", "stream   \r\n", "stream "}) {
    auto spaced = Document::open(test::write_temp("spaced.pdf", with_length(20, keyword)));
    EXPECT_TRUE(any_note_starts(*spaced, "repaired by libqpdf")) << keyword.size();
    EXPECT_NE(text_of(*spaced).find("Spain"), std::string::npos) << keyword.size();
  }
  // A false "stream ... endstream" in a string of the dictionary.
  const std::string decoy = " /Note (stream\n" + std::string(20, 'x') + "\nendstream)";
  auto decoyed = Document::open(test::write_temp("decoy.pdf", with_length(20, "stream\n", decoy)));
  EXPECT_TRUE(any_note_starts(*decoyed, "repaired by libqpdf"));
  EXPECT_NE(text_of(*decoyed).find("Spain"), std::string::npos);
  auto right = Document::open(test::write_temp("right-length.pdf", with_length(content.size())));
  EXPECT_TRUE(right->opening_notes().empty());
  EXPECT_NE(text_of(*right).find("Spain"), std::string::npos);
}


// The colours an image paints, as the ground text is judged on: a palette
// through its lookup, 16-bit samples through a /Decode, a wide image of
// fine stripes as the grey the eye sees, an inline image by its data.
TEST(Document, ImageColoursAreWhatAViewerShows) {
  const std::string indexed = stream_object(std::string("\x01\x00", 2),
                                            "/Type /XObject /Subtype /Image /Width 2 /Height 1 /BitsPerComponent 8 "
                                            "/ColorSpace [/Indexed /DeviceRGB 1 <FFFFFF FFFF00>]");
  const std::string sixteen = stream_object(std::string("\x00\x00\x00\x00\xFF\xFF", 6),
                                            "/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 16 "
                                            "/ColorSpace /DeviceRGB /Decode [1 0 1 0 1 0]");
  std::string stripes;
  for (int k = 0; k < 2100; ++k) stripes += k % 3 == 0 ? '\x00' : '\xFF';
  const std::string wide = stream_object(stripes, "/Type /XObject /Subtype /Image /Width 2100 /Height 1 "
                                                  "/BitsPerComponent 8 /ColorSpace /DeviceGray");
  const std::string pdf = build_pdf({TestPage{"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /RGB ID \x10\x20\x30 EI Q"}},
                                    {indexed, sixteen, wide});
  auto doc = Document::open(test::write_temp("colours.pdf", pdf));

  const std::optional<Document::Colours> palette = doc->image_colours("5 0");
  ASSERT_TRUE(palette.has_value());
  EXPECT_EQ(palette->rgb, std::string("\xFF\xFF\x00\xFF\xFF\xFF", 6)) << "entry 1 yellow, entry 0 white";

  const std::optional<Document::Colours> decoded = doc->image_colours("6 0");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->rgb, std::string("\xFF\xFF\x00", 3));

  const std::optional<Document::Colours> shrunk = doc->image_colours("7 0");
  ASSERT_TRUE(shrunk.has_value());
  EXPECT_EQ(shrunk->width, 700u) << "three pixels to one, so that no side passes 1,024";
  for (size_t p = 0; p < shrunk->width; ++p) {
    ASSERT_EQ(static_cast<unsigned char>(shrunk->rgb[3 * p]), 170) << "pixel " << p << ": the mean of black, white, white";
  }

  struct Inline : ContentConsumer {
    std::shared_ptr<const InlineImage> told;
    void image(const ImageUse& use, const DrawState&) override { told = use.inline_image; }
  } consumer;
  Diagnostics d;
  doc->walk_page(1, consumer, d);
  ASSERT_NE(consumer.told, nullptr);
  const std::optional<Document::Colours> inline_colours = doc->image_colours(1, *consumer.told);
  ASSERT_TRUE(inline_colours.has_value());
  EXPECT_EQ(inline_colours->rgb, std::string("\x10\x20\x30", 3));
}

// hide_text makes the operations asked about show nothing where they did and
// leaves every other glyph where it was: text in modes 0 to 3 by mode 3
// around it, text that clips (modes 4 to 7) moved 10,000 em along its line
// and back, ' and " (which move to the next line first, and set Tw and Tc)
// included. Written and read again, the glyphs not asked about are where
// they were, and those asked about in a mode that clips are 10,000 em on.
TEST(Document, HiddenTextShowsNothingWhereItWasAndMovesNothingElse) {
  const std::string content =
      "BT /F1 10 Tf 14 TL 72 720 Td 7 Tr (Aa) Tj 2 1 (Bb) \" (Cc) ' [(D) 50 (d)] TJ 0 Tr (Ee) Tj (Ff) ' ET";
  auto doc = Document::open(test::write_temp("h.pdf", build_pdf({TestPage{content}})));
  Diagnostics d;
  const PageContent before = doc->read_page(1, d);
  ASSERT_EQ(before.glyphs.size(), 12u);
  // Every operation but the one showing "Ee".
  std::vector<Document::ShownText> shown;
  for (const Glyph& g : before.glyphs) {
    if (g.text == "E" || g.text == "e") continue;
    shown.push_back({1, "", g.source.op_offset, g.text == "F" || g.text == "f" ? 0 : 7});
  }
  doc->hide_text(shown);
  auto again = Document::open(test::write_temp("h2.pdf", doc->written()));
  const PageContent after = again->read_page(1, d);
  ASSERT_EQ(after.glyphs.size(), before.glyphs.size());
  for (size_t k = 0; k < before.glyphs.size(); ++k) {
    const Glyph& was = before.glyphs[k];
    const Glyph& is = after.glyphs[k];
    EXPECT_EQ(is.text, was.text);
    const bool moved = was.text != "E" && was.text != "e" && was.text != "F" && was.text != "f";
    EXPECT_NEAR(is.origin.x, was.origin.x + (moved ? 100000 : 0), 1e-6) << was.text;
    EXPECT_NEAR(is.origin.y, was.origin.y, 1e-6) << was.text;
    EXPECT_EQ(is.invisible, was.text == "F" || was.text == "f" || moved) << was.text;
  }
}

// A named destination holding a match is renamed, and what goes to it by
// that name in this file follows; a GoToR's /D names one of another file
// and stays (the file is then held for it, not published with a link that
// goes nowhere).
TEST(Document, ANamedDestinationHoldingAMatchIsRenamedWithWhatGoesToIt) {
  const std::string links =
      "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoTo /D /France >> >> "
      "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /Dest /France >> "
      "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (annex.pdf) /D /France >> >> "
      "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /Dest /Dest1 >>]";
  auto doc = Document::open(test::write_temp(
      "dests.pdf", build_pdf({TestPage{"BT /F1 10 Tf 72 720 Td (x) Tj ET", "<< /Font << /F1 4 0 R >> >>", links}},
                             {"<< /France [6 0 R /Fit] /Dest1 [6 0 R /Fit] /Spain [6 0 R /Fit] >>"}, test::kHelvetica,
                             "<< /Producer (redact tests) >>", "/Dests 5 0 R")));
  const auto removed = doc->remove_matching_strings([](const std::string& text) -> std::optional<Document::StringEdit> {
    if (text.find("France") == std::string::npos) return std::nullopt;
    return Document::StringEdit{"", 7};
  });
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].key, "Dests");
  EXPECT_EQ(removed[0].action, "renamed");
  EXPECT_EQ(removed[0].tag, 7u);
  auto again = Document::open(test::write_temp("dests2.pdf", doc->written()));
  std::set<std::string> dests;
  std::vector<std::string> local, remote;  // the names links go to
  again->visit_objects([&](const Document::ObjectVisit& v) {
    std::vector<const Object*> pending{&v.value};
    while (!pending.empty()) {
      const Object* o = pending.back();
      pending.pop_back();
      if (o->find("Spain")) {  // the catalog's /Dests
        for (size_t i = 0; i + 1 < o->items.size(); i += 2) dests.insert(o->items[i].bytes);
      }
      const Object* s = o->find("S");
      for (const char* key : {"D", "Dest"}) {
        const Object* name = o->find(key);
        if (name && name->is_name()) (s && s->bytes == "GoToR" ? remote : local).push_back(name->bytes);
      }
      for (const Object& item : o->items) pending.push_back(&item);
    }
  });
  EXPECT_EQ(dests, (std::set<std::string>{"Dest1", "Dest2", "Spain"}));
  std::sort(local.begin(), local.end());
  EXPECT_EQ(local, (std::vector<std::string>{"Dest1", "Dest2", "Dest2"}));
  EXPECT_EQ(remote, (std::vector<std::string>{"France"}));
}

// A bookmark whose title holds a match loses the match and keeps the rest;
// the other bookmarks stay as they are (they once all went with it).
TEST(Document, ABookmarkTitleHoldingAMatchIsCutAndTheOtherBookmarksStay) {
  auto doc = Document::open(test::write_temp(
      "outline.pdf",
      build_pdf({TestPage{"BT /F1 10 Tf 72 720 Td (x) Tj ET"}},
                {"<< /Type /Outlines /First 6 0 R /Last 8 0 R /Count 3 >>",
                 "<< /Title (1. Deployments to France) /Parent 5 0 R /Next 7 0 R /Dest [10 0 R /Fit] >>",
                 "<< /Title (2. Costs) /Parent 5 0 R /Prev 6 0 R /Next 8 0 R /Dest [10 0 R /Fit] >>",
                 "<< /Title 9 0 R /Parent 5 0 R /Prev 7 0 R /Dest [10 0 R /Fit] >>", "(3. Visit to France)"},
                test::kHelvetica, "<< /Producer (redact tests) >>", "/Outlines 5 0 R")));
  const auto removed = doc->remove_matching_strings([](const std::string& text) -> std::optional<Document::StringEdit> {
    const size_t at = text.find("France");
    if (at == std::string::npos) return std::nullopt;
    return Document::StringEdit{text.substr(0, at) + text.substr(at + 6), 3};
  });
  ASSERT_EQ(removed.size(), 2u) << "a title that is an object of its own is cut too";
  EXPECT_EQ(removed[0].key, "Title");
  EXPECT_EQ(removed[0].action, "cut");
  auto again = Document::open(test::write_temp("outline2.pdf", doc->written()));
  std::vector<std::string> titles;
  again->visit_objects([&](const Document::ObjectVisit& v) {
    if (const Object* title = v.value.find("Title"); title && v.value.find("Parent")) titles.push_back(title->bytes);
  });
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(titles, (std::vector<std::string>{"1. Deployments to ", "2. Costs", "3. Visit to "}));
}

// The names tree's destinations (strings, with /Kids and /Limits) are
// renamed too: the tree is written again as one sorted array, and what
// goes to a renamed one by its string follows, but for a GoToR's.
TEST(Document, ANamesTreeDestinationHoldingAMatchIsRenamedAndTheTreeStaysSorted) {
  const std::string links =
      "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoTo /D (France) >> >> "
      "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /Dest (France) >> "
      "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (annex.pdf) /D (France) >> >>]";
  auto doc = Document::open(test::write_temp(
      "tree.pdf",
      build_pdf({TestPage{"BT /F1 10 Tf 72 720 Td (x) Tj ET", "<< /Font << /F1 4 0 R >> >>", links}},
                {"<< /Kids [6 0 R 7 0 R] >>", "<< /Limits [(Annex) (France)] /Names [(Annex) [8 0 R /Fit] (France) [8 0 R /Fit]] >>",
                 "<< /Limits [(Spain) (Zeta)] /Names [(Spain) [8 0 R /Fit] (Zeta) [8 0 R /Fit]] >>"},
                test::kHelvetica, "<< /Producer (redact tests) >>",
                "/Names << /Dests 5 0 R >> /Dests << /Dest1 [8 0 R /Fit] >>")));
  const auto removed = doc->remove_matching_strings([](const std::string& text) -> std::optional<Document::StringEdit> {
    if (text.find("France") == std::string::npos) return std::nullopt;
    return Document::StringEdit{"", 0};
  });
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].action, "renamed");
  auto again = Document::open(test::write_temp("tree2.pdf", doc->written()));
  std::vector<std::string> keys, local, remote;
  again->visit_objects([&](const Document::ObjectVisit& v) {
    std::vector<const Object*> pending{&v.value};
    while (!pending.empty()) {
      const Object* o = pending.back();
      pending.pop_back();
      if (const Object* list = o->find("Names"); list && list->is_array()) {
        for (size_t i = 0; i < list->items.size(); i += 2) keys.push_back(list->items[i].bytes);
      }
      const Object* s = o->find("S");
      for (const char* key : {"D", "Dest"}) {
        const Object* name = o->find(key);
        if (name && name->is_string()) (s && s->bytes == "GoToR" ? remote : local).push_back(name->bytes);
      }
      for (const Object& item : o->items) pending.push_back(&item);
    }
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"Annex", "Dest2", "Spain", "Zeta"}))
      << "one array, in order, and no name the catalog's /Dests has (a reader may look a string up there)";
  EXPECT_EQ(local, (std::vector<std::string>{"Dest2", "Dest2"}));
  EXPECT_EQ(remote, (std::vector<std::string>{"France"}));
}

// A names tree with a key twice (or an item that is no pair of a string and
// a value) is not written again: which of two a reader takes is not to be
// changed. Nothing is renamed, and the file is held for the match.
TEST(Document, ANamesTreeWithAKeyTwiceIsNotWrittenAgain) {
  auto doc = Document::open(test::write_temp(
      "twice.pdf",
      build_pdf({TestPage{"BT /F1 10 Tf 72 720 Td (x) Tj ET"}},
                {"<< /Kids [6 0 R 7 0 R] >>", "<< /Limits [(Annex) (France)] /Names [(Annex) [8 0 R /Fit] (France) [8 0 R /Fit]] >>",
                 "<< /Limits [(Annex) (France)] /Names [(Annex) [8 0 R /Fit] (France) [8 0 R /Fit]] >>"},
                test::kHelvetica, "<< /Producer (redact tests) >>", "/Names << /Dests 5 0 R >>")));
  const auto removed = doc->remove_matching_strings([](const std::string& text) -> std::optional<Document::StringEdit> {
    if (text.find("France") == std::string::npos) return std::nullopt;
    return Document::StringEdit{"", 0};
  });
  EXPECT_TRUE(removed.empty());
}

}  // namespace
}  // namespace redact::pdf
