// FlateDecode done with zlib directly, with a running limit on what comes
// out (a few kilobytes can inflate to gigabytes), and the PNG predictors of
// /DecodeParms. PoDoFo 0.9.8's own filter rejects some streams zlib, poppler
// and MuPDF all read, and inflates whole before any limit applies.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace redact::pdf::detail {

struct Inflated {
  std::string data;
  bool complete = false;  // false: the data ends early or is damaged; `data` is what came before
  // Not complete only because the data ends before the stream's end marker:
  // every byte it holds is out, so no reader can show more than `data`.
  // (Damage partway is not this: a lenient decoder may go on past it.)
  bool cut_short = false;
  bool over_limit = false;
};

// Inflates zlib-wrapped deflate data, stopping once more than `limit`
// bytes would come out. Data whose only fault is a wrong Adler-32 at its
// end is complete, as poppler and MuPDF read it.
Inflated inflate(std::string_view compressed, size_t limit);

// Undoes PNG prediction (Predictor 10 to 15: each row starts with its own
// filter type). Nothing when the data is not whole rows or a row's type is
// unknown.
std::optional<std::string> unpredict_png(std::string_view data, int colors, int bits, int columns);

// Undoes TIFF prediction (Predictor 2: each component is the difference from
// the one to its left), for 8 and 16 bits a component. Nothing for other
// depths or data that is not whole rows.
std::optional<std::string> unpredict_tiff(std::string_view data, int colors, int bits, int columns);

}  // namespace redact::pdf::detail

namespace redact::pdf::detail {

// The other filters a stream of text or data may be chained through, each
// with the same running limit (RunLength can multiply its input by 64, LZW
// by thousands). `complete` is false for data that ends early or is damaged
// (an odd character, an unknown code), as with inflate.
Inflated ascii_hex(std::string_view data, size_t limit);
Inflated ascii85(std::string_view data, size_t limit);
Inflated run_length(std::string_view data, size_t limit);
// LZW as PDF and TIFF use it (7.4.4): codes of 9 to 12 bits, 256 clears,
// 257 ends; `early_change` 1 (the default) widens codes one code early.
Inflated lzw(std::string_view data, size_t limit, bool early_change = true);

}  // namespace redact::pdf::detail
