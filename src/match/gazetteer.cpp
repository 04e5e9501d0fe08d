#include "match/gazetteer.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <set>

namespace redact::match {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

void add_with_variants(std::set<std::string>& names, std::string name) {
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.empty()) return;
  names.insert(name);
  std::string variant = name;
  replace_all(variant, " & ", " and ");
  replace_all(variant, "St. ", "Saint ");
  names.insert(variant);
}

}  // namespace

std::vector<std::string> iso3166_names() {
  std::set<std::string> names;
  for (const char* const* code = icu::Locale::getISOCountries(); *code; ++code) {
    icu::UnicodeString display;
    icu::Locale("", *code).getDisplayCountry(icu::Locale::getEnglish(), display);
    std::string name;
    display.toUTF8String(name);
    if (name.empty() || name == *code) continue;  // ICU has no English name for it
    add_with_variants(names, name);
    // "Myanmar (Burma)", "Congo - Kinshasa", "Hong Kong SAR China"
    if (auto open = name.find(" ("); open != std::string::npos) {
      add_with_variants(names, name.substr(0, open));
      auto close = name.find(')', open);
      if (close != std::string::npos) add_with_variants(names, name.substr(open + 2, close - open - 2));
    }
    if (auto dash = name.find(" - "); dash != std::string::npos) add_with_variants(names, name.substr(0, dash));
    if (auto sar = name.find(" SAR "); sar != std::string::npos) add_with_variants(names, name.substr(0, sar));
  }
  return {names.begin(), names.end()};
}

}  // namespace redact::match
