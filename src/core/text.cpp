#include "core/text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/diagnostics.h"

namespace redact {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string unspaced(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string pdf_number(double value) {
  if (!std::isfinite(value)) throw Error(ErrorKind::unsupported, Location(), "a number to write is not finite");
  // Past the largest real a PDF reader takes (Annex C), and past what the
  // buffer holds written out in full.
  if (std::abs(value) > 3.4e38) throw Error(ErrorKind::unsupported, Location(), "a number to write is out of range");
  if (std::abs(value) < 5e-5) return "0";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 4);
  if (result.ec != std::errc()) throw Error(ErrorKind::unsupported, Location(), "a number to write is out of range");
  std::string text(buffer, result.ptr);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}


}  // namespace redact
