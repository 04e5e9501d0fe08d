#include "pdf/font.h"

#include <algorithm>

namespace redact::pdf {

std::string strip_subset_prefix(std::string_view name) {
  if (name.size() > 7 && name[6] == '+' &&
      std::all_of(name.begin(), name.begin() + 6, [](char c) { return c >= 'A' && c <= 'Z'; })) {
    name.remove_prefix(7);
  }
  return std::string(name);
}

size_t Font::next_code(std::string_view bytes, size_t pos, uint32_t& code) const {
  if (is_simple() || !encoding) {
    code = static_cast<unsigned char>(bytes[pos]);
    if (!is_simple()) {  // a Type0 font whose CMap we could not read: 2 bytes a code
      if (pos + 1 < bytes.size()) {
        code = (code << 8) | static_cast<unsigned char>(bytes[pos + 1]);
        return 2;
      }
    }
    return 1;
  }
  bool matched = false;
  return encoding->next_code(bytes, pos, code, matched);
}

std::optional<uint32_t> Font::cid(uint32_t code) const {
  if (is_simple() || !encoding) return std::nullopt;
  return encoding->cid(code);
}

bool Font::blank(uint32_t code) const {
  if (is_simple()) return code < 256 && simple_blank[code];
  const std::optional<uint32_t> id = cid(code);
  return id && *id < blank_cids.size() && blank_cids[*id];
}

std::u32string Font::unicode(uint32_t code) const {
  if (to_unicode) {
    if (auto text = to_unicode->unicode(code)) {
      // A map to nothing or to NUL says nothing about the glyph.
      bool useful = !text->empty() && std::any_of(text->begin(), text->end(), [](char32_t c) { return c != 0; });
      if (useful) return *text;
    }
  }
  if (is_simple() && code < 256) return simple_unicode[code];
  return {};
}

double Font::width(uint32_t code) const {
  double glyph_width;
  if (is_simple()) {
    glyph_width = code < 256 && simple_has_width[code] ? simple_widths[code] : missing_width;
  } else {
    glyph_width = default_width;
    if (auto c = cid(code)) {
      auto it = std::upper_bound(cid_widths.begin(), cid_widths.end(), *c,
                                 [](uint32_t v, const WidthRange& r) { return v < r.first; });
      if (it != cid_widths.begin() && std::prev(it)->last >= *c) glyph_width = std::prev(it)->width;
    }
  }
  return font_matrix.apply_vector({glyph_width, 0}).x;
}

double Font::vertical_advance(uint32_t code) const {
  double advance = default_vertical_advance;
  if (auto c = cid(code)) {
    for (const WidthRange& r : cid_vertical_advances) {
      if (*c >= r.first && *c <= r.last) advance = r.width;
    }
  }
  return advance / 1000.0;
}

}  // namespace redact::pdf
