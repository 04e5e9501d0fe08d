#include "core/file.h"

#include <fstream>
#include <sstream>

namespace redact {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad() || !buffer) return std::nullopt;
  return std::move(buffer).str();
}

}  // namespace redact
