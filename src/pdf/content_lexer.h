// A lexer and parser for content streams (and the PostScript-like syntax of
// CMaps), written because PoDoFo 0.9.8's tokenizer corrupts strings that
// start with FE FF (see shared/PODOFO-0.9.8.md).
//
// It never throws and never reads past its input. Malformed input is
// recovered from and reported as `LexWarning`s with the byte offset. Every
// operation keeps the byte range it came from, so that a rewriter can copy
// untouched operations byte for byte.
//
// Bounds: nesting of arrays and dictionaries is capped at `kMaxDepth`, the
// operands of one operation at `kMaxOperands`; excess is dropped with a
// warning, so memory stays proportional to the input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redact::pdf {

// An operand (or a value nested in one).
struct Object {
  // `reference` ("12 0" in `bytes`) only comes from ObjectReader, never from
  // a content stream.
  enum class Kind : uint8_t { null, boolean, number, string, name, array, dict, reference };

  Kind kind = Kind::null;
  bool boolean = false;
  bool hex = false;           // a string written as <...>
  bool real = false;          // a number written with a '.' ("8.0" is no integer)
  double number = 0;
  std::string bytes;          // string bytes, or a name without its '/' (#xx decoded)
  std::vector<Object> items;  // array items; for a dict, key (name) and value alternate
  size_t offset = 0;          // first byte in the stream

  bool is_number() const { return kind == Kind::number; }
  bool is_string() const { return kind == Kind::string; }
  bool is_name() const { return kind == Kind::name; }
  bool is_array() const { return kind == Kind::array; }
  bool is_dict() const { return kind == Kind::dict; }
  bool is_reference() const { return kind == Kind::reference; }
  // The value of `key` in a dict, or nullptr.
  const Object* find(std::string_view key) const;
};

// An operator with its operands, e.g. `/F1 12 Tf`. An inline image is one
// operation "BI" whose single operand is its dictionary; its data is the
// byte range [data_begin, data_end).
struct Operation {
  std::string op;
  std::vector<Object> operands;
  size_t begin = 0;      // first byte of the first operand (or of the operator)
  size_t end = 0;        // one past the operator (for BI: one past "EI")
  size_t data_begin = 0;
  size_t data_end = 0;
  // BI: a copy of its data, for readers of its pixels; null when there is
  // more than kMaxKeptImageData of it.
  static constexpr size_t kMaxKeptImageData = 1u << 20;
  std::shared_ptr<const std::string> image_data;

  // Tj, TJ, ' or ": it shows text.
  bool shows_text() const { return op == "Tj" || op == "TJ" || op == "'" || op == "\""; }
};

// A comment: from '%' to the end of its line. No reader draws it, but
// anyone who reads the stream's bytes reads it.
struct Comment {
  size_t offset = 0;  // of the '%'
  std::string text;   // what follows it on its line
  size_t end() const { return offset + 1 + text.size(); }
};

struct LexWarning {
  size_t offset;
  std::string message;
  // What follows `offset` could not be read as content (an inline image
  // whose end is not found): the stream is not read in full.
  bool loses_content = false;
};

class ContentLexer {
 public:
  static constexpr int kMaxDepth = 32;
  static constexpr size_t kMaxOperands = 4096;
  static constexpr size_t kMaxArrayItems = 1 << 20;

  // `max_comments`: how many of the comments read are kept (comments()).
  explicit ContentLexer(std::string_view data, size_t max_comments = 0) : data_(data), max_comments_(max_comments) {}

  // Reads the next operation. Returns false at the end of the data; operands
  // left without an operator at the end are reported and dropped.
  bool next(Operation& out);

  const std::vector<LexWarning>& warnings() const { return warnings_; }
  // The comments read so far, when kept, wherever they stood (between
  // operations, operands, or the items of an array or dictionary).
  const std::vector<Comment>& comments() const { return comments_; }
  // How far it has read.
  size_t offset() const { return pos_; }
  // Whether more comments were read than were kept.
  bool comments_overflowed() const { return comments_overflowed_; }

  // One past the end of the string (literal or hex) whose '(' or '<' is at
  // `offset` in `data`, as next() reads it; `offset` when none starts there.
  static size_t string_end(std::string_view data, size_t offset);

 private:
  enum class TokenKind { eof, object, keyword, array_open, array_close, dict_open, dict_close };
  struct Token {
    TokenKind kind = TokenKind::eof;
    Object object;        // for TokenKind::object
    std::string keyword;  // for TokenKind::keyword
    size_t offset = 0;
  };

  Token read_token();
  bool read_value(Token token, Object& out, int depth);
  void skip_whitespace_and_comments();
  void skip_nested(size_t offset);
  Object read_literal_string();
  Object read_hex_string();
  Object read_name();
  std::string read_regular();
  void read_inline_image(Operation& out);
  // Copies the data of the inline image `out` reads into it (Operation::image_data).
  void keep_image_data(Operation& out) const;
  void warn(size_t offset, std::string message, bool loses_content = false);
  // `scratch`'s objects, moved into a vector of their number, and `scratch`
  // left empty with its room; past kKeptScratch, `scratch` itself.
  static std::vector<Object> take(std::vector<Object>& scratch);
  static constexpr size_t kKeptScratch = 4096;

  std::string_view data_;
  // Where the items of an array or dictionary at each depth gather (read_value),
  // and, last, an operation's operands (next).
  std::array<std::vector<Object>, kMaxDepth + 2> scratch_;
  size_t pos_ = 0;
  std::vector<LexWarning> warnings_;
  size_t max_comments_ = 0;
  // What inflating inline images' Flate data to find where it ends may
  // produce in one stream; past it, their ends are found as for data of
  // unknown length.
  size_t inflate_budget_ = size_t{256} << 20;
  std::vector<Comment> comments_;
  bool comments_overflowed_ = false;
};

// Parses a whole stream, or as many operations as hold `max_items` items
// (each operation counts one, and each operand, array item and dictionary
// key and value one: an operand costs some 80 bytes held), then sets
// `*truncated`: memory stays bounded however many operators or operands a
// small compressed stream holds. Lexer warnings are appended to `warnings`;
// `*items`, when given, is set to the items held. With `comments`, the
// comments read are appended to it, each counted as one item.
std::vector<Operation> parse_content(std::string_view data, std::vector<LexWarning>* warnings,
                                     size_t max_items = SIZE_MAX, bool* truncated = nullptr, size_t* items = nullptr,
                                     std::vector<Comment>* comments = nullptr);

// What of `ops` (parsed from `data`, in order) `offset` lies inside where a
// byte put there would be read: a literal string (from its '('), or an
// inline image's data up to its "EI" (from its first byte), whose end a
// byte put there may move. nullopt for anywhere else: between tokens, or
// inside a hex string, whose white space no one reads.
struct TokenAround {
  size_t offset = 0;
  bool image_data = false;
};
std::optional<TokenAround> token_around(const std::vector<Operation>& ops, std::string_view data, size_t offset);

// True for PDF whitespace (PDF 32000-1, table 1).
constexpr bool is_pdf_whitespace(unsigned char c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
constexpr bool is_pdf_delimiter(unsigned char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

}  // namespace redact::pdf
