#include "runner/scheduler.hpp"

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "runner/job.hpp"
#include "runner/local_backend.hpp"
#include "runner/slurm_queue.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {
volatile std::sig_atomic_t stop_requested = 0;
void on_stop_request(int) {
  stop_requested = 1;
}
}  // namespace

int run_job_process(const fs::path& results_dir, std::size_t index) {
  const Experiment e = load_snapshot(results_dir);
  const std::vector<Job> jobs = jobs_of(e);
  if (index >= jobs.size()) throw std::invalid_argument("run-job: no such job");
  const fs::path dir = job_dir(results_dir, e, jobs[index]);
  fs::create_directories(dir);
  const int lock = hold_job_lock(dir);  // held until this process ends
  // Slurm's warning before a time limit (the batch script passes it on).
  struct sigaction action {};
  action.sa_handler = on_stop_request;
  sigemptyset(&action.sa_mask);
  sigaction(SIGUSR1, &action, nullptr);
  const bool done = run_job(results_dir, e, jobs[index], &stop_requested);
  if (lock >= 0) close(lock);
  if (done) return 0;
  std::cout << "stopped on SIGUSR1 after writing a checkpoint; running the job again resumes from it" << std::endl;
  return kJobStoppedForRequeue;
}

int run_experiment(const std::string& experiment_file, const RunOptions& options, std::ostream& out) {
  const Experiment e = load_experiment(experiment_file);
  std::unique_ptr<Backend> backend;
  if (options.backend == BackendKind::kSlurm)
    backend = std::make_unique<SlurmBackend>(options.slurm);
  else
    backend = std::make_unique<LocalBackend>(options.workers);
  const fs::path results = options.results_root / e.name;
  // Both checks come before the results folder changes.
  refuse_if_filling(results);
  backend->check(results);
  return backend->run(prepare_run(e, experiment_file, options.results_root, options.rerun, out), out);
}

}  // namespace expanse::runner
