#include "cli/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "apply/marked_copy.h"
#include "apply/redactor.h"
#include "audit/audit_log.h"
#include "batch/jobs.h"
#include "batch/progress.h"
#include "batch/workers.h"
#include "cli/command_line.h"
#include "cli/matching_options.h"
#include "core/diagnostics.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/signature.h"
#include "core/text.h"

#include <unicode/uvernum.h>

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact run INPUT... -o OUT [--patterns P | --no-patterns] [--term PHRASE]...\n"
    "                  [--terms-file F] [--term-exemption E]... [--keep PHRASE]...\n"
    "                  [--keep-file F] [--audit FILE] [--audit-key FILE] [--audit-sign KEY.pem]\n"
    "                  [--marked-copy DIR] [--no-label] [--dry-run]\n"
    "                  [--password-file F] [-j N] [--timeout SECONDS] [--shard K/N]\n"
    "                  [--progress auto|bar|plain|none] [--quiet] [--resume]\n"
    "\n"
    "Redacts each PDF (folders are searched for *.pdf): the matched glyphs are\n"
    "removed from the content streams (pages, forms, annotation appearances), a\n"
    "black box labelled with the exemption is painted where they were, image\n"
    "pixels under it are blacked out, strings holding a match are cut (and an\n"
    "annotation under a box loses all its own strings), signatures,\n"
    "metadata and thumbnails are dropped (and, on the record, an opening\n"
    "action that does more than open at a page, actions that run or send\n"
    "something: JavaScript, a launch, a form's submission, media, an XFA\n"
    "form with scripts; and embedded files; links to pages and URIs stay),\n"
    "unreachable objects are swept, and the result is read again to verify\n"
    "it before it is kept. A file argument goes to OUT/<its name>; a\n"
    "folder's PDFs keep their paths under OUT. Inputs are never modified.\n"
    "A damaged file is repaired and an encrypted one decrypted (libqpdf) first;\n"
    "the audit log says so, and outputs are never encrypted.\n"
    "\n"
    "A document is held for review, and not written, when redact cannot be sure:\n"
    "a scanned page, glyphs no reader can decode, an image under a region it\n"
    "cannot repaint, a damaged file readers rebuild differently, or an output\n"
    "that fails verification or `redact check` (the README lists every reason).\n"
    "\n"
    "Documents run in worker processes, -j at a time (default: one per CPU),\n"
    "each taking up to 64 documents in turn (a fresh one after any document held\n"
    "or failed): a document that crashes its worker, or runs past --timeout\n"
    "(default 300 s, 0 for none), is failed with the reason and the batch goes\n"
    "on with a fresh worker. Results, the audit log and the outputs are the same\n"
    "for any -j. Two inputs that would write the same\n"
    "output are refused before anything is written. --shard K/N runs the K-th of\n"
    "N parts of the job list (by input path), for running one batch on many\n"
    "machines (README \"Batch runs\"). Progress goes to stderr: a bar on a\n"
    "terminal, a line every ten seconds otherwise; --quiet prints only held and\n"
    "failed documents and the summary. --resume skips each document the audit\n"
    "log says an earlier run wrote, when its input, its output and the settings\n"
    "(patterns, terms, keep phrases, labels, version) are unchanged since, and\n"
    "appends to that log's chain.\n"
    "\n"
    "The audit log (--audit, default OUT/audit.jsonl) records every decision\n"
    "and never the withheld text. --audit-key FILE gives every record its\n"
    "HMAC-SHA256 under that secret and each redaction a text_hmac; --audit-sign\n"
    "KEY.pem ends it with an Ed25519 seal (see `redact audit --help`).\n"
    "\n"
    "--marked-copy DIR writes, for each document written, a copy of the original\n"
    "in which every redaction is outlined and labelled with its exemptions while\n"
    "its text stays readable, every page stamped NOT FOR PUBLICATION, to\n"
    "DIR/<its output's path>.marked.pdf; DIR must be apart from OUT. A copy that\n"
    "cannot be written is named and makes the exit status 3.\n"
    "\n"
    "Exit status: 0 every document written (redacted or clean), 1 some held for\n"
    "review (a person must look: do not retry), 2 usage or configuration error,\n"
    "3 some could not be read (retrying may help if a worker was killed).\n";

constexpr const char* kMarkUsage =
    "Usage: redact mark INPUT... -o OUT [--patterns P | --no-patterns] [--term PHRASE]...\n"
    "                   [--terms-file F] [--term-exemption E]... [--keep PHRASE]...\n"
    "                   [--keep-file F] [--audit FILE] [--audit-key FILE] [--audit-sign KEY.pem]\n"
    "                   [--dry-run] [--password-file F] [-j N] [--timeout SECONDS]\n"
    "                   [--shard K/N] [--progress auto|bar|plain|none] [--quiet] [--resume]\n"
    "\n"
    "Proposes redactions for a person to review in any PDF viewer: writes a copy\n"
    "of each PDF in which everything `redact run` would remove is a standard\n"
    "/Redact annotation (one per match, a quad per line, outlined in red, its\n"
    "exemptions as /OverlayText, category and rule in /Contents), to OUT as\n"
    "`run` names outputs. The page content is not changed: the copy holds the\n"
    "withheld text and is NOT for publication. The reviewer deletes, moves or\n"
    "resizes proposals and adds marks of their own, saves, and runs\n"
    "`redact apply` on the saved file (README \"Review before publishing\").\n"
    "\n"
    "Documents are read, held and failed as by `redact run` (same rules, and\n"
    "what run's gate would find after removal; same batch options); a file\n"
    "that already carries /Redact annotations is held. The audit log (default\n"
    "OUT/audit.jsonl) records each proposal (\"proposal\" records, decision\n"
    "\"proposed\") and never its text. With --audit-key, the list of proposals\n"
    "in the copy carries its HMAC under the key, for `apply --audit-key`.\n"
    "\n"
    "Exit status: 0 every document marked, 1 some held for review, 2 usage or\n"
    "configuration error, 3 some could not be read.\n";

constexpr const char* kApplyUsage =
    "Usage: redact apply MARKED... -o OUT [--patterns P | --no-patterns] [--term PHRASE]...\n"
    "                    [--terms-file F] [--term-exemption E]... [--keep PHRASE]...\n"
    "                    [--keep-file F] [--audit FILE] [--audit-key FILE] [--audit-sign KEY.pem]\n"
    "                    [--marked-copy DIR] [--no-label] [--dry-run]\n"
    "                    [--password-file F] [-j N] [--timeout SECONDS] [--shard K/N]\n"
    "                    [--progress auto|bar|plain|none] [--quiet] [--resume]\n"
    "       redact apply --plan PLAN FILE... -o OUT [...]\n"
    "\n"
    "Applies every /Redact annotation of each PDF, whoever made it (`redact\n"
    "mark`, Acrobat, Okular, MuPDF...), with the removal engine, the rules and\n"
    "the gate of `redact run`: the glyphs each mark covers (more than half of\n"
    "a glyph's middle band, or of its ink band above the baseline, inside one\n"
    "of its quads) are removed from the content streams, image pixels under it\n"
    "are blacked out, a black box is painted over it, labelled with its\n"
    "/OverlayText (for a proposal: its exemptions), an annotation under it\n"
    "loses its own strings, and the marks (and their popups) are taken out. A\n"
    "Hidden mark, or one whose quads are not all quads, holds the document.\n"
    "Outputs are named and written as by `run`: with no edits and the\n"
    "matching flags `mark` was given, the very bytes `run` writes.\n"
    "\n"
    "The audit log records every region with what a person decided: a proposal\n"
    "of `redact mark` kept or changed, a mark added (with its /T author and /M\n"
    "date), and each proposal deleted (\"declined\": its text stays).\n"
    "\n"
    "The output must pass `redact check` with the patterns given (default: the\n"
    "pattern set, as `run`); the text of a proposal the reviewer deleted may\n"
    "stay. A match nobody marked holds the document for review: for files\n"
    "marked by another tool, give --no-patterns to apply the marks alone.\n"
    "With --audit-key, the list of proposals must carry mark's HMAC under it.\n"
    "\n"
    "--plan PLAN applies, instead of marks, the plans `redact plan` printed\n"
    "(JSON lines; a script may have added proposals) to the very files they\n"
    "were made for, with the matching flags they were made with: each plan's\n"
    "glyphs, named by stream, operation and byte, and those its quads cover,\n"
    "are removed. A file no plan fits (its SHA-256), a plan made by another\n"
    "version or with other flags, a glyph the file does not draw where the\n"
    "plan says or that its quads do not cover, a quad far off the page, or a\n"
    "file carrying /Redact marks is held.\n"
    "Strings (form values, links, annotations' text) holding a match are cut\n"
    "as by `run`.\n"
    "\n"
    "Exit status: as `redact run`.\n";

// The process that wrote a temporary output, NAME.PID-N.redact-tmp (as
// apply/redactor.cpp names them), or 0 for a name that is not one.
long temporary_writer(const std::string& name) {
  constexpr std::string_view kSuffix = ".redact-tmp";
  if (!name.ends_with(kSuffix)) return 0;
  const std::string stem = name.substr(0, name.size() - kSuffix.size());
  const size_t dot = stem.rfind('.'), dash = stem.rfind('-');
  if (dot == std::string::npos || dash == std::string::npos || dash < dot + 2 || dash + 1 == stem.size()) return 0;
  const std::string pid = stem.substr(dot + 1, dash - dot - 1), n = stem.substr(dash + 1);
  const auto digits = [](const std::string& t) { return std::all_of(t.begin(), t.end(), ::isdigit); };
  if (!digits(pid) || !digits(n) || pid.size() > 9) return 0;
  return std::stol(pid);
}

// Removes the temporary files (".redact-tmp") that an earlier run, killed
// while it wrote, left in the folders this run writes to: each is an
// unverified output. One whose process is still running here (another
// shard writing to the same folder) is left alone. Each folder is listed once.
void remove_stale_temporaries(const std::vector<batch::Job>& jobs) {
  std::set<fs::path> folders;
  for (const batch::Job& job : jobs) folders.insert(fs::path(job.output).parent_path());
  // Running here and not a zombie (a worker whose run was killed, not yet reaped).
  const auto running = [](long pid) {
    if (pid == ::getpid()) return true;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;  // no such process
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const size_t paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
  };
  for (const fs::path& folder : folders) {
    std::error_code ec;
    for (fs::directory_iterator it(folder.empty() ? fs::path(".") : folder, ec), end; !ec && it != end; it.increment(ec)) {
      const long pid = temporary_writer(it->path().filename().string());
      if (pid > 0 && !running(pid)) fs::remove(it->path(), ec);
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

// The SHA-256 of a file's bytes, or null when it cannot be read (never the
// hash of nothing).
nlohmann::json file_sha256(const std::string& path) {
  const std::optional<std::string> bytes = read_file(path);
  return bytes ? nlohmann::json(sha256_hex(*bytes)) : nlohmann::json(nullptr);
}

// What a worker sends back for one document: the outcome, with each
// region's withheld text replaced by its keyed HMAC (or nothing), so that
// the text never leaves the worker; and the input's hash.
// What became of a document's marked copy (--marked-copy): its path, or why
// it was not written.
struct MarkedCopy {
  std::string path, error;
};

nlohmann::json regions_to_json(const std::vector<apply::Region>& regions, const std::string& key) {
  nlohmann::json out = nlohmann::json::array();
  for (const apply::Region& r : regions) {
    out.push_back({{"page", r.page},
                   {"box", {r.box.x0, r.box.y0, r.box.x1, r.box.y1}},
                   {"label", r.label},
                   {"category", r.category},
                   {"pattern", r.pattern},
                   {"rule", r.rule},
                   {"exemptions", r.exemptions},
                   {"patterns_sha256", r.patterns_sha256},
                   {"decision", static_cast<int>(r.decision)},
                   {"proposal", r.proposal},
                   {"author", r.author},
                   {"date", r.date},
                   {"chars", r.chars},
                   {"text_hmac", key.empty() || !r.withheld ? "" : audit::text_hmac(key, *r.withheld)}});
  }
  return out;
}

// The regions of a worker's result, and each one's text_hmac ("" for none).
std::vector<apply::Region> regions_from_json(const nlohmann::json& j, std::vector<std::string>& text_hmacs) {
  std::vector<apply::Region> out;
  for (const nlohmann::json& r : j) {
    apply::Region region;
    region.page = r.at("page").get<int>();
    const auto& b = r.at("box");
    region.box = Rect{b.at(0).get<double>(), b.at(1).get<double>(), b.at(2).get<double>(), b.at(3).get<double>()};
    region.label = r.at("label").get<std::string>();
    region.category = r.at("category").get<std::string>();
    region.pattern = r.at("pattern").get<std::string>();
    region.rule = r.at("rule").get<std::string>();
    region.exemptions = r.at("exemptions").get<std::vector<std::string>>();
    region.patterns_sha256 = r.at("patterns_sha256").get<std::string>();
    region.decision = static_cast<plan::Decision>(r.at("decision").get<int>());
    region.proposal = r.at("proposal").get<std::string>();
    region.author = r.at("author").get<std::string>();
    region.date = r.at("date").get<std::string>();
    region.chars = r.at("chars").get<size_t>();
    text_hmacs.push_back(r.at("text_hmac").get<std::string>());
    out.push_back(std::move(region));
  }
  return out;
}

std::string outcome_to_json(const apply::Outcome& outcome, const std::string& key, const MarkedCopy& marked) {
  const nlohmann::json regions = regions_to_json(outcome.regions, key);
  nlohmann::json strings = nlohmann::json::array();
  for (const apply::StringChange& c : outcome.string_changes) {
    strings.push_back({{"object", c.object},
                       {"key", c.key},
                       {"action", c.action},
                       {"category", c.category},
                       {"pattern", c.pattern},
                       {"exemptions", c.exemptions}});
  }
  return nlohmann::json{{"status", static_cast<int>(outcome.status)},
                        {"reason", outcome.reason},
                        {"pages", outcome.pages},
                        {"regions", regions},
                        {"declined", regions_to_json(outcome.declined, key)},
                        {"strings", strings},
                        {"signatures_removed", outcome.signatures_removed},
                        {"output_sha256", outcome.output_sha256},
                        {"output_size", outcome.output_size},
                        {"input_notes", outcome.input_notes},
                        {"input_sha256", outcome.input_sha256},
                        {"marked_copy", marked.path},
                        {"marked_copy_error", marked.error}}
      .dump();
}

struct Result {
  apply::Outcome outcome;  // regions without their withheld text
  std::vector<std::string> text_hmacs;  // by region ("" without a key)
  std::vector<std::string> declined_hmacs;
  MarkedCopy marked;
};

Result outcome_from_json(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);
  Result result;
  apply::Outcome& o = result.outcome;
  o.status = static_cast<apply::Status>(j.at("status").get<int>());
  o.reason = j.at("reason").get<std::string>();
  o.pages = j.at("pages").get<int>();
  o.regions = regions_from_json(j.at("regions"), result.text_hmacs);
  o.declined = regions_from_json(j.at("declined"), result.declined_hmacs);
  for (const nlohmann::json& c : j.at("strings")) {
    o.string_changes.push_back({c.at("object").get<std::string>(), c.at("key").get<std::string>(),
                                c.at("action").get<std::string>(), c.at("category").get<std::string>(),
                                c.at("pattern").get<std::string>(), c.at("exemptions").get<std::vector<std::string>>()});
  }
  o.signatures_removed = j.at("signatures_removed").get<std::vector<std::string>>();
  o.output_sha256 = j.at("output_sha256").get<std::string>();
  o.input_notes = j.at("input_notes").get<std::vector<std::string>>();
  o.output_size = j.at("output_size").get<size_t>();
  o.input_sha256 = j.at("input_sha256").get<std::string>();
  result.marked = {j.at("marked_copy").get<std::string>(), j.at("marked_copy_error").get<std::string>()};
  return result;
}

// Removes what a worker that did not finish may have left: its temporary
// output (named for its process, pdf apply/redactor.cpp).
void remove_temporaries_of(const std::string& output, int pid) {
  const fs::path path(output);
  const std::string prefix = path.filename().string() + "." + std::to_string(pid) + "-";
  std::error_code ec;
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(prefix) && temporary_writer(name) == pid) fs::remove(it->path(), ec);
  }
}

// An existing file at the audit log's path must be an audit log (it is
// replaced): never a PDF or anything else named by mistake.
void refuse_foreign_log(const std::string& path) {
  if (!audit::looks_like_a_log(path)) {
    throw Error(ErrorKind::usage, Location(path), "exists and is not an audit log; give the audit log another name");
  }
}

// What an earlier run into the same audit log wrote and can stand: the
// document records of written outputs, by input, with the settings of
// their run, from the records of the log (verified).
struct Done {
  std::string input_sha256, output, output_sha256, settings_sha256;
};
std::map<std::string, Done> written_before(const std::vector<audit::Record>& records) {
  std::map<std::string, Done> done;
  std::string settings;
  for (const audit::Record& record : records) {
    if (const auto* run = std::get_if<audit::RunRecord>(&record)) settings = run->settings_sha256;
    if (const auto* merge = std::get_if<audit::MergeRecord>(&record)) settings = merge->settings_sha256;
    const auto* d = std::get_if<audit::DocumentRecord>(&record);
    if (!d) continue;
    if (d->output && d->input_sha256 && d->output_sha256) {
      done[d->document] = {*d->input_sha256, *d->output, *d->output_sha256, settings};
    } else {
      done.erase(d->document);  // the latest record of a document decides
    }
  }
  return done;
}

// Whether `job` is done already: its output is the file the log recorded,
// its input the same bytes, its settings the same.
bool done_already(const std::map<std::string, Done>& done, const batch::Job& job, const std::string& settings_sha256) {
  const auto it = done.find(job.input);
  if (it == done.end() || it->second.output != job.output || it->second.settings_sha256 != settings_sha256) return false;
  return file_sha256(job.output) == it->second.output_sha256 && file_sha256(job.input) == it->second.input_sha256;
}

// For tests only (tests/e2e/batch_runs.py): REDACT_TEST_FAULT=abort:NAME
// makes the worker for the input named NAME leave a temporary output behind
// and abort, as one killed while writing would; sleep:NAME makes it hang.
void test_fault(const batch::Job& job) {
  const char* fault = std::getenv("REDACT_TEST_FAULT");
  if (!fault) return;
  const std::string_view spec(fault);
  const size_t colon = spec.find(':');
  if (colon == std::string_view::npos || spec.substr(colon + 1) != fs::path(job.input).filename().string()) return;
  if (spec.substr(0, colon) == "abort") {
    std::ofstream(job.output + "." + std::to_string(::getpid()) + "-0.redact-tmp") << "%PDF-1.7 half written";
    std::abort();
  }
  if (spec.substr(0, colon) == "sleep") ::sleep(3600);
}

}  // namespace

// The plans of `redact plan` in `files`, one JSON line each, by the SHA-256
// of the file each was made for; `sha256` becomes the hash of all their
// bytes. Throws Error (usage) naming the file and line of one that is not a
// plan (or, with a `key`, does not carry its HMAC under it), and for two
// plans of one file.
static std::shared_ptr<std::map<std::string, plan::Proposals>> read_plans(const std::vector<std::string>& files,
                                                                  const std::string& key, std::string& sha256) {
  auto plans = std::make_shared<std::map<std::string, plan::Proposals>>();
  std::string all;
  for (const std::string& file : files) {
    const std::optional<std::string> bytes = read_file(file);
    if (!bytes) throw Error(ErrorKind::usage, Location(file), "cannot read the plan");
    all += sha256_hex(*bytes);
    size_t number = 0;
    for (size_t at = 0; at < bytes->size();) {
      size_t end = bytes->find('\n', at);
      if (end == std::string::npos) end = bytes->size();
      const std::string line = bytes->substr(at, end - at);
      at = end + 1;
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = file + ":" + std::to_string(number);
      plan::Proposals plan;
      try {
        plan = plan::proposals_from_json(line, key, "the plan");
      } catch (const Error& e) {
        throw Error(ErrorKind::usage, Location(where), e.what());
      }
      if (plan.input_sha256.empty()) throw Error(ErrorKind::usage, Location(where), "is not a plan: it names no input_sha256");
      const std::string input = plan.input_sha256;
      if (!plans->emplace(input, std::move(plan)).second) {
        throw Error(ErrorKind::usage, Location(where), "a second plan for the file whose SHA-256 is " + input);
      }
    }
  }
  sha256 = sha256_hex(all);
  return plans;
}

// `run`, `mark` and `apply`: the same batch, one way of deciding each.
static int batch_command(apply::Mode mode, const std::vector<std::string>& args, Console& console) {
  // Stdout piped into `head` that closes early must not end a batch off the
  // record: the lines are lost (writes fail quietly), the audit log is not.
  ::signal(SIGPIPE, SIG_IGN);
  const char* name = mode == apply::Mode::mark ? "mark" : mode == apply::Mode::apply ? "apply" : "run";
  CommandLine command(name, mode == apply::Mode::mark ? kMarkUsage : mode == apply::Mode::apply ? kApplyUsage : kUsage);
  command.options().add_options()("output,o", po::value<std::string>(), "output folder (required)")(
      "audit", po::value<std::string>(), "audit log (default: OUT/audit.jsonl)")(
      "audit-key", po::value<std::string>(), "file holding a secret: every record gets its HMAC under it, and redactions a text_hmac")(
      "audit-sign", po::value<std::string>(), "Ed25519 private key (PEM): the log is sealed with its signature at the end")(
      "marked-copy", po::value<std::string>(), "folder for marked copies: each original with its redactions outlined, NOT for publication")(
      "no-label", "do not label the boxes with their exemptions")(
      "dry-run", "decide and report everything, write nothing (no outputs, no audit log)")(
      "jobs,j", po::value<long long>(), "documents at once, in as many worker processes (default: CPUs)")(
      "timeout", po::value<long long>()->default_value(300), "seconds a document may take (0: no limit)")(
      "shard", po::value<std::string>(), "K/N: run only the K-th of N parts of the job list")(
      "progress", po::value<std::string>()->default_value("auto"), "auto, bar, plain or none (on stderr)")(
      "quiet,q", "print only held and failed documents and the summary")(
      "resume", "skip documents the audit log says were written, unchanged since, with these settings; append to it");
  if (mode == apply::Mode::apply) {
    command.options().add_options()("plan", po::value<std::vector<std::string>>()->composing(),
                                    "apply the plans of `redact plan` in this file (JSON lines) instead of marks");
  }
  add_matching_options(command.options());
  command.add_password();
  if (auto status = command.parse(args, console)) return *status;
  const po::variables_map& vm = command.values();
  const auto inputs = command.positionals();
  if (inputs.empty()) return command.usage_error(console, "give at least one PDF or folder");
  if (!vm.count("output")) return command.usage_error(console, "give the output folder with -o OUT");
  const fs::path out = vm["output"].as<std::string>();
  const bool dry_run = vm.count("dry-run") > 0;
  // Marked copies hold the withheld text: never among what is published,
  // nor among inputs (a later run of the same folder would publish them).
  std::string marked_dir;
  std::vector<std::string> keep_apart{out.string()};
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) keep_apart.push_back(input);
  }
  if (mode == apply::Mode::mark && (vm.count("marked-copy") || vm.count("no-label"))) {
    return command.usage_error(console, "mark writes review copies itself: --marked-copy and --no-label are for run and apply");
  }
  if (vm.count("marked-copy")) {
    marked_dir = vm["marked-copy"].as<std::string>();
    if (dry_run) return command.usage_error(console, "--dry-run writes nothing, --marked-copy writes copies: give one");
    for (const std::string& folder : keep_apart) {
      if (!apply::apart(marked_dir, folder)) {
        return command.usage_error(console, "the marked copies' folder must be apart from the output folder and the "
                                            "input folders (" + folder + "): they hold the withheld text");
      }
    }
  }
  const bool quiet = vm.count("quiet") > 0;
  std::optional<batch::ProgressMode> progress_mode =
      quiet ? batch::ProgressMode::none : batch::parse_progress(vm["progress"].as<std::string>());
  if (!progress_mode) return command.usage_error(console, "--progress takes auto, bar, plain or none");
  batch::WorkerOptions workers;
  const long long jobs_at_once = vm.count("jobs") ? vm["jobs"].as<long long>() : std::max(1u, std::thread::hardware_concurrency());
  if (jobs_at_once < 1 || jobs_at_once > 1024) {
    return command.usage_error(console, "-j takes a number of documents at once, from 1 to 1024");
  }
  const long long timeout = vm["timeout"].as<long long>();
  if (timeout < 0 || timeout > 7 * 24 * 3600) {
    return command.usage_error(console, "--timeout takes seconds, from 0 (no limit) to a week");
  }
  workers.workers = static_cast<unsigned>(jobs_at_once);
  workers.timeout = static_cast<unsigned>(timeout);

  std::unique_ptr<match::Matcher> matcher;
  MatchingConfig config;
  std::string key;
  std::optional<Ed25519Key> signing;
  std::vector<batch::Job> jobs;
  std::vector<batch::Job> done_before;  // --resume: written by an earlier run, skipped
  const bool resume = vm.count("resume") > 0;
  std::string audit_path, settings;
  std::shared_ptr<std::map<std::string, plan::Proposals>> plans;
  std::string plans_sha256;  // of the plan files' bytes, for --resume
  try {
    config = matching_config(vm, mode == apply::Mode::apply);
    matcher = std::make_unique<match::Matcher>(config.patterns, config.matcher);
    if (vm.count("audit-key")) key = audit::read_key(vm["audit-key"].as<std::string>());
    if (vm.count("audit-sign")) signing = Ed25519Key::load(vm["audit-sign"].as<std::string>(), true);
    if (vm.count("plan")) plans = read_plans(vm["plan"].as<std::vector<std::string>>(), key, plans_sha256);
    // Everything that decides an output's bytes, as one hash (terms and keep
    // phrases only inside it): what --resume compares.
    settings = sha256_hex(nlohmann::json{{"version", REDACT_VERSION},
                                         {"command", name},
                                         {"patterns_sha256", config.patterns.sha256},
                                         {"terms", config.matcher.terms},
                                         {"term_exemptions", config.matcher.term_exemptions},
                                         {"keep", config.matcher.keep},
                                         {"labels", !vm.count("no-label")},
                                         {"plans", plans_sha256}}
                              .dump());
    batch::JobPlan plan = batch::plan_jobs(inputs, out);
    // Each shard keeps its own log, so that shards can share one output folder.
    std::string default_log = "audit.jsonl";
    if (vm.count("shard")) {
      const batch::Shard shard = batch::parse_shard(vm["shard"].as<std::string>());
      plan.jobs = batch::shard_of(std::move(plan.jobs), shard);
      default_log = "audit." + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".jsonl";
    }
    audit_path = vm.count("audit") ? vm["audit"].as<std::string>() : (out / default_log).string();
    batch::refuse_overwriting(plan, audit_path, "audit log");
    if (!dry_run) refuse_foreign_log(audit_path);
    jobs = std::move(plan.jobs);
    if (!marked_dir.empty()) {
      // No marked copy over an input named on its own.
      std::set<fs::path> named;
      for (const batch::Job& job : jobs) named.insert(fs::weakly_canonical(job.input));
      for (const batch::Job& job : jobs) {
        const std::string path = apply::marked_copy_path(job.output, out.string(), marked_dir);
        if (named.contains(fs::weakly_canonical(path))) {
          throw Error(ErrorKind::usage, Location(path), "is an input: the marked copy of " + job.input + " would replace it");
        }
      }
    }
    if (resume && fs::exists(audit_path)) {
      audit::VerifyOptions options;
      options.key = key;
      options.check_outputs = false;  // each output is compared below
      std::vector<audit::Record> records;
      const auto chain = audit::verify(audit_path, options, &records);
      if (!chain.ok) {
        throw Error(ErrorKind::usage, Location(audit_path, 0, "line " + std::to_string(chain.first_bad_line)),
                    "the audit log to resume does not verify: " + chain.reason);
      }
      const std::map<std::string, Done> done = written_before(records);
      std::erase_if(jobs, [&](const batch::Job& job) {
        if (!done_already(done, job, settings)) return false;
        done_before.push_back(job);
        return true;
      });
    }
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }

  std::unique_ptr<audit::AuditLog> log;
  try {
    if (!dry_run) {
      fs::create_directories(out);
      std::vector<batch::Job> every_job = jobs;
      every_job.insert(every_job.end(), done_before.begin(), done_before.end());
      remove_stale_temporaries(every_job);
      if (fs::path(audit_path).has_parent_path()) fs::create_directories(fs::path(audit_path).parent_path());
      const bool append = resume && fs::exists(audit_path);
      log = std::make_unique<audit::AuditLog>(audit_path, append ? audit::AuditLog::Mode::resume : audit::AuditLog::Mode::create, key);
      audit::RunRecord run;
      run.version = REDACT_VERSION;
      run.icu = U_ICU_VERSION;
      run.patterns = config.patterns.patterns.empty() ? "" : config.patterns.patterns.front().file;
      run.patterns_sha256 = config.patterns.sha256;
      run.settings_sha256 = settings;
      run.chain = key.empty() ? audit::kChainSha256 : audit::kChainHmac;
      run.options = {!vm.count("no-label"), config.matcher.terms.size(), config.matcher.term_exemptions,
                     config.matcher.keep, !key.empty()};
      run.started = now_iso8601();
      if (mode != apply::Mode::redact) run.command = name;
      if (vm.count("shard")) run.shard = vm["shard"].as<std::string>();
      if (append) run.resumed_skipped = done_before.size();
      log->append(run);
    }
  } catch (const std::exception& e) {
    console.error(std::string("cannot start the audit log: ") + e.what());
    return kExitUsage;
  }

  apply::RedactOptions options;
  options.labels = !vm.count("no-label");
  options.dry_run = dry_run;
  options.mode = mode;
  options.patterns_sha256 = config.patterns.sha256;
  options.audit_key = key;
  options.password = command.password();
  options.producer = std::string("redact ") + REDACT_VERSION;
  options.plans = plans;
  std::map<apply::Status, int> by_status;
  std::map<std::string, int> by_category, by_exemption, by_decision;
  int marked_failures = 0;
  batch::Progress progress(*progress_mode, jobs.size(), [](std::string_view text) { Console::write_stderr(text); },
                           [&](std::string_view text) { console.out(text); });

  // In the worker: one document, start to end.
  const auto work = [&](size_t i) {
    const batch::Job& job = jobs[i];
    test_fault(job);
    const apply::Outcome outcome = apply::redact_document(job.input, job.output, *matcher, options);
    MarkedCopy marked;
    if (!marked_dir.empty() && (outcome.status == apply::Status::redacted || outcome.status == apply::Status::clean)) {
      apply::MarkedCopyRequest request{job.input, options.password, outcome.input_sha256, {}, {}, keep_apart};
      for (const apply::Region& r : outcome.regions) {
        request.boxes.push_back({r.page, r.box, apply::marked_label(r.exemptions, r.category)});
      }
      for (const apply::StringChange& c : outcome.string_changes) {
        request.notes.push_back(apply::marked_string_note(c.key, c.object, c.action, c.exemptions, c.category));
      }
      marked.path = apply::marked_copy_path(job.output, out.string(), marked_dir);
      try {
        apply::write_marked_copy(request, marked.path);
      } catch (const std::exception& e) {
        marked.error = e.what();
        marked.path.clear();
      }
    }
    // A document held or failed, or read from a repaired copy, may be a
    // hostile one: the next document gets a fresh worker.
    const bool written = outcome.status == apply::Status::redacted || outcome.status == apply::Status::clean ||
                         outcome.status == apply::Status::marked;
    return batch::Answer{outcome_to_json(outcome, key, marked), !written || !outcome.input_notes.empty()};
  };
  // As each ends, in any order: the progress line.
  const auto finished = [&](size_t, const batch::JobEnd& end) {
    if (!end.ok) {
      progress.document_done(0, 0, false, true);
      return;
    }
    const nlohmann::json j = nlohmann::json::parse(end.result, nullptr, false);
    const auto status = j.is_discarded() ? apply::Status::failed : static_cast<apply::Status>(j.value("status", 3));
    progress.document_done(j.is_discarded() ? 0 : j.value("pages", 0), j.is_discarded() ? 0 : j["regions"].size(),
                           status == apply::Status::needs_review, status == apply::Status::failed);
  };
  // In job order: the audit log and the document's line.
  const auto deliver = [&](size_t i, const batch::JobEnd& end) {
    const batch::Job& job = jobs[i];
    Result result;
    if (end.ok) {
      try {
        result = outcome_from_json(end.result);
      } catch (const std::exception& e) {
        result.outcome.reason = std::string("the worker's result cannot be read: ") + e.what();
      }
    } else {
      result.outcome.reason = end.failure;
      remove_temporaries_of(job.output, end.pid);
    }
    const apply::Outcome& outcome = result.outcome;
    ++by_status[outcome.status];
    const bool written = !dry_run && (outcome.status == apply::Status::redacted || outcome.status == apply::Status::clean ||
                                      outcome.status == apply::Status::marked);
    const std::optional<std::string> output = written ? std::optional(job.output) : std::nullopt;
    // A held or failed document leaves no output behind: not one an earlier
    // run wrote under this name (this run's record does not vouch for it),
    // nor one a worker published before it was stopped.
    bool removed_earlier = false;
    if (!written && !dry_run) {
      std::error_code ec;
      removed_earlier = fs::remove(job.output, ec);
    }
    // What a record says of a region: the worker's HMAC of its text, never the text.
    const auto box_fields = [&](const apply::Region& region, const std::string& text_hmac) {
      audit::BoxFields f;
      f.document = job.input;
      f.output = output;
      f.page = region.page;
      f.box = {round2(region.box.x0), round2(region.box.y0), round2(region.box.x1), round2(region.box.y1)};
      f.category = region.category;
      f.pattern = region.pattern;
      f.rule = region.rule;
      f.patterns_sha256 = region.decision == plan::Decision::matched ? config.patterns.sha256 : region.patterns_sha256;
      f.exemptions = region.exemptions;
      f.chars = region.chars;
      if (!key.empty() && !text_hmac.empty()) f.text_hmac = text_hmac;
      return f;
    };
    for (size_t r = 0; r < outcome.regions.size(); ++r) {
      const apply::Region& region = outcome.regions[r];
      ++by_category[region.category];
      for (const std::string& e : region.exemptions) ++by_exemption[e];
      if (region.decision != plan::Decision::matched) ++by_decision[plan::to_string(region.decision)];
      if (!log) continue;
      // What `mark` proposed is no redaction yet: a proposal, in the file it marked.
      audit::BoxFields fields = box_fields(region, result.text_hmacs[r]);
      if (mode == apply::Mode::mark) {
        log->append(audit::ProposalRecord{fields, region.proposal, "proposed"});
        continue;
      }
      audit::RedactionRecord record;
      static_cast<audit::BoxFields&>(record) = fields;  // the rest set below, where it applies
      if (region.decision != plan::Decision::matched) {
        record.decision = plan::to_string(region.decision);
        record.proposal = region.proposal;
        if (!region.author.empty()) record.author = region.author;
        if (!region.date.empty()) record.date = region.date;
      }
      log->append(record);
    }
    for (size_t r = 0; r < outcome.declined.size(); ++r) {
      ++by_decision["declined"];
      if (!log) continue;
      const apply::Region& region = outcome.declined[r];
      log->append(audit::ProposalRecord{box_fields(region, result.declined_hmacs[r]), region.proposal, "declined"});
    }
    for (const apply::StringChange& change : outcome.string_changes) {
      ++by_category[change.category];
      for (const std::string& e : change.exemptions) ++by_exemption[e];
      if (!log) continue;
      log->append(audit::StringRecord{job.input, output, change.object, change.key, change.action, change.category,
                                      change.pattern, change.exemptions});
    }
    for (const std::string& field : outcome.signatures_removed) {
      if (!log) break;
      log->append(audit::SignatureRecord{job.input, output, field, "removed",
                                         outcome.regions.empty() && outcome.string_changes.empty()
                                             ? "its strings hold withheld text"
                                             : "the document was redacted: what was signed is no longer there"});
    }
    if (log) {
      audit::DocumentRecord record;
      record.document = job.input;
      record.output = output;
      record.status = apply::to_string(outcome.status);
      if (!outcome.reason.empty()) record.reason = outcome.reason;
      record.pages = outcome.pages;
      record.redactions = outcome.regions.size();
      record.strings_changed = outcome.string_changes.size();
      record.signatures_removed = outcome.signatures_removed.size();
      // Of the bytes the worker read; none when it read none or did not say
      // (a worker that crashed or was stopped).
      if (!outcome.input_sha256.empty()) record.input_sha256 = outcome.input_sha256;
      record.input_notes = outcome.input_notes;
      if (written) {
        record.output_sha256 = outcome.output_sha256;
        record.output_size = outcome.output_size;
      }
      record.earlier_output_removed = removed_earlier;
      if (!result.marked.path.empty()) record.marked_copy = result.marked.path;
      log->append(record);
    }
    if (quiet && (outcome.status == apply::Status::redacted || outcome.status == apply::Status::clean ||
                  outcome.status == apply::Status::marked) &&
        result.marked.error.empty()) {
      return;
    }
    std::string line = std::string(apply::to_string(outcome.status)) + ": " + printable(job.input);
    if (written) {
      line += " -> " + printable(job.output) + " (" + std::to_string(outcome.regions.size()) +
              (mode == apply::Mode::mark ? " proposed boxes, NOT for publication" : " redactions");
      if (!outcome.declined.empty()) line += ", " + std::to_string(outcome.declined.size()) + " proposed boxes declined";
      if (!outcome.string_changes.empty()) line += ", " + std::to_string(outcome.string_changes.size()) + " strings edited";
      if (!outcome.signatures_removed.empty()) line += ", " + std::to_string(outcome.signatures_removed.size()) + " signatures removed";
      line += ")";
    }
    if (!outcome.reason.empty()) line += ": " + printable(outcome.reason);
    if (removed_earlier) line += " (the output an earlier run wrote there was removed)";
    if (!result.marked.path.empty()) line += "\n  marked copy (not for publication): " + printable(result.marked.path);
    if (!result.marked.error.empty()) {
      ++marked_failures;
      line += "\n  marked copy NOT written: " + printable(result.marked.error);
    }
    for (const std::string& note : outcome.input_notes) line += "\n  the input was " + note;
    progress.print(line + "\n");
  };
  if (!quiet) {
    for (const batch::Job& job : done_before) {
      progress.print("done earlier: " + printable(job.input) + " -> " + printable(job.output) + " (unchanged; --resume)\n");
    }
  }
  int stopped_by = 0;
  try {
    stopped_by = batch::run_in_workers(jobs.size(), workers, work, finished, deliver);
  } catch (const Error& e) {
    progress.finish();
    console.error(e.what());
    return kExitFailed;
  }
  progress.finish();
  if (stopped_by != 0) {
    console.error("stopped by signal " + std::to_string(stopped_by) +
                  "; documents not finished are failed in the audit log and left unwritten");
  }

  // Sealed last: the signature covers every record of this run.
  if (log && signing) {
    try {
      log->seal(*signing);
    } catch (const Error& e) {
      console.error(e.what());
      return kExitFailed;
    }
  }

  std::ostringstream summary;
  summary << "\n" << jobs.size() << " documents: ";
  if (mode == apply::Mode::mark) {
    summary << by_status[apply::Status::marked] << " marked for review, ";
  } else {
    summary << by_status[apply::Status::redacted] << " redacted, " << by_status[apply::Status::clean] << " clean, ";
  }
  summary << by_status[apply::Status::needs_review]
          << " needing review, " << by_status[apply::Status::failed] << " failed" << (dry_run ? " (dry run: nothing written)" : "");
  if (!done_before.empty()) summary << "; " << done_before.size() << " done in an earlier run, skipped";
  summary << "\n";
  for (const auto& [category, n] : by_category) summary << "  " << category << ": " << n << "\n";
  for (const auto& [exemption, n] : by_exemption) summary << "  under " << exemption << ": " << n << "\n";
  for (const auto& [decision, n] : by_decision) summary << "  " << decision << " by the reviewer: " << n << "\n";
  if (marked_failures > 0) summary << marked_failures << " marked copies could not be written\n";
  if (log) summary << "audit log: " << log->path() << " (head " << log->head() << ")\n";
  console.out(summary.str());
  if (by_status[apply::Status::failed] > 0 || marked_failures > 0) return kExitFailed;
  if (by_status[apply::Status::needs_review] > 0) return kExitFound;
  return kExitOk;
}

int run_command(const std::vector<std::string>& args, Console& console) {
  return batch_command(apply::Mode::redact, args, console);
}

int mark_command(const std::vector<std::string>& args, Console& console) {
  return batch_command(apply::Mode::mark, args, console);
}

int apply_command(const std::vector<std::string>& args, Console& console) {
  return batch_command(apply::Mode::apply, args, console);
}

}  // namespace redact::cli
