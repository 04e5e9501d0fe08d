#include "plan/locate.h"

#include <algorithm>
#include <map>

namespace redact::plan {

std::vector<Located> locate(const pdf::PageContent& page, const extract::PageText& text,
                            const normalize::NormalizedText& normalized, const std::vector<match::Match>& matches) {
  // Which line each glyph is on.
  std::vector<int32_t> line_of(page.glyphs.size(), -1);
  for (size_t l = 0; l < text.lines.size(); ++l) {
    for (const extract::Word& w : text.lines[l].words) {
      for (uint32_t g : w.glyphs) line_of[g] = static_cast<int32_t>(l);
    }
  }
  std::vector<Located> out;
  for (const match::Match& m : matches) {
    Located found{m, {}, {}};
    auto [begin, end] = normalized.source_range(m.begin, m.end);
    int32_t last = -1;
    for (size_t i = begin; i < end && i < text.text_glyphs.size(); ++i) {
      const int32_t g = text.text_glyphs[i];
      if (g < 0 || g == last) continue;
      last = g;
      found.glyphs.push_back(static_cast<uint32_t>(g));
    }
    std::map<int32_t, Rect> by_line;
    int32_t line = -1;
    for (uint32_t g : found.glyphs) {
      if (line_of[g] >= 0 || line < 0) line = line_of[g];  // a space glyph goes with the word before it
      const Rect& box = page.glyphs[g].box;
      auto [it, inserted] = by_line.emplace(line, box);
      if (!inserted) it->second = it->second.united(box);
    }
    for (const auto& entry : by_line) found.boxes.push_back(entry.second);
    out.push_back(std::move(found));
  }
  return out;
}

}  // namespace redact::plan
