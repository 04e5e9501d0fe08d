#include "match/pattern_set.h"

#include <re2/re2.h>

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/diagnostics.h"
#include "core/hash.h"

namespace redact::match {
namespace {

class Loader {
 public:
  explicit Loader(std::string path) : path_(std::move(path)) {}

  void error(int line, const std::string& message) {
    errors_.push_back(path_ + ":" + std::to_string(line) + ": " + message);
  }
  static int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

  // A string array, or an error.
  std::vector<Example> strings(const toml::node* node, const std::string& what, int fallback_line) {
    std::vector<Example> out;
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) {
      error(line_of(*node), what + " must be an array of strings");
      return out;
    }
    for (const toml::node& item : *array) {
      if (auto s = item.value<std::string>()) out.push_back({*s, line_of(item) ? line_of(item) : fallback_line});
      else error(line_of(item), what + " must hold strings only");
    }
    return out;
  }

  std::string string_key(const toml::table& table, const char* key, int line, bool required) {
    const toml::node* node = table.get(key);
    if (!node) {
      if (required) error(line, std::string("missing '") + key + "'");
      return "";
    }
    if (auto s = node->value<std::string>()) return *s;
    error(line_of(*node), std::string("'") + key + "' must be a string");
    return "";
  }

  void check_regex(const std::string& regex, int line, const std::string& what, bool case_insensitive) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(!case_insensitive);
    RE2 re(regex, options);
    if (!re.ok()) error(line, what + ": " + re.error());  // RE2's error() quotes the offending part
  }

  Pattern pattern(const toml::table& table, const std::set<std::string>& categories) {
    static const std::set<std::string> known = {"id", "category", "exemptions", "description", "regex",
                                                "gazetteer", "aliases", "exclude", "case_insensitive",
                                                "priority", "reject_before", "reject_after", "reject_inside", "place_category",
                                                "match", "no_match"};
    Pattern p;
    p.file = path_;
    p.line = line_of(table);
    for (const auto& [key, value] : table) {
      if (!known.contains(std::string(key.str()))) error(line_of(value), "unknown key '" + std::string(key.str()) + "'");
    }
    p.id = string_key(table, "id", p.line, true);
    const std::string label = "pattern " + (p.id.empty() ? std::string("(no id)") : p.id);
    p.category = string_key(table, "category", p.line, true);
    if (!p.category.empty() && !categories.contains(p.category)) {
      error(p.line, label + ": unknown category '" + p.category + "' (not in 'categories')");
    }
    for (const Example& e : strings(table.get("exemptions"), label + ": 'exemptions'", p.line)) {
      if (!is_exemption(e.text)) error(e.line, label + ": '" + e.text + "' is not an exemption such as s27(1)(a)");
      p.exemptions.push_back(e.text);
    }
    if (p.exemptions.empty()) error(p.line, label + ": no exemption: every pattern must name the exemption(s) it falls under");
    p.description = string_key(table, "description", p.line, true);
    p.regex = string_key(table, "regex", p.line, false);
    p.gazetteer = string_key(table, "gazetteer", p.line, false);
    if (p.regex.empty() == p.gazetteer.empty()) error(p.line, label + ": give exactly one of 'regex' and 'gazetteer'");
    if (!p.gazetteer.empty() && p.gazetteer != "iso3166") {
      error(p.line, label + ": unknown gazetteer '" + p.gazetteer + "' (known: iso3166)");
    }
    for (const Example& e : strings(table.get("aliases"), label + ": 'aliases'", p.line)) p.aliases.push_back(e.text);
    for (const Example& e : strings(table.get("exclude"), label + ": 'exclude'", p.line)) p.exclude.push_back(e.text);
    if (p.gazetteer.empty() && (!p.aliases.empty() || !p.exclude.empty())) {
      error(p.line, label + ": 'aliases' and 'exclude' belong to gazetteer patterns");
    }
    if (const toml::node* ci = table.get("case_insensitive")) {
      if (auto b = ci->value<bool>()) p.case_insensitive = *b;
      else error(line_of(*ci), label + ": 'case_insensitive' must be true or false");
    }
    if (const toml::node* priority = table.get("priority")) {
      if (auto n = priority->value<int64_t>()) p.priority = static_cast<int>(*n);
      else error(line_of(*priority), label + ": 'priority' must be an integer");
    }
    p.reject_before = string_key(table, "reject_before", p.line, false);
    p.reject_after = string_key(table, "reject_after", p.line, false);
    p.reject_inside = string_key(table, "reject_inside", p.line, false);
    if (!p.regex.empty()) check_regex(p.regex, line_of(*table.get("regex")), label + ": regex", p.case_insensitive);
    if (!p.reject_before.empty()) check_regex(p.reject_before, line_of(*table.get("reject_before")), label + ": reject_before", false);
    if (!p.reject_after.empty()) check_regex(p.reject_after, line_of(*table.get("reject_after")), label + ": reject_after", false);
    if (!p.reject_inside.empty()) check_regex(p.reject_inside, line_of(*table.get("reject_inside")), label + ": reject_inside", false);
    p.place_category = string_key(table, "place_category", p.line, false);
    if (!p.place_category.empty()) {
      if (!categories.contains(p.place_category)) {
        error(p.line, label + ": unknown place_category '" + p.place_category + "' (not in 'categories')");
      } else if (p.place_category == p.category) {
        error(p.line, label + ": place_category must be another category than the pattern's own");
      }
      RE2 re(p.regex.empty() ? "x" : p.regex, RE2::Quiet);
      if (re.ok() && !re.NamedCapturingGroups().contains("place")) {
        error(p.line, label + ": place_category needs a capture group (?P<place>...) in the regex");
      }
    }
    p.must_match = strings(table.get("match"), label + ": 'match'", p.line);
    p.must_not_match = strings(table.get("no_match"), label + ": 'no_match'", p.line);
    return p;
  }

  PatternSet load() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw Error(ErrorKind::usage, Location(path_), "cannot read the pattern file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    PatternSet set;
    set.sha256 = sha256_hex(bytes);
    toml::table root;
    try {
      root = toml::parse(bytes, path_);
    } catch (const toml::parse_error& e) {
      throw Error(ErrorKind::usage, Location(path_ + ":" + std::to_string(e.source().begin.line)),
                  std::string(e.description()));
    }
    static const std::set<std::string> known = {"version", "categories", "keep", "pattern"};
    for (const auto& [key, value] : root) {
      if (!known.contains(std::string(key.str()))) error(line_of(value), "unknown key '" + std::string(key.str()) + "'");
    }
    if (root["version"].value<int64_t>() != 1) error(1, "'version = 1' is required");
    std::set<std::string> categories;
    for (const Example& e : strings(root.get("categories"), "'categories'", 1)) {
      set.categories.push_back(e.text);
      categories.insert(e.text);
    }
    if (categories.empty()) error(1, "'categories' must list at least one category");
    if (const toml::table* keep = root["keep"].as_table()) {
      for (const Example& e : strings(keep->get("phrases"), "'keep.phrases'", line_of(*keep))) set.keep.push_back(e.text);
    }
    const toml::array* patterns = root["pattern"].as_array();
    if (!patterns || patterns->empty()) error(1, "no [[pattern]] entries");
    std::set<std::string> ids;
    if (patterns) {
      for (const toml::node& node : *patterns) {
        const toml::table* table = node.as_table();
        if (!table) {
          error(line_of(node), "[[pattern]] must be a table");
          continue;
        }
        Pattern p = pattern(*table, categories);
        if (!p.id.empty() && !ids.insert(p.id).second) error(p.line, "duplicate pattern id '" + p.id + "'");
        set.patterns.push_back(std::move(p));
      }
    }
    if (!errors_.empty()) {
      std::string message = "the pattern set is broken; nothing runs with it:";
      for (const std::string& e : errors_) message += "\n  " + e;
      throw Error(ErrorKind::usage, Location(), message);
    }
    return set;
  }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

}  // namespace

bool is_exemption(const std::string& text) {
  static const RE2 re(R"(s\d+[A-Z]?(\(\d+[A-Z]?\))*(\([a-z]{1,4}\))*)");
  return RE2::FullMatch(text, re);
}

PatternSet load_pattern_set(const std::string& path) { return Loader(path).load(); }

}  // namespace redact::match
