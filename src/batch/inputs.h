// The PDFs a command is given: files as they are, folders searched
// recursively for *.pdf (case-insensitive) in a stable order.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace redact::batch {

struct Input {
  std::string path;                // as given, or found under a folder
  std::filesystem::path relative;  // its path under the folder given, or its file name
};

std::vector<Input> find_pdfs(const std::vector<std::string>& arguments);

}  // namespace redact::batch
