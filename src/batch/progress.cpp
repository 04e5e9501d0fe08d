#include "batch/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace redact::batch {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kClearLine = "\r\x1b[K";
constexpr auto kPlainEvery = std::chrono::seconds(10);
constexpr auto kBarEvery = std::chrono::milliseconds(100);

std::string duration(double seconds) {
  const auto s = static_cast<long long>(std::llround(seconds));
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  }
  return text;
}

}  // namespace

std::optional<ProgressMode> parse_progress(std::string_view text) {
  if (text == "none") return ProgressMode::none;
  if (text == "plain") return ProgressMode::plain;
  if (text == "bar") return ProgressMode::bar;
  if (text == "auto") return ::isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::plain;
  return std::nullopt;
}

Progress::Progress(ProgressMode mode, size_t documents, std::function<void(std::string_view)> write_err,
                   std::function<void(std::string_view)> write_out)
    : mode_(mode), total_(documents), err_(std::move(write_err)), out_(std::move(write_out)),
      started_(Clock::now()), last_drawn_(started_) {}

std::string Progress::line() const {
  const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f", elapsed > 0 ? static_cast<double>(pages_) / elapsed : 0.0);
  std::string text = std::to_string(done_) + "/" + std::to_string(total_) + " documents, " + rate + " pages/s, " +
                     std::to_string(redactions_) + " redactions, " + std::to_string(held_) + " held, " +
                     std::to_string(failed_) + " failed";
  if (done_ > 0 && done_ < total_) {
    text += ", about " + duration(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_)) + " left";
  }
  return text;
}

void Progress::draw(bool force) {
  const auto now = Clock::now();
  if (mode_ == ProgressMode::bar) {
    if (!force && now - last_drawn_ < kBarEvery) return;
    constexpr size_t kWidth = 24;
    const size_t filled = total_ == 0 ? kWidth : done_ * kWidth / total_;
    err_(std::string(kClearLine) + "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] " + line());
    drawn_ = true;
  } else if (mode_ == ProgressMode::plain) {
    if (now - last_drawn_ < kPlainEvery) return;
    err_("redact: progress: " + line() + "\n");
  } else {
    return;
  }
  last_drawn_ = now;
}

void Progress::document_done(int pages, size_t redactions, bool held, bool failed) {
  ++done_;
  pages_ += static_cast<size_t>(std::max(pages, 0));
  redactions_ += redactions;
  held_ += held ? 1 : 0;
  failed_ += failed ? 1 : 0;
  draw(done_ == total_);
}

void Progress::print(std::string_view text) {
  if (mode_ == ProgressMode::bar && drawn_) err_(kClearLine);
  out_(text);
  if (mode_ == ProgressMode::bar && drawn_) draw(true);
}

void Progress::finish() {
  if (mode_ == ProgressMode::bar && drawn_) err_(kClearLine);
  drawn_ = false;
}

}  // namespace redact::batch
