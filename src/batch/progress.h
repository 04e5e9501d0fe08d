// Progress of a batch on stderr: documents done of all, pages a second,
// redactions so far, documents held and failed, and the time left.
//
//   bar    one line redrawn in place (a terminal)
//   plain  a line every ten seconds (a log file)
//   none   nothing
// The per-document lines go to stdout as before; with a bar, each is
// printed above it (the bar is cleared and drawn again).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace redact::batch {

enum class ProgressMode { none, plain, bar };
// "none", "plain", "bar", or "auto" (a bar when stderr is a terminal,
// otherwise plain). nullopt for anything else.
std::optional<ProgressMode> parse_progress(std::string_view text);

class Progress {
 public:
  // `write_err` writes to stderr as it is (no prefix); `write_out` to stdout.
  Progress(ProgressMode mode, size_t documents, std::function<void(std::string_view)> write_err,
           std::function<void(std::string_view)> write_out);

  // A document ended.
  void document_done(int pages, size_t redactions, bool held, bool failed);
  // Prints `line` (with its newline) on stdout, above the bar.
  void print(std::string_view line);
  // Clears the bar before the summary.
  void finish();

  // The status line as drawn now, without control characters (for tests).
  std::string line() const;

 private:
  void draw(bool force);

  ProgressMode mode_;
  size_t total_, done_ = 0, pages_ = 0, redactions_ = 0, held_ = 0, failed_ = 0;
  std::function<void(std::string_view)> err_, out_;
  std::chrono::steady_clock::time_point started_, last_drawn_;
  bool drawn_ = false;
};

}  // namespace redact::batch
