#include "pdf/cmap.h"

#include <algorithm>

#include "core/unicode.h"
#include "pdf/standard_tables.h"

namespace redact::pdf {
namespace {

uint32_t code_value(const std::string& bytes) {
  uint32_t value = 0;
  for (size_t i = 0; i < bytes.size() && i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

// Small ranges are expanded into the hash map at parse time so that lookups
// stay O(1) for the common case; larger ones stay ranges.
constexpr uint32_t kExpandLimit = 256;
constexpr size_t kMaxExpanded = 1 << 20;

}  // namespace

void CMap::add_codespace(const std::string& low, const std::string& high) {
  if (low.empty() || low.size() > 4 || low.size() != high.size()) return;
  CodespaceRange range{static_cast<uint8_t>(low.size()), {}, {}};
  for (size_t i = 0; i < low.size(); ++i) {
    range.low[i] = static_cast<uint8_t>(low[i]);
    range.high[i] = static_cast<uint8_t>(high[i]);
  }
  codespace_.push_back(range);
}

void CMap::add_identity() {
  add_codespace(std::string("\x00\x00", 2), std::string("\xFF\xFF", 2));
  cid_ranges_.push_back({0, 0xFFFF, 0});
}

CMap CMap::identity(bool vertical) {
  CMap cmap;
  cmap.add_identity();
  cmap.vertical_ = vertical;
  return cmap;
}

CMap CMap::parse(std::string_view data, std::vector<LexWarning>* warnings) {
  CMap cmap;
  size_t expanded = 0;
  uint32_t order = 0;  // definitions so far
  ContentLexer lexer(data);
  Operation op;
  auto warn = [&](size_t offset, std::string message) {
    if (warnings) warnings->push_back({offset, std::move(message)});
  };
  while (lexer.next(op)) {
    const auto& args = op.operands;
    if (op.op == "endcodespacerange") {
      for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i].is_string() && args[i + 1].is_string()) cmap.add_codespace(args[i].bytes, args[i + 1].bytes);
      }
    } else if (op.op == "endbfchar") {
      for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (!args[i].is_string()) continue;
        std::u32string value;
        if (args[i + 1].is_string()) value = decode_utf16be(args[i + 1].bytes);
        else if (args[i + 1].is_name()) value = glyph_name_to_unicode(args[i + 1].bytes);  // rare glyph-name form
        else continue;
        cmap.chars_[code_value(args[i].bytes)] = BfChar{std::move(value), order++};
      }
    } else if (op.op == "endbfrange") {
      for (size_t i = 0; i + 2 < args.size(); i += 3) {
        if (!args[i].is_string() || !args[i + 1].is_string()) continue;
        uint32_t low = code_value(args[i].bytes), high = code_value(args[i + 1].bytes);
        if (high < low) {
          warn(args[i].offset, "bfrange ends before it starts");
          continue;
        }
        BfRange range{low, high, {}, {}, order++};
        if (args[i + 2].is_string()) {
          range.base = decode_utf16be(args[i + 2].bytes);
          if (range.base.empty()) continue;
        } else if (args[i + 2].is_array()) {
          for (const Object& item : args[i + 2].items) {
            range.items.push_back(item.is_string() ? decode_utf16be(item.bytes) : std::u32string{});
          }
        } else {
          continue;
        }
        if (high - low < kExpandLimit && expanded < kMaxExpanded) {
          for (uint32_t code = low;; ++code) {
            std::u32string value;
            if (!range.items.empty()) {
              if (code - low >= range.items.size()) break;
              value = range.items[code - low];
            } else {
              value = range.base;
              value.back() += code - low;
            }
            cmap.chars_[code] = BfChar{std::move(value), range.order};
            ++expanded;
            if (code == high) break;
          }
        } else {
          cmap.bf_ranges_.push_back(std::move(range));
        }
      }
    } else if (op.op == "endcidrange") {
      for (size_t i = 0; i + 2 < args.size(); i += 3) {
        if (!args[i].is_string() || !args[i + 1].is_string() || !args[i + 2].is_number()) continue;
        uint32_t low = code_value(args[i].bytes), high = code_value(args[i + 1].bytes);
        if (high < low || args[i + 2].number < 0) continue;
        cmap.cid_ranges_.push_back({low, high, static_cast<uint32_t>(args[i + 2].number)});
      }
    } else if (op.op == "endcidchar") {
      for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (!args[i].is_string() || !args[i + 1].is_number() || args[i + 1].number < 0) continue;
        cmap.cids_[code_value(args[i].bytes)] = static_cast<uint32_t>(args[i + 1].number);
      }
    } else if (op.op == "usecmap") {
      if (!args.empty() && args.back().is_name()) {
        cmap.parent_ = args.back().bytes;
        if (cmap.parent_ == "Identity-H" || cmap.parent_ == "Identity-V") {
          cmap.add_identity();
          cmap.vertical_ = cmap.parent_ == "Identity-V";
        }
      }
    } else if (op.op == "def") {
      if (args.size() == 2 && args[0].is_name() && args[0].bytes == "WMode" && args[1].is_number()) {
        cmap.vertical_ = args[1].number == 1;
      }
    }
  }
  if (warnings) warnings->insert(warnings->end(), lexer.warnings().begin(), lexer.warnings().end());
  return cmap;
}

size_t CMap::next_code(std::string_view bytes, size_t pos, uint32_t& code, bool& matched) const {
  const size_t available = bytes.size() - pos;
  size_t shortest = 4;
  for (const CodespaceRange& range : codespace_) {
    shortest = std::min<size_t>(shortest, range.bytes);
    if (range.bytes > available) continue;
    bool inside = true;
    for (size_t i = 0; i < range.bytes && inside; ++i) {
      auto b = static_cast<uint8_t>(bytes[pos + i]);
      inside = b >= range.low[i] && b <= range.high[i];
    }
    if (inside) {
      code = 0;
      for (size_t i = 0; i < range.bytes; ++i) code = (code << 8) | static_cast<uint8_t>(bytes[pos + i]);
      matched = true;
      return range.bytes;
    }
  }
  matched = false;
  size_t length = codespace_.empty() ? 1 : std::min(shortest, available);
  code = 0;
  for (size_t i = 0; i < length; ++i) code = (code << 8) | static_cast<uint8_t>(bytes[pos + i]);
  return length;
}

std::optional<std::u32string> CMap::unicode(uint32_t code) const {
  const auto single = chars_.find(code);
  for (auto it = bf_ranges_.rbegin(); it != bf_ranges_.rend(); ++it) {
    if (single != chars_.end() && it->order < single->second.order) break;  // the single code came later
    if (code < it->low || code > it->high) continue;
    if (!it->items.empty()) {
      if (code - it->low < it->items.size()) return it->items[code - it->low];
      return std::nullopt;
    }
    std::u32string value = it->base;
    value.back() += code - it->low;
    return value;
  }
  if (single != chars_.end()) return single->second.text;
  return std::nullopt;
}

std::optional<uint32_t> CMap::cid(uint32_t code) const {
  if (auto it = cids_.find(code); it != cids_.end()) return it->second;
  for (auto it = cid_ranges_.rbegin(); it != cid_ranges_.rend(); ++it) {
    if (code >= it->low && code <= it->high) return it->cid + (code - it->low);
  }
  return std::nullopt;
}

}  // namespace redact::pdf
