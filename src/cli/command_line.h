// The command-line handling every subcommand shares: its options with
// --help, positional arguments, and the usage errors, all worded the same way.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

class CommandLine {
 public:
  // `name` as in "redact NAME"; `usage` is printed before the options by --help.
  CommandLine(std::string name, std::string usage);

  // Options shown by --help (which is already there).
  boost::program_options::options_description& options() { return options_; }
  // Adds --format text|json.
  void add_format();
  // Adds --password-file F, read by parse(): the first line of F opens
  // encrypted inputs.
  void add_password();

  // Parses `args`. Returns nullopt when the command should go on, or the exit
  // status to stop with: 0 after printing --help, 2 after a usage error.
  std::optional<int> parse(const std::vector<std::string>& args, Console& console);

  const boost::program_options::variables_map& values() const { return vm_; }
  std::vector<std::string> positionals() const;
  std::string format() const { return vm_["format"].as<std::string>(); }
  const std::string& password() const { return password_; }

  // "redact NAME: message" plus a pointer to --help; returns kExitUsage.
  int usage_error(Console& console, const std::string& message) const;

 private:
  std::string name_;
  std::string usage_;
  bool has_format_ = false;
  bool has_password_ = false;
  std::string password_;
  boost::program_options::options_description options_{"Options"};
  boost::program_options::variables_map vm_;
};

}  // namespace redact::cli
