// Builds small PDF files byte by byte for tests, with a correct xref, so that
// each test states exactly the content stream and fonts it exercises.
#pragma once

#include <string>
#include <vector>

#include "match/matcher.h"

namespace redact::test {

// "<< /Length N extra >>\nstream\n<data>\nendstream"
std::string stream_object(const std::string& data, const std::string& extra_dict = "");

struct TestPage {
  std::string content;                   // the page's content stream
  std::string resources = "<< /Font << /F1 4 0 R >> >>";  // "": none (inherited)
  std::string extra = "";                // more page dictionary entries (may replace /Contents)
};

// A PDF whose objects are: 1 catalog, 2 page tree, 3 the Info dictionary,
// 4 a font (Helvetica unless `font4` says otherwise), then `objects` from
// number 5 on, then the pages and their content streams.
// Returns the file's bytes.
inline const std::string kHelvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
std::string build_pdf(const std::vector<TestPage>& pages, const std::vector<std::string>& objects = {},
                      const std::string& font4 = kHelvetica,
                      const std::string& info = "<< /Producer (redact tests) >>",
                      const std::string& catalog_extra = "", const std::string& pages_extra = "");

// `data` deflated and flushed (Z_SYNC_FLUSH) but never finished: zlib data
// with no end marker, as some writers leave their streams.
std::string deflate_unfinished(const std::string& data);

// The shipped pattern set (patterns/uk-foi.toml), compiled once.
const match::Matcher& shipped_matcher();

// Writes `bytes` to a fresh file under the test temp directory; returns its path.
std::string write_temp(const std::string& name, const std::string& bytes);

}  // namespace redact::test
