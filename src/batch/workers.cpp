#include "batch/workers.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
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
// alive (not restarting poll, so the loop sees it at once). The handlers
// before are put back after.
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
  }
  ~StopSignals() { restore(); }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  // In a worker: the default actions, and death with the parent.
  void in_worker(pid_t parent) const {
    restore();
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
};

struct Running {
  size_t index = 0;
  pid_t pid = 0;
  int fd = -1;  // the read end of the worker's pipe
  std::string data;
  Clock::time_point deadline = Clock::time_point::max();
};

// Writes all of `data` to `fd`; false when the pipe broke.
bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// In the child: runs the job, sends its result, and ends without running
// the parent's exit handlers or flushing its buffers.
[[noreturn]] void be_worker(size_t index, int fd, const std::function<std::string(size_t)>& work) {
  std::string result;
  int status = 0;
  try {
    result = work(index);
  } catch (const std::exception& e) {
    result = std::string("the worker stopped: ") + e.what();
    status = 2;
  } catch (...) {
    status = 2;
  }
  if (!write_all(fd, result)) status = 1;
  ::close(fd);
  ::_exit(status);
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

int run_in_workers(size_t jobs, const WorkerOptions& options, const std::function<std::string(size_t)>& work,
                   const std::function<void(size_t, const JobEnd&)>& finished,
                   const std::function<void(size_t, const JobEnd&)>& deliver) {
  const unsigned workers = std::max(1u, options.workers);
  const StopSignals signals;
  if (options.prepare) options.prepare();
  const pid_t parent = ::getpid();
  std::vector<Running> running;
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
  const auto start = [&](size_t index) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      end_job(index, JobEnd{false, "", std::string("cannot start a worker: ") + std::strerror(errno), 0});
      return;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      signals.in_worker(parent);
      ::close(fds[0]);
      be_worker(index, fds[1], work);
    }
    ::close(fds[1]);  // so that the pipe ends when the worker does
    if (pid < 0) {
      ::close(fds[0]);
      end_job(index, JobEnd{false, "", std::string("cannot start a worker: ") + std::strerror(errno), 0});
      return;
    }
    Running r;
    r.index = index;
    r.pid = pid;
    r.fd = fds[0];
    if (options.timeout > 0) r.deadline = Clock::now() + std::chrono::seconds(options.timeout);
    running.push_back(std::move(r));
  };
  // Reaps a worker whose pipe has ended (or that is killed first).
  enum class Why { done, timed_out, stopped };
  const auto reap = [&](size_t slot, Why why) {
    Running r = std::move(running[slot]);
    running.erase(running.begin() + static_cast<std::ptrdiff_t>(slot));
    if (why != Why::done) ::kill(r.pid, SIGKILL);
    ::close(r.fd);
    int status = 0;
    while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
    }
    JobEnd end;
    end.pid = r.pid;
    if (why == Why::timed_out) {
      end.failure = "took longer than " + std::to_string(options.timeout) + " s (--timeout) and was stopped";
    } else if (why == Why::stopped) {
      end.failure = "the run was stopped by signal " + std::to_string(stop_signal) + " before this document ended";
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      end.ok = true;
      end.result = std::move(r.data);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2 && !r.data.empty()) {
      end.failure = std::move(r.data);  // what the worker said before it stopped
    } else {
      end.failure = describe_end(status);
    }
    end_job(r.index, std::move(end));
  };

  while (next < jobs || !running.empty()) {
    if (stop_signal != 0) {
      // Every job ends on the record: those running are stopped, those not
      // started are not run; what finished is delivered all the same.
      while (!running.empty()) reap(running.size() - 1, Why::stopped);
      for (; next < jobs; ++next) {
        end_job(next, JobEnd{false, "", "not run: the run was stopped by signal " + std::to_string(stop_signal), 0});
      }
      break;
    }
    while (next < jobs && running.size() < workers) start(next++);
    if (running.empty()) continue;
    std::vector<pollfd> polled;
    Clock::time_point soonest = Clock::time_point::max();
    for (const Running& r : running) {
      polled.push_back({r.fd, POLLIN, 0});
      soonest = std::min(soonest, r.deadline);
    }
    int wait_ms = -1;
    if (soonest != Clock::time_point::max()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<long long>(left + 1, 0, 60'000));
    }
    const int ready = ::poll(polled.data(), polled.size(), wait_ms);
    if (ready < 0 && errno != EINTR) throw Error(ErrorKind::io, Location(), std::string("poll: ") + std::strerror(errno));
    // From the back, so that reaping does not move the slots still to read.
    for (size_t slot = running.size(); slot-- > 0;) {
      Running& r = running[slot];
      if (ready > 0 && (polled[slot].revents & (POLLIN | POLLHUP | POLLERR))) {
        char buffer[65536];
        const ssize_t n = ::read(r.fd, buffer, sizeof buffer);
        if (n > 0) {
          r.data.append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          reap(slot, Why::done);
          continue;
        }
      }
      if (Clock::now() >= r.deadline) reap(slot, Why::timed_out);
    }
  }
  return stop_signal;
}

}  // namespace redact::batch
