#include "cli/audit_command.h"

#include "audit/audit_log.h"
#include "cli/command_line.h"
#include "core/diagnostics.h"

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact audit verify LOG\n"
    "\n"
    "Checks that every record's \"prev\" is the SHA-256 of the line before it,\n"
    "and prints the chain's head (the SHA-256 of the last line): compare it with\n"
    "the head printed when the log was written, since a chain cannot show a\n"
    "change to its own last line.\n"
    "\n"
    "Exit status: 0 the chain holds, 1 it is broken (the first line where it\n"
    "breaks is named), 2 usage error, 3 the log cannot be read.\n";

}  // namespace

int audit_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("audit", kUsage);
  if (auto status = command.parse(args, console)) return *status;
  const auto positionals = command.positionals();
  if (positionals.size() != 2 || positionals[0] != "verify") return command.usage_error(console, "say 'verify LOG'");
  const std::string& path = positionals[1];
  try {
    audit::VerifyResult result = audit::verify(path);
    if (!result.ok) {
      console.out(path + ":" + std::to_string(result.first_bad_line) + ": " + result.reason + "\n");
      return kExitFound;
    }
    console.out(path + ": " + std::to_string(result.lines) + " records, chain intact, head " + result.head + "\n");
    return kExitOk;
  } catch (const Error& e) {
    console.error(e.what());
    return kExitFailed;
  }
}

}  // namespace redact::cli
