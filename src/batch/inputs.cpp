#include "batch/inputs.h"

#include <algorithm>
#include <cctype>

namespace fs = std::filesystem;

namespace redact::batch {
namespace {

bool is_pdf(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".pdf";
}

}  // namespace

std::vector<Input> find_pdfs(const std::vector<std::string>& arguments) {
  std::vector<Input> out;
  for (const std::string& argument : arguments) {
    std::error_code ec;
    if (!fs::is_directory(argument, ec)) {
      out.push_back({argument, fs::path(argument).filename()});
      continue;
    }
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(argument, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && is_pdf(it->path())) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    for (const fs::path& p : found) out.push_back({p.string(), fs::relative(p, argument)});
  }
  return out;
}

}  // namespace redact::batch
