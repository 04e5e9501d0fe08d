// Pages drawn as pictures, for the review report (`redact audit report`):
// poppler's C++ API renders, libjpeg-turbo encodes. Only files redact has
// written and verified are rendered, from the bytes the caller checked.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace redact::pdf {

struct RenderedPage {
  std::string jpeg;
  int width = 0;       // pixels
  int height = 0;
  double scale = 0;    // pixels per point of page space (the CropBox as displayed)
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string name_;
};

}  // namespace redact::pdf
