// JBIG2Decode (PDF 32000-1 7.4.7) decoded with jbig2dec: the bi-level
// scans that OCR tools and scanners compress with JBIG2. No PoDoFo here:
// plain bytes in and out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace redact::pdf::detail {

// The page of an embedded JBIG2 stream (`globals`: the decoded
// /JBIG2Globals stream, or empty) as 1-bit samples in the PDF's sense (0 is
// black: JBIG2's own 1 is black, and the filter's output inverts it), rows
// starting on a byte. Nothing when the data (or the globals) is not whole
// segments (cut short), when the data is not exactly one page (readers
// differ on which to draw) or the globals hold a page, when jbig2dec
// reports an error or a warning, when
// the page is not `width` x `height`, or when decoding would allocate more
// than `max_bytes`.
std::optional<std::string> decode_jbig2(std::string_view data, std::string_view globals, size_t width, size_t height,
                                        size_t max_bytes);

}  // namespace redact::pdf::detail
