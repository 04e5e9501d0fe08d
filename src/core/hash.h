// SHA-256 and HMAC-SHA256 (OpenSSL), as lower-case hex.
#pragma once

#include <string>
#include <string_view>

namespace redact {

std::string sha256_hex(std::string_view bytes);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace redact
