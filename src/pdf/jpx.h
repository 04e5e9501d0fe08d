// JPXDecode (PDF 32000-1 7.4.9) decoded with OpenJPEG: JPEG 2000 images,
// which scanners and some PDF producers write. No PoDoFo here: plain bytes
// in and out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace redact::pdf::detail {

struct JpxImage {
  size_t width = 0;
  size_t height = 0;
  int components = 0;  // 1, 3 or 4
  // What the data says its colours are, for an image whose dictionary
  // names no colour space: "DeviceGray", "DeviceRGB" or "DeviceCMYK" (by
  // its colour specification, else by its number of components).
  std::string space;
  std::string pixels;  // 8 bits a component, interleaved, rows top to bottom
};

// Decodes a JPEG 2000 codestream or JP2 file (its palette and channel
// definitions applied), to 8 bits a component as poppler and MuPDF draw it
// (shifted). Every component must be unsigned, of the image's full size
// (no subsampling), a colour (no opacity channel) and of 1 to 16 bits.
// Nothing for YCC colours (sYCC, e-YCC), a colour space OpenJPEG does not
// know (CIELab) without an ICC profile, another number of components than
// 1, 3 or 4, a codestream that declares more than 4,096 tiles or leaves a
// tile out (OpenJPEG would draw it as zeros), data OpenJPEG reports an
// error on or finds cut short, or an image larger than `max_pixel_bytes`
// once decoded.
std::optional<JpxImage> decode_jpx(std::string_view data, size_t max_pixel_bytes);

}  // namespace redact::pdf::detail
