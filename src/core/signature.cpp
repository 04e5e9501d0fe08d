#include "core/signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <vector>

#include "core/diagnostics.h"
#include "core/file.h"
#include "core/hash.h"

namespace redact {

struct Ed25519Key::Impl {
  EVP_PKEY* key = nullptr;
  bool is_private = false;
  ~Impl() { EVP_PKEY_free(key); }
};

Ed25519Key::Ed25519Key(std::unique_ptr<Impl> impl, std::string fingerprint)
    : impl_(std::move(impl)), fingerprint_(std::move(fingerprint)) {}
Ed25519Key::~Ed25519Key() = default;
Ed25519Key::Ed25519Key(Ed25519Key&&) noexcept = default;
Ed25519Key& Ed25519Key::operator=(Ed25519Key&&) noexcept = default;

Ed25519Key Ed25519Key::load(const std::string& path, bool private_key) {
  const std::optional<std::string> pem = read_file(path);
  if (!pem) throw Error(ErrorKind::usage, Location(path), "cannot be read");
  auto impl = std::make_unique<Impl>();
  impl->is_private = private_key;
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  impl->key = private_key ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                          : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  const char* wanted = private_key ? "an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)"
                                   : "an Ed25519 public key in PEM (openssl pkey -pubout)";
  if (!impl->key || EVP_PKEY_id(impl->key) != EVP_PKEY_ED25519) {
    throw Error(ErrorKind::usage, Location(path), std::string("is not ") + wanted);
  }
  unsigned char raw[32];
  size_t length = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(impl->key, raw, &length) != 1 || length != sizeof raw) {
    throw Error(ErrorKind::usage, Location(path), std::string("is not ") + wanted);
  }
  return Ed25519Key(std::move(impl), sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), length)));
}

std::string Ed25519Key::sign_hex(std::string_view message) const {
  std::vector<unsigned char> signature(64);
  size_t length = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && impl_->is_private && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->key) == 1 &&
                  EVP_DigestSign(ctx, signature.data(), &length,
                                 reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || length != 64) throw Error(ErrorKind::usage, Location(), "signing with the Ed25519 key failed");
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : signature) {
    hex.push_back(digits[b >> 4]);
    hex.push_back(digits[b & 15]);
  }
  return hex;
}

bool Ed25519Key::verify_hex(std::string_view message, const std::string& signature_hex) const {
  if (signature_hex.size() != 128) return false;
  std::vector<unsigned char> signature;
  for (size_t i = 0; i < signature_hex.size(); i += 2) {
    const auto nibble = [](char c) { return c >= 'a' ? c - 'a' + 10 : c - '0'; };
    signature.push_back(static_cast<unsigned char>(nibble(signature_hex[i]) * 16 + nibble(signature_hex[i + 1])));
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, impl_->key) == 1 &&
                  EVP_DigestVerify(ctx, signature.data(), signature.size(),
                                   reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace redact
