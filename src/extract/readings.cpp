#include "extract/readings.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "core/text.h"
#include "core/unicode.h"

namespace redact::extract {
namespace {

// Whether `g`, drawn on the line of `base` (the line's last glyph on its
// own baseline) going `dir`, is a footnote mark: no larger than `base`,
// with its baseline kMarkShift of `base`'s size or more above or below
// (a raised "2" or "a" after "France", a lowered "2"), or kSmallMarkShift
// when it is kSmallMarkSize of it or smaller. Small capitals and
// a heading's larger first letter stand on one baseline: no mark.
bool is_mark(const pdf::Glyph& g, const pdf::Glyph& base, Point dir) {
  if (!(g.size <= base.size * (1 + 1e-6))) return false;
  const double off = std::abs(cross(dir, sub(g.origin, base.origin)));
  if (off >= base.size) return false;
  return off >= kMarkShift * base.size || (g.size <= kSmallMarkSize * base.size && off >= kSmallMarkShift * base.size);
}

// Appends to `out` what a reading puts in place of glyph `g` it reads as
// nothing (kReadAsNothing, mapped to `g`).
void append_nothing(PageText& out, int32_t g) {
  out.text += kReadAsNothing;
  out.text_glyphs.insert(out.text_glyphs.end(), kReadAsNothing.size(), g);
}

// `text` with the glyphs `marks` holds read as nothing: each a zero-width
// joiner of its glyph (normalizing drops it), so that "France" and a raised
// "2" read "France", and a match across a mark still takes its glyph.
PageText marks_read_as_nothing(const PageText& text, const std::vector<bool>& marks) {
  PageText out;
  out.lines = text.lines;
  for (size_t i = 0; i < text.text.size(); ++i) {
    const int32_t g = text.text_glyphs[i];
    if (g < 0 || !marks[static_cast<size_t>(g)]) {
      out.text += text.text[i];
      out.text_glyphs.push_back(g);
    } else if (i == 0 || text.text_glyphs[i - 1] != g) {
      append_nothing(out, g);
    }
  }
  return out;
}

// Content order, with lines broken where the text leaves the baseline, turns,
// jumps back, or leaps more than `column_gap` font sizes ahead; a leap ahead
// on the same baseline (the next table cell, text after a line number)
// starts a block when it is kBlockGap or more. With a `column_gap` wider
// than that (spread letters), such a gap still starts a block unless single
// letters stand on both sides of it (the letters of a spread word).
// With `marks`, each glyph that is a mark on its line (is_mark) is set in
// it (sized to the page's glyphs).
PageText in_content_order(const pdf::PageContent& page, const GlyphFacts& facts, double column_gap,
                          std::vector<bool>* marks = nullptr) {
  std::vector<std::vector<int64_t>> lines;
  std::vector<bool> new_blocks;
  std::vector<std::vector<size_t>> wide;  // per line: items that are gaps of kBlockGap or more
  bool leap = false;
  const pdf::Glyph* last = nullptr;
  const pdf::Glyph* base = nullptr;  // the line's last glyph on its own baseline (is_mark)
  std::array<size_t, kMaxMarkGlyphs + 1> in_a_row{};  // the marks just read
  size_t marks_in_a_row = 0;
  if (marks) marks->assign(page.glyphs.size(), false);
  Point dir{1, 0};
  int64_t pending_space = -1;
  for (size_t i = 0; i < page.glyphs.size(); ++i) {
    const pdf::Glyph& g = page.glyphs[i];
    if (facts.space(i)) {
      pending_space = static_cast<int64_t>(i);
      continue;
    }
    const double size = std::max(g.size, 1e-3);
    const Point g_dir = facts.direction(i);
    bool new_line = last == nullptr;
    if (last) {
      const Point rel = sub(g.origin, last->next);
      const double along = dot(dir, rel);
      const double tolerance = 0.5 * std::max(size, last->size);
      // Text that goes on forward may rise and fall more (a wavy baseline
      // made with Ts) than text that could be the next line.
      const bool onward = along > -tolerance && along < column_gap * size;
      const double off_baseline = (onward ? 0.8 : 0.5) * std::max(size, last->size);
      const bool turns = dot(g_dir, dir) < 0.95;
      new_line = turns || std::abs(cross(dir, rel)) > off_baseline || !onward;
      leap = new_line && (turns || (along >= std::max(column_gap, kBlockGap) * size && std::abs(cross(dir, rel)) <= off_baseline));
      if (!new_line) {
        const bool same_operation = g.source.stream == last->source.stream && g.source.op == last->source.op;
        const double needed = (pending_space >= 0 ? kSpaceGlyphGap : same_operation ? kSpaceGap : kOperationGap) * size;
        if (along > needed) {
          if (along >= kBlockGap * size) wide.back().push_back(lines.back().size());
          lines.back().push_back(pending_space >= 0 ? -2 - pending_space : -1);
        }
      }
    }
    if (new_line) {
      lines.emplace_back();
      wide.emplace_back();
      new_blocks.push_back(leap);
      dir = g_dir;
    }
    if (marks && !new_line && base && is_mark(g, *base, dir)) {
      (*marks)[i] = true;
      in_a_row[marks_in_a_row++] = i;
      // More in a row than a mark has: text on a baseline of its own (the
      // next cell of a table), which goes on from here.
      if (marks_in_a_row > kMaxMarkGlyphs) {
        for (size_t k = 0; k < marks_in_a_row; ++k) (*marks)[in_a_row[k]] = false;
        marks_in_a_row = 0;
        base = &g;
      }
    } else {
      base = &g;
      marks_in_a_row = 0;
    }
    lines.back().push_back(static_cast<int64_t>(i));
    last = &g;
    pending_space = -1;
  }
  if (column_gap <= kBlockGap) return assemble(facts, lines, new_blocks);

  // Split at wide gaps that do not stand between two single letters.
  std::vector<std::vector<int64_t>> split;
  std::vector<bool> split_blocks;
  for (size_t l = 0; l < lines.size(); ++l) {
    const std::vector<int64_t>& items = lines[l];
    auto word_length = [&](size_t from, int step) {  // glyphs of the word next to a break, going `step`
      size_t n = 0;
      for (auto k = static_cast<std::ptrdiff_t>(from) + step; k >= 0 && k < static_cast<std::ptrdiff_t>(items.size()) &&
                                                             items[static_cast<size_t>(k)] >= 0;
           k += step) {
        ++n;
      }
      return n;
    };
    split.emplace_back();
    split_blocks.push_back(new_blocks[l]);
    for (size_t k = 0; k < items.size(); ++k) {
      const bool is_wide = std::find(wide[l].begin(), wide[l].end(), k) != wide[l].end();
      if (is_wide && (word_length(k, -1) > 1 || word_length(k, +1) > 1)) {
        split.emplace_back();
        split_blocks.push_back(true);
        continue;
      }
      split.back().push_back(items[k]);
    }
  }
  return assemble(facts, split, split_blocks);
}

// The one letter (or digit) of a word that is a letter standing alone, with
// any punctuation or control characters around it ("n.", "(S", "p\x01"):
// its index in the word's glyphs, or -1 for any other word.
int letter_of(const GlyphFacts& facts, const Word& word) {
  int letter = -1;
  for (size_t i = 0; i < word.glyphs.size(); ++i) {
    const uint32_t g = word.glyphs[i];
    if (facts.empty(g)) return -1;
    if (facts.controls(g) || facts.punctuation(g)) continue;
    if (letter >= 0) return -1;
    letter = static_cast<int>(i);
  }
  return letter;
}

// Whether a word is a mark standing alone: one to three glyphs of
// punctuation or symbols (",", "£", "/", "--").
bool is_mark(const GlyphFacts& facts, const Word& word) {
  return !word.glyphs.empty() && word.glyphs.size() <= 3 &&
         std::all_of(word.glyphs.begin(), word.glyphs.end(), [&](uint32_t g) { return facts.punctuation(g); });
}

// Joins runs of single-letter words (letter_of): where the gaps are even
// (word gaps, clearly wider, kept), or, with `whole_runs`, every run
// whatever its gaps.
PageText join_runs(const pdf::PageContent& page, const GlyphFacts& facts, const PageText& text, bool whole_runs) {
  std::vector<std::vector<int64_t>> lines;
  std::vector<bool> new_blocks;
  for (const Line& line : text.lines) {
    std::vector<int64_t>& items = lines.emplace_back();
    new_blocks.push_back(line.new_block);
    const std::vector<Word>& words = line.words;
    std::vector<int> letters;  // letter_of each word
    for (const Word& word : words) letters.push_back(letter_of(facts, word));
    for (size_t w = 0; w < words.size();) {
      // A run of two or more single-letter words, and the marks standing
      // alone between two of them ("1 2 , 0 0 0": the comma is part of the
      // amount, not its end).
      size_t end = w;
      while (end < words.size() && letters[end] >= 0) {
        ++end;
        if (end + 1 < words.size() && letters[end] < 0 && letters[end + 1] >= 0 && end - w >= 1 &&
            is_mark(facts, words[end])) {
          letters[end] = 0;
          ++end;
        }
      }
      if (end - w < 2) {
        if (!items.empty()) items.push_back(-1);
        for (uint32_t g : words[w].glyphs) items.push_back(g);
        ++w;
        continue;
      }
      // Gaps between the letters of the run, along its direction.
      const auto letter_index = [&](size_t k) { return words[k].glyphs[static_cast<size_t>(letters[k])]; };
      const auto letter = [&](size_t k) -> const pdf::Glyph& { return page.glyphs[letter_index(k)]; };
      std::vector<double> gaps;
      for (size_t k = w + 1; k < end; ++k) {
        const pdf::Glyph& a = letter(k - 1);
        gaps.push_back(dot(facts.direction(letter_index(k - 1)), sub(letter(k).origin, a.end)));
      }
      const double letter_gap = *std::min_element(gaps.begin(), gaps.end());
      if (!items.empty()) items.push_back(-1);
      for (uint32_t g : words[w].glyphs) items.push_back(g);
      for (size_t k = w + 1; k < end; ++k) {
        if (!whole_runs && gaps[k - w - 1] > letter_gap + 0.2 * std::max(letter(k).size, 1e-3)) items.push_back(-1);
        for (uint32_t g : words[k].glyphs) items.push_back(g);
      }
      w = end;
    }
  }
  return assemble(facts, lines, new_blocks);
}

// Whether a line has two single-letter words in a row, or with one mark
// standing alone between them ("S - p"): the only thing join_runs changes.
bool has_letter_run(const GlyphFacts& facts, const PageText& text) {
  for (const Line& line : text.lines) {
    const std::vector<Word>& words = line.words;
    for (size_t w = 0; w + 1 < words.size(); ++w) {
      if (letter_of(facts, words[w]) < 0) continue;
      if (letter_of(facts, words[w + 1]) >= 0) return true;
      if (w + 2 < words.size() && is_mark(facts, words[w + 1]) && letter_of(facts, words[w + 2]) >= 0) return true;
    }
  }
  return false;
}

// `text` with its control characters read as nothing, not as the word breaks
// normalizing makes them: each becomes a zero-width joiner (which
// normalizing drops) of the same glyph, so a match across one still takes
// the glyph that drew it.
std::optional<PageText> controls_dropped(const PageText& text) {
  size_t at = 0;
  while (at < text.text.size() && control_length(text.text, at) == 0) ++at;
  if (at == text.text.size()) return std::nullopt;
  PageText out;
  out.lines = text.lines;
  for (size_t i = 0; i < text.text.size();) {
    const size_t length = control_length(text.text, i);
    if (length == 0) {
      out.text += text.text[i];
      out.text_glyphs.push_back(text.text_glyphs[i]);
      ++i;
      continue;
    }
    append_nothing(out, text.text_glyphs[i]);
    i += length;
  }
  return out;
}

// `text` with the marks between spread-out letters read as nothing: three or
// more letters standing alone, each parted from the next by one to three
// marks (punctuation, symbols, a soft hyphen: "S-p-a-i-n", "S.p.a.i.n.",
// "S--p--a", "S-p.a-i-n", and "S. p. a. i. n." once the letter-spacing
// reading has joined it) read as the word ("Spain"), as a person reads
// them. Each mark becomes a zero-width joiner of its glyph (normalizing
// drops it), so a match across it still takes the glyph that drew it.
// Digits are left alone (dates, section numbers).
std::optional<PageText> separators_dropped(const PageText& text) {
  struct CodePoint {
    size_t at, length;
    UChar32 c;
  };
  std::vector<CodePoint> points;
  for (int32_t at = 0; at < static_cast<int32_t>(text.text.size());) {
    const int32_t start = at;
    UChar32 c;
    U8_NEXT(text.text.data(), at, static_cast<int32_t>(text.text.size()), c);
    points.push_back({static_cast<size_t>(start), static_cast<size_t>(at - start), c});
  }
  const auto letter = [&](size_t i) { return i < points.size() && points[i].c >= 0 && u_isalpha(points[i].c); };
  const auto word_like = [&](size_t i) { return letter(i) || (i < points.size() && points[i].c >= 0 && u_isdigit(points[i].c)); };
  const auto mark = [&](size_t i) {
    return i < points.size() && points[i].c >= 0 &&
           (points[i].c == 0xAD || (U_GET_GC_MASK(points[i].c) & (U_GC_P_MASK | U_GC_S_MASK)));
  };
  // The letter after the marks that follow letter `i` (and a line break
  // after them: "S-p-a-" at the end of a line, "i-n" on the next), or 0.
  const auto next_letter = [&](size_t i) -> size_t {
    size_t k = i + 1;
    while (k < points.size() && k - i <= 3 && mark(k)) ++k;
    if (k == i + 1 || k - i > 4) return 0;
    if (k < points.size() && points[k].c == '\n') ++k;
    return letter(k) && !word_like(k + 1) ? k : 0;
  };
  std::vector<bool> dropped(points.size());
  bool any = false;
  for (size_t i = 0; i < points.size(); ++i) {
    // A letter standing alone at the start of a run: nothing word-like before it.
    if (!letter(i) || (i > 0 && word_like(i - 1))) continue;
    std::vector<size_t> run{i};
    for (size_t k = next_letter(i); k != 0; k = next_letter(k)) run.push_back(k);
    if (run.size() < 3) continue;
    for (size_t r = 0; r + 1 < run.size(); ++r) {
      for (size_t k = run[r] + 1; k < run[r + 1]; ++k) dropped[k] = true;
    }
    any = true;
    i = run.back();
  }
  if (!any) return std::nullopt;
  PageText out;
  out.lines = text.lines;
  for (size_t p = 0; p < points.size(); ++p) {
    if (dropped[p]) {
      append_nothing(out, text.text_glyphs[points[p].at]);
      continue;
    }
    out.text.append(text.text, points[p].at, points[p].length);
    out.text_glyphs.insert(out.text_glyphs.end(), text.text_glyphs.begin() + static_cast<std::ptrdiff_t>(points[p].at),
                           text.text_glyphs.begin() + static_cast<std::ptrdiff_t>(points[p].at + points[p].length));
  }
  return out;
}

// `text` with each hyphen that ends a word at the end of a line read as
// nothing and the line break after it taken out, whatever the case of the
// letter that goes on: poppler joins "KES-" and "TREL" into "KESTREL", where
// normalizing joins only a small letter on ("deploy-" + "ment") and keeps
// the hyphen of "Guinea-" + "Bissau". The hyphen becomes a zero-width joiner
// of its glyph, so a match across it takes that glyph too. A dash standing
// alone ("a list -") joins nothing.
std::optional<PageText> hyphens_joined(const PageText& text) {
  const std::string& s = text.text;
  const auto hyphen_at = [&](size_t i) -> size_t {  // its length in bytes, or 0
    if (s[i] == '-') return 1;
    return s.compare(i, 3, "\u2010") == 0 ? 3 : 0;
  };
  PageText out;
  bool any = false;
  for (size_t i = 0; i < s.size();) {
    const size_t hyphen = hyphen_at(i);
    if (hyphen > 0 && i > 0 && s[i - 1] != ' ' && s[i - 1] != '\n' && text.text_glyphs[i] >= 0 &&
        i + hyphen < s.size() && s[i + hyphen] == '\n') {
      size_t next = i + hyphen;
      while (next < s.size() && s[next] == '\n') ++next;
      if (next < s.size() && s[next] != ' ') {
        append_nothing(out, text.text_glyphs[i]);
        i = next;
        any = true;
        continue;
      }
    }
    out.text += s[i];
    out.text_glyphs.push_back(text.text_glyphs[i]);
    ++i;
  }
  if (!any) return std::nullopt;
  out.lines = text.lines;
  return out;
}

}  // namespace

PageText content_order(const pdf::PageContent& page) { return in_content_order(page, GlyphFacts(page), kColumnGap); }

namespace {

// A glyph by its place along its direction group: `across` down the page
// (its baseline), `along` where it starts and `end` where it ends.
struct Placed {
  size_t glyph;
  double across, along, end, size;
};

// The glyphs of the page that are not spaces, by direction (the four
// upright ones, any other angle by the degree), each direction's from top
// to bottom: what the position readings share.
using Placements = std::vector<std::vector<Placed>>;
Placements placements(const pdf::PageContent& page, const GlyphFacts& facts) {
  std::map<long, std::vector<Placed>> groups;
  for (size_t i = 0; i < page.glyphs.size(); ++i) {
    const pdf::Glyph& g = page.glyphs[i];
    if (facts.space(i)) continue;
    const Point dir = facts.direction(i);
    const int group = direction_group(dir);
    const long key = group < 4 ? group : 4 + std::lround(std::atan2(dir.y, dir.x) * 180.0 / 3.14159265358979323846);
    const Point reference = group < 4 ? Point{std::round(dir.x), std::round(dir.y)} : dir;
    const Point down{-reference.y, reference.x};
    groups[key].push_back({i, dot(down, g.origin), dot(reference, g.origin), dot(reference, g.end), std::max(g.size, 1e-3)});
  }
  Placements out;
  for (auto& [key, placed] : groups) {
    std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) { return a.across < b.across; });
    out.push_back(std::move(placed));
  }
  return out;
}

// The placements in lines of glyphs whose baselines lie within `tolerance`
// font sizes of each other (0.6: as pdftotext groups a page), each line in
// order along it, the lines from top to bottom.
std::vector<std::vector<std::vector<Placed>>> position_lines(const Placements& groups, double tolerance) {
  std::vector<std::vector<std::vector<Placed>>> out;
  for (const std::vector<Placed>& placed : groups) {
    out.emplace_back();
    for (size_t first = 0; first < placed.size();) {
      size_t last = first + 1;
      double size = placed[first].size;
      while (last < placed.size() && placed[last].across - placed[first].across <= tolerance * std::max(size, placed[last].size)) {
        size = std::max(size, placed[last].size);
        ++last;
      }
      std::vector<Placed> line(placed.begin() + static_cast<std::ptrdiff_t>(first), placed.begin() + static_cast<std::ptrdiff_t>(last));
      std::stable_sort(line.begin(), line.end(), [](const Placed& a, const Placed& b) { return a.along < b.along; });
      out.back().push_back(std::move(line));
      first = last;
    }
  }
  return out;
}

PageText by_position(const GlyphFacts& facts, const Placements& placed) {
  std::vector<std::vector<int64_t>> lines;
  std::vector<bool> new_blocks;
  for (const auto& group : position_lines(placed, 0.6)) {
    for (const std::vector<Placed>& line : group) {
      // Every line is a block of its own (the layout and content-order
      // readings join lines that go on from one another), and so is every
      // part of it past a column gap: two columns sharing baselines are not
      // one sentence.
      lines.emplace_back();
      new_blocks.push_back(true);
      for (size_t k = 0; k < line.size(); ++k) {
        if (k > 0) {
          const double gap = line[k].along - line[k - 1].end;
          if (gap >= kPositionColumnGap * line[k].size) {
            lines.emplace_back();
            new_blocks.push_back(true);
          } else if (gap > kPositionSpaceGap * line[k].size) {
            lines.back().push_back(-1);
          }
        }
        lines.back().push_back(static_cast<int64_t>(line[k].glyph));
      }
    }
  }
  return assemble(facts, lines, new_blocks);
}

PageText stacked_letters(const GlyphFacts& facts, const Placements& placed) {
  std::vector<std::vector<int64_t>> lines;
  // Lines of baselines within kStackBaseline font sizes: the letters of
  // two stacked header cells side by side, half a line apart, are not on
  // one line.
  for (const auto& group : position_lines(placed, kStackBaseline)) {
    // The glyphs alone on their line: no other within kStackAlone font
    // sizes before or after them along it.
    std::vector<Placed> alone;
    for (const std::vector<Placed>& line : group) {
      for (size_t k = 0; k < line.size(); ++k) {
        const double size = line[k].size;
        const bool after = k + 1 < line.size() && line[k + 1].along - line[k].end < kStackAlone * size;
        const bool before = k > 0 && line[k].along - line[k - 1].end < kStackAlone * size;
        if (!after && !before) alone.push_back(line[k]);
      }
    }
    // Top to bottom, a glyph goes on the stack whose last glyph overlaps it
    // along and stands 0.3 to 2 font sizes above it. At most kOpenStacks
    // are looked at, the most recent first, so that a hostile page of
    // scattered glyphs costs a bounded amount per glyph.
    std::vector<std::vector<Placed>> stacks;
    std::vector<size_t> open;  // indices into stacks, oldest first
    for (const Placed& g : alone) {
      std::optional<size_t> home;
      for (size_t o = open.size(); o-- > 0 && open.size() - o <= kOpenStacks;) {
        const Placed& top = stacks[open[o]].back();
        const double step = g.across - top.across;
        const double size = std::max(g.size, top.size);
        if (step >= 0.3 * size && step <= 2.0 * size && std::min(g.end, top.end) > std::max(g.along, top.along)) {
          home = o;
          break;
        }
      }
      if (home) {
        const size_t index = open[*home];
        stacks[index].push_back(g);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(*home));
        open.push_back(index);
      } else {
        stacks.push_back({g});
        open.push_back(stacks.size() - 1);
      }
    }
    // Letters stacked in a cell keep one pitch: a step that differs from
    // the one before by more than kStackPitch font sizes (the next row's
    // cell below) is a word break.
    for (const std::vector<Placed>& stack : stacks) {
      if (stack.size() < 3) continue;
      lines.emplace_back();
      for (size_t k = 0; k < stack.size(); ++k) {
        if (k >= 2) {
          const double step = stack[k].across - stack[k - 1].across;
          const double before = stack[k - 1].across - stack[k - 2].across;
          if (std::abs(step - before) > kStackPitch * stack[k].size) lines.back().push_back(-1);
        }
        lines.back().push_back(static_cast<int64_t>(stack[k].glyph));
      }
    }
  }
  return assemble(facts, lines, std::vector<bool>(lines.size(), true));
}

}  // namespace

PageText by_position(const pdf::PageContent& page) {
  const GlyphFacts facts(page);
  return by_position(facts, placements(page, facts));
}

PageText stacked_letters(const pdf::PageContent& page) {
  const GlyphFacts facts(page);
  return stacked_letters(facts, placements(page, facts));
}

PageText join_letter_spacing(const pdf::PageContent& page, const PageText& text) {
  return join_runs(page, GlyphFacts(page), text, false);
}

std::vector<Reading> all_readings(const pdf::PageContent& page) {
  const GlyphFacts facts(page);
  const Placements placed = placements(page, facts);
  std::vector<Reading> out;
  auto add = [&](const char* name, PageText text) {
    for (const Reading& r : out) {
      if (r.text.text == text.text) return;
    }
    out.push_back({name, std::move(text)});
  };
  add("layout", layout(page, facts));
  std::vector<bool> marks;
  PageText in_order = in_content_order(page, facts, kColumnGap, &marks);
  // Footnote marks read as nothing, as a person skips them ("France" and a
  // raised "2" read "France2" by pdftotext and mutool), when the page has one.
  std::optional<PageText> skipped;
  if (std::find(marks.begin(), marks.end(), true) != marks.end()) skipped = marks_read_as_nothing(in_order, marks);
  add("content order", std::move(in_order));
  add("position", by_position(facts, placed));
  if (skipped) add("marks skipped", std::move(*skipped));
  const size_t base = out.size();
  for (size_t i = 0; i < base; ++i) {
    if (has_letter_run(facts, out[i].text)) {
      add(i == 0 ? "letter spacing" : "letter spacing in content order", join_runs(page, facts, out[i].text, false));
    }
  }
  // Letters spread wider than a column gap, or unevenly: every run of single
  // letters joined, in content order without the column break.
  const PageText spread = in_content_order(page, facts, kSpreadGap);
  if (has_letter_run(facts, spread)) add("spread letters", join_runs(page, facts, spread, true));
  // Letters stacked one above another, each alone on its line.
  if (PageText stacks = stacked_letters(facts, placed); !stacks.text.empty()) add("stacked letters", std::move(stacks));
  // A control character inside a word ("Fr\x01ance", or after each letter
  // of a letter-spaced one), which readers may show as nothing at all.
  const size_t readings = out.size();
  for (size_t i = 0; i < readings; ++i) {
    if (std::optional<PageText> dropped = controls_dropped(out[i].text)) {
      add(i == 0 ? "controls dropped" : "controls dropped from another", std::move(*dropped));
    }
  }
  // Letters parted by marks ("S-p-a-i-n"), in any reading so far.
  const size_t marked = out.size();
  for (size_t i = 0; i < marked; ++i) {
    if (std::optional<PageText> dropped = separators_dropped(out[i].text)) {
      add(i == 0 ? "separators dropped" : "separators dropped from another", std::move(*dropped));
    }
  }
  // Words hyphenated at a line end, joined whatever their case.
  const size_t hyphenated = out.size();
  for (size_t i = 0; i < hyphenated; ++i) {
    if (std::optional<PageText> joined = hyphens_joined(out[i].text)) {
      add(i == 0 ? "hyphens joined" : "hyphens joined in another", std::move(*joined));
    }
  }
  return out;
}

std::optional<std::vector<std::string>> actual_text_parts(std::string_view actual_text,
                                                          std::span<const pdf::Glyph> glyphs) {
  const std::string actual = nfkc(actual_text);
  const auto length = static_cast<int32_t>(actual.size());
  std::vector<std::string> parts(glyphs.size());
  int32_t at = 0;
  const auto white_space = [&] {
    const int32_t from = at;
    while (at < length && std::isspace(static_cast<unsigned char>(actual[static_cast<size_t>(at)]))) ++at;
    return actual.substr(static_cast<size_t>(from), static_cast<size_t>(at - from));
  };
  // Where what a glyph says (no white space in it) ends in the ActualText
  // from `at`, letters compared without their case (a small-caps font draws
  // "PARIS" for "Paris"); -1 if it is not there.
  const auto said_at = [&](std::string_view said) {
    int32_t i = 0, j = at;
    const auto n = static_cast<int32_t>(said.size());
    while (i < n) {
      if (j >= length) return -1;
      UChar32 a = 0, b = 0;
      U8_NEXT(said.data(), i, n, a);
      U8_NEXT(actual.data(), j, length, b);
      if (a != b && (a < 0 || b < 0 || u_foldCase(a, U_FOLD_CASE_DEFAULT) != u_foldCase(b, U_FOLD_CASE_DEFAULT))) return -1;
    }
    return j;
  };
  for (size_t i = 0; i < glyphs.size(); ++i) {
    parts[i] = white_space();
    const std::string said = unspaced(glyphs[i].text);
    if (said.empty()) continue;
    int32_t to = said_at(said);
    if (to < 0) {
      const std::string composed = unspaced(nfkc(said));
      if (!composed.empty()) to = said_at(composed);
    }
    if (to < 0 && (said == "-" || said == "\u00AD" || said == "\u2010")) continue;  // a hyphen the ActualText has not
    if (to < 0) return std::nullopt;
    parts[i] += actual.substr(static_cast<size_t>(at), static_cast<size_t>(to - at));
    at = to;
  }
  const std::string after = white_space();
  if (at != length || glyphs.empty()) return std::nullopt;
  parts.back() += after;
  return parts;
}

std::optional<ActualTextReading> with_actual_text(const pdf::PageContent& page) {
  std::vector<const pdf::MarkedSpan*> spans;
  for (const pdf::MarkedSpan& s : page.marked_spans) {
    if (!s.actual_text.empty() && s.first_glyph <= page.glyphs.size()) spans.push_back(&s);
  }
  if (spans.empty()) return std::nullopt;
  std::sort(spans.begin(), spans.end(), [](const pdf::MarkedSpan* a, const pdf::MarkedSpan* b) {
    return a->first_glyph != b->first_glyph ? a->first_glyph < b->first_glyph : a->end_glyph > b->end_glyph;
  });
  std::optional<ActualTextReading> out;
  uint32_t covered_to = 0;
  for (const pdf::MarkedSpan* s : spans) {
    if (s->first_glyph < covered_to) continue;  // inside an outer span
    const uint32_t end = std::min<uint32_t>(s->end_glyph, static_cast<uint32_t>(page.glyphs.size()));
    covered_to = std::max(covered_to, end);
    // pdftotext prints an ActualText with the glyphs of its span: over none,
    // nothing.
    if (s->first_glyph >= end) continue;
    const std::span<const pdf::Glyph> shown(page.glyphs.data() + s->first_glyph, end - s->first_glyph);
    const std::optional<std::vector<std::string>> parts = actual_text_parts(s->actual_text, shown);
    // pdftotext lays the ActualText evenly from the first glyph's origin to
    // the last one's end: on one line, gaps between the glyphs (kerning,
    // spacing) part nothing ("Fr" over "F", a gap, "r", then "ance" reads
    // "France"), so the reading closes them.
    bool one_line = !shown.empty(), gaps = false;
    for (size_t i = 1; i < shown.size() && one_line; ++i) {
      const pdf::Glyph& a = shown[i - 1];
      const Point dir = reading_direction(a);
      const Point step = sub(shown[i].origin, a.end);
      const double size = std::max(a.size, 1e-3);
      one_line = dot(dir, reading_direction(shown[i])) > 0.95 && std::abs(cross(dir, step)) < 0.2 * size &&
                 dot(dir, step) > -0.5 * size;
      gaps = gaps || dot(dir, step) > 0.01 * size;
    }
    if (parts && !(one_line && gaps) &&
        std::equal(parts->begin(), parts->end(), shown.begin(), shown.end(),
                   [](const std::string& part, const pdf::Glyph& g) { return part == g.text; })) {
      continue;  // it reads exactly as its glyphs do
    }
    if (!out) out = ActualTextReading{page, {}};
    std::vector<pdf::Glyph>& glyphs = out->page.glyphs;
    for (uint32_t g = s->first_glyph; g < end; ++g) {
      std::string& part = glyphs[g].text;
      // Across lines, a hyphen the ActualText has not stays, for the
      // readings that join a word hyphenated at a line end.
      if (!parts || one_line || !(*parts)[g - s->first_glyph].empty() || unspaced(part).empty()) {
        part = parts ? (*parts)[g - s->first_glyph] : g == s->first_glyph ? s->actual_text : "";
      }
      glyphs[g].encoded_text.clear();
    }
    if (one_line && parts) {
      // Each glyph reaches the next.
      for (uint32_t g = s->first_glyph; g + 1 < end; ++g) {
        if (dot(reading_direction(glyphs[g]), sub(glyphs[g + 1].origin, glyphs[g].end)) > 0) {
          glyphs[g].end = glyphs[g].next = glyphs[g + 1].origin;
        }
      }
    } else if (one_line) {
      // The first glyph, which reads it all, reaches the last one's end; the
      // others, read as nothing, stand there.
      const Point last = glyphs[end - 1].end;
      glyphs[s->first_glyph].end = glyphs[s->first_glyph].next = last;
      for (uint32_t g = s->first_glyph + 1; g < end; ++g) glyphs[g].origin = glyphs[g].end = glyphs[g].next = last;
    }
    if (!parts) out->spans.emplace_back(s->first_glyph, end);
  }
  return out;
}

}  // namespace redact::extract
