// Pages drawn as pictures by poppler's C++ API: for the review report
// (`redact audit report`, libjpeg-turbo encodes), from files redact has
// written and verified; and for check's comparison of a page drawn with and
// without its text (check/drawn.h), in a process of its own, since that file
// may be hostile.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.h"

namespace redact::pdf {

struct RenderedPage {
  std::string jpeg;
  int width = 0;       // pixels
  int height = 0;
  double scale = 0;    // pixels per point of page space (the CropBox as displayed)
};

// A page drawn, or a part of it: 3 bytes (RGB) a pixel, row after row, top
// row first.
struct Raster {
  std::vector<uint8_t> rgb;
  int width = 0;
  int height = 0;
  double scale = 0;  // pixels per point of page space (the CropBox as displayed)
  // Where its top-left pixel lies in the picture of the whole page (0, 0
  // when it is the whole page).
  int left = 0;
  int top = 0;
};

class Renderer {
 public:
  // `bytes` must outlive the renderer. Throws redact::Error (damaged)
  // naming `name` when poppler cannot open them.
  Renderer(const std::string& name, std::string_view bytes);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  int page_count() const;
  // Page `number` (1-based) as displayed (CropBox, /Rotate) at `dpi`, or
  // smaller, so that neither side exceeds `max_pixels`. Throws
  // redact::Error (damaged) when poppler cannot render it.
  RenderedPage render(int number, double dpi, int max_pixels) const;
  // The same, as pixels; only the part of it under `part` (page space,
  // points from the top-left corner), when given, drawn as it is in the
  // whole page's picture (no pixel at all when `part` is off the page).
  Raster draw(int number, double dpi, int max_pixels, const Rect* part = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string name_;
};

}  // namespace redact::pdf
