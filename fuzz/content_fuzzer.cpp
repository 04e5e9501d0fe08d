// libFuzzer target: the content-stream lexer and the CMap parser on arbitrary
// bytes. Neither may crash, hang or read out of bounds; see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pdf/cmap.h"
#include "pdf/content_lexer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<redact::pdf::LexWarning> warnings;
  auto ops = redact::pdf::parse_content(bytes, &warnings);
  for (const auto& op : ops) {
    if (op.end < op.begin || op.end > size || op.data_end > size) __builtin_trap();
  }
  redact::pdf::CMap cmap = redact::pdf::CMap::parse(bytes, nullptr);
  for (size_t pos = 0; pos < bytes.size();) {
    uint32_t code = 0;
    bool matched = false;
    size_t length = cmap.next_code(bytes, pos, code, matched);
    if (length == 0 || pos + length > bytes.size()) __builtin_trap();
    (void)cmap.unicode(code);
    (void)cmap.cid(code);
    pos += length;
  }
  return 0;
}
