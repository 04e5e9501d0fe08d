#include "extract/layout.h"

#include <algorithm>
#include <cmath>

namespace redact::extract {
namespace {

Point sub(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
double dot(Point a, Point b) { return a.x * b.x + a.y * b.y; }
double cross(Point a, Point b) { return a.x * b.y - a.y * b.x; }

// The reading direction of a glyph in page space (unit vector), taken from
// the upright side of its quad so that zero-width glyphs have one too.
Point direction(const pdf::Glyph& g) {
  Point up = sub(g.quad.ul, g.quad.ll);  // points up the glyph (negative y when upright)
  double len = std::hypot(up.x, up.y);
  if (len == 0) {
    Point along = sub(g.end, g.origin);
    double l = std::hypot(along.x, along.y);
    return l == 0 ? Point{1, 0} : Point{along.x / l, along.y / l};
  }
  return {-up.y / len, up.x / len};
}

bool is_space(const std::string& text) {
  return text == " " || text == "\xC2\xA0" || text == "\t" || text == "\n" || text == "\r";
}

// A line under construction, in content order.
struct RawLine {
  Point dir;
  Point origin;               // baseline origin of its first glyph
  double size = 0;
  double start = 0, end = 0;  // along `dir`, from `origin`
  std::vector<int64_t> items; // glyph indices; a word break is -1, or -2 - i for space glyph i
};

int direction_group(Point dir) {
  // 0 upright, then 90, 180, 270 degrees and anything else.
  double angle = std::atan2(dir.y, dir.x) * 180.0 / 3.14159265358979323846;
  int quarter = static_cast<int>(std::lround(angle / 90.0));
  if (std::abs(angle - quarter * 90.0) > 10) return 4;
  return (quarter % 4 + 4) % 4;
}

}  // namespace

PageText layout(const pdf::PageContent& page) {
  const auto& glyphs = page.glyphs;
  std::vector<RawLine> raw;
  // A space glyph is a word break only where the glyphs around it do not
  // touch: producers kern across real spaces (groff sets "Tw o" with the
  // "o" pulled back over the space), and readers see "Two".
  int64_t pending_space = -1;  // the last space glyph since the previous letter
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const pdf::Glyph& g = glyphs[i];
    if (is_space(g.text)) {
      pending_space = static_cast<int64_t>(i);
      continue;
    }
    const Point dir = direction(g);
    const double size = g.size > 0 ? g.size : 1;
    RawLine* line = raw.empty() ? nullptr : &raw.back();
    if (line) {
      const double tolerance = 0.5 * std::max(size, line->size);
      const Point rel = sub(g.origin, line->origin);
      const double along = dot(line->dir, rel);
      const bool same_dir = dot(dir, line->dir) > 0.95;
      const bool same_baseline = std::abs(cross(line->dir, rel)) < tolerance;
      const bool forward = along > line->end - tolerance && along < line->end + 30 * size;
      if (!(same_dir && same_baseline && forward)) line = nullptr;
    }
    if (!line) {
      raw.push_back(RawLine{dir, g.origin, size, 0, 0, {}});
      line = &raw.back();
    } else {
      const double gap = dot(line->dir, sub(g.origin, line->origin)) - line->end;
      const double needed = (pending_space >= 0 ? kSpaceGlyphGap : kSpaceGap) * size;
      if (gap > needed) line->items.push_back(pending_space >= 0 ? -2 - pending_space : -1);
    }
    pending_space = -1;
    line->items.push_back(static_cast<int64_t>(i));
    line->end = std::max(line->end, dot(line->dir, sub(g.end, line->origin)));
    line->size = std::max(line->size, size);
  }

  // Reading order: direction group, then baseline across the direction,
  // then position along it.
  struct Key {
    int group;
    double across, along;
    size_t index;
  };
  std::vector<Key> keys;
  for (size_t i = 0; i < raw.size(); ++i) {
    const RawLine& l = raw[i];
    const int group = direction_group(l.dir);
    // Rotate the frame so the line reads left to right, top to bottom.
    const Point normal{-l.dir.y, l.dir.x};  // "down" for the line
    const Point reference = group == 4 ? l.dir : Point{std::round(l.dir.x), std::round(l.dir.y)};
    const Point down = group == 4 ? normal : Point{-reference.y, reference.x};
    keys.push_back({group, dot(down, l.origin), dot(reference, l.origin) + l.start, i});
  }
  std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.group != b.group) return a.group < b.group;
    return a.across < b.across;
  });

  PageText out;
  auto append = [&out](const std::string& text, int32_t glyph) {
    out.text += text;
    out.text_glyphs.insert(out.text_glyphs.end(), text.size(), glyph);
  };
  for (size_t k = 0; k < keys.size();) {
    // Lines whose baselines are within a third of the font size form one row.
    size_t end = k + 1;
    const double tolerance = 0.3 * raw[keys[k].index].size;
    while (end < keys.size() && keys[end].group == keys[k].group && keys[end].across - keys[k].across < tolerance) ++end;
    std::stable_sort(keys.begin() + static_cast<std::ptrdiff_t>(k), keys.begin() + static_cast<std::ptrdiff_t>(end),
                     [](const Key& a, const Key& b) { return a.along < b.along; });

    Line line;
    Word word;
    int32_t separator = -1;  // the space glyph of the break before the next word, if any
    auto finish_word = [&] {
      if (word.glyphs.empty()) return;
      if (!line.words.empty()) append(" ", separator);
      separator = -1;
      for (uint32_t gi : word.glyphs) append(glyphs[gi].text, static_cast<int32_t>(gi));
      line.box = line.words.empty() ? word.box : line.box.united(word.box);
      line.words.push_back(std::move(word));
      word = Word{};
    };
    if (!out.lines.empty()) append("\n", -1);
    for (size_t r = k; r < end; ++r) {
      for (int64_t item : raw[keys[r].index].items) {
        if (item < 0) {
          finish_word();
          if (item <= -2) separator = static_cast<int32_t>(-2 - item);
          continue;
        }
        const pdf::Glyph& g = glyphs[static_cast<size_t>(item)];
        word.text += g.text;
        word.box = word.glyphs.empty() ? g.box : word.box.united(g.box);
        word.glyphs.push_back(static_cast<uint32_t>(item));
      }
      finish_word();  // separate lines of one row are separate words
    }
    // Every raw line holds a letter, so every row has a word.
    out.lines.push_back(std::move(line));
    k = end;
  }
  return out;
}

}  // namespace redact::extract
