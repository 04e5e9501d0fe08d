#include "pdf/flate.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>
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
  // A wrong Adler-32 at the end: every byte is out, and poppler and MuPDF
  // show them (MuPDF with a warning), so they are read here too.
  const bool wrong_checksum = status == Z_DATA_ERROR && z.msg && std::string_view(z.msg) == "incorrect data check";
  out.complete = status == Z_STREAM_END || (wrong_checksum && !out.over_limit);
  out.cut_short = !out.complete && !out.over_limit && status == Z_BUF_ERROR && z.avail_in == 0;
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

std::optional<std::string> unpredict_tiff(std::string_view data, int colors, int bits, int columns) {
  if (colors < 1 || colors > 32 || (bits != 8 && bits != 16) || columns < 1 || columns > 1 << 20) return std::nullopt;
  const size_t bytes = static_cast<size_t>(bits / 8);
  const size_t pixel = static_cast<size_t>(colors) * bytes;
  const size_t row = pixel * static_cast<size_t>(columns);
  if (data.size() % row != 0) return std::nullopt;
  std::string out(data);
  for (size_t at = 0; at < out.size(); at += row) {
    for (size_t i = pixel; i < row; i += bytes) {
      if (bytes == 1) {
        out[at + i] = static_cast<char>(static_cast<unsigned char>(out[at + i]) + static_cast<unsigned char>(out[at + i - pixel]));
      } else {
        const unsigned value = (static_cast<unsigned char>(out[at + i]) << 8 | static_cast<unsigned char>(out[at + i + 1])) +
                               (static_cast<unsigned char>(out[at + i - pixel]) << 8 | static_cast<unsigned char>(out[at + i - pixel + 1]));
        out[at + i] = static_cast<char>(value >> 8 & 0xFF);
        out[at + i + 1] = static_cast<char>(value & 0xFF);
      }
    }
  }
  return out;
}

}  // namespace redact::pdf::detail

namespace redact::pdf::detail {
namespace {

bool is_white(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// Appends to `out`, or says the limit is passed.
bool put(Inflated& out, std::string_view bytes, size_t limit) {
  if (out.data.size() + bytes.size() > limit) {
    out.over_limit = true;
    return false;
  }
  out.data.append(bytes);
  return true;
}

}  // namespace

Inflated ascii_hex(std::string_view data, size_t limit) {
  Inflated out;
  int high = -1;
  for (const char c : data) {
    if (is_white(c)) continue;
    if (c == '>') {
      if (high >= 0 && !put(out, std::string(1, static_cast<char>(high << 4)), limit)) return out;
      out.complete = true;
      return out;
    }
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (v < 0) return out;
    if (high < 0) {
      high = v;
    } else {
      if (!put(out, std::string(1, static_cast<char>(high << 4 | v)), limit)) return out;
      high = -1;
    }
  }
  if (high >= 0 && !put(out, std::string(1, static_cast<char>(high << 4)), limit)) return out;
  out.complete = true;  // no '>' at the end: readers accept it
  return out;
}

Inflated ascii85(std::string_view data, size_t limit) {
  Inflated out;
  uint64_t group = 0;
  int count = 0;
  // No "<~" prefix is skipped (PostScript writes one, a PDF stream does
  // not): poppler and MuPDF read '<' as a digit and '~' as the end, and
  // show nothing of such data; read here whole, a rewritten output would
  // show what the input did not.
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (is_white(c)) continue;
    if (c == '~') break;
    if (c == 'z' && count == 0) {
      if (!put(out, std::string(4, '\0'), limit)) return out;
      continue;
    }
    if (c < '!' || c > 'u') return out;
    group = group * 85 + static_cast<uint64_t>(c - '!');
    if (++count == 5) {
      if (group > UINT32_MAX) return out;
      const char bytes[4] = {static_cast<char>(group >> 24), static_cast<char>(group >> 16), static_cast<char>(group >> 8),
                             static_cast<char>(group)};
      if (!put(out, std::string_view(bytes, 4), limit)) return out;
      group = 0;
      count = 0;
    }
  }
  if (count == 1) return out;
  if (count > 0) {
    for (int k = count; k < 5; ++k) group = group * 85 + 84;
    if (group > UINT32_MAX) return out;
    const char bytes[4] = {static_cast<char>(group >> 24), static_cast<char>(group >> 16), static_cast<char>(group >> 8),
                           static_cast<char>(group)};
    if (!put(out, std::string_view(bytes, static_cast<size_t>(count - 1)), limit)) return out;
  }
  out.complete = true;
  return out;
}

Inflated run_length(std::string_view data, size_t limit) {
  Inflated out;
  size_t i = 0;
  while (i < data.size()) {
    const auto length = static_cast<unsigned char>(data[i++]);
    if (length == 128) {
      out.complete = true;
      return out;
    }
    if (length < 128) {
      const size_t n = length + 1u;
      if (i + n > data.size()) return out;
      if (!put(out, data.substr(i, n), limit)) return out;
      i += n;
    } else {
      if (i >= data.size()) return out;
      if (!put(out, std::string(257u - length, data[i++]), limit)) return out;
    }
  }
  out.complete = true;  // no end-of-data byte: readers accept it
  return out;
}

Inflated lzw(std::string_view data, size_t limit, bool early_change) {
  Inflated out;
  // The table: each entry is a previous entry plus one byte.
  std::vector<int> prefix(4096, -1);
  std::vector<unsigned char> last(4096, 0);
  std::vector<uint16_t> length(4096, 1);
  for (int k = 0; k < 256; ++k) last[static_cast<size_t>(k)] = static_cast<unsigned char>(k);
  int next = 258, width = 9, previous = -1;
  uint32_t bits = 0;
  int held = 0;
  std::string entry;
  const auto spell = [&](int code) {
    entry.resize(length[static_cast<size_t>(code)]);
    for (size_t at = entry.size(); at-- > 0;) {
      entry[at] = static_cast<char>(last[static_cast<size_t>(code)]);
      code = prefix[static_cast<size_t>(code)];
    }
  };
  for (const char c : data) {
    bits = bits << 8 | static_cast<unsigned char>(c);
    held += 8;
    while (held >= width) {
      const int code = static_cast<int>(bits >> (held - width)) & ((1 << width) - 1);
      held -= width;
      if (code == 256) {
        next = 258;
        width = 9;
        previous = -1;
        continue;
      }
      if (code == 257) {
        out.complete = true;
        return out;
      }
      if (code > next || (code == next && previous < 0)) return out;  // not a code yet: damaged
      if (code < next) {
        spell(code);
      } else {  // the entry being made: previous + its own first byte
        spell(previous);
        entry += entry.front();
      }
      if (previous >= 0 && next < 4096) {
        prefix[static_cast<size_t>(next)] = previous;
        last[static_cast<size_t>(next)] = static_cast<unsigned char>(entry.front());
        length[static_cast<size_t>(next)] = static_cast<uint16_t>(length[static_cast<size_t>(previous)] + 1);
        ++next;
      }
      if (!put(out, entry, limit)) return out;
      previous = code;
      const int widen = next + (early_change ? 1 : 0);
      width = widen >= 2048 ? 12 : widen >= 1024 ? 11 : widen >= 512 ? 10 : 9;
    }
  }
  out.complete = true;  // no end-of-data code: readers accept it
  return out;
}

}  // namespace redact::pdf::detail
