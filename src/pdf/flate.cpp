#include "pdf/flate.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace redact::pdf::detail {

Inflated inflate(std::string_view compressed, size_t limit) {
  Inflated out;
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(compressed.size(), UINT32_MAX));
  std::vector<char> chunk(64 * 1024);
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    status = ::inflate(&z, Z_NO_FLUSH);
    const size_t produced = chunk.size() - z.avail_out;
    if (out.data.size() + produced > limit) {
      out.over_limit = true;
      break;
    }
    out.data.append(chunk.data(), produced);
    if (status == Z_BUF_ERROR && z.avail_in == 0) break;  // the data ends before the stream does
  }
  out.complete = status == Z_STREAM_END;
  inflateEnd(&z);
  return out;
}

std::optional<std::string> unpredict_png(std::string_view data, int colors, int bits, int columns) {
  if (colors < 1 || colors > 32 || bits < 1 || bits > 16 || columns < 1 || columns > 1 << 20) return std::nullopt;
  const size_t pixel = std::max<size_t>(1, static_cast<size_t>(colors * bits) / 8);  // bytes to the left neighbour
  const size_t row = (static_cast<size_t>(colors) * static_cast<size_t>(bits) * static_cast<size_t>(columns) + 7) / 8;
  if (data.size() % (row + 1) != 0) return std::nullopt;
  std::string out;
  out.reserve(data.size() / (row + 1) * row);
  std::string previous(row, '\0');
  std::string current(row, '\0');
  for (size_t at = 0; at < data.size(); at += row + 1) {
    const auto type = static_cast<unsigned char>(data[at]);
    for (size_t i = 0; i < row; ++i) {
      const int x = static_cast<unsigned char>(data[at + 1 + i]);
      const int a = i >= pixel ? static_cast<unsigned char>(current[i - pixel]) : 0;
      const int b = static_cast<unsigned char>(previous[i]);
      const int c = i >= pixel ? static_cast<unsigned char>(previous[i - pixel]) : 0;
      int value = 0;
      switch (type) {
        case 0: value = x; break;
        case 1: value = x + a; break;
        case 2: value = x + b; break;
        case 3: value = x + (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: return std::nullopt;
      }
      current[i] = static_cast<char>(value & 0xFF);
    }
    out += current;
    std::swap(previous, current);
  }
  return out;
}

}  // namespace redact::pdf::detail
