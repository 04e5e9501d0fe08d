#include "pdf/qpdf_rescue.h"

// No PointerHolder anywhere: qpdf 11 wants this said before its headers.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFWriter.hh>

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

}  // namespace

RescuedFile rescue_with_qpdf(const std::string& path, const std::string& password) {
  RescuedFile rescued;
  try {
    QPDF qpdf;
    qpdf.setSuppressWarnings(true);
    qpdf.setAttemptRecovery(true);
    qpdf.processFile(path.c_str(), password.c_str());

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
      rescued.notes.insert(rescued.notes.begin(), "repaired by libqpdf (" + std::to_string(warnings.size()) +
                                                      (warnings.size() == 1 ? " problem" : " problems") +
                                                      ", the first: " + detail_of(warnings.front()) + ")");
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
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
