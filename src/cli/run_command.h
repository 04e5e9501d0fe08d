// `redact run INPUT... -o OUT`: redacts PDFs and folders of PDFs into OUT,
// with an audit log of every redaction.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int run_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
