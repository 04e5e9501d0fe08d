// CCITTFaxDecode (PDF 32000-1 7.4.6) decoded with libtiff: the Group 3 and
// Group 4 fax data of scanned pages. No PoDoFo here: plain bytes in and out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace redact::pdf::detail {

struct CcittParams {
  int k = 0;                // < 0 Group 4; 0 Group 3 one-dimensional; > 0 Group 3 two-dimensional
  size_t columns = 1728;
  size_t rows = 0;          // the image's height
  bool black_is_1 = false;
  bool byte_align = false;  // EncodedByteAlign
};

// The image as 1-bit samples in the PDF's sense (0 is black unless
// BlackIs1), rows starting on a byte. Nothing when libtiff cannot decode all
// of it, for EncodedByteAlign data it does not read, or past `max_bytes`.
std::optional<std::string> decode_ccitt(std::string_view data, const CcittParams& params, size_t max_bytes);

}  // namespace redact::pdf::detail
