// Plane geometry in PDF conventions: row vectors, p' = p x M, so that
// `a * b` means "apply a, then b" (the order PDF writes `cm` chains in).
#pragma once

#include <algorithm>
#include <array>

namespace redact {

struct Point {
  double x = 0;
  double y = 0;
};

// Vector arithmetic on points: a - b, and the dot and cross products.
inline Point sub(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
inline double dot(Point a, Point b) { return a.x * b.x + a.y * b.y; }
inline double cross(Point a, Point b) { return a.x * b.y - a.y * b.x; }
// The point `t` of the way from a to b.
inline Point lerp(Point a, Point b, double t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

// Calls f at the centre of each cell of a grid `along` by `across` over the
// quadrilateral between the edges a0 -> a1 and b0 -> b1 (which run along).
template <typename F>
void for_cell_centres(Point a0, Point a1, Point b0, Point b1, int along, int across, F f) {
  for (int i = 0; i < along; ++i) {
    const double u = (i + 0.5) / along;
    const Point a = lerp(a0, a1, u), b = lerp(b0, b1, u);
    for (int j = 0; j < across; ++j) f(lerp(a, b, (j + 0.5) / across));
  }
}

// An axis-aligned rectangle; x0 <= x1 and y0 <= y1 once normalized.
struct Rect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  // Whether the two share some area (touching edges do not).
  bool meets(const Rect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  Rect normalized() const {
    return {std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
  }
  Rect united(const Rect& o) const {
    return {std::min(x0, o.x0), std::min(y0, o.y0), std::max(x1, o.x1), std::max(y1, o.y1)};
  }
  // The common part; empty() when the two do not meet.
  Rect intersected(const Rect& o) const {
    return {std::max(x0, o.x0), std::max(y0, o.y0), std::min(x1, o.x1), std::min(y1, o.y1)};
  }
  // Wider by `by` on every side.
  Rect grown(double by) const { return {x0 - by, y0 - by, x1 + by, y1 + by}; }
  double area() const { return empty() ? 0 : width() * height(); }
  Point centre() const { return {(x0 + x1) / 2, (y0 + y1) / 2}; }
  // Whether p lies in the rectangle or on its edge.
  bool contains(Point p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

// Four corners of a transformed rectangle, in MuPDF's order: upper-left,
// upper-right, lower-left, lower-right of the glyph as drawn.
struct Quad {
  Point ul, ur, ll, lr;
  Rect bounds() const;
  // The corners in order round their centre (counter-clockwise), whatever
  // order they were given in: a convex quad's outline.
  std::array<Point, 4> round() const;
};

// The affine matrix [a b c d e f] of PDF 32000-1 8.3.3.
struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;

  static Matrix translate(double tx, double ty) { return {1, 0, 0, 1, tx, ty}; }
  static Matrix scale(double sx, double sy) { return {sx, 0, 0, sy, 0, 0}; }
  // Counter-clockwise by `degrees` in a y-up space.
  static Matrix rotate(double degrees);

  // this first, then o.
  Matrix operator*(const Matrix& o) const {
    return {a * o.a + b * o.c,       a * o.b + b * o.d,       c * o.a + d * o.c,
            c * o.b + d * o.d,       e * o.a + f * o.c + o.e, e * o.b + f * o.d + o.f};
  }
  Point apply(Point p) const { return {p.x * a + p.y * c + e, p.x * b + p.y * d + f}; }
  // Applies the linear part only (for direction vectors).
  Point apply_vector(Point v) const { return {v.x * a + v.y * c, v.x * b + v.y * d}; }
  Quad apply(const Rect& r) const;
  double determinant() const { return a * d - b * c; }
  // The inverse, or the identity when the matrix is singular.
  Matrix inverted() const;
  bool is_finite() const;
};

}  // namespace redact
