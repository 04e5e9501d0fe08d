#include "pdf/jpeg.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>

namespace redact::pdf::detail {
namespace {

// libjpeg reports fatal errors by calling error_exit, which by default ends
// the process: ours jumps back to the caller instead, and warnings are not
// printed.
struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
};

void error_exit(j_common_ptr cinfo) { std::longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1); }
void no_output(j_common_ptr) {}

// A progressive JPEG may hold any number of scans, each a pass over the
// whole image: thousands of empty ones cost minutes. Real files have a
// dozen; past kMaxScans the decoding stops as an error (libjpeg-turbo's own
// scan limit, TJPARAM_SCANLIMIT, is 500).
constexpr int kMaxScans = 500;

void count_scans(j_common_ptr cinfo) {
  if (cinfo->is_decompressor && reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans) {
    error_exit(cinfo);
  }
}

// The decoding itself, with nothing that needs a destructor between setjmp
// and the calls that may jump: only `out`'s storage, sized before.
bool decode_into(const unsigned char* data, unsigned long size, size_t max_pixel_bytes, JpegImage& out) {
  jpeg_decompress_struct cinfo{};
  ErrorManager errors{};
  cinfo.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = error_exit;
  errors.base.output_message = no_output;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_progress_mgr progress{};
  progress.progress_monitor = count_scans;
  cinfo.progress = &progress;
  jpeg_mem_src(&cinfo, data, size);
  jpeg_read_header(&cinfo, TRUE);
  const bool gray = cinfo.jpeg_color_space == JCS_GRAYSCALE && cinfo.num_components == 1;
  const bool rgb = (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB) && cinfo.num_components == 3;
  const size_t bytes = static_cast<size_t>(cinfo.image_width) * cinfo.image_height * (gray ? 1 : 3);
  if ((!gray && !rgb) || bytes == 0 || bytes > max_pixel_bytes) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  for (int t = 0; t < NUM_QUANT_TBLS; ++t) {
    if (!cinfo.quant_tbl_ptrs[t]) continue;
    out.quant_tables.resize(static_cast<size_t>(t) + 1);
    out.quant_tables[static_cast<size_t>(t)].assign(cinfo.quant_tbl_ptrs[t]->quantval, cinfo.quant_tbl_ptrs[t]->quantval + DCTSIZE2);
  }
  for (int c = 0; c < cinfo.num_components; ++c) out.component_tables.push_back(cinfo.comp_info[c].quant_tbl_no);
  cinfo.out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  out.width = cinfo.output_width;
  out.height = cinfo.output_height;
  out.components = cinfo.output_components;
  const size_t stride = out.width * static_cast<size_t>(out.components);
  if (stride * out.height != bytes) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  out.pixels.resize(bytes);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = reinterpret_cast<JSAMPROW>(&out.pixels[cinfo.output_scanline * stride]);
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

bool encode_into(const JpegImage& image, unsigned char** buffer, unsigned long* size) {
  jpeg_compress_struct cinfo{};
  ErrorManager errors{};
  cinfo.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = error_exit;
  errors.base.output_message = no_output;
  if (setjmp(errors.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, buffer, size);
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = image.components;
  cinfo.in_color_space = image.components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  if (image.quality > 0) jpeg_set_quality(&cinfo, image.quality, TRUE);
  cinfo.optimize_coding = TRUE;
  // The original's tables, unscaled (100%): its quality, not a guess at it.
  for (size_t t = 0; t < image.quant_tables.size() && t < NUM_QUANT_TBLS; ++t) {
    if (image.quant_tables[t].size() == DCTSIZE2) {
      jpeg_add_quant_table(&cinfo, static_cast<int>(t), image.quant_tables[t].data(), 100, FALSE);
    }
  }
  for (int c = 0; c < cinfo.num_components && static_cast<size_t>(c) < image.component_tables.size(); ++c) {
    const int t = image.component_tables[static_cast<size_t>(c)];
    if (t >= 0 && static_cast<size_t>(t) < image.quant_tables.size() && !image.quant_tables[static_cast<size_t>(t)].empty()) {
      cinfo.comp_info[c].quant_tbl_no = t;
    }
  }
  jpeg_start_compress(&cinfo, TRUE);
  const size_t stride = image.width * static_cast<size_t>(image.components);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(reinterpret_cast<const JSAMPLE*>(&image.pixels[cinfo.next_scanline * stride]));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

std::optional<JpegImage> decode_jpeg(std::string_view data, size_t max_pixel_bytes) {
  JpegImage image;
  image.quant_tables.reserve(NUM_QUANT_TBLS);  // no allocation after setjmp can move them
  image.component_tables.reserve(MAX_COMPONENTS);
  if (data.empty() ||
      !decode_into(reinterpret_cast<const unsigned char*>(data.data()), static_cast<unsigned long>(data.size()), max_pixel_bytes, image)) {
    return std::nullopt;
  }
  return image;
}

std::string encode_jpeg(const JpegImage& image) {
  if (image.pixels.size() != image.width * image.height * static_cast<size_t>(image.components)) return "";
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const bool ok = encode_into(image, &buffer, &size);
  std::string out = ok && buffer ? std::string(reinterpret_cast<const char*>(buffer), size) : std::string();
  std::free(buffer);
  return out;
}

}  // namespace redact::pdf::detail
