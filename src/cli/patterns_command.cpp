#include "cli/patterns_command.h"

#include <boost/program_options.hpp>

#include <sstream>

#include "cli/command_line.h"
#include "cli/matching_options.h"
#include "core/diagnostics.h"
#include "core/text.h"
#include "match/matcher.h"
#include "normalize/normalizer.h"

namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr size_t kMinExamples = 5;

constexpr const char* kUsage =
    "Usage: redact patterns test [--patterns P]\n"
    "       redact patterns list [--patterns P]\n"
    "\n"
    "test: every pattern must match each of its `match` examples and none of its\n"
    "`no_match` examples, and have at least 5 of each. Each failure is printed as\n"
    "FILE:LINE: pattern ID: ...\n"
    "list: prints every pattern with its category, exemptions and description.\n"
    "\n"
    "Exit status: 0 all examples pass, 1 some fail, 2 usage error or broken set.\n";

int test(const match::PatternSet& set, Console& console) {
  match::Matcher matcher(set);
  size_t failures = 0, examples = 0;
  auto fail = [&](const std::string& where, const std::string& message) {
    console.out(where + ": " + message + "\n");
    ++failures;
  };
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    const match::Pattern& p = set.patterns[i];
    if (p.must_match.size() < kMinExamples || p.must_not_match.size() < kMinExamples) {
      fail(p.where(), "pattern " + p.id + ": has " + std::to_string(p.must_match.size()) + " match and " +
                          std::to_string(p.must_not_match.size()) + " no_match examples; at least 5 of each are needed");
    }
    for (const match::Example& e : p.must_match) {
      ++examples;
      if (matcher.find_with(i, normalize::normalized(e.text)).empty()) {
        fail(p.file + ":" + std::to_string(e.line), "pattern " + p.id + ": \"" + e.text + "\" did not match");
      }
    }
    for (const match::Example& e : p.must_not_match) {
      ++examples;
      const std::string text = normalize::normalized(e.text);
      auto found = matcher.find_with(i, text);
      if (!found.empty()) {
        fail(p.file + ":" + std::to_string(e.line), "pattern " + p.id + ": \"" + e.text + "\" matched \"" +
                                                        text.substr(found[0].begin, found[0].end - found[0].begin) +
                                                        "\" but must not");
      }
    }
  }
  console.out(std::to_string(set.patterns.size()) + " patterns, " + std::to_string(examples) + " examples, " +
              std::to_string(failures) + " failures\n");
  return failures == 0 ? kExitOk : kExitFound;
}

int list(const match::PatternSet& set, Console& console) {
  std::ostringstream out;
  out << "categories: " << join(set.categories, ", ") << "\n";
  if (!set.keep.empty()) out << "kept phrases: " << join(set.keep, ", ") << "\n";
  for (const match::Pattern& p : set.patterns) {
    out << "\n" << p.id << "  (" << p.where() << ")\n"
        << "  category:   " << p.category << "\n"
        << "  exemptions: " << join(p.exemptions, ", ") << "\n"
        << "  finds:      " << (p.gazetteer.empty() ? "regex " + p.regex : "gazetteer " + p.gazetteer) << "\n"
        << "  " << p.description << "\n";
  }
  console.out(out.str());
  return kExitOk;
}

}  // namespace

int patterns_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("patterns", kUsage);
  command.options().add_options()("patterns", po::value<std::string>(),
                                  "pattern file (default: $REDACT_PATTERNS or patterns/uk-foi.toml)");
  if (auto status = command.parse(args, console)) return *status;
  const auto positionals = command.positionals();
  const std::string action = positionals.size() == 1 ? positionals.front() : "";
  if (action != "test" && action != "list") return command.usage_error(console, "say 'test' or 'list'");
  const po::variables_map& vm = command.values();
  try {
    const std::string path = vm.count("patterns") ? vm["patterns"].as<std::string>() : default_patterns_path();
    match::PatternSet set = match::load_pattern_set(path);
    return action == "test" ? test(set, console) : list(set, console);
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }
}

}  // namespace redact::cli
