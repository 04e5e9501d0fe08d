// An open PDF file. The only door to PoDoFo for the rest of the program.
#pragma once

#include <memory>
#include <string>

#include "core/diagnostics.h"
#include "pdf/page_content.h"

namespace redact::pdf {

class Document {
 public:
  // Opens and parses `path`. Throws redact::Error: `io` when it cannot be
  // read, `encrypted` when it needs a password, `damaged` when PoDoFo cannot
  // parse it (PoDoFo 0.9.8 repairs nothing).
  static std::unique_ptr<Document> open(const std::string& path);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::string& path() const;
  int page_count() const;
  // Reads page `number` (1-based). Problems that do not stop reading are
  // added to `diagnostics` with the page and object; if the page cannot be
  // read at all, it comes back empty with `complete == false`.
  PageContent read_page(int number, Diagnostics& diagnostics);

 private:
  struct Impl;
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace redact::pdf
