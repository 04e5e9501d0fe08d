#include "audit/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "core/diagnostics.h"
#include "core/file.h"
#include "core/hash.h"

namespace redact::audit {
namespace {

const std::string kFirstPrev(64, '0');

// A record as one line, exactly as the log writes it (keys sorted, no
// spaces): verify refuses any line that is not written this way.
std::string canonical(const nlohmann::json& record) {
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_hex64(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string read_key(const std::string& path) {
  std::string key = read_file(path).value_or("");
  if (key.empty()) throw Error(ErrorKind::usage, Location(path), "the key file is empty or unreadable");
  return key;
}

std::string mac_key(const std::string& key) { return hmac_sha256_hex(key, "redact audit record v1"); }

std::string text_hmac(const std::string& key, std::string_view normalized_text) {
  return hmac_sha256_hex(hmac_sha256_hex(key, "redact audit text v1"), normalized_text);
}

AuditLog::AuditLog(const std::string& path, Mode mode, const std::string& key)
    : path_(path), mac_key_(key.empty() ? "" : mac_key(key)), prev_(kFirstPrev) {
  if (mode == Mode::resume) {
    VerifyOptions options;
    options.key = key;
    options.check_outputs = false;
    const VerifyResult chain = verify(path, options);
    if (!chain.ok) {
      throw Error(ErrorKind::usage, Location(path, 0, "line " + std::to_string(chain.first_bad_line)),
                  "the audit log to resume does not verify: " + chain.reason);
    }
    if (chain.keyed != keyed()) {
      throw Error(ErrorKind::usage, Location(path), chain.keyed ? "the audit log to resume is written under a key: give --audit-key"
                                                                : "the audit log to resume is not written under a key: "
                                                                  "resume it without --audit-key, or start a new log");
    }
    prev_ = chain.head;
    lines_ = chain.lines;
  }
  char last = '\n';
  if (mode == Mode::resume) {
    // Every byte so far, for the next seal, read a piece at a time.
    std::ifstream in(path, std::ios::binary);
    std::string piece(1 << 20, '\0');
    while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
      bytes_.update(std::string_view(piece.data(), static_cast<size_t>(in.gcount())));
      last = piece[static_cast<size_t>(in.gcount()) - 1];
    }
  }
  out_.open(path, std::ios::binary | (mode == Mode::resume ? std::ios::app : std::ios::trunc));
  if (!out_) throw Error(ErrorKind::io, Location(path), "cannot write the audit log");
  // A log cut after its last record's text but before its newline (a run
  // killed between the two) still verifies; the next record starts a line.
  if (last != '\n') {
    out_ << '\n';
    bytes_.update("\n");
  }
}

void AuditLog::append(const Record& record) { write_line(to_json(record)); }

void AuditLog::seal(const Ed25519Key& key) {
  SealRecord seal;
  seal.log_sha256 = bytes_.hex();
  seal.records = lines_;
  seal.public_key_sha256 = key.public_key_sha256();
  seal.signature = key.sign_hex(kSealContext + seal.log_sha256);
  write_line(to_json(seal));
}

void AuditLog::write_line(const nlohmann::json& record) {
  nlohmann::json linked = record;
  linked["prev"] = prev_;
  if (keyed()) linked["mac"] = hmac_sha256_hex(mac_key_, canonical(linked));
  const std::string line = canonical(linked);
  const std::string with_newline = line + '\n';  // one write: a record is never left without its newline
  out_.write(with_newline.data(), static_cast<std::streamsize>(with_newline.size()));
  out_.flush();
  if (!out_) throw Error(ErrorKind::io, Location(path_), "writing the audit log failed");
  prev_ = sha256_hex(line);
  bytes_.update(with_newline);
  ++lines_;
}

namespace {

// Checks the log read from `in`, line by line as it is read; keeps the
// records read in `kept` when asked.
VerifyResult verify_stream(std::istream& in, const std::string& path, const VerifyOptions& options,
                           std::vector<Record>* kept) {
  VerifyResult result;
  const std::string key = options.key.empty() ? "" : mac_key(options.key);
  std::string expected = kFirstPrev, line;
  std::string chain;  // of the first record
  Sha256 bytes;       // of the lines before this one
  // Each document's output by its latest record: path, SHA-256, line.
  struct Written {
    std::optional<std::string> output;
    std::string sha256;
    size_t line = 0;
  };
  std::map<std::string, Written> outputs;
  auto fail = [&](std::string reason) {
    result.ok = false;
    result.first_bad_line = result.lines;
    result.reason = std::move(reason);
    return result;
  };
  while (std::getline(in, line)) {
    ++result.lines;
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return fail("not a JSON object");
    if (!json.contains("prev") || !json["prev"].is_string()) return fail("no \"prev\"");
    // One way to write each record: no key twice, no spacing, escapes or
    // order of keys of its own, nowhere for anything to hide.
    if (canonical(json) != line) {
      return fail("the line is not written as redact writes records (a key twice, or other spacing, escapes or order)");
    }
    std::optional<Record> record;
    try {
      record = record_from_json(json);
    } catch (const RecordError& e) {
      return fail(std::string("a record of the wrong shape: ") + e.what());
    }
    const auto* run = std::get_if<RunRecord>(&*record);
    const auto* merge = std::get_if<MergeRecord>(&*record);
    const std::string* record_chain = run ? &run->chain : merge ? &merge->chain : nullptr;
    if (result.lines == 1) {
      if (!record_chain) return fail("the first record is not a \"run\" or \"merge\" record");
      chain = *record_chain;
      result.keyed = chain == kChainHmac;
      if (result.keyed && key.empty() && !options.public_key) {
        throw Error(ErrorKind::usage, Location(path),
                    "is written under a key (--audit-key): give the key it was written with (redact audit --key, "
                    "redact run --audit-key), or the public key of its seal (--public-key)");
      }
      if (!result.keyed && !key.empty()) {
        return fail("the log is not written under a key (its first record says \"" + chain +
                    "\"): it was written without --audit-key, or rewritten by someone without the key");
      }
      result.macs_checked = result.keyed && !key.empty();
    } else if (record_chain && *record_chain != chain) {
      return fail("this run's records are linked otherwise (\"" + *record_chain + "\") than the log's first (\"" +
                  chain + "\")");
    }
    if (json["prev"].get<std::string>() != expected) {
      return fail(result.lines == 1 ? "\"prev\" of the first line is not 64 zeros: lines before it were removed"
                                    : "\"prev\" does not match the SHA-256 of line " + std::to_string(result.lines - 1) +
                                          ": that line or this one was changed, or lines were removed or moved");
    }
    // Under a key, each line carries the MAC of itself (without the MAC):
    // the last line too, and nobody without the key can make one.
    const auto mac = json.find("mac");
    if (!result.keyed && mac != json.end()) return fail("a \"mac\" in a log not written under a key");
    if (result.keyed) {
      if (mac == json.end() || !mac->is_string() || !is_hex64(mac->get<std::string>())) return fail("no \"mac\"");
      if (result.macs_checked) {
        nlohmann::json unsigned_line = json;
        unsigned_line.erase("mac");
        if (hmac_sha256_hex(key, canonical(unsigned_line)) != mac->get<std::string>()) {
          return fail("the line's \"mac\" is not its HMAC under the key: the line was changed, or the key is not the "
                      "one the log was written with");
        }
      }
    }
    if (const auto* seal = std::get_if<SealRecord>(&*record)) {
      ++result.seals;
      if (seal->records != result.lines - 1 || seal->log_sha256 != bytes.hex()) {
        return fail("the seal does not describe the lines before it: lines were changed, added or removed");
      }
      if (options.public_key) {
        if (seal->public_key_sha256 != options.public_key->public_key_sha256()) {
          return fail("the seal was made with another key than the public key given");
        }
        if (!options.public_key->verify_hex(kSealContext + seal->log_sha256, seal->signature)) {
          return fail("the seal's signature does not verify: the lines before it are not the ones signed");
        }
      }
    }
    if (const auto* document = std::get_if<DocumentRecord>(&*record)) {
      outputs[document->document] = {document->output, document->output_sha256.value_or(""), result.lines};
    }
    expected = sha256_hex(line);
    bytes.update(line);
    bytes.update("\n");
    result.ends_sealed = std::holds_alternative<SealRecord>(*record);
    if (kept) kept->push_back(std::move(*record));
  }
  if (result.lines == 0) return fail("the log is empty");
  result.seals_checked = options.public_key != nullptr;
  if (options.public_key && !result.ends_sealed) {
    return fail(result.seals == 0 ? "the log is not sealed: it was written without --audit-sign, or rewritten"
                                  : "lines were added after the last seal");
  }
  result.head = expected;
  if (options.check_outputs) {
    for (const auto& [document, recorded] : outputs) {
      if (!recorded.output) continue;
      const std::string& output = *recorded.output;
      std::error_code ec;
      if (!std::filesystem::is_regular_file(output, ec)) {
        result.outputs_missing.push_back(output);
        continue;
      }
      const std::optional<std::string> now = read_file(output);
      if (!now) throw Error(ErrorKind::io, Location(output), "cannot be read to check it against the audit log");
      ++result.outputs_checked;
      const std::string sha256 = sha256_hex(*now);
      if (sha256 != recorded.sha256) {
        result.ok = false;
        result.first_bad_line = recorded.line;
        result.reason = "the output " + output + " was changed after the run: its SHA-256 is " + sha256 +
                        ", the log records " + recorded.sha256;
        return result;
      }
    }
  }
  return result;
}

}  // namespace

std::string describe(const VerifyResult& v) {
  std::string text = "chain intact";
  if (v.keyed) text += v.macs_checked ? ", every line's MAC checked under the key" : ", MACs not checked without the key";
  if (v.ends_sealed) text += v.seals_checked ? ", sealed (signature checked)" : ", sealed (give --public-key to check the seal)";
  return text;
}

VerifyResult verify(const std::string& path, const VerifyOptions& options, std::vector<Record>* records) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, Location(path), "cannot read the audit log");
  VerifyResult result = verify_stream(in, path, options, records);
  if (!result.ok && records) records->clear();
  return result;
}

bool looks_like_a_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || in.peek() == std::char_traits<char>::eof()) return true;  // absent or empty
  std::string first;
  std::getline(in, first);
  const nlohmann::json record = nlohmann::json::parse(first, nullptr, false);
  return record.is_object() && record.contains("prev");
}

std::string merge(const std::vector<std::string>& logs, const std::string& out, const VerifyOptions& options,
                  const Ed25519Key* sign) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!looks_like_a_log(out)) throw Error(ErrorKind::usage, Location(out), "exists and is not an audit log");
  MergeRecord merged;
  std::vector<std::vector<Record>> records(logs.size());
  std::set<std::string> documents;
  std::set<size_t> shards;
  size_t shard_count = 0;
  bool keyed = false;
  for (size_t i = 0; i < logs.size(); ++i) {
    const std::string& log = logs[i];
    if (fs::equivalent(log, out, ec)) throw Error(ErrorKind::usage, Location(out), "is one of the logs to merge");
    // The records merged are the ones verified: one reading of the file.
    VerifyOptions shard_options = options;
    shard_options.check_outputs = false;
    const VerifyResult chain = verify(log, shard_options, &records[i]);
    if (!chain.ok) {
      throw Error(ErrorKind::usage, Location(log, 0, "line " + std::to_string(chain.first_bad_line)),
                  "does not verify: " + chain.reason);
    }
    if (chain.keyed && !chain.macs_checked) {
      throw Error(ErrorKind::usage, Location(log), "is written under a key: give it with --key to merge");
    }
    // A seal vouches for nothing until it is checked; merged, it would be
    // replaced by a new one over whatever its log now says.
    if (chain.seals > 0 && !chain.seals_checked) {
      throw Error(ErrorKind::usage, Location(log), "is sealed: give the public key of its seal with --public-key to merge");
    }
    if (i > 0 && chain.keyed != keyed) {
      throw Error(ErrorKind::usage, Location(log), "is chained otherwise than " + logs.front() + ": not shards of one batch");
    }
    keyed = chain.keyed;
    std::set<std::string> here;
    size_t log_shard = 0;
    for (const Record& record : records[i]) {
      if (std::holds_alternative<MergeRecord>(record)) {
        throw Error(ErrorKind::usage, Location(log), "is a merged log: merge the shards' own logs");
      }
      if (const auto* run = std::get_if<RunRecord>(&record)) {
        if (merged.settings_sha256.empty()) merged.settings_sha256 = run->settings_sha256;
        if (run->settings_sha256 != merged.settings_sha256) {
          throw Error(ErrorKind::usage, Location(log), "ran with other settings than " + logs.front() +
                                                           " (settings_sha256 differs): not shards of one batch");
        }
        // Every run record a shard's: K of the same N, each K once.
        size_t k = 0, n = 0;
        const std::string shard = run->shard.value_or("");
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
      if (const auto* document = std::get_if<DocumentRecord>(&record)) {
        if (documents.contains(document->document)) {
          throw Error(ErrorKind::usage, Location(log), "records " + document->document + ", which another log records too");
        }
        here.insert(document->document);
      }
    }
    documents.insert(here.begin(), here.end());
    shards.insert(log_shard);
    merged.merged.push_back({log, chain.head, chain.lines});
  }
  if (shards.size() != shard_count) {
    throw Error(ErrorKind::usage, Location(out), "the logs hold " + std::to_string(shards.size()) + " of the " +
                                                     std::to_string(shard_count) + " shards of the batch: merge them all");
  }
  merged.chain = keyed ? kChainHmac : kChainSha256;
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
    AuditLog joined(temporary, AuditLog::Mode::create, options.key);
    joined.append(merged);
    for (const auto& log : records) {
      for (const Record& record : log) {
        if (!std::holds_alternative<SealRecord>(record)) joined.append(record);
      }
    }
    if (sign) joined.seal(*sign);
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
