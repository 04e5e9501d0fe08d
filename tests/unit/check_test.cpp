// check_document on small PDFs, one per hiding place a hostile author tried.
#include "check/check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "unit/test_pdf.h"

namespace redact::check {
namespace {

using test::build_pdf;
using test::stream_object;
using test::TestPage;

const match::Matcher& matcher() { return test::shipped_matcher(); }

Report check(const std::string& pdf) { return check_document(test::write_temp("c.pdf", pdf), matcher()); }

bool has(const Report& r, const std::string& kind) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.kind == kind; });
}

// PoDoFo gives a file with no Info dictionary one as it loads (Producer
// "PoDoFo ..."): check reported it as the file's, naming an object the file
// does not have.
TEST(Check, AFileWithoutInfoHasNoProducer) {
  std::string pdf = build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"}});
  const size_t at = pdf.rfind("/Info 3 0 R");
  ASSERT_NE(at, std::string::npos);
  pdf.replace(at, 11, 11, ' ');  // the xref's offsets stay right
  EXPECT_FALSE(has(check(pdf), "producer"));
  // With its own Info, the producer is reported.
  EXPECT_TRUE(has(check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"}})), "producer"));
}

// An /OpenAction is judged by what it names: a destination or a GoTo with
// no /Next opens a view; null does nothing (redact writes a reference to no
// object so); anything else, a chain, or a reference to no object read is
// a risk.
TEST(Check, AnOpenActionIsJudgedByWhatItsReferenceNames) {
  const TestPage page{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"};
  auto open_action = [&](const std::string& target) {
    return has(check(build_pdf({page}, {target}, test::kHelvetica, "<< /Producer (t) >>", "/OpenAction 5 0 R")),
               "open-action");
  };
  EXPECT_FALSE(open_action("[0 /Fit]"));
  EXPECT_FALSE(open_action("<< /S /GoTo /D [0 /Fit] >>"));
  EXPECT_TRUE(open_action("<< /S /Named /N /Print >>"));
  EXPECT_TRUE(open_action("<< /S /GoTo /D [0 /Fit] /Next << /S /Named /N /Print >> >>")) << "a chain";
  EXPECT_TRUE(open_action("99 0 R")) << "a reference to a reference";
  EXPECT_TRUE(open_action("<< /S /GoTo /D << /S /URI /URI (http://x.example/) >> >>")) << "no destination";
  EXPECT_TRUE(open_action("<< /S 6 0 R /D [0 /Fit] >>")) << "/S not given directly";
  EXPECT_FALSE(open_action("<< /S /GoTo /D (chapter1) >>")) << "a named destination";
  EXPECT_TRUE(has(check(build_pdf({page}, {"<< /S /Named /N /Print >>"}, test::kHelvetica, "<< /Producer (t) >>",
                                  "/OpenAction 5 1 R")),
                  "open-action"))
      << "another generation of the same number: MuPDF reads object 5";
  EXPECT_TRUE(has(check(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>",
                                  "/OpenAction << /S /GoTo /D [0 /Fit] /Next << /S /Named /N /Print >> >>")),
                  "open-action"))
      << "a direct chain";
  EXPECT_TRUE(has(check(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>", "/OpenAction 99 0 R")),
                  "open-action"))
      << "a reference to no object read: a viewer may find one";
  EXPECT_FALSE(has(check(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>", "/OpenAction null")),
                   "open-action"))
      << "as redact writes one";
}

// An action written directly, many dictionaries down (a field's kids given
// inline), is found: check looked 8 levels deep, and run removed actions
// only from objects' own dictionaries. A value nested past what is read
// (32 levels) is a risk: what lies past it cannot be checked.
TEST(Check, ActionsAreFoundAtAnyDepthReadAndDeeperValuesAreARisk) {
  const TestPage page{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"};
  auto nested = [](int levels, const std::string& inner) {
    std::string value = inner;
    for (int i = 0; i < levels; ++i) value = "<< /T (k" + std::to_string(i) + ") /Kids [" + value + "] >>";
    return value;
  };
  const std::string launch = "<< /FT /Btn /T (x) /A << /S /Launch /F (x.exe) >> >>";
  const Report deep = check(build_pdf({page}, {"<< /Fields [" + nested(10, launch) + "] >>"}, test::kHelvetica,
                                      "<< /Producer (t) >>", "/AcroForm 5 0 R"));
  EXPECT_TRUE(has(deep, "launch-action"));
  EXPECT_FALSE(has(deep, "unreadable-text"));
  const Report deeper = check(build_pdf({page}, {"<< /Fields [" + nested(20, launch) + "] >>"}, test::kHelvetica,
                                        "<< /Producer (t) >>", "/AcroForm 5 0 R"));
  EXPECT_TRUE(has(deeper, "unreadable-text")) << "40 levels: the launch lies past what is read";
}

// An XFA form's script runs in Adobe Reader: a risk, as a JavaScript action
// is; an XFA form of fields alone is none.
TEST(Check, AnXfaFormsScriptIsARisk) {
  const auto xfa = [](const std::string& packet) {
    return has(check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"}}, {stream_object(packet)},
                               test::kHelvetica, "<< /Producer (t) >>", "/AcroForm << /Fields [] /XFA 5 0 R >>")),
               "javascript");
  };
  EXPECT_TRUE(xfa("<xdp:xdp><template><event><script>app.alert(1)</script></event></template></xdp:xdp>"));
  EXPECT_TRUE(xfa("<xdp:xdp><template><event><xfa:submit target=\"http://x.example/\"/></event></template></xdp:xdp>"));
  EXPECT_FALSE(xfa("<xdp:xdp><template><subform><field name=\"a\"/></subform></template></xdp:xdp>"));
}

// A CIDFont's character collection, /Ordering (Japan1), is a code, not
// the country it names: every Japanese font made check, and so run, hold
// the document for a "leak". The same word that is not a collection is
// still a leak.
TEST(Check, ACharacterCollectionIsNoCountry) {
  auto with_ordering = [](const std::string& ordering) {
    return build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET",
                               "<< /Font << /F1 4 0 R /F2 5 0 R >> >>"}},
                     {"<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPro-Regular /Encoding /Identity-H "
                      "/DescendantFonts [6 0 R] >>",
                      "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPro-Regular /CIDSystemInfo << "
                      "/Registry (Adobe) /Ordering (" + ordering + ") /Supplement 4 >> >>"});
  };
  auto leaks = [](const Report& r) {
    return std::count_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.severity == Severity::leak; });
  };
  EXPECT_EQ(leaks(check(with_ordering("Japan1"))), 0);
  EXPECT_EQ(leaks(check(with_ordering("Japan"))), 1) << "no supplement number: text a hostile file hid";
  // Under /Ordering anywhere but a /CIDSystemInfo (a custom Info key,
  // which pdfinfo shows), it is text.
  EXPECT_EQ(leaks(check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"}}, {}, test::kHelvetica,
                                  "<< /Producer (t) /Ordering (Norway2024) >>"))),
            1);
}

TEST(Check, AToUnicodeMapThatLiesIsReadByTheFontsEncodingToo) {
  // Helvetica draws "France"; its ToUnicode says every letter is "x".
  const std::string font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 5 0 R >>";
  const std::string cmap = stream_object(
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> "
      "endcodespacerange 1 beginbfrange <41> <7A> <0078> endbfrange endcmap end end");
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET"}}, {cmap}, font));
  ASSERT_TRUE(has(r, "text"));
}

TEST(Check, ABoxTightRoundLowercaseInkHidesText) {
  // "were" in Helvetica 12 at baseline 700: its glyph boxes run from the
  // descent to the ascent (about 16 pt); the box covers only the ink, from
  // the baseline to the x-height (6.2 pt), drawn after the text: a bad
  // redaction, though it covers under half of each glyph's box.
  const Report tight = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (were) Tj ET 0 g 71 699.8 26 6.6 re f"}}));
  EXPECT_TRUE(has(tight, "text-under-box"));
  // A box over the line above, reaching only into the top of this one: none.
  const Report above = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (were) Tj ET 0 g 71 710.5 26 14 re f"}}));
  EXPECT_FALSE(has(above, "text-under-box"));
}

TEST(Check, InvisibleCodePointsDoNotHideAName) {
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (x) Tj ET"}}, {}, test::kHelvetica,
                                   "<< /Title <FEFF004600720061200D006E00630065> >>"));  // Fra<ZWJ>nce
  ASSERT_TRUE(has(r, "string"));
}

TEST(Check, AControlCharacterDoesNotSplitAName) {
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (x) Tj ET"}}, {}, test::kHelvetica,
                                   "<< /Title <FEFF0046007200010061006E00630065> >>"));  // Fr<U+0001>ance
  ASSERT_TRUE(has(r, "string"));
}

TEST(Check, AControlCharacterInPageTextIsAGapAndNothing) {
  // The font's ToUnicode maps its space to U+0003 and code 01 to U+0001:
  // "Sent to Spain" must not read "SenttoSpain", nor "Fr\x01ance" miss
  // France.
  const std::string font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 5 0 R >>";
  const std::string cmap = stream_object(
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> "
      "endcodespacerange 2 beginbfchar <01> <0001> <20> <0003> endbfchar 1 beginbfrange <21> <7E> <0021> endbfrange "
      "endcmap end end");
  EXPECT_TRUE(has(check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Sent to Spain) Tj ET"}}, {cmap}, font)), "text"));
  EXPECT_TRUE(has(check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Sent to Fr\\001ance) Tj ET"}}, {cmap}, font)), "text"));
}

TEST(Check, TextInAColourOfNoInkIsHidden) {
  // /DefaultGray as a /Separation /None: the initial black and `0 g` paint
  // nothing (8.6.5.6), so the text shows to no one; a /None tint set by name
  // too. Plain DeviceGray text on the same page is not hidden.
  const std::string none = "[/Separation /None /DeviceGray << /FunctionType 2 /Domain [0 1] /C0 [1] /C1 [0] /N 1 >>]";
  TestPage redefined{"BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET"};
  redefined.resources = "<< /Font << /F1 4 0 R >> /ColorSpace << /DefaultGray " + none + " >> >>";
  EXPECT_TRUE(has(check(build_pdf({redefined})), "hidden-colour-text"));
  TestPage named{"/CS0 cs 1 scn BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET"};
  named.resources = "<< /Font << /F1 4 0 R >> /ColorSpace << /CS0 " + none + " >> >>";
  EXPECT_TRUE(has(check(build_pdf({named})), "hidden-colour-text"));
  TestPage calibrated{"0 g BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET"};
  calibrated.resources = "<< /Font << /F1 4 0 R >> /ColorSpace << /DefaultGray [/CalGray << /WhitePoint [1 1 1] >>] >> >>";
  EXPECT_FALSE(has(check(build_pdf({calibrated})), "hidden-colour-text"));
  // A box painted in it hides nothing: the text is not under a box.
  TestPage boxed{"BT /F1 12 Tf 72 700 Td (Sent to France) Tj ET /CS0 cs 1 scn 60 690 200 30 re f"};
  boxed.resources = named.resources;
  EXPECT_FALSE(has(check(build_pdf({boxed})), "text-under-box"));
}

TEST(Check, StrokedOrTransparentTextThatShowsNothingIsHidden) {
  const std::string none = "[/Separation /None /DeviceGray << /FunctionType 2 /Domain [0 1] /C0 [1] /C1 [0] /N 1 >>]";
  TestPage stroked{"/CS0 CS 1 SC BT 1 Tr /F1 12 Tf 72 700 Td (Operation Nightjar) Tj ET"};
  stroked.resources = "<< /Font << /F1 4 0 R >> /ColorSpace << /CS0 " + none + " >> >>";
  EXPECT_TRUE(has(check(build_pdf({stroked})), "hidden-colour-text")) << "stroked in no ink";
  EXPECT_TRUE(has(check(build_pdf({TestPage{"1 G BT 1 Tr /F1 12 Tf 72 700 Td (Operation Nightjar) Tj ET"}})),
                  "hidden-colour-text")) << "stroked white";
  TestPage both{"/CS0 CS 1 SC 0 g BT 2 Tr /F1 12 Tf 72 700 Td (Operation Nightjar) Tj ET"};
  both.resources = stroked.resources;
  EXPECT_FALSE(has(check(build_pdf({both})), "hidden-colour-text")) << "filled black, stroked in no ink: it shows";
  TestPage clear{"/G0 gs BT /F1 12 Tf 72 700 Td (Operation Nightjar) Tj ET"};
  clear.resources = "<< /Font << /F1 4 0 R >> /ExtGState << /G0 << /ca 0 >> >> >>";
  EXPECT_TRUE(has(check(build_pdf({clear})), "hidden-colour-text")) << "/ca 0";
  TestPage faint{"/G0 gs BT /F1 12 Tf 72 700 Td (Operation Nightjar) Tj ET"};
  faint.resources = "<< /Font << /F1 4 0 R >> /ExtGState << /G0 << /ca 0.5 >> >> >>";
  EXPECT_FALSE(has(check(build_pdf({faint})), "hidden-colour-text")) << "half transparent still shows";
}

TEST(Check, AFormFanOutIsBoundedAndSaysSo) {
  // Ten forms deep, each drawing the next ten times: 10^10 draws if unbounded.
  std::vector<std::string> objects;
  for (int i = 0; i < 10; ++i) {
    const int next = 5 + i + 1;
    const std::string body = i == 9 ? "BT /F1 12 Tf (x) Tj ET" : std::string(10 * 6, ' ');
    std::string draws = body;
    if (i < 9) {
      draws.clear();
      for (int k = 0; k < 10; ++k) draws += "/X Do ";
    }
    objects.push_back(stream_object(draws, "/Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> "
                                           "/XObject << /X " + std::to_string(next) + " 0 R >> >>"));
  }
  const Report r = check(build_pdf({TestPage{"/X Do", "<< /XObject << /X 5 0 R >> >>"}}, objects));
  EXPECT_TRUE(has(r, "unreadable-text"));
}

TEST(Check, EofInsideAStreamIsNoRevision) {
  const std::string data = stream_object("%%EOF\n%%EOF\n", "/Type /Private");
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}}, {data}, test::kHelvetica,
                                   "<< /Producer (t) >>", "/PieceInfo << /A 5 0 R >>"));
  EXPECT_FALSE(has(r, "earlier-revision"));
}

TEST(Check, TextInADataStreamOrXmpIsRead) {
  const std::string xmp = stream_object("<x:xmpmeta><dc:title>Deployment to Fr&#97;nce</dc:title></x:xmpmeta>");
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}}, {xmp}, test::kHelvetica,
                                   "<< /Producer (t) >>", "/Metadata 5 0 R"));
  EXPECT_TRUE(has(r, "string"));
}

// XMP may be written in UTF-16, with a byte-order mark or without one: an
// image's metadata so said "Deployment to France" and check read nothing.
TEST(Check, TextInAUtf16DataStreamIsRead) {
  const auto utf16 = [](const std::string& ascii, bool little_endian) {
    std::string out;
    for (char c : ascii) out += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
    return out;
  };
  const auto utf32 = [](const std::string& ascii, bool little_endian) {
    std::string out;
    for (char c : ascii) out += little_endian ? std::string{c, '\0', '\0', '\0'} : std::string{'\0', '\0', '\0', c};
    return out;
  };
  const std::string xmp = "<x:xmpmeta><dc:title>Deployment to France</dc:title></x:xmpmeta>";
  // Mostly Chinese in UTF-16 (U+4E2D is the bytes 2D 4E): every byte looks
  // printable, so the data passed for 8-bit text, zero bytes and all.
  std::string chinese;
  for (int i = 0; i < 200; ++i) chinese += "\x2D\x4E";
  for (const std::string& data : {utf16(xmp, true), utf16(xmp, false), "\xFF\xFE" + utf16(xmp, true),
                                  "\xFE\xFF" + utf16(xmp, false), utf32(xmp, true), utf32(xmp, false),
                                  chinese + utf16(xmp, true)}) {
    const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}},
                                     {stream_object(data, "/Type /Metadata /Subtype /XML")}, test::kHelvetica,
                                     "<< /Producer (t) >>", "/PieceInfo << /A << /Private 5 0 R >> >>"));
    EXPECT_TRUE(has(r, "string")) << data.size();
  }
  // A stream with an /N (as an ICC profile has) is read all the same.
  const Report with_n = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}},
                                        {stream_object("Deployment to France", "/N 3")}, test::kHelvetica,
                                        "<< /Producer (t) >>", "/PieceInfo << /A << /Private 5 0 R >> >>"));
  EXPECT_TRUE(has(with_n, "string"));
  // Text after binary bytes, after an ICC profile's declared size, in an
  // XMP attribute, or after a stray "<".
  std::string binary_first(5000, '\x01');
  std::string icc(132, '\0');
  icc[2] = '\x00', icc[3] = '\x84', icc.replace(36, 4, "acsp");
  for (const std::string& data : {binary_first + "Deployment to France", icc + "Deployment to France",
                                  std::string("<x:xmpmeta><rdf:Description pdf:Keywords=\"Sent to France\"/></x:xmpmeta>"),
                                  std::string("a<b. Deployment to France, at a cost.")}) {
    EXPECT_TRUE(has(check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}}, {stream_object(data)},
                                    test::kHelvetica, "<< /Producer (t) >>", "/PieceInfo << /A << /Private 5 0 R >> >>")),
                    "string"))
        << data.substr(0, 40);
  }
  const Report binary = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}},
                                        {stream_object(std::string("\x01\x02\x03\x04\x05\x06", 6))}, test::kHelvetica,
                                        "<< /Producer (t) >>", "/PieceInfo << /A << /Private 5 0 R >> >>"));
  EXPECT_FALSE(has(binary, "string"));
}

// The names of the catalog's /Dests are names, not strings, but a viewer's
// destinations panel lists them (a hostile review's /Spain).
TEST(Check, TheNamesOfDestinationsAreRead) {
  const auto dests = [](const std::string& name) {
    return check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}}, {}, test::kHelvetica,
                           "<< /Producer (t) >>", "/Dests << /" + name + " [0 /Fit] >>"));
  };
  EXPECT_TRUE(has(dests("Spain"), "string"));
  EXPECT_TRUE(has(dests("T#FCrkiye"), "string")) << "a single-byte name, as pdfinfo shows it";
  EXPECT_FALSE(has(dests("section.1"), "string"));
}

// A dictionary's keys are names anyone reading the file sees (qpdf --show-
// object, a text editor): one that holds an officer's term is a leak, in
// any object, nested or not, used once or many times. Keys are codes (the
// resource name /Georgia is a font's), so the patterns do not read them.
TEST(Check, DictionaryKeysAreReadForTheTerms) {
  match::MatcherOptions options;
  options.terms = {"Kestrel"};
  const match::Matcher terms(match::PatternSet{}, options);
  const auto leaks_in = [&](const std::string& pdf) {
    std::set<std::string> out;
    const Report r = check_document(test::write_temp("k.pdf", pdf), terms);
    for (const Finding& f : r.findings) {
      if (f.severity == Severity::leak) out.insert(f.object);
    }
    return out;
  };
  const TestPage page{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"};
  EXPECT_EQ(leaks_in(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>", "/Operation#20Kestrel true")),
            std::set<std::string>{"object 1 0"});
  // The Info dictionary's own keys are custom properties, found as such.
  EXPECT_EQ(leaks_in(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) /Kestrel (x) /N << /Kestrel#20two 1 >> >>")),
            (std::set<std::string>{"object 3 0, /Kestrel", "object 3 0"}));
  EXPECT_EQ(leaks_in(build_pdf({page}, {"<< /A << /B [<< /KESTREL 1 >>] >> >>"}, test::kHelvetica,
                               "<< /Producer (t) >>", "/PieceInfo 5 0 R /Extra << /Kestrel 2 >>")),
            (std::set<std::string>{"object 1 0", "object 5 0"}));
  std::string trailer = build_pdf({page});
  trailer.replace(trailer.rfind("/Info 3 0 R"), 11, "/Info 3 0 R /KESTREL 1");  // after the xref: its offsets stay right
  EXPECT_EQ(leaks_in(trailer), std::set<std::string>{"the trailer"});
  EXPECT_TRUE(leaks_in(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>", "/Falcon true")).empty());
  // A key also read as a name of its own (an appearance state, a structure
  // type) is found once, as that.
  EXPECT_EQ(leaks_in(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>",
                               "/StructTreeRoot << /RoleMap << /Kestrel#20heading /H1 >> >>")),
            std::set<std::string>{"object 1 0, /RoleMap"});
  // With the patterns alone, a key naming a country is no leak.
  EXPECT_FALSE(has(check(build_pdf({page}, {}, test::kHelvetica, "<< /Producer (t) >>", "/Extra << /Georgia 2 >>")),
                   "string"));
}

// Text whose showing check's reading does not work out (drawn through a
// soft mask) is settled by drawing the page with and without its text:
// through a soft mask of black nothing shows, through one of white all of
// it does. A page tree that lists the page twice is drawn as redact reads
// it. A page that cannot be drawn (the drawing process dies) is a risk of
// its own.
TEST(Check, TextWhoseShowingOnlyDrawingSettlesIsDrawn) {
  const auto masked = [](const std::string& grey, const std::string& kids = "") {
    const std::string group = stream_object(grey + " g 0 0 612 792 re f",
                                            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Group << /S "
                                            "/Transparency /CS /DeviceGray >>");
    std::string pdf = build_pdf({TestPage{"BT /F1 12 Tf 72 720 Td (Visible) Tj ET q /M gs BT /F1 24 Tf 72 700 Td "
                                          "(Masked) Tj ET Q",
                                          "<< /Font << /F1 4 0 R >> /ExtGState << /M << /SMask << /S /Luminosity "
                                          "/G 5 0 R >> >> >> >>"}},
                                {group}, test::kHelvetica, "<< /Producer (t) >>", "", "          ");
    if (!kids.empty()) {
      const std::string listed = "/Kids [6 0 R ] /Count 1           ";
      const size_t at = pdf.find(listed);
      EXPECT_NE(at, std::string::npos);
      if (at != std::string::npos) pdf.replace(at, listed.size(), kids + std::string(listed.size() - kids.size(), ' '));
    }
    return check(pdf);
  };
  const auto count = [](const Report& r, const std::string& kind) {
    return std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.kind == kind; });
  };
  const Report black = masked("0");
  EXPECT_EQ(count(black, "unseen-text"), 1);
  EXPECT_EQ(count(black, "undrawn-text"), 0);
  const Report white = masked("1");
  EXPECT_EQ(count(white, "unseen-text"), 0);
  EXPECT_EQ(count(white, "undrawn-text"), 0);
  const Report twice = masked("0", "/Kids [6 0 R 6 0 R] /Count 2");
  EXPECT_EQ(count(twice, "unseen-text"), 1);
  EXPECT_EQ(count(twice, "undrawn-text"), 0);
  ::setenv("REDACT_TEST_DRAW_FAULT", "abort", 1);
  const Report crashed = masked("0");
  ::unsetenv("REDACT_TEST_DRAW_FAULT");
  EXPECT_EQ(count(crashed, "unseen-text"), 0);
  EXPECT_EQ(count(crashed, "undrawn-text"), 1);
}

// The names that carry a field's value (a radio button's export value) are
// read as text, given directly or as objects of their own; names of the
// file's structure are not ("/Georgia" is a font).
TEST(Check, NamesThatCarryAFieldsValueAreRead) {
  const auto widget = [](const std::string& entries, const std::vector<std::string>& more = {}) {
    std::vector<std::string> objects{"<< /Type /Annot /Subtype /Widget /FT /Btn /T (where) /Rect [72 600 92 620] " +
                                     entries + " >>"};
    objects.insert(objects.end(), more.begin(), more.end());
    return check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET", "<< /Font << /F1 4 0 R >> >>",
                                     "/Annots [5 0 R]"}},
                           objects, test::kHelvetica, "<< /Producer (redact tests) >>", "/AcroForm << /Fields [5 0 R] >>"));
  };
  const auto names = [](const Report& r) {
    std::set<std::string> out;
    for (const Finding& f : r.findings) {
      if (f.kind == "string" && f.message.find("the name") != std::string::npos) out.insert(f.object);
    }
    return out;
  };
  EXPECT_EQ(names(widget("/V /Spain /AS /Spain /AP << /N << /Spain 6 0 R /Off 6 0 R >> >>",
                         {stream_object("0 g 0 0 20 20 re f", "/Subtype /Form /BBox [0 0 20 20]")})),
            (std::set<std::string>{"object 5 0, /V", "object 5 0, /AS", "object 5 0, /AP /N"}));
  EXPECT_EQ(names(widget("/V 6 0 R /Opt 7 0 R /AP 8 0 R",
                         {"/Spain", "[/Leeds /Spain]", "<< /D 9 0 R >>", "<< /Spain#20Visit 10 0 R >>",
                          stream_object("0 g 0 0 20 20 re f", "/Subtype /Form /BBox [0 0 20 20]")})),
            (std::set<std::string>{"object 5 0, /V", "object 5 0, /Opt", "object 5 0, /AP /D"}));
  EXPECT_TRUE(names(widget("/V /Off /AS /Yes /DA (/Georgia 12 Tf 0 g)", {"<< /Type /Font /BaseFont /Georgia >>"})).empty());
}

// An XFA form's packets (which Adobe Reader and pdf.js draw in place of the
// pages) are read, and named as the XFA form.
TEST(Check, AnXfaFormsDataIsReadAndNamed) {
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Please wait) Tj ET"}},
                                   {stream_object("<xfa:datasets><data><dest>Spain</dest></data></xfa:datasets>")},
                                   test::kHelvetica, "<< /Producer (t) >>", "/AcroForm << /Fields [] /XFA [(datasets) 5 0 R] >>"));
  EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.kind == "string" && f.object == "object 5 0, /XFA" && f.message.find("the XFA form") != std::string::npos;
  }));
}

// A data stream that cannot be decoded is a risk of its own, named; the
// rest of the file is still read (it was "cannot be checked" for the whole
// file: pdfium's bug_298, qpdf's indirect-filter).
TEST(Check, AStreamThatCannotBeDecodedIsARiskAndTheRestIsRead) {
  const Report r = check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"}},
                                   {stream_object("whatever", "/Filter /Potato"), "<< /Note (Posted to Spain) >>"}));
  EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.kind == "unreadable-text" && f.object.find("object 5 0") != std::string::npos &&
           f.message.find("/Potato") != std::string::npos && f.message.find("object 5 0") == std::string::npos;
  }));
  EXPECT_TRUE(has(r, "string"));
}

// A content stream's names (a tag, a resource's name, an inline
// dictionary's key) are in its bytes for anyone to read.
TEST(Check, NamesInAContentStreamAreRead) {
  for (const std::string content : {"/Spain MP", "/Span << /Spain 1 >> BDC EMC", "/Spain#20visit BMC EMC"}) {
    const Report r = check(build_pdf({TestPage{content + " BT /F1 12 Tf 72 700 Td (Hi) Tj ET"}}));
    EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
      return f.kind == "text" && f.message.find("a name in a content stream") != std::string::npos;
    })) << content;
  }
  EXPECT_FALSE(has(check(build_pdf({TestPage{"/Span << /MCID 0 >> BDC BT /F1 12 Tf 72 700 Td (Hi) Tj ET EMC"}})), "text"));
}

TEST(Check, ObjectsNothingRefersToAreRead) {
  // An editor's leftovers, which no viewer shows and anyone reading the
  // file can: a dictionary, a data stream, a form.
  const auto orphan = [](const std::string& object) {
    return check(build_pdf({TestPage{"BT /F1 12 Tf 72 700 Td (Nothing) Tj ET"}}, {object}));
  };
  const Report note = orphan("<< /Note (Posted to Spain) >>");
  ASSERT_TRUE(has(note, "string"));
  EXPECT_TRUE(std::any_of(note.findings.begin(), note.findings.end(), [](const Finding& f) {
    return f.kind == "string" && f.object.find("referred to by nothing") != std::string::npos;
  }));
  EXPECT_TRUE(has(orphan(stream_object("notes on the Spain visit")), "string"));
  // An object stream the cross-reference names for no object: none of its
  // objects is loaded, so it is read as data.
  EXPECT_TRUE(has(orphan(stream_object("7 0 (The Spain memo)", "/Type /ObjStm /N 1 /First 4")), "string"));
  EXPECT_TRUE(has(orphan(stream_object("BT /F1 12 Tf 10 10 Td (Spain) Tj ET",
                                       "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >>")),
                  "text"));
  EXPECT_FALSE(has(orphan("<< /Note (Posted to Leeds) >>"), "string"));
  // A font program or a CMap left behind says who made it, as one in use
  // does ("... Adobe Systems Incorporated in the United States"): not read.
  EXPECT_FALSE(has(orphan(stream_object("Copyright 1990 Adobe Systems Incorporated in the United States",
                                        "/Subtype /Type1C")),
                   "string"));
  EXPECT_FALSE(has(orphan(stream_object("/CIDInit /ProcSet findresource begin begincmap % made in Spain")), "string"));
}

TEST(Check, ALanguageTagIsNoTextButOtherTextUnderLangIs) {
  const Report tagged = check(build_pdf({TestPage{"/Span << /Lang (en-US) >> BDC BT /F1 12 Tf 72 700 Td (Hi) Tj ET EMC"}}));
  EXPECT_FALSE(has(tagged, "text"));
  const Report hidden = check(build_pdf({TestPage{"/Span << /Lang (France) >> BDC BT /F1 12 Tf 72 700 Td (Hi) Tj ET EMC"}}));
  EXPECT_TRUE(has(hidden, "text"));
}

}  // namespace
}  // namespace redact::check
