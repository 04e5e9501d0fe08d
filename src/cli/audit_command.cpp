#include "cli/audit_command.h"

#include <filesystem>
#include <algorithm>
#include <optional>
#include <set>
#include <thread>

#include "apply/marked_copy.h"
#include "audit/audit_log.h"
#include "audit/report.h"
#include "audit/review.h"
#include "cli/command_line.h"
#include "core/diagnostics.h"
#include "core/signature.h"
#include "core/text.h"

namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact audit verify LOG... [--key FILE] [--public-key PUB.pem] [--no-outputs]\n"
    "       redact audit summary LOG... [--format text|json|csv] [--key FILE] [--public-key PUB.pem]\n"
    "       redact audit schedule LOG... [--format csv|md] [--key FILE] [--public-key PUB.pem]\n"
    "       redact audit report LOG... -o REPORT.html [--dpi N] [--timeout S] [--key FILE] [--public-key PUB.pem]\n"
    "       redact audit marked-copy LOG... -o DIR [--password-file F] [--key FILE] [--public-key PUB.pem]\n"
    "       redact audit confirm LOG... --key FILE --document D --page N --text TEXT\n"
    "       redact audit merge LOG... -o MERGED [--key FILE] [--public-key PUB.pem] [--sign KEY.pem]\n"
    "\n"
    "Every command first verifies each log as `verify` does, and refuses one\n"
    "that does not verify.\n"
    "\n"
    "verify: checks that every line is a record of its type, written as redact\n"
    "writes it, and linked to the line before (\"prev\", its SHA-256), and\n"
    "prints the chain's head. In a log written with --audit-key every line also\n"
    "carries its HMAC-SHA256 under that key (\"mac\"): give the key with --key,\n"
    "and a line edited by someone without it fails, the last line too. A log\n"
    "written with --audit-sign ends with a seal, an Ed25519 signature of every\n"
    "byte before it: with --public-key the log must end with a seal made by that\n"
    "key, and then a keyed log verifies without its key. A log cut short after\n"
    "a line or a seal still verifies: compare the head with the one printed when\n"
    "the log was written. Each output the log records that is present (paths as\n"
    "recorded, from the current folder) must still have the SHA-256 recorded;\n"
    "--no-outputs skips that.\n"
    "\n"
    "summary: documents by status; withheld boxes and strings by exemption,\n"
    "category and pattern; held and failed documents with their reasons; each\n"
    "document's counts. A document run again (--resume) counts as its latest run.\n"
    "\n"
    "schedule: the schedule of redactions to attach to a refusal notice or send\n"
    "to the Information Commissioner: one row per redaction of each published\n"
    "document, in page order (top to bottom), with its page, box, exemptions,\n"
    "category and what decided it; then the document's edited strings.\n"
    "Documents held or failed published nothing and have no rows.\n"
    "\n"
    "report: one self-contained HTML file for a reviewer (no script, loads\n"
    "nothing from anywhere): the logs and their verification, a summary, the\n"
    "held and failed documents with their reasons, then for each published\n"
    "document every page that lost text, drawn from its output (which must\n"
    "still have its recorded SHA-256) with each box outlined and numbered as in\n"
    "the schedule (pointing at it shows its exemptions, category and what\n"
    "decided it), and the table of its redactions. Outputs are found by the paths\n"
    "recorded, from the current folder; one not found is named, not drawn.\n"
    "Pages are drawn in worker processes, one document's within --timeout\n"
    "seconds (default 120): a document past it is named and not drawn.\n"
    "\n"
    "marked-copy: for each published document, a copy of its original (the\n"
    "input as recorded, from the current folder, which must still have its\n"
    "recorded SHA-256) in which every redaction is outlined and led to its label\n"
    "(exemptions, category) in a column added beside the page, its text still\n"
    "readable, every page stamped NOT FOR PUBLICATION, written to DIR/<its\n"
    "output's path under the log's folder>.marked.pdf; DIR must be apart from\n"
    "the published outputs. For internal review and the Commissioner only.\n"
    "\n"
    "confirm: whether a box on page N of document D (its input or output name)\n"
    "hid TEXT: the text is normalized as redact normalizes withheld text and its\n"
    "HMAC under the key compared with each redaction's text_hmac (written by\n"
    "`run --audit-key`). The log never holds the text.\n"
    "\n"
    "merge: joins the logs of the shards of one batch (redact run --shard K/N)\n"
    "into one chain: a merge record naming each log with its head, then each\n"
    "log's records in the order given. Every log must verify, their runs must\n"
    "have the same settings, and no document may be in two of them. Logs\n"
    "written under a key need --key (the merged log is written under it too),\n"
    "sealed logs need --public-key; --sign seals the merged log.\n"
    "\n"
    "Exit status: 0 the logs verify (merged; confirm: yes), 1 a log does not\n"
    "verify or an output changed (the first line where it breaks is named;\n"
    "confirm: no), 2 usage error (merge: a log that does not belong; confirm:\n"
    "a log that does not verify, a document the logs do not name), 3 a file\n"
    "cannot be read or written.\n";

std::optional<audit::Format> parse_format(const std::string& text) {
  if (text == "text") return audit::Format::text;
  if (text == "json") return audit::Format::json;
  if (text == "csv") return audit::Format::csv;
  if (text == "md") return audit::Format::md;
  return std::nullopt;
}

int exit_for(const Error& e) { return e.kind() == ErrorKind::usage ? kExitUsage : kExitFailed; }

// `audit marked-copy`: the marked copy of each published document of the
// logs, from its original, planned whole (names, originals) before any is
// written.
int marked_copies(const std::vector<audit::ReadLog>& logs, const std::string& dir, const std::string& password,
                  Console& console) {
  namespace fs = std::filesystem;
  struct Copy {
    apply::MarkedCopyRequest request;
    std::string path;
  };
  std::vector<Copy> copies;
  std::set<std::string> paths, recorded;
  // Kept apart from every folder of published outputs and from the folder
  // that holds them all.
  std::vector<std::string> keep_apart;
  std::optional<fs::path> root;
  // Each document as the logs last recorded it (a document run again is
  // marked once, from its latest run), beside the log that recorded it.
  for (const audit::DocumentOutcome& d : audit::documents_of(logs)) {
    const std::string log_folder = fs::path(d.log->path).parent_path().string();
    std::error_code ec;
    const fs::path log_home = fs::weakly_canonical(log_folder.empty() ? "." : log_folder, ec);
    recorded.insert(d.document.document);
    if (!d.document.output) continue;  // held or failed: nothing published, nothing to mark
    recorded.insert(*d.document.output);
    const fs::path folder = fs::weakly_canonical(fs::path(*d.document.output).parent_path(), ec);
    keep_apart.push_back(folder.string());
    // The log kept in the output folder (OUT/audit.jsonl): all of OUT is published.
    if (!apply::apart(folder.string(), log_home.string())) keep_apart.push_back(log_home.string());
    if (!root) {
      root = folder;
    } else {  // the longest path both start with
      fs::path common;
      for (auto a = root->begin(), b = folder.begin(); a != root->end() && b != folder.end() && *a == *b; ++a, ++b) {
        common /= *a;
      }
      root = common;
    }
    if (!d.document.input_sha256) {
      console.error(printable(d.document.document) + ": the log holds no SHA-256 of its input, so no original can be "
                    "shown to be the one redacted");
      return kExitUsage;
    }
    Copy copy{{d.document.document, password, *d.document.input_sha256, {}, {}, {}},
              apply::marked_copy_path(*d.document.output, log_folder, dir)};
    for (const audit::RedactionRecord& r : d.redactions) {
      copy.request.boxes.push_back(
          {r.page, Rect{r.box[0], r.box[1], r.box[2], r.box[3]}, apply::marked_label(r.exemptions, r.category)});
    }
    for (const audit::StringRecord& r : d.strings) {
      copy.request.notes.push_back(apply::marked_string_note(r.key, r.object, r.action, r.exemptions, r.category));
    }
    if (!paths.insert(fs::path(copy.path).lexically_normal().string()).second) {
      console.error(printable(copy.path) + ": two documents would have this marked copy");
      return kExitUsage;
    }
    copies.push_back(std::move(copy));
  }
  if (root) keep_apart.push_back(root->string());
  for (const std::string& folder : keep_apart) {
    if (!apply::apart(dir, folder)) {
      console.error(printable(dir) + ": the marked copies' folder must be apart from the published outputs' folder " +
                    printable(folder) + ": they hold the withheld text");
      return kExitUsage;
    }
  }
  for (const Copy& copy : copies) {
    std::error_code ec;
    for (const std::string& other : recorded) {
      if (fs::exists(other, ec) && fs::equivalent(other, copy.path, ec)) {
        console.error(printable(copy.path) + ": is an input or an output the log records: not overwritten");
        return kExitUsage;
      }
    }
  }
  int failed = 0;
  for (Copy& copy : copies) {
    copy.request.keep_apart = keep_apart;
    try {
      apply::write_marked_copy(copy.request, copy.path);
      console.out("marked copy (not for publication): " + printable(copy.path) + " (" +
                  std::to_string(copy.request.boxes.size()) + " redactions outlined)\n");
    } catch (const Error& e) {
      console.error(e.what());
      ++failed;
    }
  }
  return failed ? kExitFailed : kExitOk;
}

}  // namespace

int audit_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("audit", kUsage);
  command.options().add_options()("output,o", po::value<std::string>(), "merged log (merge), HTML file (report), folder (marked-copy)")(
      "dpi", po::value<double>()->default_value(96), "report: resolution of the page pictures (36 to 300)")(
      "timeout", po::value<long long>()->default_value(120), "report: seconds to draw one document's pages (0: no limit)")(
      "key", po::value<std::string>(), "file holding the --audit-key the log was written with")(
      "public-key", po::value<std::string>(), "Ed25519 public key (PEM) the log's seal must verify with")(
      "sign", po::value<std::string>(), "Ed25519 private key (PEM) to seal the merged log with (merge)")(
      "no-outputs", "verify: do not check the outputs' SHA-256")(
      "format", po::value<std::string>(), "summary: text, json or csv; schedule: csv or md")(
      "document", po::value<std::string>(), "confirm: the document (input or output name)")(
      "page", po::value<int>(), "confirm: the page")(
      "text", po::value<std::string>(), "confirm: the text to test");
  command.add_password();
  if (auto status = command.parse(args, console)) return *status;
  const po::variables_map& vm = command.values();
  const auto positionals = command.positionals();
  if (positionals.empty()) {
    return command.usage_error(console, "say verify, summary, schedule, report, marked-copy, confirm or merge");
  }
  const std::string& verb = positionals[0];
  const std::vector<std::string> logs(positionals.begin() + 1, positionals.end());
  const std::set<std::string> verbs = {"verify", "summary", "schedule", "report", "marked-copy", "confirm", "merge"};
  if (!verbs.contains(verb)) {
    return command.usage_error(console, "say verify, summary, schedule, report, marked-copy, confirm or merge, not '" +
                                            verb + "'");
  }
  if (logs.empty()) return command.usage_error(console, "name at least one log after '" + verb + "'");

  audit::VerifyOptions options;
  // The report draws outputs: they must be the files recorded.
  options.check_outputs = (verb == "verify" && !vm.count("no-outputs")) || verb == "report";
  std::optional<Ed25519Key> public_key, signing;
  std::optional<audit::Format> format;
  try {
    if (vm.count("key")) options.key = audit::read_key(vm["key"].as<std::string>());
    if (vm.count("public-key")) public_key = Ed25519Key::load(vm["public-key"].as<std::string>(), false);
    if (vm.count("sign")) signing = Ed25519Key::load(vm["sign"].as<std::string>(), true);
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }
  if (public_key) options.public_key = &*public_key;
  if (verb == "summary" || verb == "schedule") {
    const std::string given = vm.count("format") ? vm["format"].as<std::string>() : verb == "summary" ? "text" : "csv";
    format = parse_format(given);
    const bool fits = format && (verb == "summary" ? *format != audit::Format::md : (*format == audit::Format::csv || *format == audit::Format::md));
    if (!fits) {
      return command.usage_error(console, verb == "summary" ? "--format takes text, json or csv" : "--format takes csv or md");
    }
  }

  if (verb == "merge") {
    if (!vm.count("output")) return command.usage_error(console, "give the merged log with -o MERGED");
    const std::string out = vm["output"].as<std::string>();
    try {
      const std::string head = audit::merge(logs, out, options, signing ? &*signing : nullptr);
      console.out(out + ": " + std::to_string(logs.size()) + " logs merged, head " + head + "\n");
      return kExitOk;
    } catch (const Error& e) {
      console.error(e.what());
      return exit_for(e);
    }
  }
  if (verb == "marked-copy" && !vm.count("output")) {
    return command.usage_error(console, "give the marked copies' folder with -o DIR");
  }
  if (verb == "report") {
    if (!vm.count("output")) return command.usage_error(console, "give the report's file with -o REPORT.html");
    const double dpi = vm["dpi"].as<double>();
    if (!(dpi >= 36 && dpi <= 300)) return command.usage_error(console, "--dpi takes 36 to 300");
    const long long timeout = vm["timeout"].as<long long>();
    if (timeout < 0 || timeout > 24 * 3600) return command.usage_error(console, "--timeout takes seconds, from 0 (no limit) to a day");
  }
  if (verb == "confirm") {
    if (options.key.empty() || !vm.count("document") || !vm.count("page") || !vm.count("text")) {
      return command.usage_error(console, "confirm needs --key FILE --document D --page N --text TEXT");
    }
  }

  // Every log verified first; records kept for what reads them.
  std::vector<audit::ReadLog> read;
  bool all_ok = true;
  for (const std::string& path : logs) {
    audit::ReadLog log{path, {}, {}};
    try {
      log.verified = audit::verify(path, options, verb == "verify" ? nullptr : &log.records);
    } catch (const Error& e) {
      console.error(e.what());
      return exit_for(e);
    }
    const audit::VerifyResult& v = log.verified;
    if (!v.ok) {
      console.out(printable(path) + ":" + std::to_string(v.first_bad_line) + ": " + printable(v.reason) + "\n");
      all_ok = false;
      continue;
    }
    if (verb == "verify") {
      std::string line = path + ": " + std::to_string(v.lines) + " records, " + audit::describe(v) + ", head " + v.head;
      if (options.check_outputs) {
        line += "\n  " + std::to_string(v.outputs_checked) + " outputs unchanged since the run";
        if (!v.outputs_missing.empty()) {
          line += ", " + std::to_string(v.outputs_missing.size()) + " not found from here (not checked):";
          for (const std::string& missing : v.outputs_missing) line += "\n    " + printable(missing);
        }
      }
      console.out(line + "\n");
    }
    read.push_back(std::move(log));
  }
  if (!all_ok) {
    // confirm cannot answer from a log it cannot trust: neither yes nor no.
    if (verb == "confirm") {
      console.error("cannot confirm anything from a log that does not verify (is --key the key it was written with?)");
      return kExitUsage;
    }
    return kExitFound;
  }
  if (verb == "verify") return kExitOk;
  if (verb == "summary") {
    console.out(audit::summary(read, *format));
    return kExitOk;
  }
  if (verb == "schedule") {
    console.out(audit::schedule(read, *format));
    return kExitOk;
  }
  if (verb == "report") {
    const std::string out = vm["output"].as<std::string>();
    audit::ReportOptions report;
    report.dpi = vm["dpi"].as<double>();
    report.timeout = static_cast<unsigned>(vm["timeout"].as<long long>());
    report.workers = std::max(1u, std::thread::hardware_concurrency());
    try {
      const audit::ReportStats stats = audit::write_report(read, out, report);
      for (const std::string& missing : stats.not_drawn) console.warning(printable(missing) + " (its pages are not drawn)");
      console.out(out + ": " + std::to_string(stats.documents) + " documents, " + std::to_string(stats.pages_drawn) +
                  " pages drawn\n");
      return kExitOk;
    } catch (const Error& e) {
      console.error(e.what());
      return exit_for(e);
    }
  }
  if (verb == "marked-copy") return marked_copies(read, vm["output"].as<std::string>(), command.password(), console);
  // confirm
  const std::string document = vm["document"].as<std::string>();
  const int page = vm["page"].as<int>();
  const audit::Confirmation answer = audit::confirm(read, options.key, document, page, vm["text"].as<std::string>());
  const std::string where = "page " + std::to_string(page) + " of " + printable(document);
  if (!answer.document_found) {
    console.error("the logs record no document " + printable(document) + " (name its input or its output as recorded)");
    return kExitUsage;
  }
  if (answer.hid.empty()) {
    console.out("no: none of the " + std::to_string(answer.on_page) + " redactions on " + where + " hid that text\n");
    return kExitFound;
  }
  for (const audit::RedactionRecord& r : answer.hid) {
    console.out("yes: " + where + ", box " + audit::box_text(r.box) + " (" + r.category + ", " + r.pattern + ") hid that text\n");
  }
  return kExitOk;
}

}  // namespace redact::cli
