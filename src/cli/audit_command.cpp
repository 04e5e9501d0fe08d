#include "cli/audit_command.h"

#include "audit/audit_log.h"
#include "cli/command_line.h"
#include "core/diagnostics.h"

namespace redact::cli {
namespace {

constexpr const char* kUsage =
    "Usage: redact audit verify LOG\n"
    "       redact audit merge LOG... -o MERGED\n"
    "\n"
    "verify:\n"
    "Checks that every record's \"prev\" is the SHA-256 of the line before it,\n"
    "and prints the chain's head (the SHA-256 of the last line): compare it with\n"
    "the head printed when the log was written, since a chain cannot show a\n"
    "change to its own last line.\n"
    "\n"
    "merge: joins the logs of the shards of one batch (redact run --shard K/N)\n"
    "into one chain: a run record naming each log with its head, then each\n"
    "log's records in the order given. Every log must verify, their runs must\n"
    "have the same settings, and no document may be in two of them.\n"
    "\n"
    "Exit status: 0 the chain holds (merged), 1 it is broken (the first line\n"
    "where it breaks is named), 2 usage error (for merge: a log that does not\n"
    "verify or does not belong), 3 a log cannot be read or written.\n";

}  // namespace

int audit_command(const std::vector<std::string>& args, Console& console) {
  CommandLine command("audit", kUsage);
  command.options().add_options()("output,o", boost::program_options::value<std::string>(), "merged log (merge)");
  if (auto status = command.parse(args, console)) return *status;
  const auto positionals = command.positionals();
  if (!positionals.empty() && positionals[0] == "merge") {
    const std::vector<std::string> logs(positionals.begin() + 1, positionals.end());
    if (logs.empty()) return command.usage_error(console, "say 'merge LOG... -o MERGED'");
    if (!command.values().count("output")) return command.usage_error(console, "give the merged log with -o MERGED");
    const std::string out = command.values()["output"].as<std::string>();
    try {
      const std::string head = audit::merge(logs, out);
      console.out(out + ": " + std::to_string(logs.size()) + " logs merged, head " + head + "\n");
      return kExitOk;
    } catch (const Error& e) {
      console.error(e.what());
      return e.kind() == ErrorKind::usage ? kExitUsage : kExitFailed;
    }
  }
  if (positionals.size() != 2 || positionals[0] != "verify") {
    return command.usage_error(console, "say 'verify LOG' or 'merge LOG... -o MERGED'");
  }
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
