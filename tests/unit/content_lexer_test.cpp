#include "pdf/content_lexer.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>

namespace redact::pdf {
namespace {

std::vector<Operation> parse(std::string_view data, std::vector<LexWarning>* warnings = nullptr) {
  return parse_content(data, warnings);
}

TEST(ContentLexer, OperatorsWithOperandsAndByteRanges) {
  const std::string data = "BT /F1 12 Tf 72 700 Td (Hello) Tj ET";
  auto ops = parse(data);
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(ops[1].op, "Tf");
  ASSERT_EQ(ops[1].operands.size(), 2u);
  EXPECT_TRUE(ops[1].operands[0].is_name());
  EXPECT_EQ(ops[1].operands[0].bytes, "F1");
  EXPECT_EQ(ops[1].operands[1].number, 12);
  EXPECT_EQ(data.substr(ops[3].begin, ops[3].end - ops[3].begin), "(Hello) Tj");
}

TEST(ContentLexer, CommentsAreKeptWhereverTheyStandAndCountInTheBudget) {
  const std::string data = "BT %first\r(50% done) Tj [(a) %in an array\n(b)] TJ ET %last";
  std::vector<Comment> comments;
  size_t items = 0;
  bool truncated = true;
  auto ops = parse_content(data, nullptr, SIZE_MAX, &truncated, &items, &comments);
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[1].operands[0].bytes, "50% done");  // a % inside a string is no comment
  ASSERT_EQ(comments.size(), 3u);
  EXPECT_EQ(comments[0].text, "first");
  EXPECT_EQ(data.substr(comments[0].offset, comments[0].end() - comments[0].offset), "%first");
  EXPECT_EQ(comments[1].text, "in an array");
  EXPECT_EQ(comments[2].text, "last");
  EXPECT_EQ(comments[2].end(), data.size());
  EXPECT_FALSE(truncated);
  EXPECT_EQ(items, 4u + 1u + 3u + 3u);  // operations, operands and array items, comments
  // A comment before an operator an unclosed array hands back is kept once.
  comments.clear();
  parse_content("[(a) %once\n Tj", nullptr, SIZE_MAX, nullptr, nullptr, &comments);
  EXPECT_EQ(comments.size(), 1u);
  // Without a place to put them, none are kept; past the budget, the parse stops.
  EXPECT_EQ(parse(data).size(), 4u);
  comments.clear();
  std::string lines;
  for (int i = 0; i < 500; ++i) lines += "%\n";
  parse_content(lines, nullptr, 100, &truncated, nullptr, &comments);
  EXPECT_TRUE(truncated);
  EXPECT_LE(comments.size(), 100u);
}

TEST(ContentLexer, NumbersIncludingLenientForms) {
  auto ops = parse("1 -2 +3.5 .25 -.5 --4 1.2.3 5- 7 8 9 op");
  ASSERT_EQ(ops.size(), 1u);
  std::vector<double> got;
  for (const Object& o : ops[0].operands) got.push_back(o.number);
  EXPECT_EQ(got, (std::vector<double>{1, -2, 3.5, 0.25, -0.5, -4, 1.2, 5, 7, 8, 9}));
}


// Numbers are read to the nearest double, as strtod reads them, whether
// they have a few digits or many.
TEST(ContentLexer, NumbersAreReadToTheNearestDouble) {
  std::vector<std::string> numbers = {"0.1", "0.7", "123.456", "612.0000001", "1.000000000000001", "999999999999999",
                                      "9999999999999999", "0.30000000000000004", "842.88", "-0.95", ".000000000000001",
                                      "12345678901234567890", "3.14159265358979323846", "0."};
  uint64_t state = 12345;
  for (int i = 0; i < 2000; ++i) {  // random decimals of 1 to 18 digits, the dot anywhere
    state = state * 6364136223846793005u + 1442695040888963407u;
    const int digits = 1 + static_cast<int>((state >> 33) % 18);
    std::string n;
    for (int d = 0; d < digits; ++d) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      n.push_back(static_cast<char>('0' + (state >> 33) % 10));
    }
    n.insert(n.begin() + static_cast<std::ptrdiff_t>((state >> 40) % (n.size() + 1)), '.');
    numbers.push_back(n);
  }
  std::string stream;
  for (const std::string& n : numbers) stream += n + " ";
  const std::vector<Operation> ops = parse(stream + "op");
  ASSERT_EQ(ops.size(), 1u);
  ASSERT_EQ(ops[0].operands.size(), numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) {
    EXPECT_EQ(ops[0].operands[i].number, std::strtod(numbers[i].c_str(), nullptr)) << numbers[i];
  }
}
TEST(ContentLexer, LiteralStringEscapes) {
  auto ops = parse(R"((a\(b\)c\\d\n\101\0611\
e(nested)) Tj)");
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].operands[0].bytes, "a(b)c\\d\nA11e(nested)");
}

TEST(ContentLexer, StringsStartingWithByteOrderMarksStayBytes) {
  // PoDoFo's tokenizer turns these into "Unicode"; glyph codes must survive.
  static const char data[] = "<FEFF0041> Tj (\xFE\xFF\x00\x42) Tj";
  auto ops = parse(std::string(data, sizeof data - 1));
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].operands[0].bytes, std::string("\xFE\xFF\x00\x41", 4));
  EXPECT_TRUE(ops[0].operands[0].hex);
  EXPECT_EQ(ops[1].operands[0].bytes, std::string("\xFE\xFF\x00\x42", 4));
}

TEST(ContentLexer, HexStringsIgnoreWhitespaceAndPadOddDigits) {
  auto ops = parse("<48 65 6C6C 6> Tj");
  EXPECT_EQ(ops[0].operands[0].bytes, std::string("Hell`", 5));
}

TEST(ContentLexer, NamesDecodeHashEscapes) {
  auto ops = parse("/A#20B /F#31 Tf");
  EXPECT_EQ(ops[0].operands[0].bytes, "A B");
  EXPECT_EQ(ops[0].operands[1].bytes, "F1");
}

TEST(ContentLexer, ArraysAndDictionaries) {
  auto ops = parse("[(A) -120 (B)] TJ /Span << /ActualText (fi) /MCID 3 >> BDC");
  ASSERT_EQ(ops.size(), 2u);
  ASSERT_TRUE(ops[0].operands[0].is_array());
  EXPECT_EQ(ops[0].operands[0].items.size(), 3u);
  EXPECT_EQ(ops[0].operands[0].items[1].number, -120);
  const Object& dict = ops[1].operands[1];
  ASSERT_TRUE(dict.is_dict());
  ASSERT_NE(dict.find("ActualText"), nullptr);
  EXPECT_EQ(dict.find("ActualText")->bytes, "fi");
  EXPECT_EQ(dict.find("MCID")->number, 3);
  EXPECT_EQ(dict.find("Missing"), nullptr);
}

TEST(ContentLexer, AStringEndsWhereTheLexerEndsIt) {
  const std::string data = "(a (nested) one\\)) <4B 65> (open";
  EXPECT_EQ(ContentLexer::string_end(data, 0), data.find(" <"));
  EXPECT_EQ(ContentLexer::string_end(data, data.find('<')), data.find(" (open"));
  EXPECT_EQ(ContentLexer::string_end(data, data.find("(open")), data.size());
  EXPECT_EQ(ContentLexer::string_end(data, 2), 2u);  // no string starts there
  EXPECT_EQ(ContentLexer::string_end(data, data.size() + 5), data.size() + 5);
}

TEST(ContentLexer, CommentsAreSkipped) {
  auto ops = parse("% a comment (not a string\n1 0 0 1 0 0 cm % trailing\nq");
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].op, "cm");
  EXPECT_EQ(ops[1].op, "q");
}

TEST(ContentLexer, InlineImageDataIsSkipped) {
  const std::string data = std::string("q BI /W 3 /H 2 /BPC 8 /CS /G ID ") + std::string("\x00\xFF", 2) + "EI" +
                           "\x01\x02" + " EI Q BT (after) Tj ET";
  auto ops = parse(data);
  ASSERT_EQ(ops.size(), 6u);
  EXPECT_EQ(ops[1].op, "BI");
  ASSERT_TRUE(ops[1].operands[0].is_dict());
  EXPECT_EQ(ops[1].operands[0].find("W")->number, 3);
  EXPECT_EQ(data.substr(ops[1].data_begin, ops[1].data_end - ops[1].data_begin), std::string("\x00\xFF" "EI\x01\x02", 6));
  EXPECT_EQ(ops[2].op, "Q");
  EXPECT_EQ(ops[4].operands[0].bytes, "after");
}

TEST(ContentLexer, AnInlineImageEndsAtAnEIADelimiterFollows) {
  // poppler reads on after "EI/P BMC" and "EI%": so must a redactor.
  for (const std::string after : {"/P BMC EMC", "%note\n", "[] 0 d", "(x) Tj"}) {
    std::vector<LexWarning> warnings;
    const auto ops = parse("BI /W 2 /H 1 /CS /G /BPC 8 ID \x01\x02 EI" + after + " BT (Kestrel) Tj ET", &warnings);
    ASSERT_FALSE(ops.empty()) << after;
    EXPECT_EQ(ops[0].op, "BI") << after;
    EXPECT_EQ(ops.back().op, "ET") << after;
    EXPECT_TRUE(warnings.empty()) << after;
  }
}

TEST(ContentLexer, AnInlineImagesDataEndsWhereDecodingItEnds) {
  // Data holding " EI (" and text after the real end starting "Caf\xE9":
  // a reader that decodes the data (poppler) ends it where the decoding
  // does, then at the first "EI".
  const std::string text = " EI (Caf\xE9 Spain) Tj";
  // An APP1 segment holding an end marker of its own, coded data with a
  // stuffed 0xFF and a restart marker, then the end of the image.
  const char jpeg_bytes[] = "\xFF\xD8\xFF\xE1\x00\x06\xFF\xD9 E\xFF\xDA\x00\x02x EI (\xFF\x00\xFF\xD0" "y\xFF\xD9";
  const std::string jpeg(jpeg_bytes, sizeof jpeg_bytes - 1);
  const std::string flate = [] {
    std::string out(64, '\0');
    uLongf size = out.size();
    const std::string raw = "a EI (((";
    compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()), raw.size());
    out.resize(size);
    return out;
  }();
  const std::vector<std::string> images{"/W 8 /H 1 /CS /G /BPC 8 ID x EI (((",
                                        std::string("/W 2 /H 1 /CS /RGB /BPC 8 ID \x01") + "EI (\n\x02",
                                        "/W 8 /H 1 /F /A85 ID 9j EI ((((~>",
                                        "/W 8 /H 1 /F [/AHx /Fl] ID 4 EI (>",
                                        std::string("/W 8 /H 1 /F /RL ID \x06") + "a EI ((\x80",
                                        "/W 8 /H 1 /F /Fl ID " + flate,
                                        "/W 8 /H 1 /F /DCT ID " + jpeg};
  for (const std::string& image : images) {
    std::vector<LexWarning> warnings;
    const auto ops = parse("BI " + image + text, &warnings);
    ASSERT_EQ(ops.size(), 2u) << image;
    EXPECT_EQ(ops[1].op, "Tj") << image;
    EXPECT_EQ(ops[1].operands[0].bytes, "Caf\xE9 Spain") << image;
    EXPECT_TRUE(warnings.empty()) << image;
  }
}

TEST(ContentLexer, AnInlineImageWhoseEndCannotBeToldLosesTheRest) {
  // A colour space the resources name: the data's length cannot be told
  // here. An "EI" passed over for the bytes after it may be the end.
  std::vector<LexWarning> warnings;
  auto ops = parse("BI /W 2 /H 1 /CS /CS0 /BPC 8 ID ab EI (Caf\xE9 Spain) Tj EI (x) Tj", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(warnings[0].loses_content);
  // So does an /L that puts the end elsewhere (poppler takes it)...
  warnings.clear();
  ops = parse("BI /W 2 /H 1 /CS /G /BPC 8 /L 9 ID ab EI (x) Tj", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(warnings[0].loses_content);
  // ... but not one that ends at the same "EI" (pdf.js's issue14256).
  warnings.clear();
  ops = parse("BI /W 2 /H 1 /CS /G /BPC 8 /L 3 ID ab EI (x) Tj", &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(ops.size(), 2u);
  // An "EI" last in the stream ends the image whatever is before it (CCITT
  // data in a Type 3 glyph procedure, pdf.js's issue19532).
  warnings.clear();
  ops = parse("BI /W 8 /H 1 /F /CCF /IM true ID \x01@EI\n", &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].data_end - ops[0].data_begin, 2u);
}

TEST(ContentLexer, AnInlineImageWithoutItsEndLosesTheRest) {
  std::vector<LexWarning> warnings;
  auto ops = parse("BI /W 2 /H 2 /CS /CS0 /BPC 8 ID \x01\x02" "EIx BT (Kestrel) Tj ET", &warnings);
  ASSERT_EQ(ops.size(), 1u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(warnings[0].loses_content);
  // With no "EI" at all, no reader reads on: nothing is lost (a file cut
  // inside its last image, qpdf's eof-in-inline-image).
  warnings.clear();
  ops = parse("BI /W 2 /H 2 /CS /G /BPC 8 /F /Fl ID x\x9c", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_FALSE(warnings[0].loses_content);
}

// poppler and MuPDF read only the bytes the image needs, then take the
// first "EI" (the hostile reviews' files): where redact can tell where their
// decoder stops (one filter of ASCIIHex, ASCII85, RunLength or Flate, or
// none, and a size and colours it reads), it ends the image there too, and
// text after that "EI" is content it reads, however padded or disguised.
TEST(ContentLexer, AnInlineImageEndsAtTheFirstEIAfterWhatItsDecoderReads) {
  const auto shows_spain = [](const std::vector<Operation>& ops) {
    return std::any_of(ops.begin(), ops.end(), [](const Operation& op) {
      return op.op == "Tj" && !op.operands.empty() && op.operands.back().bytes == "Spain";
    });
  };
  std::string padding;
  for (int i = 0; i < 200; ++i) padding += "0 0 m ";
  const std::string text = " EI Q " + padding + "BT /F1 24 Tf 150 500 Td (a) (Spain) Tj ET q ";
  for (const std::string& image : std::vector<std::string>{
           "/W 1 /H 1 /BPC 8 /CS /G /F /AHx ID 00" + text + "> EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F /A85 ID !!!!!" + text + "~> EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F [/RL] ID \x01\x41\x41" + text + "\x80 EI",
           "/W 1 /H 1 /BPC 8 /CS /G ID A" + text + "EI"}) {
    std::vector<LexWarning> warnings;
    const auto ops = parse("BI " + image, &warnings);
    EXPECT_TRUE(shows_spain(ops)) << image;
    EXPECT_FALSE(std::any_of(warnings.begin(), warnings.end(), [](const LexWarning& w) { return w.loses_content; }))
        << image;
  }
  // Parameters poppler rejects (a /Decode too short or no array, a real
  // where it wants an integer): it reads no data and resumes at the first
  // "EI", so no count of rows is trusted (the fourth review's files).
  for (const std::string& keys : std::vector<std::string>{"/W 100 /H 1 /BPC 8 /CS /G /D [0]", "/W 100 /H 1 /BPC 8 /CS /G /D 5",
                                                          "/W 100 /H 1 /BPC 8.0 /CS /G", "/W 100.0 /H 1 /BPC 8 /CS /G"}) {
    const auto read = parse("BI " + keys + " ID AA EI Q BT (Spain) Tj ET q " + std::string(100, 'A') + " EI Q");
    EXPECT_TRUE(shows_spain(read)) << keys;
  }
  // Pixel bytes that spell "EI" before the image's rows are read are data.
  const auto ops = parse("BI /W 4 /H 1 /BPC 8 /CS /G ID xEI( EI BT (Spain) Tj ET");
  ASSERT_GE(ops.size(), 1u);
  EXPECT_EQ(ops[0].data_end - ops[0].data_begin, 4u);
  EXPECT_TRUE(shows_spain(ops));
}

// A zlib stream of one stored block holding `data` as it is.
std::string stored_zlib(const std::string& data) {
  std::string out = "\x78\x01\x01";
  const auto n = static_cast<uint16_t>(data.size());
  out += static_cast<char>(n & 0xFF);
  out += static_cast<char>(n >> 8);
  out += static_cast<char>(~n & 0xFF);
  out += static_cast<char>((~n >> 8) & 0xFF);
  out += data;
  const uLong check = adler32(adler32(0, nullptr, 0), reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((check >> shift) & 0xFF);
  return out;
}

// Flate: poppler reads a stored block whole, MuPDF to the end of the zlib
// stream, so the image ends after the stream (the third review's files);
// an "EI" inside the stream after the image's bytes, which poppler may take,
// holds the page if drawing content follows it, however far.
TEST(ContentLexer, AFlateImageEndsAfterItsStreamAndAnEIInsideItIsJudged) {
  const auto shows_spain = [](const std::vector<Operation>& ops) {
    return std::any_of(ops.begin(), ops.end(), [](const Operation& op) {
      return op.op == "Tj" && !op.operands.empty() && op.operands.back().bytes == "Spain";
    });
  };
  const auto loses = [](const std::vector<LexWarning>& warnings) {
    return std::any_of(warnings.begin(), warnings.end(), [](const LexWarning& w) { return w.loses_content; });
  };
  std::vector<LexWarning> warnings;
  const std::string fake = std::string(4, '\0') + " EI BI /W 61 /H 1 /BPC 8 /CS /G ID ";
  auto ops = parse("BI /W 4 /H 1 /BPC 8 /CS /G /F /Fl ID " + stored_zlib(fake) + " EI Q BT (Spain) Tj ET q 0 0 m EI Q",
                   &warnings);
  EXPECT_TRUE(shows_spain(ops));
  EXPECT_FALSE(loses(warnings));
  std::string padding;
  for (int i = 0; i < 200; ++i) padding += "0 0 m ";
  warnings.clear();
  parse("BI /W 4 /H 1 /BPC 8 /CS /G /F /Fl ID " + stored_zlib(std::string(4, '\0') + " EI " + padding + "BT (Spain) Tj ET ") +
            " EI Q",
        &warnings);
  EXPECT_TRUE(loses(warnings));
}

// ASCII85 of `data` (no "z" groups), ended by "~>".
std::string ascii85(const std::string& data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i += 4) {
    uint32_t word = 0;
    const size_t n = std::min<size_t>(4, data.size() - i);
    for (size_t k = 0; k < 4; ++k) word = word << 8 | (k < n ? static_cast<unsigned char>(data[i + k]) : 0);
    char group[5];
    for (int k = 4; k >= 0; --k, word /= 85) group[k] = static_cast<char>('!' + word % 85);
    out.append(group, n + 1);
    if (i % 64 == 60) out += '\n';
  }
  return out + "~>";
}

// Regression: qpdf's large-inline-image, 2 MB of ASCII85 over Flate with
// some 170 "EI"s in it, was held: a string opened in the data ran for
// megabytes after each, and the reading's cap said "drawing". Each "EI" is
// judged on the 4 KiB after it.
TEST(ContentLexer, ALargeChainedImageWithEIsInItsDataIsNotHeld) {
  std::string pixels(600 * 400 * 3, '\0');
  uint32_t seed = 12345;
  for (char& c : pixels) c = static_cast<char>((seed = seed * 1103515245 + 12345) >> 16);
  uLongf size = compressBound(static_cast<uLong>(pixels.size()));
  std::string packed(size, '\0');
  ASSERT_EQ(compress(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(pixels.data()),
                     static_cast<uLong>(pixels.size())),
            Z_OK);
  packed.resize(size);
  const std::string data = ascii85(packed);
  size_t eis = 0;
  for (size_t at = data.find("EI"); at != std::string::npos; at = data.find("EI", at + 1)) ++eis;
  ASSERT_GT(eis, 20u);
  std::vector<LexWarning> warnings;
  const auto ops = parse("q BI /W 600 /H 400 /BPC 8 /CS /RGB /F [/A85 /Fl] ID\n" + data + "\nEI Q BT (x) Tj ET", &warnings);
  EXPECT_FALSE(std::any_of(warnings.begin(), warnings.end(), [](const LexWarning& w) { return w.loses_content; }));
  ASSERT_EQ(ops.size(), 6u);
  EXPECT_EQ(ops[1].op, "BI");
}

// Where only the end of the first filter is known (a chain, parameters),
// or no length at all (LZW), drawing content after an "EI" inside the data
// holds the page: outside a text object (a font set before the image),
// with operands too many, after garbage that makes readers warn, after an
// "EI" glued to the data. MuPDF reads on past an "EI" glued to what follows.
TEST(ContentLexer, DrawingContentAfterAnEIInsideTheDataHoldsThePage) {
  const std::string text = " EI Q BT /F1 24 Tf 150 500 Td (Spain) Tj ET q ";
  for (const std::string& image : std::vector<std::string>{
           "/W 1 /H 1 /BPC 8 /CS /G /F /AHx /DP << >> ID 00" + text + "> EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F [/A85 /Fl] ID !!!!!" + text + "~> EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F /AHx /DP << >> ID 00 EI (Spain) Tj 0 g > EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F /AHx /DP << >> ID 00 EI BT (a) (Spain) Tj ET > EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F /AHx /DP << >> ID 00 EI <4g> pop BT 0 [(Spain)] TJ ET > EI",
           "/W 1 /H 1 /BPC 8 /CS /G /F /LZW ID \x80\x0b\x60XEI BT (a) (Spain) Tj ET EI Q",
           "/W 1 /H 1 /BPC 8 /CS /G /F /AHx ID 00> EIx ( EI BT <5370> Tj ET ) Tz"}) {
    std::vector<LexWarning> warnings;
    parse("BI " + image, &warnings);
    EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const LexWarning& w) { return w.loses_content; }))
        << image;
  }
  // A quote operator is one character, which image data spells often: it
  // counts only in a text object with exactly its operands.
  for (const std::string data : {"EI (x)'%", "EI BT (x) '"}) {
    std::vector<LexWarning> warnings;
    parse("BI /W 1 /H 1 /BPC 8 /CS /G /F /AHx /DP << >> ID 00 " + data + " > EI Q", &warnings);
    EXPECT_EQ(std::any_of(warnings.begin(), warnings.end(), [](const LexWarning& w) { return w.loses_content; }),
              data.find("BT") != std::string::npos)
        << data;
  }
  // A key given twice: no length is trusted, and the first "EI" with text
  // after it ends the image, as poppler ends it: the text is read.
  const auto ops = parse("BI /W 100 /W 1 /H 1 /BPC 8 /CS /G ID" + text + std::string(100, 'x') + " EI");
  EXPECT_TRUE(std::any_of(ops.begin(), ops.end(), [](const Operation& op) {
    return op.op == "Tj" && op.operands.size() == 1 && op.operands[0].bytes == "Spain";
  }));
}

TEST(ContentLexer, TruncatedStringIsReportedNotOverread) {
  std::vector<LexWarning> warnings;
  auto ops = parse("BT (unterminated Tj", &warnings);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].message.find("not terminated"), std::string::npos);
  // BT, then the string with no operator after it, handed back as an
  // operation with none: its bytes are in the stream all the same.
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].op, "");
  ASSERT_EQ(ops[1].operands.size(), 1u);
  EXPECT_EQ(ops[1].operands[0].bytes, "unterminated Tj");
}

TEST(ContentLexer, UnbalancedClosersAreWarnings) {
  std::vector<LexWarning> warnings;
  auto ops = parse("] >> ) q", &warnings);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].op, "q");
  EXPECT_GE(warnings.size(), 2u);
}

TEST(ContentLexer, UnterminatedArrayGivesBackTheOperator) {
  std::vector<LexWarning> warnings;
  auto ops = parse("[(A) (B) TJ (C) Tj", &warnings);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].op, "TJ");
  EXPECT_EQ(ops[0].operands[0].items.size(), 2u);
  EXPECT_EQ(ops[1].op, "Tj");
  EXPECT_FALSE(warnings.empty());
}

TEST(ContentLexer, DeepNestingIsBoundedWithoutRecursion) {
  std::string data(1000000, '[');
  data += " TJ";
  std::vector<LexWarning> warnings;
  auto ops = parse(data, &warnings);
  ASSERT_EQ(ops.size(), 1u);
  // What is not read may hold a string: the page cannot be read in full.
  ASSERT_FALSE(warnings.empty());
  EXPECT_TRUE(warnings[0].loses_content);
}

TEST(ContentLexer, OperandCountIsBounded) {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += "1 ";
  data += "re";
  std::vector<LexWarning> warnings;
  auto ops = parse(data, &warnings);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].operands.size(), ContentLexer::kMaxOperands);
  ASSERT_FALSE(warnings.empty());
  EXPECT_TRUE(warnings[0].loses_content);
}

TEST(ContentLexer, TrailingOperandsWithoutOperatorAreReported) {
  std::vector<LexWarning> warnings;
  auto ops = parse("q 1 2 (three)", &warnings);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].op, "");
  EXPECT_EQ(ops[1].operands.size(), 3u);
  EXPECT_EQ(ops[1].end, 13u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_FALSE(warnings[0].loses_content);
}

TEST(ContentLexer, TheTokenAroundAnOffsetIsAStringOrImageDataButNoHexString) {
  //                      0         1         2         3         4         5         6
  //                      0123456789012345678901234567890123456789012345678901234567890123
  const std::string data = "(ab c) Tj [(x y) -5 (z)] TJ <41 42> Tj BI /W 2 /H 1 ID xy EI (e)";
  const auto ops = parse(data, nullptr);
  const auto around = [&](size_t offset) -> std::optional<std::pair<size_t, bool>> {
    const auto token = token_around(ops, data, offset);
    if (!token) return std::nullopt;
    return std::pair{token->offset, token->image_data};
  };
  EXPECT_EQ(around(3), std::pair(size_t{0}, false));  // inside "(ab c)"
  EXPECT_EQ(around(0), std::nullopt);                 // its '(' starts it
  EXPECT_EQ(around(6), std::nullopt);                 // between tokens
  EXPECT_EQ(around(13), std::pair(size_t{11}, false));  // inside "(x y)" in a TJ array
  EXPECT_EQ(around(31), std::nullopt);                // inside a hex string
  EXPECT_EQ(around(56), std::pair(size_t{55}, true));   // inside the image's data "xy"
  EXPECT_EQ(around(59), std::pair(size_t{55}, true));   // inside its "EI"
  EXPECT_EQ(around(62), std::pair(size_t{61}, false));  // operands with no operator
  EXPECT_EQ(around(99), std::nullopt);
  const std::string no_data = "q BI /W 2 /H 1 /T (ab c)";  // no ID: a dictionary, no data
  const auto image = parse(no_data, nullptr);
  EXPECT_EQ(token_around(image, no_data, 12), std::nullopt);
  ASSERT_TRUE(token_around(image, no_data, 20));
  EXPECT_FALSE(token_around(image, no_data, 20)->image_data);  // inside its string
}

}  // namespace
}  // namespace redact::pdf
