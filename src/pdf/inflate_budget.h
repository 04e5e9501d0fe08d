// A limit on what zlib may inflate inside code we do not control. PoDoFo
// inflates object streams and cross-reference streams whole while it loads a
// file, and libqpdf does the same while it repairs one: a few kilobytes can
// stand for gigabytes. redact defines zlib's `inflate` itself (the one in
// libz is found with dlsym and called from ours), so every call in the
// process passes through it; while an InflateBudget is alive on a thread,
// the bytes inflated on that thread are counted, and once they pass the
// budget `inflate` fails with Z_MEM_ERROR, which PoDoFo and qpdf report as
// damage. Our own decoding (pdf/flate.h) has its own limits and runs with
// no budget alive.
#pragma once

#include <cstddef>

namespace redact::pdf::detail {

class InflateBudget {
 public:
  explicit InflateBudget(size_t limit);
  ~InflateBudget();
  InflateBudget(const InflateBudget&) = delete;
  InflateBudget& operator=(const InflateBudget&) = delete;

  // Whether inflating was refused because the budget was spent.
  bool exceeded() const;
  size_t limit() const { return limit_; }

 private:
  size_t limit_;
};

}  // namespace redact::pdf::detail
