#include "cli/plan_command.h"

#include <boost/program_options.hpp>

#include <memory>
#include <new>

#include "apply/redactor.h"
#include "audit/audit_log.h"
#include "cli/command_line.h"
#include "cli/matching_options.h"
#include "core/diagnostics.h"
#include "plan/proposals.h"

namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact plan FILE... [--patterns P | --no-patterns] [--term T]...\n"
    "                   [--terms-file F] [--term-exemption E]... [--keep K]...\n"
    "                   [--keep-file F] [--audit-key FILE] [--password-file F]\n"
    "\n"
    "Prints the redaction plan of each PDF, one JSON line a document, without\n"
    "writing anything: every match `redact run` would withhold, as a proposal\n"
    "(named redact-proposal-N) with its page, its quads (one a line, page\n"
    "space), its label, category, pattern, rule, exemptions and length, and\n"
    "the glyphs it names ([stream, operation, operation offset, string,\n"
    "byte, length], as redact reads the file); never the withheld text. Each\n"
    "line names the SHA-256 of the file it was made for (input_sha256), the\n"
    "redact that read it (tool) and the matching flags (matcher_sha256); with\n"
    "--audit-key it carries its HMAC.\n"
    "\n"
    "`redact apply --plan PLAN FILE... -o OUT` applies each file's plan as it\n"
    "stands, with the matching flags it was made with: the glyphs it names\n"
    "and those its quads cover are removed. A script may add proposals (quads\n"
    "over other text); a proposal it deletes leaves its text, which the gate\n"
    "holds (a reviewer's deletion belongs in `mark` + `apply`, on the\n"
    "record). A file no plan was made for, a plan read otherwise, a named\n"
    "glyph none of its proposal's quads covers, or a quad far off the page is\n"
    "held. A plan applied with no edits writes the bytes `redact run` writes.\n"
    "\n"
    "A document `run` would hold for review or fail is said on stderr and\n"
    "has no plan line.\n"
    "\n"
    "Exit status: 0 every document planned, 1 one held for review, 2 usage,\n"
    "3 one could not be read.\n";

}  // namespace

int plan_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("plan", kUsage);
  command.options().add_options()("audit-key", po::value<std::string>(),
                                  "file holding the team's secret: each plan carries its HMAC under it");
  add_matching_options(command.options());
  command.add_password();
  if (auto status = command.parse(args, console)) return *status;
  const po::variables_map& vm = command.values();
  const auto files = command.positionals();
  if (files.empty()) return command.usage_error(console, "give at least one PDF");
  std::unique_ptr<match::Matcher> matcher;
  MatchingConfig config;
  std::string key;
  try {
    config = matching_config(vm);
    matcher = std::make_unique<match::Matcher>(config.patterns, config.matcher);
    if (vm.count("audit-key")) key = audit::read_key(vm["audit-key"].as<std::string>());
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }
  apply::RedactOptions options;
  options.mode = apply::Mode::mark;  // holds as `mark` does, and names the proposals
  options.dry_run = true;
  options.password = command.password();
  options.producer = std::string("redact ") + REDACT_VERSION;

  bool held = false, failed = false;
  for (const std::string& file : files) {
    const apply::Outcome outcome = apply::redact_document(file, "", *matcher, options);
    if (outcome.status != apply::Status::marked) {
      console.error(file + ": " + apply::to_string(outcome.status) + ": " + outcome.reason);
      (outcome.status == apply::Status::failed ? failed : held) = true;
      continue;
    }
    std::vector<apply::Region> regions = outcome.regions;
    plan::Proposals plan = plan::proposals_of(regions);
    plan.patterns_sha256 = config.patterns.sha256;
    plan.input_sha256 = outcome.input_sha256;
    plan.tool = options.producer;
    plan.matcher_sha256 = matcher->fingerprint();
    console.out(plan::to_json(plan, key) + "\n");
  }
  if (failed) return kExitFailed;
  return held ? kExitFound : kExitOk;
}

}  // namespace redact::cli
