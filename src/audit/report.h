// `redact audit report`: one self-contained HTML file for a reviewer. A
// summary; the held and failed documents with their reasons; then each
// published document's pages that lost text, drawn from the output (poppler)
// with every box outlined and labelled (item, exemptions, category, what
// decided it), and the table of its redactions, numbered as in the
// schedule. Everything is inside the file (pictures as data: URLs, no
// script), and its Content-Security-Policy lets it load nothing else.
#pragma once

#include <string>
#include <vector>

#include "audit/review.h"

namespace redact::audit {

struct ReportOptions {
  double dpi = 96;
  int max_pixels = 1800;  // longest side of a page picture
  unsigned workers = 1;   // documents drawn at once, each in a worker process
  unsigned timeout = 120; // seconds to draw one document's pages (0: no limit)
};

struct ReportStats {
  size_t documents = 0;
  size_t pages_drawn = 0;
  // Published documents whose pages could not be drawn, with why (an output
  // not found from here, one poppler cannot open, or one it took too long
  // to draw).
  std::vector<std::string> not_drawn;
};

// Writes the report of verified `logs` to `out`, whole or not at all. Each
// output is drawn only when its bytes have the SHA-256 its record gives.
// Throws redact::Error (io) when `out` cannot be written.
ReportStats write_report(const std::vector<ReadLog>& logs, const std::string& out, const ReportOptions& options = {});

}  // namespace redact::audit
