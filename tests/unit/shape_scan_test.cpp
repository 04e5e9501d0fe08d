// The scan of raw bytes that keeps from PoDoFo what it cannot survive.
#include "pdf/shape_scan.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace redact::pdf::detail {
namespace {

std::string nested(int depth) { return std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']'); }

std::string compress(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()), data.size(), 9);
  out.resize(size);
  return out;
}

TEST(ShapeScan, NestingPastTheLimitIsFoundWithItsOffset) {
  EXPECT_EQ(scan_shape("1 0 obj " + nested(256) + " endobj").message, "");
  const std::string file = "%PDF-1.7\n1 0 obj << /A " + nested(300) + " >> endobj";
  const ShapeProblem problem = scan_shape(file);
  EXPECT_NE(problem.message.find("nested more than 256"), std::string::npos) << problem.message;
  EXPECT_EQ(problem.offset, static_cast<long long>(file.find('[')) + 255);
}

TEST(ShapeScan, NamesAreNeverKeywords) {
  // `/obj` and `/stream` are names to PoDoFo: they neither start an object
  // again nor skip what follows as stream data.
  std::string reset, skipped = "1 0 obj << /stream ";
  for (int i = 0; i < 300; ++i) reset += "<< /obj ";
  skipped += nested(300) + " /endstream >> endobj";
  EXPECT_NE(scan_shape("1 0 obj " + reset).message.find("nested"), std::string::npos);
  EXPECT_NE(scan_shape(skipped).message.find("nested"), std::string::npos);
}

TEST(ShapeScan, AnObjectStreamIsKnownByItsFirstOrAnEscapedTypeAndItsFilterThroughEscapes) {
  const std::string deep = compress("1 0 " + nested(400));
  for (const char* dict : {"<< /N 1 /First 4 /Filter /FlateDecode >>", "<< /Type /Obj#53tm /Filter /FlateDecode >>",
                           "<< /Type /ObjStm /F#69lter /Fl#61teDecode >>"}) {
    EXPECT_NE(scan_shape("5 0 obj " + std::string(dict) + " stream\n" + deep + "\nendstream endobj").message.find("nested"),
              std::string::npos)
        << dict;
  }
}

TEST(ShapeScan, AHugePredictorRowIsRefused) {
  EXPECT_NE(scan_shape("1 0 obj << /DecodeParms << /Predictor 12 /Columns 2147483647 >> >> endobj").message.find("Columns"),
            std::string::npos);
  EXPECT_EQ(scan_shape("1 0 obj << /DecodeParms << /Predictor 12 /Columns 5 >> >> endobj").message, "");
}

TEST(ShapeScan, ObjectsAreReadFromTheirOwnOffsets) {
  // Hidden in a comment from a front-to-back reading, not from its offset.
  const std::string file = "1 0 obj << >> endobj\n% 2 0 obj " + std::string(300, '[') + "\nendobj";
  EXPECT_EQ(scan_shape(file).message, "");
  EXPECT_NE(scan_objects_at(file, {0, static_cast<long long>(file.find("2 0 obj"))}).message.find("nested"), std::string::npos);
  // Objects that each open a string running to the end of the file: each
  // reading costs the whole file, and together they are bounded.
  std::string overlapping;
  std::vector<long long> offsets;
  for (int i = 0; i < 2000; ++i) {
    offsets.push_back(static_cast<long long>(overlapping.size()));
    overlapping += std::to_string(i + 1) + " 0 obj (" + std::string(20000, 'x') + "\n";
  }
  overlapping += ")";
  EXPECT_NE(scan_objects_at(overlapping, offsets).message.find("overlap"), std::string::npos);
}

TEST(ShapeScan, TrailersAreFollowedThroughPrev) {
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  // The last startxref names a table whose trailer's /Prev names a table
  // hidden in a comment, with a deep trailer.
  std::string file = "%PDF-1.7\n% ";
  const size_t hidden = file.size();
  file += "xref 0 1 0000000000 65535 f trailer << /Size 1 /A " + deep + " >> startxref\n";
  const size_t last = file.size();
  file += "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev " + std::to_string(hidden) + " >>\nstartxref\n" +
          std::to_string(last) + "\n%%EOF\n";
  EXPECT_EQ(scan_shape(file).message, "");
  EXPECT_NE(scan_trailers(file).message.find("nested"), std::string::npos);
}

TEST(ShapeScan, ManyDeepObjectsExhaustTheBudget) {
  // Each within the limit, together hours of PoDoFo's time (its parse costs
  // depth^3 an object).
  std::string file;
  for (int i = 0; i < 100; ++i) file += std::to_string(i + 1) + " 0 obj << /A " + nested(250) + " >> endobj\n";
  EXPECT_NE(scan_shape(file).message.find("so often"), std::string::npos);
  // What real files do: thousands of objects a few levels deep.
  std::string real;
  for (int i = 0; i < 20000; ++i) real += std::to_string(i + 1) + " 0 obj << /A << /B [1 [2 [3]]] >> >> endobj\n";
  EXPECT_EQ(scan_shape(real).message, "");
}

TEST(ShapeScan, EachObjectStartsAgainAtLevelZero) {
  // A broken object that never closes does not count against the next.
  std::string file;
  for (int i = 0; i < 100; ++i) file += std::to_string(i + 1) + " 0 obj << << << endobj\n";
  EXPECT_EQ(scan_shape(file).message, "");
}

TEST(ShapeScan, StringsCommentsAndStreamDataAreNotStructure) {
  const std::string brackets(1000, '[');
  EXPECT_EQ(scan_shape("1 0 obj (" + brackets + ") endobj").message, "");
  EXPECT_EQ(scan_shape("1 0 obj (a \\) (" + brackets + ")) endobj").message, "");
  EXPECT_EQ(scan_shape("% " + brackets + "\n1 0 obj [] endobj").message, "");
  EXPECT_EQ(scan_shape("1 0 obj << /Length 1000 >> stream\n" + brackets + "\nendstream endobj").message, "");
  EXPECT_NE(scan_shape("1 0 obj << /Length 1000 >> stream\nx\nendstream endobj 2 0 obj " + brackets).message, "");
}

TEST(ShapeScan, ObjectStreamsAreInflatedWithALimitAndScanned) {
  const std::string deep = compress("1 0 " + nested(400));
  const ShapeProblem problem =
      scan_shape("5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >> stream\n" + deep + "\nendstream endobj");
  EXPECT_NE(problem.message.find("nested"), std::string::npos) << "nesting inside an object stream";

  // A bomb compressed twice: a few hundred bytes that stand for 8 MiB,
  // against a limit of 1 MiB.
  const std::string bomb = compress(compress(std::string(size_t{8} << 20, ' ')));
  ASSERT_LT(bomb.size(), 2000u);
  ShapeLimits limits;
  limits.max_object_stream_bytes = size_t{1} << 20;
  const ShapeProblem too_large = scan_shape(
      "5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] >> stream\n" + bomb + "\nendstream endobj",
      limits);
  EXPECT_NE(too_large.message.find("MiB"), std::string::npos) << too_large.message;

  EXPECT_NE(scan_shape("5 0 obj << /Type /ObjStm /Filter /LZWDecode >> stream\nxx\nendstream endobj").message, "")
      << "an object stream filter the scan cannot measure is refused";
  EXPECT_EQ(scan_shape("5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >> stream\n" + compress("1 0 << /A [1 2] >>") +
                       "\nendstream endobj")
                .message,
            "");
}

// PoDoFo goes through every cross-reference entry for each object stream,
// and looks each of a stream's objects up among its entries: /Size + n^2 a
// stream.
TEST(ShapeScan, TheCostOfPoDoFosReadingOfObjectStreamsIsMeasured) {
  std::string rows;
  for (int n = 0; n < 10; ++n) {
    const bool packed = n >= 2 && n <= 4;  // objects 2, 3 and 4 in object stream 7
    rows += std::string{static_cast<char>(packed ? 2 : 0), static_cast<char>(packed ? 7 : 0), static_cast<char>(packed ? n - 2 : 0)};
  }
  const std::string file = "%PDF-1.7\n1 0 obj\n<< /Type /XRef /Size 10 /W [1 1 1] /Length 30 >>\nstream\n" + rows +
                           "\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
  const ShapeProblem scanned = scan_trailers(file);
  EXPECT_EQ(scanned.message, "");
  EXPECT_DOUBLE_EQ(scanned.object_stream_cost, 10 + 3 * 3);
  // A newer section (here a classic table) whose trailer says a larger
  // /Size than the one holding the rows: PoDoFo's table has that size.
  std::string updated = file.substr(0, file.find("startxref"));
  const size_t classic = updated.size();
  updated += "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 8000000 /Prev 9 >>\nstartxref\n" + std::to_string(classic) +
             "\n%%EOF\n";
  EXPECT_DOUBLE_EQ(scan_trailers(updated).object_stream_cost, 8000000 + 3 * 3);
  EXPECT_DOUBLE_EQ(scan_trailers("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n")
                       .object_stream_cost,
                   0);
}

}  // namespace
}  // namespace redact::pdf::detail
