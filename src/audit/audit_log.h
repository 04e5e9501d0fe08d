// The audit log: JSON Lines, one record per line, each carrying "prev", the
// SHA-256 (hex) of the previous line exactly as written (64 zeros for the
// first), so that altering, removing or reordering a line breaks the chain.
//
// Records never hold withheld text. With a key, a redaction may carry
// "text_hmac": the HMAC-SHA256 of the normalized withheld text, so a
// reviewer who holds the key can confirm what a box hid.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace redact::audit {

class AuditLog {
 public:
  enum class Mode { create, resume };
  // create: creates (or truncates) `path`. resume: appends to the log at
  // `path`, continuing its chain; throws redact::Error (usage) when that log
  // does not verify. Throws redact::Error (io) when it cannot write.
  explicit AuditLog(const std::string& path, Mode mode = Mode::create);

  // Adds "prev", writes the record as one line and flushes it.
  void append(nlohmann::json record);

  const std::string& path() const { return path_; }
  // The SHA-256 of the last line written (the chain's head).
  const std::string& head() const { return prev_; }

 private:
  std::string path_;
  std::ofstream out_;
  std::string prev_;
};

struct VerifyResult {
  bool ok = true;
  size_t lines = 0;
  size_t first_bad_line = 0;  // 1-based, when !ok
  std::string reason;
  // The SHA-256 of the last line. A chain cannot show a change to its own
  // last line: compare this with the head printed when the log was written.
  std::string head;
};

// Checks the chain of a log. Throws redact::Error (io) when it cannot be read.
VerifyResult verify(const std::string& path);

// Whether the file at `path` is absent, empty, or starts with an audit
// record: what may be replaced by a log.
bool looks_like_a_log(const std::string& path);

// Joins the logs of the shards of one batch (`redact run --shard`) into one
// chain at `out`: a "run" record naming each log, its head and its record
// count ("merged"), then every record of each log in the order given, each
// with a new "prev" (the records verified, read once). Returns the new
// head. Throws redact::Error (usage) naming the log when one does not
// verify, when the logs' runs had other settings (settings_sha256) or are
// not shards K/N of one N, when a shard is missing or repeated, when a
// document is in two of them, or when `out` is one of them or a file that
// is not a log; (io) when a file cannot be read or written. `out` is
// written whole or not at all.
std::string merge(const std::vector<std::string>& logs, const std::string& out);

}  // namespace redact::audit
