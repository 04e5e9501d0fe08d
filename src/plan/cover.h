// Which glyphs a marked quad covers: `redact apply` removes the glyphs of
// each /Redact annotation, whoever drew it, by this one rule.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/geometry.h"
#include "pdf/content_consumer.h"
#include "pdf/page_content.h"

namespace redact::plan {

// Whether `cover` (a convex quad in page space, corners in any order round
// it) hides `glyph`: more than
// half of the glyph's middle band lies inside it. The band is the glyph's
// whole advance by the middle 40% of its height (descent to ascent), turned
// with the glyph: a box drawn tightly round lowercase ink hides it though
// the glyph's box (1.37 em for the standard 14 fonts) is far taller than
// the ink, and a box over the line above or below does not. So is it when
// more than half of the band from 0.05 to 0.45 of its size above its
// baseline is inside: a font's /Ascent and /Descent can put its box far
// from its ink. A glyph without area is hidden when its centre is inside.
// One rule for `apply` (which glyphs a mark removes) and `check` (which
// glyphs a box hides).
bool hides(const Quad& cover, const pdf::Glyph& glyph);

// The strip of `glyph` from `from` to `to` times its size above its
// baseline (negative: below it), turned with the glyph and as long as its
// advance; nullopt when the glyph has no size or no height. A font's
// /Ascent and /Descent can put its box far from its ink; this cannot.
std::optional<Quad> above_baseline(const pdf::Glyph& glyph, double from, double to);

// All of page space, for `within` below.
inline constexpr Rect kEverywhere{-1e300, -1e300, 1e300, 1e300};

// Whether a pen of width 2 * `half_width` drawn along `trace` (page space)
// hides `glyph`: it inks more than half of one of the bands `hides` looks
// at (told by points spread over the band), or the centre of a glyph
// without area. Caps and joins are not drawn: a stroke hides no more than
// its segments' width, unless `capped` (round or square caps, J 1 or 2,
// and the caps and joins viewers draw for annotations): then the pen
// reaches half its width past each end.
// Only points inside `within` (the bounds of the paint's clip) count as
// inked, and, where `clip` has edges (a clip that is not a rectangle), inside
// its fill.
bool stroke_hides(std::span<const pdf::Segment> trace, double half_width, const pdf::Glyph& glyph,
                  const Rect& within = kEverywhere, std::span<const pdf::Segment> clip = {}, bool clip_even_odd = false,
                  bool capped = false);

// Whether a fill of the path whose edges are `edges` (page space, the
// segments that close its subpaths among them: a path's `trace` and its
// `closing`) hides `glyph`: it covers more than half of one of the bands,
// told the same way. For fills other than one rectangle (rounded corners,
// polygons, curves), which `hides` takes as quads.
bool fill_hides(std::span<const pdf::Segment> edges, bool even_odd, const pdf::Glyph& glyph,
                const Rect& within = kEverywhere, std::span<const pdf::Segment> clip = {}, bool clip_even_odd = false);

// Whether what `inked` says is inked, at points spread over the bands
// `hides` looks at, inks more than half of one of them (or the centre of a
// glyph without area): the test `stroke_hides` and `fill_hides` make, for
// any paint (an image through its mask).
bool inked_hides(const pdf::Glyph& glyph, const std::function<bool(Point)>& inked);

// Whether `p` is within `half_width` of a segment of `trace`.
bool under_pen(std::span<const pdf::Segment> trace, double half_width, Point p, bool capped = false);
// Whether `p` is inside the fill of `edges`, closed as for `fill_hides`
// (nonzero winding, or even-odd).
bool inside_fill(std::span<const pdf::Segment> edges, bool even_odd, Point p);

// For each quad, the glyphs of `page` it covers (`hides`). A glyph goes to
// the first quad that covers it. In content order.
std::vector<std::vector<uint32_t>> covered_glyphs(const pdf::PageContent& page, const std::vector<Quad>& quads);

}  // namespace redact::plan
