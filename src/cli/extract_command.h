// `redact extract FILE.pdf [--format text|json]`: the text layer of a PDF,
// as text (pages in reading order, each ended by a form feed, like pdftotext)
// or as JSON (every glyph with its box and source).
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int extract_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
