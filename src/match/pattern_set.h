// Pattern files: what to find, under which exemptions, with examples that
// must and must not match. Data, in TOML (patterns/uk-foi.toml is the set
// shipped for a UK public body; its comments document the format).
//
// `load_pattern_set` validates everything before anything runs: a TOML
// error, an unknown key or category, a pattern without exemptions, a
// duplicate id or an RE2 error is reported as "file:line: message", all of
// them at once, in one redact::Error of kind `usage`.
#pragma once

#include <string>
#include <vector>

namespace redact::match {

struct Example {
  std::string text;
  int line = 0;
};

struct Pattern {
  std::string id;
  std::string category;
  std::vector<std::string> exemptions;  // e.g. "s27(1)(a)"
  std::string description;
  std::string regex;              // RE2 syntax, run on normalized text; empty for a gazetteer
  std::string gazetteer;          // "iso3166" or empty
  std::vector<std::string> aliases;  // gazetteer: more names
  std::vector<std::string> exclude;  // gazetteer: names left to other patterns
  bool case_insensitive = false;
  int priority = 0;
  std::string reject_before;  // RE2 on the normalized text before a match
  std::string reject_after;   // RE2 on the normalized text after it
  std::string reject_inside;  // RE2 on the match's own span
  // When set, a match whose capture group `place` took part stands only if
  // a match of this category (keep phrases applied) lies inside that group:
  // a deployment's purpose is withheld only after a foreign destination.
  std::string place_category;
  std::vector<Example> must_match;
  std::vector<Example> must_not_match;
  std::string file;
  int line = 0;

  // "patterns/uk-foi.toml:12"
  std::string where() const { return file + ":" + std::to_string(line); }
};

struct PatternSet {
  std::vector<std::string> categories;
  std::vector<std::string> keep;  // phrases never redacted
  std::vector<Pattern> patterns;
  std::string sha256;             // of the file's bytes, for the audit log
};

PatternSet load_pattern_set(const std::string& path);

// True for exemption references such as s27(1)(a), s24(1), s40(2).
bool is_exemption(const std::string& text);

}  // namespace redact::match
