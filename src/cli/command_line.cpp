#include "cli/command_line.h"

#include <fstream>
#include <sstream>

namespace po = boost::program_options;

namespace redact::cli {

CommandLine::CommandLine(std::string name, std::string usage) : name_(std::move(name)), usage_(std::move(usage)) {
  options_.add_options()("help,h", "show this help");
}

void CommandLine::add_format() {
  options_.add_options()("format", po::value<std::string>()->default_value("text"), "text or json");
  has_format_ = true;
}

void CommandLine::add_password() {
  options_.add_options()("password-file", po::value<std::string>(),
                         "file whose first line is the password of encrypted inputs (user or owner)");
  has_password_ = true;
}

int CommandLine::usage_error(Console& console, const std::string& message) const {
  console.error(name_ + ": " + message + "; try 'redact " + name_ + " --help'");
  return kExitUsage;
}

std::optional<int> CommandLine::parse(const std::vector<std::string>& args, Console& console) {
  po::options_description all;
  all.add(options_).add_options()("positional", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("positional", -1);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm_);
    po::notify(vm_);
  } catch (const po::error& e) {
    return usage_error(console, e.what());
  }
  if (vm_.count("help")) {
    std::ostringstream text;
    text << usage_ << "\n" << options_;
    console.out(text.str());
    return kExitOk;
  }
  if (has_format_ && format() != "text" && format() != "json") {
    return usage_error(console, "--format must be text or json, not '" + format() + "'");
  }
  if (has_password_ && vm_.count("password-file")) {
    const std::string file = vm_["password-file"].as<std::string>();
    std::ifstream in(file, std::ios::binary);
    if (!in) return usage_error(console, "cannot read the password file '" + file + "'");
    std::getline(in, password_);
    if (password_.ends_with('\r')) password_.pop_back();
    if (password_.empty()) return usage_error(console, "the password file '" + file + "' has an empty first line");
  }
  return std::nullopt;
}

std::vector<std::string> CommandLine::positionals() const {
  return vm_.count("positional") ? vm_["positional"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

}  // namespace redact::cli
