#include "pdf/jpx.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace redact::pdf::detail {
namespace {

// The data as an OpenJPEG input stream.
struct Source {
  std::string_view data;
  size_t at = 0;
};

OPJ_SIZE_T read(void* buffer, OPJ_SIZE_T size, void* user) {
  Source& s = *static_cast<Source*>(user);
  if (s.at >= s.data.size()) return static_cast<OPJ_SIZE_T>(-1);
  const size_t n = std::min<size_t>(size, s.data.size() - s.at);
  std::memcpy(buffer, s.data.data() + s.at, n);
  s.at += n;
  return n;
}

OPJ_OFF_T skip(OPJ_OFF_T count, void* user) {
  Source& s = *static_cast<Source*>(user);
  if (count < 0) {
    const auto back = static_cast<size_t>(-count);
    if (back > s.at) return -1;
    s.at -= back;
    return count;
  }
  const size_t n = std::min<size_t>(static_cast<size_t>(count), s.data.size() - std::min(s.at, s.data.size()));
  s.at += n;
  return static_cast<OPJ_OFF_T>(n);
}

OPJ_BOOL seek(OPJ_OFF_T to, void* user) {
  Source& s = *static_cast<Source*>(user);
  if (to < 0 || static_cast<size_t>(to) > s.data.size()) return OPJ_FALSE;
  s.at = static_cast<size_t>(to);
  return OPJ_TRUE;
}

void quiet(const char*, void*) {}
void failed(const char*, void* flag) { *static_cast<bool*>(flag) = true; }

struct CodecDeleter {
  void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageDeleter {
  void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};

// Tiles a codestream may have: a large scan in 256-pixel tiles has a few
// hundred.
constexpr uint64_t kMaxTiles = 4096;

// What the codestream's main header says, read here before OpenJPEG reads
// it: OpenJPEG allocates for every tile and component as it reads the
// header, so a 2 KB file declaring 65,535 tiles of 64 components took
// gigabytes; and it decodes a tile the data leaves out as zeros, even in
// strict mode, so every tile must have a part.
struct Codestream {
  uint64_t width = 0, height = 0, components = 0, tiles = 0;
};

uint32_t big_endian(std::string_view d, size_t at, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(d[at + i]);
  return v;
}

// The codestream of a JP2 file (its contiguous codestream box), or the
// data itself when it is one.
std::optional<std::string_view> codestream_of(std::string_view data, bool jp2) {
  if (!jp2) return data;
  for (size_t at = 0; at + 8 <= data.size();) {
    uint64_t length = big_endian(data, at, 4);
    size_t header = 8;
    if (length == 1) {
      if (at + 16 > data.size()) return std::nullopt;
      length = static_cast<uint64_t>(big_endian(data, at + 8, 4)) << 32 | big_endian(data, at + 12, 4);
      header = 16;
    } else if (length == 0) {
      length = data.size() - at;
    }
    if (length < header || length > data.size() - at) return std::nullopt;
    if (data.substr(at + 4, 4) == "jp2c") return data.substr(at + header, length - header);
    at += length;
  }
  return std::nullopt;
}

// The main header's size and tiles, and whether every tile has a part (the
// tile-parts walked by their lengths, Psot). Nothing for a codestream that
// does not hold together.
std::optional<Codestream> read_codestream(std::string_view d) {
  // SOC, SIZ: Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz.
  if (d.size() < 4 + 40 || d.substr(0, 4) != std::string_view("\xFF\x4F\xFF\x51", 4)) return std::nullopt;
  const size_t siz = 4;
  const uint32_t lsiz = big_endian(d, siz, 2);
  const uint64_t x = big_endian(d, siz + 4, 4), y = big_endian(d, siz + 8, 4);
  const uint64_t x0 = big_endian(d, siz + 12, 4), y0 = big_endian(d, siz + 16, 4);
  const uint64_t tw = big_endian(d, siz + 20, 4), th = big_endian(d, siz + 24, 4);
  const uint64_t tx0 = big_endian(d, siz + 28, 4), ty0 = big_endian(d, siz + 32, 4);
  Codestream out;
  out.components = big_endian(d, siz + 36, 2);
  if (x <= x0 || y <= y0 || tw == 0 || th == 0 || tx0 > x0 || ty0 > y0) return std::nullopt;
  out.width = x - x0;
  out.height = y - y0;
  // Each count apart first: two of 2^32 would wrap their product to 0.
  const uint64_t across = (x - tx0 + tw - 1) / tw, down = (y - ty0 + th - 1) / th;
  if (across > kMaxTiles || down > kMaxTiles) return std::nullopt;
  out.tiles = across * down;
  // Markers of the main header, each with its length, up to the first SOT.
  size_t at = siz + lsiz;
  while (at + 4 <= d.size() && big_endian(d, at, 2) != 0xFF90) {
    if (static_cast<unsigned char>(d[at]) != 0xFF) return std::nullopt;
    at += 2 + big_endian(d, at + 2, 2);
  }
  // Tile-parts: SOT Lsot Isot Psot TPsot TNsot, Psot from the SOT on (0:
  // to the end of the codestream).
  std::vector<bool> seen;
  uint64_t found = 0;
  while (at + 12 <= d.size() && big_endian(d, at, 2) == 0xFF90) {
    const uint32_t tile = big_endian(d, at + 4, 2);
    const uint64_t length = big_endian(d, at + 6, 4);
    if (tile >= out.tiles) return std::nullopt;
    if (seen.size() <= tile) seen.resize(tile + 1, false);
    if (!seen[tile]) {
      seen[tile] = true;
      ++found;
    }
    if (length == 0) {
      at = d.size();
      break;
    }
    if (length < 14 || length > d.size() - at) return std::nullopt;
    at += length;
  }
  if (found == 0 || found != out.tiles) return std::nullopt;  // a tile left out, or parts that do not chain
  return out;
}

}  // namespace

std::optional<JpxImage> decode_jpx(std::string_view data, size_t max_pixel_bytes) {
  // A JP2 file starts with its signature box; a bare codestream with SOC
  // and SIZ markers.
  static constexpr char kJp2[] = "\0\0\0\x0CjP  \r\n\x87\n";
  OPJ_CODEC_FORMAT format;
  if (data.size() >= 12 && data.substr(0, 12) == std::string_view(kJp2, 12)) {
    format = OPJ_CODEC_JP2;
  } else if (data.size() >= 4 && data.substr(0, 4) == std::string_view("\xFF\x4F\xFF\x51", 4)) {
    format = OPJ_CODEC_J2K;
  } else {
    return std::nullopt;
  }
  const std::optional<std::string_view> bytes = codestream_of(data, format == OPJ_CODEC_JP2);
  const std::optional<Codestream> header = bytes ? read_codestream(*bytes) : std::nullopt;
  // One to four components (a palette's index is one), a few thousand
  // tiles, and samples (32 bits each in OpenJPEG) within the budget.
  if (!header || header->components < 1 || header->components > 4 || header->tiles > kMaxTiles ||
      header->width > max_pixel_bytes / header->height / header->components / 4) {
    return std::nullopt;
  }

  std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(format));
  if (!codec) return std::nullopt;
  bool error = false;
  opj_set_error_handler(codec.get(), failed, &error);
  opj_set_warning_handler(codec.get(), quiet, nullptr);
  opj_set_info_handler(codec.get(), quiet, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (!opj_setup_decoder(codec.get(), &parameters)) return std::nullopt;
  // Data cut short is an error, not an image decoded in part.
  opj_decoder_set_strict_mode(codec.get(), OPJ_TRUE);

  Source source{data, 0};
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE));
  if (!stream) return std::nullopt;
  opj_stream_set_user_data(stream.get(), &source, nullptr);
  opj_stream_set_user_data_length(stream.get(), data.size());
  opj_stream_set_read_function(stream.get(), read);
  opj_stream_set_skip_function(stream.get(), skip);
  opj_stream_set_seek_function(stream.get(), seek);

  opj_image_t* read_image = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &read_image) || !read_image) {
    if (read_image) opj_image_destroy(read_image);
    return std::nullopt;
  }
  std::unique_ptr<opj_image_t, ImageDeleter> image(read_image);
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()) || error) {
    return std::nullopt;
  }
  // What the image is, known once decoded: a JP2 file's colour
  // specification, its palette (which makes one component three) and its
  // channel definitions (an opacity channel) are applied by opj_decode.
  const OPJ_UINT32 n = image->numcomps;
  if (n != 1 && n != 3 && n != 4) return std::nullopt;
  // YCC needs converting, as readers do; a space OpenJPEG does not know
  // (CIELab among them) is only trusted with an ICC profile (then the count
  // of components tells).
  if (image->color_space == OPJ_CLRSPC_SYCC || image->color_space == OPJ_CLRSPC_EYCC ||
      (image->color_space == OPJ_CLRSPC_UNKNOWN && image->icc_profile_len == 0)) {
    return std::nullopt;
  }
  JpxImage out;
  out.width = image->comps[0].w;
  out.height = image->comps[0].h;
  out.components = static_cast<int>(n);
  if (out.width == 0 || out.height == 0 || out.width > max_pixel_bytes / out.height / n / 4) return std::nullopt;
  for (OPJ_UINT32 c = 0; c < n; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    // An opacity channel (SMaskInData's) is no colour.
    if (!comp.data || comp.w != out.width || comp.h != out.height || comp.dx != 1 || comp.dy != 1 || comp.sgnd ||
        comp.alpha || comp.prec < 1 || comp.prec > 16) {
      return std::nullopt;
    }
  }
  // To 8 bits as poppler and MuPDF draw them: shifted, not scaled, so that
  // every pixel left unpainted draws as it did.
  const size_t count = out.width * out.height;
  out.pixels.resize(count * n);
  for (OPJ_UINT32 c = 0; c < n; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    const int prec = static_cast<int>(comp.prec);
    const OPJ_INT32 top = static_cast<OPJ_INT32>((1u << prec) - 1);
    for (size_t i = 0; i < count; ++i) {
      const OPJ_INT32 value = std::clamp<OPJ_INT32>(comp.data[i], 0, top);
      out.pixels[i * n + c] = static_cast<char>(prec >= 8 ? value >> (prec - 8) : value << (8 - prec));
    }
  }
  out.space = image->color_space == OPJ_CLRSPC_GRAY   ? "DeviceGray"
              : image->color_space == OPJ_CLRSPC_SRGB ? "DeviceRGB"
              : image->color_space == OPJ_CLRSPC_CMYK ? "DeviceCMYK"
              : n == 1                                ? "DeviceGray"
              : n == 3                                ? "DeviceRGB"
                                                      : "DeviceCMYK";
  // A colour specification that disagrees with the count: no image to trust.
  const int expected = out.space == "DeviceGray" ? 1 : out.space == "DeviceRGB" ? 3 : 4;
  if (expected != out.components) return std::nullopt;
  return out;
}

}  // namespace redact::pdf::detail
