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

// A PDF text string as UTF-8: UTF-16BE after FE FF, UTF-8 after EF BB BF,
// else PDFDocEncoding (read as Latin-1, which it equals for letters, digits
// and punctuation).
std::string pdf_text_to_utf8(std::string_view bytes);

}  // namespace redact
