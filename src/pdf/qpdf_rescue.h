// libqpdf opens what PoDoFo 0.9.8 cannot: a file whose cross-reference table
// is broken (qpdf rebuilds it from the objects, as poppler and MuPDF do), an
// AES-256 revision 6 file, a file whose password the officer has. It writes
// the file again, decrypted and with a sound cross-reference table, into
// memory, for PoDoFo to load, with each object under its original number.
// Nothing is written to disk.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace redact::pdf::detail {

struct RescuedFile {
  std::string bytes;               // the whole file again, decrypted
  std::vector<std::string> notes;  // what was done: "repaired: ...", "decrypted ..."
  // For a repaired file that readers can rebuild differently (several
  // revisions, an object defined twice): why; "" otherwise. Such a file
  // must not be published from qpdf's reading alone.
  std::string ambiguity;
  // Why objects have other numbers than in the original, or "" when they
  // keep theirs (QPDFWriter's copy, when the original's numbers cannot be
  // kept): what redact says about an object then names the copy's.
  std::string renumbered;
};

// Reads `bytes`, the file at `path`, with libqpdf and writes it again. `password` is tried as
// the user and the owner password ("" for none). Throws redact::Error:
// `encrypted` when the password is missing or wrong, `damaged` when qpdf
// cannot make a PDF of it either.
RescuedFile rescue_with_qpdf(const std::string& path, std::string_view bytes, const std::string& password);

}  // namespace redact::pdf::detail
