// The audit log: JSON Lines, one typed record per line (audit/records.h),
// each written one way only (keys sorted, no spaces: verify refuses any
// other), each carrying "prev", the SHA-256 of the previous line exactly as
// written (64 zeros for the first), so that altering, removing or
// reordering a line breaks the chain. Anyone can recompute such a chain
// after editing the log, so with a key (`--audit-key`) every line also
// carries "mac": the HMAC-SHA256, under a key derived from it (mac_key), of
// the line without its "mac"; the last line is as covered as any. A seal
// record (`--audit-sign`) signs every byte before it with Ed25519, so that
// anyone with the public key can check the lines before it, and nobody
// without the private key can make one. Neither shows a log cut short after
// a line or a seal: compare the head with the one the run printed.
//
// Records never hold withheld text. With a key, a redaction may carry
// "text_hmac" (text_hmac()), so a reviewer who holds the key can confirm
// what a box hid (`redact audit confirm`).
#pragma once

#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/records.h"
#include "core/hash.h"
#include "core/signature.h"

namespace redact::audit {

// The keys derived from a log's key, one per use, so that no MAC of one
// kind is ever a MAC (or a key) of the other: a record's "mac" is made
// under HMAC-SHA256(key, "redact audit record v1"); a text_hmac is
// HMAC-SHA256 under HMAC-SHA256(key, "redact audit text v1") of the
// normalized withheld text.
std::string mac_key(const std::string& key);
std::string text_hmac(const std::string& key, std::string_view normalized_text);

// The secret in a key file (--audit-key, --key). Throws redact::Error
// (usage) when it is empty or cannot be read.
std::string read_key(const std::string& path);

class AuditLog {
 public:
  enum class Mode { create, resume };
  // create: creates (or truncates) `path`. resume: appends to the log at
  // `path`, continuing its chain; throws redact::Error (usage) when that log
  // does not verify under `key`. Throws redact::Error (io) when it cannot
  // write. `key` not empty: every line carries its "mac" under mac_key(key).
  AuditLog(const std::string& path, Mode mode = Mode::create, const std::string& key = "");

  // Adds "prev", writes the record as one line and flushes it.
  void append(const Record& record);
  // Appends a seal: the signature of every byte written so far.
  void seal(const Ed25519Key& key);

  const std::string& path() const { return path_; }
  // The SHA-256 of the last line written (the chain's head).
  const std::string& head() const { return prev_; }
  bool keyed() const { return !mac_key_.empty(); }

 private:
  void write_line(const nlohmann::json& record);

  std::string path_;
  std::string mac_key_;
  std::ofstream out_;
  std::string prev_;
  size_t lines_ = 0;
  Sha256 bytes_;  // of everything in the file
};

struct VerifyOptions {
  std::string key;                         // every line's "mac" is checked under it
  const Ed25519Key* public_key = nullptr;  // the log must end with a seal; every seal is checked
  bool check_outputs = true;               // outputs present must still have their recorded SHA-256
};

struct VerifyResult {
  bool ok = true;
  size_t lines = 0;
  size_t first_bad_line = 0;  // 1-based, when !ok
  std::string reason;
  // The SHA-256 of the last line. A log cut short after a line still
  // verifies: compare this with the head printed when the log was written.
  std::string head;
  bool keyed = false;         // every line carries a "mac"
  bool macs_checked = false;  // against the key given
  size_t seals = 0;
  bool seals_checked = false;  // against the public key given
  bool ends_sealed = false;    // the last line is a seal
  size_t outputs_checked = 0;
  std::vector<std::string> outputs_missing;  // recorded, not found from here
};

// What a verification vouches for, in words: "chain intact, every line's
// MAC checked under the key, sealed (signature checked)".
std::string describe(const VerifyResult& result);

// Checks a log: every line's form, record shape, link and MAC, the seals, and that every
// output the log recorded and that is present still has its SHA-256. When
// `records` is given, the records read (only when the log verifies).
// Throws redact::Error (usage) when the log is keyed and neither a key nor a
// public key is given, (io) when it cannot be read.
VerifyResult verify(const std::string& path, const VerifyOptions& options = {},
                    std::vector<Record>* records = nullptr);

// Whether the file at `path` is absent, empty, or starts with an audit
// record: what may be replaced by a log.
bool looks_like_a_log(const std::string& path);

// Joins the logs of the shards of one batch (`redact run --shard`) into one
// chain at `out`: a "merge" record naming each log, its head and its record
// count, then every record of each log in the order given (seals aside:
// they sign the shard's bytes), each with a new link. The records merged are
// the ones verified, read once, under `options`: logs written under a key
// need it (the merged log is written under it too), sealed logs need the
// public key of their seal; with `sign`, the merged log is sealed. Returns the new head. Throws
// redact::Error (usage) naming the log when one does not verify, when the
// logs' runs had other settings (settings_sha256) or are not shards K/N of
// one N, when a shard is missing or repeated, when a document is in two of
// them, or when `out` is one of them or a file that is not a log; (io) when
// a file cannot be read or written. `out` is written whole or not at all.
std::string merge(const std::vector<std::string>& logs, const std::string& out, const VerifyOptions& options = {},
                  const Ed25519Key* sign = nullptr);

}  // namespace redact::audit
