// SHA-256 and HMAC-SHA256 (OpenSSL), as lower-case hex.
#pragma once

#include <string>
#include <string_view>

namespace redact {

std::string sha256_hex(std::string_view bytes);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// SHA-256 of bytes given piece by piece; hex() may be asked at any point
// and the hashing goes on.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex() const;  // of everything so far

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace redact
