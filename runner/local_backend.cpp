#include "runner/local_backend.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "runner/job.hpp"

extern char** environ;

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

volatile sig_atomic_t interrupted = 0;
void on_interrupt(int) {
  interrupted = 1;
}

// A rough cost of a job, for the ETA: learners by training steps, the rest by simulated quarters.
double job_weight(const Experiment& e, const Job& job) {
  const PolicyEntry& p = e.policies[job.policy];
  const double evaluation = 2.0 * e.eval_episodes * 40;
  if (p.kind == PolicyKind::kLearner) return static_cast<double>(p.steps) * p.config.traits().step_cost + evaluation;
  if (p.kind == PolicyKind::kOptimum) return 20'000.0 + evaluation;
  return p.baseline == "planner" ? 50 * evaluation : evaluation;
}

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

pid_t spawn_worker(const fs::path& results, std::size_t index, const fs::path& log) {
  fs::create_directories(log.parent_path());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const std::string results_text = results.string(), index_text = std::to_string(index);
  std::vector<char*> argv{const_cast<char*>("expanse"), const_cast<char*>("run-job"),
                          const_cast<char*>(results_text.c_str()), const_cast<char*>(index_text.c_str()), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start a worker process");
  return pid;
}

// The progress line: runs finished, share of the work done (by job_weight), elapsed time and ETA;
// rewritten in place on a terminal, one line per event otherwise.
class Progress {
 public:
  Progress(const PreparedRun& run, std::ostream& out)
      : run_(run),
        out_(out),
        terminal_(isatty(STDOUT_FILENO) && &out == &std::cout),
        start_(std::chrono::steady_clock::now()) {
    for (std::size_t i = 0; i < run.jobs.size(); ++i) total_ += job_weight(run.experiment, run.jobs[i]);
    done_ = total_;
    for (std::size_t i : run.pending) done_ -= job_weight(run.experiment, run.jobs[i]);
    at_start_ = done_;
    finished_ = run.jobs.size() - run.pending.size();
  }
  void job_done(std::size_t index) {
    ++finished_;
    done_ += job_weight(run_.experiment, run_.jobs[index]);
  }
  std::size_t finished() const { return finished_; }
  void show(const std::string& event) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = done_ > at_start_ ? (done_ - at_start_) / elapsed : 0;
    const std::string eta = rate > 0 ? clock_text((total_ - done_) / rate) : "?";
    char line[256];
    std::snprintf(line, sizeof line, "[%zu/%zu runs] %3.0f%%  elapsed %s  ETA %s", finished_, run_.jobs.size(),
                  100 * done_ / std::max(1.0, total_), clock_text(elapsed).c_str(), eta.c_str());
    if (terminal_) {
      out_ << "\r\033[K";
      if (!event.empty()) out_ << event << "\n";
      out_ << line << std::flush;
    } else if (!event.empty()) {
      out_ << line << "  " << event << "\n" << std::flush;
    }
  }
  void end() {
    if (terminal_) out_ << "\n";
  }

 private:
  const PreparedRun& run_;
  std::ostream& out_;
  const bool terminal_;
  const std::chrono::steady_clock::time_point start_;
  double total_ = 0, done_ = 0, at_start_ = 0;
  std::size_t finished_ = 0;
};

// SIGINT and SIGTERM set `interrupted`; SIGPIPE is ignored: output piped into `head` that has exited
// must not kill the scheduler with its workers still running (the progress lines are lost, the run
// goes on and finishes its summary). The previous handlers return when this goes out of scope.
class InterruptGuard {
 public:
  InterruptGuard() {
    interrupted = 0;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &int_);
    sigaction(SIGTERM, &action, &term_);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &pipe_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &int_, nullptr);
    sigaction(SIGTERM, &term_, nullptr);
    sigaction(SIGPIPE, &pipe_, nullptr);
  }

 private:
  struct sigaction int_ {
  }, term_{}, pipe_{};
};

}  // namespace

int LocalBackend::run(const PreparedRun& run, std::ostream& out) {
  const Experiment& e = run.experiment;
  int workers = workers_ > 0 ? workers_ : e.workers;
  if (workers <= 0) workers = std::max(1u, std::thread::hardware_concurrency());
  out << e.name << ": " << e.scenarios.size() << " scenario(s) × " << e.policies.size() << " policies × "
      << e.seeds.size() << " seeds = " << run.jobs.size() << " runs, " << run.jobs.size() - run.pending.size()
      << " already done; " << workers << " worker process(es)\n";
  out.flush();

  Progress progress(run, out);
  std::vector<std::string> failures;
  {
    InterruptGuard guard;
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0;
    while (next < run.pending.size() || !running.empty()) {
      while (!interrupted && next < run.pending.size() && running.size() < static_cast<std::size_t>(workers)) {
        const std::size_t index = run.pending[next++];
        running[spawn_worker(run.results, index, job_dir(run.results, e, run.jobs[index]) / "log.txt")] = index;
      }
      progress.show("");
      int status = 0;
      const pid_t pid = waitpid(-1, &status, 0);
      if (pid < 0) {
        if (errno == EINTR) {
          // Ctrl-C reached the workers too (one process group); they stop where they are: training
          // checkpoints and result files are replaced atomically, so the next run resumes cleanly.
          for (const auto& [child, index] : running) kill(child, SIGINT);
          continue;
        }
        break;
      }
      const auto it = running.find(pid);
      if (it == running.end()) continue;
      const std::size_t index = it->second;
      running.erase(it);
      const fs::path dir = job_dir(run.results, e, run.jobs[index]);
      if (job_done(dir)) {
        progress.job_done(index);
        progress.show("done " + job_label(e, run.jobs[index]));
      } else if (!interrupted) {
        failures.push_back(job_label(e, run.jobs[index]) + ": " + last_log_line(dir) +
                           " (log: " + (dir / "log.txt").string() + ")");
        progress.show("FAILED " + job_label(e, run.jobs[index]));
      }
    }
    progress.end();
  }
  if (interrupted) {
    out << "interrupted: " << progress.finished() << " of " << run.jobs.size()
        << " runs finished and kept; run the same command again to resume\n";
    return 130;
  }
  if (!failures.empty()) {
    for (const auto& f : failures) out << "failed: " << f << "\n";
    out << failures.size() << " run(s) failed; the others are kept. Fix the cause and run again to resume.\n";
    return 1;
  }
  aggregate_run(run.results, e, out);
  return 0;
}
}  // namespace expanse::runner
