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

// Whether the folder of marked copies `dir` is apart from `published` (a
// folder of outputs): neither is the other, nor inside it. Marked copies
// hold the withheld text; they are never written among what is published.
bool apart_from_published(const std::string& dir, const std::string& published);

// Writes the marked copy of `input` (opened with `password`) to `output`,
// whole or not at all. When `input_sha256` is given, the bytes read must
// have that SHA-256 (the original the log recorded). Throws redact::Error
// naming the file, page and object when it cannot.
void write_marked_copy(const std::string& input, const std::string& password, const std::vector<MarkedBox>& boxes,
                       const std::string& output, const std::string& input_sha256 = "");

}  // namespace redact::apply
