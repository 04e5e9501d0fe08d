// The job list of a batch run: which input is written where. Built and
// checked before anything is written.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace redact::batch {

struct Job {
  std::string input;
  std::string output;
};

// One job per PDF the arguments name (batch/inputs.h: files as given, folders
// searched), each written under `out` (a file to OUT/<its name>, a folder's
// PDFs at their paths under OUT). Throws redact::Error (usage) naming both
// inputs when two would write the same output, and when an input is the
// output folder.
std::vector<Job> plan_jobs(const std::vector<std::string>& arguments, const std::filesystem::path& out);

// "K/N" (1 <= K <= N): the K-th of N shards. Throws redact::Error (usage)
// for anything else.
struct Shard {
  size_t index = 1;  // K
  size_t count = 1;  // N
};
Shard parse_shard(const std::string& text);

// The jobs of one shard: sorted by input path, every N-th from the K-th, so
// that the N shards of one job list are disjoint, cover it, and do not
// depend on the machine or the order of the arguments.
std::vector<Job> shard_of(std::vector<Job> jobs, const Shard& shard);

}  // namespace redact::batch
