// Small helpers for text that is printed or joined.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace redact {

// The items with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator);

// `text` with control characters written as \xNN, for printing: a name
// from a file cannot start a line of its own or drive the terminal.
std::string printable(std::string_view text);

// `text` without its ASCII white space: what two texts that differ only in
// spacing share ("Paris, Fr" as an /ActualText says and as glyphs show it).
std::string unspaced(std::string_view text);

// A number as PDF content wants it: no exponent, no locale, trailing zeros
// cut. Throws redact::Error (unsupported) for one that is not finite.
std::string pdf_number(double value);

// Texts already found to hold no match, so that a repeat is not matched
// again (a file may repeat one link 30,000 times). Bounded, so that a file
// of many distinct strings does not keep them all.
class HoldsNothing {
 public:
  bool contains(const std::string& text) const { return texts_.contains(text); }
  void remember(const std::string& text) {
    if (texts_.size() < kMaxTexts && text.size() <= kMaxTextSize) texts_.insert(text);
  }

 private:
  static constexpr size_t kMaxTexts = 4096, kMaxTextSize = 1024;
  std::unordered_set<std::string> texts_;
};

}  // namespace redact
