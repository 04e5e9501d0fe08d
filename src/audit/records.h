// The records of the audit log, one C++ type each, with one JSON form.
// Writing goes through to_json and reading through record_from_json, which
// refuses a record of the wrong shape (a missing or mistyped field, a value
// out of range, a field no record of that type has), so that `audit verify`
// checks every record against its type and nothing but what the type names
// (never withheld text) can sit in a log that verifies.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace redact::audit {

// How the log's lines are linked: "prev" (the SHA-256 of the line before)
// alone, or with a "mac" on every line, HMAC-SHA256 under a key
// (`--audit-key`), which nobody without the key can make (audit_log.h).
inline constexpr const char* kChainSha256 = "sha256";
inline constexpr const char* kChainHmac = "hmac-sha256";

struct RunOptions {
  bool labels = true;
  size_t terms = 0;  // how many --term phrases (never the phrases)
  std::vector<std::string> term_exemptions;
  std::vector<std::string> keep;  // phrases never redacted
  bool text_hmac = false;         // redactions carry text_hmac
};

// One `redact run` (or `mark`, or `apply`) into this log.
struct RunRecord {
  std::optional<std::string> command;  // "mark" or "apply"; none for `run`
  std::string version;          // of redact
  std::string icu;              // of ICU: normalization and the gazetteer's country names
  std::string patterns;         // the pattern file
  std::string patterns_sha256;  // of its bytes ("" with --no-patterns)
  std::string settings_sha256;  // of everything that decides an output's bytes (--resume)
  std::string chain = kChainSha256;
  RunOptions options;
  std::string started;               // ISO 8601, UTC
  std::optional<std::string> shard;  // "K/N"
  std::optional<size_t> resumed_skipped;  // --resume: documents done earlier
};

// `redact audit merge`: the shard logs joined after it.
struct MergedLog {
  std::string log, head;
  size_t records = 0;
};
struct MergeRecord {
  std::vector<MergedLog> merged;
  std::string settings_sha256;
  std::string chain = kChainSha256;
};

// A box of text on a page, and what decided it: what a redaction and a
// proposal record both say.
struct BoxFields {
  std::string document;               // the input, as named on the command line
  std::optional<std::string> output;  // null when the document was not written
  int page = 1;
  std::array<double, 4> box{};  // x0 y0 x1 y1, PDF points in page space
  std::string category;
  std::string pattern;          // its id ("term" for --term phrases, "" for a reviewer's mark)
  std::string rule;             // what decided it: "pattern", "term" or "reviewer" (a mark of a person's)
  std::string patterns_sha256;  // of the pattern set the pattern came from ("" with --no-patterns)
  std::vector<std::string> exemptions;
  size_t chars = 0;  // characters withheld
  std::optional<std::string> text_hmac;  // HMAC-SHA256 of the normalized text, with a key
};
// One box of withheld text removed from a page.
struct RedactionRecord : BoxFields {
  // `redact apply`: what the reviewer did with the region: "kept" (a
  // proposal left as it was), "changed" (a proposal moved, resized or
  // relabelled), "added" (a mark of the reviewer's or another tool's); the
  // mark's /NM, and for a mark a person touched its /T (author) and /M
  // (date) where it has them.
  std::optional<std::string> decision, proposal, author, date;
};
// A region `redact mark` proposed (decision "proposed", in the marked
// file as the /Redact annotation `proposal`), or one a reviewer deleted
// before `redact apply` ("declined": its text stays in the output). Its
// rule is "pattern" or "term".
struct ProposalRecord : BoxFields {
  std::string proposal;  // the annotation's /NM
  std::string decision;  // "proposed" or "declined"
};
// A string of the document (a form value, a link, a bookmark...) edited.
struct StringRecord {
  std::string document;
  std::optional<std::string> output;
  std::string object;  // "12 0"
  std::string key;     // "V", "URI", ...
  std::string action;  // "cut" (the rest kept), "removed", "blanked" or "renamed" (a named destination)
  std::string category, pattern;
  std::vector<std::string> exemptions;
};

// A digital signature removed.
struct SignatureRecord {
  std::string document;
  std::optional<std::string> output;
  std::string object, action, why;
};

// The end of one document: what became of it.
struct DocumentRecord {
  std::string document;
  std::optional<std::string> output;
  std::string status;  // redacted, clean, marked (`redact mark`), needs_review, failed
  std::optional<std::string> reason;
  int pages = 0;
  size_t redactions = 0, strings_changed = 0, signatures_removed = 0;
  std::optional<std::string> input_sha256;  // of the bytes read; null when none could be
  std::vector<std::string> input_notes;     // "repaired by libqpdf (...)", ...
  std::optional<std::string> output_sha256;
  std::optional<size_t> output_size;
  bool earlier_output_removed = false;
  std::optional<std::string> marked_copy;  // --marked-copy: where it went (it holds the withheld text)
};

// An Ed25519 signature over every byte of the log before this line.
struct SealRecord {
  std::string log_sha256;  // SHA-256 of the bytes before this line
  size_t records = 0;      // lines before this one
  std::string public_key_sha256;  // of the raw 32-byte public key
  std::string signature;          // hex, over kSealContext + log_sha256
};
inline constexpr const char* kSealContext = "redact audit seal v1\n";

using Record = std::variant<RunRecord, MergeRecord, RedactionRecord, StringRecord, SignatureRecord, DocumentRecord,
                            SealRecord, ProposalRecord>;

// A record that does not have the shape of its type: what is wrong with it.
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The record's JSON form, without "prev" and "mac" (AuditLog adds them).
nlohmann::json to_json(const Record& record);
// Reads a record ("prev" and "mac" aside). Throws RecordError.
Record record_from_json(const nlohmann::json& json);

// The record's "type".
const char* type_of(const Record& record);

}  // namespace redact::audit
