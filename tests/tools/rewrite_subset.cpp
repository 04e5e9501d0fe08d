// Test tool for e2e.rewriter_keeps_streams_readable: removes a random subset
// of the glyphs of every page's own content with the content rewriter
// (apply::remove_glyphs), as a redaction would, and writes the result. Prints
// the removed glyphs as JSON lines {"page", "text", "x", "y"} (their origin
// in page space), for the test to hold the referees' reading of the output to
// the input's reading minus exactly these.
//
//   redact_rewrite_subset IN.pdf OUT.pdf SEED FRACTION
#include <cstdio>
#include <iostream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "apply/content_rewriter.h"
#include "core/diagnostics.h"
#include "pdf/document.h"

int main(int argc, char** argv) {
  using namespace redact;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s IN.pdf OUT.pdf SEED FRACTION\n", argv[0]);
    return 2;
  }
  try {
    auto document = pdf::Document::open(argv[1]);
    std::mt19937 random(static_cast<unsigned>(std::stoul(argv[3])));
    std::bernoulli_distribution pick(std::stod(argv[4]));
    for (int number = 1; number <= document->page_count(); ++number) {
      Diagnostics ignored;
      const pdf::PageContent page = document->read_page(number, ignored);
      std::vector<apply::Removal> removals;
      for (const pdf::Glyph& g : page.glyphs) {
        if (g.source.stream != 0 || !pick(random)) continue;
        removals.push_back({g.source.op, g.source.string_index, g.source.byte_index, g.source.byte_count, g.removal_shift});
        std::cout << nlohmann::json{{"page", number}, {"text", g.text}, {"x", g.origin.x}, {"y", g.origin.y}}.dump() << "\n";
      }
      if (removals.empty()) continue;
      const auto ops = pdf::parse_content(page.content, nullptr);
      document->set_page_content(number, "q\n" + apply::remove_glyphs(page.content, ops, removals) + "\nQ\n");
    }
    document->write(argv[2]);
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 3;
  }
  return 0;
}
