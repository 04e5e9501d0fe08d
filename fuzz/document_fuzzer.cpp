// libFuzzer target: a whole document through everything redact does to one
// (open, read every page, plan, apply, write, check the output, and check
// the input as `redact check` would), from arbitrary bytes. Nothing may crash,
// hang, read out of bounds, or end in an "internal error"; a file redact
// cannot read must end as `failed` or held, with a reason. See fuzz/README.md.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "apply/redactor.h"
#include "check/check.h"
#include "core/diagnostics.h"
#include "match/matcher.h"
#include "match/pattern_set.h"

namespace {

const redact::match::Matcher& matcher() {
  static const auto* m = [] {
    redact::match::MatcherOptions options;
    options.terms = {"secret", "France"};
    return new redact::match::Matcher(redact::match::load_pattern_set(REDACT_SOURCE_DIR "/patterns/uk-foi.toml"), options);
  }();
  return *m;
}

// A folder of this process's own for the input and output files, removed
// at exit (kept alive past static destruction for that).
const std::filesystem::path& scratch() {
  static const auto* dir = [] {
    const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    auto* d = new std::filesystem::path(base / ("redact-fuzz-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch(), ignored);
    });
    return d;
  }();
  return *dir;
}

void check_quietly(const std::string& path) {
  try {
    (void)redact::check::check_document(path, matcher());
  } catch (const redact::Error&) {
    // A file that cannot be read is a reported outcome, not a crash.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = (scratch() / "in.pdf").string();
  const std::string output = (scratch() / "out.pdf").string();
  std::filesystem::remove(output);
  std::ofstream(input, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));

  redact::apply::RedactOptions options;
  const redact::apply::Outcome outcome = redact::apply::redact_document(input, output, matcher(), options);
  if (outcome.reason.starts_with("internal error")) __builtin_trap();
  const bool written = outcome.status == redact::apply::Status::redacted || outcome.status == redact::apply::Status::clean;
  if (written != std::filesystem::exists(output)) __builtin_trap();  // an output exactly when one is due
  for (const auto& entry : std::filesystem::directory_iterator(scratch())) {
    if (entry.path().filename().string().ends_with(".redact-tmp")) __builtin_trap();  // nothing half-written
  }
  if (written) check_quietly(output);
  check_quietly(input);
  return 0;
}
