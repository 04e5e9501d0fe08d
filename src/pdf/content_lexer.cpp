#include "pdf/content_lexer.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>
#include <utility>

namespace redact::pdf {
namespace {

bool is_regular(unsigned char c) { return !is_pdf_whitespace(c) && !is_pdf_delimiter(c); }

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses a PDF number leniently, as viewers do: "--5" is -5, "1.2.3" is 1.2,
// "5-" is 5. Returns false when the token holds no digit at all.
bool parse_number(std::string_view token, double& out) {
  bool has_digit = false;
  for (char c : token) {
    if (c >= '0' && c <= '9') has_digit = true;
    else if (c != '+' && c != '-' && c != '.') return false;
  }
  if (!has_digit) return false;
  bool negative = false;
  size_t i = 0;
  while (i < token.size() && (token[i] == '+' || token[i] == '-')) {
    negative = negative || token[i] == '-';
    ++i;
  }
  // The longest prefix of digits with at most one '.'.
  size_t j = i;
  bool seen_dot = false;
  while (j < token.size() && ((token[j] >= '0' && token[j] <= '9') || (token[j] == '.' && !seen_dot))) {
    seen_dot = seen_dot || token[j] == '.';
    ++j;
  }
  std::string_view digits = token.substr(i, j - i);
  // Most numbers have a few digits: n / 10^k is then exact in both and
  // their quotient correctly rounded, the value from_chars gives.
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  uint64_t whole = 0;
  size_t count = 0, decimals = 0;
  for (char c : digits) {
    if (c == '.') {
      decimals = 1;
      continue;
    }
    whole = whole * 10 + static_cast<uint64_t>(c - '0');
    ++count;
    if (decimals > 0) ++decimals;
  }
  double value = 0;
  if (count <= 15) {
    value = static_cast<double>(whole) / kPowersOfTen[decimals > 0 ? decimals - 1 : 0];
  } else {
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                  std::chars_format::fixed);
    if (result.ec != std::errc()) value = 0;  // out of range: treat as 0, like MuPDF
  }
  out = negative ? -value : value;
  return true;
}

}  // namespace

const Object* Object::find(std::string_view key) const {
  if (kind != Kind::dict) return nullptr;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].bytes == key) return &items[i + 1];
  }
  return nullptr;
}

void ContentLexer::warn(size_t offset, std::string message, bool loses_content) {
  // Garbage can produce one warning per byte; a hundred say enough (but
  // one that loses content is always kept).
  if (warnings_.size() < 100 || loses_content) warnings_.push_back({offset, std::move(message), loses_content});
}

void ContentLexer::skip_whitespace_and_comments() {
  while (pos_ < data_.size()) {
    unsigned char c = static_cast<unsigned char>(data_[pos_]);
    if (is_pdf_whitespace(c)) {
      ++pos_;
    } else if (c == '%') {
      const size_t start = pos_++;
      while (pos_ < data_.size() && data_[pos_] != '\n' && data_[pos_] != '\r') ++pos_;
      // Once each: a keyword handed back is read again with what is before it.
      if (!comments_.empty() && start <= comments_.back().offset) continue;
      if (comments_.size() < max_comments_) {
        comments_.push_back({start, std::string(data_.substr(start + 1, pos_ - start - 1))});
      } else if (max_comments_ > 0) {
        comments_overflowed_ = true;
      }
    } else {
      break;
    }
  }
}

std::string ContentLexer::read_regular() {
  size_t start = pos_;
  while (pos_ < data_.size() && is_regular(static_cast<unsigned char>(data_[pos_]))) ++pos_;
  return std::string(data_.substr(start, pos_ - start));
}

size_t ContentLexer::string_end(std::string_view data, size_t offset) {
  if (offset >= data.size() || (data[offset] != '(' && data[offset] != '<')) return offset;
  ContentLexer lexer(data);
  lexer.pos_ = offset;
  if (data[offset] == '(') {
    lexer.read_literal_string();
  } else {
    lexer.read_hex_string();
  }
  return lexer.pos_;
}

Object ContentLexer::read_literal_string() {
  Object out;
  out.kind = Object::Kind::string;
  out.offset = pos_;
  ++pos_;  // '('
  int depth = 1;
  while (pos_ < data_.size()) {
    char c = data_[pos_++];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return out;
    } else if (c == '\\') {
      if (pos_ >= data_.size()) break;
      char e = data_[pos_++];
      switch (e) {
        case 'n': out.bytes.push_back('\n'); break;
        case 'r': out.bytes.push_back('\r'); break;
        case 't': out.bytes.push_back('\t'); break;
        case 'b': out.bytes.push_back('\b'); break;
        case 'f': out.bytes.push_back('\f'); break;
        case '\r':  // line continuation
          if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
          break;
        case '\n': break;
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int k = 0; k < 2 && pos_ < data_.size() && data_[pos_] >= '0' && data_[pos_] <= '7'; ++k) {
              value = value * 8 + (data_[pos_++] - '0');
            }
            out.bytes.push_back(static_cast<char>(value & 0xFF));
          } else {
            out.bytes.push_back(e);  // \( \) \\ and unknown escapes: the character itself
          }
      }
      continue;
    } else if (c == '\r') {
      // An end-of-line in a string is a single '\n' (7.3.4.2).
      if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
      c = '\n';
    }
    out.bytes.push_back(c);
  }
  warn(out.offset, "string not terminated");
  return out;
}

Object ContentLexer::read_hex_string() {
  Object out;
  out.kind = Object::Kind::string;
  out.hex = true;
  out.offset = pos_;
  ++pos_;  // '<'
  int high = -1;
  bool reported = false;
  while (pos_ < data_.size()) {
    unsigned char c = static_cast<unsigned char>(data_[pos_++]);
    if (c == '>') {
      if (high >= 0) out.bytes.push_back(static_cast<char>(high << 4));
      return out;
    }
    if (is_pdf_whitespace(c)) continue;
    int v = hex_value(c);
    if (v < 0) {
      if (!reported) warn(pos_ - 1, "invalid character in hex string");
      reported = true;
      continue;
    }
    if (high < 0) {
      high = v;
    } else {
      out.bytes.push_back(static_cast<char>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) out.bytes.push_back(static_cast<char>(high << 4));
  warn(out.offset, "hex string not terminated");
  return out;
}

Object ContentLexer::read_name() {
  Object out;
  out.kind = Object::Kind::name;
  out.offset = pos_;
  ++pos_;  // '/'
  while (pos_ < data_.size() && is_regular(static_cast<unsigned char>(data_[pos_]))) {
    char c = data_[pos_++];
    if (c == '#' && pos_ + 1 < data_.size()) {
      int h = hex_value(static_cast<unsigned char>(data_[pos_]));
      int l = hex_value(static_cast<unsigned char>(data_[pos_ + 1]));
      if (h >= 0 && l >= 0) {
        out.bytes.push_back(static_cast<char>((h << 4) | l));
        pos_ += 2;
        continue;
      }
    }
    out.bytes.push_back(c);
  }
  return out;
}

ContentLexer::Token ContentLexer::read_token() {
  skip_whitespace_and_comments();
  Token token;
  token.offset = pos_;
  if (pos_ >= data_.size()) return token;
  unsigned char c = static_cast<unsigned char>(data_[pos_]);
  switch (c) {
    case '(':
      token.kind = TokenKind::object;
      token.object = read_literal_string();
      return token;
    case '<':
      if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '<') {
        pos_ += 2;
        token.kind = TokenKind::dict_open;
      } else {
        token.kind = TokenKind::object;
        token.object = read_hex_string();
      }
      return token;
    case '>':
      pos_ += (pos_ + 1 < data_.size() && data_[pos_ + 1] == '>') ? 2 : 1;
      token.kind = TokenKind::dict_close;
      return token;
    case '[':
      ++pos_;
      token.kind = TokenKind::array_open;
      return token;
    case ']':
      ++pos_;
      token.kind = TokenKind::array_close;
      return token;
    case '/':
      token.kind = TokenKind::object;
      token.object = read_name();
      return token;
    case '{':
    case '}':
    case ')':
      // PostScript procedure braces (seen in CMaps) and stray parentheses
      // are keywords of their own, which callers ignore.
      ++pos_;
      token.kind = TokenKind::keyword;
      token.keyword = std::string(1, static_cast<char>(c));
      return token;
    default:
      break;
  }
  std::string word = read_regular();
  token.object.offset = token.offset;
  double number = 0;
  if (parse_number(word, number)) {
    token.kind = TokenKind::object;
    token.object.kind = Object::Kind::number;
    token.object.number = number;
    token.object.real = word.find('.') != std::string::npos;
  } else if (word == "true" || word == "false") {
    token.kind = TokenKind::object;
    token.object.kind = Object::Kind::boolean;
    token.object.boolean = word == "true";
  } else if (word == "null") {
    token.kind = TokenKind::object;
  } else {
    token.kind = TokenKind::keyword;
    token.keyword = std::move(word);
  }
  return token;
}

// Reads the value that starts with `token`; arrays and dicts recurse.
// Returns false when the token cannot start a value (a keyword or a closer).
bool ContentLexer::read_value(Token token, Object& out, int depth) {
  if (token.kind == TokenKind::object) {
    out = std::move(token.object);
    return true;
  }
  if (token.kind != TokenKind::array_open && token.kind != TokenKind::dict_open) return false;
  const bool is_array = token.kind == TokenKind::array_open;
  const TokenKind closer = is_array ? TokenKind::array_close : TokenKind::dict_close;
  out = Object{};
  out.kind = is_array ? Object::Kind::array : Object::Kind::dict;
  out.offset = token.offset;
  if (depth >= kMaxDepth) {
    skip_nested(token.offset);
    return true;
  }
  // Items gather in this depth's scratch vector and move into `out` at the
  // end, in one allocation of their number: pushed one by one, a TJ array
  // of fifty items was moved seven times over as it grew.
  std::vector<Object>& items = scratch_[static_cast<size_t>(depth)];
  items.clear();
  for (;;) {
    size_t before = pos_;
    Token inner = read_token();
    if (inner.kind == closer) break;
    if (inner.kind == TokenKind::eof) {
      warn(token.offset, is_array ? "array not terminated" : "dictionary not terminated");
      break;
    }
    if (inner.kind == TokenKind::array_close || inner.kind == TokenKind::dict_close) {
      warn(inner.offset, "unbalanced ']' or '>>'");
      continue;
    }
    if (inner.kind == TokenKind::keyword) {
      // Content streams never put operators inside arrays; the array was
      // not closed. Hand the keyword back to the caller.
      warn(token.offset, "array or dictionary not terminated before operator '" + inner.keyword + "'");
      pos_ = before;
      break;
    }
    Object value;
    read_value(std::move(inner), value, depth + 1);
    if (items.size() < kMaxArrayItems) {
      items.push_back(std::move(value));
    } else if (items.size() == kMaxArrayItems) {
      // What is dropped is read by no one: a string there would pass unseen.
      warn(token.offset, "array or dictionary of more than a million items; the rest is not read", true);
      items.emplace_back();
    }
  }
  out.items = take(items);
  // The last value is kept (a string there is still in the stream).
  if (!is_array && out.items.size() % 2 != 0) warn(token.offset, "dictionary has a key without a value");
  return true;
}

std::vector<Object> ContentLexer::take(std::vector<Object>& scratch) {
  // A scratch grown past kKeptScratch (a hostile array of a million items)
  // goes out whole, room and all: a copy of its number would hold the
  // items twice at the peak.
  if (scratch.capacity() > kKeptScratch) return std::exchange(scratch, std::vector<Object>());
  std::vector<Object> out(std::make_move_iterator(scratch.begin()), std::make_move_iterator(scratch.end()));
  scratch.clear();
  return out;
}

// Skips a value nested deeper than kMaxDepth, without recursion, up to the
// closer that balances the opener just read (or an operator, or the end).
void ContentLexer::skip_nested(size_t offset) {
  warn(offset, "arrays or dictionaries nested too deeply; inner values are not read", true);
  size_t open = 1;
  while (open > 0) {
    size_t before = pos_;
    Token token = read_token();
    switch (token.kind) {
      case TokenKind::eof: return;
      case TokenKind::array_open:
      case TokenKind::dict_open: ++open; break;
      case TokenKind::array_close:
      case TokenKind::dict_close: --open; break;
      case TokenKind::keyword:
        pos_ = before;  // an operator ends the operands; hand it back
        return;
      case TokenKind::object: break;
    }
  }
}

namespace {

// The value of an inline image's key, under its full name or abbreviation.
const Object* inline_value(const Object& dict, std::string_view full, std::string_view abbreviation) {
  const Object* value = dict.find(full);
  return value ? value : dict.find(abbreviation);
}

// How many bytes of a zlib stream at the start of `data` an inflater reads
// to give `wanted` bytes (or all if it gives fewer), and to its end, in one
// pass. Each is nullopt where the stream ends first without its end, is
// damaged, or inflates to more than the bytes `budget` has left (which it
// spends).
struct ZlibReads {
  std::optional<size_t> to_wanted;
  std::optional<size_t> to_end;
};
ZlibReads zlib_reads(std::string_view data, size_t& budget, size_t wanted) {
  ZlibReads out;
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(data.size(), UINT32_MAX));
  unsigned char sink[16384];
  while (budget > 0) {
    z.next_out = sink;
    // Up to `wanted` exactly, so that where it is reached is known.
    const size_t room = out.to_wanted ? sizeof sink : std::min<size_t>(sizeof sink, wanted - z.total_out);
    z.avail_out = static_cast<uInt>(room);
    const uInt asked = z.avail_out;
    const int status = inflate(&z, Z_NO_FLUSH);
    budget -= std::min<size_t>(budget, asked - z.avail_out);
    if (!out.to_wanted && (status == Z_STREAM_END || z.total_out >= wanted)) out.to_wanted = static_cast<size_t>(z.total_in);
    if (status == Z_STREAM_END) {
      out.to_end = static_cast<size_t>(z.total_in);
      break;
    }
    if (status != Z_OK) break;
  }
  inflateEnd(&z);
  return out;
}

// How long a JPEG at the start of `data` is, to its end-of-image marker:
// marker segments are skipped by their lengths (an EXIF thumbnail inside
// one has an end marker of its own), and coded data up to the next marker
// that is neither a stuffed 0xFF nor a restart.
std::optional<size_t> jpeg_length(std::string_view data) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(data[i]); };
  if (data.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  size_t i = 2;
  while (i + 1 < data.size()) {
    if (byte(i) != 0xFF) return std::nullopt;
    while (i + 1 < data.size() && byte(i + 1) == 0xFF) ++i;  // fill bytes
    if (i + 1 >= data.size()) break;
    const unsigned char marker = byte(i + 1);
    if (marker == 0xD9) return i + 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      i += 2;
      continue;
    }
    if (i + 3 >= data.size()) break;
    i += 2 + (static_cast<size_t>(byte(i + 2)) << 8 | byte(i + 3));
    if (marker != 0xDA) continue;
    while (i + 1 < data.size() &&
           !(byte(i) == 0xFF && byte(i + 1) != 0x00 && !(byte(i + 1) >= 0xD0 && byte(i + 1) <= 0xD7))) {
      ++i;
    }
  }
  return std::nullopt;
}

// Whether a key is given twice (readers take different ones), or
// parameters poppler rejects (it then reads no data at all): no length to
// trust.
bool has_duplicate_keys(const Object& dict) {
  for (const auto& [full, abbreviation] : {std::pair{"Width", "W"}, {"Height", "H"}, {"BitsPerComponent", "BPC"},
                                           {"ColorSpace", "CS"}, {"Filter", "F"}, {"ImageMask", "IM"},
                                           {"DecodeParms", "DP"}, {"Length", "L"}, {"Decode", "D"}}) {
    size_t count = 0;
    for (size_t i = 0; i + 1 < dict.items.size(); i += 2) {
      count += dict.items[i].bytes == full || dict.items[i].bytes == abbreviation;
    }
    if (count > 1) return true;
  }
  return false;
}

// How many bytes of samples an inline image's size and colours take (its
// rows, each whole bytes), or nullopt when that cannot be told here (a
// colour space named in the resources, parameters poppler rejects).
std::optional<double> sample_bytes(const Object& dict) {
  const Object* width = inline_value(dict, "Width", "W");
  const Object* height = inline_value(dict, "Height", "H");
  const Object* bits = inline_value(dict, "BitsPerComponent", "BPC");
  const Object* mask = inline_value(dict, "ImageMask", "IM");
  const Object* space = inline_value(dict, "ColorSpace", "CS");
  const Object* decode = inline_value(dict, "Decode", "D");
  const bool stencil = mask && mask->kind == Object::Kind::boolean && mask->boolean;
  // poppler wants integers: "8.0" is a real, and it rejects the image.
  const auto whole = [](const Object* o) { return o && o->is_number() && !o->real && o->number == std::floor(o->number); };
  if (!whole(width) || !whole(height) || width->number < 1 || height->number < 1 || width->number > 1e6 ||
      height->number > 1e6 || (bits && !whole(bits)) || (stencil && bits && bits->number != 1)) {
    return std::nullopt;
  }
  const auto device_components = [](const std::string& n) {
    return n == "G" || n == "DeviceGray" ? 1 : n == "RGB" || n == "DeviceRGB" ? 3 : n == "CMYK" || n == "DeviceCMYK" ? 4 : 0;
  };
  double components = 0, bpc = stencil ? 1 : 0;
  if (!stencil && bits) bpc = bits->number;
  if (stencil) {
    components = 1;
  } else if (space && space->is_name()) {
    components = device_components(space->bytes);
  } else if (space && space->is_array() && space->items.size() == 4 && space->items[0].is_name() &&
             (space->items[0].bytes == "I" || space->items[0].bytes == "Indexed")) {
    // An Indexed space poppler accepts: a device base, a whole high value
    // up to 255, a table that long.
    const Object& base = space->items[1];
    const Object& high = space->items[2];
    const Object& table = space->items[3];
    const int base_components = base.is_name() ? device_components(base.bytes) : 0;
    if (base_components > 0 && whole(&high) && high.number >= 0 && high.number <= 255 && table.is_string() &&
        table.bytes.size() >= static_cast<size_t>(high.number + 1) * static_cast<size_t>(base_components)) {
      components = 1;
    }
  }
  if (components == 0 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)) return std::nullopt;
  // A /Decode poppler rejects (it then reads no data and resumes at the
  // first "EI" inside it): no array, or for a colour image, not two numbers
  // a component.
  if (decode && decode->kind != Object::Kind::null) {
    if (!decode->is_array()) return std::nullopt;
    const auto number = [](const Object& o) { return o.is_number(); };
    const auto wanted = static_cast<size_t>(2 * components);
    if (!stencil && (decode->items.size() < wanted ||
                     !std::all_of(decode->items.begin(), decode->items.begin() + static_cast<long>(wanted), number))) {
      return std::nullopt;
    }
  }
  return std::ceil(width->number * components * bpc / 8) * height->number;
}

// Whether the image has one filter, or none, and no parameters: what a
// decoder then reads is told here.
bool one_filter_alone(const Object& dict) {
  if (inline_value(dict, "DecodeParms", "DP")) return false;
  const Object* filter = inline_value(dict, "Filter", "F");
  return !filter || filter->is_name() || (filter->is_array() && filter->items.size() <= 1);
}

// Where ASCIIHex, ASCII85 and RunLength decoders have given `needed`
// bytes, or reach their end mark, whichever comes first.
std::optional<size_t> hex_stop(std::string_view data, size_t needed) {
  size_t digits = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '>') return i + 1;
    if (is_pdf_whitespace(static_cast<unsigned char>(data[i]))) continue;
    if (!std::isxdigit(static_cast<unsigned char>(data[i]))) return std::nullopt;
    if (++digits == 2 * needed) return i + 1;
  }
  return std::nullopt;
}

std::optional<size_t> ascii85_stop(std::string_view data, size_t needed) {
  size_t produced = 0, group = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '~') return i + 1 < data.size() && data[i + 1] == '>' ? std::optional<size_t>(i + 2) : std::nullopt;
    if (is_pdf_whitespace(static_cast<unsigned char>(c))) continue;
    if (c == 'z' && group == 0) {
      produced += 4;
    } else if (c >= '!' && c <= 'u') {
      if (++group < 5) continue;
      group = 0;
      produced += 4;
    } else {
      return std::nullopt;
    }
    if (produced >= needed) return i + 1;
  }
  return std::nullopt;
}

// With `needed` SIZE_MAX: the end mark.
std::optional<size_t> run_length_stop(std::string_view data, size_t needed) {
  size_t produced = 0;
  for (size_t i = 0; i < data.size();) {
    const auto n = static_cast<unsigned char>(data[i]);
    if (n == 128) return i + 1;
    produced += n < 128 ? n + 1 : 257 - n;
    i += n < 128 ? n + 2 : 2;
    if (produced >= needed) return i <= data.size() ? std::optional<size_t>(i) : std::nullopt;
  }
  return std::nullopt;
}

// What readers that decode an inline image's data read of it, from one
// reading of its filter (Flate inflated once):
// - `stop`: where a decoder stops reading (poppler's and MuPDF's ASCIIHex,
//   ASCII85 and RunLength filters read byte by byte, and only as much as
//   they must): once its one filter, or none, has given the bytes the
//   image needs, or at the filter's end mark, whichever comes first. Both
//   readers then take the first "EI" after it for the image's end. For
//   Flate, where the first of them may stop (not `exact`: poppler reads a
//   stored block whole, MuPDF to the end of the zlib stream). nullopt
//   where that cannot be told: a chain of filters or parameters, JPEG,
//   LZW, CCITT, a size or colour space not read here, data that does not
//   decode.
// - `length`: how many bytes the data takes, as a reader that decodes it
//   finds (poppler reads that much, then looks for "EI"): the end its first
//   filter marks, or for data with no filter, the rows its size and colours
//   take. nullopt when that cannot be told here (a colour space named in
//   the resources, LZW or CCITT data).
// Both nullopt for a key given twice.
struct InlineDataEnds {
  std::optional<size_t> stop;
  bool exact = true;
  std::optional<size_t> length;
};
InlineDataEnds inline_data_ends(const Object& dict, std::string_view data, size_t& inflate_budget) {
  InlineDataEnds out;
  if (has_duplicate_keys(dict)) return out;
  const std::optional<double> wanted = sample_bytes(dict);
  // What the decoder needs, when its stop can be told.
  std::optional<size_t> needed;
  if (one_filter_alone(dict) && wanted && *wanted <= static_cast<double>(size_t{1} << 40)) {
    needed = static_cast<size_t>(*wanted);
  }
  const Object* filter = inline_value(dict, "Filter", "F");
  if (filter && filter->is_array()) filter = filter->items.empty() ? nullptr : &filter->items[0];
  if (!filter) {
    if (wanted && *wanted <= static_cast<double>(data.size())) {
      out.length = static_cast<size_t>(*wanted);
      if (needed) out.stop = out.length;
    }
    return out;
  }
  if (!filter->is_name()) return out;
  const std::string& f = filter->bytes;
  const auto found = [&](std::string_view mark) -> std::optional<size_t> {
    const size_t at = data.find(mark);
    return at == std::string_view::npos ? std::nullopt : std::optional<size_t>(at + mark.size());
  };
  if (f == "AHx" || f == "ASCIIHexDecode") {
    if (needed) out.stop = hex_stop(data, *needed);
    out.length = found(">");
  } else if (f == "A85" || f == "ASCII85Decode") {
    if (needed) out.stop = ascii85_stop(data, *needed);
    out.length = found("~>");
  } else if (f == "RL" || f == "RunLengthDecode") {
    if (needed) out.stop = run_length_stop(data, *needed);
    out.length = run_length_stop(data, SIZE_MAX);
  } else if (f == "Fl" || f == "FlateDecode") {
    const ZlibReads reads = zlib_reads(data, inflate_budget, needed.value_or(SIZE_MAX));
    if (needed) {
      out.stop = reads.to_wanted;
      out.exact = false;
    }
    out.length = reads.to_end;
  } else if (f == "DCT" || f == "DCTDecode") {
    out.length = jpeg_length(data);
  }
  return out;
}

}  // namespace

namespace {

// Whether content that draws (text, or a form) could follow an "EI" inside
// `data`'s byte range [begin, end): a reader that stops decoding an inline
// image sooner than here (poppler and MuPDF read only what the image
// needs) takes the first "EI" after where it stops for the image's end, and
// what follows for content. After each such "EI" the next `operations`
// that start before `content_end` (by default `end`: what follows is read
// as content) are read as readers read them, past any warning
// and unknown operator, in a text object or not: `Tj` or `TJ` showing a
// string (its last operand, or one in the array), or `Do` drawing a named
// form, is drawing (and ' or " in a text object with exactly their
// operands). Image data read so is garbage, in which a string shown by an
// operator standing alone is rare; 4 MiB of such reading at most, and 4,096
// of them, past which it is true.
bool draws_after_an_ei(std::string_view data, size_t begin, size_t end, size_t operations = 64,
                       size_t content_end = 0) {
  if (content_end < end) content_end = end;
  size_t read = 0, seen = 0;
  for (size_t at = data.find("EI", begin); at != std::string_view::npos && at < end; at = data.find("EI", at + 1)) {
    if (++seen > 4096 || read > (size_t{4} << 20)) return true;
    // A window of 4 KiB after the "EI" (64 operations of garbage fit in
    // it; a string opened in image data may run for megabytes), or to the
    // end of what is judged when every operation counts.
    const size_t reach = operations == SIZE_MAX ? std::max(content_end, at + 2) : at + 2;
    const size_t until = std::min(data.size(), reach + 4096);
    ContentLexer lexer(data.substr(at + 2, until - (at + 2)));
    Operation op;
    bool in_text = false;  // after a BT with no operand
    // Only what starts before `end`: what follows it is read as content.
    for (size_t n = 0; n < operations && lexer.next(op) && at + 2 + op.begin < content_end; ++n) {
      const std::vector<Object>& o = op.operands;
      if (op.op == "BT" && o.empty()) in_text = true;
      if (o.empty()) continue;
      const Object& last = o.back();
      // ' and " are one character each, which image data spells often: they
      // count in a text object, with exactly the operands they take.
      const bool quote = in_text && ((op.op == "'" && o.size() == 1 && last.is_string()) ||
                                     (op.op == "\"" && o.size() == 3 && o[0].is_number() && o[1].is_number() && last.is_string()));
      const bool text = quote || (op.op == "Tj" && last.is_string()) ||
                        (op.op == "TJ" && last.is_array() &&
                         std::any_of(last.items.begin(), last.items.end(), [](const Object& i) { return i.is_string(); }));
      if (text || (op.op == "Do" && last.is_name())) return true;
    }
    read += lexer.offset();
  }
  return false;
}

// Whether "EI" at `at` stands as MuPDF wants it: followed by whitespace, a
// delimiter or the end of the data.
bool ei_ends_for_mupdf(std::string_view data, size_t at) {
  return at + 2 >= data.size() || is_pdf_whitespace(static_cast<unsigned char>(data[at + 2])) ||
         is_pdf_delimiter(static_cast<unsigned char>(data[at + 2]));
}

}  // namespace

void ContentLexer::read_inline_image(Operation& out) {
  // BI <key value ...> ID <one whitespace byte> data EI
  Object dict;
  dict.kind = Object::Kind::dict;
  dict.offset = pos_;
  for (;;) {
    Token token = read_token();
    if (token.kind == TokenKind::eof) {
      warn(out.begin, "inline image without ID");
      out.end = pos_;
      out.operands.push_back(std::move(dict));
      return;
    }
    if (token.kind == TokenKind::keyword && token.keyword == "ID") break;
    Object value;
    if (read_value(std::move(token), value, 1) && dict.items.size() < 2 * kMaxOperands) {
      dict.items.push_back(std::move(value));
    }
  }
  // A key without a value stays: a string there is still in the stream.
  if (dict.items.size() % 2 != 0) warn(dict.offset, "inline image dictionary has a key without a value");
  if (pos_ < data_.size() && is_pdf_whitespace(static_cast<unsigned char>(data_[pos_]))) ++pos_;
  out.data_begin = pos_;
  // Where a reader that decodes the data stops reading it: then the first
  // "EI" after that ends the image, whatever stands around it (poppler's
  // rule). Where the decoder's stop is told exactly, no "EI" before it can
  // be taken and none after it is passed over; where only the end of the
  // first filter is, an "EI" inside the data that drawing content follows
  // holds the page.
  const InlineDataEnds ends = inline_data_ends(dict, data_.substr(pos_), inflate_budget_);
  const std::optional<size_t>& stop = ends.stop;
  const std::optional<size_t>& length = ends.length;
  const bool exact = stop && ends.exact;
  if (exact || length) {
    const size_t at = data_.find("EI", pos_ + (exact ? *stop : *length));
    out.data_end = length ? std::min(pos_ + *length, at) : at == std::string_view::npos ? data_.size() : at;
    // Flate: the end is MuPDF's (the zlib stream's); poppler may stop from
    // where the image's bytes are out, so every "EI" from there is judged,
    // however far the content after it runs (normally only the stream's
    // check value lies there).
    // What lies before the "EI" taken is read by no rule here.
    const size_t taken = at == std::string_view::npos ? data_.size() : at;
    const bool drawing = exact  ? false
                         : stop ? draws_after_an_ei(data_, pos_ + *stop, taken, SIZE_MAX)
                                : draws_after_an_ei(data_, pos_, taken);
    if (drawing) {
      warn(out.begin, "inline image whose data holds an \"EI\" that drawing content follows: readers may end it there; "
                      "the rest of the stream cannot be read", true);
    }
    // An "EI" glued to what follows ("EIx") ends the image for poppler, not
    // for MuPDF, which reads on to one that stands alone: what follows that
    // one is content to MuPDF alone.
    if (at != std::string_view::npos && !ei_ends_for_mupdf(data_, at)) {
      size_t next = data_.find("EI", at + 2);
      while (next != std::string_view::npos && !ei_ends_for_mupdf(data_, next)) next = data_.find("EI", next + 2);
      if (next != std::string_view::npos && draws_after_an_ei(data_, next, next + 1, 64, data_.size())) {
        warn(out.begin, "inline image ending at an \"EI\" glued to what follows, which readers read differently: "
                        "the rest of the stream cannot be read", true);
      }
    }
    // A length the dictionary states is the one poppler takes: where the
    // "EI" after it is not this one, readers part ways.
    const Object* stated = inline_value(dict, "Length", "L");
    if (stated && stated->is_number() &&
        (stated->number < 0 || stated->number > static_cast<double>(data_.size() - pos_) ||
         data_.find("EI", pos_ + static_cast<size_t>(stated->number)) != at)) {
      warn(out.begin, "inline image whose /L disagrees with its data: the rest of the stream cannot be read", true);
    }
    if (at == std::string_view::npos) {
      // With no "EI" at all, no reader reads anything after it as content.
      const bool none = data_.find("EI", pos_) == std::string_view::npos;
      warn(out.begin, none ? "inline image without EI" : "inline image without EI: the rest of the stream cannot be read", !none);
      out.end = pos_ = data_.size();
    } else {
      out.end = pos_ = at + 2;
    }
    out.operands.push_back(std::move(dict));
    keep_image_data(out);
    return;
  }
  // Otherwise, "EI" standing alone: preceded by whitespace and followed by
  // whitespace, a delimiter ("EI/P BMC", "EI%", which poppler reads on from)
  // or the end, with text after it (image data may hold "EI" by chance).
  // One passed over for the bytes after it (text starting with "Café") is
  // an end a reader may take: what lies between is then read by no rule
  // here, and the rest of the stream is lost. With no end found, so is it.
  size_t search = pos_;
  bool passed_over = false;
  for (;;) {
    size_t at = data_.find("EI", search);
    if (at == std::string_view::npos) {
      // An "EI" with only whitespace after it, last in the stream, ends the
      // image whatever is before it ("...@EI" closing a glyph procedure):
      // nothing follows that could be read otherwise.
      size_t last = data_.size();
      while (last > out.data_begin && is_pdf_whitespace(static_cast<unsigned char>(data_[last - 1]))) --last;
      if (!passed_over && last >= out.data_begin + 2 && data_.substr(last - 2, 2) == "EI") {
        out.data_end = last - 2;
        out.end = pos_ = last;
        break;
      }
      // With no "EI" at all, no reader reads anything after it as content.
      const bool none = data_.find("EI", out.data_begin) == std::string_view::npos;
      warn(out.begin, none ? "inline image without EI" : "inline image without EI: the rest of the stream cannot be read", !none);
      out.data_end = out.end = pos_ = data_.size();
      break;
    }
    bool before_ok = at == out.data_begin || is_pdf_whitespace(static_cast<unsigned char>(data_[at - 1]));
    bool after_ok = ei_ends_for_mupdf(data_, at);
    bool text_follows = true;
    for (size_t k = at + 2; k < data_.size() && k < at + 2 + 32; ++k) {
      unsigned char c = static_cast<unsigned char>(data_[k]);
      if (c >= 0x7F || (c < 0x20 && !is_pdf_whitespace(c))) {
        text_follows = false;
        break;
      }
    }
    if (before_ok && after_ok && text_follows) {
      out.data_end = at > out.data_begin ? at - 1 : at;
      out.end = pos_ = at + 2;
      if (passed_over || draws_after_an_ei(data_, out.data_begin, out.data_end)) {
        warn(out.begin, "inline image whose end cannot be told: the rest of the stream cannot be read", true);
        out.end = pos_ = data_.size();
      }
      break;
    }
    passed_over = passed_over || (before_ok && after_ok);
    search = at + 1;
  }
  out.operands.push_back(std::move(dict));
  keep_image_data(out);
}

void ContentLexer::keep_image_data(Operation& out) const {
  if (out.data_end >= out.data_begin && out.data_end - out.data_begin <= Operation::kMaxKeptImageData) {
    out.image_data = std::make_shared<const std::string>(data_.substr(out.data_begin, out.data_end - out.data_begin));
  }
}

bool ContentLexer::next(Operation& out) {
  out = Operation{};
  bool first = true;
  bool dropped_operands = false;
  std::vector<Object>& operands = scratch_[kMaxDepth + 1];  // as an array's items (read_value)
  operands.clear();
  for (;;) {
    Token token = read_token();
    if (first) out.begin = token.offset;
    first = false;
    if (token.kind == TokenKind::eof) {
      if (operands.empty()) return false;
      out.operands = take(operands);
      // Handed back as an operation with no operator: no reader runs it,
      // but its strings are in the stream all the same.
      warn(out.begin, "operands without an operator at the end of the stream");
      out.end = pos_;
      return true;
    }
    if (token.kind == TokenKind::keyword) {
      if (token.keyword == "{" || token.keyword == "}" || token.keyword == ")") {
        if (token.keyword == ")") warn(token.offset, "unbalanced ')'");
        continue;
      }
      out.op = std::move(token.keyword);
      out.end = pos_;
      out.operands = take(operands);
      if (out.op == "BI") read_inline_image(out);
      if (dropped_operands) warn(out.begin, "more than 4096 operands for '" + out.op + "'; the rest is not read", true);
      return true;
    }
    if (token.kind == TokenKind::array_close || token.kind == TokenKind::dict_close) {
      warn(token.offset, "unbalanced ']' or '>>'");
      continue;
    }
    Object value;
    read_value(std::move(token), value, 0);
    if (operands.size() < kMaxOperands) operands.push_back(std::move(value));
    else dropped_operands = true;
  }
}

namespace {

// The objects in `object`, itself included (nesting is bounded by the lexer).
size_t count_items(const Object& object) {
  size_t n = 1;
  for (const Object& item : object.items) n += count_items(item);
  return n;
}

}  // namespace

std::optional<TokenAround> token_around(const std::vector<Operation>& ops, std::string_view data, size_t offset) {
  // The operation around `offset`: the last to begin at or before it.
  const auto after = std::upper_bound(ops.begin(), ops.end(), offset,
                                      [](size_t at, const Operation& op) { return at < op.begin; });
  if (after == ops.begin()) return std::nullopt;
  const Operation& op = *std::prev(after);
  if (offset >= op.end) return std::nullopt;
  // From an inline image's data to its "EI": past the data's end, every
  // byte up to the "EI" taken is the image's too for some reader.
  // (An image with no ID has no data: data_begin is left at 0.)
  if (op.op == "BI" && op.data_begin > op.begin && op.data_begin <= offset) return TokenAround{op.data_begin, true};
  std::vector<const Object*> pending;  // nesting is bounded by the lexer
  for (const Object& operand : op.operands) pending.push_back(&operand);
  while (!pending.empty()) {
    const Object* o = pending.back();
    pending.pop_back();
    if (o->is_string() && !o->hex && o->offset < offset && offset < ContentLexer::string_end(data, o->offset)) {
      return TokenAround{o->offset, false};
    }
    for (const Object& item : o->items) pending.push_back(&item);
  }
  return std::nullopt;
}

std::vector<Operation> parse_content(std::string_view data, std::vector<LexWarning>* warnings, size_t max_items,
                                     bool* truncated, size_t* items, std::vector<Comment>* comments) {
  // Comments cost an item each: as many as the budget holds are kept.
  ContentLexer lexer(data, comments ? max_items : 0);
  std::vector<Operation> ops;
  Operation op;
  size_t held = 0, comments_held = 0;
  bool cut = false;
  while (lexer.next(op)) {
    size_t cost = 1 + lexer.comments().size() - comments_held;
    for (const Object& operand : op.operands) cost += count_items(operand);
    if (held + cost > max_items || lexer.comments_overflowed()) {
      cut = true;
      break;
    }
    held += cost;
    comments_held = lexer.comments().size();
    ops.push_back(std::move(op));
  }
  // Comments after the last operation.
  if (!cut) {
    const size_t more = lexer.comments().size() - comments_held;
    if (held + more > max_items || lexer.comments_overflowed()) {
      cut = true;
    } else {
      held += more;
      comments_held = lexer.comments().size();
    }
  }
  if (comments) {
    comments->insert(comments->end(), lexer.comments().begin(),
                     lexer.comments().begin() + static_cast<std::ptrdiff_t>(comments_held));
  }
  if (truncated) *truncated = cut;
  if (items) *items = held;
  if (warnings) warnings->insert(warnings->end(), lexer.warnings().begin(), lexer.warnings().end());
  return ops;
}

}  // namespace redact::pdf
