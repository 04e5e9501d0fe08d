#include "core/geometry.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace redact {

Rect Quad::bounds() const {
  return {std::min({ul.x, ur.x, ll.x, lr.x}), std::min({ul.y, ur.y, ll.y, lr.y}),
          std::max({ul.x, ur.x, ll.x, lr.x}), std::max({ul.y, ur.y, ll.y, lr.y})};
}

std::array<Point, 4> Quad::round() const {
  std::array<Point, 4> p{ul, ur, lr, ll};
  const Point c{(ul.x + ur.x + ll.x + lr.x) / 4, (ul.y + ur.y + ll.y + lr.y) / 4};
  std::sort(p.begin(), p.end(), [&](const Point& a, const Point& b) {
    return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
  });
  return p;
}

Matrix Matrix::rotate(double degrees) {
  // Exact values for the quarter turns that /Rotate uses.
  double normalized = std::fmod(degrees, 360.0);
  if (normalized < 0) normalized += 360.0;
  double s, c;
  if (normalized == 0) { s = 0; c = 1; }
  else if (normalized == 90) { s = 1; c = 0; }
  else if (normalized == 180) { s = 0; c = -1; }
  else if (normalized == 270) { s = -1; c = 0; }
  else {
    double rad = degrees * std::numbers::pi / 180.0;
    s = std::sin(rad);
    c = std::cos(rad);
  }
  return {c, s, -s, c, 0, 0};
}

Quad Matrix::apply(const Rect& r) const {
  // In the source space y grows upwards, so y1 is the upper edge.
  return {apply(Point{r.x0, r.y1}), apply(Point{r.x1, r.y1}), apply(Point{r.x0, r.y0}),
          apply(Point{r.x1, r.y0})};
}

Matrix Matrix::inverted() const {
  double det = determinant();
  if (det == 0 || !std::isfinite(det)) return {};
  return {d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det};
}

bool Matrix::is_finite() const {
  return std::isfinite(a) && std::isfinite(b) && std::isfinite(c) && std::isfinite(d) &&
         std::isfinite(e) && std::isfinite(f);
}

}  // namespace redact
