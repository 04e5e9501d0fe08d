#include "pdf/text_string.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "core/unicode.h"

namespace redact::pdf {
namespace {

// PDFDocEncoding where it differs from Latin-1 (PDF 32000-2, Annex D.3).
// 0 marks a code the encoding leaves undefined.
char32_t pdf_doc_encoding(unsigned char c) {
  static constexpr std::array<char32_t, 8> k18 = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
  static constexpr std::array<char32_t, 32> k80 = {
      0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
      0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
      0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0};
  if (c >= 0x18 && c <= 0x1F) return k18[c - 0x18];
  if (c >= 0x80 && c <= 0x9F) return k80[c - 0x80];
  if (c == 0xA0) return 0x20AC;
  // 0xAD is undefined, but readers that fall back to Latin-1 take it for a
  // soft hyphen, which joins the word around it ("Ber\xADlin" is "Berlin").
  if (c == 0xAD) return 0x00AD;
  if (c == 0x7F) return 0;
  // Control codes other than tab, line feed and carriage return are undefined.
  if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) return 0;
  return c;
}

std::string decode_utf16(std::string_view bytes, bool big_endian) {
  std::string swapped;
  if (!big_endian) {
    swapped.assign(bytes);
    for (size_t i = 0; i + 1 < swapped.size(); i += 2) std::swap(swapped[i], swapped[i + 1]);
    bytes = swapped;
  }
  return to_utf8(decode_utf16be(bytes));
}

}  // namespace

namespace {

std::string pdf_doc_text(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const char32_t cp = pdf_doc_encoding(static_cast<unsigned char>(c));
    append_utf8(out, cp == 0 ? 0xFFFD : cp);
  }
  return out;
}

}  // namespace

std::string text_string_token(std::string_view utf8) {
  if (utf8.empty()) return "()";
  static const char* digits = "0123456789ABCDEF";
  std::string out = "<FEFF";
  const auto unit = [&](uint16_t u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += digits[(u >> shift) & 15];
  };
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 cp = 0;
    U8_NEXT(bytes, i, length, cp);
    if (cp < 0) cp = 0xFFFD;
    if (cp > 0xFFFF) {
      unit(static_cast<uint16_t>(U16_LEAD(cp)));
      unit(static_cast<uint16_t>(U16_TRAIL(cp)));
    } else {
      unit(static_cast<uint16_t>(cp));
    }
  }
  return out + ">";
}

std::string decode_text_string(std::string_view bytes) {
  if (bytes.starts_with("\xFE\xFF")) return decode_utf16(bytes.substr(2), true);
  if (bytes.starts_with("\xFF\xFE")) return decode_utf16(bytes.substr(2), false);
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    // ICU's U8_NEXT gives a negative value for an ill-formed sequence.
    const std::string_view rest = bytes.substr(3);
    const auto length = static_cast<int32_t>(std::min<size_t>(rest.size(), INT32_MAX));
    std::string out;
    for (int32_t i = 0; i < length;) {
      UChar32 cp;
      U8_NEXT(rest.data(), i, length, cp);
      append_utf8(out, cp < 0 ? 0xFFFD : static_cast<char32_t>(cp));
    }
    return out;
  }
  return pdf_doc_text(bytes);
}

bool binary_data(std::string_view key) {
  static const std::set<std::string_view> binary = {"O", "U", "OE", "UE", "Perms", "ByteRange", "CheckSum", "Cert"};
  return binary.contains(key);
}

bool carries_text(std::string_view key) {
  // Besides binary data, identifiers, and font descriptors' names of fonts
  // (a font family "Georgia" is no country).
  static const std::set<std::string_view> codes = {"ID", "FontFamily", "FontStretch"};
  return !binary_data(key) && !codes.contains(key);
}

bool carries_text(std::string_view key, std::string_view value) {
  if (key == "Lang") {
    // A language tag (BCP 47): a primary subtag of 2 or 3 letters, then
    // subtags of letters and digits. Anything else under /Lang is text.
    size_t i = 0;
    while (i < value.size() && std::isalpha(static_cast<unsigned char>(value[i]))) ++i;
    if (i < 2 || i > 3) return true;
    while (i < value.size()) {
      if (value[i] != '-' && value[i] != '_') return true;
      const size_t start = ++i;
      while (i < value.size() && std::isalnum(static_cast<unsigned char>(value[i]))) ++i;
      if (i == start || i - start > 8) return true;
    }
    return false;
  }
  return carries_text(key);
}

bool names_a_character_collection(std::string_view value) {
  size_t i = 0;
  while (i < value.size() && std::isalpha(static_cast<unsigned char>(value[i]))) ++i;
  const size_t letters = i;
  while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) ++i;
  return (letters >= 2 && letters <= 16 && i > letters && i == value.size()) || value == "Identity";
}

std::string printable_runs(std::string_view bytes) {
  std::string out, run;
  for (char c : bytes) {
    if (c >= 0x20 && c < 0x7F) {
      run += c;
      continue;
    }
    if (run.size() >= 4) out += run + "\n";
    run.clear();
  }
  if (run.size() >= 4) out += run + "\n";
  return out;
}

std::string markup_text(std::string_view xml, std::string_view tag) {
  std::string out;
  bool in_tag = false;
  for (size_t i = 0; i < xml.size(); ++i) {
    const char c = xml[i];
    if (c == '<' && xml.substr(i).starts_with("<![CDATA[")) {
      // A CDATA section is text, as it stands: what it holds is read, and
      // it parts no word ("Kes<![CDATA[trel]]>" is one).
      const size_t end = xml.find("]]>", i + 9);
      const size_t stop = end == std::string_view::npos ? xml.size() : end;
      out.append(xml.substr(i + 9, stop - (i + 9)));
      i = end == std::string_view::npos ? xml.size() : end + 2;
    } else if (c == '<') {
      in_tag = true;
      out += tag;
    } else if (c == '>') {
      in_tag = false;
    } else if (in_tag) {
      continue;
    } else if (c == '&') {
      const size_t end = xml.find(';', i);
      const std::string_view entity = end == std::string_view::npos || end - i > 12 ? "" : xml.substr(i + 1, end - i - 1);
      static const std::map<std::string_view, char> named = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      if (auto it = named.find(entity); it != named.end()) {
        out += it->second;
        i = end;
      } else if (entity.size() > 1 && entity[0] == '#') {
        const bool hex = entity[1] == 'x' || entity[1] == 'X';
        const std::string digits(entity.substr(hex ? 2 : 1));
        char* stop = nullptr;
        const unsigned long cp = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
        if (!digits.empty() && stop && *stop == '\0' && cp <= 0x10FFFF) {
          append_utf8(out, static_cast<char32_t>(cp));
          i = end;
        } else {
          out += c;
        }
      } else {
        out += c;
      }
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// The printable runs (4 characters or more) of what base64 text holds, one
// a line; "" when the text is not base64 of some length.
// Letters spread out in a string ("J a n e  D o e", "J.a.n.e D.o.e"), as
// readers show them and the letter-spacing reading of a page joins them:
// a `separator` between two characters that stand alone (between
// separators, spaces or the ends) dropped, then runs of spaces made one.
std::string spread_joined(const std::string& text, char separator) {
  // Where each code point starts, and the end: 8 bytes a character (a
  // string each took 32, and 200 MB on a stream of a few MB read as text).
  std::vector<size_t> starts;
  for (size_t at = 0; at < text.size();) {
    starts.push_back(at);
    const auto lead = static_cast<unsigned char>(text[at]);
    at = std::min(text.size(), at + (lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1));
  }
  const size_t count = starts.size();
  starts.push_back(text.size());
  const auto is = [&](size_t i, char c) { return starts[i + 1] - starts[i] == 1 && text[starts[i]] == c; };
  const auto gap = [&](size_t i) { return is(i, ' ') || is(i, separator); };
  const auto alone = [&](size_t i) { return !gap(i) && (i == 0 || gap(i - 1)) && (i + 1 == count || gap(i + 1)); };
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (is(i, separator) && i > 0 && i + 1 < count && alone(i - 1) && alone(i + 1)) continue;
    if (is(i, ' ') && !out.empty() && out.back() == ' ') continue;
    out.append(text, starts[i], starts[i + 1] - starts[i]);
  }
  return out;
}

std::string base64_runs(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_')) return "";
    clean += c;
  }
  if (clean.size() < 24) return "";
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : clean) {
    if (c == '=') break;
    const int v = std::isupper(static_cast<unsigned char>(c)) ? c - 'A'
                  : std::islower(static_cast<unsigned char>(c)) ? c - 'a' + 26
                  : std::isdigit(static_cast<unsigned char>(c)) ? c - '0' + 52
                  : (c == '+' || c == '-') ? 62 : 63;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return printable_runs(bytes);
}

}  // namespace

std::vector<std::string> other_readings(const std::string& text) {
  std::vector<std::string> out;
  auto add = [&](std::string reading) {
    if (!reading.empty() && reading != text && std::find(out.begin(), out.end(), reading) == out.end()) {
      out.push_back(std::move(reading));
    }
  };
  if (text.find('<') != std::string::npos || text.find('&') != std::string::npos) {
    add(markup_text(text, ""));
    add(markup_text(text, " "));
  }
  if (text.find('%') != std::string::npos) add(percent_decoded(text));
  // Escape sequences (a language code between two ESC, 7.9.2.2): readers
  // that honour them (pdf.js, in any encoding, of any length) show the words
  // around them joined; others show them as they are. In PDFDocEncoding the
  // byte 1B decodes as a dot accent (U+02D9).
  std::string escapes = text;
  for (size_t at = escapes.find("\xCB\x99"); at != std::string::npos; at = escapes.find("\xCB\x99", at)) {
    escapes.replace(at, 2, 1, '\x1B');
  }
  if (escapes.find('\x1B') != std::string::npos) {
    std::string joined;
    bool in_escape = false;
    for (char c : escapes) {
      if (c == '\x1B') in_escape = !in_escape;
      else if (!in_escape) joined += c;
    }
    add(joined);
  }
  // Control characters, which normalizing reads as word breaks, read as
  // nothing: "Fr\x01ance" is France to a reader that shows none. So are
  // U+FFFD, which a byte PDFDocEncoding leaves undefined (01-17, 7F, 9F)
  // decodes to, and which such a reader shows as that raw byte.
  std::string no_controls;
  for (size_t i = 0; i < text.size();) {
    size_t length = control_length(text, i);
    if (length == 0 && text.compare(i, 3, "\xEF\xBF\xBD") == 0) length = 3;
    if (length == 0) no_controls += text[i];
    i += std::max<size_t>(length, 1);
  }
  add(no_controls);
  add(base64_runs(text));
  for (char separator : {' ', '.', '-', '_', '*'}) {
    if (text.find(separator) != std::string::npos) add(spread_joined(text, separator));
  }
  return out;
}

std::string after_byte_order_mark(std::string_view bytes) {
  for (std::string_view mark : {"\xFE\xFF", "\xFF\xFE", "\xEF\xBB\xBF"}) {
    if (!bytes.starts_with(mark)) continue;
    const std::string_view rest = bytes.substr(mark.size());
    // Only bytes the mark does not make text: what its encoding cannot
    // decode (an odd length, a lone surrogate, bad UTF-8), or UTF-16 that
    // is all printable ASCII bytes (no real UTF-16 text is: its Latin
    // letters have a zero byte). A Japanese title's UTF-16 read as bytes is
    // noise in which a pattern finds costs ("0\xA3\x30...").
    const bool utf16 = mark.size() == 2;
    const bool printable = std::all_of(rest.begin(), rest.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
    const bool undecodable = (utf16 && rest.size() % 2 != 0) ||
                             decode_text_string(bytes).find("\xEF\xBF\xBD") != std::string::npos;
    return undecodable || (utf16 && printable) ? pdf_doc_text(rest) : "";
  }
  return "";
}

std::vector<std::string> comment_readings(std::string_view bytes) {
  std::vector<std::string> out{decode_text_string("\xEF\xBB\xBF" + std::string(bytes))};
  if (std::string single = decode_text_string(bytes); single != out[0]) out.push_back(std::move(single));
  if (std::string plain = after_byte_order_mark(bytes); !plain.empty() && plain != out[0]) out.push_back(std::move(plain));
  for (size_t i = 0, decoded = out.size(); i < decoded; ++i) {
    for (std::string& other : other_readings(out[i])) {
      if (std::find(out.begin(), out.end(), other) == out.end()) out.push_back(std::move(other));
    }
  }
  return out;
}

}  // namespace redact::pdf
