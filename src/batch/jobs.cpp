#include "batch/jobs.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "batch/inputs.h"
#include "core/diagnostics.h"

namespace fs = std::filesystem;

namespace redact::batch {

std::vector<Job> plan_jobs(const std::vector<std::string>& arguments, const fs::path& out) {
  for (const std::string& argument : arguments) {
    std::error_code ec;
    if (fs::equivalent(argument, out, ec)) {
      throw Error(ErrorKind::usage, Location(argument), "is the output folder; give another with -o");
    }
  }
  std::vector<Job> jobs;
  // Outputs by the name they will have on disk: two spellings of one path
  // ("out/a.pdf", "out/./a.pdf") are one file.
  std::map<fs::path, std::string> writer;
  for (const Input& input : find_pdfs(arguments)) {
    Job job{input.path, (out / input.relative).string()};
    const fs::path key = fs::weakly_canonical(fs::absolute(job.output)).lexically_normal();
    auto [at, fresh] = writer.emplace(key, job.input);
    if (!fresh) {
      throw Error(ErrorKind::usage, Location(job.input),
                  "would be written to " + job.output + ", as " + at->second +
                      " would: give them separate runs or folders, or rename one");
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Shard parse_shard(const std::string& text) {
  const auto bad = [&] {
    return Error(ErrorKind::usage, Location(), "--shard takes K/N with 1 <= K <= N (such as 2/8), not '" + text + "'");
  };
  const size_t slash = text.find('/');
  if (slash == std::string::npos) throw bad();
  Shard shard;
  auto number = [&](std::string_view part, size_t& into) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), into);
    return ec == std::errc() && end == part.data() + part.size() && !part.empty();
  };
  const std::string_view whole(text);
  if (!number(whole.substr(0, slash), shard.index) || !number(whole.substr(slash + 1), shard.count) ||
      shard.index < 1 || shard.index > shard.count) {
    throw bad();
  }
  return shard;
}

std::vector<Job> shard_of(std::vector<Job> jobs, const Shard& shard) {
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.input < b.input; });
  std::vector<Job> mine;
  for (size_t i = shard.index - 1; i < jobs.size(); i += shard.count) mine.push_back(jobs[i]);
  return mine;
}

}  // namespace redact::batch
