// `redact patterns test|list [--patterns P]`: check a pattern set against the
// examples it carries, or print it.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int patterns_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
