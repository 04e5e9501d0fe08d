#include "plan/locate.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace redact::plan {

std::vector<Located> locate(const pdf::PageContent& page, const extract::PageText& text,
                            const normalize::NormalizedText& normalized, const std::vector<match::Match>& matches,
                            std::span<const std::pair<uint32_t, uint32_t>> whole) {
  if (matches.empty()) return {};
  // Which line each glyph is on.
  std::vector<int32_t> line_of(page.glyphs.size(), -1);
  for (size_t l = 0; l < text.lines.size(); ++l) {
    for (const extract::Word& w : text.lines[l].words) {
      for (uint32_t g : w.glyphs) line_of[g] = static_cast<int32_t>(l);
    }
  }
  std::vector<Located> out;
  for (const match::Match& m : matches) {
    Located found{m, {}, {}, {}};
    auto [begin, end] = normalized.source_range(m.begin, m.end);
    int32_t last = -1;
    for (size_t i = begin; i < end && i < text.text_glyphs.size(); ++i) {
      const int32_t g = text.text_glyphs[i];
      if (g < 0 || g == last) continue;
      last = g;
      found.glyphs.push_back(static_cast<uint32_t>(g));
      // The rest of what is read as one, right after it: on its line (they
      // are on none of this reading's).
      const auto range = std::lower_bound(whole.begin(), whole.end(), std::pair<uint32_t, uint32_t>{g, 0});
      if (range != whole.end() && range->first == static_cast<uint32_t>(g)) {
        for (uint32_t k = range->first + 1; k < range->second; ++k) found.glyphs.push_back(k);
      }
    }
    std::map<int32_t, Rect> by_line;
    std::map<int32_t, std::vector<uint32_t>> glyphs_of_line;
    int32_t line = -1;
    for (uint32_t g : found.glyphs) {
      if (line_of[g] >= 0 || line < 0) line = line_of[g];  // a space glyph goes with the word before it
      const Rect& box = page.glyphs[g].box;
      auto [it, inserted] = by_line.emplace(line, box);
      if (!inserted) it->second = it->second.united(box);
      glyphs_of_line[line].push_back(g);
    }
    for (const auto& [l, box] : by_line) {
      found.boxes.push_back(box);
      // The glyphs' corners measured along the line's direction and across
      // it: the smallest rectangle turned with the text that holds them.
      const std::vector<uint32_t>& glyphs = glyphs_of_line[l];
      const Point along = extract::reading_direction(page.glyphs[glyphs.front()]);
      const Point across{-along.y, along.x};
      const bool upright = std::abs(along.x) < 1e-6 || std::abs(along.y) < 1e-6;
      if (upright) {
        found.quads.push_back(Quad{{box.x0, box.y0}, {box.x1, box.y0}, {box.x0, box.y1}, {box.x1, box.y1}});
        continue;
      }
      double a0 = 1e300, a1 = -1e300, c0 = 1e300, c1 = -1e300;
      for (uint32_t g : glyphs) {
        const Quad& q = page.glyphs[g].quad;
        for (const Point& p : {q.ul, q.ur, q.ll, q.lr}) {
          a0 = std::min(a0, dot(along, p));
          a1 = std::max(a1, dot(along, p));
          c0 = std::min(c0, dot(across, p));
          c1 = std::max(c1, dot(across, p));
        }
      }
      auto at = [&](double a, double c) { return Point{a * along.x + c * across.x, a * along.y + c * across.y}; };
      found.quads.push_back(Quad{at(a0, c0), at(a1, c0), at(a0, c1), at(a1, c1)});
    }
    out.push_back(std::move(found));
  }
  return out;
}

}  // namespace redact::plan
