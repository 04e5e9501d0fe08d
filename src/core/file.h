// Whole files in memory.
#pragma once

#include <optional>
#include <string>

namespace redact {

// The bytes of the file at `path`, or nullopt when it cannot be opened or
// read to its end.
std::optional<std::string> read_file(const std::string& path);

}  // namespace redact
