#include "cli/extract_command.h"

#include <new>
#include <nlohmann/json.hpp>

#include "cli/command_line.h"
#include "extract/layout.h"
#include "extract/text_layer_json.h"
#include "pdf/document.h"

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact extract FILE.pdf [--format text|json] [--password-file F]\n"
    "\n"
    "Prints the text of every page: as text, pages in reading order, each\n"
    "ended by a form feed; as JSON, each page's size, rotation, text, lines,\n"
    "words, and every glyph with its box (points, top-left origin, the page as\n"
    "displayed) and the content-stream operation it came from.\n"
    "\n"
    "Exit status: 0 done (warnings go to stderr), 2 usage error,\n"
    "3 the file cannot be read (missing, encrypted, damaged).\n";

}  // namespace

int extract_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("extract", kUsage);
  command.add_format();
  command.add_password();
  if (auto status = command.parse(args, console)) return *status;
  const std::string format = command.format();
  const auto files = command.positionals();
  if (files.size() != 1) return command.usage_error(console, "give exactly one PDF file");
  const std::string& path = files.front();

  try {
    auto document = pdf::Document::open(path, command.password());
    Diagnostics diagnostics;
    std::string text;
    // JSON is written a page at a time: a whole document's tree of glyphs
    // would take hundreds of megabytes.
    auto dump = [](const nlohmann::json& value) {
      return value.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    if (format == "json") console.out("{\n \"file\": " + dump(path) + ",\n \"pages\": [\n");
    for (int number = 1; number <= document->page_count(); ++number) {
      pdf::PageContent page = document->read_page(number, diagnostics);
      extract::PageText page_text = extract::layout(page);
      if (format == "json") {
        console.out((number > 1 ? ",\n" : "") + dump(extract::page_to_json(page, page_text)));
      } else {
        text += page_text.text;
        if (!page_text.text.empty()) text += '\n';
        text += '\f';
      }
      if (page.glyphs.empty() && !page.images.empty()) {
        diagnostics.warn(Location{path, number}, "page has images but no text layer (a scan?); its text cannot be read");
      }
      if (page.unknown_glyphs > 0) {
        diagnostics.warn(Location{path, number}, std::to_string(page.unknown_glyphs) +
                                                     " glyphs have no known Unicode value (shown as U+FFFD)");
      }
    }
    for (const Diagnostic& d : diagnostics.items()) console.warning(d.to_string());
    if (format == "json") {
      nlohmann::json warnings = nlohmann::json::array();
      for (const Diagnostic& d : diagnostics.items()) warnings.push_back(d.to_string());
      console.out("\n ],\n \"warnings\": " + dump(warnings) + "\n}\n");
    } else {
      console.out(text);
    }
    return kExitOk;
  } catch (const Error& e) {
    console.error(e.what());
    return e.kind() == ErrorKind::usage ? kExitUsage : kExitFailed;
  } catch (const std::bad_alloc&) {
    console.error(Error(ErrorKind::limit, Location(path), "ran out of memory").what());
    return kExitFailed;
  }
}

}  // namespace redact::cli
