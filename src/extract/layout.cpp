#include "extract/layout.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>

#include "core/unicode.h"

namespace redact::extract {

// The reading direction of a glyph in page space (unit vector): along its
// baseline, so that skewed text (synthetic italics, `1 0 0.27 1 x y Tm`)
// reads along its line and not along its slant; from the upright side of
// its quad for a zero-width glyph, or where the two disagree by more than a
// slant (vertical writing).
Point reading_direction(const pdf::Glyph& g) {
  Point up = sub(g.quad.ul, g.quad.ll);  // points up the glyph (negative y when upright)
  const double up_length = std::hypot(up.x, up.y);
  const Point from_quad = up_length == 0 ? Point{0, 0} : Point{-up.y / up_length, up.x / up_length};
  const Point along = sub(g.end, g.origin);
  const double along_length = std::hypot(along.x, along.y);
  const Point baseline = along_length == 0 ? Point{0, 0} : Point{along.x / along_length, along.y / along_length};
  if (along_length > 0 && (up_length == 0 || dot(baseline, from_quad) > 0.7)) return baseline;
  return up_length == 0 ? Point{1, 0} : from_quad;
}

namespace {

// A line under construction, in content order.
struct RawLine {
  Point dir;
  Point origin;               // baseline origin of its first glyph
  double size = 0;
  double start = 0, end = 0;  // along `dir`, from `origin`
  bool merged = false;        // lines were merged into it: items to be put in order
  std::vector<int64_t> items; // glyph indices; a word break is -1, or -2 - i for space glyph i
};


// Whether some glyph of `b` lies over a glyph of `a` (by more than a third
// of the narrower one), along a's direction: text drawn over text (hidden
// text over visible, fake bold), which must stay two lines.
bool glyphs_collide(const RawLine& a, const RawLine& b, const std::vector<pdf::Glyph>& glyphs) {
  auto spans = [&](const RawLine& line) {
    std::vector<std::pair<double, double>> out;
    for (int64_t item : line.items) {
      if (item < 0) continue;
      const pdf::Glyph& g = glyphs[static_cast<size_t>(item)];
      const double x0 = dot(a.dir, sub(g.origin, a.origin)), x1 = dot(a.dir, sub(g.end, a.origin));
      out.emplace_back(std::min(x0, x1), std::max(x0, x1));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto sa = spans(a), sb = spans(b);
  size_t j = 0;
  for (const auto& [x0, x1] : sb) {
    while (j < sa.size() && sa[j].second <= x0) ++j;
    for (size_t k = j; k < sa.size() && sa[k].first < x1; ++k) {
      const double overlap = std::min(x1, sa[k].second) - std::max(x0, sa[k].first);
      const double narrower = std::min(x1 - x0, sa[k].second - sa[k].first);
      if (overlap > narrower / 3) return true;
    }
  }
  return false;
}

// Lines that run the same way on one baseline and overlap along it are one
// line drawn out of order (a header whose capitals and small letters are
// set separately: "S L" + "ri" + "anka"). They are merged, their glyphs put
// in order along the line, and their word breaks found again from the gaps.
void merge_interleaved(std::vector<RawLine>& raw, const std::vector<pdf::Glyph>& glyphs) {
  if (raw.size() < 2) return;
  std::vector<size_t> order(raw.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto across = [&](size_t i) { return cross(raw[i].dir, raw[i].origin); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return across(a) < across(b); });
  std::vector<bool> merged_away(raw.size(), false);
  bool any = false;
  for (size_t k = 0; k < order.size(); ++k) {
    RawLine& home = raw[order[k]];
    if (merged_away[order[k]]) continue;
    // A bounded look along the baseline: text drawn many times over one
    // place (a hostile form fan-out) must not make this quadratic.
    constexpr size_t kLinesLookedAt = 32;
    for (size_t m = k + 1; m < order.size() && m <= k + kLinesLookedAt; ++m) {
      RawLine& other = raw[order[m]];
      const double tolerance = 0.2 * std::min(home.size, other.size);
      if (across(order[m]) - across(order[k]) > tolerance) break;
      if (merged_away[order[m]] || dot(home.dir, other.dir) < 0.95) continue;
      const Point rel = sub(other.origin, home.origin);
      if (std::abs(cross(home.dir, rel)) > tolerance) continue;
      const double shift = dot(home.dir, rel);
      const double slack = kSpaceGap * std::max(home.size, other.size);
      if (other.start + shift > home.end + slack || other.end + shift < home.start - slack) continue;
      if (glyphs_collide(home, other, glyphs)) continue;
      for (int64_t item : other.items) {
        if (item >= 0) home.items.push_back(item);
      }
      home.start = std::min(home.start, other.start + shift);
      home.end = std::max(home.end, other.end + shift);
      home.size = std::max(home.size, other.size);
      merged_away[order[m]] = true;
      any = true;
      home.merged = true;
    }
  }
  if (!any) return;
  std::vector<RawLine> kept;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (merged_away[i]) continue;
    RawLine line = std::move(raw[i]);
    if (line.merged) {
      std::vector<int64_t> letters;
      for (int64_t item : line.items) {
        if (item >= 0) letters.push_back(item);
      }
      auto along = [&](int64_t g) { return dot(line.dir, sub(glyphs[static_cast<size_t>(g)].origin, line.origin)); };
      std::stable_sort(letters.begin(), letters.end(), [&](int64_t a, int64_t b) { return along(a) < along(b); });
      line.items.clear();
      for (size_t j = 0; j < letters.size(); ++j) {
        if (j > 0) {
          const pdf::Glyph& prev = glyphs[static_cast<size_t>(letters[j - 1])];
          const pdf::Glyph& g = glyphs[static_cast<size_t>(letters[j])];
          const double end = dot(line.dir, sub(prev.end, line.origin));
          if (along(letters[j]) - end > kSpaceGap * std::max(g.size, 1e-3)) line.items.push_back(-1);
        }
        line.items.push_back(letters[j]);
      }
    }
    kept.push_back(std::move(line));
  }
  raw = std::move(kept);
}

}  // namespace

bool is_space(const std::string& text) {
  return text == " " || text == "\xC2\xA0" || text == "\t" || text == "\n" || text == "\r";
}

namespace {

// Whether every character of a glyph's text is punctuation or a symbol.
bool all_punctuation(const std::string& text) {
  int32_t at = 0;
  const auto length = static_cast<int32_t>(text.size());
  while (at < length) {
    UChar32 c;
    U8_NEXT(text.data(), at, length, c);
    if (c < 0) return false;
    const auto kind = U_GET_GC_MASK(c);
    if (!(kind & (U_GC_P_MASK | U_GC_S_MASK))) return false;
  }
  return length > 0;
}

bool all_controls(const std::string& text) {
  size_t at = 0;
  while (at < text.size() && control_length(text, at) > 0) at += control_length(text, at);
  return !text.empty() && at == text.size();
}

}  // namespace

GlyphFacts::GlyphFacts(const pdf::PageContent& page) {
  const size_t n = page.glyphs.size();
  directions_.reserve(n);
  kinds_.reserve(n);
  text_starts_.reserve(n + 1);
  texts_.reserve(n);
  for (const pdf::Glyph& g : page.glyphs) {
    directions_.push_back(reading_direction(g));
    kinds_.push_back(static_cast<uint8_t>((is_space(g.text) ? kSpace : 0) | (all_punctuation(g.text) ? kPunctuation : 0) |
                                          (all_controls(g.text) ? kControls : 0)));
    text_starts_.push_back(texts_.size());
    texts_ += g.text;
  }
  text_starts_.push_back(texts_.size());
}

int direction_group(Point dir) {
  // 0 upright, then 90, 180, 270 degrees and anything else.
  double angle = std::atan2(dir.y, dir.x) * 180.0 / 3.14159265358979323846;
  int quarter = static_cast<int>(std::lround(angle / 90.0));
  if (std::abs(angle - quarter * 90.0) > 10) return 4;
  return (quarter % 4 + 4) % 4;
}

PageText layout(const pdf::PageContent& page) { return layout(page, GlyphFacts(page)); }

PageText layout(const pdf::PageContent& page, const GlyphFacts& facts) {
  const auto& glyphs = page.glyphs;
  std::vector<RawLine> raw;
  // A space glyph is a word break only where the glyphs around it do not
  // touch: producers kern across real spaces (groff sets "Tw o" with the
  // "o" pulled back over the space), and readers see "Two".
  int64_t pending_space = -1;  // the last space glyph since the previous letter
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const pdf::Glyph& g = glyphs[i];
    if (facts.space(i)) {
      pending_space = static_cast<int64_t>(i);
      continue;
    }
    const Point dir = facts.direction(i);
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
      raw.push_back(RawLine{dir, g.origin, size, 0, 0, false, {}});
      line = &raw.back();
    } else {
      // The gap is measured from the end of the previous glyph's own
      // advance, without Tc and Tw, as poppler measures it: producers set
      // word gaps with character spacing (Ghostscript's "2.75 Tc (,F) Tj").
      // Letter spacing made that way is joined by the other readings
      // (readings.h).
      const double gap = dot(line->dir, sub(g.origin, line->origin)) - line->end;
      const double needed = (pending_space >= 0 ? kSpaceGlyphGap : kSpaceGap) * size;
      if (gap > needed) line->items.push_back(pending_space >= 0 ? -2 - pending_space : -1);
    }
    pending_space = -1;
    line->items.push_back(static_cast<int64_t>(i));
    line->end = std::max(line->end, dot(line->dir, sub(g.end, line->origin)));
    line->size = std::max(line->size, size);
  }

  merge_interleaved(raw, glyphs);

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

  // For the patterns, a block boundary only where a block goes on along the
  // baseline of the line before it, kBlockGap or more away: the next cell of
  // a table row, text after a column of line numbers. A new baseline, a turn
  // or words spread by wide justification are only a line break: a phrase
  // drawn over two lines or out of order still reads as one.
  std::vector<std::vector<int64_t>> lines;
  std::vector<bool> new_blocks;
  const std::vector<size_t>* previous = nullptr;  // the block before
  for (const std::vector<size_t>& block : blocks) {
    const Frame& first = frames[block.front()];
    const double size = raw[block.front()].size;
    // Beside the last line of the block before (the next cell of a row), or
    // beside the first line of a narrow block before (a column of line
    // numbers or row codes). Not beside the first line of a wide block: the
    // top of a text's second column goes on from the bottom of its first.
    auto beside = [&](size_t index) {
      const Frame& f = frames[index];
      return f.group == first.group && std::abs(first.across - f.across) <= 0.3 * size &&
             first.start - f.end >= kBlockGap * size;
    };
    auto narrow = [&](const std::vector<size_t>& b) {
      return std::all_of(b.begin(), b.end(), [&](size_t i) { return frames[i].end - frames[i].start <= 4 * raw[i].size; });
    };
    // Text in another direction (a margin note, a rotated stamp) is another
    // block too.
    const bool turns = previous && frames[previous->front()].group != first.group;
    const bool starts = previous && (turns || beside(previous->back()) || (narrow(*previous) && beside(previous->front())));
    for (size_t index : block) {
      new_blocks.push_back(starts && index == block.front());
      lines.push_back(std::move(raw[index].items));
    }
    previous = &block;
  }
  return assemble(facts, lines, new_blocks);
}

PageText assemble(const GlyphFacts& facts, const std::vector<std::vector<int64_t>>& lines,
                  const std::vector<bool>& new_blocks) {
  PageText out;
  // Room for a byte a glyph item and a break between each, most glyphs'
  // text being one byte: counting their bytes would read every glyph once
  // more, out of order, for nothing else.
  size_t items = 0;
  for (const std::vector<int64_t>& line : lines) items += line.size();
  out.text.reserve(items + 2 * lines.size());
  out.text_glyphs.reserve(items + 2 * lines.size());
  out.lines.reserve(lines.size());
  auto append = [&out](std::string_view text, int32_t glyph) {
    out.text += text;
    for (size_t i = 0; i < text.size(); ++i) out.text_glyphs.push_back(glyph);  // most are one byte
  };
  for (size_t l = 0; l < lines.size(); ++l) {
    const std::vector<int64_t>& items_of_line = lines[l];
    Line line;
    line.new_block = l < new_blocks.size() && new_blocks[l];
    Word word;
    int32_t separator = -1;  // the space glyph of the break before the next word, if any
    auto finish_word = [&] {
      if (word.glyphs.empty()) return;
      if (!line.words.empty()) {
        append(" ", separator);
      } else if (!out.lines.empty()) {
        append(line.new_block ? "\n\n" : "\n", -1);
      }
      separator = -1;
      for (uint32_t gi : word.glyphs) append(facts.text(gi), static_cast<int32_t>(gi));
      line.words.push_back(std::move(word));
      word = Word{};
    };
    for (int64_t item : items_of_line) {
      if (item < 0) {
        finish_word();
        if (item <= -2) separator = static_cast<int32_t>(-2 - item);
        continue;
      }
      word.glyphs.push_back(static_cast<uint32_t>(item));
    }
    finish_word();
    if (!line.words.empty()) out.lines.push_back(std::move(line));
  }
  return out;
}

std::string text_of(const pdf::PageContent& page, const Word& word) {
  std::string text;
  for (uint32_t g : word.glyphs) text += page.glyphs[g].text;
  return text;
}

Rect bounds_of(const pdf::PageContent& page, const Word& word) {
  Rect box = page.glyphs[word.glyphs.front()].box;
  for (uint32_t g : word.glyphs) box = box.united(page.glyphs[g].box);
  return box;
}

Rect bounds_of(const pdf::PageContent& page, const Line& line) {
  Rect box = bounds_of(page, line.words.front());
  for (const Word& word : line.words) box = box.united(bounds_of(page, word));
  return box;
}

}  // namespace redact::extract
