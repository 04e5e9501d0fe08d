// Whole files in memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace redact {

// The bytes of the file at `path`, or nullopt when it cannot be opened or
// read to its end.
std::optional<std::string> read_file(const std::string& path);

// Writes `bytes` to `path` whole or not at all: to a new file beside it,
// then renamed over it. Throws redact::Error (io) naming `path`.
void write_file_whole(const std::string& path, std::string_view bytes);

}  // namespace redact
