// The tables every PDF reader needs: glyph names to Unicode (the Adobe Glyph
// List and its uniXXXX / uXXXXX forms, and TeX's names), the standard simple
// encodings, and the metrics of the standard 14 fonts. Adobe's data come
// from PoDoFo, whose values are byte-swapped on little-endian machines; this
// header hides that. TeX's names are a table of ours.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace redact::pdf {

enum class BaseEncoding { standard, win_ansi, mac_roman, mac_expert, symbol, zapf_dingbats };

// The Unicode text of a glyph name ("A", "fi", "uni20AC", "u1F600", "f_f_i",
// "a.sc"; TeX's "circlecopyrt" and its sized symbols, "summationtext"); empty
// when the name means nothing we know ("g42", "cid123").
std::u32string glyph_name_to_unicode(std::string_view name);
// The same by the Adobe Glyph List alone (no TeX names, "uni" forms in
// capitals only): what poppler knows. Where only the fuller reading knows a
// name, poppler reads the code itself ("triangle" at 83 is "S").
std::u32string adobe_glyph_name_to_unicode(std::string_view name);

// The character of `code` in a standard encoding (WinAnsi's unused codes
// above 040 are bullets, as the standard says), or 0 when it has none.
char32_t base_encoding_unicode(BaseEncoding encoding, uint8_t code);

// Metrics of one of the standard 14 fonts, in glyph space (1/1000 em).
class Standard14 {
 public:
  // Recognises the 14 names and their usual aliases ("Arial,Bold",
  // "TimesNewRomanPS-BoldMT", "CourierNew"); nullptr for anything else.
  static const Standard14* find(std::string_view base_font);

  const std::string& name() const { return name_; }
  // Vertical extent (glyph space) of the URW base-35 font that viewers
  // substitute for this one (MuPDF and Ghostscript both do): its FontBBox,
  // which is what FreeType reports as ascender and descender for such fonts.
  double ascent() const { return ascent_; }
  double descent() const { return descent_; }
  // The width of the glyph for `c`, or -1 if the font has none.
  double width(char32_t c) const;
  // Symbol and ZapfDingbats use their own built-in encodings.
  bool is_symbolic() const { return name_ == "Symbol" || name_ == "ZapfDingbats"; }

 private:
  Standard14(std::string name, double ascent, double descent)
      : name_(std::move(name)), ascent_(ascent), descent_(descent) {}
  std::string name_;
  double ascent_, descent_;
  std::unordered_map<char32_t, double> widths_;
};

// Whether `key` is one of the dictionary keys ISO 32000 defines (the file
// structure, pages, resources, fonts, images, graphics states, shadings,
// functions, filters, annotations, fields, actions, signatures, outlines,
// structure, optional content, encryption; a list of ours): the PDF's own
// word, not a name someone chose (Document::strings reads the others).
bool is_standard_key(std::string_view key);

}  // namespace redact::pdf
