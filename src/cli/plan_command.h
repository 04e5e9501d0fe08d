// `redact plan FILE... [matching options] > PLAN.jsonl`: the redaction plan
// of each PDF as data, one JSON line a document: every match `run` would
// withhold, with its quads, what decided it and the glyphs it names by
// stream, operation and byte, for the very file (its SHA-256) read by this
// very redact. `redact apply --plan PLAN.jsonl FILE...` applies it, edited or
// not, and refuses it for any other file.
#pragma once

#include <string>
#include <vector>

#include "cli/console.h"

namespace redact::cli {

int plan_command(const std::vector<std::string>& args, Console& console);

}  // namespace redact::cli
