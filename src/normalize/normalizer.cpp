#include "normalize/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "core/unicode.h"

namespace redact::normalize {
namespace {

// What one source character becomes; `cp` is not a line break.
void fold(char32_t cp, std::string& out) {
  // Control characters (C0, DEL, C1) are word breaks. A font can map its
  // space glyph to one ("Two\x03officers"), and readers show a gap there;
  // dropped, they would join the words and hide both from the patterns. One
  // inside a word ("Fr\x01ance") is read with the controls dropped as well:
  // extract::all_readings and pdf::other_readings.
  if (is_control(cp) || cp == '\t') {
    out.push_back(' ');
    return;
  }
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  switch (cp) {
    case 0x00AD:  // soft hyphen: invisible
      return;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC: case 0x2032: case 0xFF07:
      out.push_back('\'');
      return;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0xFF02:
      out.push_back('"');
      return;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0xFE58:
    case 0xFE63: case 0xFF0D:
      out.push_back('-');
      return;
    case 0xFFFD:  // an unknown glyph stays unknown
      append_utf8(out, cp);
      return;
    default:
      break;
  }
  if (u_isUWhiteSpace(static_cast<UChar32>(cp))) {
    out.push_back(' ');
    return;
  }
  // Zero-width joiners and spaces, word joiners, byte-order marks, variation
  // selectors: invisible, so "Fra\u200Dnce" is read as the "France" it shows.
  if (u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return;
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  icu::UnicodeString decomposed;
  status = U_ZERO_ERROR;
  if (nfkd) decomposed = nfkd->normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status);
  if (!nfkd || U_FAILURE(status)) {
    append_utf8(out, cp);
    return;
  }
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // diacritics
    append_utf8(out, static_cast<char32_t>(c));
  }
}

// A character set above or below the line by its nature that is no letter:
// a superscript or subscript digit or sign (U+00B9, U+2082, U+207A), and the
// signs that are one (U+2122 TRADE MARK SIGN is <super> "TM", U+2120 "SM").
// A footnote mark or a sign, read as nothing, as a person skips it:
// "France™" and "France¹" are France (NFKD alone makes them "FranceTM" and
// "France1"), "14¹ officers" 14 officers, and "Holland™ Foods" no country
// before an acronym. Modifier letters are letters still, as NFKD reads them:
// a word written in them ("ᴶᴬᴾᴬᴺ", "Mᶜ" of McKenzie) is that word.
bool raised_or_lowered(UChar32 c) {
  if (c < 0x80 || u_isalpha(c)) return false;
  const auto type = static_cast<UDecompositionType>(u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE));
  return type == U_DT_SUPER || type == U_DT_SUB;
}

bool is_lower_letter(std::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
  return c >= 0 && u_islower(c);
}

}  // namespace

NormalizedText normalize(std::string_view source) {
  NormalizedText out;
  out.text.reserve(source.size());
  out.source_begin.reserve(source.size());
  out.source_end.reserve(source.size());
  const auto length = static_cast<int32_t>(source.size());
  bool after_soft_hyphen = false;
  int breaks = 0;         // line breaks in a row just before (CR LF is one)
  bool joined = false;    // the first of them joined a hyphenated word
  std::string piece;
  for (int32_t i = 0; i < length;) {
    const auto begin = static_cast<uint32_t>(i);
    // Printable ASCII, most of any page, stands for itself (as fold() says).
    if (const auto byte = static_cast<unsigned char>(source[begin]); byte >= 0x20 && byte < 0x7F) {
      ++i;
      breaks = 0;
      joined = false;
      after_soft_hyphen = false;
      out.text.push_back(static_cast<char>(byte));
      out.source_begin.push_back(begin);
      out.source_end.push_back(begin + 1);
      continue;
    }
    UChar32 c;
    U8_NEXT(source.data(), i, length, c);
    const auto end = static_cast<uint32_t>(i);
    piece.clear();
    if (c == '\n' || c == '\r') {
      // "deploy-" + break + "ment": the hyphen and the break go.
      // "Guinea-" + break + "Bissau": the hyphen stays, the break goes.
      const bool hyphenated = !out.text.empty() && out.text.back() == '-' && out.text.size() >= 2 &&
                              out.text[out.text.size() - 2] != ' ';
      const bool crlf = c == '\n' && begin > 0 && source[begin - 1] == '\r';
      if (!crlf) ++breaks;
      if (breaks >= 2 && !(hyphenated && is_lower_letter(source, end))) {
        // A blank line: a new block (a paragraph, a table cell, a column).
        // The boundary marker, once; no pattern's \s crosses it.
        if (breaks == 2 && !crlf && !joined) piece = "\xE2\x80\xA9";
      } else if (hyphenated) {
        if (is_lower_letter(source, end)) {
          out.text.pop_back();
          out.source_begin.pop_back();
          out.source_end.pop_back();
          joined = true;
        }
      } else if (!after_soft_hyphen && !crlf) {
        piece.push_back(' ');
      }
    } else {
      breaks = 0;
      joined = false;
      if (c < 0 || !raised_or_lowered(c)) fold(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c), piece);
    }
    after_soft_hyphen = c == 0x00AD || (after_soft_hyphen && (c == '\n' || c == '\r'));
    out.text += piece;
    out.source_begin.insert(out.source_begin.end(), piece.size(), begin);
    out.source_end.insert(out.source_end.end(), piece.size(), end);
  }
  return out;
}

std::string normalized(std::string_view text) { return normalize(text).text; }

}  // namespace redact::normalize
