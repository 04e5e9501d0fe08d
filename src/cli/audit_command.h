// `redact audit verify LOG`: checks the hash chain of an audit log.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int audit_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
