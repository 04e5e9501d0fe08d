// Errors and warnings that name where they happened.
//
// A fatal problem with a document (unreadable, encrypted, damaged) is an
// `Error` exception, caught once per document at the top. Recoverable damage
// (a missing operand, an unknown font) is a `Diagnostic` collected in a
// `Diagnostics` list and reported with its location; processing goes on.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace redact {

// Where something happened: any part may be unknown (empty / 0).
struct Location {
  Location() = default;
  explicit Location(std::string file_, int page_ = 0, std::string object_ = "", long long offset_ = -1)
      : file(std::move(file_)), page(page_), object(std::move(object_)), offset(offset_) {}

  std::string file;
  int page = 0;         // 1-based; 0 when not about a page
  std::string object;   // e.g. "object 12 0" or "content stream"
  long long offset = -1;  // byte offset in the decoded stream, -1 if none

  // "in.pdf: page 3, object 12 0, offset 1454"
  std::string to_string() const;
};

enum class Severity { warning, error };

struct Diagnostic {
  Severity severity = Severity::warning;
  Location where;
  std::string message;

  // "in.pdf: page 3, object 12 0: font /F2 has no ToUnicode map"
  std::string to_string() const;
};

class Diagnostics {
 public:
  void warn(Location where, std::string message);
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

// What went wrong with a whole document.
enum class ErrorKind {
  usage,       // bad command line or configuration
  io,          // cannot read or write a file
  encrypted,   // needs a password we do not have
  damaged,     // the file is not a PDF we can parse
  unsupported,  // a valid PDF using something we cannot handle safely
  limit         // the file needs more memory or work than redact allows
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, Location where, const std::string& message)
      : std::runtime_error(Diagnostic{Severity::error, where, message}.to_string()),
        kind_(kind), where_(std::move(where)), message_(message) {}
  ErrorKind kind() const { return kind_; }
  const Location& where() const { return where_; }
  // The message alone, without where.
  const std::string& message() const { return message_; }
  // what() without the file name, for a line that names the file already:
  // "page 3, object 12 0: font /F2 ...".
  std::string without_file() const {
    Location inside = where_;
    inside.file.clear();
    return Diagnostic{Severity::error, inside, message_}.to_string();
  }

 private:
  ErrorKind kind_;
  Location where_;
  std::string message_;
};

}  // namespace redact
