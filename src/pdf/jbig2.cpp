#include "pdf/jbig2.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

// Last: jbig2.h defines `inline` away for old C compilers when no macro of
// that name exists, which in C++ is always.
#include <jbig2.h>
#undef inline

namespace redact::pdf::detail {
namespace {

// jbig2dec's allocations, counted against a budget: each block carries its
// size in a header of kHeader bytes (kept at malloc's alignment).
struct Budget {
  Jbig2Allocator allocator;  // first: jbig2dec hands this pointer back
  size_t used = 0;
  size_t limit = 0;
};
constexpr size_t kHeader = alignof(std::max_align_t);

Budget& budget_of(Jbig2Allocator* allocator) { return *reinterpret_cast<Budget*>(allocator); }

void* counted_alloc(Jbig2Allocator* allocator, size_t size) {
  Budget& budget = budget_of(allocator);
  if (size > budget.limit - budget.used) return nullptr;
  auto* block = static_cast<unsigned char*>(std::malloc(size + kHeader));
  if (!block) return nullptr;
  std::memcpy(block, &size, sizeof size);
  budget.used += size;
  return block + kHeader;
}

void counted_free(Jbig2Allocator* allocator, void* p) {
  if (!p) return;
  unsigned char* block = static_cast<unsigned char*>(p) - kHeader;
  size_t size = 0;
  std::memcpy(&size, block, sizeof size);
  budget_of(allocator).used -= size;
  std::free(block);
}

void* counted_realloc(Jbig2Allocator* allocator, void* p, size_t size) {
  if (!p) return counted_alloc(allocator, size);
  Budget& budget = budget_of(allocator);
  unsigned char* block = static_cast<unsigned char*>(p) - kHeader;
  size_t old = 0;
  std::memcpy(&old, block, sizeof old);
  if (size > old && size - old > budget.limit - budget.used) return nullptr;
  auto* moved = static_cast<unsigned char*>(std::realloc(block, size + kHeader));
  if (!moved) return nullptr;
  std::memcpy(moved, &size, sizeof size);
  budget.used = budget.used - old + size;
  return moved + kHeader;
}

// Any warning or error (damaged data, a segment it cannot read) refuses the
// image: what jbig2dec makes of the rest is not what every reader shows.
void on_message(void* data, const char*, Jbig2Severity severity, uint32_t) {
  if (severity >= JBIG2_SEVERITY_WARNING) *static_cast<bool*>(data) = true;
}

// What an embedded JBIG2 stream holds (7.2 of the JBIG2 standard; no file
// header), read from its segment headers.
struct Segments {
  bool whole = false;      // nothing cut short, no segment of unknown length
  int page_infos = 0;      // page information segments (type 48)
  bool end_of_file = false;  // an end-of-file segment (type 51)
  bool other_pages = false;  // a segment of a page other than the first one named
  bool any_page = false;     // a segment of some page (not a shared one: association 0)
};

// jbig2dec waits for the rest of a cut segment without a word and returns the
// page without it; a segment of unknown length (0xFFFFFFFF, ended by a
// marker) is not accepted. Zeros after the last segment are padding.
Segments segments_of(std::string_view data) {
  auto u32 = [&](size_t at) {
    return (uint32_t{static_cast<unsigned char>(data[at])} << 24) | (uint32_t{static_cast<unsigned char>(data[at + 1])} << 16) |
           (uint32_t{static_cast<unsigned char>(data[at + 2])} << 8) | uint32_t{static_cast<unsigned char>(data[at + 3])};
  };
  Segments out;
  std::optional<uint32_t> page;
  size_t at = 0;
  while (at < data.size()) {
    if (data.find_first_not_of('\0', at) == std::string_view::npos) break;
    if (data.size() - at < 6) return out;
    const uint32_t number = u32(at);
    const auto flags = static_cast<unsigned char>(data[at + 4]);
    size_t pos = at + 5;
    uint64_t referred = static_cast<unsigned char>(data[pos]) >> 5;
    if (referred == 7) {
      if (data.size() - pos < 4) return out;
      referred = u32(pos) & 0x1FFFFFFF;
      pos += 4 + (referred + 8) / 8;  // the retention flags: one bit a segment and one for this one
    } else if (referred > 4) {
      return out;
    } else {
      pos += 1;
    }
    const uint64_t size = number <= 256 ? 1 : number <= 65536 ? 2 : 4;
    const uint64_t before_page = referred * size;
    const uint64_t rest = before_page + ((flags & 0x40) ? 4 : 1) + 4;
    if (pos > data.size() || data.size() - pos < rest) return out;
    const size_t page_at = pos + static_cast<size_t>(before_page);
    const uint32_t association = (flags & 0x40) ? u32(page_at) : static_cast<unsigned char>(data[page_at]);
    pos += static_cast<size_t>(rest);
    const uint32_t length = u32(pos - 4);
    if (length == 0xFFFFFFFF || data.size() - pos < length) return out;
    const int type = flags & 0x3F;
    if (type == 48) ++out.page_infos;
    if (type == 51) out.end_of_file = true;
    if (association != 0) {
      out.any_page = true;
      if (page && *page != association) out.other_pages = true;
      page = association;
    }
    at = pos + length;
  }
  out.whole = true;
  return out;
}

struct CtxFree {
  void operator()(Jbig2Ctx* ctx) const { jbig2_ctx_free(ctx); }
};
struct GlobalFree {
  void operator()(Jbig2GlobalCtx* ctx) const { jbig2_global_ctx_free(ctx); }
};

}  // namespace

std::optional<std::string> decode_jbig2(std::string_view data, std::string_view globals, size_t width, size_t height,
                                        size_t max_bytes) {
  const size_t row_bytes = (width + 7) / 8;
  if (width == 0 || height == 0 || height > max_bytes / row_bytes) return std::nullopt;
  // One page, whole, and globals that are only shared segments: readers
  // differ on anything else (poppler draws the last page of a stream that
  // holds two, jbig2dec and MuPDF the first).
  const Segments own = segments_of(data), shared = segments_of(globals);
  if (!own.whole || own.page_infos != 1 || own.end_of_file || own.other_pages) return std::nullopt;
  if (!shared.whole || shared.any_page || shared.end_of_file) return std::nullopt;
  Budget budget{{counted_alloc, counted_free, counted_realloc}, 0, max_bytes};
  bool failed = false;
  std::unique_ptr<Jbig2GlobalCtx, GlobalFree> global;
  if (!globals.empty()) {
    std::unique_ptr<Jbig2Ctx, CtxFree> ctx(
        jbig2_ctx_new(&budget.allocator, JBIG2_OPTIONS_EMBEDDED, nullptr, on_message, &failed));
    if (!ctx) return std::nullopt;
    if (jbig2_data_in(ctx.get(), reinterpret_cast<const unsigned char*>(globals.data()), globals.size()) < 0 || failed) {
      return std::nullopt;
    }
    // jbig2_make_global_ctx takes the context over.
    global.reset(jbig2_make_global_ctx(ctx.release()));
    if (!global) return std::nullopt;
  }
  std::unique_ptr<Jbig2Ctx, CtxFree> ctx(
      jbig2_ctx_new(&budget.allocator, JBIG2_OPTIONS_EMBEDDED, global.get(), on_message, &failed));
  if (!ctx) return std::nullopt;
  if (jbig2_data_in(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) < 0 || failed) {
    return std::nullopt;
  }
  if (jbig2_complete_page(ctx.get()) < 0 || failed) return std::nullopt;
  Jbig2Image* page = jbig2_page_out(ctx.get());
  if (!page) return std::nullopt;
  std::optional<std::string> out;
  if (!failed && page->width == width && page->height == height && page->stride >= row_bytes) {
    out.emplace(row_bytes * height, '\0');
    for (size_t row = 0; row < height; ++row) {
      for (size_t i = 0; i < row_bytes; ++i) {
        (*out)[row * row_bytes + i] = static_cast<char>(~page->data[row * page->stride + i]);
      }
    }
  }
  jbig2_release_page(ctx.get(), page);
  ctx.reset();  // before the globals it uses
  return out;
}

}  // namespace redact::pdf::detail
