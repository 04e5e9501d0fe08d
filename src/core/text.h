// Small helpers for text that is printed or joined.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace redact {

// The items with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator);

// `text` with control characters written as \xNN, for printing: a name
// from a file cannot start a line of its own or drive the terminal.
std::string printable(std::string_view text);

// A number as PDF content wants it: no exponent, no locale, trailing zeros
// cut. Throws redact::Error (unsupported) for one that is not finite.
std::string pdf_number(double value);

}  // namespace redact
