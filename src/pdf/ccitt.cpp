#include "pdf/ccitt.h"

#include <tiffio.h>

#include <cstdarg>
#include <cstring>
#include <mutex>
#include <vector>

namespace redact::pdf::detail {
namespace {

// A TIFF file around the fax data, in memory: a little-endian header, one
// directory describing a single strip, and the strip itself.
std::string tiff_around(std::string_view data, const CcittParams& p) {
  struct Entry {
    uint16_t tag, type;
    uint32_t count, value;
  };
  const uint16_t kShort = 3, kLong = 4;
  std::vector<Entry> entries = {
      {256, kLong, 1, static_cast<uint32_t>(p.columns)},   // ImageWidth
      {257, kLong, 1, static_cast<uint32_t>(p.rows)},      // ImageLength
      {258, kShort, 1, 1},                                  // BitsPerSample
      {259, kShort, 1, p.k < 0 ? 4u : 3u},                  // Compression: T6 or T4
      {262, kShort, 1, 0},                                  // Photometric: white is zero
      {273, kLong, 1, 0},                                   // StripOffsets (set below)
      {277, kShort, 1, 1},                                  // SamplesPerPixel
      {278, kLong, 1, static_cast<uint32_t>(p.rows)},      // RowsPerStrip
      {279, kLong, 1, static_cast<uint32_t>(data.size())},  // StripByteCounts
      {p.k < 0 ? uint16_t{293} : uint16_t{292}, kLong, 1, p.k > 0 ? 1u : 0u},  // T6Options / T4Options (2-D)
  };
  const uint32_t directory = 8;
  const uint32_t strip = directory + 2 + static_cast<uint32_t>(entries.size()) * 12 + 4;
  entries[5].value = strip;
  std::string out("II*\0", 4);
  auto put16 = [&](uint16_t v) { out.append(reinterpret_cast<const char*>(&v), 2); };
  auto put32 = [&](uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  put32(directory);
  put16(static_cast<uint16_t>(entries.size()));
  for (const Entry& e : entries) {
    put16(e.tag);
    put16(e.type);
    put32(e.count);
    if (e.type == kShort) {
      put16(static_cast<uint16_t>(e.value));
      put16(0);
    } else {
      put32(e.value);
    }
  }
  put32(0);  // no next directory
  out.append(data);
  return out;
}

struct Memory {
  const std::string* bytes;
  toff_t at = 0;
};

tsize_t read_memory(thandle_t handle, tdata_t buffer, tsize_t size) {
  auto* m = static_cast<Memory*>(handle);
  const toff_t left = m->at < m->bytes->size() ? m->bytes->size() - m->at : 0;
  const auto n = static_cast<toff_t>(size) < left ? static_cast<toff_t>(size) : left;
  std::memcpy(buffer, m->bytes->data() + m->at, n);
  m->at += n;
  return static_cast<tsize_t>(n);
}
tsize_t write_memory(thandle_t, tdata_t, tsize_t) { return 0; }
toff_t seek_memory(thandle_t handle, toff_t offset, int whence) {
  auto* m = static_cast<Memory*>(handle);
  const toff_t base = whence == SEEK_CUR ? m->at : whence == SEEK_END ? m->bytes->size() : 0;
  m->at = base + offset;
  return m->at;
}
int close_memory(thandle_t) { return 0; }
toff_t size_memory(thandle_t handle) { return static_cast<Memory*>(handle)->bytes->size(); }
int map_memory(thandle_t, tdata_t*, toff_t*) { return 0; }
void unmap_memory(thandle_t, tdata_t, toff_t) {}

// libtiff's complaints while decoding (a premature end of line, a bad code):
// counted, so that data it had to patch up is not taken for the image.
thread_local int complaints = 0;
void complain(const char*, const char*, va_list) { ++complaints; }

}  // namespace

std::optional<std::string> decode_ccitt(std::string_view data, const CcittParams& params, size_t max_bytes) {
  // libtiff reports problems on stderr by default: they are counted instead.
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    TIFFSetErrorHandler(complain);
    TIFFSetWarningHandler(complain);
  });
  complaints = 0;
  const size_t row_bytes = (params.columns + 7) / 8;
  if (params.byte_align || params.columns == 0 || params.rows == 0 || params.columns > 1u << 20 ||
      params.rows > 1u << 20 || row_bytes * params.rows > max_bytes || data.size() > 0xFFFFFFF0u) {
    return std::nullopt;
  }
  const std::string file = tiff_around(data, params);
  Memory memory{&file};
  TIFF* tiff = TIFFClientOpen("ccitt", "rm", &memory, read_memory, write_memory, seek_memory, close_memory,
                              size_memory, map_memory, unmap_memory);
  if (!tiff) return std::nullopt;
  std::string rows(row_bytes * params.rows, '\0');
  const tmsize_t got = TIFFReadEncodedStrip(tiff, 0, rows.data(), static_cast<tmsize_t>(rows.size()));
  TIFFClose(tiff);
  if (got != static_cast<tmsize_t>(rows.size()) || complaints > 0) return std::nullopt;
  // libtiff gives 1 for black; PDF's default (BlackIs1 false) has 0 for black.
  if (!params.black_is_1) {
    for (char& c : rows) c = static_cast<char>(~c);
  }
  return rows;
}

}  // namespace redact::pdf::detail
