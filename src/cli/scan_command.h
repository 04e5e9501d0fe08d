// `redact scan FILE... [matching options] [--format text|json]`: what the
// patterns find in PDFs (or UTF-8 .txt files, for trying patterns), with page,
// category, pattern, exemptions, the matched text and its boxes.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int scan_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
