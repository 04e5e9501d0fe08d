#include "cli/scan_command.h"

#include <new>
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/command_line.h"
#include "cli/matching_options.h"
#include "core/diagnostics.h"
#include "extract/readings.h"
#include "normalize/normalizer.h"
#include "pdf/document.h"
#include "plan/decide.h"
#include "plan/locate.h"

namespace po = boost::program_options;

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact scan FILE... [--patterns P] [--term PHRASE]... [--terms-file F]\n"
    "                   [--term-exemption E]... [--keep PHRASE]... [--keep-file F]\n"
    "                   [--format text|json] [--no-patterns] [--password-file F]\n"
    "\n"
    "Prints every match in the PDFs (or UTF-8 .txt files, pages split by form\n"
    "feeds): file, page, category, pattern, exemptions, the matched text and its\n"
    "boxes (points, top-left origin, one box per line). Each page is read every\n"
    "way `run` reads it (layout, content order, letter spacing joined...), and a\n"
    "match is listed once, as its longest reading has it. Nothing is changed.\n"
    "\n"
    "Exit status: 0 nothing found, 1 something found, 2 usage or configuration\n"
    "error, 3 a file could not be read.\n";

struct Finding {
  std::string file;
  int page;
  const match::Pattern* pattern;
  std::vector<std::string> exemptions;  // the pattern's and those of the matches it absorbed
  std::string text;
  std::vector<Rect> boxes;
};

double round2(double v) { return std::round(v * 100.0) / 100.0; }

nlohmann::json to_json(const Finding& f) {
  nlohmann::json boxes = nlohmann::json::array();
  for (const Rect& r : f.boxes) boxes.push_back({round2(r.x0), round2(r.y0), round2(r.x1), round2(r.y1)});
  return {{"file", f.file},         {"page", f.page},       {"category", f.pattern->category},
          {"pattern", f.pattern->id}, {"exemptions", f.exemptions}, {"text", f.text},
          {"boxes", std::move(boxes)}};
}

std::string to_text(const Finding& f) {
  std::ostringstream out;
  out << f.file << ":" << f.page << ": " << f.pattern->category << " " << f.pattern->id << " [";
  for (size_t i = 0; i < f.exemptions.size(); ++i) out << (i ? " " : "") << f.exemptions[i];
  std::string text = f.text;  // one finding, one line
  std::replace(text.begin(), text.end(), '\n', ' ');
  out << "] \"" << text << "\"";
  for (const Rect& r : f.boxes) out << " [" << round2(r.x0) << " " << round2(r.y0) << " " << round2(r.x1) << " " << round2(r.y1) << "]";
  return out.str() + "\n";
}

void scan_text_file(const std::string& path, const match::Matcher& matcher, std::vector<Finding>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, Location(path), "cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string all = buffer.str();
  int page = 1;
  for (size_t start = 0; start <= all.size(); ++page) {
    size_t end = all.find('\f', start);
    if (end == std::string::npos) end = all.size();
    normalize::NormalizedText text = normalize::normalize(std::string_view(all).substr(start, end - start));
    for (const match::Match& m : matcher.find(text.text)) {
      auto [b, e] = text.source_range(m.begin, m.end);
      out.push_back({path, page, &matcher.patterns()[m.pattern], matcher.exemptions(m), all.substr(start + b, e - b), {}});
    }
    start = end + 1;
  }
}

// Time spent reading pages and time spent matching them, for --stats.
struct Stats {
  std::chrono::steady_clock::duration extraction{}, matching{};
  int pages = 0;
};

void scan_pdf(const std::string& path, const std::string& password, const match::Matcher& matcher,
              std::vector<Finding>& out, Console& console, Stats& stats) {
  using clock = std::chrono::steady_clock;
  auto document = pdf::Document::open(path, password);
  Diagnostics diagnostics;
  for (int number = 1; number <= document->page_count(); ++number) {
    const auto start = clock::now();
    pdf::PageContent page = document->read_page(number, diagnostics);
    const auto extracted = clock::now();
    // Every reading, as `run` matches them: what scan lists is what run
    // removes ("£ 7 , 5 0 0" set letter-spaced is read as "£7,500").
    const std::vector<plan::ReadingMatch> found = plan::match_readings(page, matcher);
    stats.extraction += extracted - start;
    stats.matching += clock::now() - extracted;
    ++stats.pages;
    // The longest reading of each match ("£ 7,500", not the "£ 7" of the
    // reading that parts the letters), once, in the order the page draws
    // them.
    std::vector<const plan::ReadingMatch*> longest;
    for (const plan::ReadingMatch& one : found) longest.push_back(&one);
    std::stable_sort(longest.begin(), longest.end(), [](const plan::ReadingMatch* a, const plan::ReadingMatch* b) {
      return a->located.glyphs.size() > b->located.glyphs.size();
    });
    std::set<uint32_t> listed;
    std::vector<const plan::ReadingMatch*> listing;
    for (const plan::ReadingMatch* one : longest) {
      const std::vector<uint32_t>& glyphs = one->located.glyphs;
      if (std::all_of(glyphs.begin(), glyphs.end(), [&](uint32_t g) { return listed.contains(g); })) continue;
      listed.insert(glyphs.begin(), glyphs.end());
      listing.push_back(one);
    }
    const auto first_glyph = [](const plan::ReadingMatch* m) {
      return m->located.glyphs.empty() ? UINT32_MAX : *std::min_element(m->located.glyphs.begin(), m->located.glyphs.end());
    };
    std::stable_sort(listing.begin(), listing.end(),
                     [&](const plan::ReadingMatch* a, const plan::ReadingMatch* b) { return first_glyph(a) < first_glyph(b); });
    for (const plan::ReadingMatch* one : listing) {
      const match::Match& m = one->located.match;
      // A reading stands a zero-width joiner in for what it reads as
      // nothing ("S-p-a-i-n"): the listing shows the word.
      constexpr std::string_view nothing = extract::kReadAsNothing;
      std::string text = one->text;
      for (size_t at = text.find(nothing); at != std::string::npos; at = text.find(nothing, at)) text.erase(at, nothing.size());
      out.push_back({path, number, &matcher.patterns()[m.pattern], matcher.exemptions(m), text, one->located.boxes});
    }
    // Scanning is not publishing, but a reader must know what it could not see.
    const Location where(path, number);
    if (page.unknown_glyphs > 0) {
      diagnostics.warn(where, std::to_string(page.unknown_glyphs) + " glyphs have no known Unicode value; matches may be missing");
    }
    if (!page.complete) diagnostics.warn(where, "the page could not be read completely; matches may be missing");
    if (page.glyphs.empty() && !page.images.empty()) {
      diagnostics.warn(where, "page has images but no text layer (a scan?); its text cannot be searched");
    }
  }
  for (const Diagnostic& d : diagnostics.items()) console.warning(d.to_string());
}

}  // namespace

int scan_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("scan", kUsage);
  command.add_format();
  command.options().add_options()("stats", "print to stderr the time spent extracting PDF pages and reading them every way and matching them");
  add_matching_options(command.options());
  command.add_password();
  if (auto status = command.parse(args, console)) return *status;
  const po::variables_map& vm = command.values();
  const std::string format = command.format();
  const auto files = command.positionals();
  if (files.empty()) return command.usage_error(console, "give at least one file");
  std::unique_ptr<match::Matcher> matcher;
  MatchingConfig config;
  try {
    config = matching_config(vm);
    matcher = std::make_unique<match::Matcher>(config.patterns, config.matcher);
  } catch (const Error& e) {
    console.error(e.what());
    return kExitUsage;
  }

  bool failed = false;
  Stats stats;
  std::vector<Finding> findings;
  nlohmann::json json = nlohmann::json::array();
  for (const std::string& file : files) {
    const size_t before = findings.size();
    try {
      if (file.ends_with(".txt")) scan_text_file(file, *matcher, findings);
      else scan_pdf(file, command.password(), *matcher, findings, console, stats);
    } catch (const Error& e) {
      console.error(e.what());
      failed = true;
    } catch (const std::bad_alloc&) {
      console.error(Error(ErrorKind::limit, Location(file), "ran out of memory").what());
      failed = true;
    }
    for (size_t i = before; i < findings.size(); ++i) {
      if (format == "json") json.push_back(to_json(findings[i]));
      else console.out(to_text(findings[i]));
    }
  }
  if (format == "json") console.out(json.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  if (vm.count("stats")) {
    using seconds = std::chrono::duration<double>;
    const double extraction = seconds(stats.extraction).count(), matching = seconds(stats.matching).count();
    char line[200];
    std::snprintf(line, sizeof line, "stats: %d pages; extraction %.3f s, matching %.3f s (%.1f%% of extraction)",
                  stats.pages, extraction, matching, extraction > 0 ? 100.0 * matching / extraction : 0.0);
    console.error(line);
  }
  if (failed) return kExitFailed;
  return findings.empty() ? kExitOk : kExitFound;
}

}  // namespace redact::cli
