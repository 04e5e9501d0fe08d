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

struct JobPlan {
  std::vector<Job> jobs;
};

// One job per PDF the arguments name (batch/inputs.h: files as given,
// folders searched), each written under `out` (a file to OUT/<its name>, a
// folder's PDFs at their paths under OUT); one file named twice is one job.
// Throws redact::Error (usage), naming the files, when two inputs would
// write the same output, when an output would overwrite an input, and when
// an input folder is or holds the output folder.
JobPlan plan_jobs(const std::vector<std::string>& arguments, const std::filesystem::path& out);

// Throws redact::Error (usage) when `path` (the audit log: `what`) is an
// input or an output of `plan`.
void refuse_overwriting(const JobPlan& plan, const std::string& path, const std::string& what);

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
