#include "batch/jobs.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "batch/inputs.h"
#include "core/diagnostics.h"

namespace fs = std::filesystem;

namespace redact::batch {

namespace {

// The name a path will have on disk: two spellings of one file ("out/a.pdf",
// "out/./a.pdf", a symbolic link to it) are one name.
fs::path on_disk(const fs::path& path) { return fs::weakly_canonical(fs::absolute(path)).lexically_normal(); }

bool inside(const fs::path& path, const fs::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // the trailing "" of "dir/"
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

}  // namespace

JobPlan plan_jobs(const std::vector<std::string>& arguments, const fs::path& out) {
  if (out.empty()) throw Error(ErrorKind::usage, Location(), "the output folder (-o) is an empty name");
  for (const std::string& argument : arguments) {
    if (argument.empty()) throw Error(ErrorKind::usage, Location(), "an input is an empty name");
  }
  const fs::path out_folder = on_disk(out);
  for (const std::string& argument : arguments) {
    std::error_code ec;
    if (fs::equivalent(argument, out, ec)) {
      throw Error(ErrorKind::usage, Location(argument), "is the output folder; give another with -o");
    }
    // Outputs written inside a folder being read would be read by the next
    // run, and could not be told from the originals there.
    if (fs::is_directory(argument, ec) && inside(out_folder, on_disk(argument))) {
      throw Error(ErrorKind::usage, Location(argument),
                  "holds the output folder " + out.string() + "; give an output folder outside it");
    }
  }
  JobPlan plan;
  std::map<fs::path, std::string> writer;  // output on disk -> the input writing it
  std::map<fs::path, std::string> read;    // input on disk -> as given
  for (const Input& input : find_pdfs(arguments)) {
    const fs::path source = on_disk(input.path);
    Job job{input.path, (out / input.relative).string()};
    const fs::path target = on_disk(job.output);
    auto [at, fresh] = writer.emplace(target, job.input);
    if (!fresh) {
      if (on_disk(at->second) == source) continue;  // one file named twice ("in", "in/")
      throw Error(ErrorKind::usage, Location(job.input),
                  "would be written to " + job.output + ", as " + at->second +
                      " would: give them separate runs or folders, or rename one");
    }
    read.emplace(source, job.input);
    plan.jobs.push_back(std::move(job));
  }
  for (const Job& job : plan.jobs) {
    if (auto it = read.find(on_disk(job.output)); it != read.end()) {
      throw Error(ErrorKind::usage, Location(it->second),
                  "would be overwritten by the output of " + job.input + ": give another output folder with -o");
    }
  }
  return plan;
}

void refuse_overwriting(const JobPlan& plan, const std::string& path, const std::string& what) {
  const fs::path target = on_disk(path);
  for (const Job& job : plan.jobs) {
    if (on_disk(job.input) == target || on_disk(job.output) == target) {
      throw Error(ErrorKind::usage, Location(path),
                  std::string("is ") + (on_disk(job.input) == target ? "an input" : "an output") +
                      " of this run; give the " + what + " another name");
    }
  }
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
