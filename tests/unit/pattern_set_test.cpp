#include "match/pattern_set.h"

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "unit/test_pdf.h"

namespace redact::match {
namespace {

const char* kGood = R"toml(version = 1
categories = ["cost"]
[keep]
phrases = ["49 officers"]
[[pattern]]
id = "cost.gbp"
category = "cost"
exemptions = ["s31(1)(a)", "s27(1)(c)"]
description = "pounds"
regex = '£\d+'
priority = 3
match = ["£5"]
no_match = ["5"]
)toml";

std::string load_error(const std::string& toml) {
  try {
    load_pattern_set(test::write_temp("p.toml", toml));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    return e.what();
  }
  ADD_FAILURE() << "loaded";
  return "";
}

TEST(PatternSet, LoadsAWellFormedFile) {
  PatternSet set = load_pattern_set(test::write_temp("p.toml", kGood));
  ASSERT_EQ(set.patterns.size(), 1u);
  const Pattern& p = set.patterns[0];
  EXPECT_EQ(p.id, "cost.gbp");
  EXPECT_EQ(p.exemptions, (std::vector<std::string>{"s31(1)(a)", "s27(1)(c)"}));
  EXPECT_EQ(p.priority, 3);
  EXPECT_EQ(p.line, 5);
  ASSERT_EQ(p.must_match.size(), 1u);
  EXPECT_EQ(p.must_match[0].line, 12);
  EXPECT_EQ(set.keep, (std::vector<std::string>{"49 officers"}));
  EXPECT_EQ(set.sha256.size(), 64u);
}

TEST(PatternSet, RegexErrorsNameFileLineAndPattern) {
  std::string toml = kGood;
  const std::string regex = "'£\\d+'";
  toml.replace(toml.find(regex), regex.size(), "'(£\\d+'");
  const std::string message = load_error(toml);
  EXPECT_NE(message.find("p.toml:10: pattern cost.gbp: regex: missing )"), std::string::npos) << message;
}

TEST(PatternSet, UnknownCategoryMissingExemptionDuplicateIdUnknownKey) {
  const std::string message = load_error(R"toml(version = 1
categories = ["cost"]
[[pattern]]
id = "a"
category = "money"
exemptions = []
description = "x"
regex = 'x'
[[pattern]]
id = "a"
category = "cost"
exemptions = ["section 27"]
description = "x"
regex = 'y'
colour = "red"
)toml");
  EXPECT_NE(message.find(":3: pattern a: unknown category 'money'"), std::string::npos) << message;
  EXPECT_NE(message.find(":3: pattern a: no exemption"), std::string::npos) << message;
  EXPECT_NE(message.find("'section 27' is not an exemption"), std::string::npos) << message;
  EXPECT_NE(message.find(":9: duplicate pattern id 'a'"), std::string::npos) << message;
  EXPECT_NE(message.find(":15: unknown key 'colour'"), std::string::npos) << message;
}

TEST(PatternSet, APlaceCategoryNeedsAPlaceGroupAndAnotherKnownCategory) {
  const std::string message = load_error(R"toml(version = 1
categories = ["country", "reason"]
[[pattern]]
id = "no-group"
category = "reason"
exemptions = ["s27(1)(a)"]
description = "x"
regex = 'sent (?P<m>to [a-z]+)'
place_category = "country"
[[pattern]]
id = "unknown"
category = "reason"
exemptions = ["s27(1)(a)"]
description = "x"
regex = 'sent (?P<place>\w+) (?P<m>to [a-z]+)'
place_category = "city"
[[pattern]]
id = "itself"
category = "country"
exemptions = ["s27(1)(a)"]
description = "x"
regex = 'sent (?P<place>\w+)'
place_category = "country"
)toml");
  EXPECT_NE(message.find(":3: pattern no-group: place_category needs a capture group (?P<place>"), std::string::npos) << message;
  EXPECT_NE(message.find(":10: pattern unknown: unknown place_category 'city'"), std::string::npos) << message;
  EXPECT_NE(message.find(":17: pattern itself: place_category must be another category"), std::string::npos) << message;
}

TEST(PatternSet, TomlSyntaxErrorsHaveALine) {
  const std::string message = load_error("version = 1\ncategories = [\"a\"\n[[pattern]]\n");
  EXPECT_NE(message.find("p.toml:"), std::string::npos) << message;
}

TEST(PatternSet, ExemptionForms) {
  EXPECT_TRUE(is_exemption("s27(1)(a)"));
  EXPECT_TRUE(is_exemption("s24(1)"));
  EXPECT_TRUE(is_exemption("s40(2)"));
  EXPECT_FALSE(is_exemption("27(1)"));
  EXPECT_FALSE(is_exemption("s27(1)(a) "));
}

}  // namespace
}  // namespace redact::match
