#include "unit/test_pdf.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "match/pattern_set.h"

namespace redact::test {

const match::Matcher& shipped_matcher() {
  static const match::PatternSet set = match::load_pattern_set(REDACT_SOURCE_DIR "/patterns/uk-foi.toml");
  static const match::Matcher m(set);
  return m;
}

std::string deflate_unfinished(const std::string& data) {
  z_stream z{};
  if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) return "";
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  ::deflate(&z, Z_SYNC_FLUSH);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

std::string stream_object(const std::string& data, const std::string& extra_dict) {
  return "<< /Length " + std::to_string(data.size()) + " " + extra_dict + " >>\nstream\n" + data + "\nendstream";
}

std::string build_pdf(const std::vector<TestPage>& pages, const std::vector<std::string>& objects,
                      const std::string& font4, const std::string& info, const std::string& catalog_extra,
                      const std::string& pages_extra) {
  std::vector<std::string> all;
  all.push_back("<< /Type /Catalog /Pages 2 0 R " + catalog_extra + " >>");
  const size_t first_page = 5 + objects.size();
  std::string kids;
  for (size_t i = 0; i < pages.size(); ++i) kids += std::to_string(first_page + 2 * i) + " 0 R ";
  all.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " " + pages_extra + " >>");
  all.push_back(info);
  all.push_back(font4);
  for (const std::string& o : objects) all.push_back(o);
  for (size_t i = 0; i < pages.size(); ++i) {
    const size_t number = first_page + 2 * i;
    // A page whose `extra` names its own /Contents does not use the stream made for it.
    const std::string contents = pages[i].extra.find("/Contents") == std::string::npos
                                     ? " /Contents " + std::to_string(number + 1) + " 0 R "
                                     : " ";
    const std::string resources = pages[i].resources.empty() ? "" : " /Resources " + pages[i].resources;
    all.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]" + resources + contents + pages[i].extra + " >>");
    all.push_back(stream_object(pages[i].content));
  }
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < all.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + all[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(all.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(all.size() + 1) + " /Root 1 0 R /Info 3 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "redact-tests";
  std::filesystem::create_directories(dir);
  std::string unique = info ? std::string(info->test_suite_name()) + "." + info->name() + "." : "";
  std::filesystem::path path = dir / (unique + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

}  // namespace redact::test
