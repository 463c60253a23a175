// `expanse run EXPERIMENT.yaml`, `expanse compare DIR...` and the workers' `expanse run-job`.
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "runner/aggregate.hpp"
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
    out << "usage: expanse run EXPERIMENT.yaml [--results DIR] [--workers N] [--rerun POLICY]...\n\n"
           "Trains the experiment's learning agents, evaluates every policy on the same evaluation\n"
           "episodes, runs independent jobs in parallel worker processes, and writes results/NAME/\n"
           "(summary.csv, summary.json, report.md, report.html, runs/). Run it again to resume an\n"
           "interrupted experiment; after a change to it, only the runs the change reaches run again.\n"
           "Schema: docs/experiments.md.\n\n"
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
    return runner::run_experiment(vm["experiment"].as<std::string>(), options, std::cout);
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("results", po::value<std::string>()->default_value("results"), "where results/NAME/ goes")(
        "workers", po::value<int>()->default_value(0), "worker processes (0: the experiment's setting, else all cores)")(
        "rerun", po::value<std::vector<std::string>>(),
        "run this policy's runs again although nothing in the experiment changed (after updating Expanse); "
        "repeatable");
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
    runner::run_job_process(args[0], static_cast<std::size_t>(std::stoul(args[1])));
    return kOk;
  }
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }
std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }
std::unique_ptr<Command> make_run_job_command() { return std::make_unique<RunJobCommand>(); }

}  // namespace expanse::cli
