// CMaps (PDF 32000-1 9.7.5 and 9.10.3): codespace ranges that split a string
// into character codes, CID mappings for Type0 encodings, and the bf mappings
// of ToUnicode maps, with values of any length (ligatures, surrogate pairs).
//
// Parsed with our content lexer; never throws. Ranges are stored as ranges,
// so a hostile <00000000> <FFFFFFFF> range costs nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pdf/content_lexer.h"

namespace redact::pdf {

class CMap {
 public:
  // Parses a CMap stream. `/Identity-H usecmap` and `/Identity-V usecmap`
  // are resolved; other parents are remembered in `parent_name()`.
  static CMap parse(std::string_view data, std::vector<LexWarning>* warnings = nullptr);
  // The predefined Identity-H / Identity-V: 2-byte codes, CID = code.
  static CMap identity(bool vertical);

  // Splits the code starting at `pos` (< bytes.size()). Returns the number of
  // bytes it takes (1 to 4, never past the end) and stores the code. When no
  // codespace range matches, `matched` is false and the length is that of the
  // shortest range (1 if there is none), as PDF 32000-1 9.7.6.3 asks.
  size_t next_code(std::string_view bytes, size_t pos, uint32_t& code, bool& matched) const;

  // The Unicode text of `code` from bfchar/bfrange, if any.
  std::optional<std::u32string> unicode(uint32_t code) const;
  // The CID of `code` from cidchar/cidrange, if any.
  std::optional<uint32_t> cid(uint32_t code) const;

  bool has_codespace() const { return !codespace_.empty(); }
  bool vertical() const { return vertical_; }
  const std::string& parent_name() const { return parent_; }
  size_t mapping_count() const { return chars_.size() + bf_ranges_.size() + cids_.size() + cid_ranges_.size(); }

 private:
  struct CodespaceRange {
    uint8_t bytes;
    uint8_t low[4];
    uint8_t high[4];
  };
  struct BfRange {
    uint32_t low, high;
    std::u32string base;                // value of `low`; last character increments
    std::vector<std::u32string> items;  // the array form, one value per code
    uint32_t order = 0;                 // when it was defined: a later definition wins
  };
  struct BfChar {
    std::u32string text;
    uint32_t order = 0;
  };
  struct CidRange {
    uint32_t low, high, cid;
  };

  void add_codespace(const std::string& low, const std::string& high);
  void add_identity();

  std::vector<CodespaceRange> codespace_;
  // Single codes, and small ranges expanded into single codes; large ranges
  // kept as ranges. Whichever was defined last wins, as in poppler and MuPDF.
  std::unordered_map<uint32_t, BfChar> chars_;
  std::vector<BfRange> bf_ranges_;  // in definition order
  std::unordered_map<uint32_t, uint32_t> cids_;
  std::vector<CidRange> cid_ranges_;
  std::string parent_;
  bool vertical_ = false;
};

}  // namespace redact::pdf
