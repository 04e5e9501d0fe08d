#include "pdf/rendering.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "core/diagnostics.h"
#include "pdf/jpeg.h"

namespace redact::pdf {
namespace {

void quiet_poppler_once() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

}  // namespace

struct Renderer::Impl {
  std::unique_ptr<poppler::document> document;
};

Renderer::Renderer(const std::string& name, std::string_view bytes) : impl_(std::make_unique<Impl>()), name_(name) {
  quiet_poppler_once();
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    throw Error(ErrorKind::limit, Location(name), "is too large to render");
  }
  impl_->document.reset(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!impl_->document || impl_->document->is_locked()) {
    throw Error(ErrorKind::damaged, Location(name), "cannot be opened by poppler to draw its pages");
  }
}

Renderer::~Renderer() = default;

int Renderer::page_count() const { return impl_->document->pages(); }

Raster Renderer::draw(int number, double dpi, int max_pixels, const Rect* part) const {
  const Location where(name_, number);
  std::unique_ptr<poppler::page> page(number >= 1 && number <= page_count() ? impl_->document->create_page(number - 1) : nullptr);
  if (!page) throw Error(ErrorKind::damaged, where, "has no such page to draw");
  const poppler::rectf box = page->page_rect(poppler::crop_box);
  const bool sideways = page->orientation() == poppler::page::landscape || page->orientation() == poppler::page::seascape;
  const double width = sideways ? box.height() : box.width(), height = sideways ? box.width() : box.height();
  if (!(width > 0 && height > 0)) throw Error(ErrorKind::damaged, where, "has an empty page box");
  const double largest = std::max(width, height) * dpi / 72.0;
  if (largest > max_pixels) dpi *= max_pixels / largest;

  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_rgb24);
  Raster out;
  out.scale = dpi / 72.0;
  int x = -1, y = -1, w = -1, h = -1;  // poppler's "the whole page"
  if (part) {
    // The pixels the part touches, within the page's picture (as poppler
    // sizes it: the page's size in pixels, rounded up).
    const auto pixel = [&](double points, double whole, bool up) {
      const double v = up ? std::ceil(points * out.scale) : std::floor(points * out.scale);
      return static_cast<int>(std::clamp(std::isfinite(v) ? v : 0.0, 0.0, std::ceil(whole * out.scale)));
    };
    x = pixel(part->x0, width, false);
    y = pixel(part->y0, height, false);
    w = pixel(part->x1, width, true) - x;
    h = pixel(part->y1, height, true) - y;
    out.left = x;
    out.top = y;
    if (w <= 0 || h <= 0) return out;  // off the page: nothing to draw
  }
  const poppler::image image = renderer.render_page(page.get(), dpi, dpi, x, y, w, h);
  if (!image.is_valid() || image.format() != poppler::image::format_rgb24) {
    throw Error(ErrorKind::damaged, where, "cannot be drawn by poppler");
  }
  out.width = image.width();
  out.height = image.height();
  const size_t row_bytes = static_cast<size_t>(out.width) * 3;
  out.rgb.reserve(row_bytes * static_cast<size_t>(out.height));
  for (int row = 0; row < out.height; ++row) {
    const char* at = image.const_data() + static_cast<size_t>(row) * static_cast<size_t>(image.bytes_per_row());
    out.rgb.insert(out.rgb.end(), reinterpret_cast<const uint8_t*>(at), reinterpret_cast<const uint8_t*>(at) + row_bytes);
  }
  return out;
}

RenderedPage Renderer::render(int number, double dpi, int max_pixels) const {
  Raster raster = draw(number, dpi, max_pixels);
  detail::JpegImage jpeg;
  jpeg.width = static_cast<size_t>(raster.width);
  jpeg.height = static_cast<size_t>(raster.height);
  jpeg.components = 3;
  jpeg.quality = 85;
  jpeg.pixels.assign(raster.rgb.begin(), raster.rgb.end());
  RenderedPage out;
  out.jpeg = detail::encode_jpeg(jpeg);
  if (out.jpeg.empty()) throw Error(ErrorKind::damaged, Location(name_, number), "cannot be encoded as JPEG");
  out.width = raster.width;
  out.height = raster.height;
  out.scale = raster.scale;
  return out;
}

}  // namespace redact::pdf
