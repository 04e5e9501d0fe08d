#include "cli/matching_options.h"

#include <cstdlib>
#include <fstream>

#include "core/diagnostics.h"
#include "normalize/normalizer.h"

namespace po = boost::program_options;

namespace redact::cli {
namespace {

// One phrase per line; blank lines and lines starting with '#' are skipped.
std::vector<std::string> read_phrases(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::usage, Location(path), "cannot read this list of phrases");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    out.push_back(line.substr(first));
  }
  return out;
}

template <typename T>
T value_or(const po::variables_map& vm, const char* key, T fallback) {
  return vm.count(key) ? vm[key].as<T>() : fallback;
}

}  // namespace

std::string default_patterns_path() {
  if (const char* env = std::getenv("REDACT_PATTERNS"); env && *env) return env;
  return REDACT_SOURCE_DIR "/patterns/uk-foi.toml";
}

void add_matching_options(po::options_description& options) {
  using strings = std::vector<std::string>;
  options.add_options()
      ("patterns", po::value<std::string>(), "pattern file (default: $REDACT_PATTERNS or the shipped patterns/uk-foi.toml)")
      ("no-patterns", "use no pattern file: only --term phrases are matched")
      ("term", po::value<strings>()->composing(), "also redact this literal phrase (repeatable)")
      ("terms-file", po::value<strings>()->composing(), "also redact the phrases in this file, one a line")
      ("term-exemption", po::value<strings>()->composing(), "exemption for --term phrases, e.g. s40(2) (repeatable; required with terms)")
      ("keep", po::value<strings>()->composing(), "never redact this phrase, e.g. \"49 officers\" (repeatable)")
      ("keep-file", po::value<strings>()->composing(), "never redact the phrases in this file, one a line");
}

MatchingConfig matching_config(const po::variables_map& vm, bool may_match_nothing) {
  using strings = std::vector<std::string>;
  MatchingConfig config;
  if (vm.count("no-patterns") && vm.count("patterns")) {
    throw Error(ErrorKind::usage, Location(), "--no-patterns and --patterns cannot go together");
  }
  if (!vm.count("no-patterns")) {
    config.patterns = match::load_pattern_set(value_or<std::string>(vm, "patterns", default_patterns_path()));
  }
  // A phrase with nothing to match once normalized (white space, a sign
  // read as nothing: "™") would match nothing, silently.
  const auto matchable = [](const std::string& phrase, const std::string& from) {
    if (normalize::normalized(phrase).find_first_not_of(" \t\n\r\f\v") == std::string::npos) {
      throw Error(ErrorKind::usage, Location(), from + " '" + phrase + "' has nothing to match once normalized");
    }
  };
  config.matcher.terms = value_or<strings>(vm, "term", {});
  for (const std::string& phrase : config.matcher.terms) matchable(phrase, "--term");
  for (const std::string& file : value_or<strings>(vm, "terms-file", {})) {
    for (std::string& phrase : read_phrases(file)) {
      matchable(phrase, "--terms-file " + file + ": the phrase");
      config.matcher.terms.push_back(std::move(phrase));
    }
  }
  config.matcher.term_exemptions = value_or<strings>(vm, "term-exemption", {});
  for (const std::string& e : config.matcher.term_exemptions) {
    if (!match::is_exemption(e)) throw Error(ErrorKind::usage, Location(), "--term-exemption '" + e + "' is not an exemption such as s40(2)");
  }
  if (!config.matcher.terms.empty() && config.matcher.term_exemptions.empty()) {
    throw Error(ErrorKind::usage, Location(), "--term and --terms-file need --term-exemption: every redaction names its exemption");
  }
  if (vm.count("no-patterns") && config.matcher.terms.empty() && !may_match_nothing) {
    throw Error(ErrorKind::usage, Location(), "--no-patterns needs --term or --terms-file: there would be nothing to match");
  }
  config.matcher.keep = value_or<strings>(vm, "keep", {});
  for (const std::string& file : value_or<strings>(vm, "keep-file", {})) {
    for (std::string& phrase : read_phrases(file)) config.matcher.keep.push_back(std::move(phrase));
  }
  return config;
}

}  // namespace redact::cli
