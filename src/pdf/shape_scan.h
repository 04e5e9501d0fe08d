// A cheap look at a file's raw bytes before PoDoFo parses them, for the
// shapes PoDoFo 0.9.8 cannot survive: its tokenizer recurses once per level
// of nested dictionaries and arrays (20,000 levels overflow the stack, a few
// thousand take minutes), and it inflates every object stream whole while it
// loads, with no limit (a few kilobytes can stand for gigabytes).
//
// The scan is a small state machine of our own: comments, strings and
// stream data are skipped; `<<` and `[` open a level and `>>` and `]` close
// one; `obj` and `endobj` start again at level 0, so one broken object does
// not count against the next. The data of each object stream (/Type /ObjStm)
// is inflated with a running limit and scanned the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace redact::pdf::detail {

struct ShapeLimits {
  int max_nesting = 256;                          // qpdf refuses 500; real files stay under 20
  size_t max_object_stream_bytes = size_t{128} << 20;  // decoded, all object streams together
};

// What the scan found against the limits: "" when the file may go to
// PoDoFo, else why not ("objects nested more than 256 deep").
struct ShapeProblem {
  std::string message;
  long long offset = -1;  // in the file
};

ShapeProblem scan_shape(std::string_view file, const ShapeLimits& limits = {});

}  // namespace redact::pdf::detail
