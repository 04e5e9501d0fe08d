// `redact check`: an independent inspection of any PDF, and the gate every
// `redact run` output must pass. It asks one question: can anyone still read
// something withheld in this file, or is something hidden in it?
//
// It reads more places and more ways than the redaction planner:
// - every content stream: page content, every Form XObject at any depth,
//   every appearance stream of every annotation in every state (Hidden and
//   NoView ones too), and every form, tiling pattern, glyph procedure or
//   appearance stream that no page draws;
// - every string of every reachable object (Info, XMP, outlines, actions,
//   annotations, form fields, the structure tree, marked-content property
//   lists, file specifications), through the one text-string decoder;
// - each earlier revision of a file with incremental updates, as a reader
//   would open the file cut at that `%%EOF`;
// and it matches three readings of the text (layout, content order, letter
// spacing joined; see extract/readings.h), so that a reading bug of ours is
// not enough to hide a name.
//
// What it cannot see: text inside images (a scan needs OCR). Such pages are
// reported ("cannot be checked"), never passed as clean.
//
// Thread safety: check_document uses nothing shared but the Matcher, which
// is read-only; documents can be checked side by side.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.h"
#include "match/matcher.h"
#include "pdf/page_content.h"

namespace redact::pdf {
class Document;
}

namespace redact::check {

// leak: withheld text is readable. risk: a bad redaction or content hidden
// from the eye (and so from the officer). info: worth knowing before
// publishing (metadata, outlines, pages that cannot be checked).
enum class Severity { info = 0, risk = 1, leak = 2 };
const char* to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

struct Finding {
  std::string kind;       // "text", "string", "text-under-box", ... (README lists them)
  Severity severity = Severity::info;
  int page = 0;           // 1-based; 0 when the finding is not on a page
  std::optional<Rect> box;  // page space (points, top-left origin)
  std::string object;     // where: "content stream", "object 12 0", "annotation 7 0, appearance N On"
  std::string message;    // names what and why; never the withheld text itself
  std::string category;   // for leaks: the pattern's category and id
  std::string pattern;
  std::string text;       // for leaks: the matched text, for the officer's eyes (not for logs)
};

struct CheckOptions {
  bool revisions = true;  // also read each earlier revision
  std::string password;   // for an encrypted file ("" for none)
  // Called with each page as check read it (every appearance of every
  // annotation walked), so that a caller with its own question about the
  // text (`run`'s verification) needs no second walk of the page.
  std::function<void(const pdf::PageContent&)> page_read;
};

struct Report {
  std::string file;
  int pages = 0;
  std::vector<Finding> findings;
};

// Checks one PDF. Throws redact::Error when it cannot be opened at all
// (missing, encrypted, damaged). Findings come in page order, then the
// document's own.
Report check_document(const std::string& path, const match::Matcher& matcher, const CheckOptions& options = {});
// The same on a document already open (its path names the file, whose
// earlier revisions are opened from it): `redact run` checks the output it
// has just read back, without parsing it again.
Report check_document(pdf::Document& document, const match::Matcher& matcher, const CheckOptions& options = {});

}  // namespace redact::check
