// The marked copy, for internal review and for the Information
// Commissioner: the original document, every page stamped as not for
// publication, each redaction outlined and labelled with its exemptions
// while the text under it stays readable. Nothing of the original is
// removed or moved: its content is drawn first, unchanged, isolated, and the
// marks after it.
#pragma once

#include <string>
#include <vector>

#include "core/geometry.h"

namespace redact::apply {

struct MarkedBox {
  int page = 1;
  Rect box;           // page space (top-left origin, as displayed), as in the audit log
  std::string label;  // "s.27(1)(a), s.27(1)(c) - country"
};

inline constexpr const char* kMarkedCopyStamp =
    "MARKED COPY - NOT FOR PUBLICATION - withheld text is readable and outlined";

// Where the marked copy of the document written to `output` goes: its path
// under `outputs_root` (its file name when it is not under it), in `dir`,
// ".pdf" turned into ".marked.pdf".
std::string marked_copy_path(const std::string& output, const std::string& outputs_root, const std::string& dir);

// Whether two folders are apart: neither is the other nor inside it (links
// resolved). Marked copies hold the withheld text: their folder is kept
// apart from published outputs and from inputs.
bool apart(const std::string& folder, const std::string& other);

// A box's label: "s.27(1)(a), s.27(1)(c) - country".
std::string marked_label(const std::vector<std::string>& exemptions, const std::string& category);
// The note for a string withheld elsewhere than on a page (a form value, a link).
std::string marked_string_note(const std::string& key, const std::string& object, const std::string& action,
                               const std::vector<std::string>& exemptions, const std::string& category);

struct MarkedCopyRequest {
  std::string input, password;
  std::string input_sha256;  // the bytes read must have it: those redacted ("" to skip)
  std::vector<MarkedBox> boxes;
  // What was withheld elsewhere than on a page (a form value, a link),
  // listed at the top of the column of page 1.
  std::vector<std::string> notes;
  // Folders the copy's own folder must be apart from (apart()), checked
  // once that folder exists: published outputs, input folders.
  std::vector<std::string> keep_apart;
};

// Writes the marked copy of `request.input` to `output`, whole or not at
// all. Throws redact::Error naming the file, page and object when it cannot.
void write_marked_copy(const MarkedCopyRequest& request, const std::string& output);

}  // namespace redact::apply
