// redact: finds what a Freedom of Information response must withhold and
// removes it from the PDF for real. See README.md.
#include <exception>
#include <string>
#include <vector>

#include "cli/audit_command.h"
#include "cli/check_command.h"
#include "cli/console.h"
#include "cli/extract_command.h"
#include "cli/patterns_command.h"
#include "cli/run_command.h"
#include "cli/plan_command.h"
#include "cli/scan_command.h"

namespace {

constexpr const char* kUsage =
    "Usage: redact COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  run INPUT... -o OUT [...]               redact PDFs and folders into OUT, with an audit log\n"
    "  mark INPUT... -o OUT [...]              propose redactions as /Redact annotations, for review\n"
    "  apply MARKED... -o OUT [...]            apply every /Redact annotation (a reviewed file's)\n"
    "  plan FILE... [...]                      print the redaction plan of each PDF as JSON lines\n"
    "  check FILE|FOLDER... [...]              can anything withheld or hidden still be read? (exit 1 if so)\n"
    "  extract FILE.pdf [--format text|json]   print the text layer of a PDF\n"
    "  scan FILE... [--patterns P] [...]       print what the patterns find (exit 1 if anything)\n"
    "  patterns test|list [--patterns P]       check a pattern set against its examples, or list it\n"
    "  audit verify LOG...                     check audit logs: records, chain, seal, outputs\n"
    "  audit summary LOG...                    documents by status, redactions by exemption\n"
    "  audit schedule LOG...                   the schedule of redactions (csv or md)\n"
    "  audit report LOG... -o REPORT.html      one HTML file: pages with every box outlined\n"
    "  audit marked-copy LOG... -o DIR         originals with every redaction outlined (not for publication)\n"
    "  audit confirm LOG... --key K ...        whether a box hid a given text\n"
    "  audit merge LOG... -o MERGED            join the logs of a batch's shards into one chain\n"
    "\n"
    "  redact --help | --version\n"
    "\n"
    "Each command has --help.\n"
    "\n"
    "Exit status: 0 done (scan, check: nothing found), 1 scan or check found\n"
    "something, run held a document for review, or a pattern example failed,\n"
    "2 usage or configuration error, 3 a file could not be read.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace redact::cli;
  Console console;
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      console.error("no command given; try 'redact --help'");
      return kExitUsage;
    }
    const std::string command = args.front();
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
      console.out(kUsage);
      return kExitOk;
    }
    if (command == "--version") {
      console.out("redact " REDACT_VERSION "\n");
      return kExitOk;
    }
    if (command == "run") return run_command(rest, console);
    if (command == "mark") return mark_command(rest, console);
    if (command == "apply") return apply_command(rest, console);
    if (command == "plan") return plan_command(rest, console);
    if (command == "check") return check_command(rest, console);
    if (command == "extract") return extract_command(rest, console);
    if (command == "scan") return scan_command(rest, console);
    if (command == "patterns") return patterns_command(rest, console);
    if (command == "audit") return audit_command(rest, console);
    console.error("unknown command '" + command + "'; try 'redact --help'");
    return kExitUsage;
  } catch (const std::exception& e) {
    console.error(std::string("internal error: ") + e.what());
    return kExitFailed;
  }
}
