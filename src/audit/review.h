// What a reviewer reads from verified audit logs: each document's latest
// outcome with the records that belong to it, a summary, the schedule of
// redactions, and whether a box hid a given text (with the key).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/records.h"

namespace redact::audit {

// One log, verified, with its records.
struct ReadLog {
  std::string path;
  VerifyResult verified;
  std::vector<Record> records;
};

// A document as the logs last recorded it: its document record and the
// redaction, string and signature records written just before it (a
// document run again, by --resume, is its latest run).
struct DocumentOutcome {
  DocumentRecord document;
  std::vector<RedactionRecord> redactions;  // in page order, top to bottom
  std::vector<StringRecord> strings;
  std::vector<SignatureRecord> signatures;
  // `mark`: what it proposed; `apply`: the proposals a reviewer declined.
  std::vector<ProposalRecord> proposals;
  const ReadLog* log = nullptr;  // the log that holds the document record
};

// Whether the document was written (redacted or clean): published, as
// against held for review or failed.
bool published(const DocumentRecord& document);

// The documents of `logs`, in the order they were first recorded.
std::vector<DocumentOutcome> documents_of(const std::vector<ReadLog>& logs);

// What decided a redaction, in words: "pattern country.iso3166", "a --term phrase".
std::string decided_by(const RedactionRecord& redaction);

// "72 700.5 130 712": a box's corners in points, as printed.
std::string box_text(const std::array<double, 4>& box);

enum class Format { text, json, csv, md };

// Documents by status; redactions by exemption, category and pattern; per
// document counts; held and failed documents with their reasons.
std::string summary(const std::vector<ReadLog>& logs, Format format);

// The schedule of redactions of the documents written (redacted or clean),
// one row per redaction in page order: document, item, page, box,
// exemptions, category, what decided it, characters; then the strings of
// the document that were edited. csv or md.
std::string schedule(const std::vector<ReadLog>& logs, Format format);

struct Confirmation {
  bool document_found = false;  // the logs record the document
  size_t on_page = 0;           // its redactions on the page
  std::vector<RedactionRecord> hid;  // those whose text_hmac is the text's
};

// Which redactions of `document` (as the logs name it, or its output) on
// `page` hid `text`: their text_hmac is text_hmac(key, text normalized as
// redact normalizes withheld text).
Confirmation confirm(const std::vector<ReadLog>& logs, const std::string& key, const std::string& document, int page,
                     const std::string& text);

}  // namespace redact::audit
