#include "audit/audit_log.h"

#include <filesystem>
#include <set>

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

std::string merge(const std::vector<std::string>& logs, const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  nlohmann::json merged = nlohmann::json::array();
  std::vector<std::vector<nlohmann::json>> records(logs.size());
  std::string settings;
  std::set<std::string> documents;
  for (size_t i = 0; i < logs.size(); ++i) {
    const std::string& log = logs[i];
    if (fs::equivalent(log, out, ec)) throw Error(ErrorKind::usage, Location(out), "is one of the logs to merge");
    const VerifyResult chain = verify(log);
    if (!chain.ok) {
      throw Error(ErrorKind::usage, Location(log, 0, "line " + std::to_string(chain.first_bad_line)),
                  "does not verify: " + chain.reason);
    }
    std::ifstream in(log, std::ios::binary);
    std::set<std::string> here;
    for (std::string line; std::getline(in, line);) {
      nlohmann::json record = nlohmann::json::parse(line);
      const std::string type = record.value("type", "");
      if (type == "run") {
        const std::string these = record.value("settings_sha256", "");
        if (settings.empty()) settings = these;
        if (these != settings) {
          throw Error(ErrorKind::usage, Location(log), "ran with other settings than " + logs.front() +
                                                           " (settings_sha256 differs): not shards of one batch");
        }
      }
      if (type == "document") {
        const std::string document = record.value("document", "");
        if (documents.contains(document)) {
          throw Error(ErrorKind::usage, Location(log), "records " + document + ", which another log records too");
        }
        here.insert(document);
      }
      record.erase("prev");
      records[i].push_back(std::move(record));
    }
    documents.insert(here.begin(), here.end());
    merged.push_back({{"log", log}, {"head", chain.head}, {"records", chain.lines}});
  }
  const std::string temporary = out + ".merging";
  std::string head;
  try {
    AuditLog joined(temporary);
    joined.append({{"type", "run"}, {"merged", merged}, {"settings_sha256", settings}});
    for (auto& log : records) {
      for (nlohmann::json& record : log) joined.append(std::move(record));
    }
    head = joined.head();
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
  fs::rename(temporary, out, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw Error(ErrorKind::io, Location(out), "cannot be written");
  }
  return head;
}

}  // namespace redact::audit
