#include "pdf/standard_tables.h"

#include <podofo/podofo.h>
// The base-14 metrics are static data in this header (PoDoFo does not export
// its lookup function); including it in this one file is how we reach them.
#include <podofo/doc/PdfFontFactoryBase14Data.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <vector>

namespace redact::pdf {
namespace {

char32_t from_podofo(PoDoFo::pdf_utf16be value) {
#ifdef PODOFO_IS_LITTLE_ENDIAN
  value = static_cast<PoDoFo::pdf_utf16be>(((value & 0xFF) << 8) | ((value >> 8) & 0xFF));
#endif
  return value;
}

bool parse_hex(std::string_view text, uint32_t& value) {
  if (text.empty()) return false;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool is_upper_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
}

bool valid_scalar(uint32_t v) { return v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF); }

// One component of a glyph name (AGL specification, section 2).
std::u32string component_to_unicode(std::string_view name) {
  if (name.empty()) return {};
  if (name.starts_with("uni") && name.size() >= 7 && (name.size() - 3) % 4 == 0 && is_upper_hex(name.substr(3))) {
    std::u32string out;
    for (size_t i = 3; i < name.size(); i += 4) {
      uint32_t v;
      if (!parse_hex(name.substr(i, 4), v) || (v >= 0xD800 && v <= 0xDFFF)) return {};
      out.push_back(v);
    }
    return out;
  }
  if (name.size() >= 5 && name.size() <= 7 && name[0] == 'u' && is_upper_hex(name.substr(1))) {
    uint32_t v;
    if (parse_hex(name.substr(1), v) && valid_scalar(v)) return std::u32string(1, v);
    return {};
  }
  char32_t c = from_podofo(PoDoFo::PdfDifferenceEncoding::NameToUnicodeID(PoDoFo::PdfName(std::string(name))));
  if (c != 0) return std::u32string(1, c);
  return {};
}

const PoDoFo::PdfEncoding* podofo_encoding(BaseEncoding encoding) {
  using F = PoDoFo::PdfEncodingFactory;
  switch (encoding) {
    case BaseEncoding::standard: return F::GlobalStandardEncodingInstance();
    case BaseEncoding::win_ansi: return F::GlobalWinAnsiEncodingInstance();
    case BaseEncoding::mac_roman: return F::GlobalMacRomanEncodingInstance();
    case BaseEncoding::mac_expert: return F::GlobalMacExpertEncodingInstance();
    case BaseEncoding::symbol: return F::GlobalSymbolEncodingInstance();
    case BaseEncoding::zapf_dingbats: return F::GlobalZapfDingbatsEncodingInstance();
  }
  return nullptr;
}

// The standard-14 name a font name stands for, or "".
std::string standard14_name(std::string_view base_font) {
  std::string name;
  for (char c : base_font) {
    if (c != ' ') name.push_back(c);
  }
  // "Arial,BoldItalic" -> family "Arial", style "BoldItalic"
  std::string family = name, style;
  if (auto comma = name.find(','); comma != std::string::npos) {
    family = name.substr(0, comma);
    style = name.substr(comma + 1);
  } else if (auto dash = name.find('-'); dash != std::string::npos) {
    family = name.substr(0, dash);
    style = name.substr(dash + 1);
  }
  for (const char* suffix : {"PSMT", "MT", "PS"}) {
    if (family.ends_with(suffix)) family.resize(family.size() - std::string_view(suffix).size());
    if (style.ends_with(suffix)) style.resize(style.size() - std::string_view(suffix).size());
  }
  const bool bold = style.find("Bold") != std::string::npos;
  const bool italic = style.find("Italic") != std::string::npos || style.find("Oblique") != std::string::npos;
  auto styled = [&](const std::string& base, const char* italic_word, bool roman_suffix) {
    if (bold && italic) return base + "-Bold" + italic_word;
    if (bold) return base + "-Bold";
    if (italic) return base + "-" + italic_word;
    return roman_suffix ? base + "-Roman" : base;
  };
  if (family == "Helvetica" || family == "Arial") return styled("Helvetica", "Oblique", false);
  if (family == "Courier" || family == "CourierNew") return styled("Courier", "Oblique", false);
  if (family == "Times" || family == "TimesNewRoman") return styled("Times", "Italic", true);
  if (family == "Symbol") return "Symbol";
  if (family == "ZapfDingbats" || family == "Dingbats") return "ZapfDingbats";
  return "";
}

}  // namespace

std::u32string glyph_name_to_unicode(std::string_view name) {
  if (auto dot = name.find('.'); dot != std::string_view::npos) name = name.substr(0, dot);
  std::u32string out;
  while (!name.empty()) {
    size_t underscore = name.find('_');
    std::u32string part = component_to_unicode(name.substr(0, underscore));
    if (part.empty()) return {};
    out += part;
    if (underscore == std::string_view::npos) break;
    name.remove_prefix(underscore + 1);
  }
  return out;
}

char32_t base_encoding_unicode(BaseEncoding encoding, uint8_t code) {
  const auto* simple = dynamic_cast<const PoDoFo::PdfSimpleEncoding*>(podofo_encoding(encoding));
  char32_t c = simple ? from_podofo(simple->GetCharCode(code)) : 0;
  // "In WinAnsiEncoding, all unused codes greater than 40 [octal] map to the
  // bullet character" (ISO 32000-1, D.2, note 6): 7F, 81, 8D, 8F, 90, 9D, as
  // poppler and MuPDF read them.
  if (c == 0 && encoding == BaseEncoding::win_ansi && code > 040) c = U'\u2022';
  return c;
}

const Standard14* Standard14::find(std::string_view base_font) {
  // Widths from PoDoFo's copy of the Adobe metrics; vertical extents are the
  // FontBBox yMax / yMin of the URW base-35 substitutes (fonts-urw-base35),
  // read with FreeType.
  struct Source {
    const char* name;
    const PoDoFo::PODOFO_CharData* widths;
    double ascent, descent;
  };
  using namespace PoDoFo;
  static const Source sources[] = {
      {"Courier", CHAR_DATA_COURIER, 933, -317},
      {"Courier-Bold", CHAR_DATA_COURIER_BOLD, 1007, -393},
      {"Courier-Oblique", CHAR_DATA_COURIER_OBLIQUE, 933, -317},
      {"Courier-BoldOblique", CHAR_DATA_COURIER_BOLD_OBLIQUE, 997, -393},
      {"Helvetica", CHAR_DATA_HELVETICA, 1075, -299},
      {"Helvetica-Bold", CHAR_DATA_HELVETICA_BOLD, 1070, -307},
      {"Helvetica-Oblique", CHAR_DATA_HELVETICA_OBLIQUE, 1070, -284},
      {"Helvetica-BoldOblique", CHAR_DATA_HELVETICA_BOLD_OBLIQUE, 1073, -309},
      {"Times-Roman", CHAR_DATA_TIMES_ROMAN, 1053, -281},
      {"Times-Bold", CHAR_DATA_TIMES_BOLD, 1044, -341},
      {"Times-Italic", CHAR_DATA_TIMES_ITALIC, 951, -270},
      {"Times-BoldItalic", CHAR_DATA_TIMES_BOLD_ITALIC, 972, -324},
      {"Symbol", CHAR_DATA_SYMBOL, 1010, -293},
      {"ZapfDingbats", CHAR_DATA_ZAPF_DINGBATS, 819, -144},
  };
  static const std::vector<std::unique_ptr<Standard14>> table = [] {
    std::vector<std::unique_ptr<Standard14>> out;
    for (const Source& source : sources) {
      auto font = std::unique_ptr<Standard14>(new Standard14(source.name, source.ascent, source.descent));
      // The tables end with an entry whose code is -1 (and unicode 0xFFFF).
      for (const PoDoFo::PODOFO_CharData* c = source.widths; c->char_cd != -1 || c->unicode != 0xFFFF; ++c) {
        font->widths_.emplace(static_cast<char32_t>(c->unicode), c->width);
      }
      out.push_back(std::move(font));
    }
    return out;
  }();
  const std::string wanted = standard14_name(base_font);
  for (const auto& font : table) {
    if (font->name() == wanted) return font.get();
  }
  return nullptr;
}

double Standard14::width(char32_t c) const {
  auto it = widths_.find(c);
  return it == widths_.end() ? -1 : it->second;
}

}  // namespace redact::pdf
