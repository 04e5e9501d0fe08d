#include "cli/check_command.h"

#include <new>
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

#include "check/check.h"
#include "cli/command_line.h"
#include "batch/inputs.h"
#include "cli/matching_options.h"
#include "core/diagnostics.h"

namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact check FILE|FOLDER... [--patterns P] [--term PHRASE]... [--keep PHRASE]...\n"
    "                    [--format text|json] [--fail-on leak|risk|info] [--no-revisions]\n"
    "                    [--no-patterns] [--password-file F]\n"
    "\n"
    "Inspects PDFs (folders are searched for *.pdf) before they are published and\n"
    "reports findings: can anyone still read something withheld, or is something\n"
    "hidden? Nothing is changed. Any PDF can be checked: one redact wrote, one\n"
    "redacted in another tool, or an untouched draft.\n"
    "\n"
    "What it reads: every content stream (pages, forms at any depth drawn or not,\n"
    "every appearance of every annotation in every state, hidden ones too, tiling\n"
    "patterns, Type 3 glyphs), every string of every object (Info, XMP, outlines,\n"
    "links, annotations, form fields, the structure tree, marked content, file\n"
    "names, data streams such as XMP; codes and font names, such as /BaseFont,\n"
    "for the terms only), and each earlier revision of an\n"
    "incrementally updated file. Page text is matched in every reading that\n"
    "differs: layout, content order, by position, letter spacing joined,\n"
    "spread letters joined, marks between letters dropped, letters stacked one\n"
    "above another, words hyphenated at a line end joined, and by a font's\n"
    "own encoding where its ToUnicode map disagrees.\n"
    "\n"
    "Findings, by severity:\n"
    "  leak  text: a withheld entity or term readable in page content or in any\n"
    "        content stream; string: one in an object's string\n"
    "  risk  text-under-box, redact-annotation, invisible-text, hidden-colour-text,\n"
    "        unseen-text, undrawn-text, tiny-text, text-outside-crop, clipped-text,\n"
    "        singular-matrix, optional-content-off, hidden-annotation, javascript, open-action,\n"
    "        launch-action, uri-action, embedded-file, form-field-value,\n"
    "        earlier-revision, unreadable-text, repaired\n"
    "  info  metadata, outlines, producer, signature, encrypted, rewritten,\n"
    "        no-text-layer\n"
    "\n"
    "Text drawn in a way check's own reading does not work out (through a soft\n"
    "mask or a transfer function, in a pattern, on a picture or a shading, in\n"
    "a page's content or an annotation's appearance) is settled by poppler\n"
    "drawing the page with and without its text, in a process of its own.\n"
    "\n"
    "What it cannot check: text inside images. A page that is only an image (a\n"
    "scan) is reported as no-text-layer: it cannot be checked without OCR, and\n"
    "is never called clean.\n"
    "\n"
    "Output: one line per finding, FILE: page N, OBJECT: SEVERITY KIND: message\n"
    "[x0 y0 x1 y1] \"matched text\" (points, top-left origin); or with --format\n"
    "json, a list with one entry per file and its findings.\n"
    "\n"
    "Exit status: 0 nothing at or above --fail-on (default risk) was found, 1\n"
    "something was, 2 usage or configuration error, 3 a file could not be read\n"
    "(it cannot be checked: do not publish it).\n";

double round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string to_text(const std::string& file, const check::Finding& f) {
  std::string line = file + ": ";
  if (f.page > 0) line += "page " + std::to_string(f.page) + ", ";
  line += f.object + ": " + check::to_string(f.severity) + " " + f.kind + ": " + f.message;
  if (f.box) {
    auto n = [](double v) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.2f", round2(v));
      return std::string(buffer);
    };
    line += " [" + n(f.box->x0) + " " + n(f.box->y0) + " " + n(f.box->x1) + " " + n(f.box->y1) + "]";
  }
  if (!f.text.empty()) {
    std::string text = f.text;
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    line += " \"" + text + "\"";
  }
  return line + "\n";
}

nlohmann::json to_json(const check::Finding& f) {
  nlohmann::json out = {{"kind", f.kind},
                        {"severity", check::to_string(f.severity)},
                        {"page", f.page == 0 ? nlohmann::json(nullptr) : nlohmann::json(f.page)},
                        {"object", f.object},
                        {"message", f.message}};
  out["box"] = f.box ? nlohmann::json{round2(f.box->x0), round2(f.box->y0), round2(f.box->x1), round2(f.box->y1)}
                     : nlohmann::json(nullptr);
  if (!f.pattern.empty()) {
    out["category"] = f.category;
    out["pattern"] = f.pattern;
    out["text"] = f.text;
  }
  return out;
}

}  // namespace

int check_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("check", kUsage);
  command.add_format();
  command.add_password();
  command.options().add_options()("fail-on", po::value<std::string>()->default_value("risk"),
                                  "lowest severity that makes the exit status 1: leak, risk or info")(
      "no-revisions", "do not read earlier revisions (INSECURE: an old revision can hold withheld text)");
  add_matching_options(command.options());
  if (auto status = command.parse(args, console)) return *status;
  const po::variables_map& vm = command.values();
  const auto arguments = command.positionals();
  if (arguments.empty()) return command.usage_error(console, "give at least one PDF or folder");
  const auto threshold = check::parse_severity(vm["fail-on"].as<std::string>());
  if (!threshold) return command.usage_error(console, "--fail-on must be leak, risk or info");
  std::unique_ptr<match::Matcher> matcher;
  try {
    MatchingConfig config = matching_config(vm);
    matcher = std::make_unique<match::Matcher>(config.patterns, config.matcher);
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }
  check::CheckOptions options;
  options.revisions = vm.count("no-revisions") == 0;
  options.password = command.password();

  const bool json = command.format() == "json";
  nlohmann::json files = nlohmann::json::array();
  bool failed = false, found = false;
  for (const batch::Input& input : batch::find_pdfs(arguments)) {
    const auto cannot_check = [&](const Error& e) {
      console.error(std::string(e.what()) + "; it cannot be checked");
      if (json) files.push_back({{"file", input.path}, {"error", e.what()}, {"findings", nlohmann::json::array()}});
      failed = true;
    };
    check::Report report;
    try {
      report = check::check_document(input.path, *matcher, options);
    } catch (const Error& e) {
      cannot_check(e);
      continue;
    } catch (const std::bad_alloc&) {
      cannot_check(Error(ErrorKind::limit, Location(input.path), "ran out of memory"));
      continue;
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const check::Finding& f : report.findings) {
      if (f.severity >= *threshold) found = true;
      if (json) findings.push_back(to_json(f));
      else console.out(to_text(input.path, f));
    }
    if (json) files.push_back({{"file", input.path}, {"pages", report.pages}, {"findings", std::move(findings)}});
  }
  if (json) console.out(files.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  if (failed) return kExitFailed;
  return found ? kExitFound : kExitOk;
}

}  // namespace redact::cli
