// The audit log: JSON Lines, one typed record per line (audit/records.h),
// each carrying "prev", the link to the previous line exactly as written
// (64 zeros for the first), so that altering, removing or reordering a line
// breaks the chain. The link is the line's SHA-256, or with a key
// (`--audit-key`) its HMAC-SHA256 under a key derived from it
// (chain_key), which nobody without the key can recompute after editing
// the log. A seal record (`--audit-sign`) signs every byte before it with
// Ed25519, so that anyone with the public key can check the log, its last
// line included, and nobody without the private key can forge one.
//
// Records never hold withheld text. With a key, a redaction may carry
// "text_hmac": the HMAC-SHA256 under the key itself of the normalized
// withheld text, so a reviewer who holds the key can confirm what a box hid
// (`redact audit confirm`).
#pragma once

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "audit/records.h"
#include "core/hash.h"
#include "core/signature.h"

namespace redact::audit {

// The key the chain's links are made with: HMAC-SHA256(key, "redact audit
// chain v1"), so that a link is never the text_hmac of anything.
std::string chain_key(const std::string& key);

// The secret in a key file (--audit-key, --key). Throws redact::Error
// (usage) when it is empty or cannot be read.
std::string read_key(const std::string& path);

class AuditLog {
 public:
  enum class Mode { create, resume };
  // create: creates (or truncates) `path`. resume: appends to the log at
  // `path`, continuing its chain; throws redact::Error (usage) when that log
  // does not verify under `key`. Throws redact::Error (io) when it cannot
  // write. `key` empty: the chain is SHA-256; else HMAC under chain_key(key).
  AuditLog(const std::string& path, Mode mode = Mode::create, const std::string& key = "");

  // Adds "prev", writes the record as one line and flushes it.
  void append(const Record& record);
  // Appends a seal: the signature of every byte written so far.
  void seal(const Ed25519Key& key);

  const std::string& path() const { return path_; }
  // The link to the last line written (the chain's head).
  const std::string& head() const { return prev_; }
  bool keyed() const { return !chain_key_.empty(); }

 private:
  void write_line(const nlohmann::json& record);

  std::string path_;
  std::string chain_key_;
  std::ofstream out_;
  std::string prev_;
  size_t lines_ = 0;
  Sha256 bytes_;  // of everything in the file
};

struct VerifyOptions {
  std::string key;                         // the chain is checked as HMAC under it
  const Ed25519Key* public_key = nullptr;  // the log must end with a seal; every seal is checked
  bool check_outputs = true;               // outputs present must still have their recorded SHA-256
};

struct VerifyResult {
  bool ok = true;
  size_t lines = 0;
  size_t first_bad_line = 0;  // 1-based, when !ok
  std::string reason;
  // The link of the last line. Without a seal, a chain cannot show a change
  // to its own last line: compare this with the head printed when the log
  // was written.
  std::string head;
  bool keyed = false;          // the chain is HMAC under a key
  bool chain_checked = false;  // the links were checked (not: keyed, no key given)
  size_t seals = 0;
  bool seals_checked = false;  // against the public key given
  bool ends_sealed = false;    // the last line is a seal
  size_t outputs_checked = 0;
  std::vector<std::string> outputs_missing;  // recorded, not found from here
};

// Checks a log: every record's shape and link, the seals, and that every
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
// the ones verified, read once, under `options` (their key: the merged log
// is chained under it too; seals are checked when a public key is given);
// with `sign`, the merged log is sealed. Returns the new head. Throws
// redact::Error (usage) naming the log when one does not verify, when the
// logs' runs had other settings (settings_sha256) or are not shards K/N of
// one N, when a shard is missing or repeated, when a document is in two of
// them, or when `out` is one of them or a file that is not a log; (io) when
// a file cannot be read or written. `out` is written whole or not at all.
std::string merge(const std::vector<std::string>& logs, const std::string& out, const VerifyOptions& options = {},
                  const Ed25519Key* sign = nullptr);

}  // namespace redact::audit
