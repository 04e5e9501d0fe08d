#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/diagnostics.h"
#include "core/hash.h"
#include "unit/test_pdf.h"

namespace redact::audit {
namespace {

using redact::hmac_sha256_hex;
using redact::sha256_hex;

std::string write_log() {
  const std::string path = test::write_temp("audit.jsonl", "");
  AuditLog log(path);
  log.append({{"type", "run"}, {"version", "test"}});
  log.append({{"type", "redaction"}, {"page", 1}, {"category", "country"}});
  log.append({{"type", "document"}, {"status", "redacted"}});
  return path;
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
  VerifyResult result = verify(path);
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
  VerifyResult result = verify(path);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_line, 3u);
  EXPECT_NE(result.reason.find("line 2"), std::string::npos);
}

TEST(AuditLog, AnAlteredPrevOrARemovedLineIsFound) {
  const std::string path = write_log();
  auto lines = lines_of(path);
  write_lines(path, {lines[0], lines[2]});
  EXPECT_EQ(verify(path).first_bad_line, 2u);
  write_lines(path, {lines[1], lines[2]});
  EXPECT_EQ(verify(path).first_bad_line, 1u);
  write_lines(path, {lines[0], "not json", lines[2]});
  EXPECT_EQ(verify(path).first_bad_line, 2u);
}

TEST(AuditLog, AChangedLastLineChangesTheHead) {
  const std::string path = write_log();
  const std::string head = verify(path).head;
  auto lines = lines_of(path);
  lines[2].replace(lines[2].find("redacted"), 8, "clean");
  write_lines(path, lines);
  VerifyResult result = verify(path);
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
  const std::string head = verify(path).head;
  {
    AuditLog log(path, AuditLog::Mode::resume);
    EXPECT_EQ(log.head(), head);
    log.append({{"type", "run"}, {"version", "test"}});
    log.append({{"type", "document"}, {"status", "clean"}});
  }
  const VerifyResult result = verify(path);
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

}  // namespace
}  // namespace redact::audit
