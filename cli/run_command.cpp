// `expanse run EXPERIMENT.yaml`, `expanse compare DIR...`, `expanse status DIR`, and the internal
// `expanse run-job` (a worker, local or a Slurm task) and `expanse finish-run` (Slurm's last job).
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/command.hpp"
#include "runner/aggregate.hpp"
#include "runner/job_status.hpp"
#include "runner/scheduler.hpp"

namespace expanse::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

class RunCommand final : public Command {
 public:
  std::string name() const override { return "run"; }
  std::string synopsis() const override { return "run an experiment: scenarios × policies × seeds, then compare"; }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse run EXPERIMENT.yaml [--results DIR] [--workers N] [--rerun POLICY]...\n"
           "       expanse run EXPERIMENT.yaml --backend slurm [--partition P] [--time T]\n"
           "                   [--array-parallelism K] [--sbatch-arg ARG]... [--signal SIG]\n\n"
           "Trains the experiment's learning agents, evaluates every policy on the same evaluation\n"
           "episodes, runs independent jobs in parallel worker processes, and writes results/NAME/\n"
           "(summary.csv, summary.json, report.md, report.html, runs/). Run it again to resume an\n"
           "interrupted experiment; after a change to it, only the runs the change reaches run again.\n"
           "With --backend slurm the jobs still to do are submitted as one Slurm job array, and a job\n"
           "that depends on it writes the summary and report; the command returns after submitting\n"
           "(follow with `expanse status results/NAME`). Schema and cluster use: docs/experiments.md.\n\n"
        << options();
    return out.str();
  }
  int run(const std::vector<std::string>& args) override {
    po::options_description all = options();
    all.add_options()("experiment", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("experiment", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (!vm.count("experiment")) throw po::error("name the experiment file (e.g. configs/quickstart.yaml)");
    runner::RunOptions options;
    options.results_root = vm["results"].as<std::string>();
    options.workers = vm["workers"].as<int>();
    if (vm.count("rerun")) options.rerun = vm["rerun"].as<std::vector<std::string>>();
    if (options.workers < 0) throw po::error("--workers must be 0 (all cores) or more");
    const std::string backend = vm["backend"].as<std::string>();
    if (backend != "local" && backend != "slurm") throw po::error("--backend must be local or slurm");
    options.backend = backend == "slurm" ? runner::BackendKind::kSlurm : runner::BackendKind::kLocal;
    for (const char* slurm_only : {"partition", "time", "array-parallelism", "sbatch-arg", "signal"})
      if (vm.count(slurm_only) && !vm[slurm_only].defaulted() && options.backend != runner::BackendKind::kSlurm)
        throw po::error(std::string("--") + slurm_only + " is an option of --backend slurm");
    if (vm.count("partition")) options.slurm.partition = vm["partition"].as<std::string>();
    if (vm.count("time")) options.slurm.time = vm["time"].as<std::string>();
    if (vm.count("sbatch-arg")) options.slurm.sbatch_args = vm["sbatch-arg"].as<std::vector<std::string>>();
    options.slurm.array_parallelism = vm["array-parallelism"].as<int>();
    options.slurm.signal = vm["signal"].as<std::string>();
    if (options.slurm.array_parallelism < 0) throw po::error("--array-parallelism must be 0 (no limit) or more");
    return runner::run_experiment(vm["experiment"].as<std::string>(), options, std::cout);
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("results", po::value<std::string>()->default_value("results"), "where results/NAME/ goes")(
        "workers", po::value<int>()->default_value(0),
        "worker processes (0: the experiment's setting, else all cores)")(
        "rerun", po::value<std::vector<std::string>>(),
        "run this policy's runs again although nothing in the experiment changed (after updating Expanse); "
        "repeatable")("backend", po::value<std::string>()->default_value("local"),
                      "local (worker processes here) or slurm (a job array on the cluster)");
    po::options_description slurm("--backend slurm");
    slurm.add_options()("partition", po::value<std::string>(), "the partition (default: the cluster's)")(
        "time", po::value<std::string>(), "each task's time limit, as sbatch --time (default: the partition's)")(
        "array-parallelism", po::value<int>()->default_value(0),
        "tasks running at once, sbatch --array=…%K (0: no limit)")(
        "sbatch-arg", po::value<std::vector<std::string>>(),
        "one more argument for every sbatch, e.g. --sbatch-arg=--account=proj; repeatable")(
        "signal", po::value<std::string>()->default_value("B:USR1@120"),
        "the warning before the time limit, as sbatch --signal: training checkpoints and requeues");
    o.add(slurm);
    return o;
  }
};

class CompareCommand final : public Command {
 public:
  std::string name() const override { return "compare"; }
  std::string synopsis() const override { return "re-aggregate or compare finished experiments"; }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse compare DIR... [--out DIR] [--bootstrap N] [--confidence C]\n\n"
           "Reads the finished runs of one or more results directories and writes summary.csv,\n"
           "summary.json, report.md and report.html into --out (default: the only DIR).\n\n"
        << options();
    return out.str();
  }
  int run(const std::vector<std::string>& args) override {
    po::options_description all = options();
    all.add_options()("dirs", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("dirs", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (!vm.count("dirs")) throw po::error("name at least one results directory");
    std::vector<fs::path> dirs;
    for (const auto& d : vm["dirs"].as<std::vector<std::string>>()) dirs.emplace_back(d);
    std::string out = vm.count("out") ? vm["out"].as<std::string>() : "";
    if (out.empty() && dirs.size() > 1) throw po::error("--out is required when comparing several directories");
    runner::AggregateOptions options;
    options.bootstrap = vm["bootstrap"].as<int>();
    options.confidence = vm["confidence"].as<double>();
    if (options.bootstrap < 100) throw po::error("--bootstrap must be at least 100");
    if (!(options.confidence > 0.5 && options.confidence < 1)) throw po::error("--confidence must be in (0.5, 1)");
    runner::aggregate_experiments(dirs, out.empty() ? dirs.front() : fs::path(out), options, std::cout);
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("out", po::value<std::string>(), "directory for the combined summary and report")(
        "bootstrap", po::value<int>()->default_value(2000), "bootstrap resamples")(
        "confidence", po::value<double>()->default_value(0.95), "interval level");
    return o;
  }
};

class RunJobCommand final : public Command {
 public:
  std::string name() const override { return "run-job"; }
  std::string synopsis() const override { return "(internal) one job of `expanse run`, in a worker process"; }
  std::string usage() const override { return "usage: expanse run-job RESULTS_DIR INDEX (started by `expanse run`)\n"; }
  int run(const std::vector<std::string>& args) override {
    if (args.size() != 2) throw po::error("expects RESULTS_DIR INDEX");
    return runner::run_job_process(args[0], static_cast<std::size_t>(std::stoul(args[1])));
  }
};

class FinishRunCommand final : public Command {
 public:
  std::string name() const override { return "finish-run"; }
  std::string synopsis() const override { return "(internal) the summary and report of a Slurm run, its last job"; }
  std::string usage() const override {
    return "usage: expanse finish-run RESULTS_DIR (submitted by `expanse run --backend slurm`)\n";
  }
  int run(const std::vector<std::string>& args) override {
    if (args.size() != 1) throw po::error("expects RESULTS_DIR");
    return runner::finish_run(args[0], std::cout);
  }
};

class StatusCommand final : public Command {
 public:
  std::string name() const override { return "status"; }
  std::string synopsis() const override { return "the state of each run of an experiment's results folder"; }
  std::string usage() const override {
    return "usage: expanse status RESULTS_DIR [--all]\n\n"
           "Shows each run that is not done (pending, running, failed with its log's last line, or not\n"
           "started), and with --all the done ones too, from the results folder and, after a Slurm\n"
           "submission, from squeue. Exit code 0 when every run is done, 1 otherwise.\n";
  }
  int run(const std::vector<std::string>& args) override {
    po::options_description all("options");
    all.add_options()("all", "list the done runs too")("dir", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (!vm.count("dir")) throw po::error("name the results directory (e.g. results/quickstart)");
    const std::vector<runner::JobStatus> statuses = runner::job_statuses(vm["dir"].as<std::string>());
    std::size_t width = 0;
    std::map<runner::JobState, int> counts;
    for (const auto& s : statuses) width = std::max(width, s.label.size());
    for (const auto& s : statuses) {
      ++counts[s.state];
      if (s.state == runner::JobState::kDone && !vm.count("all")) continue;
      std::cout << std::left << std::setw(static_cast<int>(width) + 2) << s.label << std::setw(13)
                << runner::to_string(s.state) << s.detail << "\n";
    }
    std::cout << statuses.size() << " runs:";
    const char* separator = " ";
    for (const auto& [state, count] : counts) {
      std::cout << separator << count << " " << runner::to_string(state);
      separator = ", ";
    }
    std::cout << "\n";
    return counts[runner::JobState::kDone] == static_cast<int>(statuses.size()) ? kOk : kInvalidInput;
  }
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }
std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }
std::unique_ptr<Command> make_run_job_command() { return std::make_unique<RunJobCommand>(); }
std::unique_ptr<Command> make_finish_run_command() {
  return std::make_unique<FinishRunCommand>();
}
std::unique_ptr<Command> make_status_command() {
  return std::make_unique<StatusCommand>();
}

}  // namespace expanse::cli
