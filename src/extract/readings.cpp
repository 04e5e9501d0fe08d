#include "extract/readings.h"

#include <algorithm>
#include <cmath>

namespace redact::extract {
namespace {

// Content order, with lines broken where the text leaves the baseline, turns,
// jumps back, or leaps more than `column_gap` font sizes ahead.
PageText in_content_order(const pdf::PageContent& page, double column_gap) {
  std::vector<std::vector<int64_t>> lines;
  const pdf::Glyph* last = nullptr;
  Point dir{1, 0};
  int64_t pending_space = -1;
  for (size_t i = 0; i < page.glyphs.size(); ++i) {
    const pdf::Glyph& g = page.glyphs[i];
    if (is_space(g.text)) {
      pending_space = static_cast<int64_t>(i);
      continue;
    }
    const double size = std::max(g.size, 1e-3);
    bool new_line = last == nullptr;
    if (last) {
      const Point rel = sub(g.origin, last->next);
      const double along = dot(dir, rel);
      const double tolerance = 0.5 * std::max(size, last->size);
      // Text that goes on forward may rise and fall more (a wavy baseline
      // made with Ts) than text that could be the next line.
      const bool onward = along > -tolerance && along < column_gap * size;
      const double off_baseline = (onward ? 0.8 : 0.5) * std::max(size, last->size);
      new_line = dot(reading_direction(g), dir) < 0.95 || std::abs(cross(dir, rel)) > off_baseline || !onward;
      if (!new_line) {
        const bool same_operation = g.source.stream == last->source.stream && g.source.op == last->source.op;
        const double needed = (pending_space >= 0 ? kSpaceGlyphGap : same_operation ? kSpaceGap : kOperationGap) * size;
        if (along > needed) {
          lines.back().push_back(pending_space >= 0 ? -2 - pending_space : -1);
        }
      }
    }
    if (new_line) {
      lines.emplace_back();
      dir = reading_direction(g);
    }
    lines.back().push_back(static_cast<int64_t>(i));
    last = &g;
    pending_space = -1;
  }
  return assemble(page, lines);
}

// Joins runs of single-letter words: where the gaps are even (word gaps,
// clearly wider, kept), or, with `whole_runs`, every run whatever its gaps.
PageText join_runs(const pdf::PageContent& page, const PageText& text, bool whole_runs) {
  std::vector<std::vector<int64_t>> lines;
  for (const Line& line : text.lines) {
    std::vector<int64_t>& items = lines.emplace_back();
    const std::vector<Word>& words = line.words;
    for (size_t w = 0; w < words.size();) {
      // A run of two or more single-glyph words.
      size_t end = w;
      while (end < words.size() && words[end].glyphs.size() == 1) ++end;
      if (end - w < 2) {
        if (!items.empty()) items.push_back(-1);
        for (uint32_t g : words[w].glyphs) items.push_back(g);
        ++w;
        continue;
      }
      // Gaps between the letters of the run, along its direction.
      std::vector<double> gaps;
      for (size_t k = w + 1; k < end; ++k) {
        const pdf::Glyph& a = page.glyphs[words[k - 1].glyphs[0]];
        const pdf::Glyph& b = page.glyphs[words[k].glyphs[0]];
        gaps.push_back(dot(reading_direction(a), sub(b.origin, a.end)));
      }
      const double letter_gap = *std::min_element(gaps.begin(), gaps.end());
      if (!items.empty()) items.push_back(-1);
      items.push_back(words[w].glyphs[0]);
      for (size_t k = w + 1; k < end; ++k) {
        const pdf::Glyph& b = page.glyphs[words[k].glyphs[0]];
        if (!whole_runs && gaps[k - w - 1] > letter_gap + 0.2 * std::max(b.size, 1e-3)) items.push_back(-1);
        items.push_back(words[k].glyphs[0]);
      }
      w = end;
    }
  }
  return assemble(page, lines);
}

// Whether a line has two single-glyph words in a row: the only thing
// join_letter_spacing changes.
bool has_letter_run(const PageText& text) {
  for (const Line& line : text.lines) {
    for (size_t w = 1; w < line.words.size(); ++w) {
      if (line.words[w].glyphs.size() == 1 && line.words[w - 1].glyphs.size() == 1) return true;
    }
  }
  return false;
}

}  // namespace

PageText content_order(const pdf::PageContent& page) { return in_content_order(page, kColumnGap); }

PageText join_letter_spacing(const pdf::PageContent& page, const PageText& text) { return join_runs(page, text, false); }

std::vector<Reading> all_readings(const pdf::PageContent& page) {
  std::vector<Reading> out;
  auto add = [&](const char* name, PageText text) {
    for (const Reading& r : out) {
      if (r.text.text == text.text) return;
    }
    out.push_back({name, std::move(text)});
  };
  add("layout", layout(page));
  add("content order", content_order(page));
  const size_t base = out.size();
  for (size_t i = 0; i < base; ++i) {
    if (has_letter_run(out[i].text)) {
      add(i == 0 ? "letter spacing" : "letter spacing in content order", join_letter_spacing(page, out[i].text));
    }
  }
  // Letters spread wider than a column gap, or unevenly: every run of single
  // letters joined, in content order without the column break.
  const PageText spread = in_content_order(page, kSpreadGap);
  if (has_letter_run(spread)) add("spread letters", join_runs(page, spread, true));
  return out;
}

}  // namespace redact::extract
