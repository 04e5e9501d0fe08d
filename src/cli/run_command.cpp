#include "cli/run_command.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "apply/redactor.h"
#include "audit/audit_log.h"
#include "cli/command_line.h"
#include "cli/inputs.h"
#include "cli/matching_options.h"
#include "core/diagnostics.h"
#include "core/hash.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact run INPUT... -o OUT [--patterns P | --no-patterns] [--term PHRASE]...\n"
    "                  [--terms-file F] [--term-exemption E]... [--keep PHRASE]...\n"
    "                  [--keep-file F] [--audit FILE] [--audit-key FILE] [--no-label] [--dry-run]\n"
    "                  [--password-file F]\n"
    "\n"
    "Redacts each PDF (folders are searched for *.pdf): the matched glyphs are\n"
    "removed from the content streams (pages, forms, annotation appearances), a\n"
    "black box labelled with the exemption is painted where they were, image\n"
    "pixels under it are blacked out, strings holding a match are cut, signatures,\n"
    "metadata, JavaScript, embedded files and thumbnails are dropped, unreachable\n"
    "objects are swept, and the result is read again to verify it before it is\n"
    "kept. A file argument goes to OUT/<its name>; a folder's PDFs keep their\n"
    "paths under OUT. Inputs are never modified.\n"
    "A damaged file is repaired and an encrypted one decrypted (libqpdf) first;\n"
    "the audit log says so, and outputs are never encrypted.\n"
    "\n"
    "A document is held for review, and not written, when redact cannot be sure:\n"
    "a scanned page, glyphs no reader can decode, an image under a region it\n"
    "cannot repaint, a damaged file readers rebuild differently, or an output\n"
    "that fails verification or `redact check` (the README lists every reason).\n"
    "\n"
    "Exit status: 0 every document written (redacted or clean), 1 some held for\n"
    "review, 2 usage or configuration error, 3 some could not be read.\n";

struct Job {
  std::string input;
  std::string output;
};

// Removes the temporary files (".redact-tmp") that an earlier run, killed
// while it wrote, left in the folders this run writes to: each is an
// unverified output. Each folder is listed once.
void remove_stale_temporaries(const std::vector<Job>& jobs) {
  std::set<fs::path> folders;
  for (const Job& job : jobs) folders.insert(fs::path(job.output).parent_path());
  for (const fs::path& folder : folders) {
    std::error_code ec;
    for (fs::directory_iterator it(folder.empty() ? fs::path(".") : folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().filename().string().ends_with(".redact-tmp")) fs::remove(it->path(), ec);
    }
  }
}

std::string now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

// Files as given; folders searched recursively, in a stable order.
std::vector<Job> plan_jobs(const std::vector<std::string>& inputs, const fs::path& out) {
  std::vector<Job> jobs;
  for (const Input& input : find_pdfs(inputs)) jobs.push_back({input.path, (out / input.relative).string()});
  return jobs;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

int run_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("run", kUsage);
  command.options().add_options()("output,o", po::value<std::string>(), "output folder (required)")(
      "audit", po::value<std::string>(), "audit log (default: OUT/audit.jsonl)")(
      "audit-key", po::value<std::string>(), "file holding a secret: redaction records get text_hmac")(
      "no-label", "do not label the boxes with their exemptions")(
      "dry-run", "decide and report everything, write nothing (no outputs, no audit log)");
  add_matching_options(command.options());
  command.add_password();
  if (auto status = command.parse(args, console)) return *status;
  const po::variables_map& vm = command.values();
  const auto inputs = command.positionals();
  if (inputs.empty()) return command.usage_error(console, "give at least one PDF or folder");
  if (!vm.count("output")) return command.usage_error(console, "give the output folder with -o OUT");
  const fs::path out = vm["output"].as<std::string>();
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::equivalent(input, out, ec)) return command.usage_error(console, "the output folder is an input");
  }
  const bool dry_run = vm.count("dry-run") > 0;

  std::unique_ptr<match::Matcher> matcher;
  MatchingConfig config;
  std::string key;
  try {
    config = matching_config(vm);
    matcher = std::make_unique<match::Matcher>(config.patterns, config.matcher);
    if (vm.count("audit-key")) {
      key = read_bytes(vm["audit-key"].as<std::string>());
      if (key.empty()) throw Error(ErrorKind::usage, Location(vm["audit-key"].as<std::string>()), "the audit key file is empty or unreadable");
    }
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }

  const std::vector<Job> jobs = plan_jobs(inputs, out);
  const std::string audit_path = vm.count("audit") ? vm["audit"].as<std::string>() : (out / "audit.jsonl").string();
  std::unique_ptr<audit::AuditLog> log;
  try {
    if (!dry_run) {
      fs::create_directories(out);
      remove_stale_temporaries(jobs);
      if (fs::path(audit_path).has_parent_path()) fs::create_directories(fs::path(audit_path).parent_path());
      log = std::make_unique<audit::AuditLog>(audit_path);
      log->append({{"type", "run"},
                   {"version", REDACT_VERSION},
                   {"patterns", config.patterns.patterns.empty() ? "" : config.patterns.patterns.front().file},
                   {"patterns_sha256", config.patterns.sha256},
                   {"options",
                    {{"labels", !vm.count("no-label")},
                     {"terms", config.matcher.terms.size()},
                     {"term_exemptions", config.matcher.term_exemptions},
                     {"keep", config.matcher.keep},
                     {"text_hmac", !key.empty()}}},
                   {"started", now_iso8601()}});
    }
  } catch (const std::exception& e) {
    console.error(std::string("cannot start the audit log: ") + e.what());
    return kExitUsage;
  }

  apply::RedactOptions options;
  options.labels = !vm.count("no-label");
  options.dry_run = dry_run;
  options.password = command.password();
  options.producer = std::string("redact ") + REDACT_VERSION;
  std::map<apply::Status, int> by_status;
  std::map<std::string, int> by_category, by_exemption;
  for (const Job& job : jobs) {
    apply::Outcome outcome = apply::redact_document(job.input, job.output, *matcher, options);
    ++by_status[outcome.status];
    const bool written = !dry_run && (outcome.status == apply::Status::redacted || outcome.status == apply::Status::clean);
    const nlohmann::json output = written ? nlohmann::json(job.output) : nlohmann::json(nullptr);
    for (const apply::Region& region : outcome.regions) {
      const match::Pattern& pattern = matcher->patterns()[region.pattern];
      ++by_category[pattern.category];
      for (const std::string& e : pattern.exemptions) ++by_exemption[e];
      if (!log) continue;
      nlohmann::json record = {{"type", "redaction"},
                               {"document", job.input},
                               {"output", output},
                               {"page", region.page},
                               {"box", {round2(region.box.x0), round2(region.box.y0), round2(region.box.x1),
                                        round2(region.box.y1)}},
                               {"category", pattern.category},
                               {"pattern", pattern.id},
                               {"exemptions", pattern.exemptions},
                               {"chars", region.chars}};
      if (!key.empty()) record["text_hmac"] = hmac_sha256_hex(key, region.withheld);
      log->append(std::move(record));
    }
    for (const apply::StringChange& change : outcome.string_changes) {
      const match::Pattern& pattern = matcher->patterns()[change.pattern];
      ++by_category[pattern.category];
      for (const std::string& e : pattern.exemptions) ++by_exemption[e];
      if (!log) continue;
      log->append({{"type", "string"},
                   {"document", job.input},
                   {"output", output},
                   {"object", change.object},
                   {"key", change.key},
                   {"action", change.action},
                   {"category", pattern.category},
                   {"pattern", pattern.id},
                   {"exemptions", pattern.exemptions}});
    }
    for (const std::string& field : outcome.signatures_removed) {
      if (!log) break;
      log->append({{"type", "signature"},
                   {"document", job.input},
                   {"output", output},
                   {"object", field},
                   {"action", "removed"},
                   {"why", outcome.regions.empty() && outcome.string_changes.empty()
                               ? "its strings hold withheld text"
                               : "the document was redacted: what was signed is no longer there"}});
    }
    if (log) {
      log->append({{"type", "document"},
                   {"document", job.input},
                   {"output", output},
                   {"status", apply::to_string(outcome.status)},
                   {"reason", outcome.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(outcome.reason)},
                   {"pages", outcome.pages},
                   {"redactions", outcome.regions.size()},
                   {"strings_changed", outcome.string_changes.size()},
                   {"signatures_removed", outcome.signatures_removed.size()},
                   {"input_sha256", sha256_hex(read_bytes(job.input))},
                   {"input_notes", outcome.input_notes},
                   {"output_sha256", outcome.output_sha256.empty() ? nlohmann::json(nullptr) : nlohmann::json(outcome.output_sha256)}});
    }
    std::string line = std::string(apply::to_string(outcome.status)) + ": " + job.input;
    if (written) {
      line += " -> " + job.output + " (" + std::to_string(outcome.regions.size()) + " redactions";
      if (!outcome.string_changes.empty()) line += ", " + std::to_string(outcome.string_changes.size()) + " strings edited";
      if (!outcome.signatures_removed.empty()) line += ", " + std::to_string(outcome.signatures_removed.size()) + " signatures removed";
      line += ")";
    }
    if (!outcome.reason.empty()) line += ": " + outcome.reason;
    for (const std::string& note : outcome.input_notes) line += "\n  the input was " + note;
    console.out(line + "\n");
  }

  std::ostringstream summary;
  summary << "\n" << jobs.size() << " documents: " << by_status[apply::Status::redacted] << " redacted, "
          << by_status[apply::Status::clean] << " clean, " << by_status[apply::Status::needs_review]
          << " needing review, " << by_status[apply::Status::failed] << " failed" << (dry_run ? " (dry run: nothing written)" : "") << "\n";
  for (const auto& [category, n] : by_category) summary << "  " << category << ": " << n << "\n";
  for (const auto& [exemption, n] : by_exemption) summary << "  under " << exemption << ": " << n << "\n";
  if (log) summary << "audit log: " << log->path() << " (head " << log->head() << ")\n";
  console.out(summary.str());
  if (by_status[apply::Status::failed] > 0) return kExitFailed;
  if (by_status[apply::Status::needs_review] > 0) return kExitFound;
  return kExitOk;
}

}  // namespace redact::cli
