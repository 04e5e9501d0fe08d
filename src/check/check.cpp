#include "check/check.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "check/drawn.h"
#include "core/diagnostics.h"
#include "core/text.h"
#include "extract/layout.h"
#include "extract/readings.h"
#include "normalize/normalizer.h"
#include "pdf/content_consumer.h"
#include "pdf/content_lexer.h"
#include "pdf/document.h"
#include "pdf/text_string.h"
#include "plan/cover.h"
#include "plan/locate.h"

namespace redact::check {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::risk: return "risk";
    case Severity::leak: return "leak";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "info") return Severity::info;
  if (text == "risk") return Severity::risk;
  if (text == "leak") return Severity::leak;
  return std::nullopt;
}

namespace {

// Thresholds of the hidden-content checks.
constexpr double kTinySize = 1.0;         // points: text smaller than this is not meant to be read
constexpr double kSqueezed = 0.05;        // an advance under this share of the size is squeezed flat
constexpr double kDarkFill = 0.35;        // lightness at or below which a fill hides what is under it
constexpr double kLightText = 0.92;       // lightness at or above which text is white-ish
constexpr double kFaintAlpha = 0.1;       // opacity (/ca, /CA) below which text shows nothing
constexpr double kBlendsIn = 0.08;        // text differing from its ground by no more in any channel shows nothing
constexpr double kLightBackground = 0.8;  // a paint lighter than this does not make white text readable
constexpr size_t kMaxStructureFindings = 20;  // per kind, for actions and the like
constexpr size_t kMaxRevisions = 32;          // earlier revisions read; more is itself a risk
constexpr size_t kMaxCoverTests = 50'000'000; // glyph-under-box tests per page
constexpr double kHairline = 0.5;             // points: a rule this thin covers no glyph
constexpr double kBlack = 0.1;                // lightness at or below which a colour is black

bool is_blank(const std::string& text) { return text.empty() || extract::is_space(text); }

// Whether `text` holds a letter or a digit (not punctuation alone, whose
// few pixels of ink drawing cannot tell from nothing in small print).
bool has_letter_or_digit(const std::string& text) {
  for (int32_t at = 0, length = static_cast<int32_t>(text.size()); at < length;) {
    UChar32 c = 0;
    U8_NEXT(text.data(), at, length, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

// A character that is a solid box: █ (full block), ▓ (dark shade), ■ ◼ ◾ ⬛
// (black squares), ▮ (black vertical rectangle). Typed over a word, it hides
// it as a drawn box does.
bool is_block(const std::string& text) {
  static const std::unordered_set<std::string> kBlocks = {"\u2588", "\u2593", "\u25A0", "\u25FC", "\u25FE", "\u2B1B", "\u25AE"};
  return text.size() == 3 && kBlocks.contains(text);
}

// What the walk told us of one glyph, besides the glyph itself.
struct GlyphFacts {
  size_t sequence = 0;  // drawing order among glyphs, paints and images
  pdf::DrawState state;
};

// A fill, a stroke or an image, in drawing order.
struct Paint {
  // What it covers: its box (an image, a rectangle, a path whose segments
  // were not kept), the fill of its segments, or the band its pen draws
  // along them (the segments are in Inspector::trace), or an image where
  // its mask paints.
  enum class Shape : uint8_t { box, fill, pen, mask };
  Rect box;  // bounds of what it may cover: a stroke's reach past its points by half the pen
  size_t sequence = 0;
  bool image = false;
  Shape shape = Shape::box;
  pdf::Colour colour;
  // What it hides of what is under it (`hides_under`); whether it lays
  // down its colour whole where nothing was before (dark text on it).
  enum class Hides : uint8_t { nothing, everything, black_text };
  Hides hides = Hides::everything;
  bool solid = false;
  uint32_t stream = 0;
  bool even_odd = false;  // a fill's rule
  double half_width = 0;  // a pen's
  bool capped = false;    // a pen's ends reach past its segments
  size_t first = 0, count = 0;
  uint32_t use = 0;  // an image's: its ImageUse in PageContent::images
  int viewer = -1;  // drawn by viewers for an annotation with no appearance: Inspector::viewer_drawn[viewer]
  // The clip that is not a rectangle it is drawn in, for a pen, a fill of
  // its own segments or a masked image: Inspector::clips[clip]; -1 none.
  int clip = -1;
  // How it changes the colour of what is under it, for the ground text is
  // read on (`Grounds`): laid over in its colour at `alpha`
  // (Normal), multiplied in (Multiply), or in a way not worked out (an
  // inline image, a shading or a pattern, another blend mode, a soft
  // mask). An image's colour is its pixels', a stencil's its `colour`.
  enum class Ground : uint8_t { over, multiply, unknown };
  Ground ground = Ground::unknown;
  double alpha = 1;
  // Whether it paints all of `box`, `fill` or `pen`: not a curve or a
  // stroke known only by its bounds, nor a box cut by a clip that is not
  // a rectangle.
  bool exact = true;
  // Drawn in the clip of a text object's glyphs (Tr 4 to 7): its serial
  // (DrawState::text_clip), else 0. It paints those glyphs, not over them.
  uint64_t text_clip = 0;
};

// The clip of text (Tr 4 to 7) that `state` paints in, or 0.
uint64_t text_clip_of(const pdf::DrawState& state) { return state.in_text_clip; }

Paint::Ground ground_of(const pdf::Colour& colour, const pdf::DrawState& state) {
  if (!colour.known || state.soft_mask) return Paint::Ground::unknown;
  switch (state.blend) {
    case pdf::DrawState::Blend::normal: return Paint::Ground::over;
    case pdf::DrawState::Blend::multiply: return Paint::Ground::multiply;
    default: return Paint::Ground::unknown;
  }
}

// Whether paint in `colour` lays down all its ink: none of it let through
// (an alpha under 0.95 lets the text show; a soft mask may).
bool solid(const pdf::Colour& colour, double alpha, const pdf::DrawState& state) {
  return colour.paints && alpha >= 0.95 && !state.soft_mask;
}

// What paint in `colour` hides of what is under it. Solid paint laid down
// normally hides everything. In another blend mode what shows is the blend
// of the paint with what is under it where something was painted, and the
// paint itself elsewhere (the page is a transparent backdrop until its
// group meets the paper): text is gone where the blend of its colour with
// the paint's is the paint's (11.3.5). Black stays black over anything in
// Multiply, Darken and ColorBurn (a black highlighter), white stays white
// in Screen and Lighten, both in HardLight and Luminosity: they hide
// everything. Over black text, black in any mode, and any colour in Screen,
// Lighten, Difference and Exclusion, give the paint's own colour: they hide
// black text.
Paint::Hides hides_under(const pdf::Colour& colour, double alpha, const pdf::DrawState& state) {
  using Blend = pdf::DrawState::Blend;
  using Hides = Paint::Hides;
  if (!solid(colour, alpha, state)) return Hides::nothing;
  const bool black = colour.known && colour.lightness <= kBlack;
  const bool white = colour.known && colour.lightness >= 1 - kBlack;
  switch (state.blend) {
    case Blend::normal:
      return Hides::everything;
    case Blend::multiply:
    case Blend::darken:
    case Blend::color_burn:
      return black ? Hides::everything : Hides::nothing;
    case Blend::screen:
    case Blend::lighten:
      return white ? Hides::everything : Hides::black_text;
    case Blend::difference:
    case Blend::exclusion:
      return Hides::black_text;
    case Blend::hard_light:
    case Blend::luminosity:
      return black || white ? Hides::everything : Hides::nothing;
    default:
      return black ? Hides::black_text : Hides::nothing;
  }
}

// A box far off the page, or without end (`sh` in no clip), as the band of
// coordinates a page can have.
Rect bounded(const Rect& r) {
  constexpr double kFar = 1e5;
  return {std::max(r.x0, -kFar), std::max(r.y0, -kFar), std::min(r.x1, kFar), std::min(r.y1, kFar)};
}

// Strings held by marked-content property lists in the content.
struct MarkedString {
  uint32_t stream = 0;
  size_t offset = 0;
  std::string key;
  std::string text;
};

// Glyph boxes in a coarse grid, to find the glyphs under a box without
// comparing every glyph with every paint.
class BoxGrid {
 public:
  static constexpr double kCell = 48;
  // Whether a box is small enough to index: one larger than a poster (or
  // far off the page, clamped to a band of cells) is not, and must be
  // tested against everything.
  static bool indexable(const Rect& box) {
    if (!std::isfinite(box.x0) || !std::isfinite(box.y0) || !std::isfinite(box.x1) || !std::isfinite(box.y1)) return false;
    const Cells c = cells_of(box);
    return (c.x1 - c.x0 + 1) * (c.y1 - c.y0 + 1) <= 4096;
  }
  // Indexes `id` under `box`, when indexable.
  void add(uint32_t id, const Rect& box) {
    if (!indexable(box)) return;
    for_cells(box, [&](long long key) { cells_[key].push_back(id); });
  }
  // Calls f for each id whose box may meet `box` (an id may come twice),
  // in the order they were added when `box` is within one cell. `box` must
  // be indexable.
  template <typename F>
  void query(const Rect& box, F f) const {
    for_cells(box, [&](long long key) {
      auto it = cells_.find(key);
      if (it != cells_.end()) {
        for (uint32_t id : it->second) f(id);
      }
    });
  }

 private:
  struct Cells {
    long long x0, y0, x1, y1;
  };
  static Cells cells_of(const Rect& box) {
    // Clamped to a band of cells: a hostile coordinate cannot make a loop long.
    auto cell = [](double v) { return static_cast<long long>(std::floor(std::clamp(v, -1e5, 1e5) / kCell)); };
    return {cell(box.x0), cell(box.y0), cell(box.x1), cell(box.y1)};
  }
  template <typename F>
  static void for_cells(const Rect& box, F f) {
    const Cells c = cells_of(box);
    for (long long x = c.x0; x <= c.x1; ++x) {
      for (long long y = c.y0; y <= c.y1; ++y) f(x * 1'000'003 + y);
    }
  }
  std::unordered_map<long long, std::vector<uint32_t>> cells_;
};

// The check's consumer of the walk: everything PageCollector keeps, plus the
// state of each glyph, the paints, and marked-content strings.
class Inspector : public pdf::PageCollector {
 public:
  explicit Inspector(pdf::PageContent& page) : PageCollector(page), page_(page) {}

  void glyph(const pdf::Glyph& glyph, const pdf::DrawState& state) override {
    PageCollector::glyph(glyph, state);
    facts.push_back({sequence_++, state});
    if (!is_blank(glyph.text) && !glyph.blank) ++drawn_;
    // A block character (█, ■) typed over text is a box too. Its ink is
    // taken as the band from just under its baseline to 0.7 of its size
    // above it, whatever the font says of its height.
    const bool block = is_block(glyph.text);
    blocks.push_back(block);
    const int mode = state.render_mode;
    const bool fills = mode == 0 || mode == 2 || mode == 4 || mode == 6;
    if (!block || !fills || state.optional_content_off) return;
    const std::optional<Quad> ink = plan::above_baseline(glyph, -0.1, 0.7);
    if (!ink) return;
    Paint paint = laid(ink->bounds(), state.fill, state.fill_alpha, state);
    // A run of blocks, one after another, is one box.
    if (last_block_ + 1 == facts.size() - 1 && !paints.empty() && paints.back().sequence + 1 == paint.sequence - 1 &&
        paints.back().stream == paint.stream && paints.back().hides == paint.hides &&
        paints.back().box.grown(0.5).meets(paint.box)) {
      paints.back().box = paints.back().box.united(paint.box);
      paints.back().sequence = paint.sequence;
    } else {
      paints.push_back(paint);
    }
    last_block_ = facts.size() - 1;
  }
  void drawn_by_viewers(const std::string& annotation, const pdf::PathPaint& path, const pdf::DrawState& state) override {
    const size_t before = paints.size();
    Inspector::path(path, state);
    if (paints.size() == before) return;
    if (viewer_drawn.empty() || viewer_drawn.back() != annotation) viewer_drawn.push_back(annotation);
    for (size_t p = before; p < paints.size(); ++p) paints[p].viewer = static_cast<int>(viewer_drawn.size() - 1);
  }
  void path(const pdf::PathPaint& path, const pdf::DrawState& state) override {
    if (path.fill || path.stroke) ++drawn_;  // not a path that only clips
    if (state.optional_content_off) return;  // drawn by no viewer
    // What shows of a paint is what its clip lets through. Only what hides
    // what is under it needs its segments: a box of another colour is told
    // by its bounds (for white text on it).
    if (path.fill) {
      Paint fill = laid(path.box, state.fill, state.fill_alpha, state);
      if (fill.hides != Paint::Hides::nothing || fill.solid) {
        if (path.rectangle && state.clip_outline) {
          // A box in a clip that is not a rectangle (a circle, a window
          // cut by even-odd) paints the clip's shape within the box.
          keep(fill, Paint::Shape::fill, state.clip_outline->edges, {}, state.clip_outline->even_odd, true);
        } else if (!path.rectangle) {
          keep(fill, Paint::Shape::fill, path.trace, path.closing, path.even_odd, path.complete);
          if (fill.shape == Paint::Shape::fill) fill.clip = clip_of(state);
        }
      }
      fill.exact = fill.shape != Paint::Shape::box || (path.rectangle && !state.clip_outline);
      keep_paint(fill);
    }
    // A pen narrower than a hairline hides nothing.
    if (path.stroke && path.line_width >= kHairline && !path.pen.empty()) {
      Paint stroke = laid(path.box.grown(path.line_width / 2), state.stroke, state.stroke_alpha, state);
      stroke.half_width = path.line_width / 2;
      stroke.capped = path.capped;
      if (stroke.hides != Paint::Hides::nothing) keep(stroke, Paint::Shape::pen, path.pen, {}, false, path.complete);
      if (stroke.shape == Paint::Shape::pen) stroke.clip = clip_of(state);
      stroke.exact = stroke.shape == Paint::Shape::pen;
      keep_paint(stroke);
    }
  }
  void image(const pdf::ImageUse& image, const pdf::DrawState& state) override {
    PageCollector::image(image, state);
    ++drawn_;
    if (state.optional_content_off) return;
    Paint paint{bounded(image.box.intersected(state.clip)), sequence_++, true, Paint::Shape::box, {},
                state.opaque ? Paint::Hides::everything : Paint::Hides::nothing, false, state.stream};
    paint.use = static_cast<uint32_t>(page_.images.size() - 1);  // PageCollector's, just told
    // Its pixels are read for the ground (a stencil paints the fill
    // colour); those of an inline image whose data was not kept are not.
    if (image.stencil) paint.colour = state.fill;
    paint.ground = image.object.empty() && !image.inline_image ? Paint::Ground::unknown : ground_of(paint.colour, state);
    paint.alpha = state.fill_alpha;
    paint.text_clip = text_clip_of(state);
    if (image.masked) {
      // Through its mask it hides what an image of its colour (a
      // stencil's fill; another image's is not known) would hide
      // unmasked, where the mask paints (everywhere, for a mask that
      // cannot be read: an inline stencil whose data was not kept).
      paint.shape = Paint::Shape::mask;
      paint.hides = hides_under(image.stencil ? state.fill : pdf::Colour{false, 0}, state.fill_alpha, state);
      paint.clip = clip_of(state);
    } else if (state.clip_outline) {
      // In a clip that is not a rectangle, the clip's shape within its box.
      keep(paint, Paint::Shape::fill, state.clip_outline->edges, {}, state.clip_outline->even_odd, true);
    }
    keep_paint(paint);
  }
  void name(uint32_t stream, size_t offset, const std::string& name) override {
    if (names_seen_.insert(name).second) names.push_back({stream, offset, "", name});
  }
  void begin_marked_content(const pdf::MarkedContent& marked) override {
    PageCollector::begin_marked_content(marked);
    // Properties written in the stream are its loose strings.
    if (marked.named) collect(marked.properties, "", marked);
    drawn_at_.push_back(drawn_);
  }
  void end_marked_content(uint32_t stream) override {
    const size_t closed = page_.marked_spans.size();
    PageCollector::end_marked_content(stream);
    if (drawn_at_.empty()) return;
    const size_t drawn_then = drawn_at_.back();
    drawn_at_.pop_back();
    // A span with a property list, just closed by PageCollector.
    if (page_.marked_spans.size() == closed || drawn_ > drawn_then) return;
    // pdftotext prints an ActualText with the glyphs of its span: over no
    // glyph at all it prints nothing (a string of the stream, matched as one).
    const pdf::MarkedSpan& span = page_.marked_spans.back();
    if (span.end_glyph > span.first_glyph && has_letter_or_digit(span.actual_text)) unseen_actual_text.push_back(span);
  }

  // Spans whose /ActualText, which extractors read in place of the glyphs
  // the span shows, holds a letter or a digit, and which drew nothing anyone
  // could read: glyphs, but only spaces and glyphs their font draws blank,
  // and no path, shading, image or form that paints.
  std::vector<pdf::MarkedSpan> unseen_actual_text;

  std::vector<GlyphFacts> facts;
  std::vector<bool> blocks;  // for each glyph: a block character, which hides nothing of its own
  std::vector<Paint> paints;
  std::vector<pdf::Segment> trace;  // the segments of fills and strokes that may hide text

  // A clip that is not a rectangle, its edges in `trace`.
  struct Clip {
    size_t first = 0, count = 0;
    bool even_odd = false;
  };
  std::vector<Clip> clips;
  std::span<const pdf::Segment> clip_edges(const Paint& paint) const {
    if (paint.clip < 0) return {};
    const Clip& c = clips[static_cast<size_t>(paint.clip)];
    return {trace.data() + c.first, c.count};
  }
  bool clip_even_odd(const Paint& paint) const { return paint.clip >= 0 && clips[static_cast<size_t>(paint.clip)].even_odd; }

  // Whether `paint` may paint at `p`: under its pen or inside its fill, and
  // inside its clip, not only in their bounds (an image's mask is not
  // read: its box). A test against segments costs `tests` a test per
  // segment.
  bool paints_at(const Paint& paint, Point p, size_t& tests) const {
    if (!paint.box.contains(p)) return false;
    const std::span<const pdf::Segment> clip = clip_edges(paint);
    tests += clip.size();
    if (!clip.empty() && !plan::inside_fill(clip, clip_even_odd(paint), p)) return false;
    if (paint.shape != Paint::Shape::pen && paint.shape != Paint::Shape::fill) return true;
    const std::span<const pdf::Segment> segments(trace.data() + paint.first, paint.count);
    tests += paint.count;
    return paint.shape == Paint::Shape::pen ? plan::under_pen(segments, paint.half_width, p, paint.capped)
                                            : plan::inside_fill(segments, paint.even_odd, p);
  }
  // The paints drawn in the clip of text `text_clip` makes (Tr 4 to 7),
  // which show its glyphs where they lay ink, though Tr 7 paints none
  // itself: the first kMaxShownThrough of them.
  std::span<const uint32_t> painted_through(uint64_t text_clip) const {
    const auto it = painted_through_.find(text_clip);
    if (text_clip == 0 || it == painted_through_.end()) return {};
    return it->second;
  }
  std::vector<std::string> viewer_drawn;  // annotations without an appearance that viewers draw
  std::vector<MarkedString> marked_strings;
  std::vector<MarkedString> names;  // each name the content holds, once

 private:
  std::unordered_set<std::string> names_seen_;
  size_t last_block_ = SIZE_MAX;  // the last glyph that drew a block's box
  uint64_t last_clip_serial_ = 0;  // the clip `clips.back()` copies
  const pdf::PageContent& page_;
  // The paints of each clip of text, by its serial (past the first
  // kMaxShownThrough, its glyphs show nowhere more).
  static constexpr size_t kMaxShownThrough = 256;
  std::unordered_map<uint64_t, std::vector<uint32_t>> painted_through_;
  void keep_paint(const Paint& paint) {
    paints.push_back(paint);
    if (paint.text_clip == 0) return;
    std::vector<uint32_t>& kept = painted_through_[paint.text_clip];
    if (kept.size() < kMaxShownThrough) kept.push_back(static_cast<uint32_t>(paints.size() - 1));
  }
  // The next paint, over `box` in its clip, in `colour` at `alpha`: what
  // it hides of what is under it, and how it changes its colour.
  Paint laid(const Rect& box, const pdf::Colour& colour, double alpha, const pdf::DrawState& state) {
    Paint paint{bounded(box.intersected(state.clip)), sequence_++, false, Paint::Shape::box, colour,
                hides_under(colour, alpha, state), solid(colour, alpha, state), state.stream};
    paint.ground = ground_of(colour, state);
    paint.alpha = alpha;
    paint.text_clip = text_clip_of(state);
    return paint;
  }
  // The index in `clips` of the clip that is not a rectangle `state` is
  // in, copied once while it is in force; -1 when there is none, or past
  // the page's budget of segments (then the paint's bounds stand for it).
  int clip_of(const pdf::DrawState& state) {
    const pdf::ClipOutline* outline = state.clip_outline;
    if (!outline) return -1;
    if (!clips.empty() && last_clip_serial_ == outline->serial) return static_cast<int>(clips.size() - 1);
    if (trace.size() + outline->edges.size() > kMaxSegments) return -1;
    clips.push_back({trace.size(), outline->edges.size(), outline->even_odd});
    trace.insert(trace.end(), outline->edges.begin(), outline->edges.end());
    last_clip_serial_ = outline->serial;
    return static_cast<int>(clips.size() - 1);
  }
  // Keeps `edges` and `closing` as the segments of `paint`. A path whose
  // segments were not all told (not `complete`), or past the page's
  // budget, is taken as covering its bounds.
  void keep(Paint& paint, Paint::Shape shape, std::span<const pdf::Segment> edges, std::span<const pdf::Segment> closing,
            bool even_odd, bool complete) {
    const size_t count = edges.size() + closing.size();
    if (!complete || trace.size() + count > kMaxSegments) return;
    paint.shape = shape;
    paint.even_odd = even_odd;
    paint.first = trace.size();
    paint.count = count;
    trace.insert(trace.end(), edges.begin(), edges.end());
    trace.insert(trace.end(), closing.begin(), closing.end());
  }
  void collect(const pdf::Object& value, const std::string& key, const pdf::MarkedContent& marked) {
    if (value.is_string()) {
      std::string text = pdf::decode_text_string(value.bytes);
      if (pdf::carries_text(key, text)) marked_strings.push_back({marked.stream, marked.offset, key, std::move(text)});
    } else if (value.is_dict()) {
      for (size_t i = 0; i + 1 < value.items.size(); i += 2) collect(value.items[i + 1], value.items[i].bytes, marked);
    } else if (value.is_array()) {
      for (const pdf::Object& item : value.items) collect(item, key, marked);
    }
  }
  size_t sequence_ = 0;
  static constexpr size_t kMaxSegments = 1'000'000;  // a page's, 32 MB
  std::vector<size_t> drawn_at_;  // `drawn_` when each marked-content span open began
  size_t drawn_ = 0;  // glyphs that show ink (not spaces, not blank) and paints, so far
};

// The pixel at `p` of a raster `width` by `height` drawn as `quad` (its unit
// square in page space: (0, 0) at ll, row 0 at the top), as an index into
// its rows; nullopt outside it, or for a square squeezed flat.
std::optional<size_t> pixel_at(const Quad& quad, Point p, size_t width, size_t height) {
  const Point e1 = sub(quad.lr, quad.ll), e2 = sub(quad.ul, quad.ll);
  const double det = cross(e1, e2);
  if (!(std::abs(det) > 1e-12) || width == 0 || height == 0) return std::nullopt;
  const Point d = sub(p, quad.ll);
  const double u = cross(d, e2) / det, v = cross(e1, d) / det;
  if (!(u >= 0 && u < 1 && v >= 0 && v < 1)) return std::nullopt;
  const size_t col = std::min(width - 1, static_cast<size_t>(u * static_cast<double>(width)));
  const size_t row = std::min(height - 1, static_cast<size_t>((1 - v) * static_cast<double>(height)));
  return row * width + col;
}

// The masks and colours of a document's images, each read when first asked
// for. Masks, and inline images' colours, are kept for a page; XObjects'
// colours (at most Document::kColoursSide pixels a side) across pages, up
// to kKeptBytes of them.
class Pictures {
 public:
  // `number` is 0 for streams no page draws.
  void start_page(pdf::Document& document, int number) {
    document_ = &document;
    page_ = number;
    masks_.clear();
    inline_masks_.clear();
    inline_colours_.clear();
  }
  // The mask of an image drawn through one; nullptr where it cannot be read.
  const pdf::Document::Opacity* mask(const pdf::ImageUse& image) {
    std::optional<pdf::Document::Opacity>* read = nullptr;
    if (image.object.empty()) {
      auto [at, fresh] = inline_masks_.try_emplace(image.inline_image.get());
      if (fresh && image.inline_image) at->second = document_->image_opacity(page_, *image.inline_image);
      read = &at->second;
    } else {
      auto [at, fresh] = masks_.try_emplace(image.object);
      if (fresh) at->second = document_->image_opacity(image.object);
      read = &at->second;
    }
    return *read && (*read)->width > 0 && (*read)->height > 0 ? &**read : nullptr;
  }
  // How opaquely a masked image paints at `p`, 0 to 1 (0 outside it);
  // nullopt where its mask cannot be read.
  std::optional<double> opacity(const pdf::ImageUse& image, Point p) {
    const pdf::Document::Opacity* m = mask(image);
    if (!m) return std::nullopt;
    const std::optional<size_t> at = pixel_at(image.quad, p, m->width, m->height);
    return at ? static_cast<unsigned char>(m->alpha[*at]) / 255.0 : 0.0;
  }
  // The colour of an image's pixel at `p`: nullopt where its colours cannot
  // be read, or `p` is not on it.
  std::optional<std::array<double, 3>> colour(const pdf::ImageUse& image, Point p) {
    const std::optional<pdf::Document::Colours>& read = colours(image);
    if (!read) return std::nullopt;
    const pdf::Document::Colours& c = *read;
    const std::optional<size_t> pixel = pixel_at(image.quad, p, c.width, c.height);
    if (!pixel || c.rgb.size() < 3 * (*pixel + 1)) return std::nullopt;
    const auto channel = [&](size_t k) { return static_cast<unsigned char>(c.rgb[3 * *pixel + k]) / 255.0; };
    return std::array<double, 3>{channel(0), channel(1), channel(2)};
  }

 private:
  const std::optional<pdf::Document::Colours>& colours(const pdf::ImageUse& image) {
    if (image.object.empty()) {
      auto [at, fresh] = inline_colours_.try_emplace(image.inline_image.get());
      if (fresh && image.inline_image) at->second = document_->image_colours(page_, *image.inline_image);
      return at->second;
    }
    auto [at, fresh] = colours_.try_emplace(image.object);
    if (fresh) {
      if (kept_ > kKeptBytes) {
        colours_.clear();
        kept_ = 0;
        at = colours_.try_emplace(image.object).first;
      }
      at->second = document_->image_colours(image.object);
      if (at->second) kept_ += at->second->rgb.size();
    }
    return at->second;
  }

  static constexpr size_t kKeptBytes = 64u << 20;
  pdf::Document* document_ = nullptr;
  int page_ = 0;
  std::map<std::string, std::optional<pdf::Document::Opacity>> masks_;  // by image object
  std::map<std::string, std::optional<pdf::Document::Colours>> colours_;
  // Inline images, by the data their uses share (kept by the page's images).
  std::map<const pdf::InlineImage*, std::optional<pdf::Document::Opacity>> inline_masks_;
  std::map<const pdf::InlineImage*, std::optional<pdf::Document::Colours>> inline_colours_;
  size_t kept_ = 0;
};

// The colour text is read on, at a point and a moment of the drawing: the
// paper (white), then each paint drawn there before, laid over or
// multiplied in.
class Grounds {
 public:
  using Rgb = std::array<double, 3>;
  // A colour under text, and whether anything was painted there: over the
  // paper alone (a transparent backdrop) a blend mode shows the text's own
  // colour (11.3.5).
  struct Ground {
    Rgb rgb{1, 1, 1};
    bool painted = false;
  };
  // `shown`: for each stream, whether the page shows it (an appearance of
  // another state paints no ground). `images`: the page's, whose colours
  // `pictures` reads.
  Grounds(const Inspector& inspector, const std::vector<bool>& shown, std::span<const pdf::ImageUse> images, Pictures& pictures)
      : inspector_(inspector), images_(images), pictures_(pictures) {
    for (uint32_t p = 0; p < inspector.paints.size(); ++p) {
      const Paint& paint = inspector.paints[p];
      if (paint.stream >= shown.size() || !shown[paint.stream]) continue;
      if (BoxGrid::indexable(paint.box)) {
        grid_.add(p, paint.box);
      } else {
        everywhere_.push_back(p);
      }
    }
  }

  // Takes the paints that may lie under `box` before the paint numbered
  // `sequence`, for `at`.
  void gather(const Rect& box, size_t sequence) {
    here_.clear();
    if (BoxGrid::indexable(box)) grid_.query(box, [&](uint32_t p) { here_.push_back(p); });
    std::sort(here_.begin(), here_.end());
    here_.erase(std::unique(here_.begin(), here_.end()), here_.end());
    gathered_.clear();
    std::merge(here_.begin(), here_.end(), everywhere_.begin(), everywhere_.end(), std::back_inserter(gathered_));
    std::erase_if(gathered_, [&](uint32_t p) {
      const Paint& paint = inspector_.paints[p];
      const Rect& b = paint.box;  // touching counts: a point on its edge is on it
      return paint.sequence > sequence || b.x1 < box.x0 || box.x1 < b.x0 || b.y1 < box.y0 || box.y1 < b.y0;
    });
  }
  bool nothing_gathered() const { return gathered_.empty(); }

  // The grounds a point can have under the paints gathered, when each lays
  // its colour whole or no ink at all (opaque, exact, of a known colour,
  // Normal): the paper, or one of their colours. Nothing when another ground
  // could be made (a mix, an image's pixels, what cannot be told).
  std::optional<std::vector<Ground>> plain_grounds() const {
    std::vector<Ground> out{Ground{}};
    for (uint32_t p : gathered_) {
      const Paint& paint = inspector_.paints[p];
      if (paint.image || paint.ground != Paint::Ground::over || !paint.exact || !paint.colour.hue_known) return std::nullopt;
      const double alpha = paint.colour.paints ? std::clamp(paint.alpha, 0.0, 1.0) : 0.0;
      if (alpha <= 0) continue;
      if (alpha < 0.95) return std::nullopt;
      out.push_back(Ground{{paint.colour.red, paint.colour.green, paint.colour.blue}, true});
    }
    return out;
  }

  // Whether something drawn on `box`, before or after, changes what shows
  // there in a way this reading does not work out whole: an image, a
  // shading or a pattern, a colour that varies, a paint less than opaque or
  // not in Normal or Multiply, a shape known by its bounds, a paint in the
  // clip text makes (its shape is the glyphs', not their boxes).
  bool unsettled_on(const Rect& box) const {
    bool found = false;
    const auto test = [&](uint32_t p) {
      const Paint& paint = inspector_.paints[p];
      found = found || (paint.box.meets(box) && (paint.image || paint.ground == Paint::Ground::unknown || !paint.exact ||
                                                 paint.colour.varies || paint.alpha < 0.95 || paint.text_clip != 0));
    };
    if (BoxGrid::indexable(box)) grid_.query(box, test);
    for (uint32_t p : everywhere_) test(p);
    return found;
  }

  // Whether `paint` lays ink that shows at `c`: not white, not nearly
  // transparent, inside its shape and clip (an image by its pixel and
  // mask). Ink of a colour not known (a pattern, a shading) may show.
  bool inks_at(const Paint& paint, Point c, size_t& tests) const {
    if (!inspector_.paints_at(paint, c, tests)) return false;
    const std::optional<std::pair<Rgb, double>> laid = colour_at(paint, c);
    if (!laid) return paint.colour.paints;
    const auto& [rgb, opacity] = *laid;
    return paint.alpha * opacity >= kFaintAlpha && 0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2] < kLightText;
  }

  // The ground at `c` of the paints gathered; nullopt where it cannot be
  // told (an image whose colours or mask are not read, a shading, another
  // blend mode, a shape known only by its bounds), or past the budget of
  // `tests`.
  std::optional<Ground> at(const Point& c, size_t& tests, bool& exhausted) const {
    Rgb ground{1, 1, 1};
    bool known = true, painted = false;
    for (uint32_t p : gathered_) {
      const Paint& paint = inspector_.paints[p];
      if (++tests > kMaxCoverTests) {
        exhausted = true;
        return std::nullopt;
      }
      if (!inspector_.paints_at(paint, c, tests)) continue;
      const std::optional<std::pair<Rgb, double>> laid = paint.ground == Paint::Ground::unknown || !paint.exact
                                                             ? std::nullopt
                                                             : colour_at(paint, c);
      if (!laid) {
        known = false;
        continue;
      }
      const auto& [paint_rgb, opacity] = *laid;
      const double alpha = std::clamp(paint.alpha * opacity, 0.0, 1.0);
      if (alpha <= 0) continue;  // no ink
      painted = true;
      if (paint.ground == Paint::Ground::over && alpha >= 0.95) {
        ground = paint_rgb;
        known = true;
        continue;
      }
      for (size_t k = 0; k < 3; ++k) {
        const double blend = paint.ground == Paint::Ground::multiply ? ground[k] * paint_rgb[k] : paint_rgb[k];
        ground[k] = alpha * blend + (1 - alpha) * ground[k];
      }
    }
    if (!known) return std::nullopt;
    return Ground{ground, painted};
  }

 private:
  // The colour `paint` lays at `c` and how much of it (a mask's opacity;
  // 0 where it lays no ink); nullopt where that cannot be told.
  std::optional<std::pair<Rgb, double>> colour_at(const Paint& paint, Point c) const {
    const pdf::Colour& colour = paint.colour;
    if (!paint.image || paint.use >= images_.size()) {
      if (paint.image || !colour.hue_known) return std::nullopt;
      return std::pair<Rgb, double>{{colour.red, colour.green, colour.blue}, colour.paints ? 1.0 : 0.0};
    }
    const pdf::ImageUse& image = images_[paint.use];
    if (!pixel_at(image.quad, c, 1, 1)) return std::pair<Rgb, double>{{}, 0.0};  // off its square
    double opacity = 1;
    if (image.masked) {
      const std::optional<double> o = pictures_.opacity(image, c);
      if (!o) return std::nullopt;
      opacity = *o;
    }
    if (image.stencil) {
      if (!colour.hue_known) return std::nullopt;
      return std::pair<Rgb, double>{{colour.red, colour.green, colour.blue}, colour.paints ? opacity : 0};
    }
    const std::optional<Rgb> rgb = pictures_.colour(image, c);
    if (!rgb) return std::nullopt;
    return std::pair<Rgb, double>{*rgb, opacity};
  }

  const Inspector& inspector_;
  std::span<const pdf::ImageUse> images_;
  Pictures& pictures_;
  BoxGrid grid_;
  std::vector<uint32_t> everywhere_;  // paints too large to index
  std::vector<uint32_t> here_, gathered_;
};

std::string stream_name(const pdf::PageContent& page, uint32_t stream) {
  if (stream >= page.streams.size()) return "content stream";
  const pdf::StreamUse& use = page.streams[stream];
  if (!use.annotation.empty()) {
    return "annotation " + use.annotation + ", appearance " + use.appearance + (use.hidden ? " (not shown)" : "");
  }
  if (use.object.empty()) return "content stream";
  return "object " + use.object + (use.parent < 0 ? " (drawn by no page)" : " (form)");
}

std::string describe(const Rect& r) {
  auto n = [](double v) { return std::to_string(static_cast<long long>(std::lround(v))); };
  return "[" + n(r.x0) + " " + n(r.y0) + " " + n(r.x1) + " " + n(r.y1) + "]";
}

class Checker {
 public:
  Checker(const std::string& path, const match::Matcher& matcher, const CheckOptions& options)
      : path_(path), matcher_(matcher), options_(options) {}

  Report run() {
    auto document = pdf::Document::open(path_, options_.password);
    return run(*document);
  }

  Report run(pdf::Document& document) {
    document_ = &document;
    report_.file = path_;
    report_.pages = document.page_count();
    check_opening(document);
    std::set<std::string> walked;
    std::vector<std::string> page_texts;
    for (int number = 1; number <= report_.pages; ++number) {
      page_texts.push_back(check_page(document, number, walked));
    }
    settle_by_drawing();
    check_undrawn_streams(document, walked);
    check_strings(document, "");
    check_structure(document);
    if (options_.revisions) check_revisions(page_texts);
    return std::move(report_);
  }

 private:
  void add(Finding finding) { report_.findings.push_back(std::move(finding)); }

  // A file that had to be repaired is read as libqpdf rebuilt it: another
  // reader may rebuild it otherwise and show what this reading did not.
  void check_opening(const pdf::Document& document) {
    for (const std::string& note : document.opening_notes()) {
      if (note.starts_with("ambiguous")) {
        add({"repaired", Severity::risk, 0, std::nullopt, "document", "the damaged file is " + note, "", "", ""});
        continue;
      }
      if (note.starts_with("rewritten") || note.starts_with("renumbered")) {  // read from libqpdf's copy
        add({"rewritten", Severity::info, 0, std::nullopt, "document", "the file was " + note, "", "", ""});
        continue;
      }
      const bool repaired = note.starts_with("repaired");
      add({repaired ? "repaired" : "encrypted", repaired ? Severity::risk : Severity::info, 0, std::nullopt, "document",
           repaired ? "the file is damaged and was " + note + ": other readers may rebuild it otherwise"
                    : "the file is encrypted and was " + note,
           "", "", ""});
    }
  }

  // One finding per leak in page content, however many readings see it: a
  // match is known by its page, pattern and the place of its first glyph
  // (every reading starts the same word at the same glyph). A set, not a
  // search of every finding so far: a page of a million names stays linear.
  bool first_sighting(int page, const std::string& pattern, const Rect& first_glyph) {
    auto at = [](double v) { return std::isfinite(v) ? std::llround(v * 10) : 0LL; };
    return leaks_seen_.emplace(page, pattern, at(first_glyph.x0), at(first_glyph.y0)).second;
  }

  // Matches every reading of `page` (a page, or one group of its glyphs)
  // and reports what is found as leaks.
  void match_readings(const pdf::PageContent& page, int number, const std::string& object, const std::string& where) {
    if (page.glyphs.empty()) return;
    match_readings_of(page, number, object, where, "");
    // Codes another reader reads otherwise (a ToUnicode map that disagrees
    // with the font's own encoding; poppler's WinAnsi for a symbolic
    // TrueType font): the page is read again that way.
    if (std::any_of(page.glyphs.begin(), page.glyphs.end(), [](const pdf::Glyph& g) { return !g.encoded_text.empty(); })) {
      pdf::PageContent drawn = page;
      for (pdf::Glyph& g : drawn.glyphs) {
        if (!g.encoded_text.empty()) g.text = g.encoded_text;
      }
      match_readings_of(drawn, number, object, where, ", reading the font's codes as another reader does");
    }
  }

  void match_readings_of(const pdf::PageContent& page, int number, const std::string& object, const std::string& where,
                         const std::string& how) {
    for (const auto& [name, text] : extract::all_readings(page)) {
      const normalize::NormalizedText normalized = normalize::normalize(text.text);
      const std::vector<match::Match> matches = matcher_.find(normalized.text);
      for (const plan::Located& found : plan::locate(page, text, normalized, matches)) {
        const match::Pattern& pattern = matcher_.patterns()[found.match.pattern];
        if (found.glyphs.empty() || !first_sighting(number, pattern.id, page.glyphs[found.glyphs.front()].box)) continue;
        Finding f;
        f.kind = "text";
        f.severity = Severity::leak;
        f.page = number;
        for (const Rect& b : found.boxes) f.box = f.box ? f.box->united(b) : b;
        f.object = object;
        f.category = pattern.category;
        f.pattern = pattern.id;
        auto [b, e] = normalized.source_range(found.match.begin, found.match.end);
        f.text = text.text.substr(b, e - b);
        f.message = "a " + pattern.category + " match (pattern " + pattern.id + ") is readable in " + where + " (" +
                    name + " reading" + how + ")";
        add(std::move(f));
      }
    }
  }

  // Reports a leak when `text` holds a match; returns whether it did.
  // `terms_only`: a code or a font's name, where only the officer's own
  // terms count (pdf::binary_data).
  bool match_string(const std::string& text, int number, const std::string& kind, const std::string& object,
                    const std::string& where, bool terms_only = false) {
    if (holds_nothing_.contains(text)) return false;
    const std::vector<match::Match> matches = matcher_.find(normalize::normalized(text));
    if (matches.empty()) {
      holds_nothing_.remember(text);
      return false;
    }
    const auto counted = std::find_if(matches.begin(), matches.end(),
                                      [&](const match::Match& m) { return !terms_only || matcher_.names_a_term(m); });
    if (counted == matches.end()) return false;
    const match::Pattern& pattern = matcher_.patterns()[counted->pattern];
    Finding f;
    f.kind = kind;
    f.severity = Severity::leak;
    f.page = number;
    f.object = object;
    f.category = pattern.category;
    f.pattern = pattern.id;
    f.text = text.size() > 200 ? text.substr(0, 200) + "..." : text;
    f.message = "a " + pattern.category + " match (pattern " + pattern.id + ") is in " + where;
    add(std::move(f));
    return true;
  }

  // Whether the masked image `paint` hides `glyph` in its clip, where its
  // mask paints (nearly) opaquely. A mask that cannot be read (cut short,
  // a filter redact does not decode) may paint anything: the image hides
  // what is under its box.
  bool mask_hides(const Inspector& inspector, const pdf::PageContent& page, const Paint& paint, const pdf::Glyph& glyph) {
    const pdf::ImageUse& image = page.images[paint.use];
    const std::span<const pdf::Segment> clip = inspector.clip_edges(paint);
    const bool clip_even_odd = inspector.clip_even_odd(paint);
    if (!pictures_.mask(image)) return true;
    return plan::inked_hides(glyph, [&](Point p) {
      if (!paint.box.contains(p) || (!clip.empty() && !plan::inside_fill(clip, clip_even_odd, p))) return false;
      return pictures_.opacity(image, p).value_or(1) >= 242 / 255.0;  // 0.95 opaque, in a byte
    });
  }

  // Reads one page every way; returns the text a viewer shows on it (for
  // comparing revisions).
  std::string check_page(pdf::Document& document, int number, std::set<std::string>& walked) {
    pictures_.start_page(document, number);
    pdf::PageContent page;
    Inspector inspector(page);
    page.glyphs.reserve(document.glyphs_per_page());
    inspector.facts.reserve(document.glyphs_per_page());
    Diagnostics diagnostics;
    const pdf::PageContent frame = document.walk_page(number, inspector, diagnostics, pdf::WalkOptions{true});
    page.number = number;
    page.width = frame.width;
    page.height = frame.height;
    page.page_from_user = frame.page_from_user;
    page.complete = frame.complete;
    page.incomplete_reason = frame.incomplete_reason;
    for (const pdf::StreamUse& use : page.streams) {
      if (!use.object.empty()) walked.insert(use.object);
    }
    if (options_.page_read) options_.page_read(page);
    return inspect(page, inspector, number, true);
  }

  // Streams no page draws: forms left in resources, patterns, appearance
  // streams of annotations no page lists.
  // What the streams no page draws may show together: as much as one page.
  static constexpr size_t kMaxUndrawnGlyphs = 400'000;

  void check_undrawn_streams(pdf::Document& document, std::set<std::string> walked) {
    pictures_.start_page(document, 0);
    // Each stream is read once: one drawn by a stream read here is not read
    // again on its own, and all of them together get the glyph budget of one
    // page (forms that draw each other by the hundred, each walked on its
    // own, would each cost a page).
    size_t glyphs = 0;
    for (const pdf::Document::ContentStream& stream : document.content_streams()) {
      if (walked.contains(stream.object)) continue;
      if (glyphs > kMaxUndrawnGlyphs) {
        add({"unreadable-text", Severity::risk, 0, std::nullopt, "object " + stream.object + " (drawn by no page)",
             "the streams no page draws hold more than " + std::to_string(kMaxUndrawnGlyphs) +
                 " glyphs together: the rest is not read, and what is not read cannot be checked",
             "", "", ""});
        return;
      }
      pdf::PageContent page;
      Inspector inspector(page);
      Diagnostics diagnostics;
      page.complete = document.walk_stream(stream, inspector, diagnostics);
      glyphs += page.glyphs.size();
      for (const pdf::StreamUse& use : page.streams) walked.insert(use.object);
      inspect(page, inspector, 0, false);
      // What cannot be read cannot be checked, drawn or not.
      if (!page.complete || page.unknown_glyphs > 0) {
        add({"unreadable-text", Severity::risk, 0, std::nullopt, "object " + stream.object + " (drawn by no page)",
             page.unknown_glyphs > 0 ? std::to_string(page.unknown_glyphs) + " glyphs have no known Unicode value: their text cannot be checked"
                                     : "the stream could not be read completely: what is not read cannot be checked",
             "", "", ""});
      }
    }
  }

  // Which stream each stream's glyphs are grouped with: the page as shown
  // (0), or the appearance or stream not shown that they descend from.
  static std::vector<uint32_t> groups_of(const pdf::PageContent& page) {
    std::vector<uint32_t> group(page.streams.size(), 0);
    for (size_t i = 0; i < page.streams.size(); ++i) {
      const pdf::StreamUse& use = page.streams[i];
      if (use.hidden) {
        group[i] = static_cast<uint32_t>(i);
      } else if (use.parent >= 0 && static_cast<size_t>(use.parent) < i) {
        group[i] = group[static_cast<size_t>(use.parent)];
      }
    }
    return group;
  }

  std::string inspect(const pdf::PageContent& page, const Inspector& inspector, int number, bool on_page) {
    const std::string where_page = on_page ? "page " + std::to_string(number) : "a stream no page draws";
    // 1. Leaks, per group of glyphs (what the page shows; each appearance or
    // stream not shown, on its own so that it does not mingle with the page).
    const std::vector<uint32_t> group = groups_of(page);
    std::map<uint32_t, std::vector<uint32_t>> members;
    for (uint32_t g = 0; g < page.glyphs.size(); ++g) {
      const uint32_t s = page.glyphs[g].source.stream;
      members[s < group.size() ? group[s] : 0].push_back(g);
    }
    std::string shown;
    for (const auto& [root, glyphs] : members) {
      for (uint32_t g : glyphs) {
        // The page's own text (no annotation), to compare revisions by.
        if (on_page && root == 0 && page.streams[page.glyphs[g].source.stream].annotation.empty()) shown += page.glyphs[g].text;
      }
      // The common case, one group, reads the page itself; others a copy.
      pdf::PageContent part;
      if (members.size() > 1) {
        part.number = page.number;
        part.width = page.width;
        part.height = page.height;
        part.streams = page.streams;
        part.fonts = page.fonts;
        for (uint32_t g : glyphs) part.glyphs.push_back(page.glyphs[g]);
      }
      const pdf::PageContent& reading = members.size() > 1 ? part : page;
      const bool hidden = root != 0 || !on_page;
      match_readings(reading, number, stream_name(page, root), hidden ? "text not shown (" + stream_name(page, root) + ")" : "the page text");
    }
    if (const std::optional<extract::ActualTextReading> actual = extract::with_actual_text(page)) {
      match_readings_of(actual->page, number, on_page ? "page content" : where_page, "the page text",
                        ", with each /ActualText in place of the glyphs it stands for, as pdftotext reads it");
    }
    for (const MarkedString& s : inspector.marked_strings) {
      match_string(s.text, number, "text", stream_name(page, s.stream) + ", offset " + std::to_string(s.offset),
                   "marked content /" + s.key + " on " + where_page);
    }
    // Comments: drawn by no reader, read by anyone who reads the stream.
    // Comments, and strings no operation shows: one finding each, in the
    // first reading that holds a match.
    auto match_raw = [&](std::string_view bytes, uint32_t stream, size_t offset, const std::string& what) {
      for (const std::string& reading : pdf::comment_readings(bytes)) {
        if (match_string(reading, number, "text", stream_name(page, stream) + ", offset " + std::to_string(offset),
                         what + " on " + where_page)) {
          return;
        }
      }
    };
    for (const pdf::StreamComment& c : page.comments) match_raw(c.text, c.stream, c.offset, "a comment of a content stream");
    for (const pdf::LooseString& l : page.loose_strings) {
      if (pdf::carries_text(l.key, pdf::decode_text_string(l.bytes))) {
        match_raw(l.bytes, l.stream, l.offset, "a string no operation shows, in a content stream");
      }
    }
    // Names (a tag, a resource's name): run does not rename them, so one
    // holding a match holds the document.
    for (const MarkedString& n : inspector.names) {
      match_string(pdf::decode_text_string("\xEF\xBB\xBF" + n.text), number, "text",
                   stream_name(page, n.stream) + ", offset " + std::to_string(n.offset),
                   "a name in a content stream on " + where_page);
    }

    // 2. Content hidden from the eye.
    struct Tally {
      size_t count = 0;
      Rect box;
      std::string object;
    };
    // By kind and stream; text under a box by kind and box.
    std::map<std::tuple<std::string, uint32_t, uint32_t>, Tally> tallies;
    // Noted first, tallied once every glyph is judged (see `twin`).
    struct Noted {
      const char* kind;
      uint32_t glyph, paint;
    };
    std::vector<Noted> noted;
    std::vector<bool> unseen(page.glyphs.size(), false);  // with any note: hidden some way
    auto note = [&](const char* kind, uint32_t glyph, uint32_t paint = 0) {
      noted.push_back({kind, glyph, paint});
      unseen[glyph] = true;
    };
    std::vector<bool> under_image(page.glyphs.size(), false);  // on an image, before or after it
    BoxGrid grid;
    std::vector<uint32_t> unindexed;  // glyphs too large (or far) to index, tested by every paint
    for (uint32_t g = 0; g < page.glyphs.size(); ++g) {
      if (BoxGrid::indexable(page.glyphs[g].box)) grid.add(g, page.glyphs[g].box);
      else unindexed.push_back(g);
    }
    // Glyphs a box or an image hides: an opaque one drawn over them (black,
    // or white as a "white-out"), or a dark one under dark text.
    std::vector<bool> covered(page.glyphs.size(), false);
    // The area of each glyph's box opaque paints drawn over part of it
    // cover, in all (what each covers counted once for each).
    std::vector<double> partly_covered(page.glyphs.size(), 0);
    std::vector<uint32_t> covering(page.glyphs.size(), 0);  // which paint, to report each box on its own
    // Work is bounded: a page of thousands of boxes over thousands of glyphs
    // stops here, and says it could not be checked.
    size_t tests = 0;
    bool exhausted = false;
    for (uint32_t p = 0; p < inspector.paints.size() && !exhausted; ++p) {
      const Paint& paint = inspector.paints[p];
      // A hairline (a table rule) covers no glyph; what is not shown (an
      // appearance of another state) covers nothing shown.
      if (std::min(paint.box.width(), paint.box.height()) < kHairline) continue;
      if (paint.stream >= group.size() || group[paint.stream] != 0) continue;
      const std::span<const pdf::Segment> trace(inspector.trace.data() + paint.first, paint.count);
      const bool dark = paint.colour.known && paint.colour.lightness <= kDarkFill;
      const Quad cover = Matrix{}.apply(paint.box);
      auto test = [&](uint32_t g) {
        if (++tests > kMaxCoverTests) {
          exhausted = true;
          return;
        }
        const GlyphFacts& facts = inspector.facts[g];
        const pdf::Glyph& glyph = page.glyphs[g];
        if (glyph.box.area() <= 0 || inspector.blocks[g]) return;
        if (paint.text_clip != 0 && paint.text_clip == facts.state.text_clip) return;  // it paints the glyph
        const bool over = facts.sequence < paint.sequence;
        // Black on black: dark text drawn on a dark fill.
        const pdf::Colour& ink = facts.state.fill;
        const bool same_colour = !over && dark && paint.solid && !paint.image && paint.shape != Paint::Shape::pen &&
                                 ink.known && ink.lightness <= kDarkFill && std::abs(ink.lightness - paint.colour.lightness) < 0.15;
        const bool hidden_by_paint = paint.hides == Paint::Hides::everything ||
                                     (paint.hides == Paint::Hides::black_text && ink.known && ink.lightness <= kBlack);
        // Text on an image, in either order: an OCR layer when invisible.
        // Any other paint hides only what it is drawn over, or dark text
        // drawn on it in its own colour.
        const bool hides = !covered[g] && ((over && hidden_by_paint) || same_colour);
        if (!paint.image && !hides) return;
        if (paint.shape == Paint::Shape::mask) {
          // On the image's box, an OCR layer; hidden where its mask paints.
          if (!plan::hides(cover, glyph)) {
            if (over && hidden_by_paint) partly_covered[g] += paint.box.intersected(glyph.box).area();
            return;
          }
          under_image[g] = true;
          tests += 32;  // the points a band is told by
          if (!hides || !mask_hides(inspector, page, paint, glyph)) return;
          covered[g] = true;
          covering[g] = p;
          return;
        }
        // A test against segments costs a test per segment.
        tests += paint.count;
        const std::span<const pdf::Segment> clip = inspector.clip_edges(paint);
        const bool clip_even_odd = inspector.clip_even_odd(paint);
        tests += clip.size();
        const bool inside = paint.shape == Paint::Shape::pen
                                ? plan::stroke_hides(trace, paint.half_width, glyph, paint.box, clip, clip_even_odd, paint.capped)
                            : paint.shape == Paint::Shape::fill ? plan::fill_hides(trace, paint.even_odd, glyph, paint.box, clip, clip_even_odd)
                                                                : plan::hides(cover, glyph);
        if (!inside) {
          // Opaque paint over part of it: with others beside it (strips, a
          // grid), it may hide all of it; drawing the page tells, where
          // they cover half its box or more.
          if (over && hidden_by_paint) partly_covered[g] += paint.box.intersected(glyph.box).area();
          return;
        }
        if (paint.image) under_image[g] = true;
        if (!hides) return;
        covered[g] = true;
        covering[g] = p;
      };
      if (!BoxGrid::indexable(paint.box)) {
        for (uint32_t g = 0; g < page.glyphs.size() && !exhausted; ++g) test(g);
      } else {
        grid.query(paint.box, test);
        for (uint32_t g : unindexed) test(g);
      }
    }
    // The glyphs whose showing drawing the page settles, and their streams.
    DrawnQuestion asked{number, {}, 0, {}};
    std::vector<uint32_t> asked_streams;
    std::vector<bool> shown_streams(page.streams.size());
    for (size_t s = 0; s < shown_streams.size(); ++s) shown_streams[s] = s < group.size() && group[s] == 0;
    // Text stroked over other text (a row of dashes in a wide pen is a
    // black bar): what it hides, drawing the page tells.
    for (uint32_t h = 0; h < page.glyphs.size(); ++h) {
      const int mode = inspector.facts[h].state.render_mode;
      if (!(mode == 1 || mode == 2 || mode == 5 || mode == 6) || !BoxGrid::indexable(page.glyphs[h].box)) continue;
      grid.query(page.glyphs[h].box, [&](uint32_t g) {
        if (g != h && inspector.facts[g].sequence < inspector.facts[h].sequence &&
            page.glyphs[g].box.meets(page.glyphs[h].box)) {
          partly_covered[g] = page.glyphs[g].box.area();
        }
      });
    }
    Grounds grounds(inspector, shown_streams, page.images, pictures_);
    size_t visible_letters = 0, ocr_letters = 0;
    for (uint32_t g = 0; g < page.glyphs.size(); ++g) {
      const pdf::Glyph& glyph = page.glyphs[g];
      if (is_blank(glyph.text)) continue;
      const pdf::DrawState& state = inspector.facts[g].state;
      const uint32_t s = glyph.source.stream;
      const bool shown_stream = s < group.size() && group[s] == 0;
      if (!shown_stream) continue;  // appearances not shown are reported with their annotation
      const bool invisible = glyph.invisible;
      const bool ocr = invisible && under_image[g];
      if (ocr) ++ocr_letters;
      else ++visible_letters;
      if (std::abs(state.ctm.determinant()) < 1e-12 || glyph.size < 1e-6) {
        note("singular-matrix", g);
        continue;
      }
      if (state.optional_content_off) note("optional-content-off", g);
      // Text that clips (Tr 7) shows where ink is painted in its clip.
      if (invisible && !ocr && !shown_through(inspector, grounds, glyph, state.text_clip, tests)) note("invisible-text", g);
      if (covered[g] && !ocr) note("text-under-box", g, covering[g]);
      // Too small to read: under 1 pt, or squeezed flat (Tz 1: a glyph
      // whose advance is a sliver of its height).
      const double advance = std::hypot(glyph.end.x - glyph.origin.x, glyph.end.y - glyph.origin.y);
      if (glyph.size < kTinySize || (advance > 0 && advance < kSqueezed * glyph.size)) note("tiny-text", g);
      if (on_page && !glyph.box.meets(Rect{0, 0, page.width, page.height})) note("text-outside-crop", g);
      if (!glyph.box.meets(state.clip) || state.clip.empty()) note("clipped-text", g);
      // Filled, stroked or both: hidden when every way it is painted shows
      // nothing (no ink, nearly transparent, or white on a blank ground).
      const int mode = state.render_mode;
      const bool fills = mode == 0 || mode == 2 || mode == 4 || mode == 6;
      const bool strokes = mode == 1 || mode == 2 || mode == 5 || mode == 6;
      // Or in the colour of what it is drawn on (white on white, yellow on
      // a yellow box, grey on a grey page) at more than 3/4 of the points
      // of its ink: a rule through it, or a speck, does not make it show.
      // Where the ground cannot be told, it shows.
      std::vector<std::optional<Grounds::Ground>> ground;  // at each point, once a colour asks
      // In Multiply, Screen, Darken or Lighten what shows is the blend of
      // its colour with the ground (white multiplied shows nothing).
      using Blend = pdf::DrawState::Blend;
      const bool blend_known = state.blend == Blend::normal || state.blend == Blend::multiply || state.blend == Blend::screen ||
                               state.blend == Blend::darken || state.blend == Blend::lighten;
      const auto blends_in = [&](const pdf::Colour& colour, double alpha) {
        if (!blend_known || state.soft_mask || !colour.hue_known) return false;
        const double ink[3] = {colour.red, colour.green, colour.blue};
        const auto alike = [&](const Grounds::Ground& under) {
          double apart = 0;
          for (size_t k = 0; k < 3; ++k) {
            const double b = under.rgb[k], t = ink[k];
            const double result = !under.painted                  ? t
                                  : state.blend == Blend::multiply ? b * t
                                  : state.blend == Blend::screen   ? b + t - b * t
                                  : state.blend == Blend::darken   ? std::min(b, t)
                                  : state.blend == Blend::lighten  ? std::max(b, t)
                                                                   : t;
            apart = std::max(apart, std::abs(result - b));
          }
          return std::clamp(alpha, 0.0, 1.0) * apart <= kBlendsIn;
        };
        if (ground.empty()) {
          const std::vector<Point> points = ink_points(glyph);
          grounds.gather(reach_of(points), inspector.facts[g].sequence);
          // Where no ground a point can have is alike, none is: the 24
          // points need not be read (black text over pale cells).
          if (const std::optional<std::vector<Grounds::Ground>> plain = grounds.plain_grounds();
              plain && std::none_of(plain->begin(), plain->end(), alike)) {
            return false;
          }
          ground = grounds_at(grounds, points, tests, exhausted);
        }
        const size_t alikes = static_cast<size_t>(std::count_if(
            ground.begin(), ground.end(), [&](const std::optional<Grounds::Ground>& under) { return under && alike(*under); }));
        return 4 * alikes > 3 * ground.size();
      };
      const auto shows_nothing = [&](const pdf::Colour& colour, double alpha) {
        return alpha < kFaintAlpha ||
               (colour.known && (!colour.paints || (colour.lightness >= kLightText && !on_dark(page, inspector, g, tests)) ||
                                 blends_in(colour, alpha)));
      };
      // Not a Type3 glyph that paints in its own colours, and not text that
      // clips what is painted after it where that paint shows.
      if ((fills || strokes) && !covered[g] && !glyph.own_colour && (!fills || shows_nothing(state.fill, state.fill_alpha)) &&
          (!strokes || shows_nothing(state.stroke, state.stroke_alpha)) &&
          !(mode >= 4 && shown_through(inspector, grounds, glyph, state.text_clip, tests))) {
        note("hidden-colour-text", g);
      }
      // Text taken as shown whose showing this reading cannot settle is
      // settled by drawing the page (check/drawn.h), in a page's content or
      // an annotation's appearance, in any mode but 3 (text that clips is
      // seen by its ink and by what is painted through its clip, a paint in
      // a text clip that unsettles its ground). Unless in a colour, alpha
      // and blend mode worked out, with no transfer function, on a ground
      // that is, with nothing opaque drawn over part of it and no text
      // stroked over it, not of a Type3 font (whose glyphs are procedures
      // that may paint white, or clip away what they paint) nor a glyph its
      // font program may draw nothing for (Font::blank). Letters and
      // digits: what is withheld.
      const auto known = [](const pdf::Colour& c) { return c.known && c.hue_known; };
      if (!unseen[g] && !ocr && !exhausted && mode != 3 && s < page.streams.size() && has_letter_or_digit(glyph.text) &&
          (state.soft_mask || state.transfer || !blend_known || (fills && !known(state.fill)) ||
           (strokes && !known(state.stroke)) ||
           (glyph.font < page.fonts.size() && page.fonts[glyph.font].kind == "Type3") || glyph.blank ||
           partly_covered[g] >= 0.5 * glyph.box.area() || grounds.unsettled_on(glyph.box))) {
        asked.boxes.push_back(glyph.box);
        asked_streams.push_back(s);
        asked.shown.push_back({number, page.streams[s].object, glyph.source.op_offset, mode});
      }
    }
    // A hidden copy of text that is also shown, in the same place, hides
    // nothing: Chromium draws a blurred text-shadow as a transparent copy
    // of the text beside it, and outline text as a transparent fill under
    // its stroke.
    const auto twin = [&](uint32_t g) {
      const pdf::Glyph& glyph = page.glyphs[g];
      const double near = 0.35 * std::abs(glyph.size);
      bool found = false;
      if (!BoxGrid::indexable(glyph.box)) return false;
      grid.query(glyph.box.grown(near), [&](uint32_t other) {
        const pdf::Glyph& o = page.glyphs[other];
        if (found || other == g || unseen[other] || o.text != glyph.text) return;
        const uint32_t s = o.source.stream;
        if (s >= group.size() || group[s] != 0) return;
        // Its start and its end near: the same letter, the same way.
        found = std::hypot(o.origin.x - glyph.origin.x, o.origin.y - glyph.origin.y) <= near &&
                std::hypot(o.end.x - glyph.end.x, o.end.y - glyph.end.y) <= near &&
                std::abs(o.size - glyph.size) <= 0.1 * std::abs(glyph.size);
      });
      return found;
    };
    if (!asked.boxes.empty()) {
      for (uint32_t g = 0; g < page.glyphs.size(); ++g) {
        const double size = std::abs(page.glyphs[g].size);
        const uint32_t s = page.glyphs[g].source.stream;
        if (size < kTinySize || is_blank(page.glyphs[g].text) || s >= group.size() || group[s] != 0) continue;
        asked.smallest = asked.smallest == 0 ? size : std::min(asked.smallest, size);
      }
      std::sort(asked.shown.begin(), asked.shown.end());
      asked.shown.erase(std::unique(asked.shown.begin(), asked.shown.end()), asked.shown.end());
      Asked a;
      a.question = std::move(asked);
      // By name: a form drawn twice is one object.
      std::map<std::string, uint32_t> named;  // its index in a.objects
      for (uint32_t stream : asked_streams) {
        const auto [it, added] = named.try_emplace(stream_name(page, stream), static_cast<uint32_t>(a.objects.size()));
        if (added) a.objects.push_back(it->first);
        a.object_of.push_back(it->second);
      }
      asked_.push_back(std::move(a));
    }
    for (const Noted& n : noted) {
      const std::string_view kind = n.kind;
      if ((kind == "hidden-colour-text" || kind == "invisible-text" || kind == "text-under-box") && twin(n.glyph)) continue;
      const pdf::Glyph& g = page.glyphs[n.glyph];
      Tally& t = tallies[{n.kind, g.source.stream, n.paint}];
      t.box = t.count == 0 ? g.box : t.box.united(g.box);
      ++t.count;
    }
    if (exhausted) {
      add({"unreadable-text", Severity::risk, number, std::nullopt, on_page ? "page content" : where_page,
           "too many boxes over too much text to tell what they hide: the page cannot be checked for covered text",
           "", "", ""});
    }
    static const std::map<std::string, std::string> kWhat = {
        {"singular-matrix", "drawn under a singular matrix (nothing shows, the text is in the file)"},
        {"optional-content-off", "in optional content that is off (a layer a viewer hides)"},
        {"invisible-text", "invisible (text render mode 3 or 7, or a Type3 glyph that paints nothing), neither the OCR layer of an image nor shown by what is painted in the clip it makes"},
        {"text-under-box", "hidden under a box or an image drawn over them, or dark on a dark box (a bad redaction?)"},
        {"tiny-text", "smaller than 1 pt or squeezed flat (horizontal scaling)"},
        {"text-outside-crop", "outside the page's CropBox"},
        {"clipped-text", "clipped away entirely"},
        {"hidden-colour-text", "in the colour of what they are drawn on (white on a blank page, yellow on a yellow box, black on a black picture), nearly transparent, or in a colour that lays down no ink (/None)"},
    };
    for (const auto& [key, tally] : tallies) {
      Finding f;
      const auto& [kind, stream, paint] = key;
      f.kind = kind;
      f.severity = Severity::risk;
      f.page = number;
      f.box = tally.box;
      f.object = stream_name(page, stream);
      f.message = std::to_string(tally.count) + " glyph" + (tally.count == 1 ? " is " : "s are ") + kWhat.at(kind);
      if (kind == "text-under-box") {
        const Paint& p = inspector.paints[paint];
        f.message += "; the box, drawn by " +
                     (p.viewer >= 0 ? "viewers for annotation " + inspector.viewer_drawn[static_cast<size_t>(p.viewer)] +
                                          " (it has no appearance of its own)"
                                    : stream_name(page, p.stream)) +
                     ", is at " + describe(p.box);
      }
      add(std::move(f));
    }
    // Text read in place of nothing: extractors read a span's /ActualText
    // in place of the glyphs it shows (pdftotext prints it), and this span
    // shows no letter or digit: only spaces and glyphs its font draws blank.
    for (const pdf::MarkedSpan& u : inspector.unseen_actual_text) {
      if (u.stream >= group.size() || group[u.stream] != 0) continue;  // not shown: reported with its annotation
      std::optional<Rect> box;  // of the glyphs it shows (spaces, blanks), if any
      for (uint32_t g = u.first_glyph; g < u.end_glyph && g < page.glyphs.size(); ++g) {
        box = box ? box->united(page.glyphs[g].box) : page.glyphs[g].box;
      }
      add({"invisible-text", Severity::risk, number, box,
           stream_name(page, u.stream) + ", offset " + std::to_string(u.offset),
           "the /ActualText of a marked-content span, which text extractors read in place of what the span draws, "
           "holds letters or digits, and the span draws none: only spaces or glyphs its font draws blank",
           "", "", ""});
    }
    if (on_page) {
      if (!page.complete) {
        add({"unreadable-text", Severity::risk, number, std::nullopt, "page content",
             "the page could not be read completely" +
                 (page.incomplete_reason.empty() ? std::string() : " (" + page.incomplete_reason + ")") +
                 ": what is not read cannot be checked",
             "", "", ""});
      }
      if (page.unknown_glyphs > 0) {
        add({"unreadable-text", Severity::risk, number, std::nullopt, "page content",
             std::to_string(page.unknown_glyphs) + " glyphs have no known Unicode value: their text cannot be checked",
             "", "", ""});
      }
      if (visible_letters == 0 && !page.images.empty()) {
        add({"no-text-layer", Severity::info, number, std::nullopt, "page content",
             ocr_letters > 0 ? "the text is an invisible OCR layer over an image: the image itself cannot be checked without OCR"
                             : "images but no text layer (a scan?): the page cannot be checked without OCR",
             "", "", ""});
      }
    }
    return shown;
  }

  // Points spread over a glyph's ink: 8 along its advance by 3 across the
  // band from 0.05 to 0.65 of its size above its baseline, or its centre
  // when it has no size.
  static std::vector<Point> ink_points(const pdf::Glyph& glyph) {
    std::vector<Point> points;
    if (const std::optional<Quad> ink = plan::above_baseline(glyph, 0.05, 0.65)) {
      points.reserve(8 * 3);
      for_cell_centres(ink->ll, ink->lr, ink->ul, ink->ur, 8, 3, [&](Point p) { points.push_back(p); });
    } else {
      points.push_back(glyph.box.centre());
    }
    return points;
  }

  // Whether a glyph that clips (Tr 7) shows: ink was painted in the clip
  // it makes at a quarter of the points over its ink or more.
  static bool shown_through(const Inspector& inspector, const Grounds& grounds, const pdf::Glyph& glyph, uint64_t text_clip,
                            size_t& tests) {
    const std::span<const uint32_t> painted = inspector.painted_through(text_clip);
    if (painted.empty()) return false;
    const std::vector<Point> points = ink_points(glyph);
    size_t inked = 0;
    for (const Point& p : points) {
      const bool any = std::any_of(painted.begin(), painted.end(), [&](uint32_t paint) {
        return ++tests <= kMaxCoverTests && grounds.inks_at(inspector.paints[paint], p, tests);
      });
      if (any) ++inked;
    }
    return 4 * inked >= points.size();
  }

  // The bounds of `points` (not empty).
  static Rect reach_of(const std::vector<Point>& points) {
    Rect reach{points[0].x, points[0].y, points[0].x, points[0].y};
    for (const Point& p : points) reach = reach.united(Rect{p.x, p.y, p.x, p.y});
    return reach;
  }

  // The ground at each of `points`, of the paints `grounds` gathered.
  static std::vector<std::optional<Grounds::Ground>> grounds_at(const Grounds& grounds, const std::vector<Point>& points,
                                                               size_t& tests, bool& exhausted) {
    std::vector<std::optional<Grounds::Ground>> found;
    found.reserve(points.size());
    for (const Point& p : points) {
      found.push_back(grounds.nothing_gathered() ? std::optional<Grounds::Ground>(Grounds::Ground{})
                                                 : grounds.at(p, tests, exhausted));
    }
    return found;
  }

  // Whether something that is not light was painted under glyph g before it
  // (white text on a dark box, or on a gradient some of which is dark, is
  // readable; on nothing, it is hidden).
  // Past the page's budget of tests, it says no: the text is reported.
  static bool on_dark(const pdf::PageContent& page, const Inspector& inspector, uint32_t g, size_t& tests) {
    const Point c = page.glyphs[g].box.centre();
    for (const Paint& paint : inspector.paints) {
      if (paint.sequence > inspector.facts[g].sequence || ++tests > kMaxCoverTests) break;
      if (!inspector.paints_at(paint, c, tests)) continue;
      if (paint.image || !paint.colour.known || paint.colour.varies || paint.colour.lightness < kLightBackground) return true;
    }
    return false;
  }

  void check_strings(pdf::Document& document, const std::string& revision) {
    // A stream that cannot be decoded is a risk of its own; the rest is read.
    std::vector<pdf::Document::Unreadable> unreadable;
    const std::vector<pdf::Document::StringValue> strings = document.strings(&unreadable);
    for (const pdf::Document::Unreadable& u : unreadable) {
      add({"unreadable-text", Severity::risk, 0, std::nullopt, (revision.empty() ? "" : revision + ", ") + u.object,
           u.reason + ": what it holds cannot be checked", "", "", ""});
    }
    for (const pdf::Document::StringValue& s : strings) {
      match_string(s.text, 0, "string", (revision.empty() ? "" : revision + ", ") + s.object + (s.key.empty() ? "" : ", /" + s.key),
                   s.key == "Metadata" ? "XMP metadata"
                   : s.key == "XFA"    ? "the XFA form (drawn by Adobe Reader and pdf.js in place of the pages; redact does "
                                         "not edit it) in " + s.object
                   : s.dictionary_key  ? "a dictionary key (a name) of " + s.object
                                       : (s.name ? "the name " : "the string ") +
                                             (s.key.empty() ? std::string("") : "/" + s.key + " ") + "of " + s.object,
                   s.code);
    }
  }

  // Actions, annotations, fields, attachments, metadata: the file's own
  // structure, read object by object.
  void check_structure(pdf::Document& document) {
    std::map<std::string, size_t> counts;
    auto structural = [&](const std::string& kind, Severity severity, const std::string& object, const std::string& message) {
      if (++counts[kind] > kMaxStructureFindings) return;
      add({kind, severity, 0, std::nullopt, object, message, "", "", ""});
    };
    if (const std::string form = document.xfa_acts(); !form.empty()) {
      structural("javascript", Severity::risk, "object " + form,
                 "an XFA form that holds a script, a submission or a call to a web service (or cannot be read)");
    }
    const std::string catalog = document.catalog_id();
    const std::string info = document.info_id();
    // What an /OpenAction does: a destination (an array) or a GoTo with no
    // /Next opens a view, null does nothing; anything else (another action,
    // a chain of them, a reference to a reference) is an action. One that
    // is a reference is judged once every object is visited, by the object
    // of that number; one naming no object read is a risk too (MuPDF finds
    // an object of another generation). redact writes such a reference null.
    // A GoTo's /D must be a destination (an array, or a name or string
    // naming one), and its /S a name given directly.
    const auto opens_a_view = [](const pdf::Object& value) {
      if (value.is_array() || value.kind == pdf::Object::Kind::null) return true;
      const pdf::Object* s = value.is_dict() ? value.find("S") : nullptr;
      const pdf::Object* d = value.is_dict() ? value.find("D") : nullptr;
      return s && s->is_name() && s->bytes == "GoTo" && !value.find("Next") && d &&
             (d->is_array() || d->is_name() || d->is_string());
    };
    long long open_target = -1;
    std::map<long long, bool> views;  // by object number: whether it only opens a view
    document.visit_objects([&](const pdf::Document::ObjectVisit& visit) {
      const std::string object = "object " + visit.id;
      if (visit.cut) {
        add({"unreadable-text", Severity::risk, 0, std::nullopt, object,
             "its value is nested more than 32 levels deep or holds more than a million values: what lies past "
             "that (an action, a string) cannot be checked",
             "", "", ""});
      }
      views[std::atoll(visit.id.c_str())] = !visit.stream && opens_a_view(visit.value);
      // As deep as the lexer reads a value (a field's kids, outline items,
      // given directly: an action 9 dictionaries down was passed over).
      std::function<void(const pdf::Object&, int)> look = [&](const pdf::Object& value, int depth) {
        if (depth > pdf::ContentLexer::kMaxDepth) return;
        if (value.is_array()) {
          for (const pdf::Object& item : value.items) look(item, depth + 1);
          return;
        }
        if (!value.is_dict()) return;
        auto name = [&](std::string_view key) {
          const pdf::Object* v = value.find(key);
          return v && v->is_name() ? v->bytes : std::string();
        };
        auto present = [&](std::string_view key) { return value.find(key) != nullptr; };
        auto nonempty_string = [&](std::string_view key) {
          const pdf::Object* v = value.find(key);
          return v && ((v->is_string() && !v->bytes.empty()) || v->is_reference());
        };
        const std::string s = name("S"), subtype = name("Subtype");
        if (s == "JavaScript" || present("JS")) structural("javascript", Severity::risk, object, "a JavaScript action");
        if (s == "Launch") structural("launch-action", Severity::risk, object, "a Launch action (opens a file or program)");
        if (s == "URI") structural("uri-action", Severity::risk, object, "a URI action (a link out of the document)");
        if (subtype == "Redact") {
          structural("redact-annotation", Severity::risk, object,
                     "an unapplied /Redact annotation: the text it marks is still in the file");
        }
        if (present("Rect") && !subtype.empty()) {
          const pdf::Object* flags = value.find("F");
          const auto f = flags && flags->is_number() ? static_cast<long long>(flags->number) : 0;
          if ((f & (2 | 32)) && (present("AP") || nonempty_string("Contents") || nonempty_string("RC"))) {
            structural("hidden-annotation", Severity::risk, object,
                       "a Hidden or NoView " + subtype + " annotation that carries text or an appearance");
          }
        }
        if (name("Type") == "EmbeddedFile" || present("EF")) {
          structural("embedded-file", Severity::risk, object, "an embedded file (its content is not checked)");
        }
        if (present("FT") && present("V")) {
          const pdf::Object* v = value.find("V");
          const bool empty = (v->is_string() && v->bytes.empty()) || (v->is_name() && v->bytes == "Off");
          if (!empty) structural("form-field-value", Severity::risk, object, "a form field with a value");
        }
        if (present("ByteRange") || name("Type") == "Sig") {
          structural("signature", Severity::info, object, "a digital signature");
        }
        for (size_t i = 0; i + 1 < value.items.size(); i += 2) look(value.items[i + 1], depth + 1);
      };
      look(visit.value, 0);
      if (visit.id == catalog && visit.value.is_dict()) {
        // A destination (the page to open at) is a view, not an action.
        if (const pdf::Object* open = visit.value.find("OpenAction"); open && open->is_reference()) {
          open_target = std::atoll(open->bytes.c_str());
        } else if (open && !opens_a_view(*open)) {
          structural("open-action", Severity::risk, object, "an /OpenAction (something happens when the file opens)");
        }
        if (visit.value.find("AA")) structural("open-action", Severity::risk, object, "document additional actions (/AA)");
        if (visit.value.find("Metadata")) structural("metadata", Severity::info, object, "XMP metadata");
        if (const pdf::Object* outlines = visit.value.find("Outlines"); outlines && !outlines->is_dict()) {
          structural("outlines", Severity::info, object, "outlines (bookmarks)");
        }
      }
      if (!info.empty() && visit.id == info && visit.value.is_dict()) {
        std::string keys;
        for (size_t i = 0; i + 1 < visit.value.items.size(); i += 2) {
          const std::string& key = visit.value.items[i].bytes;
          if (key == "Producer") {
            const pdf::Object& v = visit.value.items[i + 1];
            if (v.is_string()) structural("producer", Severity::info, object, "produced by " + pdf::decode_text_string(v.bytes));
          }
          if (key != "CreationDate" && key != "ModDate" && key != "Producer") keys += (keys.empty() ? "/" : " /") + key;
          // A key of its own is a custom property's name, which a viewer's
          // document properties show ("Operation Kestrel": "Phase 2").
          static const std::set<std::string_view> standard = {"Title",   "Author",       "Subject", "Keywords",
                                                              "Creator", "CreationDate", "ModDate", "Producer",
                                                              "Trapped"};
          if (!standard.contains(key)) {
            match_string(pdf::decode_text_string("\xEF\xBB\xBF" + key), 0, "string", object + ", /" + key,
                         "the name of a custom property (document information) of " + object);
          }
        }
        if (!keys.empty()) structural("metadata", Severity::info, object, "document information " + keys);
      }
    });
    if (open_target >= 0) {
      const auto target = views.find(open_target);
      if (target == views.end()) {
        structural("open-action", Severity::risk, "object " + catalog,
                   "an /OpenAction naming an object redact does not read (another generation, or none: a viewer may "
                   "find one)");
      } else if (!target->second) {
        structural("open-action", Severity::risk, "object " + catalog, "an /OpenAction (something happens when the file opens)");
      }
    }
    for (const auto& [kind, count] : counts) {
      if (count > kMaxStructureFindings) {
        add({kind, Severity::info, 0, std::nullopt, "document",
             std::to_string(count - kMaxStructureFindings) + " more " + kind + " findings not listed", "", "", ""});
      }
    }
  }

  // Each earlier revision, as the file cut at its %%EOF opens.
  void check_revisions(const std::vector<std::string>& current_texts) {
    const std::vector<size_t> ends = pdf::Document::revision_ends(path_);
    if (ends.size() > kMaxRevisions + 1) {
      add({"earlier-revision", Severity::risk, 0, std::nullopt, "document",
           std::to_string(ends.size() - 1) + " earlier revisions: only the last " + std::to_string(kMaxRevisions) +
               " are read, the others cannot be checked",
           "", "", ""});
    }
    for (size_t r = ends.size() > kMaxRevisions + 1 ? ends.size() - kMaxRevisions - 1 : 0; r + 1 < ends.size(); ++r) {
      const std::string revision = "revision " + std::to_string(r + 1) + " (the file cut at byte " + std::to_string(ends[r]) + ")";
      std::unique_ptr<pdf::Document> earlier;
      try {
        earlier = pdf::Document::open_prefix(path_, ends[r]);
      } catch (const Error&) {
        // The first part of a linearized file is no revision of its own.
        if (r == 0 && pdf::Document::linearized(path_)) continue;
        add({"earlier-revision", Severity::risk, 0, std::nullopt, revision,
             "an earlier revision cannot be read on its own: what it holds cannot be checked", "", "", ""});
        continue;
      }
      bool differs = earlier->page_count() != static_cast<int>(current_texts.size());
      for (int number = 1; number <= earlier->page_count(); ++number) {
        Diagnostics ignored;
        pdf::PageContent page = earlier->read_page(number, ignored);
        std::string text;
        for (const pdf::Glyph& g : page.glyphs) {
          if (page.streams[g.source.stream].annotation.empty()) text += g.text;
        }
        if (static_cast<size_t>(number) > current_texts.size() || text != current_texts[static_cast<size_t>(number) - 1]) {
          differs = true;
        }
        match_readings(page, number, revision, "the page text of " + revision);
      }
      check_strings(*earlier, revision);
      if (differs) {
        add({"earlier-revision", Severity::risk, 0, std::nullopt, revision,
             "an earlier revision shows different text: anyone can cut the file there and read it", "", "", ""});
      }
    }
  }

  // The glyphs of each page whose showing drawing the page settles
  // (check/drawn.h): drawn once every page is read, in one process.
  void settle_by_drawing() {
    if (asked_.empty()) return;
    std::vector<DrawnQuestion> questions;
    for (Asked& a : asked_) questions.push_back(std::move(a.question));
    const std::vector<DrawnAnswer> answers = unseen_glyphs(*document_, questions);
    std::vector<Finding> found;
    for (size_t i = 0; i < answers.size(); ++i) {
      const DrawnAnswer& answer = answers[i];
      const Asked& a = asked_[i];
      if (!answer.error.empty()) {
        found.push_back({"undrawn-text", Severity::risk, answer.page, std::nullopt, "page content",
                         std::to_string(questions[i].boxes.size()) + " glyphs drawn in a way this reading does not work "
                         "out whole (through a soft mask, in a pattern or a blend mode, on a picture or a shading, "
                         "partly under what is drawn over them) could not be settled by drawing the page (" +
                             answer.error + "): whether they show is not known",
                         "", "", ""});
        continue;
      }
      std::map<uint32_t, std::pair<size_t, Rect>> by_object;
      for (size_t k = 0; k < answer.unseen.size(); ++k) {
        if (!answer.unseen[k]) continue;
        auto& [count, box] = by_object[a.object_of[k]];
        box = count++ == 0 ? questions[i].boxes[k] : box.united(questions[i].boxes[k]);
      }
      for (const auto& [object, tally] : by_object) {
        const auto& [count, box] = tally;
        found.push_back({"unseen-text", Severity::risk, answer.page, box, a.objects[object],
                         std::to_string(count) + (count == 1 ? " glyph shows" : " glyphs show") +
                             " nothing: poppler draws the page the same with them and without them (a soft mask, a "
                             "pattern, a blend mode, a picture, a shading, a font that draws them blank or what is "
                             "drawn over them hides them)",
                         "", "", ""});
      }
    }
    asked_.clear();
    // In page order, among the findings of the pages.
    for (Finding& f : found) {
      const auto at = std::find_if(report_.findings.begin(), report_.findings.end(),
                                   [&](const Finding& other) { return other.page > f.page; });
      report_.findings.insert(at, std::move(f));
    }
  }

  struct Asked {
    DrawnQuestion question;
    std::vector<std::string> objects;  // the streams the glyphs are in, named
    std::vector<uint32_t> object_of;   // for each glyph asked about
  };
  std::vector<Asked> asked_;

  std::string path_;
  pdf::Document* document_ = nullptr;
  Pictures pictures_;
  const match::Matcher& matcher_;
  CheckOptions options_;
  Report report_;
  std::set<std::tuple<int, std::string, long long, long long>> leaks_seen_;
  HoldsNothing holds_nothing_;
};

}  // namespace

Report check_document(const std::string& path, const match::Matcher& matcher, const CheckOptions& options) {
  Checker checker(path, matcher, options);
  return checker.run();
}

Report check_document(pdf::Document& document, const match::Matcher& matcher, const CheckOptions& options) {
  Checker checker(document.path(), matcher, options);
  return checker.run(document);
}

}  // namespace redact::check
