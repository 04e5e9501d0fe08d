// `redact run INPUT... -o OUT`: redacts PDFs and folders of PDFs into OUT,
// with an audit log of every redaction. `redact mark` writes the same
// decisions as /Redact annotations for a person to review; `redact apply`
// removes what the /Redact annotations of a reviewed file mark. One batch
// (workers, progress, audit log) for all three.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int run_command(const std::vector<std::string>& args, Console& console);
int mark_command(const std::vector<std::string>& args, Console& console);
int apply_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
