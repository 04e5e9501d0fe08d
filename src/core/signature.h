// Ed25519 keys (OpenSSL), for sealing an audit log: whoever holds the
// private key signs, anyone with the public key checks, nobody else forges.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace redact {

class Ed25519Key {
 public:
  // Reads a PEM file: a private key (PKCS#8, `openssl genpkey -algorithm
  // ed25519`) when `private_key`, else a public key (`openssl pkey -pubout`).
  // Throws redact::Error (usage) naming the file when it is not one.
  static Ed25519Key load(const std::string& path, bool private_key);
  ~Ed25519Key();
  Ed25519Key(Ed25519Key&&) noexcept;
  Ed25519Key& operator=(Ed25519Key&&) noexcept;

  // The signature of `message`, 128 hex digits (private keys only).
  std::string sign_hex(std::string_view message) const;
  bool verify_hex(std::string_view message, const std::string& signature_hex) const;
  // The SHA-256 of the raw 32-byte public key, in hex: which key sealed.
  const std::string& public_key_sha256() const { return fingerprint_; }

 private:
  struct Impl;
  explicit Ed25519Key(std::unique_ptr<Impl> impl, std::string fingerprint);
  std::unique_ptr<Impl> impl_;
  std::string fingerprint_;
};

}  // namespace redact
