// The program's own stdout and stderr.
//
// At start-up `Console` moves the real stdout to a private descriptor and
// points descriptor 1 at stderr, so that nothing a library prints (PoDoFo
// writes debug lines to stdout) can corrupt our output, such as JSON.
// Every message to stderr is prefixed with the program name.
#pragma once

#include <string_view>

namespace redact::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFound = 1,    // something was found (scan) or held for review (run)
  kExitUsage = 2,    // bad command line or configuration
  kExitFailed = 3,   // a document could not be read
};

class Console {
 public:
  Console();
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Writes to the real stdout.
  void out(std::string_view text);
  // "redact: <text>\n" on stderr.
  void error(std::string_view text);
  void warning(std::string_view text);
  // Writes `text` to stderr as it is (no prefix): progress lines.
  static void write_stderr(std::string_view text);

 private:
  int out_fd_;
};

}  // namespace redact::cli
