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
      // A gap of a column or more starts a new line: the next table cell.
      const bool forward = along > line->end - tolerance && along < line->end + kColumnGap * size;
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

  // Each line in a frame turned so that it reads left to right, top to
  // bottom: `across` grows down the page, `along` along the line.
  struct Frame {
    int group;
    double across, start, end;
  };
  std::vector<Frame> frames;
  for (const RawLine& l : raw) {
    const int group = direction_group(l.dir);
    const Point reference = group == 4 ? l.dir : Point{std::round(l.dir.x), std::round(l.dir.y)};
    const Point down{-reference.y, reference.x};
    const double base = dot(reference, l.origin);
    frames.push_back({group, dot(down, l.origin), base + l.start, base + l.end});
  }

  // Blocks: lines that read on from one another, a paragraph or a table
  // cell. A line joins a recent block whose last line is directly above it
  // and overlaps it along; looking back over several blocks keeps a cell
  // whole when a producer draws tables row by row.
  constexpr size_t kBlocksLookedBack = 64;
  std::vector<std::vector<size_t>> blocks;
  for (size_t i = 0; i < raw.size(); ++i) {
    const Frame& f = frames[i];
    std::vector<size_t>* home = nullptr;
    for (size_t b = blocks.size(); b-- > 0 && blocks.size() - b <= kBlocksLookedBack;) {
      const Frame& last = frames[blocks[b].back()];
      const double step = f.across - last.across;
      const double size = std::max(raw[i].size, raw[blocks[b].back()].size);
      if (last.group == f.group && step > 0.3 * size && step <= 2.0 * size &&
          std::min(f.end, last.end) > std::max(f.start, last.start)) {
        home = &blocks[b];
        break;
      }
    }
    if (home) home->push_back(i);
    else blocks.push_back({i});
  }

  // Reading order: direction group, then the first baseline across, then
  // blocks that start on one baseline (table cells of a row) left to right.
  std::stable_sort(blocks.begin(), blocks.end(), [&](const auto& a, const auto& b) {
    const Frame &fa = frames[a.front()], &fb = frames[b.front()];
    if (fa.group != fb.group) return fa.group < fb.group;
    return fa.across < fb.across;
  });
  for (size_t k = 0; k < blocks.size();) {
    size_t end = k + 1;
    const Frame& first = frames[blocks[k].front()];
    const double tolerance = 0.3 * raw[blocks[k].front()].size;
    while (end < blocks.size() && frames[blocks[end].front()].group == first.group &&
           frames[blocks[end].front()].across - first.across < tolerance) {
      ++end;
    }
    std::stable_sort(blocks.begin() + static_cast<std::ptrdiff_t>(k), blocks.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](const auto& a, const auto& b) { return frames[a.front()].start < frames[b.front()].start; });
    k = end;
  }

  PageText out;
  auto append = [&out](const std::string& text, int32_t glyph) {
    out.text += text;
    out.text_glyphs.insert(out.text_glyphs.end(), text.size(), glyph);
  };
  for (const std::vector<size_t>& block : blocks) {
    for (size_t index : block) {
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
      for (int64_t item : raw[index].items) {
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
      finish_word();
      // Every raw line holds a letter, so every line has a word.
      out.lines.push_back(std::move(line));
    }
  }
  return out;
}

}  // namespace redact::extract
