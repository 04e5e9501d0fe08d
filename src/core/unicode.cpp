#include "core/unicode.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace redact {

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(cp));
  out.append(buffer, static_cast<size_t>(length));
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) append_utf8(out, cp);
  return out;
}

std::u32string decode_utf16be(std::string_view bytes) {
  std::u16string units;
  units.reserve(bytes.size() / 2);
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    units.push_back(static_cast<char16_t>((static_cast<unsigned char>(bytes[i]) << 8) |
                                          static_cast<unsigned char>(bytes[i + 1])));
  }
  std::u32string out;
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(units.size());
  while (i < length) {
    UChar32 cp;
    U16_NEXT(units.data(), i, length, cp);
    out.push_back(U_IS_SURROGATE(cp) ? U'\uFFFD' : static_cast<char32_t>(cp));
  }
  if (bytes.size() % 2 != 0) out.push_back(U'\uFFFD');
  return out;
}

std::string nfkc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (!normalizer) return std::string(text);
  status = U_ZERO_ERROR;
  const icu::UnicodeString composed = normalizer->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  composed.toUTF8String(out);
  return out;
}

}  // namespace redact
