#include "pdf/qpdf_rescue.h"

// No PointerHolder anywhere: qpdf 11 wants this said before its headers.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFWriter.hh>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/diagnostics.h"

namespace redact::pdf::detail {

namespace {

// qpdf's own messages start with the file name and an offset; ours name the
// file once, in the Location.
std::string detail_of(const QPDFExc& e) {
  std::string message = e.getMessageDetail();
  if (!e.getObject().empty()) message = e.getObject() + ": " + message;
  return message;
}

// Why readers may rebuild a damaged file differently, or "", from a plain
// scan of its bytes, given the catalog qpdf chose:
// - an object number defined with two generations (which one is meant?);
// - in a file of one revision, an object number defined twice;
// - in a file with incremental updates, a catalog other than the one the
//   last trailer names (qpdf took an earlier revision: r01 of the hostile
//   review). Readers agree that a later definition of an object wins.
std::string ambiguity_of(std::string_view data, int root_number, int root_generation) {
  constexpr size_t kMaxScan = size_t{1} << 30;
  if (data.size() > kMaxScan) return "too large to check for a second revision";
  size_t revisions = 0;
  for (size_t at = data.find("startxref"); at != std::string::npos; at = data.find("startxref", at + 1)) ++revisions;

  std::map<unsigned long, std::set<unsigned long>> generations;  // object number -> generations seen
  std::set<unsigned long> twice;
  for (size_t at = data.find("obj"); at != std::string::npos; at = data.find("obj", at + 3)) {
    // Back over "N G " before "obj".
    size_t i = at;
    auto back_space = [&] { while (i > 0 && std::isspace(static_cast<unsigned char>(data[i - 1]))) --i; };
    auto back_digits = [&] {
      const size_t end = i;
      while (i > 0 && std::isdigit(static_cast<unsigned char>(data[i - 1]))) --i;
      return i < end && end - i <= 10 ? std::string(data.substr(i, end - i)) : std::string();
    };
    back_space();
    const std::string generation = back_digits();
    if (generation.empty()) continue;
    back_space();
    const std::string number = back_digits();
    if (number.empty() || (i > 0 && !std::isspace(static_cast<unsigned char>(data[i - 1])))) continue;
    if (!generations[std::stoul(number)].insert(std::stoul(generation)).second) twice.insert(std::stoul(number));
  }
  for (const auto& [number, seen] : generations) {
    if (seen.size() > 1) return "object " + std::to_string(number) + " is defined with two generations";
  }
  if (revisions <= 1 && !twice.empty()) return "object " + std::to_string(*twice.begin()) + " is defined twice";
  if (revisions > 1) {
    // The catalog the last trailer (or cross-reference stream) names.
    const size_t at = data.rfind("/Root");
    std::istringstream rest(at == std::string::npos ? std::string() : std::string(data.substr(at + 5, 40)));
    int number = -1, generation = -1;
    std::string r;
    rest >> number >> generation >> r;
    if (number != root_number || generation != root_generation || r.rfind('R', 0) != 0) {
      return "its last revision names a catalog that cannot be read (" + std::to_string(revisions) +
             " revisions)";
    }
  }
  return "";
}

}  // namespace

RescuedFile rescue_with_qpdf(const std::string& path, std::string_view bytes, const std::string& password) {
  RescuedFile rescued;
  try {
    QPDF qpdf;
    qpdf.setSuppressWarnings(true);
    qpdf.setAttemptRecovery(true);
    qpdf.processMemoryFile(path.c_str(), bytes.data(), bytes.size(), password.c_str());

    int revision = 0;
    int permissions = 0;
    const bool encrypted = qpdf.isEncrypted(revision, permissions);
    if (encrypted) {
      rescued.notes.push_back("decrypted (standard security handler, revision " + std::to_string(revision) +
                              "); the output is not encrypted");
    }

    QPDFWriter writer(qpdf);
    writer.setOutputMemory();
    writer.setPreserveEncryption(false);
    writer.setObjectStreamMode(qpdf_o_disable);  // PoDoFo reads every object loose
    writer.setDecodeLevel(qpdf_dl_none);         // streams keep their filters and bytes
    writer.setCompressStreams(false);
    writer.setDeterministicID(true);             // the same input gives the same bytes
    writer.write();
    const std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    rescued.bytes.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());

    const std::vector<QPDFExc> warnings = qpdf.getWarnings();
    if (!warnings.empty()) {
      const QPDFObjGen root = qpdf.getRoot().getObjGen();
      rescued.ambiguity = ambiguity_of(bytes, root.getObj(), root.getGen());
      rescued.notes.insert(rescued.notes.begin(), "repaired by libqpdf (" + std::to_string(warnings.size()) +
                                                      (warnings.size() == 1 ? " problem" : " problems") +
                                                      ", the first: " + detail_of(warnings.front()) + ")");
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      // A password given for a batch does not stop a file that needs none
      // (an empty user password) from opening, as it opens in any viewer.
      if (!password.empty()) {
        try {
          return rescue_with_qpdf(path, bytes, "");
        } catch (const Error& without) {
          if (without.kind() != ErrorKind::encrypted) throw;
        }
      }
      throw Error(ErrorKind::encrypted, Location{path},
                  password.empty() ? "is encrypted and needs a password (--password-file)"
                                   : "is encrypted and the password given does not open it");
    }
    throw Error(ErrorKind::damaged, Location{path}, "is damaged beyond repair (" + detail_of(e) + ")");
  } catch (const std::exception& e) {
    throw Error(ErrorKind::damaged, Location{path}, std::string("is damaged beyond repair (") + e.what() + ")");
  }
  return rescued;
}

}  // namespace redact::pdf::detail
