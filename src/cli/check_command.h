// `redact check FILE|FOLDER...`: the pre-publication check of any PDF.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int check_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
