// The one PDF text-string decoder, against the spec's table.
#include "pdf/text_string.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(decode_text_string(std::string("a\x7F" "b\x9F" "c\xAD", 6)), "a\uFFFDb\uFFFDc\uFFFD");
  EXPECT_EQ(decode_text_string(std::string("\x01\tx", 3)), "\uFFFD\tx");
}

TEST(TextString, UnicodeForms) {
  EXPECT_EQ(decode_text_string(std::string("\xFE\xFF\x00I\x00r\x00\xE2\x00q", 10)), "Ir\u00E2q");
  EXPECT_EQ(decode_text_string(std::string("\xFF\xFEI\x00r\x00", 6)), "Ir");  // UTF-16LE
  EXPECT_EQ(decode_text_string("\xEF\xBB\xBF" "Fran\xC3\xA7" "e"), "Fran\u00E7e");
  EXPECT_EQ(decode_text_string("\xEF\xBB\xBF" "a\xC3"), "a\uFFFD");  // cut short
  EXPECT_EQ(decode_text_string(std::string("\xFE\xFF\xD8\x00", 4)), "\uFFFD");  // lone surrogate
}

TEST(TextString, OnlyKeysThatCarryTextAreText) {
  EXPECT_FALSE(carries_text("Lang", "en-US"));
  EXPECT_FALSE(carries_text("Lang", "cy"));
  EXPECT_TRUE(carries_text("Lang", "France"));  // no language tag: text a hostile file hid
  EXPECT_TRUE(carries_text("S", "Germany"));
  EXPECT_FALSE(carries_text("ID"));
  EXPECT_FALSE(carries_text("FontFamily"));
  EXPECT_TRUE(carries_text("ActualText"));
  EXPECT_TRUE(carries_text("Title"));
  EXPECT_TRUE(carries_text("SomethingAHostileFileMadeUp"));
}

}  // namespace
}  // namespace redact::pdf
