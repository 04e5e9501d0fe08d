#include "pdf/jpx.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>

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

  opj_image_t* header = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &header) || !header) {
    if (header) opj_image_destroy(header);
    return std::nullopt;
  }
  std::unique_ptr<opj_image_t, ImageDeleter> image(header);
  const OPJ_UINT32 n = image->numcomps;
  if (n != 1 && n != 3 && n != 4) return std::nullopt;
  // YCC needs converting, as readers do; a space OpenJPEG does not know is
  // only trusted with an ICC profile (then the count of components tells).
  if (image->color_space == OPJ_CLRSPC_SYCC || image->color_space == OPJ_CLRSPC_EYCC ||
      (image->color_space == OPJ_CLRSPC_UNKNOWN && image->icc_profile_len == 0)) {
    return std::nullopt;
  }
  JpxImage out;
  out.width = image->comps[0].w;
  out.height = image->comps[0].h;
  out.components = static_cast<int>(n);
  // OpenJPEG holds a sample in 32 bits.
  if (out.width == 0 || out.height == 0 || out.width > max_pixel_bytes / out.height / n / 4) return std::nullopt;
  for (OPJ_UINT32 c = 0; c < n; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    // An opacity channel (SMaskInData's) is no colour.
    if (comp.w != out.width || comp.h != out.height || comp.dx != 1 || comp.dy != 1 || comp.sgnd || comp.alpha ||
        comp.prec < 1 || comp.prec > 16) {
      return std::nullopt;
    }
  }
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()) || error) {
    return std::nullopt;
  }
  for (OPJ_UINT32 c = 0; c < n; ++c) {
    if (!image->comps[c].data) return std::nullopt;
  }
  const size_t count = out.width * out.height;
  out.pixels.resize(count * n);
  for (OPJ_UINT32 c = 0; c < n; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    const double top = static_cast<double>((1u << comp.prec) - 1);
    for (size_t i = 0; i < count; ++i) {
      const double value = std::clamp(static_cast<double>(comp.data[i]), 0.0, top);
      out.pixels[i * n + c] = static_cast<char>(comp.prec == 8 ? static_cast<int>(value) : static_cast<int>(value * 255 / top + 0.5));
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
