#include "batch/workers.h"

#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <cstring>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace redact::batch {
namespace {

using Clock = std::chrono::steady_clock;

// The first signal (SIGINT, SIGTERM, SIGHUP) that asked the run to stop, or 0.
volatile sig_atomic_t stop_signal = 0;
void on_stop_signal(int sig) {
  if (stop_signal == 0) stop_signal = sig;
}

// SIGINT, SIGTERM and SIGHUP (a closed terminal) set stop_signal while
// alive. They are blocked but while the loop waits (ppoll with wait_mask()),
// so one that comes between the loop's look at stop_signal and its wait
// ends the wait at once: it used to wait out the poll (up to a minute),
// and a scheduler's SIGTERM went unheeded. The handlers and mask before
// are put back after.
class StopSignals {
 public:
  StopSignals() {
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
    ::sigaction(SIGHUP, &action, &old_hup_);
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &stops, &old_mask_);
    wait_mask_ = old_mask_;
    sigdelset(&wait_mask_, SIGINT);
    sigdelset(&wait_mask_, SIGTERM);
    sigdelset(&wait_mask_, SIGHUP);
  }
  ~StopSignals() {
    // A signal still pending is taken by this handler, then the old ones.
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    restore();
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  // What the loop waits with: the three signals let through.
  const sigset_t* wait_mask() const { return &wait_mask_; }
  // In a worker: the default actions and mask, and death with the parent.
  void in_worker(pid_t parent) const {
    restore();
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);  // the parent ended before prctl took hold
  }

 private:
  void restore() const {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ::sigaction(SIGHUP, &old_hup_, nullptr);
  }
  struct sigaction old_int_ {}, old_term_ {}, old_hup_ {};
  sigset_t old_mask_ {}, wait_mask_ {};
};

// A worker process and the job it runs, if any. The worker serves jobs one
// after another over `fd` (one end of a socket pair): it reads a job's
// index and answers with a frame, one Status byte and the length of what
// follows (8 bytes).
struct Worker {
  pid_t pid = 0;
  int fd = -1;
  std::optional<size_t> job;
  std::string data;  // what it has sent of the job's answer
  Clock::time_point deadline = Clock::time_point::max();
  unsigned served = 0;  // jobs given to it
};

enum Status : char {
  kDone = 0,        // the job's result follows; the worker takes another
  kDoneRetired = 1, // the job's result follows; the worker ends (Answer::retire_worker)
  kThrew = 2,       // why the job stopped follows; the worker ends
};
constexpr size_t kFrameHeader = 1 + sizeof(uint64_t);

// Jobs one worker serves before a fresh one takes its place: a worker keeps
// what it learned (the patterns' automata, fonts' tables) from one document
// to the next, and this bounds what a leak in a library could gather.
constexpr unsigned kJobsPerWorker = 64;

// Sends all of `data` (no SIGPIPE when the other end is gone); false when
// the connection broke.
bool send_all(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads exactly `size` bytes; false at the end of the connection.
bool receive_all(int fd, void* into, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::recv(fd, static_cast<char*>(into) + done, size - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// In the child: runs the jobs it is given until the parent closes the
// connection, then ends without running the parent's exit handlers or
// flushing its buffers. A job that throws ends the worker after its answer:
// whatever it left half done (an allocation that failed, say) is not
// carried into the next document.
[[noreturn]] void serve(int fd, const std::function<Answer(size_t)>& work) {
  for (;;) {
    uint64_t index = 0;
    if (!receive_all(fd, &index, sizeof index)) ::_exit(0);
    Status status = kDone;
    std::string frame(kFrameHeader, '\0');
    try {
      Answer answer = work(static_cast<size_t>(index));
      frame += answer.result;
      if (answer.retire_worker) status = kDoneRetired;
    } catch (const std::exception& e) {
      frame += std::string("the worker stopped: ") + e.what();
      status = kThrew;
    } catch (...) {
      frame += "the worker stopped on an exception that says nothing of itself";
      status = kThrew;
    }
    frame[0] = status;
    const uint64_t length = frame.size() - kFrameHeader;
    std::memcpy(frame.data() + 1, &length, sizeof length);
    if (!send_all(fd, frame)) ::_exit(1);
    if (status != kDone) ::_exit(0);
    ::malloc_trim(0);  // what one document needed is not held through the next
  }
}

std::string describe_end(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "the worker was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  }
  if (WIFEXITED(status)) return "the worker ended with exit status " + std::to_string(WEXITSTATUS(status));
  return "the worker ended abnormally";
}

}  // namespace

int run_in_workers(size_t jobs, const WorkerOptions& options, const std::function<Answer(size_t)>& work,
                   const std::function<void(size_t, const JobEnd&)>& finished,
                   const std::function<void(size_t, const JobEnd&)>& deliver) {
  const unsigned most = std::max(1u, options.workers);
  const StopSignals signals;
  const pid_t parent = ::getpid();
  std::vector<Worker> pool;
  std::map<size_t, JobEnd> ended;  // finished, not yet delivered
  size_t next = 0, next_delivery = 0;

  const auto end_job = [&](size_t index, JobEnd end) {
    finished(index, end);
    ended.emplace(index, std::move(end));
    for (auto it = ended.find(next_delivery); it != ended.end(); it = ended.find(next_delivery)) {
      deliver(it->first, it->second);
      ended.erase(it);
      ++next_delivery;
    }
  };
  // Starts a worker at the end of the pool; the reason when none can be started.
  const auto spawn = [&]() -> std::optional<std::string> {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return std::strerror(errno);
    const pid_t pid = ::fork();
    if (pid == 0) {
      signals.in_worker(parent);
      ::close(fds[0]);
      // The other workers' connections, inherited: a worker must see its
      // own end when the parent closes it, which a copy held here would stop.
      for (const Worker& w : pool) ::close(w.fd);
      serve(fds[1], work);
    }
    const int error = errno;
    ::close(fds[1]);
    if (pid < 0) {
      ::close(fds[0]);
      return std::strerror(error);
    }
    Worker w;
    w.pid = pid;
    w.fd = fds[0];
    pool.push_back(std::move(w));
    return std::nullopt;
  };
  // Gives a job to an idle worker. Should the worker be gone, the job ends
  // with it when its connection is seen closed.
  const auto assign = [&](Worker& w, size_t index) {
    w.job = index;
    w.data.clear();
    ++w.served;
    w.deadline = options.timeout > 0 ? Clock::now() + std::chrono::seconds(options.timeout) : Clock::time_point::max();
    const uint64_t i = index;
    send_all(w.fd, std::string_view(reinterpret_cast<const char*>(&i), sizeof i));
  };
  // Ends the worker in `slot`: told to stop (an idle one, whose connection
  // closing is its signal), killed, or already ended. Its job, if it had
  // one, fails with `failure`, or else with how the worker ended.
  enum class Why { retired, died, timed_out, stopped };
  const auto reap = [&](size_t slot, Why why) {
    Worker w = std::move(pool[slot]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(slot));
    if (why == Why::timed_out || why == Why::stopped) ::kill(w.pid, SIGKILL);
    ::close(w.fd);
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!w.job) return;
    JobEnd end;
    end.pid = w.pid;
    if (why == Why::timed_out) {
      end.failure = "took longer than " + std::to_string(options.timeout) + " s (--timeout) and was stopped";
    } else if (why == Why::stopped) {
      end.failure = "the run was stopped by signal " + std::to_string(stop_signal) + " before this document ended";
    } else {
      end.failure = describe_end(status);
    }
    end_job(*w.job, std::move(end));
  };
  // The job of the worker in `slot` has answered in full: it ends, and the
  // worker is idle again, or gone when it said it ends.
  const auto answered = [&](size_t slot) {
    Worker& w = pool[slot];
    const auto status = static_cast<Status>(w.data[0]);
    JobEnd end;
    end.pid = w.pid;
    end.ok = status != kThrew;
    (end.ok ? end.result : end.failure) = w.data.substr(kFrameHeader);
    const size_t index = *w.job;
    w.job.reset();
    w.data.clear();
    if (status != kDone) reap(slot, Why::retired);  // it ends by itself
    end_job(index, std::move(end));
  };
  const auto busy = [&] { return std::any_of(pool.begin(), pool.end(), [](const Worker& w) { return w.job.has_value(); }); };

  while (next < jobs || busy()) {
    if (stop_signal != 0) {
      // Every job ends on the record: those running are stopped, those not
      // started are not run; what finished is delivered all the same.
      while (!pool.empty()) reap(pool.size() - 1, Why::stopped);
      for (; next < jobs; ++next) {
        end_job(next, JobEnd{false, "", "not run: the run was stopped by signal " + std::to_string(stop_signal), 0});
      }
      break;
    }
    // A worker that has served its share, or has nothing left to do, ends.
    for (size_t slot = pool.size(); slot-- > 0;) {
      if (!pool[slot].job && (next == jobs || pool[slot].served >= kJobsPerWorker)) reap(slot, Why::retired);
    }
    for (Worker& w : pool) {
      if (!w.job && next < jobs) assign(w, next++);
    }
    while (next < jobs && pool.size() < most) {
      if (const std::optional<std::string> error = spawn()) {
        end_job(next++, JobEnd{false, "", "cannot start a worker: " + *error, 0});
      } else {
        assign(pool.back(), next++);
      }
    }
    if (pool.empty()) continue;
    std::vector<pollfd> polled;
    Clock::time_point soonest = Clock::time_point::max();
    for (const Worker& w : pool) {
      polled.push_back({w.fd, POLLIN, 0});
      soonest = std::min(soonest, w.deadline);
    }
    timespec wait{};
    const timespec* waits = nullptr;  // no deadline: until a worker answers or a signal comes
    if (soonest != Clock::time_point::max()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now()).count();
      const long long ms = std::clamp<long long>(left + 1, 0, 60'000);
      wait = {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1'000'000};
      waits = &wait;
    }
    const int ready = ::ppoll(polled.data(), polled.size(), waits, signals.wait_mask());
    if (ready < 0 && errno != EINTR) throw Error(ErrorKind::io, Location(), std::string("ppoll: ") + std::strerror(errno));
    // From the back, so that reaping does not move the slots still to read.
    for (size_t slot = pool.size(); slot-- > 0;) {
      Worker& w = pool[slot];
      if (ready > 0 && (polled[slot].revents & (POLLIN | POLLHUP | POLLERR))) {
        char buffer[65536];
        const ssize_t n = ::recv(w.fd, buffer, sizeof buffer, 0);
        if (n > 0) {
          w.data.append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          reap(slot, Why::died);
          continue;
        }
        uint64_t length = 0;
        if (w.job && w.data.size() >= kFrameHeader) {
          std::memcpy(&length, w.data.data() + 1, sizeof length);
          if (w.data.size() - kFrameHeader >= length) {
            answered(slot);
            continue;
          }
        }
      }
      if (w.job && Clock::now() >= w.deadline) reap(slot, Why::timed_out);
    }
  }
  while (!pool.empty()) reap(pool.size() - 1, Why::retired);
  return stop_signal;
}

}  // namespace redact::batch
