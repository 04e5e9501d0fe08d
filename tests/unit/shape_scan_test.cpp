// The scan of raw bytes that keeps from PoDoFo what it cannot survive.
#include "pdf/shape_scan.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <string>
#include <vector>

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

// An object stream whose data has a PNG predictor (PoDoFo undoes it): read
// through it, not refused.
TEST(ShapeScan, AnObjectStreamsPredictionIsUndone) {
  const auto predicted = [](const std::string& data) {  // PNG "Sub" rows of 4 bytes: each byte less the one before
    std::string padded = data + std::string((4 - data.size() % 4) % 4, ' '), rows;
    for (size_t at = 0; at < padded.size(); at += 4) {
      rows += '\1';
      for (size_t k = 0; k < 4; ++k) rows += static_cast<char>(padded[at + k] - (k ? padded[at + k - 1] : 0));
    }
    return compress(rows);
  };
  const std::string dict = "5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> >> stream\n";
  EXPECT_EQ(scan_shape(dict + predicted("1 0 << /A [1 2] >>") + "\nendstream endobj").message, "");
  EXPECT_NE(scan_shape(dict + predicted("1 0 " + nested(400)) + "\nendstream endobj").message.find("nested"), std::string::npos)
      << "the nesting behind the predictor is found";
  EXPECT_NE(scan_shape("5 0 obj << /Type /ObjStm /Filter /FlateDecode /DecodeParms << /Predictor 7 >> >> stream\n" + compress("1 0 1") +
                       "\nendstream endobj")
                .message,
            "")
      << "a prediction the scan cannot undo is refused";
}

// A file of object stream 7 (its dictionary `stream_dict`, its data
// `data`), and a cross-reference stream (object 1, of `xref_dict` besides
// /W and /Length) whose entries 2, 3 and 4 are in object stream `named`.
std::string object_stream_file(const std::string& stream_dict, const std::string& data, const std::string& xref_dict = "/Size 10",
                               char named = 7) {
  std::string file = "%PDF-1.7\n";
  const size_t stream_at = file.size();
  file += "7 0 obj\n<< " + stream_dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
          "\nendstream\nendobj\n";
  const size_t xref_at = file.size();
  std::string rows;
  for (int n = 0; n < 10; ++n) {
    const bool packed = n >= 2 && n <= 4;
    const size_t at = n == 7 ? stream_at : n == 1 ? xref_at : 0;
    rows += std::string{static_cast<char>(packed ? 2 : at ? 1 : 0), static_cast<char>(packed ? 0 : at >> 8),
                        static_cast<char>(packed ? named : at & 0xff), static_cast<char>(packed ? n - 2 : 0)};
  }
  file += "1 0 obj\n<< /Type /XRef " + xref_dict + " /W [1 2 1] /Length 40 >>\nstream\n" + rows + "\nendstream\nendobj\n";
  return file + "startxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
}

// Three values of 3 bytes each, and the header pairs that name them.
const std::string kValues = "[1][2][3]";
const std::string kHeader = "2 0 3 3 4 6 ";

// PoDoFo goes through every cross-reference entry for each object stream;
// for each pair of the stream's header it parses the value at its offset
// (priced when parsed again: 300 a byte, 256 a level of depth cubed) and
// looks the object up among the n entries naming the stream; a pair past n
// removes and inserts an object again in a list of every object.
TEST(ShapeScan, TheCostOfPoDoFosReadingOfObjectStreamsIsMeasured) {
  const std::string file = object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues);
  const ShapeProblem scanned = scan_trailers(file);
  EXPECT_EQ(scanned.message, "");
  EXPECT_DOUBLE_EQ(scanned.object_stream_cost, 10 + 3 * 3);

  // A newer section (here a classic table) whose trailer says a larger
  // /Size than the one holding the entries: PoDoFo's table has that size.
  std::string updated = file.substr(0, file.find("startxref"));
  const size_t classic = updated.size();
  const std::string xref_at = file.substr(file.find("startxref") + 10, file.find("\n%%EOF") - file.find("startxref") - 10);
  updated += "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 90000 /Prev " + xref_at + " >>\nstartxref\n" +
             std::to_string(classic) + "\n%%EOF\n";
  EXPECT_DOUBLE_EQ(scan_trailers(updated).object_stream_cost, 90000 + 3 * 3);
  EXPECT_DOUBLE_EQ(scan_trailers("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n")
                       .object_stream_cost,
                   0);
}

// An encrypted file's object streams cannot be measured (their data is
// encrypted); the file is read from libqpdf's decrypted copy instead.
TEST(ShapeScan, AnEncryptedFileIsKnownByItsTrailer) {
  const std::string data = "garbage that does not inflate";
  EXPECT_FALSE(scan_trailers(object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues)).encrypted);
  const ShapeProblem encrypted =
      scan_trailers(object_stream_file("/Type /ObjStm /N 3 /First 12 /Filter /FlateDecode", data, "/Size 10 /Encr#79pt 9 0 R"));
  EXPECT_TRUE(encrypted.encrypted);
  EXPECT_EQ(encrypted.message, "");
  EXPECT_FALSE(scan_trailers(object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues, "/Size 10 /Info << /Encrypt 1 >>"))
                   .encrypted)
      << "a key of a dictionary inside the trailer";
}

// What ordinary files do, which costs PoDoFo no more than the same objects
// loose: no reroute.
TEST(ShapeScan, OrdinaryFilesCostOnlyTheirEntries) {
  // Many values, each parsed once.
  std::string header, values;
  for (int k = 0; k < 1000; ++k) {
    header += "2 " + std::to_string(values.size()) + " ";
    values += "<< /A [1 2 3] /B (text) >>\n";
  }
  const std::string file = object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(header.size()), header + values);
  EXPECT_DOUBLE_EQ(scan_trailers(file).object_stream_cost, 10 + 1000 * 3 + 997 * 10);

  // The startxref of a PDF attached uncompressed: its number leads into
  // the middle of another object, where PoDoFo would find no section.
  std::string attached = file;
  attached.insert(attached.find("startxref\n"), "% an attachment's startxref\n% startxref\n% 23\n");
  EXPECT_DOUBLE_EQ(scan_trailers(attached).object_stream_cost, 10 + 1000 * 3 + 997 * 10);

  // A file saved 1,100 times: as many sections, all read.
  std::string saved = "%PDF-1.4\n";
  long long previous = -1;
  for (int k = 0; k < 1100; ++k) {
    const long long at = static_cast<long long>(saved.size());
    saved += "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1" +
             (previous >= 0 ? " /Prev " + std::to_string(previous) : std::string()) + " >>\n";
    previous = at;
  }
  saved += "startxref\n" + std::to_string(previous) + "\n%%EOF\n";
  EXPECT_DOUBLE_EQ(scan_trailers(saved).object_stream_cost, 0);
}

// What an attacker does to make PoDoFo's reading cost more than the
// entries say: each is counted all the same.
TEST(ShapeScan, ObjectStreamCostsCannotHideFromTheScan) {
  // Header pairs no entry names: 1,000 pairs, each parsing a value of 3
  // bytes and searching 3 entries, 997 of them past the entries.
  std::string header;
  for (int k = 0; k < 1000; ++k) header += "2 0 ";
  const std::string many = object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(header.size()), header + kValues);
  EXPECT_DOUBLE_EQ(scan_trailers(many).object_stream_cost, 10 + 1000 * 3 + 997 * 10 + 300 * 3 * 999 + 256 * 999);

  // The same value parsed for every pair: a big one costs its size each time.
  const std::string big = "[" + std::string(100000, '1') + "]";
  const std::string repeated = object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(header.size()), header + big);
  EXPECT_GT(scan_trailers(repeated).object_stream_cost, 1e10);

  // /N and /First behind a comment or an escape, as PoDoFo reads them.
  const std::string hidden = object_stream_file("/Type /ObjStm /N %\n 1000 /Fir#73t " + std::to_string(header.size()), header + big);
  EXPECT_GT(scan_trailers(hidden).object_stream_cost, 1e10);

  // /Size escaped or behind a comment in the trailer.
  for (const std::string size : {"/Si#7Ae 90000", "/Size %x\n90000"}) {
    EXPECT_DOUBLE_EQ(scan_trailers(object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues, size)).object_stream_cost,
                     90000 + 3 * 3)
        << size;
  }

  // A value nested deep costs its depth cubed for every pair that parses it.
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_GT(scan_trailers(object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(header.size()), header + deep))
                .object_stream_cost,
            256.0 * 999 * 200 * 200 * 200);

  // Pairs at each level of one value 200 deep: each parses the levels inside.
  std::string levels;
  for (int k = 0; k < 200; ++k) levels += "2 " + std::to_string(k) + " ";
  EXPECT_GT(scan_trailers(object_stream_file("/Type /ObjStm /N 200 /First " + std::to_string(levels.size()), levels + deep))
                .object_stream_cost,
            1e10);

  // /First as a reference, with zeros in front, or as PoDoFo's strtol reads
  // "93-": read where the scan reads it, or not measured.
  const std::string first = std::to_string(header.size());
  EXPECT_GT(scan_trailers(object_stream_file("/Type /ObjStm /N 1000 /First 000000000000000000000" + first, header + big))
                .object_stream_cost,
            1e10);
  for (const std::string& unreadable : std::vector<std::string>{"9 0 R", first + "-"}) {
    EXPECT_EQ(scan_trailers(object_stream_file("/Type /ObjStm /N 1000 /First " + unreadable, header + big)).object_stream_cost,
              HUGE_VAL)
        << unreadable;
  }
  // Header offsets longer than 18 digits, zeros in front.
  std::string padded;
  for (int k = 0; k < 1000; ++k) padded += "2 000000000000000000000000 ";
  EXPECT_GT(scan_trailers(object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(padded.size()), padded + big))
                .object_stream_cost,
            1e10);

  // The stream's entry says offset 0 (nothing there), but another entry's
  // object begins "7 0 obj": PoDoFo knows objects by their own numbers.
  std::string renumbered = object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(header.size()), header + big);
  const size_t rows = renumbered.find("stream\n", renumbered.find("/Type /XRef")) + 7;
  renumbered[rows + 4 * 7 + 1] = 0, renumbered[rows + 4 * 7 + 2] = 0;                          // object 7: offset 0
  renumbered[rows + 4 * 5] = 1, renumbered[rows + 4 * 5 + 1] = 0, renumbered[rows + 4 * 5 + 2] = 9;  // object 5: "7 0 obj"
  EXPECT_GT(scan_trailers(renumbered).object_stream_cost, 1e10);

  // A startxref the scan would not follow from the end: a second one, and
  // one after the last %%EOF, lead PoDoFo elsewhere; every one is read.
  const std::string costly = object_stream_file("/Type /ObjStm /N 1000 /First " + std::to_string(header.size()), header + big);
  const std::string decoy = costly + "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n" +
                            std::to_string(costly.size()) + "\n%%EOF\n";
  EXPECT_GT(scan_trailers(decoy).object_stream_cost, 1e10);

  // A /Size far past the entries: PoDoFo sets up every number (8,388,607
  // from a 444-byte file took 350 MB).
  EXPECT_EQ(scan_trailers(object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues, "/Size 8000000")).object_stream_cost,
            HUGE_VAL);

  // Thousands of in-use entries all giving one object (whose own number is
  // not theirs): PoDoFo's sorted insert of each is quadratic.
  std::string shared = object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues);
  std::string one_object = shared.substr(0, shared.find("1 0 obj\n<< /Type /XRef"));
  const size_t xref_at = one_object.size();
  std::string entries;
  for (int n = 0; n < 3000; ++n) entries += std::string{1, 0, 9, 0};  // every entry: offset 9, "7 0 obj"
  one_object += "1 0 obj\n<< /Type /XRef /Size 3000 /W [1 2 1] /Length " + std::to_string(entries.size()) + " >>\nstream\n" + entries +
                "\nendstream\nendobj\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  EXPECT_EQ(scan_trailers(one_object).object_stream_cost, HUGE_VAL);

  // More objects in use than the file can hold: refused outright.
  std::string millions = shared.substr(0, shared.find("1 0 obj\n<< /Type /XRef"));
  const size_t millions_at = millions.size();
  std::string in_use;
  for (int n = 0; n < 200000; ++n) in_use += std::string{1, 0, 9, 0};
  millions += "1 0 obj\n<< /Type /XRef /Size 200000 /W [1 2 1] /Filter /FlateDecode /Length " + std::to_string(compress(in_use).size()) +
              " >>\nstream\n" + compress(in_use) + "\nendstream\nendobj\nstartxref\n" + std::to_string(millions_at) + "\n%%EOF\n";
  EXPECT_NE(scan_trailers(millions).message.find("200000 objects in use"), std::string::npos) << scan_trailers(millions).message;

  // A stream the entries name that the scan cannot find, and one whose data
  // does not inflate whole (encrypted, say): not measured, so infinite.
  EXPECT_EQ(scan_trailers(object_stream_file("/Type /ObjStm /N 3 /First 12", kHeader + kValues, "/Size 10", 8)).object_stream_cost,
            HUGE_VAL);
  const std::string garbled = object_stream_file("/Type /ObjStm /N 3 /First 12 /Filter /FlateDecode", "x\x9c garbage");
  EXPECT_EQ(scan_trailers(garbled).object_stream_cost, HUGE_VAL);
}

}  // namespace
}  // namespace redact::pdf::detail
