#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "core/diagnostics.h"
#include "core/hash.h"
#include "unit/test_pdf.h"

namespace redact::audit {
namespace {

using redact::hmac_sha256_hex;
using redact::sha256_hex;

// Test keys (openssl genpkey -algorithm ed25519; openssl pkey -pubout).
constexpr const char* kPrivateKey =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIP4jFvy3w3L+Ih/fwKp2t8t1YfBh3KlxvcEAFyMg1fCm\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAJzxJewOypaMsuqG2eZSQegZ6tSy641U7H7Mwb3eOUfo=\n"
    "-----END PUBLIC KEY-----\n";
constexpr const char* kOtherPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEApS5Dwhh5kUjIB4MZJLQA1wuf+YCmVZ9TjpHFdPJJRUY=\n"
    "-----END PUBLIC KEY-----\n";

const std::string kSha(64, 'a');

RunRecord a_run(const std::string& chain = kChainSha256) {
  RunRecord run;
  run.version = "test";
  run.icu = "72.1";
  run.patterns = "patterns/uk-foi.toml";
  run.patterns_sha256 = kSha;
  run.settings_sha256 = kSha;
  run.chain = chain;
  run.started = "2026-12-02T12:00:00Z";
  return run;
}

RedactionRecord a_redaction(int page) {
  RedactionRecord r;
  r.document = "a.pdf";
  r.output = "out/a.pdf";
  r.page = page;
  r.box = {10, 20, 110, 32};
  r.category = "country";
  r.pattern = "country";
  r.rule = "pattern";
  r.patterns_sha256 = kSha;
  r.exemptions = {"s27(1)(a)"};
  r.chars = 6;
  return r;
}

DocumentRecord a_document(const std::string& status = "redacted") {
  DocumentRecord d;
  d.document = "a.pdf";
  d.status = status;
  d.pages = 3;
  d.redactions = 1;
  d.input_sha256 = kSha;
  if (status == "redacted" || status == "clean") {
    d.output = "out/a.pdf";
    d.output_sha256 = kSha;
    d.output_size = 1234;
  } else {
    d.reason = "page 2 is an image of text";
  }
  return d;
}

std::string write_log(const std::string& key = "", const std::string& name = "audit.jsonl") {
  const std::string path = test::write_temp(name, "");
  AuditLog log(path, AuditLog::Mode::create, key);
  log.append(a_run(key.empty() ? kChainSha256 : kChainHmac));
  log.append(a_redaction(1));
  log.append(a_document());
  return path;
}

VerifyOptions no_outputs() {
  VerifyOptions options;
  options.check_outputs = false;
  return options;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const std::string& line : lines) out << line << '\n';
}

TEST(AuditLog, AFreshLogVerifies) {
  const std::string path = write_log();
  VerifyResult result = verify(path, no_outputs());
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.lines, 3u);
  EXPECT_EQ(result.head, sha256_hex(lines_of(path).back()));
  EXPECT_EQ(nlohmann::json::parse(lines_of(path)[0])["prev"], std::string(64, '0'));
}

TEST(AuditLog, AnAlteredLineBreaksTheChainAtTheNext) {
  const std::string path = write_log();
  auto lines = lines_of(path);
  lines[1].replace(lines[1].find("country"), 7, "COUNTRY");
  write_lines(path, lines);
  VerifyResult result = verify(path, no_outputs());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 3u);
  EXPECT_NE(result.reason.find("line 2"), std::string::npos);
}

TEST(AuditLog, AnAlteredPrevOrARemovedLineIsFound) {
  const std::string path = write_log();
  auto lines = lines_of(path);
  write_lines(path, {lines[0], lines[2]});
  EXPECT_EQ(verify(path, no_outputs()).first_bad_line, 2u);
  write_lines(path, {lines[1], lines[2]});
  EXPECT_EQ(verify(path, no_outputs()).first_bad_line, 1u);
  write_lines(path, {lines[0], "not json", lines[2]});
  EXPECT_EQ(verify(path, no_outputs()).first_bad_line, 2u);
}

TEST(AuditLog, AChangedLastLineChangesTheHead) {
  const std::string path = write_log();
  const std::string head = verify(path, no_outputs()).head;
  auto lines = lines_of(path);
  lines[2].replace(lines[2].find("\"pages\":3"), 9, "\"pages\":4");
  write_lines(path, lines);
  VerifyResult result = verify(path, no_outputs());
  EXPECT_TRUE(result.ok);
  EXPECT_NE(result.head, head);
}

TEST(AuditLog, HmacIsTheStandardOne) {
  // RFC 4231, test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(AuditLog, ResumingContinuesTheChain) {
  const std::string path = write_log();
  const std::string head = verify(path, no_outputs()).head;
  {
    AuditLog log(path, AuditLog::Mode::resume);
    EXPECT_EQ(log.head(), head);
    log.append(a_run());
    log.append(a_document("clean"));
  }
  const VerifyResult result = verify(path, no_outputs());
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.lines, 5u);
  EXPECT_EQ(nlohmann::json::parse(lines_of(path)[3])["prev"], head);
}

TEST(AuditLog, ResumingABrokenLogIsRefused) {
  const std::string path = write_log();
  std::vector<std::string> lines = lines_of(path);
  lines[1].replace(lines[1].find("country"), 7, "COUNTRY");
  write_lines(path, lines);
  EXPECT_THROW(AuditLog(path, AuditLog::Mode::resume), Error);
  EXPECT_EQ(lines_of(path), lines);  // untouched
}

TEST(AuditLog, EveryRecordReadsBackAsWritten) {
  RunRecord run = a_run(kChainHmac);
  run.shard = "2/3";
  run.resumed_skipped = 4;
  run.options.term_exemptions = {"s40(2)"};
  RedactionRecord redaction = a_redaction(2);
  redaction.text_hmac = kSha;
  RedactionRecord added = a_redaction(3);
  added.rule = "reviewer";
  added.pattern = "";
  added.decision = "added";
  added.proposal = "3f2c";
  added.author = "A. Reviewer";
  added.date = "D:20261202101800Z";
  RunRecord apply = a_run(kChainSha256);
  apply.command = "apply";
  DocumentRecord marked = a_document("redacted");
  marked.status = "marked";
  const std::vector<Record> records = {run,
                                       apply,
                                       MergeRecord{{{"a.jsonl", kSha, 3}}, kSha, kChainSha256},
                                       redaction,
                                       added,
                                       ProposalRecord{{"a.pdf", "out/a.pdf", 1, {1, 2, 3, 4}, "country", "country.iso3166",
                                                       "pattern", kSha, {"s27(1)(a)"}, 6, kSha},
                                                      "redact-proposal-1",
                                                      "declined"},
                                       marked,
                                       // Every action redact takes on a string (a cut kept the rest).
                                       StringRecord{"a.pdf", "out/a.pdf", "12 0", "V", "blanked", "name", "person", {"s40(2)"}},
                                       StringRecord{"a.pdf", "out/a.pdf", "12 0", "TU", "cut", "name", "person", {"s40(2)"}},
                                       StringRecord{"a.pdf", "out/a.pdf", "12 0", "Alt", "removed", "name", "person", {"s40(2)"}},
                                       SignatureRecord{"a.pdf", std::nullopt, "7 0", "removed", "why"},
                                       a_document("needs_review"),
                                       SealRecord{kSha, 5, kSha, std::string(128, 'b')}};
  for (const Record& record : records) {
    const nlohmann::json json = to_json(record);
    EXPECT_EQ(json["type"], type_of(record));
    EXPECT_EQ(to_json(record_from_json(json)), json) << json.dump();
  }
}

TEST(AuditLog, ARecordOfTheWrongShapeIsRefusedByName) {
  const nlohmann::json good = to_json(a_redaction(1));
  const auto refused = [](nlohmann::json json, const std::string& why) {
    try {
      record_from_json(json);
    } catch (const RecordError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
      return;
    }
    ADD_FAILURE() << "accepted " << json.dump();
  };
  nlohmann::json j = good;
  j["text"] = "France";  // withheld text has no place in a record
  refused(j, "no field \"text\"");
  j = good;
  j.erase("page");
  refused(j, "\"page\" of a \"redaction\" record is missing");
  j = good;
  j["page"] = 0;
  refused(j, "\"page\"");
  j = good;
  j["box"] = {1, 2, 3};
  refused(j, "\"box\"");
  j = good;
  j["box"] = {5, 2, 3, 4};
  refused(j, "\"box\"");
  j = good;
  j["text_hmac"] = "France";
  refused(j, "\"text_hmac\"");
  j = good;
  j["type"] = "comment";
  refused(j, "\"comment\"");
  j = to_json(a_document());
  j["output"] = nullptr;
  refused(j, "\"output\"");
  j = to_json(a_document("failed"));
  j["reason"] = nullptr;
  refused(j, "\"reason\"");
  j = to_json(a_document());
  j["status"] = "published";
  refused(j, "\"status\"");
}

TEST(AuditLog, AWrongShapeFailsVerificationAtItsLine) {
  const std::string path = write_log();
  AuditLog log(path, AuditLog::Mode::resume);
  DocumentRecord d = a_document();
  log.append(d);
  auto lines = lines_of(path);
  // A field added, written as redact writes lines: still refused.
  nlohmann::json added = nlohmann::json::parse(lines[3]);
  added["text"] = "France";
  write_lines(path, {lines[0], lines[1], lines[2], added.dump()});
  const VerifyResult result = verify(path, no_outputs());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 4u);
  EXPECT_NE(result.reason.find("wrong shape"), std::string::npos) << result.reason;
}

TEST(AuditLog, AKeyedLogNeedsTheKey) {
  const std::string path = write_log("secret");
  VerifyOptions options = no_outputs();
  EXPECT_THROW(verify(path, options), Error);  // keyed: no key, no public key
  options.key = "secret";
  VerifyResult result = verify(path, options);
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_TRUE(result.keyed);
  EXPECT_TRUE(result.macs_checked);
  nlohmann::json second = nlohmann::json::parse(lines_of(path)[1]);
  EXPECT_EQ(second["prev"], sha256_hex(lines_of(path)[0]));
  const std::string mac = second["mac"];
  second.erase("mac");
  EXPECT_EQ(mac, hmac_sha256_hex(mac_key("secret"), second.dump()));
  options.key = "guess";
  result = verify(path, options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 1u);
}

// Hostile review: the last line of a keyed log was covered by nothing, and
// --resume then built on an edited last line.
TEST(AuditLog, TheLastLineOfAKeyedLogIsCoveredByItsOwnMac) {
  const std::string path = write_log("secret");
  auto lines = lines_of(path);
  nlohmann::json last = nlohmann::json::parse(lines.back());
  last["output_sha256"] = std::string(64, 'b');
  lines.back() = last.dump();
  write_lines(path, lines);
  VerifyOptions options = no_outputs();
  options.key = "secret";
  const VerifyResult result = verify(path, options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 3u);
  EXPECT_THROW(AuditLog(path, AuditLog::Mode::resume, "secret"), Error);
}

// Hostile review: a key twice in one line (the parser keeps the last), or
// any other way of writing a record, hid text in a log that verified.
TEST(AuditLog, ALineNotWrittenAsRedactWritesItIsRefused) {
  const std::string path = write_log();
  const auto lines = lines_of(path);
  for (const std::string& variant :
       {lines[1].substr(0, lines[1].size() - 1) + ",\"category\":\"country\"}",  // a key twice
        "{\"category\":\"John Smith\"," + lines[1].substr(1),                   // the first of two, hidden
        " " + lines[1],                                                         // spacing
        std::regex_replace(lines[1], std::regex(","), ", "),
        std::regex_replace(lines[1], std::regex("country"), "countr\\u0079")}) {   // an escape
    nlohmann::json record = nlohmann::json::parse(variant, nullptr, false);
    ASSERT_FALSE(record.is_discarded()) << variant;
    write_lines(path, {lines[0], variant});
    const VerifyResult result = verify(path, no_outputs());
    EXPECT_FALSE(result.ok) << variant;
    EXPECT_EQ(result.first_bad_line, 2u) << variant;
    EXPECT_NE(result.reason.find("not written as redact writes"), std::string::npos) << result.reason;
  }
}

// Hostile review: HMAC(key, "redact audit chain v1") was both the chain's
// key and the text_hmac of that phrase.
TEST(AuditLog, TextHmacsAndRecordMacsUseKeysOfTheirOwn) {
  EXPECT_NE(text_hmac("secret", "redact audit record v1"), mac_key("secret"));
  EXPECT_EQ(text_hmac("secret", "France"), hmac_sha256_hex(hmac_sha256_hex("secret", "redact audit text v1"), "France"));
}

TEST(AuditLog, ALogRewrittenWithAnUnkeyedChainFailsUnderTheKey) {
  const std::string path = write_log("secret");
  // Whoever edits the log without the key rewrites it with a SHA-256 chain.
  const std::string forged = write_log("", "forged.jsonl");
  VerifyOptions options = no_outputs();
  options.key = "secret";
  const VerifyResult result = verify(forged, options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 1u);
  EXPECT_NE(result.reason.find("not written under a key"), std::string::npos) << result.reason;
  EXPECT_TRUE(verify(path, options).ok);
}

TEST(AuditLog, ASealSignsEveryByteBeforeIt) {
  const Ed25519Key signing = Ed25519Key::load(test::write_temp("k.pem", kPrivateKey), true);
  const Ed25519Key public_key = Ed25519Key::load(test::write_temp("pub.pem", kPublicKey), false);
  const Ed25519Key other = Ed25519Key::load(test::write_temp("other.pem", kOtherPublicKey), false);
  EXPECT_EQ(signing.public_key_sha256(), public_key.public_key_sha256());
  const std::string path = write_log("secret");
  {
    AuditLog log(path, AuditLog::Mode::resume, "secret");
    log.seal(signing);
  }
  VerifyOptions options = no_outputs();
  options.public_key = &public_key;  // without the chain's key: the seal vouches
  VerifyResult result = verify(path, options);
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_FALSE(result.macs_checked);
  EXPECT_TRUE(result.ends_sealed);
  EXPECT_EQ(result.seals, 1u);

  options.public_key = &other;
  EXPECT_FALSE(verify(path, options).ok);
  options.public_key = &public_key;

  // An edited line: the seal no longer describes what is before it.
  auto lines = lines_of(path);
  write_lines(path, {lines[0], lines[1], std::regex_replace(lines[2], std::regex("\"pages\":3"), "\"pages\":4"),
                     lines[3]});
  result = verify(path, options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 4u);

  // A line after the seal.
  write_lines(path, lines);
  {
    AuditLog log(path, AuditLog::Mode::resume, "secret");
    log.append(a_document("clean"));
  }
  result = verify(path, options);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.reason.find("after the last seal"), std::string::npos) << result.reason;

  // The seal dropped: not sealed.
  write_lines(path, {lines[0], lines[1], lines[2]});
  result = verify(path, options);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.reason.find("not sealed"), std::string::npos) << result.reason;
}

TEST(AuditLog, AKeyThatIsNotEd25519IsRefusedByName) {
  const std::string ec = test::write_temp("ec.pem",
                                          "-----BEGIN PRIVATE KEY-----\n"
                                          "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLVs3nISaOZ1wleKN\n"
                                          "v/oos0+iYJSEbxGCA3GyrqOk+g6hRANCAAQM5PnE2n89zlK8gMQa9xWCZL09T92I\n"
                                          "1C5AnhGuZfcilPbm+C4Jgm8vWjI63OOphSZ49ugOhp/YW+9U+lEr+JB+\n"
                                          "-----END PRIVATE KEY-----\n");
  try {
    Ed25519Key::load(ec, true);
    ADD_FAILURE() << "an EC key was taken for Ed25519";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(ec), std::string::npos);
  }
  EXPECT_THROW(Ed25519Key::load(test::write_temp("pub2.pem", kPublicKey), true), Error);
}

TEST(AuditLog, AnOutputChangedAfterTheRunFailsAtItsRecord) {
  const std::string output = test::write_temp("published.pdf", "%PDF-1.7 as written");
  const std::string path = test::write_temp("audit.jsonl", "");
  {
    AuditLog log(path);
    log.append(a_run());
    DocumentRecord d = a_document();
    d.output = output;
    d.output_sha256 = sha256_hex("%PDF-1.7 as written");
    log.append(d);
    DocumentRecord gone = a_document();
    gone.document = "b.pdf";
    gone.output = output + ".absent";
    log.append(gone);
  }
  VerifyResult result = verify(path);
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.outputs_checked, 1u);
  EXPECT_EQ(result.outputs_missing, std::vector<std::string>{output + ".absent"});
  test::write_temp("published.pdf", "%PDF-1.7 changed after");
  result = verify(path);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 2u);
  EXPECT_NE(result.reason.find("changed after the run"), std::string::npos) << result.reason;
}

}  // namespace
}  // namespace redact::audit
