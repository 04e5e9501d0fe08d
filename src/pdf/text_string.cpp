#include "pdf/text_string.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cctype>
#include <set>

#include "core/unicode.h"

namespace redact::pdf {
namespace {

// PDFDocEncoding where it differs from Latin-1 (PDF 32000-2, Annex D.3).
// 0 marks a code the encoding leaves undefined.
char32_t pdf_doc_encoding(unsigned char c) {
  static constexpr std::array<char32_t, 8> k18 = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
  static constexpr std::array<char32_t, 32> k80 = {
      0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
      0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
      0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0};
  if (c >= 0x18 && c <= 0x1F) return k18[c - 0x18];
  if (c >= 0x80 && c <= 0x9F) return k80[c - 0x80];
  if (c == 0xA0) return 0x20AC;
  if (c == 0x7F || c == 0xAD) return 0;
  // Control codes other than tab, line feed and carriage return are undefined.
  if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) return 0;
  return c;
}

std::string decode_utf16(std::string_view bytes, bool big_endian) {
  std::string swapped;
  if (!big_endian) {
    swapped.assign(bytes);
    for (size_t i = 0; i + 1 < swapped.size(); i += 2) std::swap(swapped[i], swapped[i + 1]);
    bytes = swapped;
  }
  return to_utf8(decode_utf16be(bytes));
}

}  // namespace

std::string decode_text_string(std::string_view bytes) {
  if (bytes.starts_with("\xFE\xFF")) return decode_utf16(bytes.substr(2), true);
  if (bytes.starts_with("\xFF\xFE")) return decode_utf16(bytes.substr(2), false);
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    // ICU's U8_NEXT gives a negative value for an ill-formed sequence.
    const std::string_view rest = bytes.substr(3);
    const auto length = static_cast<int32_t>(std::min<size_t>(rest.size(), INT32_MAX));
    std::string out;
    for (int32_t i = 0; i < length;) {
      UChar32 cp;
      U8_NEXT(rest.data(), i, length, cp);
      append_utf8(out, cp < 0 ? 0xFFFD : static_cast<char32_t>(cp));
    }
    return out;
  }
  std::string out;
  for (char c : bytes) {
    const char32_t cp = pdf_doc_encoding(static_cast<unsigned char>(c));
    append_utf8(out, cp == 0 ? 0xFFFD : cp);
  }
  return out;
}

bool carries_text(std::string_view key) {
  static const std::set<std::string_view> codes = {
      "ID", "O", "U", "OE", "UE", "Perms", "ByteRange", "CheckSum", "Cert",
      // Font descriptors name fonts, not text (a font family "Georgia" is
      // no country).
      "FontFamily", "FontStretch"};
  return !codes.contains(key);
}

bool carries_text(std::string_view key, std::string_view value) {
  if (key == "Lang") {
    // A language tag (BCP 47): a primary subtag of 2 or 3 letters, then
    // subtags of letters and digits. Anything else under /Lang is text.
    size_t i = 0;
    while (i < value.size() && std::isalpha(static_cast<unsigned char>(value[i]))) ++i;
    if (i < 2 || i > 3) return true;
    while (i < value.size()) {
      if (value[i] != '-' && value[i] != '_') return true;
      const size_t start = ++i;
      while (i < value.size() && std::isalnum(static_cast<unsigned char>(value[i]))) ++i;
      if (i == start || i - start > 8) return true;
    }
    return false;
  }
  return carries_text(key);
}

}  // namespace redact::pdf
