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

}  // namespace redact
