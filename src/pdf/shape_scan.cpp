#include "pdf/shape_scan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "pdf/content_lexer.h"
#include "pdf/flate.h"

namespace redact::pdf::detail {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool is_regular(unsigned char c) { return !is_space(c) && !is_pdf_delimiter(c); }

int hex_digit(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

// A dictionary's text with every #xx escape decoded, so that keys are
// found as PoDoFo reads them (/F#69lter is /Filter).
std::string unescaped(std::string_view dict) {
  std::string out;
  out.reserve(dict.size());
  for (size_t i = 0; i < dict.size(); ++i) {
    if (dict[i] == '#' && i + 2 < dict.size() && hex_digit(dict[i + 1]) >= 0 && hex_digit(dict[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(dict[i + 1]) * 16 + hex_digit(dict[i + 2]));
      i += 2;
    } else {
      out += dict[i];
    }
  }
  return out;
}

// A name's characters (after its '/') with #xx escapes decoded (7.3.5),
// from its first 192 bytes: no name redact looks for is longer.
std::string decode_name(std::string_view raw) { return unescaped(raw.substr(0, 192)); }

// The filters named after /Filter in a dictionary's text: one name or an
// array of names. An indirect /Filter gives one entry "?" (unknown).
std::vector<std::string> filters(std::string_view dict) {
  std::vector<std::string> names;
  // /Filter, or its abbreviation /F (not /First), as readers take it.
  size_t key = dict.find("/Filter"), length = 7;
  for (size_t f = dict.find("/F"); key == std::string_view::npos && f != std::string_view::npos; f = dict.find("/F", f + 1)) {
    if (f + 2 == dict.size() || !is_regular(static_cast<unsigned char>(dict[f + 2]))) key = f, length = 2;
  }
  if (key == std::string_view::npos) return names;
  size_t at = key + length;
  while (at < dict.size() && is_space(static_cast<unsigned char>(dict[at]))) ++at;
  const bool array = at < dict.size() && dict[at] == '[';
  if (array) ++at;
  while (at < dict.size()) {
    while (at < dict.size() && is_space(static_cast<unsigned char>(dict[at]))) ++at;
    if (at >= dict.size() || dict[at] != '/') break;
    size_t end = at + 1;
    while (end < dict.size() && is_regular(static_cast<unsigned char>(dict[end]))) ++end;
    names.emplace_back(dict.substr(at + 1, end - at - 1));
    at = end;
    if (!array) break;
  }
  if (names.empty()) names.emplace_back("?");
  return names;
}

// Skips white space and comments from `at`, as PoDoFo's tokenizer does.
size_t skip_space(std::string_view text, size_t at) {
  while (at < text.size()) {
    if (text[at] == '%') {
      while (at < text.size() && text[at] != '\n' && text[at] != '\r') ++at;
    } else if (is_space(static_cast<unsigned char>(text[at]))) {
      ++at;
    } else {
      break;
    }
  }
  return at;
}

size_t token_end(std::string_view text, size_t at) {
  while (at < text.size() && is_regular(static_cast<unsigned char>(text[at]))) ++at;
  return at;
}

// Past the literal string that opens at `at` (balanced parentheses,
// backslash escapes), or the end of `text`.
size_t string_end(std::string_view text, size_t at) {
  int parens = 0;
  for (; at < text.size(); ++at) {
    if (text[at] == '\\') ++at;
    else if (text[at] == '(') ++parens;
    else if (text[at] == ')' && --parens == 0) return at + 1;
  }
  return text.size();
}

// The token at `at` if it is an integer ([+-]digits), moving `at` past it.
std::optional<long long> integer_at(std::string_view text, size_t& at) {
  const size_t end = token_end(text, at);
  const std::string_view token = text.substr(at, end - at);
  const size_t sign = !token.empty() && (token[0] == '+' || token[0] == '-') ? 1 : 0;
  std::string_view digits = token.substr(sign);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char d) { return d >= '0' && d <= '9'; })) {
    return std::nullopt;
  }
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);  // zeros in front count for nothing
  if (digits.size() > 18) return std::nullopt;
  at = end;
  const long long value = std::stoll(std::string(digits));
  return token[0] == '-' ? -value : value;
}

// One step of a walk over an object's tokens from `i`, as PoDoFo's
// tokenizer reads them: past white space and comments, a string, a hex
// string, a name or a word, counting `level` up at `<<` and `[` and down at
// `>>` and `]`. Returns where the walk goes on.
size_t step(std::string_view text, size_t i, int& level) {
  const char c = text[i];
  const bool pair = i + 1 < text.size() && text[i + 1] == c;
  if (c == '%' || is_space(static_cast<unsigned char>(c))) return skip_space(text, i);
  if (c == '(') return string_end(text, i);
  if ((c == '<' || c == '>') && pair) {
    level += c == '<' ? 1 : -1;
    return i + 2;
  }
  if (c == '<') {
    const size_t close = text.find('>', i);
    return close == std::string_view::npos ? text.size() : close + 1;
  }
  if (c == '[' || c == ']') {
    level += c == '[' ? 1 : -1;
    return i + 1;
  }
  if (c == '/') return token_end(text, i + 1);
  if (is_regular(static_cast<unsigned char>(c))) return token_end(text, i);
  return i + 1;
}

// Calls found(at) for each entry of `key` among the entries `depth`
// dictionaries and arrays deep in an object's text (1: the outermost
// dictionary), `at` just after the key, as PoDoFo reads them: names with #xx
// escapes decoded, comments and strings skipped.
template <typename Found>
void find_key(std::string_view text, std::string_view key, int depth, Found found) {
  int level = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t next = step(text, i, level);
    if (text[i] == '/' && level == depth && decode_name(text.substr(i + 1, next - i - 1)) == key) found(next);
    i = next;
  }
}

bool has_key(std::string_view text, std::string_view key) {
  bool has = false;
  find_key(text, key, 1, [&](size_t) { has = true; });
  return has;
}

// The integers of `key`'s value (one, or an array's), as find_key finds
// it, a repeated key's last value winning, a reference ("5 0 R") no
// integer. Empty when absent or not integers.
std::vector<long long> integers_of(std::string_view text, std::string_view key, int depth = 1) {
  std::vector<long long> found;
  find_key(text, key, depth, [&](size_t after) {
    std::vector<long long> value;
    size_t at = skip_space(text, after);
    if (at < text.size() && text[at] == '[') {
      at = skip_space(text, at + 1);
      for (std::optional<long long> n; value.size() < 4096 && (n = integer_at(text, at));) {
        value.push_back(*n);
        at = skip_space(text, at);
      }
    } else if (const std::optional<long long> n = integer_at(text, at)) {
      size_t next = skip_space(text, at);
      const bool reference = integer_at(text, next) && text.substr(skip_space(text, next), 1) == "R";
      if (!reference) value.push_back(*n);
    }
    found = std::move(value);
  });
  return found;
}

// The one value PoDoFo reads from `at`: a dictionary or array to its close,
// a string, a name or a token.
struct Value {
  size_t end = 0;
  int depth = 0;  // of dictionaries and arrays
};

// Nothing when the value runs more than `limit` bytes on.
std::optional<Value> value_at(std::string_view data, size_t at, size_t limit) {
  const size_t stop = data.size() - at > limit ? at + limit : data.size();
  int level = 0, deepest = 0;
  for (size_t i = skip_space(data, at); i < stop; i = skip_space(data, i)) {
    i = step(data, i, level);
    deepest = std::max(deepest, level);
    if (level <= 0) return i <= stop ? std::optional<Value>(Value{i, deepest}) : std::nullopt;
  }
  return stop == data.size() ? std::optional<Value>(Value{data.size(), deepest}) : std::nullopt;
}

// What PoDoFo 0.9.8's reading of one object stream costs beyond the entries
// naming it (PdfObjectStreamParserObject::ReadObjectsFromStream): for each
// of the header's /N pairs (read from the data's start as long as they are
// integers, /First or not) it parses the value at /First + offset, whether
// an entry names the object or not.
struct Header {
  double pairs = 0;
  double parsed = 0;       // bytes parsed again (past one parse of each value), over all pairs
  double depth_cubed = 0;  // the cube of each value's depth, for each parse again
  bool measured = false;   // false: too many pairs, too much parsing, or numbers the scan cannot read as PoDoFo does
};

constexpr size_t kMaxHeaderPairs = 1000000;

Header measure_header(std::string_view dict, std::string_view data) {
  Header header;
  const std::vector<long long> n = integers_of(dict, "N");
  const std::vector<long long> first = integers_of(dict, "First");
  // An absent /N is 0 to PoDoFo, but counting the pairs there are is safe.
  const size_t wanted = n.size() == 1 ? static_cast<size_t>(std::max(0LL, n.front())) : SIZE_MAX;
  const long long start = first.size() == 1 ? first.front() : 0;
  // A /First PoDoFo reads (a reference it follows, a number strtol takes)
  // but the scan cannot: the pairs would be measured in the wrong place.
  bool unreadable = first.size() != 1 && has_key(dict, "First");
  // PoDoFo reads each number with strtol: a token that starts with one.
  const auto number = [&](size_t& at) -> std::optional<long long> {
    at = skip_space(data, at);
    const size_t end = token_end(data, at);
    const bool negative = at < end && data[at] == '-';
    const size_t from = at < end && (data[at] == '+' || data[at] == '-') ? at + 1 : at;
    size_t digits = from;
    while (digits < end && data[digits] == '0') ++digits;  // zeros in front count for nothing
    const size_t significant = digits;
    long long value = 0;
    for (; digits < end && data[digits] >= '0' && data[digits] <= '9'; ++digits) {
      if (digits - significant == 18) {
        unreadable = true;  // strtol would read a number the scan cannot
        return std::nullopt;
      }
      value = value * 10 + (data[digits] - '0');
    }
    if (digits == from) return std::nullopt;
    at = end;
    return negative ? -value : value;
  };
  std::vector<long long> offsets;
  for (size_t at = 0; offsets.size() < wanted;) {
    if (!number(at)) break;
    const std::optional<long long> offset = number(at);
    if (!offset) break;
    if (offsets.size() == kMaxHeaderPairs) return header;
    offsets.push_back(start + *offset);
  }
  if (unreadable) return header;
  header.pairs = static_cast<double>(offsets.size());
  std::sort(offsets.begin(), offsets.end());
  size_t budget = 8 * data.size() + (size_t{1} << 20);
  size_t covered = 0;  // the end of the values parsed so far, in order of offset
  for (size_t k = 0, same = 0; k < offsets.size(); k += same) {
    for (same = 1; k + same < offsets.size() && offsets[k + same] == offsets[k];) ++same;
    if (offsets[k] < 0 || static_cast<size_t>(offsets[k]) >= data.size()) continue;
    const size_t at = static_cast<size_t>(offsets[k]);
    const std::optional<Value> value = value_at(data, at, budget);
    if (!value) return header;
    budget -= value->end - at;
    // Each value parsed once costs what the same objects loose would cost
    // (libqpdf's copy saves nothing there); what is parsed again (a pair
    // repeated, a value inside one parsed already) is the excess.
    const double again = static_cast<double>(same) - (at >= covered ? 1 : 0);
    const double depth = value->depth;
    header.parsed += static_cast<double>(value->end - at) * again;
    header.depth_cubed += depth * depth * depth * again;
    covered = std::max(covered, value->end);
  }
  header.measured = true;
  return header;
}

class Scanner {
  // A cross-reference section scan_trailers read.
  struct Section {
    size_t offset = 0;     // of the section (`xref`, or the stream object)
    size_t stream_at = 0;  // a stream's: just after its `stream`; 0 for a classic table
    std::string text;      // a stream's dictionary; a classic table's trailer
  };

 public:
  Scanner(std::string_view file, const ShapeLimits& limits) : file_(file), limits_(limits) {}

  ShapeProblem run() {
    scan(file_, 0, true);
    return problem_;
  }

  // One object (or cross-reference section and trailer) read from `offset`
  // as PoDoFo reads it: up to `stream`, `endobj` or `startxref`. Returns the
  // /Prev and /XRefStm offsets it names.
  std::vector<long long> run_at(size_t offset) {
    one_object_ = true;
    named_offsets_.clear();
    stopped_at_stream_ = 0;
    stopped_text_ = {};
    if (offset < file_.size()) scan(file_.substr(offset), offset, false);
    one_object_ = false;
    // Objects read from offsets may overlap (each starting a string that
    // ends at the end of the file): what they cost together is bounded.
    if (scanned_ > 4 * file_.size() + (size_t{64} << 20)) {
      fail("its objects overlap so much that reading each from its offset reads the file many times over", offset);
    }
    return named_offsets_;
  }

  const ShapeProblem& problem() const { return problem_; }

  // scan_trailers, after run_at read the cross-reference section at
  // `offset` (a classic table and its trailer, or a stream): its rows count
  // the entries naming each object stream, and its /Size and rows say how
  // large PoDoFo's table of entries grows.
  void read_section(size_t offset) {
    if (!problem_.message.empty()) return;
    // A classic section's text is kept from its trailer on: its rows are
    // read from the file.
    const size_t trailer = stopped_at_stream_ ? 0 : stopped_text_.rfind("trailer");
    Section section{offset, stopped_at_stream_, std::string(stopped_text_.substr(trailer == std::string_view::npos ? 0 : trailer))};
    // One section reached from several starts (a stream's object from
    // offsets in the white space before it) is read once.
    if (!section_starts_.insert(section.stream_at ? section.stream_at : skip_space(file_, offset)).second) return;
    encrypted_ = encrypted_ || has_key(section.text, "Encrypt");
    for (const long long size : integers_of(section.text, "Size")) table_size_ = std::max(table_size_, static_cast<double>(size));
    size_t in_use = 0;
    rows_of(section, [&](long long object, int type, long long second) {
      ++entries_;
      in_use += type != 0;
      table_size_ = std::max(table_size_, static_cast<double>(object) + 1);
      if (type != 2) return;
      if (named_.size() >= kMaxObjectStreams && !named_.contains(second)) unmeasurable_ = true;
      else ++named_[second];
    });
    sections_.push_back(std::move(section));
    // Every object in use takes a few bytes of the file at least (more than
    // two, even packed in an object stream): a section listing more is
    // made to make readers set up millions of objects (PoDoFo and qpdf take
    // a gigabyte for 8 million entries naming one object of a 61 KB file).
    if (in_use > 100000 && in_use > file_.size() / 2) {
      fail("a cross-reference section lists " + std::to_string(in_use) + " objects in use, more than a file of " +
               std::to_string(file_.size()) + " bytes can hold",
           offset);
    }
  }

  // Once every section is read: each object stream an entry names is read
  // from every offset an entry of any section gives it (PoDoFo parses them
  // all while it loads, wherever they lie), inflated and scanned as the
  // front-to-back scan does, and its header measured.
  void read_object_streams() {
    // PoDoFo loads the object at each in-use entry's offset and knows it by
    // the number its own `N G obj` says, whatever the entry's number: a
    // stream is looked for under both.
    std::map<long long, std::vector<long long>> located;
    const auto locate = [&](long long stream, long long offset) {
      if (!named_.contains(stream)) return;
      std::vector<long long>& offsets = located[stream];
      if (std::find(offsets.begin(), offsets.end(), offset) != offsets.end()) return;
      if (offsets.size() == kMaxOffsetsOfAStream) unmeasurable_ = true;
      else offsets.push_back(offset);
    };
    // Objects whose own number is not their entry's: PoDoFo inserts each
    // into its sorted list where that number goes, and many of them (one
    // object given for a million entries) make that quadratic.
    size_t renumbered = 0;
    for (const Section& section : sections_) {
      rows_of(section, [&](long long object, int type, long long second) {
        if (type != 1 || second <= 0 || static_cast<size_t>(second) >= file_.size()) return;
        locate(object, second);
        size_t at = skip_space(file_, static_cast<size_t>(second));
        const std::optional<long long> number = integer_at(file_, at);
        if (!number || *number == object) return;
        locate(*number, second);
        if (++renumbered > kMaxRenumbered) unmeasurable_ = true;
      });
    }
    for (const auto& [stream, entries] : named_) {
      const auto found = located.find(stream);
      if (found == located.end() || !problem_.message.empty()) continue;
      for (const long long offset : found->second) {
        run_at(static_cast<size_t>(offset));
        if (!stopped_at_stream_ || !problem_.message.empty()) continue;
        Header header;
        object_stream(stopped_text_, stopped_at_stream_, &header);
        Header& worst = headers_[stream];
        worst.pairs = std::max(worst.pairs, header.pairs);
        worst.parsed = std::max(worst.parsed, header.parsed);
        worst.depth_cubed = std::max(worst.depth_cubed, header.depth_cubed);
        if (!header.measured) unmeasurable_ = true;
      }
    }
    // Named, but found nowhere as a stream: PoDoFo cannot load it either,
    // unless it reads an entry some other way than this scan does.
    for (const auto& [stream, entries] : named_) {
      if (!headers_.contains(stream)) unmeasurable_ = true;
    }
  }

  bool encrypted() const { return encrypted_; }
  std::vector<long long> object_streams() const {
    std::vector<long long> numbers;
    for (const auto& [stream, entries] : named_) numbers.push_back(stream);
    return numbers;
  }

  // The sections were more than scan_trailers reads.
  void sections_left_unread() { unmeasurable_ = true; }

  // PoDoFo 0.9.8's cost of reading the object streams the entries name
  // (PdfParser::ReadObjectFromStream, PdfObjectStreamParserObject), in
  // units of about a quarter of a nanosecond: for each stream, a pass over
  // its whole table of entries; for each pair of the stream's header, a
  // search of the n entries naming the stream, a parse of the value at its
  // offset (priced when it parses a value again: once each costs what the
  // objects loose would), and, past n pairs, an object removed and inserted
  // again in its sorted list of objects. Infinite when the scan could not
  // measure it.
  double object_stream_cost() const {
    if (unmeasurable_) return HUGE_VAL;
    // A /Size far past the entries there are: PoDoFo sets up a table, a
    // list and a free entry for every number (8,388,607 from a 444-byte
    // file: 350 MB).
    if (table_size_ > 1000000 && table_size_ > 16 * entries_) return HUGE_VAL;
    // Measured: 2,000 pairs each parsing one 590 KB array take 91 s; and a
    // value nested d deep costs about d^3 (250 levels: a second).
    constexpr double kParseCost = 300;  // a byte parsed, against one entry compared
    constexpr double kDepthCost = 256;  // a unit of depth^3
    double cost = 0;
    for (const auto& [stream, n] : named_) {
      const Header& header = headers_.at(stream);
      cost += table_size_ + header.pairs * n + std::max(0.0, header.pairs - n) * table_size_ + kParseCost * header.parsed +
              kDepthCost * header.depth_cubed;
    }
    return cost;
  }

 private:
  // Scans `data` (the file, or an object stream's decoded data standing at
  // `origin` in the file). Streams and object streams only in the file.
  void scan(std::string_view data, size_t origin, bool in_file) {
    int depth = 0;
    size_t object_start = 0;  // where the current object's text starts
    size_t i = 0;
    const size_t n = data.size();
    while (i < n && problem_.message.empty()) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (c == '%') {
        while (i < n && data[i] != '\n' && data[i] != '\r') ++i;
      } else if (c == '(') {
        int parens = 0;
        for (; i < n; ++i) {
          if (data[i] == '\\') ++i;
          else if (data[i] == '(') ++parens;
          else if (data[i] == ')' && --parens == 0) break;
        }
        ++i;
      } else if (c == '<' && i + 1 < n && data[i + 1] == '<') {
        open(depth, origin + i);
        i += 2;
      } else if (c == '<') {
        while (i < n && data[i] != '>') ++i;
        ++i;
      } else if (c == '>' && i + 1 < n && data[i + 1] == '>') {
        close(depth, origin + i);
        i += 2;
      } else if (c == '[') {
        open(depth, origin + i);
        ++i;
      } else if (c == ']') {
        close(depth, origin + i);
        ++i;
      } else if (c == '/') {
        // A name is never a keyword (`/obj`, `/stream`); its #xx escapes
        // are read as PoDoFo reads them (`/Obj#53tm` is /ObjStm).
        size_t end = i + 1;
        while (end < n && is_regular(static_cast<unsigned char>(data[end]))) ++end;
        const std::string name = decode_name(data.substr(i + 1, end - i - 1));
        if (name == "ObjStm" || name == "First") object_stream_named_ = true;
        last_name_ = name;
        i = end;
        continue;
      } else if (is_regular(c)) {
        size_t end = i;
        while (end < n && is_regular(static_cast<unsigned char>(data[end]))) ++end;
        const std::string_view word = data.substr(i, end - i);
        if (one_object_ && (word == "endobj" || word == "stream" || word == "startxref")) {
          finish_object(origin + i);
          scanned_ += i;
          if (word == "stream") stopped_at_stream_ = origin + end;
          stopped_text_ = data.substr(0, i);
          return;
        }
        if (one_object_ && (last_name_ == "Prev" || last_name_ == "XRefStm") && word.size() < 19 &&
            std::all_of(word.begin(), word.end(), [](char d) { return d >= '0' && d <= '9'; })) {
          named_offsets_.push_back(std::stoll(std::string(word)));
        }
        if (word == "obj" || word == "endobj") {
          finish_object(origin + i);
          depth = 0;
          object_start = end;
          object_stream_named_ = false;
        } else if (word == "stream" && in_file) {
          end = stream(data, object_start, end);
        } else if (last_name_ == "Columns" && word.size() > 7) {
          // A predictor's row width: qpdf allocates rows of it (2^31 took
          // 1.6 GB); real rows are images' widths.
          fail("a /Columns of " + std::string(word.substr(0, 20)) + " is more than redact reads", origin + i);
        }
        i = end;
      } else {
        ++i;
      }
      if (!is_space(c)) last_name_.clear();
    }
    if (one_object_) scanned_ += i;
  }

  void open(int& depth, size_t offset) {
    deepest_ = std::max(deepest_, depth + 1);
    if (++depth > limits_.max_nesting && problem_.message.empty()) {
      problem_.message = "objects are nested more than " + std::to_string(limits_.max_nesting) +
                         " levels deep, which PoDoFo cannot read safely";
      problem_.offset = static_cast<long long>(offset);
    }
  }

  void close(int& depth, size_t offset) {
    depth = std::max(0, depth - 1);
    if (depth == 0) finish_object(offset);
  }

  // An object (or a value at the top level of an object stream) ends: its
  // depth counts against the budget.
  void finish_object(size_t offset) {
    const double d = deepest_;
    cost_ += d * d * d;
    deepest_ = 0;
    if (cost_ > limits_.max_nesting_cost) {
      fail("objects are nested so deep, so often, that PoDoFo would take minutes to read them", offset);
    }
  }

  // At the end of the keyword `stream` (at `after`): an object stream is
  // inflated and scanned; any stream's data is skipped. Returns where to go on.
  size_t stream(std::string_view data, size_t object_start, size_t after) {
    const size_t end = data.find("endstream", after_eol(after));
    // PoDoFo reads as an object stream whatever stream the cross-reference
    // data names, /Type or not; it needs /First.
    if (object_stream_named_) object_stream(data.substr(object_start, after - object_start), after);
    object_stream_named_ = false;
    return end == std::string_view::npos ? data.size() : end + 9;
  }

  // PoDoFo inflates an object stream from its /Length; zlib stops at the end
  // of the deflate data on its own, so inflating from the stream's start
  // counts at least what PoDoFo will make, whatever /Length and any
  // "endstream" inside the data say. `after` is the end of its `stream`.
  // With `header`, the header is measured too (a stream that does not
  // inflate whole is not measured).
  void object_stream(std::string_view raw_dict, size_t after, Header* header = nullptr) {
    const std::string dict = unescaped(raw_dict);
    const size_t offset = after_eol(after);
    const size_t limit = limits_.max_object_stream_bytes;
    std::string decoded, filter;
    bool whole = true;
    switch (stream_bytes(dict, after, limit - std::min(decoded_, limit), decoded, filter, &whole)) {
      case Read::unknown_filter:
        fail("an object stream is encoded with /" + filter + "; redact reads object streams only with /FlateDecode", offset);
        return;
      case Read::too_large:
        fail("object streams decode to more than " + std::to_string(limit >> 20) + " MiB, more than redact reads", offset);
        return;
      case Read::ok:
        break;
    }
    decoded_ += decoded.size();
    if (decoded_ > limit) {
      fail("object streams hold more than " + std::to_string(limit >> 20) + " MiB", offset);
      return;
    }
    if (!undo_prediction(raw_dict, decoded)) {
      fail("an object stream's /DecodeParms names a prediction redact cannot undo before PoDoFo reads it", offset);
      return;
    }
    if (header) {
      *header = measure_header(raw_dict, decoded);
      header->measured = header->measured && whole;
    }
    scan(decoded, offset, false);
  }

  // Where a stream's data starts: past the end of line after `stream`.
  size_t after_eol(size_t after) const {
    if (after < file_.size() && file_[after] == '\r') ++after;
    if (after < file_.size() && file_[after] == '\n') ++after;
    return after;
  }

  // A stream's decoded bytes (Flate or none), its data starting past the end
  // of line after the `stream` keyword that ends at `after`, within `limit`.
  // For an unknown filter, `filter` names it.
  enum class Read { ok, unknown_filter, too_large };
  // `whole` (if given) is cleared when Flate data ends early or is damaged.
  Read stream_bytes(std::string_view dict, size_t after, size_t limit, std::string& out, std::string& filter,
                    bool* whole = nullptr) const {
    std::string_view input = file_.substr(std::min(after_eol(after), file_.size()));
    const std::vector<std::string> names = filters(dict);
    if (names.empty()) {
      const size_t end = input.find("endstream");
      out.assign(input.substr(0, end == std::string_view::npos ? input.size() : end));
      return Read::ok;
    }
    for (const std::string& name : names) {
      if (name != "FlateDecode" && name != "Fl") {
        filter = name;
        return Read::unknown_filter;
      }
      Inflated inflated = inflate(input, limit);
      if (inflated.over_limit) return Read::too_large;
      if (whole && !inflated.complete) *whole = false;
      out = std::move(inflated.data);
      input = out;
    }
    return Read::ok;
  }

  // Undoes the prediction a stream's /DecodeParms (a dictionary, or an
  // array of them) names, on its inflated data, as PoDoFo's filter does.
  // False for one the scan cannot undo.
  static bool undo_prediction(std::string_view text, std::string& data) {
    int depth = 2;
    std::vector<long long> predictor = integers_of(text, "Predictor", depth);
    if (predictor.empty()) predictor = integers_of(text, "Predictor", depth = 3);
    if (predictor.empty() || predictor.front() == 1) return true;
    const auto parameter = [&](std::string_view key, long long otherwise) {
      const std::vector<long long> value = integers_of(text, key, depth);
      return static_cast<int>(std::clamp(value.empty() ? otherwise : value.front(), -1LL, 1LL << 30));
    };
    const int colors = parameter("Colors", 1), bits = parameter("BitsPerComponent", 8), columns = parameter("Columns", 1);
    std::optional<std::string> plain = predictor.front() >= 10 ? unpredict_png(data, colors, bits, columns)
                                       : predictor.front() == 2 ? unpredict_tiff(data, colors, bits, columns)
                                                                : std::nullopt;
    if (!plain) return false;
    data = std::move(*plain);
    return true;
  }

  // Calls row(object, type, second) for each entry of a cross-reference
  // section, read as PoDoFo reads it: type 1 (in use, `second` its offset),
  // 2 (in object stream `second`) or 0 (free). A classic table's entries
  // are 20 bytes each after the subsection's two numbers, where 's' marks an
  // entry in the object stream its generation names. An entry the scan
  // cannot decode where PoDoFo might makes the cost unmeasurable.
  template <typename Row>
  void rows_of(const Section& section, Row row) {
    if (section.stream_at) {
      stream_rows(section, row);
      return;
    }
    size_t at = skip_space(file_, section.offset);
    if (file_.substr(at, 4) != "xref") return;
    at += 4;
    for (;;) {
      at = skip_space(file_, at);
      const std::optional<long long> first = integer_at(file_, at);
      at = skip_space(file_, at);
      const std::optional<long long> count = first ? integer_at(file_, at) : std::nullopt;
      if (!count || *first < 0 || *count < 0 || *first > (1LL << 40) || *count > (1LL << 40)) return;
      table_size_ = std::max(table_size_, static_cast<double>(*first + *count));
      while (at < file_.size() && is_space(static_cast<unsigned char>(file_[at]))) ++at;
      for (long long k = 0; k < *count; ++k, at += 20) {
        if (at + 20 > file_.size()) return;
        if (rows_left_ < 20) {
          unmeasurable_ = true;
          return;
        }
        rows_left_ -= 20;
        char entry[21];
        std::memcpy(entry, file_.data() + at, 20);
        entry[20] = '\0';
        long long offset = 0, generation = 0;
        char used = 0, end1 = 0, end2 = 0;
        if (std::sscanf(entry, "%10lld %5lld %c%c%c", &offset, &generation, &used, &end1, &end2) != 5) return;
        row(*first + k, used == 'n' ? 1 : used == 's' ? 2 : 0, used == 's' ? generation : offset);
      }
    }
  }

  template <typename Row>
  void stream_rows(const Section& section, Row row) {
    const std::vector<long long> widths = integers_of(section.text, "W");
    if (widths.size() != 3 || std::any_of(widths.begin(), widths.end(), [](long long w) { return w < 0 || w > 8; })) return;
    std::vector<long long> index = integers_of(section.text, "Index");
    if (const std::vector<long long> size = integers_of(section.text, "Size"); index.empty() && size.size() == 1) {
      index = {0, size.front()};
    }
    std::string rows, filter;
    if (stream_bytes(unescaped(section.text), section.stream_at, std::min(size_t{64} << 20, rows_left_), rows, filter) != Read::ok) {
      unmeasurable_ = true;
      return;
    }
    rows_left_ -= std::min(rows_left_, rows.size());
    if (!undo_prediction(section.text, rows)) {
      unmeasurable_ = true;
      return;
    }
    const size_t width = static_cast<size_t>(widths[0] + widths[1] + widths[2]);
    if (width == 0) return;
    const auto field = [&](size_t from, long long bytes) {
      long long v = 0;
      for (long long b = 0; b < bytes; ++b) v = v << 8 | static_cast<unsigned char>(rows[from + static_cast<size_t>(b)]);
      return v;
    };
    size_t at = 0;
    for (size_t k = 0; k + 1 < index.size(); k += 2) {
      for (long long n = 0; n < index[k + 1] && at + width <= rows.size(); ++n, at += width) {
        const long long type = widths[0] == 0 ? 1 : field(at, widths[0]);
        row(index[k] + n, type == 1 || type == 2 ? static_cast<int>(type) : 0, field(at + static_cast<size_t>(widths[0]), widths[1]));
      }
    }
  }

  void fail(const std::string& message, size_t offset) {
    if (!problem_.message.empty()) return;
    problem_.message = message;
    problem_.offset = static_cast<long long>(offset);
  }

  std::string_view file_;
  const ShapeLimits& limits_;
  std::string last_name_;             // the name just read, for the value after it
  bool one_object_ = false;           // run_at: stop at the end of one object
  size_t scanned_ = 0;                // bytes read by run_at so far
  size_t stopped_at_stream_ = 0;      // run_at: just after the `stream` it stopped at, or 0
  std::string_view stopped_text_;     // run_at: the text from where it began to where it stopped
  std::vector<long long> named_offsets_;

  // scan_trailers: what the cross-reference sections it read name.
  static constexpr size_t kMaxObjectStreams = 100000;
  static constexpr size_t kMaxOffsetsOfAStream = 256;  // an object stream saved again in each of many updates
  static constexpr size_t kMaxRenumbered = 1000;
  std::set<size_t> section_starts_;
  double entries_ = 0;                  // rows read, over every section
  size_t rows_left_ = size_t{512} << 20;  // bytes of rows the scan still reads (both passes)
  std::vector<Section> sections_;
  std::map<long long, double> named_;    // object stream -> entries naming it, over every section
  std::map<long long, Header> headers_;  // object stream -> its header, the worst of its offsets
  double table_size_ = 0;                // the largest /Size or entry of any section
  bool unmeasurable_ = false;            // something PoDoFo may read that the scan could not count
  bool encrypted_ = false;               // a trailer names /Encrypt

  bool object_stream_named_ = false;  // /ObjStm or /First since the object began
  size_t decoded_ = 0;
  int deepest_ = 0;   // in the current object
  double cost_ = 0;   // the sum of each object's deepest^3
  ShapeProblem problem_;
};

}  // namespace

ShapeProblem scan_shape(std::string_view file, const ShapeLimits& limits) { return Scanner(file, limits).run(); }

ShapeProblem scan_objects_at(std::string_view file, const std::vector<long long>& offsets, const ShapeLimits& limits) {
  Scanner scanner(file, limits);
  for (const long long offset : offsets) {
    if (offset >= 0) scanner.run_at(static_cast<size_t>(offset));
    if (!scanner.problem().message.empty()) break;
  }
  return scanner.problem();
}

namespace {

// Where PoDoFo may begin reading cross-reference sections. It looks for
// `startxref` (or `startref`) in the 512 bytes before the last %%EOF; for
// an offset past the end, for the last "xref" in the 2 KB before the
// number; in a linearized file, for "xref" in the 512 bytes before the
// first page's /T, or /T itself. Rather than follow each of those rules (a
// file built to make the scan and PoDoFo disagree would show the scan one
// chain and PoDoFo another), the scan reads from every place any rule could
// lead: each startxref's or startref's number anywhere, each "xref" before
// one past the end, and a linearized file's. Nothing when there are too
// many to read.
std::optional<std::vector<long long>> section_starts(std::string_view file) {
  constexpr size_t kMaxStarts = 16384;
  std::vector<long long> starts;
  const auto xrefs_before = [&](long long end, size_t window) {
    const size_t to = static_cast<size_t>(std::clamp<long long>(end, 0, static_cast<long long>(file.size())));
    const size_t from = to > window ? to - window : 0;
    for (size_t at = file.find("xref", from); at != std::string_view::npos && at < to; at = file.find("xref", at + 1)) {
      starts.push_back(static_cast<long long>(at));
    }
  };
  for (const std::string_view keyword : {"startxref", "startref"}) {
    for (size_t at = file.find(keyword); at != std::string_view::npos; at = file.find(keyword, at + 1)) {
      size_t number = skip_space(file, at + keyword.size());
      const std::optional<long long> offset = integer_at(file, number);
      if (offset) starts.push_back(*offset);
      if (offset && *offset >= static_cast<long long>(file.size())) xrefs_before(static_cast<long long>(number), 2048);
      if (starts.size() > kMaxStarts) return std::nullopt;
    }
  }
  if (file.substr(0, 1024).find("/Linearized") != std::string_view::npos) {
    for (const long long t : integers_of(file.substr(0, 1024), "T")) {
      starts.push_back(t);
      xrefs_before(t, 512);
    }
  }
  return starts;
}

}  // namespace

ShapeProblem scan_trailers(std::string_view file, const ShapeLimits& limits) {
  // A file saved thousands of times over has as many sections.
  constexpr size_t kMaxSections = 8192;
  Scanner scanner(file, limits);
  std::optional<std::vector<long long>> starts = section_starts(file);
  if (!starts) scanner.sections_left_unread();
  std::vector<long long> pending = starts ? std::move(*starts) : std::vector<long long>{};
  std::set<long long> seen;
  // A section is `xref` or an object, `N G obj`: any other start (the
  // startxref of a PDF attached uncompressed, say) leads PoDoFo to no
  // section and the scan nowhere.
  const auto leads_to_a_section = [&](size_t at) {
    at = skip_space(file, at);
    if (file.substr(at, 4) == "xref") return true;
    if (!integer_at(file, at) || !integer_at(file, at = skip_space(file, at))) return false;
    at = skip_space(file, at);
    return file.substr(at, 3) == "obj";
  };
  while (!pending.empty() && seen.size() < kMaxSections && scanner.problem().message.empty()) {
    const long long offset = pending.back();
    pending.pop_back();
    if (offset < 0 || static_cast<size_t>(offset) >= file.size() || !seen.insert(offset).second) continue;
    if (!leads_to_a_section(static_cast<size_t>(offset))) continue;
    for (const long long next : scanner.run_at(static_cast<size_t>(offset))) pending.push_back(next);
    scanner.read_section(static_cast<size_t>(offset));
  }
  if (!pending.empty()) scanner.sections_left_unread();
  scanner.read_object_streams();
  ShapeProblem problem = scanner.problem();
  problem.object_stream_cost = scanner.object_stream_cost();
  problem.encrypted = scanner.encrypted();
  problem.object_streams = scanner.object_streams();
  return problem;
}

}  // namespace redact::pdf::detail
