#include "pdf/standard_tables.h"

#include <podofo/podofo.h>
// The base-14 metrics are static data in this header (PoDoFo does not export
// its lookup function); including it in this one file is how we reach them.
#include <podofo/doc/PdfFontFactoryBase14Data.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <memory>
#include <unordered_set>
#include <utility>
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

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool valid_scalar(uint32_t v) { return v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF); }

// Glyph names of TeX's fonts (Computer Modern, AMS) that the Adobe Glyph
// List lacks, as the TeX glyph list of LCDF Typetools reads them (MuPDF and
// pdf.js carry the same list): pdfTeX documents name their symbols so, and a
// name read as nothing would hold the document for one copyright sign.
char32_t tex_glyph_name(std::string_view name) {
  static constexpr std::pair<std::string_view, char32_t> names[] = {
      {"angbracketleft", 0x27E8},   {"angbracketright", 0x27E9},  {"arrowhookleft", 0x21AA},
      {"arrowhookright", 0x21A9},   {"arrowleftbothalf", 0x21BD}, {"arrowlefttophalf", 0x21BC},
      {"arrownortheast", 0x2197},   {"arrownorthwest", 0x2196},   {"arrowrightbothalf", 0x21C1},
      {"arrowrighttophalf", 0x21C0}, {"arrowsoutheast", 0x2198},  {"arrowsouthwest", 0x2199},
      {"bardbl", 0x2016},           {"ceilingleft", 0x2308},      {"ceilingright", 0x2309},
      {"circlecopyrt", 0x00A9},     {"circledivide", 0x2298},     {"contintegral", 0x222E},
      {"coproduct", 0x2210},        {"diamondmath", 0x22C4},      {"epsilon1", 0x03F5},
      {"equivasymptotic", 0x224D},  {"flat", 0x266D},             {"floorleft", 0x230A},
      {"floorright", 0x230B},       {"follows", 0x227B},          {"followsequal", 0x2AB0},
      {"greatermuch", 0x226B},      {"intercal", 0x22BA},         {"intersectionsq", 0x2293},
      {"latticetop", 0x22A4},       {"lessmuch", 0x226A},         {"mapsto", 0x21A6},
      {"minusplus", 0x2213},        {"natural", 0x266E},          {"negationslash", 0x0338},
      {"owner", 0x220B},            {"pi1", 0x03D6},              {"precedes", 0x227A},
      {"precedesequal", 0x2AAF},    {"prime", 0x2032},            {"rho1", 0x03F1},
      {"sharp", 0x266F},            {"similarequal", 0x2243},     {"slurabove", 0x2322},
      {"slurbelow", 0x2323},        {"square", 0x25A1},           {"star", 0x22C6},
      {"subsetsqequal", 0x2291},    {"supersetsqequal", 0x2292},  {"tie", 0x2040},
      {"triangle", 0x25B3},         {"triangleinv", 0x25BD},      {"triangleleft", 0x25C1},
      {"triangleright", 0x25B7},    {"turnstileleft", 0x22A2},    {"turnstileright", 0x22A3},
      {"unionmulti", 0x228E},       {"unionsq", 0x2294},          {"vector", 0x20D7},
      {"visiblespace", 0x2423},     {"visualspace", 0x2423},
  };
  for (const auto& [n, c] : names) {
    if (n == name) return c;
  }
  return 0;
}

// A name the Adobe Glyph List (or, with `tex`, TeX's list) knows, or 0.
char32_t agl_or_tex(std::string_view name, bool tex) {
  if (char32_t c = from_podofo(PoDoFo::PdfDifferenceEncoding::NameToUnicodeID(PoDoFo::PdfName(std::string(name))))) {
    return c;
  }
  return tex ? tex_glyph_name(name) : 0;
}

// One component of a glyph name (AGL specification, section 2). With
// `tex`, also what MuPDF reads beyond it: TeX's names and sizes, and
// "uni"/"u" forms in small letters ("uni0053").
std::u32string component_to_unicode(std::string_view name, bool tex) {
  if (name.empty()) return {};
  const auto hex = [&](std::string_view digits) { return tex ? is_hex(digits) : is_upper_hex(digits); };
  if (name.starts_with("uni") && name.size() >= 7 && (name.size() - 3) % 4 == 0 && hex(name.substr(3))) {
    std::u32string out;
    for (size_t i = 3; i < name.size(); i += 4) {
      uint32_t v;
      if (!parse_hex(name.substr(i, 4), v) || (v >= 0xD800 && v <= 0xDFFF)) return {};
      out.push_back(v);
    }
    return out;
  }
  if (name.size() >= 5 && name.size() <= 7 && name[0] == 'u' && hex(name.substr(1))) {
    uint32_t v;
    if (parse_hex(name.substr(1), v) && valid_scalar(v)) return std::u32string(1, v);
    return {};
  }
  // Any other "uni" or "u" and hex digits ("uni41", "u53") is no name the
  // lists hold, and PoDoFo's lookup reads its digits as decimal ("uni41" as
  // ")"): nothing, as AGL says, so that the code is held, not misread.
  const auto hex_digits = [](std::string_view digits) { return !digits.empty() && is_hex(digits); };
  if ((name.starts_with("uni") && hex_digits(name.substr(3))) || (name.starts_with("u") && hex_digits(name.substr(1)))) {
    return {};
  }
  if (char32_t c = agl_or_tex(name, tex)) return std::u32string(1, c);
  if (!tex) return {};
  // TeX's sized variants of one symbol ("parenleftbig", "summationtext",
  // "tildewide" in CMEX): the symbol.
  for (std::string_view size : {"bigg", "Bigg", "big", "Big", "display", "text", "widest", "wider", "wide"}) {
    if (name.size() > size.size() && name.ends_with(size)) {
      if (char32_t c = agl_or_tex(name.substr(0, name.size() - size.size()), true)) return std::u32string(1, c);
      break;
    }
  }
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

namespace {

std::u32string name_to_unicode(std::string_view name, bool tex) {
  if (auto dot = name.find('.'); dot != std::string_view::npos) name = name.substr(0, dot);
  std::u32string out;
  while (!name.empty()) {
    size_t underscore = name.find('_');
    std::u32string part = component_to_unicode(name.substr(0, underscore), tex);
    if (part.empty()) return {};
    out += part;
    if (underscore == std::string_view::npos) break;
    name.remove_prefix(underscore + 1);
  }
  return out;
}

}  // namespace

std::u32string glyph_name_to_unicode(std::string_view name) { return name_to_unicode(name, true); }

std::u32string adobe_glyph_name_to_unicode(std::string_view name) { return name_to_unicode(name, false); }

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

bool is_standard_key(std::string_view key) {
  static const std::unordered_set<std::string_view> kKeys = {
      "A", "AA", "AF", "AIS", "AP", "AS", "AcroForm", "ActualText", "Alt", "Alternates", "Annot", "Annots",
      "AntiAlias", "ArtBox", "Ascent", "AuthEvent", "Author", "AvgWidth", "B", "BBox", "BC", "BE", "BG", "BG2", "BM",
      "BS", "Background", "Base", "BaseEncoding", "BaseFont", "BaseState", "Beads", "BitsPerComponent",
      "BitsPerCoordinate", "BitsPerFlag", "BitsPerSample", "BlackIs1", "BleedBox", "Border", "Bounds", "BoxColorInfo",
      "ByteRange", "C", "C0", "C1", "CA", "CF", "CFM", "CI", "CIDSet", "CIDSystemInfo", "CIDToGIDMap", "CMapName",
      "CO", "CS", "CapHeight", "Catalog", "Category", "CenterWindow", "Cert", "Changes", "CharProcs", "CharSet",
      "CheckSum", "ClassMap", "Collection", "ColorSpace", "ColorTransform", "Colors", "Columns", "Configs",
      "ContactInfo", "Contents", "Coords", "Count", "CreationDate", "Creator", "CreatorInfo", "CropBox", "Crypt", "D",
      "DA", "DL", "DPartRoot", "DR", "DS", "DSS", "DV", "DW", "DW2", "DamagedRowsBeforeError", "Data", "Decode",
      "DecodeParms", "Desc", "DescendantFonts", "Descent", "Dest", "DestOutputProfile", "Dests", "Differences",
      "DigestLocation", "DigestMethod", "DigestValue", "Direction", "DisplayDocTitle", "Domain", "Duplex", "Dur", "E",
      "EF", "EFF", "EarlyChange", "EmbeddedFile", "EmbeddedFiles", "Encode", "EncodedByteAlign", "Encoding",
      "Encrypt", "EncryptMetadata", "EndOfBlock", "EndOfLine", "Event", "Export", "ExtGState", "Extend", "Extends",
      "Extensions", "F", "FD", "FDecodeParms", "FFilter", "FL", "FS", "FT", "Ff", "Fields", "Filter", "First",
      "FirstChar", "FitWindow", "Flags", "Font", "FontBBox", "FontDescriptor", "FontFamily", "FontFile", "FontFile2",
      "FontFile3", "FontMatrix", "FontName", "FontStretch", "FontWeight", "FormType", "Function", "FunctionType",
      "Functions", "G", "Group", "H", "HT", "Height", "Hide", "HideMenubar", "HideToolbar", "HideWindowUI", "I", "IC",
      "ID", "IDS", "IDTree", "IRT", "IT", "Identity", "ImageMask", "Include", "Index", "Info", "InkList", "Intent",
      "Interpolate", "ItalicAngle", "JBIG2Globals", "JS", "JavaScript", "K", "Keywords", "Kids", "L", "LC", "LE",
      "LJ", "LW", "Lang", "Language", "Last", "LastChar", "LastModified", "Launch", "Leading", "Legal", "Length",
      "Length1", "Length2", "Length3", "Limits", "Link", "ListMode", "Location", "Lock", "Locked", "M", "MCID", "MK",
      "ML", "Mac", "MarkInfo", "Marked", "Mask", "Matrix", "Matte", "MaxLen", "MaxWidth", "MediaBox", "Metadata",
      "MissingWidth", "ModDate", "Movie", "N", "NM", "Name", "Names", "NeedAppearances", "NeedsRendering",
      "NewWindow", "Next", "NonFullScreenPageMode", "NumCopies", "Nums", "O", "OC", "OCGs", "OCMDs", "OCProperties",
      "OE", "OFF", "ON", "OP", "OPI", "OPM", "Obj", "ObjStm", "Off", "On", "Open", "OpenAction", "Opt", "Order",
      "Ordering", "Outlines", "OutputCondition", "OutputConditionIdentifier", "OutputIntent", "OutputIntents", "P",
      "PA", "PZ", "Page", "PageElement", "PageLayout", "PageMode", "Pages", "PaintType", "Panose", "Params", "Parent",
      "ParentTree", "ParentTreeNextKey", "Pattern", "PatternType", "Perms", "Pg", "PickTrayByPDFSize", "PieceInfo",
      "Popup", "Predictor", "PresSteps", "Prev", "Print", "PrintArea", "PrintClip", "PrintPageRange", "PrintScaling",
      "ProcSet", "Producer", "Prop_AuthTime", "Prop_AuthType", "Prop_Build", "Properties", "Q", "QuadPoints", "R",
      "RBGroups", "RC", "RF", "RI", "RT", "Range", "Reason", "Recipients", "Rect", "Ref", "Reference", "Registry",
      "RegistryName", "Renditions", "Requirements", "Resources", "RoleMap", "Root", "Rotate", "Rows", "S", "SA", "SD",
      "SE", "SM", "SMask", "SMaskInData", "SV", "Samples", "SeparationInfo", "Shading", "ShadingType", "SigFlags",
      "Size", "Sound", "SpiderInfo", "Standard", "State", "StateModel", "StemH", "StemV", "StmF", "StrF",
      "StructParent", "StructParents", "StructTreeRoot", "Style", "Subj", "Subject", "Subtype", "Supplement",
      "Suspects", "T", "TI", "TK", "TM", "TR", "TR2", "TU", "Tabs", "TemplateInstantiated", "Templates", "Threads",
      "Thumb", "TilingType", "Title", "ToUnicode", "Trans", "TransformMethod", "TransformParams", "Trapped",
      "TrimBox", "Type", "U", "UCR", "UCR2", "UE", "UF", "URI", "URLS", "Unix", "Usage", "UseBlackPtComp", "UseCMap",
      "User", "UserProperties", "UserUnit", "V", "VE", "VP", "Version", "Vertices", "VerticesPerRow", "View",
      "ViewArea", "ViewClip", "ViewerPreferences", "W", "W2", "WMode", "Widget", "Width", "Widths", "Win", "XFA",
      "XHeight", "XObject", "XRef", "XRefStm", "XStep", "YStep", "Zoom", "ca", "op",
  };
  return kKeys.contains(key);
}

}  // namespace redact::pdf
