// JPEG (DCTDecode) image data decoded to pixels and encoded again with
// libjpeg-turbo, for blacking out the part of an image under a region. The
// encoder reuses the original's quantization tables, so the re-encoded image
// has the original's quality. No PoDoFo here: plain bytes in and out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redact::pdf::detail {

struct JpegImage {
  size_t width = 0;
  size_t height = 0;
  int components = 0;  // 1 (gray) or 3 (RGB)
  std::string pixels;  // 8 bits a component, rows top to bottom
  // The original's quantization tables (64 values each, natural order), by
  // table number; empty where the file defines none.
  std::vector<std::vector<unsigned>> quant_tables;
  std::vector<int> component_tables;  // the table each component uses
  int quality = 0;  // without tables: libjpeg's quality scale (0: its default, 75)
};

// Decodes a baseline or progressive gray or RGB (YCbCr) JPEG. Nothing for a
// CMYK or YCCK JPEG, for data libjpeg rejects, or for one larger than
// `max_pixel_bytes` once decoded.
std::optional<JpegImage> decode_jpeg(std::string_view data, size_t max_pixel_bytes);

// Encodes `image` with its own quantization tables (baseline, optimized
// Huffman tables). Empty on failure.
std::string encode_jpeg(const JpegImage& image);

}  // namespace redact::pdf::detail
