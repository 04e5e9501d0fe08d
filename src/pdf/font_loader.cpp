#include "pdf/font_loader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H
#include FT_OUTLINE_H

#include "pdf/content_lexer.h"
#include "pdf/standard_tables.h"

namespace redact::pdf::detail {
namespace {

constexpr uint32_t kMaxCid = 0xFFFFFF;

std::optional<BaseEncoding> encoding_from_name(const std::string& name) {
  if (name == "WinAnsiEncoding") return BaseEncoding::win_ansi;
  if (name == "MacRomanEncoding") return BaseEncoding::mac_roman;
  if (name == "MacExpertEncoding") return BaseEncoding::mac_expert;
  if (name == "StandardEncoding") return BaseEncoding::standard;
  return std::nullopt;
}

// FreeType, for what only the font program knows. One library for the
// process, made on first use.
FT_Library freetype() {
  static FT_Library library = [] {
    FT_Library lib = nullptr;
    if (FT_Init_FreeType(&lib) != 0) lib = nullptr;
    return lib;
  }();
  return library;
}

// An embedded font program opened with FreeType (the face reads from the
// bytes it keeps), closed with the object. face() is null when there is no
// program or FreeType cannot read it.
class FontProgram {
 public:
  FontProgram(const ObjectReader& reader, const PdfObject* file) {
    FT_Library library = freetype();
    if (!file || !library) return;
    bytes_ = reader.decode(file);
    if (FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(bytes_.data()),
                           static_cast<FT_Long>(bytes_.size()), 0, &face_) != 0) {
      face_ = nullptr;
    }
  }
  ~FontProgram() {
    if (face_) FT_Done_Face(face_);
  }
  FontProgram(const FontProgram&) = delete;
  FontProgram& operator=(const FontProgram&) = delete;
  FT_Face face() const { return face_; }

  // The name the program gives `glyph` (its post table or charset), "" if
  // none.
  std::string glyph_name(FT_UInt glyph) const {
    char name[128] = {};
    if (glyph == 0 || !FT_HAS_GLYPH_NAMES(face_) || FT_Get_Glyph_Name(face_, glyph, name, sizeof name) != 0) return "";
    return std::string_view(name) == ".notdef" ? "" : name;
  }

 private:
  std::string bytes_;
  FT_Face face_ = nullptr;
};

// The built-in encoding of an embedded Type 1 or CFF program (/FontFile, or
// /FontFile3 /Type1C), as FreeType reads it, and so as poppler and MuPDF
// read it: radix numbers (8#141), comments and a wrong /Length1 included.
// Nothing when the program uses StandardEncoding or cannot be read.
std::optional<std::array<std::string, 256>> builtin_encoding(const ObjectReader& reader, const PdfObject* descriptor) {
  const PdfObject* file = reader.get_stream(descriptor, "FontFile");
  if (!file) {
    file = reader.get_stream(descriptor, "FontFile3");
    if (file && reader.get_name(file, "Subtype") != "Type1C") file = nullptr;
  }
  const FontProgram program(reader, file);
  FT_Face face = program.face();
  if (!face) return std::nullopt;
  FT_CharMap builtin = nullptr;
  for (FT_Int i = 0; i < face->num_charmaps; ++i) {
    const FT_Encoding e = face->charmaps[i]->encoding;
    if (e == FT_ENCODING_ADOBE_CUSTOM || e == FT_ENCODING_ADOBE_EXPERT || e == FT_ENCODING_ADOBE_LATIN_1) {
      builtin = face->charmaps[i];
      break;
    }
  }
  if (!builtin || !FT_HAS_GLYPH_NAMES(face) || FT_Set_Charmap(face, builtin) != 0) return std::nullopt;
  std::array<std::string, 256> names;
  bool any = false;
  for (FT_ULong code = 0; code < 256; ++code) {
    names[code] = program.glyph_name(FT_Get_Char_Index(face, code));
    any = any || !names[code].empty();
  }
  if (!any) return std::nullopt;
  return names;
}

// What the embedded program of a symbolic TrueType font with no /Encoding
// says each code is, as MuPDF reads it: the code's glyph through the
// program's own cmap (the (3,0) symbol table, where codes may sit at
// F000-F2FF, else (1,0), else (3,1)), and that glyph's name in the post
// table, or failing a name that means something, the Unicode value a (3,1)
// table gives the same glyph. A code that reaches nothing is left empty
// (the caller falls back to WinAnsi, as poppler does). Names come back as
// glyph names ("A", "uni00E9").
std::optional<std::array<std::string, 256>> truetype_names(const ObjectReader& reader, const PdfObject* descriptor) {
  const FontProgram program(reader, reader.get_stream(descriptor, "FontFile2"));
  FT_Face face = program.face();
  if (!face) return std::nullopt;
  FT_CharMap symbol = nullptr, mac = nullptr, unicode = nullptr;
  for (FT_Int i = 0; i < face->num_charmaps; ++i) {
    FT_CharMap map = face->charmaps[i];
    if (map->platform_id == 3 && map->encoding_id == 0 && !symbol) symbol = map;
    if (map->platform_id == 1 && map->encoding_id == 0 && !mac) mac = map;
    if (map->platform_id == 3 && map->encoding_id == 1 && !unicode) unicode = map;
  }
  // The (3,1) table backwards: glyph -> the first Unicode value reaching it.
  // A format 12 table can map all 2^32 codes: the walk stops after as many
  // as Unicode has.
  std::map<FT_UInt, char32_t> unicode_of;
  if (unicode && FT_Set_Charmap(face, unicode) == 0) {
    FT_UInt glyph = 0;
    size_t steps = 0;
    for (FT_ULong u = FT_Get_First_Char(face, &glyph); glyph != 0 && u <= 0x10FFFF && ++steps <= 0x110000;
         u = FT_Get_Next_Char(face, u, &glyph)) {
      unicode_of.emplace(glyph, static_cast<char32_t>(u));
    }
  }
  FT_CharMap by_code = symbol ? symbol : mac ? mac : unicode;
  if (!by_code || FT_Set_Charmap(face, by_code) != 0) return std::nullopt;
  std::array<std::string, 256> names;
  bool any = false;
  for (FT_ULong code = 0; code < 256; ++code) {
    FT_UInt glyph = FT_Get_Char_Index(face, code);
    for (FT_ULong page = 0xF000; by_code == symbol && glyph == 0 && page <= 0xF200; page += 0x100) {
      glyph = FT_Get_Char_Index(face, page + code);
    }
    if (glyph == 0) continue;
    std::string name = program.glyph_name(glyph);
    if (glyph_name_to_unicode(name).empty()) {
      name.clear();
      if (auto it = unicode_of.find(glyph); it != unicode_of.end() && it->second >= 0x20 &&
                                            (it->second < 0xE000 || it->second > 0xF8FF)) {
        char hex[16];
        std::snprintf(hex, sizeof hex, it->second > 0xFFFF ? "u%06X" : "uni%04X", static_cast<unsigned>(it->second));
        name = hex;
      }
    }
    any = any || !name.empty();
    names[code] = std::move(name);
  }
  if (!any) return std::nullopt;
  return names;
}

// A code read as the character of that number shows something: not a C0
// or C1 control (dvips's ligatures at 11 to 15 read as controls).
bool printable_code(unsigned code) { return (code >= 0x20 && code < 0x7F) || code >= 0xA0; }

// The number a glyph name ends in, read as poppler reads numeric names:
// one or two letters, then decimal digits ("a97", "g100") or two hex
// digits ("C6f"); both readings, or neither for any other shape.
struct NumericName {
  std::optional<unsigned> decimal, hex;
};

NumericName numeric_name(std::string_view name) {
  size_t letters = 0;
  while (letters < 2 && letters < name.size() && std::isalpha(static_cast<unsigned char>(name[letters]))) ++letters;
  const std::string_view digits = name.substr(letters);
  if (letters == 0 || digits.empty()) return {};
  const auto read = [&](int base) -> std::optional<unsigned> {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return v;
  };
  NumericName out;
  out.decimal = read(10);
  if (digits.size() == 2) out.hex = read(16);
  return out;
}

// Codes whose glyph names are their own codes ("a97" at 97, as dvips names
// the glyphs of bitmap fonts; "C6f" at 0x6F): such a font names each glyph
// by the character its code is, and poppler and MuPDF read it so. Only when
// every numeric name that no glyph list knows is its own code: a font that
// numbers its glyphs otherwise ("g42" at 67, a glyph index) says nothing of
// what they are, even where one number matches by chance. Control codes
// stay unknown (dvips's ligatures at 11 to 15, which no reader reads).
std::array<bool, 256> named_by_code(const std::array<std::string, 256>& names) {
  std::array<bool, 256> out{};
  bool any = false;
  for (unsigned code = 0; code < 256; ++code) {
    const std::string& name = names[code];
    if (name.empty() || !glyph_name_to_unicode(name).empty()) continue;
    const NumericName n = numeric_name(name);
    if (!n.decimal && !n.hex) continue;
    if (n.decimal != code && n.hex != code) return {};
    out[code] = printable_code(code);
    any = any || out[code];
  }
  return any ? out : std::array<bool, 256>{};
}

// Returns the glyph name of each code, where /Differences or the font's
// built-in encoding names it.
std::array<std::string, 256> read_simple_encoding(const ObjectReader& reader, const PdfObject* dict, const PdfObject* descriptor,
                                                  const Standard14* standard, Font& font, const FontWarning& warn) {
  const PdfObject* encoding = reader.get(dict, "Encoding");
  std::optional<BaseEncoding> base;
  std::array<std::string, 256> names;  // from /Differences, or a built-in encoding
  const PdfObject* differences = nullptr;
  if (encoding && encoding->IsName()) {
    base = encoding_from_name(ObjectReader::name(encoding));
    if (!base) warn(ObjectReader::id(dict), "unknown /Encoding /" + ObjectReader::name(encoding));
  } else if (encoding && encoding->IsDictionary()) {
    std::string base_name = reader.get_name(encoding, "BaseEncoding");
    if (!base_name.empty()) base = encoding_from_name(base_name);
    differences = reader.get_array(encoding, "Differences");
  }
  const auto flags = static_cast<long long>(reader.get_number(descriptor, "Flags").value_or(0));
  const bool symbolic = (flags & 4) != 0 && (flags & 32) == 0;
  if (!base) {
    if (standard && standard->is_symbolic()) {
      base = standard->name() == "Symbol" ? BaseEncoding::symbol : BaseEncoding::zapf_dingbats;
    } else if (font.kind == Font::Kind::type1) {
      if (auto builtin = builtin_encoding(reader, descriptor)) names = *builtin;
      else if (!symbolic || standard) base = BaseEncoding::standard;
    } else if (font.kind == Font::Kind::truetype) {
      // A symbolic TrueType font says what its codes are in its own cmap
      // and post tables; WinAnsi fills what they leave (poppler's default
      // for every TrueType font without an encoding).
      if (symbolic && !encoding) {
        if (auto program = truetype_names(reader, descriptor)) names = *program;
        for (size_t code = 0; code < 256; ++code) {
          font.simple_guessed[code] = names[code].empty();
          // poppler reads every code of such a font as WinAnsi, whatever
          // the program calls its glyph: both readings are matched.
          if (const char32_t ansi = base_encoding_unicode(BaseEncoding::win_ansi, static_cast<uint8_t>(code));
              !names[code].empty() && ansi != 0 && glyph_name_to_unicode(names[code]) != std::u32string(1, ansi)) {
            font.simple_alternative[code] = std::u32string(1, ansi);
          }
        }
      }
      base = BaseEncoding::win_ansi;
    }
    // Type3 fonts without an encoding: codes name no characters; only
    // /Differences or ToUnicode can tell.
  }
  if (differences) {
    int code = -1;
    for (size_t i = 0; i < reader.size(differences); ++i) {
      const PdfObject* entry = reader.item(differences, i);
      if (auto n = ObjectReader::number(entry)) {
        code = static_cast<int>(*n);
      } else if (entry && entry->IsName()) {
        if (code >= 0 && code < 256) names[static_cast<size_t>(code)] = ObjectReader::name(entry);
        ++code;
      }
    }
  }
  // ZapfDingbats and Symbol name their glyphs "a97" and the like too.
  const std::array<bool, 256> code_named =
      standard && standard->is_symbolic() ? std::array<bool, 256>{} : named_by_code(names);
  for (int code = 0; code < 256; ++code) {
    auto c = static_cast<size_t>(code);
    if (code_named[c]) {
      font.simple_unicode[c] = std::u32string(1, static_cast<char32_t>(code));
    } else if (!names[c].empty()) {
      font.simple_unicode[c] = glyph_name_to_unicode(names[c]);
      // A name only TeX's list reads: poppler reads the code itself, and
      // draws that letter from a font that has it. Both readings are matched.
      if (printable_code(static_cast<unsigned>(code)) && !font.simple_unicode[c].empty() && adobe_glyph_name_to_unicode(names[c]).empty() &&
          font.simple_unicode[c] != std::u32string(1, static_cast<char32_t>(code))) {
        font.simple_alternative[c] = std::u32string(1, static_cast<char32_t>(code));
      }
    } else if (base) {
      if (char32_t u = base_encoding_unicode(*base, static_cast<uint8_t>(code))) font.simple_unicode[c] = std::u32string(1, u);
    }
  }
  return names;
}

// What a Type3 glyph procedure does. `paints_nothing`: none of its
// operations fills, strokes, shades, draws an image or a form, or shows
// text. `own_colour`: it sets a colour, or draws an image, a shading or a
// form (which bring their own), so what it paints is not in the colour the
// text is filled with. One that cannot be read is taken as painting in its
// own colours. `shows_text`: it shows text of its own, or draws a form
// that may (so does one that cannot be read).
struct ProcedureFacts {
  bool paints_nothing = false;
  bool own_colour = true;
  bool shows_text = true;
};

// How deep, and how many, forms drawn from a font's glyph procedures are
// read for text; past either, a form is taken as showing some.
constexpr int kMaxProcedureFormDepth = 4;
constexpr size_t kMaxProcedureForms = 64;

// What forms drawn from a font's glyph procedures were found to do.
struct ProcedureForms {
  std::map<const PdfObject*, bool> shows_text;
  size_t read = 0;
};

// Whether the XObject `name`, drawn by a stream whose own resources are
// `resources` (or, failing them, `fallback`'s), may show text: a form that
// shows text, or draws one that may, `depth` forms deep at most; or one
// that cannot be found or read. An image shows none.
bool form_may_show_text(const ObjectReader& reader, const std::string& name, const PdfObject* resources,
                        const PdfObject* fallback, int depth, ProcedureForms& forms) {
  const PdfObject* xobject = reader.get_stream(reader.get_dict(resources, "XObject"), name.c_str());
  if (!xobject) xobject = reader.get_stream(reader.get_dict(fallback, "XObject"), name.c_str());
  if (!xobject) return true;
  if (reader.get_name(xobject, "Subtype") == "Image") return false;
  if (const auto known = forms.shows_text.find(xobject); known != forms.shows_text.end()) return known->second;
  if (depth >= kMaxProcedureFormDepth || ++forms.read > kMaxProcedureForms) return true;
  forms.shows_text[xobject] = true;  // while it is read: a form that draws itself shows what it may
  bool shows = false;
  try {
    const std::string content = reader.decode(xobject);
    ContentLexer lexer(content);
    Operation op;
    const PdfObject* own = reader.get_dict(xobject, "Resources");
    while (!shows && lexer.next(op)) {
      shows = op.shows_text() ||
              (op.op == "Do" && (op.operands.empty() || !op.operands.back().is_name() ||
                                 form_may_show_text(reader, op.operands.back().bytes, own, resources, depth + 1, forms)));
    }
    shows = shows || !lexer.warnings().empty();
  } catch (...) {
    shows = true;
  }
  return forms.shows_text[xobject] = shows;
}

ProcedureFacts procedure_facts(const ObjectReader& reader, const PdfObject* procedure, const PdfObject* font_resources,
                               ProcedureForms& forms) {
  static const std::set<std::string_view> kPainting = {"f", "F", "f*", "B", "B*", "b", "b*", "S",  "s",
                                                       "sh", "Do", "BI", "EI", "Tj", "TJ", "'", "\""};
  static const std::set<std::string_view> kColouring = {"g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc",
                                                        "SC", "scn", "SCN", "sh", "Do", "BI", "gs"};
  constexpr size_t kMaxOperations = 10'000;
  try {
    const std::string content = reader.decode(procedure);
    ContentLexer lexer(content);
    Operation op;
    ProcedureFacts facts{true, false, false};
    for (size_t n = 0; lexer.next(op); ++n) {
      if (n >= kMaxOperations) return {};
      if (kPainting.contains(op.op)) facts.paints_nothing = false;
      if (kColouring.contains(op.op)) facts.own_colour = true;
      if (op.shows_text()) facts.shows_text = true;
      if (op.op == "Do" && !facts.shows_text) {
        facts.shows_text = op.operands.empty() || !op.operands.back().is_name() ||
                           form_may_show_text(reader, op.operands.back().bytes,
                                              reader.get_dict(procedure, "Resources"), font_resources, 0, forms);
      }
    }
    if (!lexer.warnings().empty()) return {};
    return facts;
  } catch (...) {
    return {};
  }
}

// Type3 codes whose glyph paints nothing (a procedure that paints nothing,
// or no procedure under the code's name in /CharProcs: viewers draw
// nothing), and those whose procedure paints in colours of its own. Codes
// without a name are not judged.
void read_type3_procedures(const ObjectReader& reader, const PdfObject* dict, const std::array<std::string, 256>& names,
                           Font& font) {
  const PdfObject* procedures = reader.get_dict(dict, "CharProcs");
  std::map<const PdfObject*, ProcedureFacts> judged;
  ProcedureForms forms;
  for (size_t code = 0; code < 256; ++code) {
    if (names[code].empty()) continue;
    const PdfObject* procedure = reader.get_stream(procedures, names[code].c_str());
    if (!procedure) {
      font.simple_paints_nothing[code] = true;
      continue;
    }
    auto [at, fresh] = judged.try_emplace(procedure);
    if (fresh) at->second = procedure_facts(reader, procedure, reader.get_dict(dict, "Resources"), forms);
    font.simple_paints_nothing[code] = at->second.paints_nothing;
    font.simple_own_colour[code] = at->second.own_colour;
    font.simple_shows_text[code] = at->second.shows_text;
  }
}

void read_simple_widths(const ObjectReader& reader, const PdfObject* dict, const PdfObject* descriptor,
                        const Standard14* standard, Font& font, const FontWarning& warn) {
  font.missing_width = reader.get_number(descriptor, "MissingWidth").value_or(0);
  const PdfObject* widths = reader.get_array(dict, "Widths");
  if (widths) {
    double first = reader.get_number(dict, "FirstChar").value_or(0);
    for (size_t i = 0; i < reader.size(widths); ++i) {
      double code = first + static_cast<double>(i);
      auto w = ObjectReader::number(reader.item(widths, i));
      if (code < 0 || code > 255) break;
      if (!w) continue;
      font.simple_widths[static_cast<size_t>(code)] = *w;
      font.simple_has_width[static_cast<size_t>(code)] = true;
    }
    return;
  }
  if (standard) {
    for (size_t code = 0; code < 256; ++code) {
      const std::u32string& text = font.simple_unicode[code];
      if (text.size() != 1) continue;
      // Symbol's and ZapfDingbats' metrics are by code in their built-in
      // encodings (PoDoFo's tables key them so), not by character.
      double w = standard->width(standard->is_symbolic() ? static_cast<char32_t>(code) : text[0]);
      if (w >= 0) {
        font.simple_widths[code] = w;
        font.simple_has_width[code] = true;
      }
    }
    return;
  }
  warn(ObjectReader::id(dict), "font /" + font.base_font + " has no /Widths; glyph positions may be wrong");
}

// /W: [c [w1 w2 ...] cfirst clast w ...]; /W2 the same with triples, of
// which we keep w1y.
std::vector<Font::WidthRange> read_cid_widths(const ObjectReader& reader, const PdfObject* array, int stride) {
  std::vector<Font::WidthRange> out;
  const size_t n = reader.size(array);
  for (size_t i = 0; i < n;) {
    auto first = ObjectReader::number(reader.item(array, i));
    const PdfObject* next = reader.item(array, i + 1);
    if (!first || *first < 0 || *first > kMaxCid || !next) break;
    if (next->IsArray()) {
      auto cid = static_cast<uint32_t>(*first);
      for (size_t k = 0; k + stride - 1 < reader.size(next); k += stride, ++cid) {
        if (auto w = ObjectReader::number(reader.item(next, k))) out.push_back({cid, cid, *w});
      }
      i += 2;
    } else {
      auto last = ObjectReader::number(next);
      auto w = ObjectReader::number(reader.item(array, i + 2));
      if (!last || !w || *last < *first || *last > kMaxCid) break;
      out.push_back({static_cast<uint32_t>(*first), static_cast<uint32_t>(*last), *w});
      i += 2 + static_cast<size_t>(stride);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

void read_type0(const ObjectReader& reader, const PdfObject* dict, Font& font, const FontWarning& warn,
                const PdfObject*& descriptor) {
  const std::string id = ObjectReader::id(dict);
  const PdfObject* encoding = reader.get(dict, "Encoding");
  std::string encoding_name = ObjectReader::name(encoding);
  if (encoding_name == "Identity-H" || encoding_name == "Identity-V") {
    font.encoding = CMap::identity(encoding_name == "Identity-V");
  } else if (encoding && encoding->HasStream()) {
    std::vector<LexWarning> problems;
    CMap cmap = CMap::parse(reader.decode(encoding), &problems);
    if (!problems.empty()) warn(ObjectReader::id(encoding), "encoding CMap: " + problems.front().message);
    if (cmap.has_codespace()) font.encoding = std::move(cmap);
    else warn(ObjectReader::id(encoding), "encoding CMap has no codespace ranges");
  } else {
    warn(id, "Type0 font with unsupported /Encoding " +
                 (encoding_name.empty() ? std::string("(none)") : "/" + encoding_name) +
                 "; its characters are unknown");
  }
  font.vertical = font.encoding && font.encoding->vertical();

  const PdfObject* descendant = reader.item(reader.get_array(dict, "DescendantFonts"), 0);
  if (!descendant || !descendant->IsDictionary()) {
    warn(id, "Type0 font without a usable /DescendantFonts");
    return;
  }
  descriptor = reader.get_dict(descendant, "FontDescriptor");
  font.default_width = reader.get_number(descendant, "DW").value_or(1000);
  font.cid_widths = read_cid_widths(reader, reader.get_array(descendant, "W"), 1);
  if (const PdfObject* dw2 = reader.get_array(descendant, "DW2"); dw2 && reader.size(dw2) == 2) {
    font.default_vertical_origin_y = ObjectReader::number(reader.item(dw2, 0)).value_or(880);
    font.default_vertical_advance = ObjectReader::number(reader.item(dw2, 1)).value_or(-1000);
  }
  font.cid_vertical_advances = read_cid_widths(reader, reader.get_array(descendant, "W2"), 3);
}

// The embedded font program of a font descriptor: /FontFile2 (TrueType),
// /FontFile3 (CFF, OpenType) or /FontFile (Type 1); null when none.
const PdfObject* program_file(const ObjectReader& reader, const PdfObject* descriptor) {
  const PdfObject* file = reader.get_stream(descriptor, "FontFile2");
  if (!file) file = reader.get_stream(descriptor, "FontFile3");
  if (!file) file = reader.get_stream(descriptor, "FontFile");
  return file;
}

// The vertical extent of an embedded font program as FreeType reports it
// (hhea for TrueType, the FontBBox for Type1 and CFF), in glyph space units
// of 1/1000 em: what MuPDF uses for its character quads.
std::optional<std::pair<double, double>> program_extent(FT_Face face) {
  if (face && face->units_per_EM > 0 && face->ascender != 0) {
    return std::pair{face->ascender * 1000.0 / face->units_per_EM, face->descender * 1000.0 / face->units_per_EM};
  }
  return std::nullopt;
}

// Whether the program draws nothing anyone could read for `glyph`: no
// outline; one whose bounds are under 1/50 of the em both ways (a speck) or
// lie wholly more than two em from where the glyph is drawn (off the line,
// off the page); or one that, drawn at kInkPixels to the em, inks less than
// kInkCoverage pixels near there (a contour of no area, contours that
// cancel, a hairline). A glyph that cannot be loaded, is a bitmap, or is
// more than eight em across (not drawn, to bound the cost) is taken as
// drawn. For a CID-keyed CFF program `glyph` is a CID (FreeType maps it).
// The face's size must be kInkPixels.
constexpr int kInkPixels = 48;
constexpr long kInkCoverage = 8;

bool blank_glyph(FT_Face face, FT_UInt glyph) {
  if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) return false;
  if (face->glyph->format != FT_GLYPH_FORMAT_OUTLINE) return false;
  if (face->glyph->outline.n_points == 0) return true;
  FT_BBox box;
  FT_Outline_Get_CBox(&face->glyph->outline, &box);
  const double em = face->units_per_EM > 0 ? face->units_per_EM : 1000;
  if (box.xMax - box.xMin < em / 50 && box.yMax - box.yMin < em / 50) return true;
  if (box.xMax < -2 * em || box.xMin > 3 * em || box.yMax < -2 * em || box.yMin > 3 * em) return true;
  if (box.xMax - box.xMin > 8 * em || box.yMax - box.yMin > 8 * em) return false;
  if (FT_Load_Glyph(face, glyph, FT_LOAD_RENDER | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) return false;
  const FT_GlyphSlot slot = face->glyph;
  const FT_Bitmap& bitmap = slot->bitmap;
  if (bitmap.pixel_mode != FT_PIXEL_MODE_GRAY || !bitmap.buffer) return false;
  long ink = 0;
  const long near = 2 * kInkPixels;
  for (unsigned row = 0; row < bitmap.rows; ++row) {
    const long y = slot->bitmap_top - static_cast<long>(row);  // pixels above the baseline
    if (y < -near || y > near + kInkPixels) continue;
    const unsigned char* line = bitmap.buffer + static_cast<long>(row) * std::abs(bitmap.pitch);
    for (unsigned column = 0; column < bitmap.width; ++column) {
      const long x = slot->bitmap_left + static_cast<long>(column);
      if (x >= -near && x <= near + kInkPixels) ink += line[column];
    }
  }
  return ink < kInkCoverage * 255;
}

// The codes (simple fonts) or CIDs (Type0) whose glyph in the embedded
// program is blank (blank_glyph), looked up as poppler and MuPDF look
// glyphs up, near enough: a simple font's code by the Unicode its encoding
// gives (a (3,1) table, or the one FreeType makes from a Type 1 or CFF
// program's glyph names), by its glyph name, by the code itself in a
// symbol (3,0) table (at F000, F100, F200 too), a Macintosh (1,0) table or
// the program's own encoding; a code that reaches no glyph by any of them
// draws glyph 0. A code is blank when every glyph it may reach is: a font
// with /Differences [32 /A] draws its A at code 32, which its cmap gives its
// space. A CID goes through the
// CIDToGIDMap of a CIDFontType2 (Identity when absent), is the glyph of a
// CIDFontType0 (FreeType maps a CID-keyed one's). At most kMaxBlankTests
// glyphs are loaded.
void read_blank_glyphs(const ObjectReader& reader, const PdfObject* dict, const std::array<std::string, 256>& names,
                       FT_Face face, Font& font) {
  constexpr size_t kMaxBlankTests = 65'536;
  if (!face || font.kind == Font::Kind::type3 || FT_Set_Pixel_Sizes(face, 0, kInkPixels) != 0) return;
  std::map<FT_UInt, bool> judged;
  const auto blank = [&](FT_UInt glyph) {
    auto [at, fresh] = judged.try_emplace(glyph, false);
    if (fresh && judged.size() <= kMaxBlankTests) at->second = blank_glyph(face, glyph);
    return at->second;
  };
  if (font.is_simple()) {
    std::array<std::vector<FT_UInt>, 256> reached;
    for (FT_Int i = 0; i < face->num_charmaps; ++i) {
      const FT_CharMap map = face->charmaps[i];
      if (FT_Set_Charmap(face, map) != 0) continue;
      const bool symbol = map->platform_id == 3 && map->encoding_id == 0;
      for (FT_ULong code = 0; code < 256; ++code) {
        const std::u32string& text = font.simple_unicode[code];
        if (map->encoding == FT_ENCODING_UNICODE) {
          if (text.size() == 1) reached[code].push_back(FT_Get_Char_Index(face, text[0]));
          continue;
        }
        reached[code].push_back(FT_Get_Char_Index(face, code));
        for (FT_ULong page = 0xF000; symbol && page <= 0xF200; page += 0x100) {
          reached[code].push_back(FT_Get_Char_Index(face, page + code));
        }
      }
    }
    for (size_t code = 0; code < 256; ++code) {
      if (FT_HAS_GLYPH_NAMES(face) && !names[code].empty()) {
        reached[code].push_back(FT_Get_Name_Index(face, names[code].c_str()));
      }
      std::vector<FT_UInt>& glyphs = reached[code];
      std::erase(glyphs, FT_UInt{0});
      if (glyphs.empty()) glyphs.push_back(0);
      font.simple_blank[code] = std::all_of(glyphs.begin(), glyphs.end(), blank);
    }
    return;
  }
  const PdfObject* descendant = reader.resolve(reader.item(reader.get_array(dict, "DescendantFonts"), 0));
  const size_t glyphs = std::min<size_t>(static_cast<size_t>(std::max<FT_Long>(face->num_glyphs, 0)), kMaxBlankTests);
  const auto mark = [&](uint32_t cid, FT_UInt glyph) {
    if (!blank(glyph)) return;
    if (font.blank_cids.size() <= cid) font.blank_cids.resize(cid + 1);
    font.blank_cids[cid] = true;
  };
  if (reader.get_name(descendant, "Subtype") == "CIDFontType2") {
    if (const PdfObject* map = reader.get_stream(descendant, "CIDToGIDMap")) {
      std::string bytes;
      try {
        bytes = reader.decode(map, 2 * kMaxBlankTests);
      } catch (...) {
        return;  // damaged, or past the CIDs tested: taken as drawn
      }
      for (size_t cid = 0; 2 * cid + 1 < bytes.size() && cid < kMaxBlankTests; ++cid) {
        mark(static_cast<uint32_t>(cid), static_cast<FT_UInt>(static_cast<unsigned char>(bytes[2 * cid]) << 8 |
                                                               static_cast<unsigned char>(bytes[2 * cid + 1])));
      }
      return;
    }
  } else if (FT_IS_CID_KEYED(face)) {
    for (FT_UInt glyph = 0; glyph < glyphs; ++glyph) {
      FT_UInt cid = 0;
      if (FT_Get_CID_From_Glyph_Index(face, glyph, &cid) == 0 && cid < kMaxBlankTests) mark(cid, cid);
    }
    return;
  }
  for (FT_UInt glyph = 0; glyph < glyphs; ++glyph) mark(glyph, glyph);
}

// The em of a Type3 font as its advances tell it, as poppler guesses a
// Type3 font's scale: the width of its "m" is 0.6 em, else that of its
// first letter, else of its first glyph with a width, 0.5 em. Nothing when
// no glyph has a width.
std::optional<double> type3_em_by_advances(const Font& font) {
  std::optional<unsigned> m, letter, any;
  for (unsigned code = 0; code < 256; ++code) {
    if (!font.simple_has_width[code] || !(font.simple_widths[code] > 0)) continue;
    const std::u32string& text = font.simple_unicode[code];
    const bool one_letter = text.size() == 1 && text[0] < 0x80 && std::isalpha(static_cast<int>(text[0]));
    if (one_letter && text[0] == U'm' && !m) m = code;
    if (one_letter && !letter) letter = code;
    if (!any) any = code;
  }
  const double scale = std::abs(font.font_matrix.d);
  if (m) return font.simple_widths[*m] * scale / 0.6;
  if (letter) return font.simple_widths[*letter] * scale / 0.5;
  if (any) return font.simple_widths[*any] * scale / 0.5;
  return std::nullopt;
}

void read_ascent_descent(const ObjectReader& reader, const PdfObject* dict, const PdfObject* descriptor,
                         const Standard14* standard, FT_Face program, Font& font) {
  double ascent = 0, descent = 0;
  if (font.kind == Font::Kind::type3) {
    // Type3 glyphs are drawn by procedures: their extent is the FontBBox.
  } else if (auto extent = program_extent(program)) {
    std::tie(ascent, descent) = *extent;
  } else if (standard) {
    ascent = standard->ascent();
    descent = standard->descent();
  } else {
    ascent = reader.get_number(descriptor, "Ascent").value_or(0);
    descent = reader.get_number(descriptor, "Descent").value_or(0);
  }
  if (ascent == 0 && descent == 0) {
    const PdfObject* bbox = reader.get_array(descriptor, "FontBBox");
    if (!bbox) bbox = reader.get_array(dict, "FontBBox");
    if (reader.size(bbox) == 4) {
      descent = ObjectReader::number(reader.item(bbox, 1)).value_or(0);
      ascent = ObjectReader::number(reader.item(bbox, 3)).value_or(0);
    }
  }
  if (descent > 0) descent = -descent;  // some producers write it positive
  // A Type3 font's em is its FontBBox height through the FontMatrix, when
  // that is plausible: a FontMatrix of 0.1 with glyphs 70 units tall draws
  // 7-unit capitals at size 1, whatever the Tf size suggests. Within a
  // factor of two of what its advances say (a FontBBox twenty times taller
  // than its glyphs, which no reader draws, made every gap look narrow and
  // joined a word to the one before it).
  if (font.kind == Font::Kind::type3 && ascent - descent > 0) {
    double em = std::abs(font.font_matrix.d) * (ascent - descent);
    if (const std::optional<double> by_advances = type3_em_by_advances(font)) {
      em = std::clamp(em, *by_advances / 2, *by_advances * 2);
    }
    if (std::isfinite(em) && em > 1e-3 && em < 1e3) font.em = em;
  }
  // Into text space; implausible values (for the em) fall back to the usual
  // 0.8 / -0.2 of it.
  double a = std::abs(font.font_matrix.d) * ascent;
  double d = std::abs(font.font_matrix.d) * descent;
  const double em = font.em;
  if (std::isfinite(a) && std::isfinite(d) && a > 0 && a <= 3 * em && d <= 0 && d >= -3 * em && a - d >= 0.3 * em) {
    font.ascent = a;
    font.descent = d;
  } else {
    font.ascent = 0.8 * em;
    font.descent = -0.2 * em;
  }
}

}  // namespace

std::shared_ptr<const Font> load_font(const ObjectReader& reader, const PdfObject* dict,
                                      const FontWarning& warn) {
  auto font = std::make_shared<Font>();
  dict = reader.resolve(dict);
  if (!dict || !dict->IsDictionary()) {
    warn("", "font is not a dictionary");
    return font;
  }
  font->object = ObjectReader::id(dict);
  font->base_font = strip_subset_prefix(reader.get_name(dict, "BaseFont"));
  const std::string subtype = reader.get_name(dict, "Subtype");
  if (subtype == "Type1" || subtype == "MMType1") font->kind = Font::Kind::type1;
  else if (subtype == "TrueType") font->kind = Font::Kind::truetype;
  else if (subtype == "Type3") font->kind = Font::Kind::type3;
  else if (subtype == "Type0") font->kind = Font::Kind::type0;
  else {
    warn(font->object, "font has unknown /Subtype /" + subtype + "; its characters are unknown");
    return font;
  }

  if (const PdfObject* to_unicode = reader.get_stream(dict, "ToUnicode")) {
    std::vector<LexWarning> problems;
    CMap cmap = CMap::parse(reader.decode(to_unicode), &problems);
    if (!problems.empty()) warn(ObjectReader::id(to_unicode), "ToUnicode CMap: " + problems.front().message);
    if (cmap.mapping_count() > 0) font->to_unicode = std::move(cmap);
  }

  const PdfObject* descriptor = reader.get_dict(dict, "FontDescriptor");
  const Standard14* standard = nullptr;
  std::array<std::string, 256> names;  // a simple font's glyph names
  if (font->kind == Font::Kind::type0) {
    read_type0(reader, dict, *font, warn, descriptor);
  } else {
    if (font->kind == Font::Kind::type3) {
      const PdfObject* matrix = reader.get_array(dict, "FontMatrix");
      if (reader.size(matrix) == 6) {
        double m[6];
        for (size_t i = 0; i < 6; ++i) m[i] = ObjectReader::number(reader.item(matrix, i)).value_or(0);
        Matrix fm{m[0], m[1], m[2], m[3], m[4], m[5]};
        if (fm.is_finite() && fm.determinant() != 0) font->font_matrix = fm;
        else warn(font->object, "Type3 font has a degenerate /FontMatrix");
      }
    } else {
      standard = Standard14::find(font->base_font);
    }
    names = read_simple_encoding(reader, dict, descriptor, standard, *font, warn);
    if (font->kind == Font::Kind::type3) read_type3_procedures(reader, dict, names, *font);
    read_simple_widths(reader, dict, descriptor, standard, *font, warn);
  }
  const FontProgram program(reader, font->kind == Font::Kind::type3 ? nullptr : program_file(reader, descriptor));
  read_ascent_descent(reader, dict, descriptor, standard, program.face(), *font);
  read_blank_glyphs(reader, dict, names, program.face(), *font);
  return font;
}

}  // namespace redact::pdf::detail
