#include "audit/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
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
  // A log cut after its last record's text but before its newline (a run
  // killed between the two) still verifies; the next record starts a line.
  if (mode == Mode::resume) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (in.tellg() > 0) {
      in.seekg(-1, std::ios::end);
      if (in.get() != '\n') out_ << '\n';
    }
  }
}

void AuditLog::append(nlohmann::json record) {
  record["prev"] = prev_;
  const std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string with_newline = line + '\n';  // one write: a record is never left without its newline
  out_.write(with_newline.data(), static_cast<std::streamsize>(with_newline.size()));
  out_.flush();
  if (!out_) throw Error(ErrorKind::io, Location(path_), "writing the audit log failed");
  prev_ = sha256_hex(line);
}

namespace {

// Checks the chain of `lines`, the lines of `in` read as it goes: each
// line is checked as it is read, and kept in `kept` when asked.
VerifyResult verify_stream(std::istream& in, std::vector<std::string>* kept) {
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
    if (kept) kept->push_back(line);
  }
  if (result.lines == 0) return fail("the log is empty");
  result.head = expected;
  return result;
}

}  // namespace

VerifyResult verify(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, Location(path), "cannot read the audit log");
  return verify_stream(in, nullptr);
}

bool looks_like_a_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || in.peek() == std::char_traits<char>::eof()) return true;  // absent or empty
  std::string first;
  std::getline(in, first);
  const nlohmann::json record = nlohmann::json::parse(first, nullptr, false);
  return record.is_object() && record.contains("prev");
}

std::string merge(const std::vector<std::string>& logs, const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!looks_like_a_log(out)) throw Error(ErrorKind::usage, Location(out), "exists and is not an audit log");
  nlohmann::json merged = nlohmann::json::array();
  std::vector<std::vector<nlohmann::json>> records(logs.size());
  std::string settings;
  std::set<std::string> documents;
  std::set<size_t> shards;
  size_t shard_count = 0;
  for (size_t i = 0; i < logs.size(); ++i) {
    const std::string& log = logs[i];
    if (fs::equivalent(log, out, ec)) throw Error(ErrorKind::usage, Location(out), "is one of the logs to merge");
    // The records merged are the ones verified: one reading of the file.
    std::ifstream in(log, std::ios::binary);
    if (!in) throw Error(ErrorKind::io, Location(log), "cannot read the audit log");
    std::vector<std::string> lines;
    const VerifyResult chain = verify_stream(in, &lines);
    if (!chain.ok) {
      throw Error(ErrorKind::usage, Location(log, 0, "line " + std::to_string(chain.first_bad_line)),
                  "does not verify: " + chain.reason);
    }
    std::set<std::string> here;
    size_t log_shard = 0;
    for (const std::string& line : lines) {
      nlohmann::json record = nlohmann::json::parse(line);
      const std::string type = record.value("type", "");
      if (type == "run") {
        const std::string these = record.value("settings_sha256", "");
        if (these.empty()) throw Error(ErrorKind::usage, Location(log), "has a run record without settings_sha256");
        if (settings.empty()) settings = these;
        if (these != settings) {
          throw Error(ErrorKind::usage, Location(log), "ran with other settings than " + logs.front() +
                                                           " (settings_sha256 differs): not shards of one batch");
        }
        // Every run record a shard's: K of the same N, each K once.
        size_t k = 0, n = 0;
        const std::string shard = record.value("shard", "");
        if (std::sscanf(shard.c_str(), "%zu/%zu", &k, &n) != 2 || k < 1 || k > n || (shard_count && n != shard_count)) {
          throw Error(ErrorKind::usage, Location(log), "is not the log of a shard of the same batch (its run says shard '" +
                                                           shard + "')");
        }
        shard_count = n;
        if (log_shard == 0 && shards.contains(k)) {
          throw Error(ErrorKind::usage, Location(log), "holds shard " + shard + ", which another log holds too");
        }
        if (log_shard != 0 && log_shard != k) {
          throw Error(ErrorKind::usage, Location(log), "holds runs of two shards");
        }
        log_shard = k;
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
    shards.insert(log_shard);
    merged.push_back({{"log", log}, {"head", chain.head}, {"records", chain.lines}});
  }
  if (shards.size() != shard_count) {
    throw Error(ErrorKind::usage, Location(out), "the logs hold " + std::to_string(shards.size()) + " of the " +
                                                     std::to_string(shard_count) + " shards of the batch: merge them all");
  }
  // Written under a name of its own, created here (never an existing file
  // or link), then renamed over `out`.
  std::string temporary;
  for (int attempt = 0; temporary.empty() && attempt < 100; ++attempt) {
    const std::string name = out + ".merging-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (fd >= 0) {
      ::close(fd);
      temporary = name;
    }
  }
  if (temporary.empty()) throw Error(ErrorKind::io, Location(out), "cannot be written");
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
