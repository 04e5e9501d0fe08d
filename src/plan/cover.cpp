#include "plan/cover.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

namespace redact::plan {

using pdf::Segment;

namespace {

using Polygon = std::vector<Point>;

double area(const Polygon& p) {
  double twice = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const Point& a = p[i];
    const Point& b = p[(i + 1) % p.size()];
    twice += a.x * b.y - b.x * a.y;
  }
  return std::abs(twice) / 2;
}

// Sutherland-Hodgman: `subject` cut to the half-plane where `inside` holds,
// along the line where `t` of an edge is found.
template <typename Inside, typename Cross>
Polygon clip(const Polygon& subject, Inside inside, Cross cross) {
  Polygon out;
  for (size_t i = 0; i < subject.size(); ++i) {
    const Point& a = subject[i];
    const Point& b = subject[(i + 1) % subject.size()];
    const bool in_a = inside(a), in_b = inside(b);
    if (in_a) out.push_back(a);
    if (in_a != in_b) out.push_back(cross(a, b));
  }
  return out;
}

bool contains(const Polygon& p, const Point& x) {
  // Inside a convex polygon: on the same side of every edge.
  int sign = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const Point& a = p[i];
    const Point& b = p[(i + 1) % p.size()];
    const double cross = (b.x - a.x) * (x.y - a.y) - (b.y - a.y) * (x.x - a.x);
    if (std::abs(cross) < 1e-9) continue;
    const int s = cross > 0 ? 1 : -1;
    if (sign != 0 && s != sign) return false;
    sign = s;
  }
  return true;
}

// `subject` cut to the inside of the convex polygon `clip_by` (its corners
// in order round it, either way).
Polygon clip_to(Polygon subject, const Polygon& clip_by) {
  // Which side is inside: that of the polygon's centre.
  Point c{0, 0};
  for (const Point& v : clip_by) c = Point{c.x + v.x / clip_by.size(), c.y + v.y / clip_by.size()};
  for (size_t i = 0; i < clip_by.size() && subject.size() >= 3; ++i) {
    const Point a = clip_by[i], b = clip_by[(i + 1) % clip_by.size()];
    const auto side = [&](const Point& p) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); };
    const double inward = side(c) >= 0 ? 1 : -1;
    subject = clip(
        subject, [&](const Point& p) { return inward * side(p) >= 0; },
        [&](const Point& p, const Point& q) {
          const double sp = side(p), sq = side(q);
          const double t = sp / (sp - sq);
          return Point{p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t};
        });
  }
  return subject;
}

// The two bands of a glyph `hides` and `stroke_hides` look at (empty when
// the glyph has no area): its middle band, and the band of lowercase ink
// above its baseline (empty when the glyph has no size).
std::array<Polygon, 2> bands_of(const pdf::Glyph& glyph) {
  const Quad& q = glyph.quad;
  Polygon band{lerp(q.ul, q.ll, 0.3), lerp(q.ur, q.lr, 0.3), lerp(q.ur, q.lr, 0.7), lerp(q.ul, q.ll, 0.7)};
  if (!(area(band) > 1e-9)) return {};
  // The same from the baseline, whatever the font says of its height: a
  // font's /Ascent and /Descent can put its box far from its ink. The band
  // from 0.05 to 0.45 of the font size above the baseline is lowercase ink
  // in any font.
  const std::optional<Quad> strip = above_baseline(glyph, 0.05, 0.45);
  if (!strip) return {band, {}};
  Polygon ink{strip->ul, strip->ur, strip->lr, strip->ll};
  if (!(area(ink) > 1e-9)) ink.clear();
  return {band, ink};
}

// The square of p's distance from the segment: across it, or, `capped`,
// from its nearer end where p lies past one; else infinite there (a pen's
// butt ends draw nothing past them).
double distance_squared(const Point& p, const Segment& s, bool capped) {
  const double dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
  const double length = dx * dx + dy * dy;
  if (!(length > 0)) return std::numeric_limits<double>::infinity();
  double t = ((p.x - s.a.x) * dx + (p.y - s.a.y) * dy) / length;
  if (capped) t = std::clamp(t, 0.0, 1.0);
  if (t < 0 || t > 1) return std::numeric_limits<double>::infinity();
  const double x = s.a.x + t * dx - p.x, y = s.a.y + t * dy - p.y;
  return x * x + y * y;
}

}  // namespace

std::optional<Quad> above_baseline(const pdf::Glyph& glyph, double from, double to) {
  const Quad& q = glyph.quad;
  const Point up_side{q.ul.x - q.ll.x, q.ul.y - q.ll.y};
  const double height = std::hypot(up_side.x, up_side.y);
  if (!(height > 1e-9) || !(glyph.size > 0)) return std::nullopt;
  const Point up{up_side.x / height * glyph.size, up_side.y / height * glyph.size};
  const auto above = [&](const Point& p, double t) { return Point{p.x + up.x * t, p.y + up.y * t}; };
  return Quad{above(glyph.origin, to), above(glyph.end, to), above(glyph.origin, from), above(glyph.end, from)};
}

bool hides(const Quad& cover, const pdf::Glyph& glyph) {
  const std::array<Point, 4> corners = cover.round();
  const Polygon outline(corners.begin(), corners.end());
  const std::array<Polygon, 2> bands = bands_of(glyph);
  if (bands[0].empty()) return contains(outline, glyph.box.centre());
  return std::any_of(bands.begin(), bands.end(), [&](const Polygon& band) {
    return !band.empty() && area(clip_to(band, outline)) > 0.5 * area(band);
  });
}

bool under_pen(std::span<const Segment> trace, double half_width, Point p, bool capped) {
  const double reach = half_width * half_width;
  return std::any_of(trace.begin(), trace.end(), [&](const Segment& s) { return distance_squared(p, s, capped) <= reach; });
}

bool inside_fill(std::span<const Segment> edges, bool even_odd, Point p) {
  // The winding number of the path round p: each edge crossing the
  // horizontal line through p, to its right, counts +1 upwards, -1 down.
  int winding = 0;
  for (const Segment& s : edges) {
    const bool up = s.a.y <= p.y && s.b.y > p.y, down = s.b.y <= p.y && s.a.y > p.y;
    if (!up && !down) continue;
    const double x = s.a.x + (p.y - s.a.y) / (s.b.y - s.a.y) * (s.b.x - s.a.x);
    if (x > p.x) winding += up ? 1 : -1;
  }
  return even_odd ? winding % 2 != 0 : winding != 0;
}

template <typename Inked>
bool mostly_inked(const pdf::Glyph& glyph, Inked inked) {
  const std::array<Polygon, 2> bands = bands_of(glyph);
  if (bands[0].empty()) return inked(glyph.box.centre());
  // The share of a band inked, by points spread over it: 8 along the
  // advance by 4 across, each the centre of its cell.
  constexpr int kAlong = 8, kAcross = 4;
  return std::any_of(bands.begin(), bands.end(), [&](const Polygon& band) {
    if (band.empty()) return false;
    int hit = 0;
    for_cell_centres(band[3], band[2], band[0], band[1], kAlong, kAcross, [&](Point p) { hit += inked(p) ? 1 : 0; });
    return 2 * hit > kAlong * kAcross;
  });
}

bool stroke_hides(std::span<const Segment> trace, double half_width, const pdf::Glyph& glyph, const Rect& within,
                  std::span<const Segment> clip, bool clip_even_odd, bool capped) {
  return mostly_inked(glyph, [&](const Point& p) {
    return within.contains(p) && (clip.empty() || inside_fill(clip, clip_even_odd, p)) &&
           under_pen(trace, half_width, p, capped);
  });
}

bool fill_hides(std::span<const Segment> edges, bool even_odd, const pdf::Glyph& glyph, const Rect& within,
                std::span<const Segment> clip, bool clip_even_odd) {
  return mostly_inked(glyph, [&](const Point& p) {
    return within.contains(p) && (clip.empty() || inside_fill(clip, clip_even_odd, p)) && inside_fill(edges, even_odd, p);
  });
}

bool inked_hides(const pdf::Glyph& glyph, const std::function<bool(Point)>& inked) { return mostly_inked(glyph, inked); }

std::vector<std::vector<uint32_t>> covered_glyphs(const pdf::PageContent& page, const std::vector<Quad>& quads) {
  std::vector<std::vector<uint32_t>> out(quads.size());
  // A band of a glyph mostly inside a quad has its centre within the quad's
  // bounds (a band is symmetric about its centre), so each quad looks only
  // at the glyphs with one of their two bands' centres there: glyphs sorted
  // by the height of each centre.
  const auto band_centre = [&](uint32_t g) { return (page.glyphs[g].box.y0 + page.glyphs[g].box.y1) / 2; };
  const auto ink_centre = [&](uint32_t g) {
    const pdf::Glyph& glyph = page.glyphs[g];
    const double dy = glyph.quad.ul.y - glyph.quad.ll.y, dx = glyph.quad.ul.x - glyph.quad.ll.x;
    const double height = std::hypot(dx, dy);
    const double up = height > 1e-9 ? dy / height * glyph.size : 0;
    return (glyph.origin.y + glyph.end.y) / 2 + 0.25 * up;
  };
  std::vector<int> owner(page.glyphs.size(), -1);
  for (const auto& centre : {std::function<double(uint32_t)>(band_centre), std::function<double(uint32_t)>(ink_centre)}) {
    std::vector<std::pair<double, uint32_t>> by_height;
    by_height.reserve(page.glyphs.size());
    for (uint32_t g = 0; g < page.glyphs.size(); ++g) by_height.emplace_back(centre(g), g);
    std::sort(by_height.begin(), by_height.end());
    for (size_t q = 0; q < quads.size(); ++q) {
      const Rect bounds = quads[q].bounds();
      auto it = std::lower_bound(by_height.begin(), by_height.end(), std::pair<double, uint32_t>{bounds.y0, 0});
      for (; it != by_height.end() && it->first <= bounds.y1; ++it) {
        const uint32_t g = it->second;
        if (owner[g] >= 0 && owner[g] <= static_cast<int>(q)) continue;  // the first quad that covers it keeps it
        if (hides(quads[q], page.glyphs[g])) owner[g] = static_cast<int>(q);
      }
    }
  }
  for (uint32_t g = 0; g < owner.size(); ++g) {
    if (owner[g] >= 0) out[static_cast<size_t>(owner[g])].push_back(g);
  }
  return out;
}

}  // namespace redact::plan
