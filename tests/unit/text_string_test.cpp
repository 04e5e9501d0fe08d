// The one PDF text-string decoder, against the spec's table.
#include "pdf/text_string.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace redact::pdf {
namespace {

TEST(TextString, PdfDocEncodingFollowsTheSpecsTableNotLatin1) {
  // Regression: 0x90 was read as a C1 control, so "Côte d’Ivoire" in an
  // /ActualText never matched.
  EXPECT_EQ(decode_text_string("C\xF4te d\x90Ivoire"), "C\u00F4te d\u2019Ivoire");
  EXPECT_EQ(decode_text_string("\x80\x84\x8D\x8E\x93\xA0"), "\u2022\u2014\u201C\u201D\uFB01\u20AC");
  EXPECT_EQ(decode_text_string("\x18\x1F"), "\u02D8\u02DC");
}

TEST(TextString, UndefinedCodesAreReplacementCharacters) {
  EXPECT_EQ(decode_text_string(std::string("a\x7F" "b\x9F" "c", 5)), "a\uFFFDb\uFFFDc");
  EXPECT_EQ(decode_text_string(std::string("\x01\tx", 3)), "\uFFFD\tx");
  // Undefined too, but Latin-1 readers show a soft hyphen: the word joins.
  EXPECT_EQ(decode_text_string("Ber\xADlin"), "Ber\u00ADlin");
}

// Found by hostile reviews: pdf.js takes out ESC ... ESC of any length in
// any encoding, poppler shows it: both readings are matched.
TEST(TextString, EscapeSequencesAreReadBothWays) {
  auto has = [](const std::vector<std::string>& readings, const std::string& text) {
    return std::find(readings.begin(), readings.end(), text) != readings.end();
  };
  // "Ber" ESC "de" ESC "lin" in UTF-16BE.
  const std::string utf16 = decode_text_string(std::string("\xFE\xFF\0B\0e\0r\0\x1B\0d\0e\0\x1B\0l\0i\0n", 22));
  EXPECT_EQ(utf16, "Ber\x1B" "de\x1B" "lin");
  EXPECT_TRUE(has(other_readings(utf16), "Berlin"));
  EXPECT_EQ(decode_text_string("Ber\x1B" "de\x1B" "lin"), "Ber\u02D9" "de\u02D9" "lin") << "1B is a dot accent";
  EXPECT_TRUE(has(other_readings(decode_text_string("Ber\x1B" "de\x1B" "lin")), "Berlin")) << "PDFDocEncoding too";
  EXPECT_TRUE(has(other_readings("Ber\x1B" "a-long-escape\x1B" "lin"), "Berlin")) << "any length";
  EXPECT_TRUE(has(other_readings("\x1B" "Berlin\x1B" " office"), " office"));
  EXPECT_TRUE(has(other_readings("Ber\x01lin"), "Berlin")) << "a control character read as nothing";
  EXPECT_TRUE(has(other_readings("Ber\u0085lin"), "Berlin")) << "a C1 one too";
  EXPECT_TRUE(has(other_readings(decode_text_string("Ber\x01lin")), "Berlin")) << "PDFDocEncoding leaves 01 undefined";
  EXPECT_TRUE(has(other_readings(decode_text_string("Ber\x7Flin")), "Berlin"));
}

TEST(TextString, OtherReadingsOfMarkupEscapesAndBase64) {
  auto has = [](const std::vector<std::string>& readings, const std::string& text) {
    return std::find(readings.begin(), readings.end(), text) != readings.end();
  };
  EXPECT_TRUE(has(other_readings("<p>Ber<span>lin</span></p>"), "Berlin"));
  EXPECT_TRUE(has(other_readings("<p>Ber<span>lin</span></p>"), " Ber lin  "));
  EXPECT_TRUE(has(other_readings("Ber&#108;in &amp; co"), "Berlin & co"));
  // A CDATA section is text as it stands, and parts no word (an XFA form's
  // field value: the fourth review's file).
  EXPECT_EQ(markup_text("<name><![CDATA[Kestrel]]></name>", " "), " Kestrel ");
  EXPECT_EQ(markup_text("<v>Kes<![CDATA[trel <b>]]></v>", ""), "Kestrel <b>");
  EXPECT_EQ(markup_text("<v><![CDATA[open", ""), "open");
  EXPECT_TRUE(has(other_readings("http://example.com/%42erlin"), "http://example.com/Berlin"));
  // Base64 of "bplist00 ... Comment Berlin Xi ...": the printable runs.
  const std::vector<std::string> b64 = other_readings("YnBsaXN0MDDUAQIDBAVDb21tZW50IEJlcmxpbiBYaQ==");
  ASSERT_EQ(b64.size(), 1u);
  EXPECT_NE(b64[0].find("Comment Berlin Xi"), std::string::npos) << b64[0];
  EXPECT_TRUE(other_readings("France").empty());
  EXPECT_TRUE(other_readings("short+b64=").empty());
}

TEST(TextString, UnicodeForms) {
  EXPECT_EQ(decode_text_string(std::string("\xFE\xFF\x00I\x00r\x00\xE2\x00q", 10)), "Ir\u00E2q");
  EXPECT_EQ(decode_text_string(std::string("\xFF\xFEI\x00r\x00", 6)), "Ir");  // UTF-16LE
  EXPECT_EQ(decode_text_string("\xEF\xBB\xBF" "Fran\xC3\xA7" "e"), "Fran\u00E7e");
  EXPECT_EQ(decode_text_string("\xEF\xBB\xBF" "a\xC3"), "a\uFFFD");  // cut short
  EXPECT_EQ(decode_text_string(std::string("\xFE\xFF\xD8\x00", 4)), "\uFFFD");  // lone surrogate
}

// A byte-order mark before bytes that are no UTF-16 text: a reader of the
// file's bytes still reads the rest (a hostile review's "\xFE\xFF Kestrel ").
TEST(TextString, BytesAfterAByteOrderMarkAreReadToo) {
  EXPECT_EQ(after_byte_order_mark("\xFE\xFF Kestrel "), " Kestrel ");   // odd: no UTF-16
  EXPECT_EQ(after_byte_order_mark("\xFE\xFF  Kestrel "), "  Kestrel ");  // printable bytes only
  EXPECT_EQ(after_byte_order_mark("\xFF\xFE" "Caf\xE9!"), "Caf\u00E9!");  // odd
  EXPECT_EQ(after_byte_order_mark("Kestrel"), "");
  // Real UTF-16 text is not read as bytes: a Japanese title (pdf.js's
  // issue16176) read so is noise in which the cost pattern found "\u00A30".
  EXPECT_EQ(after_byte_order_mark(std::string("\xFE\xFF\x30\xED\x30\xFC\x30\xAB\x30\xEB", 10)), "");
  EXPECT_EQ(after_byte_order_mark(std::string("\xFE\xFF\x00K\x00e", 6)), "");
  const std::vector<std::string> readings = comment_readings("\xFE\xFF Kestrel ");
  EXPECT_NE(std::find(readings.begin(), readings.end(), " Kestrel "), readings.end());
}

TEST(TextString, OnlyKeysThatCarryTextAreText) {
  EXPECT_FALSE(carries_text("Lang", "en-US"));
  EXPECT_FALSE(carries_text("Lang", "cy"));
  EXPECT_TRUE(carries_text("Lang", "France"));  // no language tag: text a hostile file hid
  EXPECT_TRUE(carries_text("S", "Germany"));
  // A CIDFont's character collection is a code, not the country it names.
  EXPECT_TRUE(names_a_character_collection("Japan1"));
  EXPECT_TRUE(names_a_character_collection("Korea1"));
  EXPECT_TRUE(names_a_character_collection("Identity"));
  EXPECT_FALSE(names_a_character_collection("France"));  // no supplement number: text a hostile file hid
  EXPECT_FALSE(names_a_character_collection("Jane Doe 1"));
  EXPECT_FALSE(carries_text("ID"));
  EXPECT_FALSE(carries_text("FontFamily"));
  EXPECT_TRUE(carries_text("ActualText"));
  EXPECT_TRUE(carries_text("Title"));
  EXPECT_TRUE(carries_text("SomethingAHostileFileMadeUp"));
}

// From a hostile review: a field's value "J a n e  D o e", with no
// appearance, was published (pdftotext draws it again as "Jane Doe").
TEST(TextString, LettersSpreadOutAreReadJoined) {
  auto has = [](const std::vector<std::string>& readings, const std::string& text) {
    return std::find(readings.begin(), readings.end(), text) != readings.end();
  };
  EXPECT_TRUE(has(other_readings("J a n e  D o e wrote this"), "Jane Doe wrote this"));
  EXPECT_TRUE(has(other_readings("J.a.n.e D.o.e"), "Jane Doe"));
  EXPECT_TRUE(has(other_readings("F-r-a-n-c-e"), "France"));
  EXPECT_TRUE(has(other_readings("C \xC3\xB4 t e"), "C\xC3\xB4te")) << "a letter of two bytes is one letter";
  // Words of their own stay apart.
  EXPECT_FALSE(has(other_readings("I have a cat"), "I havea cat"));
  EXPECT_TRUE(other_readings("Jane Doe wrote this").empty());
}

}  // namespace
}  // namespace redact::pdf
