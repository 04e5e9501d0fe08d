#include "plan/cover.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace redact::plan {
namespace {

using Polygon = std::vector<Point>;

// The quad's corners in order round its centre.
Polygon round_of(const Quad& q) {
  Polygon p{q.ul, q.ur, q.lr, q.ll};
  Point c{0, 0};
  for (const Point& v : p) c = Point{c.x + v.x / 4, c.y + v.y / 4};
  std::sort(p.begin(), p.end(), [&](const Point& a, const Point& b) {
    return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
  });
  return p;
}

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

}  // namespace

double share_inside(const Rect& box, const Quad& quad) {
  const double whole = box.width() * box.height();
  if (!(whole > 0)) return 0;
  Polygon p = round_of(quad);
  const auto x_cut = [](double x) {
    return [x](const Point& a, const Point& b) { return Point{x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)}; };
  };
  const auto y_cut = [](double y) {
    return [y](const Point& a, const Point& b) { return Point{a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y}; };
  };
  p = clip(p, [&](const Point& v) { return v.x >= box.x0; }, x_cut(box.x0));
  p = clip(p, [&](const Point& v) { return v.x <= box.x1; }, x_cut(box.x1));
  p = clip(p, [&](const Point& v) { return v.y >= box.y0; }, y_cut(box.y0));
  p = clip(p, [&](const Point& v) { return v.y <= box.y1; }, y_cut(box.y1));
  return p.size() < 3 ? 0 : std::min(1.0, area(p) / whole);
}

std::vector<std::vector<uint32_t>> covered_glyphs(const pdf::PageContent& page, const std::vector<Quad>& quads) {
  std::vector<std::vector<uint32_t>> out(quads.size());
  // Glyphs by the height of their centre: a glyph mostly inside a quad has
  // its centre within the quad's bounds, so each quad looks only at those.
  std::vector<uint32_t> by_height(page.glyphs.size());
  for (uint32_t i = 0; i < by_height.size(); ++i) by_height[i] = i;
  const auto centre_y = [&](uint32_t g) { return (page.glyphs[g].box.y0 + page.glyphs[g].box.y1) / 2; };
  std::sort(by_height.begin(), by_height.end(), [&](uint32_t a, uint32_t b) { return centre_y(a) < centre_y(b); });
  std::vector<int> owner(page.glyphs.size(), -1);
  for (size_t q = 0; q < quads.size(); ++q) {
    const Rect bounds = quads[q].bounds();
    const Polygon polygon = round_of(quads[q]);
    auto it = std::lower_bound(by_height.begin(), by_height.end(), bounds.y0,
                               [&](uint32_t g, double y) { return centre_y(g) < y; });
    for (; it != by_height.end() && centre_y(*it) <= bounds.y1; ++it) {
      const uint32_t g = *it;
      if (owner[g] >= 0) continue;
      const Rect& box = page.glyphs[g].box;
      const Point centre{(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2};
      if (centre.x < bounds.x0 || centre.x > bounds.x1) continue;
      const bool covered = box.width() * box.height() > 0 ? share_inside(box, quads[q]) > 0.5 : contains(polygon, centre);
      if (covered) owner[g] = static_cast<int>(q);
    }
  }
  for (uint32_t g = 0; g < owner.size(); ++g) {
    if (owner[g] >= 0) out[static_cast<size_t>(owner[g])].push_back(g);
  }
  return out;
}

}  // namespace redact::plan
