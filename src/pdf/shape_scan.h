// A cheap look at a file's raw bytes before PoDoFo parses them, for the
// shapes PoDoFo 0.9.8 cannot survive: its tokenizer recurses once per level
// of nested dictionaries and arrays (20,000 levels overflow the stack, a few
// thousand take minutes), and it inflates every object stream whole while it
// loads, with no limit (a few kilobytes can stand for gigabytes).
//
// PoDoFo's parse of one object nested d deep costs about d^3 (each level
// copies the levels inside it): 250 levels take a second, so a file of many
// such objects would take hours. The scan adds up the cube of each object's
// depth against a budget as well.
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
#include <vector>

namespace redact::pdf::detail {

struct ShapeLimits {
  int max_nesting = 256;  // qpdf refuses 500; real files stay under 20
  // The sum over objects of depth^3: 10^8 is a few seconds of PoDoFo's time;
  // 100,000 objects 6 deep cost 2 * 10^7.
  double max_nesting_cost = 1e8;
  size_t max_object_stream_bytes = size_t{128} << 20;  // decoded, all object streams together
};

// What the scan found against the limits: "" when the file may go to
// PoDoFo, else why not ("objects nested more than 256 deep").
struct ShapeProblem {
  std::string message;
  long long offset = -1;  // in the file
  // What PoDoFo's reading of the object streams the cross-reference entries
  // name will cost (scan_trailers only; not a problem in itself), in units
  // of about a quarter of a nanosecond: for each object stream, the size of
  // PoDoFo's table of entries, plus for each pair of its header a search of
  // the n entries naming the stream and a parse of the value the pair names
  // (300 a byte). 400,000 objects in one stream (a 4 MB file) take PoDoFo a
  // minute. Infinite when the scan could not measure it.
  double object_stream_cost = 0;
  // scan_trailers: a trailer (or cross-reference stream) names /Encrypt.
  // Its object streams cannot be measured (their data is encrypted), but
  // such a file is read from libqpdf's decrypted copy anyway.
  bool encrypted = false;
  // scan_trailers: the numbers of the object streams the entries name.
  // PoDoFo drops each once it has read the objects in it, so a reference
  // to one (a page drawing it as a form, which viewers show) finds nothing.
  std::vector<long long> object_streams;
};

ShapeProblem scan_shape(std::string_view file, const ShapeLimits& limits = {});

// The same, read from where PoDoFo will read, since the scan above reads the
// file front to back and an object can hide from it (its offset in a
// comment, a string or another stream's data): the cross-reference sections
// and trailers from every `startxref` and `startref` number and every
// "xref" in the file (wherever PoDoFo's rules could start) back through
// /Prev and /XRefStm, with the object streams any section's entries name (PoDoFo parses all
// of them while it loads), and each object at `offsets` (the
// offsets PoDoFo found for the objects it has not parsed yet), each up to
// its `stream` or `endobj`.
ShapeProblem scan_trailers(std::string_view file, const ShapeLimits& limits = {});
ShapeProblem scan_objects_at(std::string_view file, const std::vector<long long>& offsets, const ShapeLimits& limits = {});

}  // namespace redact::pdf::detail
