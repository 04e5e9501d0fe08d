// Redacts one document: finds, removes, paints, scrubs, writes, verifies.
//
// Text in a Form XObject is removed from a copy of the form made for that use
// (down any chain of forms); text in an annotation's appearance from a copy
// of that appearance; an image under a region loses the covered pixels (in
// every place it is drawn, since the image object is shared: more is hidden,
// never less); strings holding a match are cut, removed or blanked, and
// signatures go when anything changes (see README "Redaction").
//
// Fail closed: a document is written only when every page could be read,
// every glyph decoded, and every image under a region could have its covered
// pixels blacked out; and it is kept only when re-reading the written file
// finds every glyph that was not removed still there and `check` of it (the
// gate) finds no leak and no risk but links and form values. Otherwise the
// status is needs_review with the reason, and nothing is written. An
// unreadable input is failed. The output goes to a temporary name first and
// is renamed: no partial file is ever left under the output name.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "match/matcher.h"
#include "plan/proposals.h"
#include "plan/region.h"

namespace redact::apply {

using Region = plan::Region;

// A string outside the page content that held a match, or (`apply`) of an
// annotation under a mark: a field's value or tooltip, a link's URI, an
// annotation's text, an alternative text.
struct StringChange {
  std::string object;   // "12 0"
  std::string key;      // "V", "TU", "URI", "Contents", ...
  std::string action;   // "cut" (the rest kept), "removed", "blanked" or "renamed" (a named destination)
  // What decided it: the pattern found in it, or (`apply`) the mark over
  // its annotation.
  std::string category, pattern;
  std::vector<std::string> exemptions;
};

// `marked`: `redact mark` wrote the marked copy (proposals, for review).
enum class Status { redacted, clean, needs_review, failed, marked };
const char* to_string(Status status);

struct Outcome {
  Status status = Status::failed;
  std::string reason;
  int pages = 0;
  std::vector<Region> regions;
  // `apply`: the proposals of `redact mark` a reviewer deleted (one region
  // a line, as proposed), which stay in the document.
  std::vector<Region> declined;
  std::vector<StringChange> string_changes;
  std::vector<std::string> signatures_removed;  // the signature fields ("12 0") that lost their signature
  std::string input_sha256;   // of the bytes read ("" when none could be)
  std::string output_sha256;  // "" when nothing was written
  size_t output_size = 0;
  std::vector<std::string> input_notes;  // what reading the input took: "repaired by libqpdf (...)", "decrypted ..."
};

// What redact_document does with the regions it plans:
// - redact: finds them with the matcher and removes them (`redact run`);
// - mark: finds them with the matcher and writes a copy of the input with
//   each match a /Redact annotation, the content untouched (`redact mark`);
// - apply: takes them from the input's /Redact annotations, whoever made
//   them, and removes them like `redact` (`redact apply`). The matcher then
//   cuts strings and is the gate's, which lets the text of a proposal a
//   reviewer deleted stay.
enum class Mode { redact, mark, apply };

struct RedactOptions {
  Mode mode = Mode::redact;
  bool labels = true;
  bool dry_run = false;  // decide everything, write nothing
  std::string patterns_sha256;  // of the matcher's pattern set, for the proposals of `mark`
  // The team's audit key (--audit-key), "" for none: `mark` signs its list
  // of proposals with it, and `apply` trusts a list only under it.
  std::string audit_key;
  std::string producer = "redact";
  std::string password;  // for encrypted inputs ("" for none)
  // `apply --plan`: the plans of `redact plan` by the SHA-256 of the file
  // each was made for; `apply` then applies the plan of each input instead
  // of marks (an input no plan was made for is held). Null otherwise.
  std::shared_ptr<const std::map<std::string, plan::Proposals>> plans;
};

Outcome redact_document(const std::string& input, const std::string& output, const match::Matcher& matcher,
                        const RedactOptions& options);

using plan::label_text;

}  // namespace redact::apply
