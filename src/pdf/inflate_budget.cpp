#include "pdf/inflate_budget.h"

#include <dlfcn.h>
#include <zlib.h>

#include <cstdlib>

namespace redact::pdf::detail {
namespace {

struct Account {
  size_t limit = 0;
  size_t spent = 0;
  bool exceeded = false;
};

thread_local Account* current = nullptr;
thread_local Account accounts[8];  // budgets nest (qpdf inside open), a few deep
thread_local int depth = 0;

using InflateFunction = int (*)(z_streamp, int);

InflateFunction real_inflate() {
  static const InflateFunction real = [] {
    auto* found = reinterpret_cast<InflateFunction>(dlsym(RTLD_NEXT, "inflate"));
    if (!found) std::abort();  // no zlib: nothing could inflate at all
    return found;
  }();
  return real;
}

}  // namespace

InflateBudget::InflateBudget(size_t limit) : limit_(limit) {
  if (depth >= 8) std::abort();
  accounts[depth] = Account{limit, 0, false};
  current = &accounts[depth++];
}

InflateBudget::~InflateBudget() {
  --depth;
  current = depth > 0 ? &accounts[depth - 1] : nullptr;
}

bool InflateBudget::exceeded() const { return accounts[depth - 1].exceeded; }

}  // namespace redact::pdf::detail

// zlib's inflate, as every library in the process calls it.
extern "C" int inflate(z_streamp stream, int flush) {
  using namespace redact::pdf::detail;
  Account* account = current;
  if (!account) return real_inflate()(stream, flush);
  if (account->exceeded) return Z_MEM_ERROR;
  // Never more out per call than the budget has left.
  const size_t room = account->limit - account->spent;
  const uInt asked = stream->avail_out;
  const uInt allowed = room < asked ? static_cast<uInt>(room) : asked;
  stream->avail_out = allowed;
  const uLong before = stream->total_out;
  const int status = real_inflate()(stream, flush);
  const size_t produced = stream->total_out - before;
  stream->avail_out += asked - allowed;
  account->spent += produced;
  if (account->spent >= account->limit && status != Z_STREAM_END) {
    account->exceeded = true;
    return Z_MEM_ERROR;
  }
  return status;
}
