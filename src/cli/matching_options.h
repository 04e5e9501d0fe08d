// The options that decide what is matched, shared by `scan` (and `run`):
// --patterns, --no-patterns, --term, --terms-file, --term-exemption, --keep, --keep-file.
// Raw flags become a validated PatternSet + MatcherOptions here, once.
#pragma once

#include <boost/program_options.hpp>

#include <string>

#include "match/matcher.h"
#include "match/pattern_set.h"

namespace redact::cli {

// The pattern file used without --patterns: $REDACT_PATTERNS, else the set
// shipped in the source tree's patterns/.
std::string default_patterns_path();

void add_matching_options(boost::program_options::options_description& options);

struct MatchingConfig {
  match::PatternSet patterns;
  match::MatcherOptions matcher;
};

// Throws redact::Error (usage) naming the file and line of what is wrong.
// `may_match_nothing`: --no-patterns without a term is allowed (`apply`,
// where the marks decide).
MatchingConfig matching_config(const boost::program_options::variables_map& vm, bool may_match_nothing = false);

}  // namespace redact::cli
