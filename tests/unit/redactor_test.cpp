// Whole-document redaction on small PDFs, each pinning one fail-closed rule.
#include "apply/marked_copy.h"
#include "apply/redactor.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/file.h"
#include "pdf/content_consumer.h"
#include "pdf/document.h"
#include "pdf/jpeg.h"
#include "unit/test_pdf.h"

namespace redact::apply {
namespace {

using test::build_pdf;
using test::stream_object;
using test::TestPage;

const match::Matcher& matcher() { return test::shipped_matcher(); }

Outcome redact(const std::string& pdf, std::string* output_path = nullptr) {
  const std::string input = test::write_temp("in.pdf", pdf);
  const std::string output = input + ".out.pdf";
  std::filesystem::remove(output);
  if (output_path) *output_path = output;
  return redact_document(input, output, matcher(), RedactOptions{});
}

// How many temporary files of `output` (OUTPUT.*.redact-tmp) are beside it.
int temporaries_beside(const std::string& output) {
  const std::string prefix = std::filesystem::path(output).filename().string() + ".";
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(output).parent_path())) {
    const std::string name = entry.path().filename().string();
    found += name.starts_with(prefix) && name.ends_with(".redact-tmp") ? 1 : 0;
  }
  return found;
}

// The text of every glyph of page `number` of the PDF at `path` (its
// annotations' included), as redact reads it.
std::string glyph_text(const std::string& path, int number = 1) {
  auto doc = pdf::Document::open(path);
  Diagnostics d;
  std::string text;
  for (const pdf::Glyph& g : doc->read_page(number, d).glyphs) text += g.text;
  return text;
}

// Each string change of `o` as "object key action category".
std::set<std::string> changes_of(const Outcome& o) {
  std::set<std::string> out;
  for (const StringChange& c : o.string_changes) out.insert(c.object + " " + c.key + " " + c.action + " " + c.category);
  return out;
}

TEST(Redactor, RemovesTheMatchAndWritesTheFile) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Officers were sent to France in May.) Tj ET"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.regions.size(), 1u);
  EXPECT_EQ(o.regions[0].category, "country");
  ASSERT_TRUE(std::filesystem::exists(output));
  EXPECT_EQ(temporaries_beside(output), 0) << "a temporary file is left beside the output";
  EXPECT_EQ(o.output_sha256.size(), 64u);
  const std::string text = glyph_text(output);
  EXPECT_EQ(text.find("France"), std::string::npos) << text;
  EXPECT_NE(text.find("Officers were sent to"), std::string::npos) << text;
  EXPECT_EQ(text.find("s.27"), std::string::npos) << "a label too wide for its box is left out";
}

// Taking "Spain" out brings "7" and "Officers" together: the output reads
// "Total 7 Officers visited ...", a count. The planner reads the page again
// as the output will read and withholds that too, instead of leaving the
// check of the output to hold the document.
TEST(Redactor, WhatARemovalBringsTogetherIsWithheldToo) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Total 7) Tj 0 -14 Td (Spain) Tj "
                                         "0 -14 Td (Officers visited the region in May.) Tj ET"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  std::vector<std::string> categories;
  for (const plan::Region& r : o.regions) categories.push_back(r.category);
  EXPECT_NE(std::find(categories.begin(), categories.end(), "country"), categories.end());
  EXPECT_NE(std::find(categories.begin(), categories.end(), "officer_count"), categories.end());
  const std::string text = glyph_text(output);
  EXPECT_EQ(text.find("Spain"), std::string::npos) << text;
  EXPECT_EQ(text.find('7'), std::string::npos) << text;
  EXPECT_NE(text.find("Total"), std::string::npos) << text;
  EXPECT_NE(text.find("visited the region in May."), std::string::npos) << text;
}

// The page is read again only where a removal can join something (the
// lines around it in each reading), not whole: here the three lines are
// far apart on a page of other lines, and only their drawing order brings
// "7" and "Officers" together once "Spain" is gone.
TEST(Redactor, WhatARemovalBringsTogetherInDrawingOrderIsWithheldOnAFullPage) {
  std::string content = "BT /F1 12 Tf 72 760 Td (Total 7) Tj 0 -360 Td (Spain) Tj 0 -340 Td "
                        "(Officers visited the region in May.) Tj ET";
  for (int i = 0; i < 50; ++i) {
    content += " BT /F1 10 Tf 300 " + std::to_string(770 - 14 * i) + " Td (Minute " + std::to_string(i) +
               " of the meeting.) Tj ET";
  }
  std::string output;
  Outcome o = redact(build_pdf({TestPage{content}}), &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  std::vector<std::string> categories;
  for (const plan::Region& r : o.regions) categories.push_back(r.category);
  EXPECT_NE(std::find(categories.begin(), categories.end(), "officer_count"), categories.end());
  const std::string text = glyph_text(output);
  EXPECT_EQ(text.find("Spain"), std::string::npos) << text;
  EXPECT_EQ(text.find("Total 7"), std::string::npos) << text;
  EXPECT_NE(text.find("Total"), std::string::npos) << text;
  EXPECT_NE(text.find("Minute 49 of the meeting."), std::string::npos) << text;
}

// The gate: what the planner does not remove, check still finds in the
// output, and the document is held with the finding as its reason.
TEST(Redactor, AnOutputThatFailsCheckIsHeldWithTheFindingAsItsReason) {
  const std::string hidden = "<< /Type /Annot /Subtype /Stamp /F 2 /Rect [300 600 400 640] /AP << /N 6 0 R >> >>";
  const std::string appearance = stream_object(
      "BT /F1 12 Tf 0 5 Td (France) Tj ET", "/Subtype /Form /BBox [0 0 100 40] /Resources << /Font << /F1 4 0 R >> >>");
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R]"}},
                               {hidden, appearance}),
                     &output);
  EXPECT_EQ(o.status, Status::needs_review);
  EXPECT_NE(o.reason.find("check: "), std::string::npos) << o.reason;
  EXPECT_NE(o.reason.find("leak text"), std::string::npos) << o.reason;
  EXPECT_EQ(o.reason.find("France"), std::string::npos) << "a reason never holds the withheld text";
  EXPECT_FALSE(std::filesystem::exists(output));
  EXPECT_EQ(temporaries_beside(output), 0) << "a temporary file is left beside the output";
}

// Attachments outside the names tree (a FileAttachment annotation's file
// specification, an /AF array) are dropped like those in it: check of the
// output found them and every such document was held. The file's stream
// is emptied, since something else (private data) may name it too.
TEST(Redactor, AnAnnotationsAttachmentIsDropped) {
  const std::string annotation =
      "<< /Type /Annot /Subtype /FileAttachment /Rect [300 600 320 620] /Contents (Notes) "
      "/FS << /Type /Filespec /F (notes.txt) /UF (notes.txt) /EF << /F 6 0 R /UF 6 0 R >> >> >>";
  // /Type /EmbeddedFile is optional: check does not know this stream for
  // an attachment once nothing names it as one.
  const std::string attached = stream_object("Officers went to France.");
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R] /AF [<< /Type /Filespec /F (b.txt) /EF << /F 6 0 R >> >>] "
                                         "/PieceInfo << /App << /Private 6 0 R >> >>"}},
                               {annotation, attached}),
                     &output);
  // Removed, and on the record: an attachment may be half a response.
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(changes_of(o), (std::set<std::string>{"5 0 EF removed attachment", "7 0 EF removed attachment"}));
  const std::string bytes = read_file(output).value();
  EXPECT_EQ(bytes.find("/EF"), std::string::npos);
  EXPECT_EQ(bytes.find("Officers"), std::string::npos) << "the file's stream, named from private data too, is emptied";
  EXPECT_NE(bytes.find("/FileAttachment"), std::string::npos) << "the annotation stays";
}

// Scripts and additional actions go from every output, each on the
// record: a link's JavaScript, a page's /AA, the document's scripts.
TEST(Redactor, ScriptsAndActionsAreRemovedOnTheRecord) {
  const std::string link =
      "<< /Type /Annot /Subtype /Link /Rect [10 10 20 20] /A << /S /JavaScript /JS (app.alert('Spain')) >> >>";
  const std::string names = "<< /JavaScript << /Names [(a) << /S /JavaScript /JS (1) >>] >> >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R] /AA << /O << /S /Named /N /Print >> >>"}},
                               {link, names}, test::kHelvetica, "<< /Producer (t) >>", "/Names 6 0 R"),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(changes_of(o), (std::set<std::string>{"5 0 A removed javascript", "6 0 JavaScript removed javascript",
                                                  "7 0 AA removed action"}));
  const std::string bytes = read_file(output).value();
  EXPECT_EQ(bytes.find("JavaScript"), std::string::npos);
  EXPECT_EQ(bytes.find("/AA"), std::string::npos);
}

// An action that runs or sends something goes with what it chains to,
// wherever it stands in a chain, each on the record; a link to a URI or a
// page stays. Launch and JavaScript in a /Next held the document before (a
// risk for check that run did not remove); a SubmitForm was published.
TEST(Redactor, ActionsThatRunOrSendGoFromTheirChainsAndLinksStay) {
  const std::string chained =
      "<< /Type /Annot /Subtype /Link /Rect [10 10 20 20] /A << /S /URI /URI (http://example.org/) /Next ["
      "<< /S /JavaScript /JS (app.alert(1)) >> << /S /GoTo /D [0 /Fit] /Next << /S /Launch /F (calc.exe) >> >>] >> >>";
  const std::string submit =
      "<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) /Rect [30 10 40 20] "
      "/A << /S /SubmitForm /F (https://example.org/collect) >> >>";
  const std::string named = "<< /Type /Annot /Subtype /Link /Rect [50 10 60 20] /A << /S /Named /N /NextPage >> >>";
  // A chain that loops back through an array naming one action twice: each
  // action is followed once (two to the 32nd visits otherwise), and only
  // the launch goes.
  const std::string looped = "<< /Type /Annot /Subtype /Link /Rect [70 10 80 20] /A 9 0 R >>";
  const std::string go = "<< /S /GoTo /D [0 /Fit] /Next 10 0 R >>";
  const std::string twice = "[9 0 R 9 0 R 11 0 R]";
  const std::string on = "<< /S /GoTo /D [0 /Fit] /Next [9 0 R 11 0 R << /S /Launch /F (x.exe) >>] >>";
  // A field tree written inline: actions in dictionaries inside an object
  // are found too (only an object's own dictionary was looked at).
  const std::string form =
      "<< /Fields [<< /T (a) /Kids [<< /T (b) /Kids [<< /T (c) /FT /Btn /AA << /C << /S /JavaScript /JS (1) >> >> "
      "/A << /S /ImportData /F (data.fdf) >> >>] >>] >>] >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R 6 0 R 7 0 R 8 0 R]"}},
                               {chained, submit, named, looped, go, twice, on, form}, test::kHelvetica,
                               "<< /Producer (t) >>", "/AcroForm 12 0 R"),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(changes_of(o), (std::set<std::string>{"5 0 Next removed javascript", "5 0 Next removed action",
                                                  "6 0 A removed action", "8 0 Next removed action",
                                                  "12 0 AA removed action", "12 0 A removed action"}));
  EXPECT_EQ(o.string_changes.size(), 6u);
  const std::string bytes = read_file(output).value();
  for (const char* gone : {"JavaScript", "Launch", "calc.exe", "x.exe", "SubmitForm", "collect", "ImportData", "/AA"}) {
    EXPECT_EQ(bytes.find(gone), std::string::npos) << gone;
  }
  for (const char* kept : {"/URI", "http://example.org/", "/GoTo", "/NextPage"}) {
    EXPECT_NE(bytes.find(kept), std::string::npos) << kept;
  }
}

// Found by a hostile review (valgrind): an action inside an action's /Next
// array whose own /A leads back to that action took the array's element
// from under the walk that held it, which then read freed memory. Nothing
// is changed behind a reference to the object being walked; its own walk
// prunes its chain. (The sanitizer build of this test catches a reread.)
TEST(Redactor, AChainThatLeadsBackIntoItsOwnObjectIsPrunedSafely) {
  const std::string action =
      "<< /S /GoTo /D [0 /Fit] /Next [<< /S /JavaScript /JS (x) >> "
      "<< /S /GoTo /D [0 /Fit] /Foo << /A 5 0 R /Bar [1 2 3] /Baz << /Q [4 5] >> >> >>] >>";
  const std::string link = "<< /Type /Annot /Subtype /Link /Rect [10 10 20 20] /A 5 0 R >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [6 0 R]"}},
                               {action, link}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(changes_of(o), (std::set<std::string>{"5 0 Next removed javascript"}));
  const std::string bytes = read_file(output).value();
  EXPECT_EQ(bytes.find("JavaScript"), std::string::npos);
  EXPECT_NE(bytes.find("/GoTo"), std::string::npos);
}

// An XFA form is drawn by Adobe Reader in place of the pages, and its
// scripts run there: one that holds a script (or a submission, or a call to
// a web service) goes, on the record, and the AcroForm's fields stay; one
// that only lays out fields stays. (A review found a script in a "clean"
// output.)
TEST(Redactor, AnXfaFormThatRunsScriptsGoesAndOneThatDoesNotStays) {
  const auto written = [](const std::string& xfa, std::set<std::string> expected) {
    std::string output;
    Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET"}},
                                 {test::stream_object(xfa)}, test::kHelvetica, "<< /Producer (t) >>",
                                 "/AcroForm << /Fields [] /XFA 5 0 R >>"),
                       &output);
    EXPECT_EQ(changes_of(o), expected) << xfa;
    return read_file(output).value_or("");
  };
  const std::string bytes = written(
      "<xdp:xdp><template><subform><event activity=\"initialize\"><Script contentType=\"application/x-javascript\">"
      "app.alert(1)</Script></event></subform></template></xdp:xdp>",
      {"1 0 XFA removed javascript"});
  EXPECT_EQ(bytes.find("/XFA"), std::string::npos);
  EXPECT_NE(bytes.find("/AcroForm"), std::string::npos);
  EXPECT_NE(written("<xdp:xdp><template><subform><field name=\"a\"/></subform></template></xdp:xdp>", {}).find("/XFA"),
            std::string::npos)
      << "kept";
}

// An /OpenAction that does more than open a view (check's risk) is
// dropped, on the record, so that the output is written, not held; a view
// stays.
TEST(Redactor, AnOpenActionThatDoesMoreThanOpenAViewIsDropped) {
  const TestPage page{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET"};
  const auto written = [&](const std::vector<std::string>& objects, const std::string& open_action) {
    std::string output;
    Outcome o = redact(build_pdf({page}, objects, test::kHelvetica, "<< /Producer (t) >>", "/OpenAction " + open_action),
                       &output);
    const std::string bytes = read_file(output).value_or("");
    const bool dropped = bytes.find("/OpenAction") == std::string::npos;
    EXPECT_EQ(o.status, dropped ? Status::redacted : Status::clean) << open_action << ": " << o.reason;
    if (dropped) {
      EXPECT_EQ(o.string_changes.size(), 1u) << open_action;
      EXPECT_EQ(changes_of(o), (std::set<std::string>{"1 0 OpenAction removed action"})) << open_action;
    }
    return bytes;
  };
  EXPECT_EQ(written({}, "<< /S /Named /N /Print >>").find("/OpenAction"), std::string::npos);
  EXPECT_EQ(written({"<< /S /Launch /F (calc.exe) >>"}, "5 0 R").find("/OpenAction"), std::string::npos);
  EXPECT_EQ(written({}, "<< /S /GoTo /D [0 /Fit] /Next << /S /URI /URI (http://x.example/) >> >>").find("/OpenAction"),
            std::string::npos)
      << "a chain";
  EXPECT_EQ(written({"6 0 R", "<< /S /GoTo /D [0 /Fit] >>"}, "5 0 R").find("/OpenAction"), std::string::npos)
      << "a reference to a reference";
  EXPECT_EQ(written({}, "<< /S /GoTo /D << /S /URI /URI (http://x.example/) >> >>").find("/OpenAction"),
            std::string::npos)
      << "a GoTo to no destination";
  EXPECT_EQ(written({"/GoTo"}, "<< /S 5 0 R /D [0 /Fit] >>").find("/OpenAction"), std::string::npos)
      << "/S not given directly";
  EXPECT_NE(written({"<< /S /GoTo /D [0 /Fit] >>"}, "5 0 R").find("/OpenAction"), std::string::npos) << "a view stays";
}

TEST(Redactor, LetterSpacedTextIsRemovedNotOnlyFound) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 4 Tc 72 700 Td (DEPLOYMENT TO FRANCE) Tj ET"}}), &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  const std::string text = glyph_text(output);
  EXPECT_EQ(text.find("FRANCE"), std::string::npos) << text;
  EXPECT_NE(text.find("DEPLOYMENT"), std::string::npos) << text;
}

TEST(Redactor, AWideBoxIsLabelledWithItsExemptions) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{
                         "BT /F1 12 Tf 72 700 Td (They went to the Democratic Republic of the Congo.) Tj ET"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  const std::string text = glyph_text(output);
  EXPECT_NE(text.find("s.27(1)(a), s.27(1)(c)"), std::string::npos) << text;
  EXPECT_EQ(text.find("Congo"), std::string::npos) << text;
}

TEST(Redactor, ADocumentWithNothingToRedactIsCleanAndWritten) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET"}}), &output);
  EXPECT_EQ(o.status, Status::clean) << o.reason;
  EXPECT_TRUE(std::filesystem::exists(output));
}

TEST(Redactor, LabelsReadUprightOnARotatedPage) {
  // /Rotate 90 with text drawn upwards in user space: it reads left to right as displayed.
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Sent to the Democratic Republic of the Congo) Tj ET",
                                         "<< /Font << /F1 4 0 R >> >>", "/Rotate 90"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  pdf::PageContent page = doc->read_page(1, d);
  size_t label_glyphs = 0;
  for (const pdf::Glyph& g : page.glyphs) {
    if (page.fonts[g.font].resource != "RedactLabel") continue;
    ++label_glyphs;
    EXPECT_GT(g.end.x, g.origin.x) << "label glyph '" << g.text << "' does not run left to right";
    EXPECT_NEAR(g.end.y, g.origin.y, 1e-6);
    EXPECT_GT(g.box.y0, o.regions[0].box.y0 - 1e-6);  // inside its box
    EXPECT_LT(g.box.y1, o.regions[0].box.y1 + 1e-6);
  }
  EXPECT_GT(label_glyphs, 10u);
}

TEST(Redactor, MetadataIsScrubbed) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET"}}, {},
                               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
                               "<< /Title (Deployments to France) /Author (J. Smith) /Producer (Word) >>"),
                     &output);
  ASSERT_EQ(o.status, Status::clean) << o.reason;
  auto doc = pdf::Document::open(output);
  for (const auto& s : doc->strings()) {
    EXPECT_EQ(s.text.find("France"), std::string::npos) << s.object;
    EXPECT_EQ(s.text.find("Smith"), std::string::npos) << s.object;
  }
}

TEST(Redactor, LanguageTagsAreNotTextToMatch) {
  // Regression: Durham's catalog /Lang (en-US) was read as the country "US".
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET",
                                         "<< /Font << /F1 4 0 R >> >>", "/Lang (en-US)"}}));
  EXPECT_EQ(o.status, Status::clean) << o.reason;
}

// A marked-content property written in the stream is a string no
// operation shows: one holding a match is emptied, on the record. One in
// the resources' /Properties is cut, as strings outside the content are.
TEST(Redactor, MarkedContentTextIsCheckedToo) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{
                         "BT /F1 12 Tf 72 700 Td /Span << /ActualText (France) /Lang (en-US) >> BDC (Fr) Tj EMC ET"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.string_changes.size(), 1u);
  EXPECT_EQ(o.string_changes[0].key, "string");
  EXPECT_EQ(o.string_changes[0].object, "page 1 content");
  auto doc = pdf::Document::open(output);
  Diagnostics diagnostics;
  const pdf::PageContent page = doc->read_page(1, diagnostics);
  EXPECT_NE(page.content.find("/ActualText ()"), std::string::npos) << page.content;
  EXPECT_NE(page.content.find("(en-US)"), std::string::npos) << page.content;
  Outcome named = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td /Span /MC0 BDC (Fr) Tj EMC ET",
                                             "<< /Font << /F1 4 0 R >> /Properties << /MC0 << /ActualText (France) >> >> >>"}}));
  ASSERT_EQ(named.status, Status::redacted) << named.reason;
  ASSERT_EQ(named.string_changes.size(), 1u);
  EXPECT_EQ(named.string_changes[0].key, "ActualText");
}

// An /ActualText written in a span stands for the glyphs the span shows:
// once they all go, it goes too, though it holds no match of its own
// (cairo writes the "fi" of a ligature so, and it stayed readable where
// its word was taken out). One over glyphs that stay, stays.
TEST(Redactor, AnActualTextGoesWithTheGlyphsItStandsFor) {
  std::string output;
  const Outcome o = redact(build_pdf({TestPage{
                               "BT /F1 12 Tf 72 700 Td (Officers were deployed to ) Tj /Span << /ActualText (Fr) >> BDC "
                               "(Fr) Tj EMC (ance.) Tj ET BT /F1 12 Tf 72 600 Td /Span << /ActualText (Of) >> BDC (Of) Tj "
                               "EMC (ficers) Tj ET"}}),
                           &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  Diagnostics diagnostics;
  const pdf::PageContent page = doc->read_page(1, diagnostics);
  EXPECT_NE(page.content.find("/ActualText ()"), std::string::npos) << page.content;
  EXPECT_EQ(page.content.find("/ActualText (Fr)"), std::string::npos) << page.content;
  EXPECT_NE(page.content.find("/ActualText (Of)"), std::string::npos) << page.content;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Strings outside the content lose the match and keep the rest; each edit is
// on the record, and the document is redacted, never "clean".
TEST(Redactor, StringsHoldingAMatchLoseItAndKeepTheRest) {
  const std::string annot = "<< /Type /Annot /Subtype /Text /Rect [10 10 20 20] /Contents (Costs for Chad: see below) >>";
  const std::string element = "<< /Type /StructElem /S /Figure /Alt (Map of Burkina Faso) /ActualText (Logo) >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R] /PieceInfo << /Redact 6 0 R >>"}},
                               {annot, element}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.string_changes.size(), 2u);
  EXPECT_EQ(o.string_changes[0].action, "cut");
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("Chad"), std::string::npos);
  EXPECT_EQ(bytes.find("Burkina"), std::string::npos);
  EXPECT_NE(bytes.find("(Costs for : see below)"), std::string::npos) << "the rest of the text stays";
  EXPECT_NE(bytes.find("(Logo)"), std::string::npos) << "alternatives without a match stay";
}

// The record of a string's edit cites every match cut from it, not only the
// first one's pattern.
TEST(Redactor, AStringEditCitesTheExemptionsOfEveryMatchCut) {
  const std::string annot = "<< /Type /Annot /Subtype /Text /Rect [10 10 20 20] /Contents (Chad: we spent £5,000) >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R]"}},
                               {annot}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.string_changes.size(), 1u);
  const StringChange& change = o.string_changes[0];
  EXPECT_EQ(change.category, "country");
  const std::set<std::string> cited(change.exemptions.begin(), change.exemptions.end());
  EXPECT_TRUE(cited.contains("s27(1)(a)") && cited.contains("s31(1)(a)")) << ::testing::PrintToString(change.exemptions);
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("Chad"), std::string::npos);
  EXPECT_EQ(bytes.find("5,000"), std::string::npos);
}

// A name only TeX's list knows, at a letter's code: poppler reads the
// code ("triangle" at 83 is "S", drawn from Helvetica), so both readings
// are matched and "Spain" goes (a hostile review's file).
TEST(Redactor, ATexNameAtALettersCodeIsReadBothWays) {
  const std::string font =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding "
      "/Differences [83 /triangle] >> >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Officers were sent to Spain.) Tj ET"}}, {}, font),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  const std::string text = glyph_text(output);
  EXPECT_EQ(text.find("pain"), std::string::npos) << text;
  EXPECT_NE(text.find("Officers were sent to"), std::string::npos) << text;
}

// XMP on any object (a font's, an image's) is dropped like the
// document's: nothing a reader shows, and it may name anything.
TEST(Redactor, EveryObjectsMetadataIsDropped) {
  const std::string font =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /Metadata 5 0 R >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing to see.) Tj ET"}},
                               {stream_object("<x:xmpmeta><dc:title>Sent to France</dc:title></x:xmpmeta>",
                                              "/Type /Metadata /Subtype /XML")},
                               font),
                     &output);
  ASSERT_EQ(o.status, Status::clean) << o.reason;
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("/Metadata"), std::string::npos);
  EXPECT_EQ(bytes.find("France"), std::string::npos);
}

// A content stream whose Flate data ends before its end marker (flushed,
// never finished: pdf.js's comments.pdf) is read as far as it goes, as
// every reader shows it, and redacted; one damaged partway still holds.
TEST(Redactor, AFlateStreamCutShortIsReadAsFarAsItGoes) {
  const std::string flushed = test::deflate_unfinished("BT /F1 12 Tf 72 700 Td (Officers were sent to Spain.) Tj ET");
  const auto run = [&](const std::string& data, std::string* output) {
    return redact(build_pdf({TestPage{"", "<< /Font << /F1 4 0 R >> >>", "/Contents 5 0 R"}},
                            {stream_object(data, "/Filter /FlateDecode")}),
                  output);
  };
  std::string output;
  Outcome o = run(flushed, &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  const std::string text = glyph_text(output);
  EXPECT_EQ(text.find("Spain"), std::string::npos) << text;
  EXPECT_NE(text.find("Officers were sent to"), std::string::npos) << text;

  std::string damaged = flushed;
  damaged[2] = static_cast<char>(0xff);  // an invalid block type
  EXPECT_EQ(run(damaged, &output).status, Status::needs_review);
}

// An application's private data that cannot be decoded goes unread, and
// the record says so rather than naming a pattern nothing matched.
TEST(Redactor, UnreadablePrivateDataGoesOnTheRecordAsUnreadable) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/PieceInfo 5 0 R"}},
                               {stream_object("not flate at all", "/Filter /FlateDecode")}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.string_changes.size(), 1u);
  EXPECT_EQ(o.string_changes[0].key, "PieceInfo");
  EXPECT_EQ(o.string_changes[0].action, "removed");
  EXPECT_EQ(o.string_changes[0].category, "unreadable");
  EXPECT_EQ(o.string_changes[0].pattern, "");
  EXPECT_EQ(file_bytes(output).find("/PieceInfo"), std::string::npos);
}

TEST(Redactor, FieldValuesTooltipsAndLinksHoldingAMatchAreCutOrBlanked) {
  // A field's name too: MuPDF's test_4614 names a signature field after
  // the document's number, which check found in the output. Cut, it gets a
  // number of its own, so that it cannot become a sibling's name (or none)
  // and two fields one.
  const std::string field = "<< /FT /Tx /T (where_France) /V (Posted to France) /TU (France or Chad) >>";
  // A link; and a button whose submit action names the field (a review
  // found it held the document once the field was renamed).
  const std::string link = "<< /Type /Annot /Subtype /Link /Rect [10 10 20 20] /A << /S /URI /URI (https://example.org/Chad/report) "
                           "/Next << /S /SubmitForm /F (https://example.org/) /Fields [(where_France) (other)] >> >> >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [6 0 R] /PieceInfo << /Field 5 0 R >>"}},
                               {field, link}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  std::set<std::string> done;
  for (const StringChange& c : o.string_changes) done.insert(c.key + " " + c.action);
  EXPECT_EQ(done, (std::set<std::string>{"T cut", "V cut", "TU cut", "URI blanked", "Fields cut", "Next removed"}));
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("France"), std::string::npos);
  EXPECT_EQ(bytes.find("Chad"), std::string::npos);
  EXPECT_NE(bytes.find("(Posted to )"), std::string::npos);
  EXPECT_NE(bytes.find("(where_#1)"), std::string::npos);
  EXPECT_EQ(bytes.find("SubmitForm"), std::string::npos) << "the submit action goes after its list is cut";
}

// Found by a hostile review: a match that only another reading of a string
// shows (markup, escapes, base64) takes the string; rich text and an
// application's private copy go with any edit of their annotation.
TEST(Redactor, StringsReadAnyWayLoseTheMatch) {
  const std::string note =
      "<< /Type /Annot /Subtype /FreeText /Rect [10 10 20 20] /Contents (Note on France here) "
      "/RC (<p>Note on Fr<span>ance</span> here</p>) "
      "/AAPL:AKExtras << /Copy (Tm90ZSBvbiBGcmFuY2UgaGVyZSBhbmQgbW9yZQ==) >> >>";
  const std::string link = "<< /Type /Annot /Subtype /Link /Rect [30 10 40 20] /A << /S /URI /URI (http://x.org/%46rance) >> >>";
  const std::string markup = "<< /Type /Annot /Subtype /Text /Rect [50 10 60 20] /Contents (Ch&#97;d) /RC (Ch&#97;d) >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R 6 0 R 7 0 R]"}},
                               {note, link, markup}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  std::set<std::string> done;
  for (const StringChange& c : o.string_changes) done.insert(c.object + " " + c.key + " " + c.action);
  EXPECT_TRUE(done.contains("5 0 Contents cut"));
  EXPECT_TRUE(done.contains("5 0 RC removed"));
  EXPECT_TRUE(done.contains("5 0 AAPL:AKExtras removed"));
  EXPECT_TRUE(done.contains("6 0 URI blanked"));
  EXPECT_TRUE(done.contains("7 0 RC removed"));
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("AAPL"), std::string::npos);
  EXPECT_EQ(bytes.find("%46rance"), std::string::npos);
  EXPECT_EQ(bytes.find("ance</span>"), std::string::npos);
  EXPECT_NE(bytes.find("(Note on  here)"), std::string::npos);
}

// A signature no longer holds for a redacted document: it goes, on the
// record; one whose own strings hold a match goes too; an untouched
// document keeps its signature.
TEST(Redactor, SignaturesGoWithARedactionOrAMatchOfTheirOwn) {
  auto signed_pdf = [](const std::string& text, const std::string& location) {
    const std::string field = "<< /FT /Sig /T (Signature1) /V << /Type /Sig /Filter /Adobe.PPKLite "
                              "/SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <00> "
                              "/Location (" + location + ") /Reason (Approved) >> >>";
    return build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (" + text + ") Tj ET", "<< /Font << /F1 4 0 R >> >>",
                               "/PieceInfo << /F 5 0 R >>"}},
                     {field});
  };
  std::string output;
  Outcome o = redact(signed_pdf("Sent to France", "London"), &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(o.signatures_removed, std::vector<std::string>{"5 0"});
  EXPECT_EQ(file_bytes(output).find("/ByteRange"), std::string::npos);

  o = redact(signed_pdf("Nothing here", "Paris, France"), &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(o.signatures_removed.size(), 1u);
  EXPECT_EQ(file_bytes(output).find("France"), std::string::npos);

  o = redact(signed_pdf("Nothing here", "London"), &output);
  ASSERT_EQ(o.status, Status::clean) << o.reason;
  EXPECT_TRUE(o.signatures_removed.empty());
  EXPECT_NE(file_bytes(output).find("/ByteRange"), std::string::npos);
}

// The black fills a page draws (its boxes), with the stream drawing each.
struct BlackFills : pdf::ContentConsumer {
  std::vector<pdf::StreamUse> streams;
  std::vector<Rect> black;
  std::vector<uint32_t> black_in;
  std::vector<bool> rectangle;
  void begin_stream(uint32_t index, const pdf::StreamUse& use) override {
    if (streams.size() <= index) streams.resize(index + 1);
    streams[index] = use;
  }
  void path(const pdf::PathPaint& p, const pdf::DrawState& s) override {
    if (!p.fill || !s.fill.known || s.fill.lightness >= 0.1) return;
    black.push_back(p.box);
    black_in.push_back(s.stream);
    rectangle.push_back(p.rectangle);
  }
};

// From a second hostile review.

// A stray Q (and a cm after it) must not send the boxes off the page.
TEST(Redactor, BoxesLandOnThePageWhateverTheContentLeavesInTheState) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Sent to France today) Tj ET Q 1 0 0 1 2000 2000 cm 0 0 1 1 re W n"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  BlackFills fills;
  Diagnostics d;
  doc->walk_page(1, fills, d);
  ASSERT_EQ(fills.black.size(), 1u);
  EXPECT_NEAR(fills.black[0].x0, o.regions[0].box.x0, 0.01);
  EXPECT_NEAR(fills.black[0].y0, o.regions[0].box.y0, 0.01);
}

// Text set at 30 degrees: the box turns with it, instead of an upright
// rectangle over the lines around it.
TEST(Redactor, BoxesTurnWithTurnedText) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 0.866 0.5 -0.5 0.866 72 500 Tm (Sent to France today) Tj ET"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.regions.size(), 1u);
  const Quad& q = o.regions[0].quad;
  EXPECT_GT(std::abs(q.ur.y - q.ul.y), 10) << "the quad runs along the 30-degree baseline";
  auto doc = pdf::Document::open(output);
  BlackFills fills;
  Diagnostics d;
  doc->walk_page(1, fills, d);
  ASSERT_EQ(fills.black.size(), 1u);
  EXPECT_FALSE(fills.rectangle[0]) << "a turned box, not an upright rectangle";
  EXPECT_NEAR(fills.black[0].x0, o.regions[0].box.x0, 0.5);
  EXPECT_NEAR(fills.black[0].y1, o.regions[0].box.y1, 0.5);
}

// An annotation is drawn over the page: a stamp that draws the word as
// paths over a region gets the box in its own appearance, on top.
TEST(Redactor, AnAnnotationOverARegionGetsTheBoxOnTop) {
  // Over "France" only (from x = 112): the stamp hides no other text.
  const std::string stamp = "<< /Type /Annot /Subtype /Stamp /Rect [112 690 162 720] /AP << /N 6 0 R >> >>";
  const std::string drawing = stream_object("0.5 g 0 5 50 20 re f", "/Subtype /Form /BBox [0 0 50 30]");
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R]"}},
                               {stamp, drawing}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  BlackFills fills;
  Diagnostics d;
  doc->walk_page(1, fills, d);
  ASSERT_EQ(fills.black_in.size(), 2u) << "the page's box, and the stamp's";
  EXPECT_TRUE(fills.streams.at(fills.black_in[0]).annotation.empty());
  EXPECT_FALSE(fills.streams.at(fills.black_in[1]).annotation.empty()) << "drawn last, on top";
}

// An image drawn through a tiling pattern, or inside a soft mask, is not
// repainted: a region over it holds the document.
TEST(Redactor, ImagesThroughAPatternUnderARegionAreHeld) {
  const std::string image = stream_object(std::string(100, '\0'),
                                          "/Type /XObject /Subtype /Image /Width 10 /Height 10 /BitsPerComponent 8 "
                                          "/ColorSpace /DeviceGray");
  const std::string pattern = stream_object("q 100 0 0 20 0 0 cm /Im1 Do Q",
                                            "/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 100 20] "
                                            "/XStep 100 /YStep 20 /Matrix [1 0 0 1 72 695] /Resources << /XObject << /Im1 5 0 R >> >>");
  Outcome o = redact(build_pdf({TestPage{"q /Pattern cs /P1 scn 72 695 200 20 re f Q BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET",
                                         "<< /Font << /F1 4 0 R >> /Pattern << /P1 6 0 R >> >>"}},
                               {image, pattern}));
  EXPECT_EQ(o.status, Status::needs_review);
  EXPECT_NE(o.reason.find("pattern or a soft mask"), std::string::npos) << o.reason;
}

// What a region does not reach goes: an annotation's rollover and down
// appearances over it, an image's alternates, a signature whose certificate
// names the withheld text.
TEST(Redactor, AlternateAppearancesImageAlternatesAndNamingSignaturesGo) {
  const std::string button = "<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /Rect [60 680 400 730] "
                             "/AP << /N 6 0 R /D 6 0 R >> >>";
  const std::string empty = stream_object("", "/Subtype /Form /BBox [0 0 340 50]");
  // Pixels 3 pt wide: those the region meets reach no other letter.
  const std::string image = stream_object(std::string(1000, '\xFF'),
                                          "/Type /XObject /Subtype /Image /Width 100 /Height 10 /BitsPerComponent 8 "
                                          "/ColorSpace /DeviceGray /Alternates [<< /Image 5 0 R >>]");
  const std::string field = "<< /FT /Sig /T (S) /V << /Type /Sig /ByteRange [0 1 2 3] "
                            "/Contents <3082000130313030434E3D4368616420436F6E73756C617465> >> >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"q 300 0 0 30 72 695 cm /Im1 Do Q BT /F1 12 Tf 72 700 Td (Sent to Hungary) Tj ET",
                                         "<< /Font << /F1 4 0 R >> /XObject << /Im1 7 0 R >> >>",
                                         "/Annots [5 0 R] /PieceInfo << /F 8 0 R >>"}},
                               {button, empty, image, field}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("/D "), std::string::npos) << "the down appearance over the region went";
  EXPECT_EQ(bytes.find("Alternates"), std::string::npos);
  EXPECT_EQ(o.signatures_removed.size(), 1u);

  // Alone, a certificate naming a country takes its signature.
  const std::string page = "BT /F1 12 Tf 72 700 Td (Nothing here) Tj ET";
  o = redact(build_pdf({TestPage{page, "<< /Font << /F1 4 0 R >> >>", "/PieceInfo << /F 5 0 R >>"}}, {field}), &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(o.signatures_removed, std::vector<std::string>{"5 0"});
}

TEST(Redactor, UnknownGlyphsAreHeldForReview) {
  const std::string font4 =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /g42] >> >>";
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (A) Tj ET"}}, {}, font4));
  EXPECT_EQ(o.status, Status::needs_review);
  EXPECT_NE(o.reason.find("Unicode is unknown"), std::string::npos) << o.reason;
}

TEST(Redactor, TextInAFormIsRemovedFromACopyForThatUse) {
  const std::string form = stream_object("BT /F1 12 Tf (Paid in France) Tj ET",
                                         "/Type /XObject /Subtype /Form /BBox [0 0 500 50] "
                                         "/Resources << /Font << /F1 4 0 R >> >>");
  const std::string resources = "<< /Font << /F1 4 0 R >> /XObject << /X1 5 0 R >> >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"q 1 0 0 1 72 700 cm /X1 Do Q BT /F1 12 Tf 72 600 Td (Hello) Tj ET", resources},
                                TestPage{"q 1 0 0 1 72 500 cm /X1 Do Q", resources}},
                               {form}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  EXPECT_EQ(o.regions.size(), 2u);  // one per use
  for (int page = 1; page <= 2; ++page) {
    const std::string text = glyph_text(output, page);
    EXPECT_EQ(text.find("France"), std::string::npos) << text;
    EXPECT_NE(text.find("Paid in"), std::string::npos) << text;
  }
  // The original form (stored uncompressed) is unreachable now, and swept.
  std::ifstream in(output, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("France"), std::string::npos);
}

// Comments are held in the page's reading once for each use of their form:
// a long one drawn many times is bounded like any other part of a reading.
TEST(Redactor, CommentsAFormRepeatsAreBounded) {
  const std::string form = stream_object("% " + std::string(1 << 20, 'x') + "\nBT /F1 12 Tf (Hello) Tj ET",
                                         "/Type /XObject /Subtype /Form /BBox [0 0 500 50] "
                                         "/Resources << /Font << /F1 4 0 R >> >>");
  std::string draws;
  for (int i = 0; i < 80; ++i) draws += "/X1 Do ";
  std::string output;
  const Outcome o = redact(
      build_pdf({TestPage{draws, "<< /Font << /F1 4 0 R >> /XObject << /X1 5 0 R >> >>"}}, {form}), &output);
  EXPECT_EQ(o.status, Status::needs_review);
  EXPECT_NE(o.reason.find("64 MiB"), std::string::npos) << o.reason;
}

// Streams no page's walk draws (a Type 3 glyph procedure, a tiling
// pattern's cell) are read on their own, as check reads them: a comment or
// a loose string holding a match is taken out in place, on the record,
// where the document used to be held.
TEST(Redactor, UnshownTextOfStreamsNoPageDrawsIsTakenOutInPlace) {
  const std::string type3 =
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
      "/CharProcs << /a 6 0 R >> /Encoding << /Type /Encoding /Differences [65 /a] >> /FirstChar 65 /LastChar 65 "
      "/Widths [1000] >>";
  const std::string glyph = stream_object("1000 0 d0 0 0 1000 1000 re f (France) foo % Sent to France\n");
  const std::string pattern = stream_object("% France\n0 0 5 5 re f",
                                            "/PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 10 10] /XStep 10 "
                                            "/YStep 10 /Resources << >>");
  std::string output;
  const Outcome o = redact(
      build_pdf({TestPage{"BT /T3 12 Tf 72 700 Td (A) Tj ET /Pattern cs /P1 scn 0 0 100 100 re f "
                          "0 g BT /F1 12 Tf 72 650 Td (Hello) Tj ET",
                          "<< /Font << /F1 4 0 R /T3 5 0 R >> /Pattern << /P1 7 0 R >> >>"}},
                {type3, glyph, pattern}),
      &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  std::multiset<std::string> records;
  for (const StringChange& c : o.string_changes) records.insert(c.object + " " + c.key);
  EXPECT_EQ(records, (std::multiset<std::string>{"6 0 string", "6 0 comment", "7 0 comment"}));
  auto doc = pdf::Document::open(output);
  size_t streams = 0;
  for (const pdf::Document::ContentStream& stream : doc->content_streams()) {
    const std::string content = doc->stream_content(stream.object);
    EXPECT_EQ(content.find("France"), std::string::npos) << content;
    EXPECT_EQ(content.find('%'), std::string::npos) << content;
    ++streams;
  }
  EXPECT_EQ(streams, 2u);
  EXPECT_NE(glyph_text(output, 1).find("Hello"), std::string::npos);
}

// Resources on the page tree's node, which the pages inherit: the original
// form, drawn now through its copy, does not stay in the file (check would
// read its text and hold the document).
TEST(Redactor, AFormInResourcesThePagesInheritIsSweptToo) {
  const std::string form = stream_object("BT /F1 12 Tf (Paid in France) Tj ET",
                                         "/Type /XObject /Subtype /Form /BBox [0 0 500 50] "
                                         "/Resources << /Font << /F1 4 0 R >> >>");
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"q 1 0 0 1 72 700 cm /X1 Do Q BT /F1 12 Tf 72 600 Td (Hello) Tj ET", ""},
                                TestPage{"BT /F1 12 Tf 72 600 Td (Other page) Tj ET", ""}},
                               {form}, test::kHelvetica, "<< /Producer (t) >>", "",
                               "/Resources << /Font << /F1 4 0 R >> /XObject << /X1 5 0 R >> >>"),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  const std::string first = glyph_text(output, 1), second = glyph_text(output, 2);
  EXPECT_EQ(first.find("France"), std::string::npos) << first;
  EXPECT_NE(first.find("Paid in"), std::string::npos) << first;
  EXPECT_NE(second.find("Other page"), std::string::npos) << second;
  EXPECT_EQ(file_bytes(output).find("France"), std::string::npos);
}

// A form drawn by a form drawn by the page: copies are made down the chain,
// and another page drawing the outer form keeps the original whole.
TEST(Redactor, MatchesInANestedFormAreRemovedFromCopiesDownTheChain) {
  const std::string inner = stream_object("BT /F1 12 Tf (Paid in France) Tj ET",
                                          "/Subtype /Form /BBox [0 0 500 50] /Resources << /Font << /F1 4 0 R >> >>");
  const std::string outer = stream_object("/I Do", "/Subtype /Form /BBox [0 0 500 50] /Resources << /XObject << /I 5 0 R >> >>");
  const std::string resources = "<< /XObject << /X1 6 0 R >> >>";
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"q 1 0 0 1 72 700 cm /X1 Do Q", resources}}, {inner, outer}), &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  ASSERT_EQ(o.regions.size(), 1u);
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  const pdf::PageContent page = doc->read_page(1, d);
  std::string text;
  for (const pdf::Glyph& g : page.glyphs) text += g.text;
  EXPECT_EQ(text, "Paid in ") << "the rest of the inner form is still drawn";
  ASSERT_EQ(page.streams.size(), 3u);
  EXPECT_EQ(page.streams[2].parent, 1) << "still a form in a form";
  EXPECT_EQ(file_bytes(output).find("France"), std::string::npos) << "the original inner form is swept";
}

// Text in an annotation's appearance is removed glyph by glyph: the
// annotation stays with its other text, and its private copy goes.
TEST(Redactor, AnnotationAppearancesLoseTheMatchedGlyphsOnly) {
  const std::string stamp =
      "<< /Type /Annot /Subtype /FreeText /Rect [72 600 400 640] /AP << /N 6 0 R /D 6 0 R >> "
      "/AAPL:AKExtras << /Text (Sent to France) >> >>";
  const std::string appearance = stream_object(
      "BT /F1 12 Tf 0 5 Td (Sent to France now) Tj ET", "/Subtype /Form /BBox [0 0 328 40] /Resources << /Font << /F1 4 0 R >> >>");
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                         "/Annots [5 0 R]"}},
                               {stamp, appearance}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  std::string annotation_text;
  for (const pdf::Glyph& g : doc->read_page(1, d).glyphs) annotation_text += g.text;
  EXPECT_EQ(annotation_text, "HelloSent to  now");
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("France"), std::string::npos) << "neither the old appearance nor the private copy is kept";
  EXPECT_EQ(bytes.find("AAPL"), std::string::npos);
}

TEST(Redactor, ImagePixelsUnderARegionGoBlack) {
  // A white 100 x 10 gray image drawn over 72..372 x 695..725, text on top of it.
  const std::string image = stream_object(std::string(1000, '\xFF'),
                                          "/Type /XObject /Subtype /Image /Width 100 /Height 10 /BitsPerComponent 8 "
                                          "/ColorSpace /DeviceGray");
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"q 300 0 0 30 72 695 cm /Im1 Do Q BT /F1 12 Tf 72 700 Td (Sent to France today) Tj ET",
                                         "<< /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >>"}},
                               {image}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  pdf::PageContent page = doc->read_page(1, d);
  ASSERT_EQ(page.images.size(), 1u);
  const std::string pixels = doc->stream_content(page.images[0].object);
  ASSERT_EQ(pixels.size(), 1000u);
  // The box spans "France": x from about 72 + 12 * width("Sent to ") on; columns are 3 pt wide.
  const Rect box = o.regions[0].box;
  size_t black = 0, white = 0;
  for (size_t col = 0; col < 100; ++col) {
    const double x0 = 72 + 3.0 * static_cast<double>(col), x1 = x0 + 3;
    const bool covered = x0 < box.x1 && box.x0 < x1;
    for (size_t row = 0; row < 10; ++row) {
      const auto value = static_cast<unsigned char>(pixels[row * 100 + col]);
      const double y0 = 792 - 725 + 3.0 * static_cast<double>(row), y1 = y0 + 3;  // page space, rows from the top
      if (covered && y0 < box.y1 && box.y0 < y1) {
        EXPECT_EQ(value, 0) << "pixel " << col << "," << row << " under the box";
        ++black;
      } else {
        EXPECT_EQ(value, 255) << "pixel " << col << "," << row << " outside the box";
        ++white;
      }
    }
  }
  EXPECT_GT(black, 20u);
  EXPECT_GT(white, 500u);
}

TEST(Redactor, AnImageScaledPastDoubleRangeStillLosesItsPixelsUnderTheBox) {
  // A white 10 x 50 image scaled 1e308 wide (PDF writes no exponent): the
  // placement's determinant overflows to infinity, and the pixels near the
  // box cannot be found by inverting it. Column 0 (x from 100 on) lies under
  // the box over "France".
  const std::string image = stream_object(std::string(500, '\xFF'),
                                          "/Type /XObject /Subtype /Image /Width 10 /Height 50 /BitsPerComponent 8 "
                                          "/ColorSpace /DeviceGray");
  const std::string huge = "1" + std::string(308, '0');
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"q " + huge + " 0 0 100 100 650 cm /Im1 Do Q BT /F1 12 Tf 150 690 Td (Sent to France) Tj ET",
                                         "<< /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >>"}},
                               {image}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  pdf::PageContent page = doc->read_page(1, d);
  ASSERT_EQ(page.images.size(), 1u);
  const std::string pixels = doc->stream_content(page.images[0].object);
  ASSERT_EQ(pixels.size(), 500u);
  size_t black = 0;
  for (size_t row = 0; row < 50; ++row) black += pixels[row * 10] == '\0';
  EXPECT_GT(black, 5u) << "column 0's pixels under the box are painted";
}

TEST(Redactor, ImagesThatCannotBeCleanedAreHeldForReview) {
  const std::string image = stream_object(std::string(100, '\xFF'),
                                          "/Type /XObject /Subtype /Image /Width 10 /Height 10 /BitsPerComponent 8 "
                                          "/ColorSpace /DeviceGray /Filter /DCTDecode");
  Outcome o = redact(build_pdf({TestPage{"q 300 0 0 30 72 695 cm /Im1 Do Q BT /F1 12 Tf 72 700 Td (Sent to France today) Tj ET",
                                         "<< /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >>"}},
                               {image}));
  EXPECT_EQ(o.status, Status::needs_review);
  EXPECT_NE(o.reason.find("cannot be cleaned"), std::string::npos) << o.reason;
}

// A JPEG stored inside filters of data ([/FlateDecode /DCTDecode], as
// MuPDF's test_4614 has it) is repainted and written back as a JPEG alone;
// parameters that say nothing (null, an empty dictionary) are none. What
// readers draw otherwise is held: a /Decode (the samples written back are
// decoded ones: [1 0] came out a negative), and ASCII85 data behind a
// PostScript "<~" (poppler and MuPDF show nothing of it).
std::string deflated(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()));
  out.resize(size);
  return out;
}

// ASCII85 as a PDF stream holds it: groups of five, "~>" at the end.
std::string ascii85_encoded(const std::string& data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i += 4) {
    const size_t n = std::min<size_t>(4, data.size() - i);
    uint32_t group = 0;
    for (size_t k = 0; k < 4; ++k) group = group << 8 | (k < n ? static_cast<unsigned char>(data[i + k]) : 0u);
    char digits[5];
    for (int k = 4; k >= 0; --k, group /= 85) digits[k] = static_cast<char>('!' + group % 85);
    out.append(digits, n + 1);
  }
  return out + "~>";
}

TEST(Redactor, AJpegInsideFiltersOfDataIsRepaintedAndWhatReadersDrawOtherwiseIsHeld) {
  pdf::detail::JpegImage white;
  white.width = 40;
  white.height = 20;
  white.components = 1;
  white.pixels = std::string(800, '\xF0');
  const std::string jpeg = pdf::detail::encode_jpeg(white);
  ASSERT_FALSE(jpeg.empty());
  auto page_over = [](const std::string& image) {
    return build_pdf({TestPage{"q 300 0 0 30 72 695 cm /Im1 Do Q BT /F1 12 Tf 72 700 Td (Sent to France today) Tj ET",
                               "<< /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >>"}},
                     {image});
  };
  const std::string dict = "/Type /XObject /Subtype /Image /Width 40 /Height 20 /BitsPerComponent 8 /ColorSpace /DeviceGray ";
  std::string output;
  Outcome o = redact(page_over(stream_object(deflated(jpeg), dict + "/Filter [/FlateDecode /DCTDecode] /DecodeParms [null << >>]")),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  const pdf::PageContent page = doc->read_page(1, d);
  ASSERT_EQ(page.images.size(), 1u);
  const std::string bytes = file_bytes(output);
  EXPECT_EQ(bytes.find("FlateDecode /DCTDecode"), std::string::npos) << "written back as a JPEG alone";
  // The JPEG as written (libjpeg reads it to its end marker).
  const size_t start = bytes.find("\xFF\xD8\xFF");
  ASSERT_NE(start, std::string::npos);
  const std::optional<pdf::detail::JpegImage> after = pdf::detail::decode_jpeg(bytes.substr(start), 1 << 20);
  ASSERT_TRUE(after);
  size_t dark = 0, light = 0;
  for (unsigned char c : after->pixels) (c < 40 ? dark : c > 200 ? light : dark) += 1;
  EXPECT_GT(dark, 20u) << "pixels under the box are black";
  EXPECT_GT(light, 400u) << "the rest is as it was";

  Outcome inverted = redact(page_over(stream_object(jpeg, dict + "/Filter /DCTDecode /Decode [1 0]")));
  EXPECT_EQ(inverted.status, Status::needs_review);
  EXPECT_NE(inverted.reason.find("cannot be cleaned"), std::string::npos) << inverted.reason;
  std::string a85 = "<~";
  const std::string encoded = ascii85_encoded(jpeg);
  a85 += encoded;
  Outcome prefixed = redact(page_over(stream_object(a85, dict + "/Filter [/ASCII85Decode /DCTDecode]")));
  EXPECT_EQ(prefixed.status, Status::needs_review);
  EXPECT_NE(prefixed.reason.find("cannot be cleaned"), std::string::npos) << prefixed.reason;
  Outcome plain = redact(page_over(stream_object(encoded, dict + "/Filter [/ASCII85Decode /DCTDecode]")));
  EXPECT_EQ(plain.status, Status::redacted) << plain.reason;
}

TEST(Redactor, UnreadableInputFails) {
  Outcome o = redact("not a pdf");
  EXPECT_EQ(o.status, Status::failed);
  EXPECT_NE(o.reason.find("damaged"), std::string::npos) << o.reason;
}

// The page's glyph text, annotations aside.
std::string page_text(const std::string& path, int number = 1) {
  auto doc = pdf::Document::open(path);
  Diagnostics d;
  const pdf::PageContent page = doc->read_page(number, d);
  std::string text;
  for (const pdf::Glyph& g : page.glyphs) {
    if (page.streams[g.source.stream].annotation.empty()) text += g.text;
  }
  return text;
}

TEST(Redactor, MarkThenApplyRemovesWhatRunRemoves) {
  const std::string input = test::write_temp(
      "review.pdf", build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Officers were sent to France and Spain.) Tj "
                                        "0 -20 Td (Costs were 12,000 pounds.) Tj ET"}}));
  RedactOptions mark;
  mark.mode = Mode::mark;
  const Outcome marked = redact_document(input, input + ".marked.pdf", matcher(), mark);
  ASSERT_EQ(marked.status, Status::marked) << marked.reason;
  ASSERT_GE(marked.regions.size(), 2u);
  EXPECT_EQ(page_text(input + ".marked.pdf"), page_text(input)) << "mark changes no content";
  for (const Region& r : marked.regions) EXPECT_TRUE(r.proposal.starts_with("redact-proposal-")) << r.proposal;

  RedactOptions apply;
  apply.mode = Mode::apply;
  const Outcome applied = redact_document(input + ".marked.pdf", input + ".applied.pdf", matcher(), apply);
  ASSERT_EQ(applied.status, Status::redacted) << applied.reason;
  const Outcome run = redact_document(input, input + ".run.pdf", matcher(), RedactOptions{});
  ASSERT_EQ(run.status, Status::redacted) << run.reason;
  EXPECT_EQ(page_text(input + ".applied.pdf"), page_text(input + ".run.pdf"));
  // The one-step path and the two steps with no edits: the same file.
  EXPECT_EQ(read_file(input + ".applied.pdf"), read_file(input + ".run.pdf"));
  ASSERT_EQ(applied.regions.size(), run.regions.size());
  for (size_t i = 0; i < run.regions.size(); ++i) {
    EXPECT_EQ(applied.regions[i].decision, plan::Decision::kept);
    EXPECT_EQ(applied.regions[i].category, run.regions[i].category);
    EXPECT_EQ(applied.regions[i].exemptions, run.regions[i].exemptions);
  }
  EXPECT_TRUE(applied.declined.empty());

  // A marked copy is not marked again: its proposals' names would repeat.
  const Outcome twice = redact_document(input + ".marked.pdf", input + ".twice.pdf", matcher(), mark);
  EXPECT_EQ(twice.status, Status::needs_review);
  EXPECT_NE(twice.reason.find("redact mark wrote already"), std::string::npos) << twice.reason;
  EXPECT_FALSE(std::filesystem::exists(input + ".twice.pdf"));
}

TEST(Redactor, LabelsNameTheExemptions) {
  EXPECT_EQ(label_text({"s27(1)(a)", "s31(1)(b)"}), "s.27(1)(a), s.31(1)(b)");
}

}  // namespace
}  // namespace redact::apply

namespace redact::apply {
namespace {

// A log anyone can write names the outputs: a marked copy never lands
// outside its folder.
TEST(MarkedCopy, ItsPathStaysInsideItsFolder) {
  EXPECT_EQ(marked_copy_path("out/sub/a.pdf", "out", "m"), "m/sub/a.marked.pdf");
  EXPECT_EQ(marked_copy_path("out/a/../../../etc/x.pdf", "out", "m"), "m/x.marked.pdf");
  EXPECT_EQ(marked_copy_path("/etc/x.pdf", "out", "m"), "m/x.marked.pdf");
  EXPECT_EQ(marked_copy_path("../x.pdf", "out", "m"), "m/x.marked.pdf");
  EXPECT_EQ(marked_copy_path("out/..", "out", "m"), "m/document.marked.pdf");
}

}  // namespace
}  // namespace redact::apply

namespace redact::apply {
namespace {

// A three-column row read two ways gives two matches, and so two boxes, on
// one place. Two labels drawn there interleave their letters ("ss..2244"),
// which the check of the output reads as text of its own: the second label
// is left out.
TEST(Redactor, OneLabelOnOnePlace) {
  std::string output;
  Outcome o = redact(build_pdf({TestPage{"BT /F1 10 Tf 72 700 Td (Reason:) Tj 80 0 Td (to assist with a missing person search) Tj "
                                         "240 0 Td (\\(a\\) Spain) Tj -320 -20 Td (Reason:) Tj 80 0 Td (witness protection) Tj "
                                         "240 0 Td (1\\) 4 May 2023) Tj ET"}}),
                     &output);
  ASSERT_EQ(o.status, Status::redacted) << o.reason;
  std::vector<Rect> boxes;
  for (const Region& r : o.regions) boxes.push_back(r.box);
  auto doc = pdf::Document::open(output);
  Diagnostics d;
  const pdf::PageContent page = doc->read_page(1, d);
  std::vector<Rect> labels;
  for (const pdf::Glyph& g : page.glyphs) {
    if (page.fonts[g.font].resource != "RedactLabel") continue;
    for (const Rect& other : labels) EXPECT_FALSE(other.meets(g.box)) << "two label glyphs overlap at '" << g.text << "'";
    labels.push_back(g.box);
  }
  EXPECT_FALSE(labels.empty());
}

}  // namespace
}  // namespace redact::apply
