// Small Unicode conversions (UTF-16BE bytes from PDF strings, UTF-8 output),
// done with ICU's macros.
#pragma once

#include <string>
#include <string_view>

namespace redact {

// Appends `cp` to `out` as UTF-8; invalid scalars become U+FFFD.
void append_utf8(std::string& out, char32_t cp);
std::string to_utf8(std::u32string_view text);

// Decodes UTF-16BE bytes (as in ToUnicode CMaps); an odd trailing byte and
// unpaired surrogates become U+FFFD.
std::u32string decode_utf16be(std::string_view bytes);

// `text` (UTF-8) in Unicode's compatibility composition, NFKC: a ligature
// "ﬁ" is "fi", a full-width "Ａ" is "A".
std::string nfkc(std::string_view text);

// A control character: C0 but tab, line feed and carriage return; DEL; C1.
// Normalizing reads one as a word break; some readers show nothing for it.
constexpr bool is_control(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp < 0xA0);
}
// The length in bytes of the control character at byte `at` of UTF-8
// `text`, 0 if there is none.
inline size_t control_length(std::string_view text, size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) return is_control(c) ? 1 : 0;
  const bool c1 = c == 0xC2 && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) < 0xA0 &&
                  static_cast<unsigned char>(text[at + 1]) >= 0x80;
  return c1 ? 2 : 0;
}

}  // namespace redact
