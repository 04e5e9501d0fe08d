#include "audit/audit_log.h"

#include "core/diagnostics.h"
#include "core/hash.h"

namespace redact::audit {
namespace {

const std::string kFirstPrev(64, '0');

}  // namespace

AuditLog::AuditLog(const std::string& path, Mode mode) : path_(path), prev_(kFirstPrev) {
  if (mode == Mode::resume) {
    const VerifyResult chain = verify(path);
    if (!chain.ok) {
      throw Error(ErrorKind::usage, Location(path, 0, "line " + std::to_string(chain.first_bad_line)),
                  "the audit log to resume does not verify: " + chain.reason);
    }
    prev_ = chain.head;
  }
  out_.open(path, std::ios::binary | (mode == Mode::resume ? std::ios::app : std::ios::trunc));
  if (!out_) throw Error(ErrorKind::io, Location(path), "cannot write the audit log");
}

void AuditLog::append(nlohmann::json record) {
  record["prev"] = prev_;
  const std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out_ << line << '\n';
  out_.flush();
  if (!out_) throw Error(ErrorKind::io, Location(path_), "writing the audit log failed");
  prev_ = sha256_hex(line);
}

VerifyResult verify(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, Location(path), "cannot read the audit log");
  VerifyResult result;
  std::string expected = kFirstPrev, line;
  auto fail = [&](std::string reason) {
    result.ok = false;
    result.first_bad_line = result.lines;
    result.reason = std::move(reason);
    return result;
  };
  while (std::getline(in, line)) {
    ++result.lines;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) return fail("not a JSON object");
    if (!record.contains("prev") || !record["prev"].is_string()) return fail("no \"prev\"");
    if (record["prev"].get<std::string>() != expected) {
      return fail(result.lines == 1 ? "\"prev\" of the first line is not 64 zeros: lines before it were removed"
                                    : "\"prev\" does not match the SHA-256 of line " + std::to_string(result.lines - 1) +
                                          ": that line or this one was changed, or lines were removed or moved");
    }
    if (result.lines == 1 && record.value("type", "") != "run") return fail("the first record is not a \"run\" record");
    expected = sha256_hex(line);
  }
  if (result.lines == 0) return fail("the log is empty");
  result.head = expected;
  return result;
}

}  // namespace redact::audit
