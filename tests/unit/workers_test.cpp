#include "batch/workers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace redact::batch {
namespace {

// Runs `jobs` jobs of `work` and returns their ends in the order delivered,
// checking that the order is the jobs' own.
std::vector<JobEnd> run_jobs(size_t jobs, const WorkerOptions& options, const std::function<Answer(size_t)>& work) {
  std::vector<JobEnd> ends;
  size_t finished = 0;
  run_in_workers(
      jobs, options, work, [&](size_t, const JobEnd&) { ++finished; },
      [&](size_t i, const JobEnd& end) {
        EXPECT_EQ(i, ends.size());
        ends.push_back(end);
      });
  EXPECT_EQ(finished, jobs);
  return ends;
}

// A job that answers with the process it ran in.
Answer own_pid(size_t) { return Answer{std::to_string(::getpid()), false}; }

TEST(Workers, AWorkerServesJobsOneAfterAnother) {
  const std::vector<JobEnd> ends = run_jobs(4, WorkerOptions{}, own_pid);
  ASSERT_EQ(ends.size(), 4u);
  for (const JobEnd& end : ends) {
    ASSERT_TRUE(end.ok) << end.failure;
    EXPECT_EQ(end.result, ends[0].result);
    EXPECT_EQ(std::to_string(end.pid), end.result);
    EXPECT_NE(end.pid, ::getpid());
  }
}

TEST(Workers, AWorkerIsReplacedAfterItsShareOfJobs) {
  const std::vector<JobEnd> ends = run_jobs(150, WorkerOptions{}, own_pid);
  std::map<std::string, size_t> served;
  for (const JobEnd& end : ends) {
    ASSERT_TRUE(end.ok) << end.failure;
    ++served[end.result];
  }
  EXPECT_EQ(served.size(), 3u);
  for (const auto& [pid, jobs] : served) EXPECT_LE(jobs, 64u) << pid;
}

TEST(Workers, AJobThatAsksForAFreshWorkerGetsOneForTheNext) {
  const std::vector<JobEnd> ends =
      run_jobs(4, WorkerOptions{}, [](size_t i) { return Answer{std::to_string(::getpid()), i == 1}; });
  ASSERT_EQ(ends.size(), 4u);
  for (const JobEnd& end : ends) ASSERT_TRUE(end.ok) << end.failure;
  EXPECT_EQ(ends[0].result, ends[1].result);
  EXPECT_NE(ends[1].result, ends[2].result);
  EXPECT_EQ(ends[2].result, ends[3].result);
}

TEST(Workers, AJobThatCrashesHangsOrThrowsFailsAloneAndAFreshWorkerGoesOn) {
  WorkerOptions options;
  options.timeout = 1;
  const std::vector<JobEnd> ends = run_jobs(5, options, [](size_t i) {
    if (i == 1) std::abort();
    if (i == 2) throw std::runtime_error("out of luck");
    if (i == 3) ::sleep(60);
    return own_pid(i);
  });
  ASSERT_EQ(ends.size(), 5u);
  ASSERT_TRUE(ends[0].ok) << ends[0].failure;
  EXPECT_FALSE(ends[1].ok);
  EXPECT_NE(ends[1].failure.find("killed by signal 6"), std::string::npos) << ends[1].failure;
  EXPECT_FALSE(ends[2].ok);
  EXPECT_EQ(ends[2].failure, "the worker stopped: out of luck");
  EXPECT_FALSE(ends[3].ok);
  EXPECT_NE(ends[3].failure.find("--timeout"), std::string::npos) << ends[3].failure;
  ASSERT_TRUE(ends[4].ok) << ends[4].failure;
  // Each failure ended its worker, the crash that of the job before it: four
  // processes in all.
  EXPECT_EQ(ends[0].pid, ends[1].pid);
  const std::set<int> pids{ends[0].pid, ends[1].pid, ends[2].pid, ends[3].pid, ends[4].pid};
  EXPECT_EQ(pids.size(), 4u);
}

// A stop signal that comes while the loop is busy, after its look at the
// signal and before its wait, must end the wait at once: it used to wait
// out the poll, up to a minute, while a worker hung (a scheduler's SIGTERM,
// and the e2e test under load, waited for it). So the stop signals are
// blocked while the loop works (here, as it delivers a result) and let
// through only by its wait; a SIGTERM raised then ends the run, and the
// mask is as it was after.
TEST(Workers, AStopSignalBetweenTheLoopsLookAndItsWaitEndsTheRunAtOnce) {
  const auto term_blocked = [] {
    sigset_t mask;
    ::pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return sigismember(&mask, SIGTERM) == 1;
  };
  ASSERT_FALSE(term_blocked());
  bool blocked_while_delivering = false;
  WorkerOptions options;
  options.workers = 2;
  options.timeout = 300;
  const auto started = std::chrono::steady_clock::now();
  std::vector<JobEnd> ends;
  const int stopped = run_in_workers(
      2, options,
      [](size_t i) {
        if (i == 1) ::sleep(300);
        return Answer{"done", false};
      },
      [](size_t, const JobEnd&) {},
      [&](size_t, const JobEnd& end) {
        if (ends.empty()) {
          blocked_while_delivering = term_blocked();
          ::raise(SIGTERM);
        }
        ends.push_back(end);
      });
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(blocked_while_delivering);
  EXPECT_FALSE(term_blocked());
  EXPECT_EQ(stopped, SIGTERM);
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_TRUE(ends[0].ok);
  EXPECT_NE(ends[1].failure.find("stopped by signal 15"), std::string::npos) << ends[1].failure;
  EXPECT_LT(waited, std::chrono::seconds(30));  // the old wait was 60 s
}

TEST(Workers, ResultsOfManyWorkersAreDeliveredInJobOrder) {
  WorkerOptions options;
  options.workers = 3;
  // Later jobs finish first.
  const std::vector<JobEnd> ends = run_jobs(9, options, [](size_t i) {
    ::usleep(static_cast<useconds_t>((9 - i) * 20'000));
    return Answer{std::to_string(i) + std::string(100'000, '.'), false};  // more than one read's worth
  });
  ASSERT_EQ(ends.size(), 9u);
  std::set<int> pids;
  for (size_t i = 0; i < ends.size(); ++i) {
    ASSERT_TRUE(ends[i].ok) << ends[i].failure;
    EXPECT_EQ(ends[i].result, std::to_string(i) + std::string(100'000, '.'));
    pids.insert(ends[i].pid);
  }
  EXPECT_EQ(pids.size(), 3u);
}

}  // namespace
}  // namespace redact::batch
