#include "runner/scheduler.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "env/util/atomic_file.hpp"
#include "env/util/text_file.hpp"
#include "env/util/user_error.hpp"
#include "runner/aggregate.hpp"
#include "runner/job.hpp"
#include "runner/job_inputs.hpp"

extern char** environ;

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

volatile sig_atomic_t interrupted = 0;
void on_interrupt(int) { interrupted = 1; }

// A rough cost of a job, for the ETA: learners by training steps, the rest by simulated quarters.
double job_weight(const Experiment& e, const Job& job) {
  const PolicyEntry& p = e.policies[job.policy];
  const double evaluation = 2.0 * e.eval_episodes * 40;
  // A SAC step (an update every env step) measured 20× (asia-pacific, 64-64) to 250× (Pendulum,
  // 256-256) slower than a PPO step; 60 is a middle for the estimate.
  if (p.kind == PolicyKind::kLearner)
    return static_cast<double>(p.steps) * (p.config.algorithm == agents::Algorithm::kSac ? 60.0 : 1.0) + evaluation;
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

std::string job_label(const Experiment& e, const Job& job) {
  return e.scenarios[job.scenario].name + "/" + e.policies[job.policy].name + "/seed-" + std::to_string(job.seed);
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

std::string last_line(const fs::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

// A run whose inputs changed since it ran (another version of the experiment) moves to
// results/NAME/superseded/TIME/ and runs again; a learner whose training inputs are unchanged keeps
// its training and is only evaluated again. Nothing is deleted.
void set_aside_changed_runs(const fs::path& results, const std::optional<Experiment>& previous, const Experiment& e,
                            const std::vector<Job>& jobs, const std::vector<std::string>& rerun_policies,
                            std::ostream& out) {
  // Runs from before inputs.yaml existed get it from the snapshot of the version they ran with.
  if (previous)
    for (const Job& job : jobs_of(*previous)) {
      const fs::path dir = job_dir(results, *previous, job);
      if (fs::exists(dir) && !read_job_inputs(dir)) {
        JobInputs inputs = job_inputs(*previous, job);
        inputs.expanse = "unrecorded";  // it ran with some earlier build
        write_job_inputs(dir, inputs);
      }
    }
  fs::path superseded;
  auto set_aside = [&](const fs::path& dir, const std::vector<std::string>& files) {
    if (superseded.empty()) {
      const std::time_t now = std::time(nullptr);
      char stamp[32], name[48];
      std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
      superseded = results / "superseded" / stamp;
      for (int n = 2; fs::exists(superseded); ++n) {
        std::snprintf(name, sizeof name, "%s-%d", stamp, n);
        superseded = results / "superseded" / name;
      }
    }
    const fs::path target = superseded / fs::relative(dir, results);
    fs::create_directories(files.empty() ? target.parent_path() : target);
    if (files.empty()) {
      fs::rename(dir, target);
      return;
    }
    for (const std::string& f : files)
      if (fs::exists(dir / f)) fs::rename(dir / f, target / f);
    fs::copy_file(dir / "inputs.yaml", target / "inputs.yaml");
  };
  std::size_t rerun = 0, reevaluated = 0;
  for (const Job& job : jobs) {
    const fs::path dir = job_dir(results, e, job);
    const JobInputs inputs = job_inputs(e, job);
    const std::optional<JobInputs> before = fs::exists(dir) ? read_job_inputs(dir) : std::nullopt;
    const bool forced = std::find(rerun_policies.begin(), rerun_policies.end(), e.policies[job.policy].name) !=
                        rerun_policies.end();
    if (fs::exists(dir)) {
      if (forced || !before || before->training != inputs.training) {
        set_aside(dir, {});
        ++rerun;
      } else if (before->evaluation != inputs.evaluation && job_done(dir)) {
        set_aside(dir, {"evaluation.csv", "timeline.csv"});
        ++reevaluated;
      }
    }
    // Unchanged jobs keep their record of the Expanse that ran them.
    if (forced || !before || before->training != inputs.training || before->evaluation != inputs.evaluation)
      write_job_inputs(dir, inputs);
  }
  if (rerun + reevaluated == 0) return;
  out << (rerun_policies.empty() ? "the experiment changed since its last run:" : "asked to rerun, or changed:");
  if (rerun > 0) out << " " << rerun << " run(s) start again;";
  if (reevaluated > 0) out << " " << reevaluated << " run(s) are evaluated again, their trained agents kept;";
  out << " the earlier results are in " << superseded.string() << "\n";
}

}  // namespace

void run_job_process(const fs::path& results_dir, std::size_t index) {
  const Experiment e = load_experiment_text(read_text_file(results_dir / "experiment.yaml"),
                                            (results_dir / "experiment.yaml").string(), (results_dir / "scenarios").string());
  const std::vector<Job> jobs = jobs_of(e);
  if (index >= jobs.size()) throw std::invalid_argument("run-job: no such job");
  run_job(results_dir, e, jobs[index]);
}

int run_experiment(const std::string& experiment_file, const RunOptions& options, std::ostream& out) {
  const Experiment e = load_experiment(experiment_file);
  for (const std::string& name : options.rerun)
    if (std::none_of(e.policies.begin(), e.policies.end(), [&](const PolicyEntry& p) { return p.name == name; })) {
      std::string names;
      for (const PolicyEntry& p : e.policies) names += (names.empty() ? "" : ", ") + p.name;
      throw UserError(Diagnostic{experiment_file, 0, 0, "policies",
                                 "--rerun " + name + ": no such policy (the policies: " + names + ")"});
    }
  const fs::path results = options.results_root / e.name;
  // The snapshot: scenario paths rewritten to the copies in results/NAME/scenarios, so that a
  // worker (and a later `compare`) needs nothing outside the results directory but the runs that
  // policies start from (`init:`, absolute).
  std::string snapshot = read_text_file(experiment_file);
  const fs::path snapshot_file = results / "experiment.yaml";
  const fs::path source_file = results / "experiment.source.yaml";
  std::optional<Experiment> previous;
  if (fs::exists(source_file)) {
    // Read before the new snapshot replaces it: it names the inputs of runs from before inputs.yaml.
    try {
      previous = load_experiment_text(read_text_file(snapshot_file), snapshot_file.string(),
                                      (results / "scenarios").string());
    } catch (const std::exception&) {
      // An unreadable snapshot: runs without inputs.yaml are set aside below.
    }
    out << "resuming " << results.string() << "\n";
  }
  fs::create_directories(results / "scenarios");
  std::ostringstream rewritten;
  {
    // Same experiment, scenarios by their snapshot file names (resolved against scenarios/).
    YAML::Node root = YAML::Load(snapshot);
    YAML::Node names(YAML::NodeType::Sequence);
    for (const auto& s : e.scenarios) {
      write_file_atomically(scenario_file(results, s).string(), s.text);
      names.push_back(s.name + ".yaml");
    }
    root["scenarios"] = names;
    // Policies' `init:` as the absolute paths they were resolved to, like the scenarios.
    for (std::size_t i = 0; i < e.policies.size() && root["policies"] && root["policies"].IsSequence(); ++i)
      if (!e.policies[i].init.empty()) root["policies"][i]["init"] = e.policies[i].init;
    YAML::Emitter emitter;
    emitter << root;
    rewritten << emitter.c_str() << "\n";
  }
  write_file_atomically(snapshot_file.string(), rewritten.str());
  write_file_atomically(source_file.string(), snapshot);

  const std::vector<Job> jobs = jobs_of(e);
  set_aside_changed_runs(results, previous, e, jobs, options.rerun, out);
  std::vector<std::size_t> pending;
  double total_weight = 0, done_weight = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    total_weight += job_weight(e, jobs[i]);
    if (job_done(job_dir(results, e, jobs[i])))
      done_weight += job_weight(e, jobs[i]);
    else
      pending.push_back(i);
  }
  int workers = options.workers > 0 ? options.workers : e.workers;
  if (workers <= 0) workers = std::max(1u, std::thread::hardware_concurrency());
  out << e.name << ": " << e.scenarios.size() << " scenario(s) × " << e.policies.size() << " policies × "
      << e.seeds.size() << " seeds = " << jobs.size() << " runs, " << jobs.size() - pending.size()
      << " already done; " << workers << " worker process(es)\n";
  out.flush();

  interrupted = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  struct sigaction previous_int {}, previous_term {}, previous_pipe {};
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
  // Output piped into `head` that has exited must not kill the scheduler with its workers still
  // running: the progress lines are lost, the run goes on and finishes its summary.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous_pipe);

  const bool terminal = isatty(STDOUT_FILENO) && &out == &std::cout;
  const auto start = std::chrono::steady_clock::now();
  const double weight_at_start = done_weight;
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0, finished = jobs.size() - pending.size();
  std::vector<std::string> failures;
  auto progress = [&](const std::string& event) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = done_weight > weight_at_start ? (done_weight - weight_at_start) / elapsed : 0;
    const std::string eta = rate > 0 ? clock_text((total_weight - done_weight) / rate) : "?";
    char line[256];
    std::snprintf(line, sizeof line, "[%zu/%zu runs] %3.0f%%  elapsed %s  ETA %s", finished, jobs.size(),
                  100 * done_weight / std::max(1.0, total_weight), clock_text(elapsed).c_str(), eta.c_str());
    if (terminal) {
      out << "\r\033[K";
      if (!event.empty()) out << event << "\n";
      out << line << std::flush;
    } else if (!event.empty()) {
      out << line << "  " << event << "\n" << std::flush;
    }
  };
  while ((next < pending.size() || !running.empty())) {
    while (!interrupted && next < pending.size() && running.size() < static_cast<std::size_t>(workers)) {
      const std::size_t index = pending[next++];
      const fs::path dir = job_dir(results, e, jobs[index]);
      running[spawn_worker(results, index, dir / "log.txt")] = index;
    }
    progress("");
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
    const fs::path dir = job_dir(results, e, jobs[index]);
    if (job_done(dir)) {
      ++finished;
      done_weight += job_weight(e, jobs[index]);
      progress("done " + job_label(e, jobs[index]));
    } else if (!interrupted) {
      failures.push_back(job_label(e, jobs[index]) + ": " + last_line(dir / "log.txt") + " (log: " +
                         (dir / "log.txt").string() + ")");
      progress("FAILED " + job_label(e, jobs[index]));
    }
  }
  if (terminal) out << "\n";
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  sigaction(SIGPIPE, &previous_pipe, nullptr);
  if (interrupted) {
    out << "interrupted: " << finished << " of " << jobs.size()
        << " runs finished and kept; run the same command again to resume\n";
    return 130;
  }
  if (!failures.empty()) {
    for (const auto& f : failures) out << "failed: " << f << "\n";
    out << failures.size() << " run(s) failed; the others are kept. Fix the cause and run again to resume.\n";
    return 1;
  }
  AggregateOptions aggregate;
  aggregate.bootstrap = e.bootstrap;
  aggregate.confidence = e.confidence;
  aggregate_experiments({results}, results, aggregate, out);
  return 0;
}

}  // namespace expanse::runner
