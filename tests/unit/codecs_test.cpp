// The image and stream codecs redact runs itself: Flate (zlib, with a limit
// and PNG predictors) and JPEG (libjpeg-turbo, re-encoded with the
// original's quantization tables).
#include <gtest/gtest.h>

#include <jpeglib.h>
#include <zlib.h>

#include <cstdlib>
#include <string>

#include "pdf/ccitt.h"
#include "pdf/jbig2.h"
#include "pdf/flate.h"
#include "pdf/inflate_budget.h"
#include "pdf/jpeg.h"
#include "pdf/jpx.h"
#include "unit/test_pdf.h"

namespace redact::pdf::detail {
namespace {

std::string deflate(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
           static_cast<uLong>(data.size()));
  out.resize(size);
  return out;
}

TEST(Flate, InflatesWholeData) {
  const std::string text(100000, 'x');
  Inflated out = inflate(deflate(text), 1 << 20);
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(out.data, text);
}

TEST(Flate, DataCutShortIsIncompleteWithWhatCameBefore) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i * 7919 % 10007) + " ";
  const std::string z = deflate(text);
  Inflated out = inflate(z.substr(0, z.size() / 2), 1 << 20);
  EXPECT_FALSE(out.complete);
  EXPECT_TRUE(out.cut_short) << "every byte there is out: no reader shows more";
  EXPECT_FALSE(out.over_limit);
  EXPECT_GT(out.data.size(), 0u);
  EXPECT_EQ(text.compare(0, out.data.size(), out.data), 0);
}

// pdf.js's comments.pdf: appearance streams flushed (Z_SYNC_FLUSH) but never
// finished. Every byte is out, as poppler and MuPDF show it; a stream
// damaged partway is not cut short (a lenient decoder may go on past it).
TEST(Flate, DataNeverFinishedIsCutShortButDamageIsNot) {
  const std::string text = "BT /F1 12 Tf 72 720 Td (Officers were sent to Spain.) Tj ET";
  const Inflated out = inflate(test::deflate_unfinished(text), 1 << 20);
  EXPECT_FALSE(out.complete);
  EXPECT_TRUE(out.cut_short);
  EXPECT_EQ(out.data, text);

  std::string damaged = deflate(text);
  damaged[2] = static_cast<char>(0xff);  // an invalid block type
  EXPECT_FALSE(inflate(damaged, 1 << 20).cut_short);
}

// mu__test_4505.pdf of MuPDF's tests: a content stream whose Adler-32 is
// wrong. poppler and MuPDF show its text, so redact reads it too; a byte
// damaged inside the deflate data is still incomplete.
TEST(Flate, AWrongChecksumAloneStillInflatesWhole) {
  const std::string text = "BT /F1 12 Tf 72 720 Td (Officers were sent to Spain.) Tj ET";
  std::string z = deflate(text);
  z.back() = static_cast<char>(z.back() ^ 0x55);
  const Inflated out = inflate(z, 1 << 20);
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(out.data, text);
  std::string damaged = deflate(text);
  damaged[2] = static_cast<char>(0xff);  // an invalid block type
  EXPECT_FALSE(inflate(damaged, 1 << 20).complete);
}

TEST(Flate, StopsAtTheLimitNotAfterInflatingEverything) {
  const std::string bomb = deflate(std::string(50u << 20, '\0'));  // 50 MB from about 50 KB
  Inflated out = inflate(bomb, 1u << 20);
  EXPECT_TRUE(out.over_limit);
  EXPECT_LE(out.data.size(), 1u << 20);
}

TEST(Flate, PngPredictorsAreUndone) {
  // One colour, 8 bits, 4 columns; rows None, Sub, Up, Average, Paeth.
  const std::string rows = std::string("\x00\x01\x02\x03\x04", 5) + std::string("\x01\x01\x01\x01\x01", 5) +
                           std::string("\x02\x01\x01\x01\x01", 5) + std::string("\x03\x00\x00\x00\x00", 5) +
                           std::string("\x04\x00\x00\x00\x00", 5);
  const auto out = unpredict_png(rows, 1, 8, 4);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, std::string("\x01\x02\x03\x04"
                              "\x01\x02\x03\x04"
                              "\x02\x03\x04\x05"
                              "\x01\x02\x03\x04"   // the average of left and above
                              "\x01\x02\x03\x04",  // Paeth: above is nearest
                              20));
  EXPECT_FALSE(unpredict_png(rows.substr(1), 1, 8, 4)) << "not whole rows";
  EXPECT_FALSE(unpredict_png(std::string("\x07\x00\x00\x00\x00", 5), 1, 8, 4)) << "an unknown row type";
}

// A JPEG as libjpeg writes it at `quality`.
std::string make_jpeg(int components, int quality, J_COLOR_SPACE space) {
  jpeg_compress_struct c{};
  jpeg_error_mgr errors{};
  c.err = jpeg_std_error(&errors);
  jpeg_create_compress(&c);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buffer, &size);
  c.image_width = 64;
  c.image_height = 48;
  c.input_components = components;
  c.in_color_space = space;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  std::string row(64 * static_cast<size_t>(components), '\0');
  while (c.next_scanline < c.image_height) {
    for (size_t i = 0; i < row.size(); ++i) row[i] = static_cast<char>((i * 4 + c.next_scanline * 5) & 0xFF);
    JSAMPROW r = reinterpret_cast<JSAMPROW>(row.data());
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::string out(reinterpret_cast<char*>(buffer), size);
  std::free(buffer);
  return out;
}

TEST(Flate, TiffPredictorIsUndone) {
  // Two RGB pixels a row, two rows: each component the difference from the
  // one to its left.
  const std::string rows("\x10\x20\x30\x01\x02\x03" "\xff\x00\x01\x02\x00\xff", 12);
  std::optional<std::string> out = unpredict_tiff(rows, 3, 8, 2);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, std::string("\x10\x20\x30\x11\x22\x33" "\xff\x00\x01\x01\x00\x00", 12));
  EXPECT_FALSE(unpredict_tiff(rows, 3, 4, 2)) << "4 bits a component is not undone";
  EXPECT_FALSE(unpredict_tiff(rows.substr(1), 3, 8, 2)) << "not whole rows";
}

// zlib's inflate as every library in the process calls it: within a budget
// while one is alive on the thread, free otherwise.
TEST(InflateBudget, BoundsEveryInflateWhileAlive) {
  const std::string big(size_t{4} << 20, 'x');
  uLongf size = compressBound(big.size());
  std::string packed(size, '\0');
  compress2(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(big.data()), big.size(), 9);
  packed.resize(size);
  {
    InflateBudget budget(size_t{1} << 20);
    const Inflated out = inflate(packed, SIZE_MAX);
    EXPECT_FALSE(out.complete);
    EXPECT_LE(out.data.size(), size_t{1} << 20);
    EXPECT_TRUE(budget.exceeded());
  }
  const Inflated free = inflate(packed, SIZE_MAX);
  EXPECT_TRUE(free.complete) << "no budget alive: no limit but the caller's";
  EXPECT_EQ(free.data.size(), big.size());
}

TEST(Filters, AsciiHexAndAscii85Decode) {
  Inflated hex = ascii_hex("48 65 6c6C6f 2>", 100);
  EXPECT_TRUE(hex.complete);
  EXPECT_EQ(hex.data, std::string("Hello ", 6));
  EXPECT_FALSE(ascii_hex("48zz>", 100).complete) << "a character that is no hex digit";
  Inflated a85 = ascii85("87cURD_*#TDfTZ)+X$~>", 100);
  EXPECT_TRUE(a85.complete);
  EXPECT_EQ(a85.data, "Hello, world!!");
  // PostScript's "<~" prefix is no part of a PDF stream: poppler and MuPDF
  // read it as a digit and the end, and show nothing.
  EXPECT_NE(ascii85("<~87cURD_*#TDfTZ)+X$~>", 100).data, "Hello, world!!");
  EXPECT_EQ(ascii85("z~>", 100).data, std::string(4, '\0'));
  EXPECT_FALSE(ascii85("87cU\x7f~>", 100).complete);
}

TEST(Filters, RunLengthStopsAtTheLimit) {
  Inflated out = run_length(std::string("\x02" "abc\xfd" "x\x80", 7), 100);
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(out.data, "abcxxxx");
  // Two bytes that stand for 128: a thousand of them are a bomb.
  std::string bomb;
  for (int i = 0; i < 1000; ++i) bomb += "\x81x";
  Inflated stopped = run_length(bomb, 1000);
  EXPECT_TRUE(stopped.over_limit);
  EXPECT_LE(stopped.data.size(), 1000u);
}

TEST(Filters, LzwDecodesTheSpecExample) {
  // ISO 32000-1, 7.4.4.2: "-----A---B" with early change.
  Inflated out = lzw(std::string("\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", 9), 100);
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(out.data, "-----A---B");
  EXPECT_TRUE(lzw(std::string("\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", 9), 5).over_limit);
  EXPECT_FALSE(lzw(std::string("\xff\xff", 2), 100).complete) << "a code not yet in the table";
}

TEST(Jpeg, ReencodingKeepsTheOriginalsQuantizationTables) {
  const std::string original = make_jpeg(3, 35, JCS_RGB);
  auto image = decode_jpeg(original, 1 << 24);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->width, 64u);
  EXPECT_EQ(image->height, 48u);
  EXPECT_EQ(image->components, 3);
  const std::string again = encode_jpeg(*image);
  ASSERT_FALSE(again.empty());
  auto reread = decode_jpeg(again, 1 << 24);
  ASSERT_TRUE(reread);
  EXPECT_EQ(reread->quant_tables, image->quant_tables) << "quality 35 stays quality 35";
  EXPECT_EQ(reread->component_tables, image->component_tables);
  size_t far = 0;
  for (size_t i = 0; i < image->pixels.size(); ++i) {
    far += std::abs(static_cast<unsigned char>(image->pixels[i]) - static_cast<unsigned char>(reread->pixels[i])) > 24;
  }
  EXPECT_LT(far, image->pixels.size() / 50);
}

TEST(Jpeg, GrayDecodes) {
  auto image = decode_jpeg(make_jpeg(1, 90, JCS_GRAYSCALE), 1 << 24);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->components, 1);
}

TEST(Jpeg, CmykTooLargeAndDamagedAreRefused) {
  EXPECT_FALSE(decode_jpeg(make_jpeg(4, 90, JCS_CMYK), 1 << 24)) << "CMYK: black is not all zeros";
  EXPECT_FALSE(decode_jpeg(make_jpeg(3, 90, JCS_RGB), 1000)) << "over the pixel budget";
  const std::string jpeg = make_jpeg(3, 90, JCS_RGB);
  EXPECT_FALSE(decode_jpeg(jpeg.substr(0, 40), 1 << 24));
  EXPECT_FALSE(decode_jpeg("not a jpeg", 1 << 24));
}

// A whole fax-coded page is decoded end to end by e2e.run_redacts_for_real
// (fixtures/pdf/ocr-scan.pdf); here, what must not pass for an image.
TEST(Ccitt, DamagedOrUnreadableDataIsRefused) {
  CcittParams p;
  p.k = -1;
  p.columns = 64;
  p.rows = 16;
  EXPECT_FALSE(decode_ccitt(std::string(40, '\0'), p, 1 << 20)) << "zeros are no fax code";
  EXPECT_FALSE(decode_ccitt("", p, 1 << 20)) << "no data for 16 rows";
  p.byte_align = true;
  EXPECT_FALSE(decode_ccitt(std::string(40, '\0'), p, 1 << 20)) << "EncodedByteAlign is not read";
  p.byte_align = false;
  p.rows = 1u << 21;
  EXPECT_FALSE(decode_ccitt(std::string(40, '\0'), p, 1 << 20)) << "over the budget";
}

// A JBIG2 scan is decoded end to end by e2e.jbig2_scan_pixels_under_a_box_go_black
// (pdf.js's test image, embedded and with /JBIG2Globals); here, what must
// not pass for an image.
TEST(Jbig2, CutOrUnreadableDataIsRefused) {
  EXPECT_FALSE(decode_jbig2("", "", 8, 8, 1 << 20)) << "no page at all";
  EXPECT_FALSE(decode_jbig2(std::string(40, '\x7F'), "", 8, 8, 1 << 20)) << "no segments";
  // A page information segment (number 0, type 48, page 1) that says 19
  // bytes follow, and only 3 do.
  const std::string cut("\0\0\0\0\x30\0\x01\0\0\0\x13\0\0\0", 14);
  EXPECT_FALSE(decode_jbig2(cut, "", 8, 8, 1 << 20)) << "a segment cut short";
  EXPECT_FALSE(decode_jbig2("", cut, 8, 8, 1 << 20)) << "globals cut short";
  EXPECT_FALSE(decode_jbig2("", "", 1u << 20, 1u << 20, 1 << 20)) << "over the budget";
}

// JPEG 2000 is decoded end to end by e2e.jpeg2000_pixels_under_a_box_go_black
// (images made by OpenJPEG's encoder); here, what must not pass for an
// image.
TEST(Jpx, DataThatIsNoWholeImageIsRefused) {
  EXPECT_FALSE(decode_jpx("", 1 << 20)) << "nothing";
  EXPECT_FALSE(decode_jpx(std::string(64, 'x'), 1 << 20)) << "neither a JP2 file nor a codestream";
  // SOC, then a SIZ marker whose segment is cut short.
  EXPECT_FALSE(decode_jpx(std::string("\xFF\x4F\xFF\x51\x00\x29\x00\x00", 8), 1 << 20)) << "a codestream cut short";
  // A JP2 signature box, then nothing a reader can use.
  EXPECT_FALSE(decode_jpx(std::string("\0\0\0\x0CjP  \r\n\x87\n", 12) + std::string(40, '\0'), 1 << 20))
      << "a JP2 file with no codestream";
}

}  // namespace
}  // namespace redact::pdf::detail
