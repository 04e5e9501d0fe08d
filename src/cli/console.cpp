#include "cli/console.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace redact::cli {
namespace {

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // a closed pipe: nothing sensible left to do
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

Console::Console() {
  std::fflush(stdout);
  out_fd_ = ::dup(STDOUT_FILENO);
  if (out_fd_ < 0) out_fd_ = STDOUT_FILENO;
  else ::dup2(STDERR_FILENO, STDOUT_FILENO);
}

Console::~Console() {
  std::fflush(stdout);
  if (out_fd_ != STDOUT_FILENO) ::close(out_fd_);
}

void Console::out(std::string_view text) { write_all(out_fd_, text); }

void Console::write_stderr(std::string_view text) { write_all(STDERR_FILENO, text); }

void Console::error(std::string_view text) {
  std::string line = "redact: ";
  line += text;
  line += '\n';
  std::fflush(stdout);
  write_all(STDERR_FILENO, line);
}

void Console::warning(std::string_view text) {
  error("warning: " + std::string(text));
}

}  // namespace redact::cli
