// Runs the documents of a batch in worker processes, a few at a time, so
// that a crash, a hang or an allocation failure in one (PoDoFo's included)
// fails that document with a reason and never the batch. This is a second
// wall: the single-document path is itself bounded (README "Hostile and
// broken files").
//
// The workers are children made by fork() from the process that set up the
// batch (patterns compiled, options read), a few at a time. Each serves jobs
// one after another, so that what it learned on one document (the automata
// RE2 builds as it reads) speeds the next, and is then replaced by a fresh
// one; one whose job crashed, hung or threw ends and is replaced at once.
// Nothing is shared between workers, so process-wide state in libraries
// (FreeType, PoDoFo, ICU) is each worker's own. A worker sends each result
// back as bytes; the parent gathers results and hands them on in job order,
// whatever order the workers finish in.
#pragma once

#include <functional>
#include <string>

namespace redact::batch {

struct WorkerOptions {
  unsigned workers = 1;      // processes at once
  unsigned timeout = 300;    // seconds a job may take; 0 for no limit
};

// What a job sends back from its worker.
struct Answer {
  std::string result;
  // The job met something (a damaged file, a hold) that its worker should
  // not carry into another document: a fresh worker takes the next one.
  bool retire_worker = false;
};

// What became of one job.
struct JobEnd {
  bool ok = false;        // the worker finished and sent `result`
  std::string result;     // what `work` answered
  std::string failure;    // why not: "the worker was killed by signal 11 (Segmentation fault)", ...
  int pid = 0;            // the worker's process id (its temporary files carry it)
};

// Runs `work(i)` for i in [0, jobs) in workers. `finished(i, end)` is
// called as each job ends (any order: for progress); `deliver(i, end)` in
// job order. `work` runs in the child only; the callbacks in the parent.
// A worker dies with the parent (PR_SET_PDEATHSIG). SIGINT, SIGTERM or
// SIGHUP stops the run: running jobs are killed and failed, jobs not started are failed
// as not run, and every job is still delivered; returns that signal (0 when
// the run was not stopped). Throws redact::Error (io) when poll fails.
int run_in_workers(size_t jobs, const WorkerOptions& options, const std::function<Answer(size_t)>& work,
                   const std::function<void(size_t, const JobEnd&)>& finished,
                    const std::function<void(size_t, const JobEnd&)>& deliver);

}  // namespace redact::batch
