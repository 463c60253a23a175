// `expanse train` and `expanse eval`: the learning agents on a reference env or a market scenario.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <sstream>

#include "agents/rl/training.hpp"
#include "cli/command.hpp"
#include "common/atomic_file.hpp"
#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"
#include "env/market/market_episodes.hpp"

namespace expanse::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

class TrainCommand final : public Command {
 public:
  std::string name() const override { return "train"; }
  std::string synopsis() const override { return "train DQN, PPO, SAC or CEM on a reference env or a scenario"; }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse train --algo dqn|ppo|sac|cem --env ENV --steps N --seed S --out DIR\n"
           "                     [--config FILE.yaml] [--resume]\n\n"
           "ENV is cartpole-v1, pendulum-v1, acrobot-v1, mountaincar-continuous-v0 or a scenario file.\n"
           "Hyperparameters default to CleanRL's (CEM's to docs/agents.md's); --config overrides them by name.\n"
           "Writes DIR/metrics.csv, DIR/checkpoint.pt and, at the end, DIR/summary.json. --resume\n"
           "continues a run from its last checkpoint and ends exactly as an uninterrupted run.\n\n"
        << options();
    return out.str();
  }

  int run(const std::vector<std::string>& args) override {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options()).run(), vm);
    po::notify(vm);
    for (const char* required : {"algo", "env", "steps", "out"})
      if (!vm.count(required)) throw po::error(std::string("--") + required + " is required");
    const std::string algorithm = vm["algo"].as<std::string>();
    try {
      agents::require_algorithm(algorithm);
    } catch (const std::invalid_argument& e) {
      throw po::error(std::string("--algo: ") + e.what());
    }
    const long long steps = vm["steps"].as<long long>();
    if (steps <= 0) throw po::error("--steps must be positive");

    agents::TrainRequest request;
    request.env = agents::TrainingEnv(vm["env"].as<std::string>());  // the scenario loaded once, here
    request.steps = steps;
    request.seed = seed_option(vm);
    request.out = vm["out"].as<std::string>();
    request.resume = vm.count("resume") > 0;
    if (vm.count("init")) request.init = vm["init"].as<std::string>();
    request.progress = true;
    // The defaults depend on the action space (CleanRL's discrete or continuous script).
    // Read once: `--config <(…)` is a pipe that cannot be read twice.
    const std::string config_file = vm.count("config") ? vm["config"].as<std::string>() : "";
    const std::string config_text = config_file.empty() ? "" : read_text_file(config_file);
    std::string view;
    if (!config_file.empty()) {
      agents::AgentConfig probe = agents::default_agent_config(algorithm, false);
      agents::read_agent_config(config_text, config_file, probe);
      view = probe.view;
    }
    if (view.empty()) view = agents::default_view(algorithm);
    const bool box = is_box(agents::make_training_env(request.env, view)->action_space());
    request.config = agents::default_agent_config(algorithm, box, request.env.market != nullptr);
    if (!config_file.empty()) agents::read_agent_config(config_text, config_file, request.config);

    const agents::TrainSummary s = agents::train(request);
    std::printf("%s on %s: %lld steps, %d episodes, %.0f steps/s\n", algorithm.c_str(), request.env.name.c_str(),
                static_cast<long long>(s.steps), s.episodes, s.steps_per_second);
    std::printf("mean return of the last 100 training episodes %.2f; final evaluation %.2f ± %.2f\n",
                s.last100_mean_return, s.final_eval_mean_return, s.final_eval_std_return);
    std::printf("run directory %s\n", request.out.string().c_str());
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("algo", po::value<std::string>(), "dqn, ppo, sac or cem")("env", po::value<std::string>(),
                                                                              "reference env id or scenario file")(
        "steps", po::value<long long>(), "total env steps")("seed", po::value<std::string>()->default_value("1"),
                                                            "random seed")(
        "out", po::value<std::string>(), "run directory")("config", po::value<std::string>(),
                                                          "YAML file of hyperparameters")(
        "resume", "continue the run in --out from its last checkpoint")(
        "init", po::value<std::string>(),
        "start from the networks of this run directory (same algorithm; another scenario with the same products may "
        "be its source), with a fresh optimiser");
    return o;
  }
};

class EvalCommand final : public Command {
 public:
  std::string name() const override { return "eval"; }
  std::string synopsis() const override { return "evaluate a trained policy (a train run directory)"; }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse eval DIR [--env SCENARIO] [--episodes N] [--seed S] [--out FILE.csv]\n\n"
           "Runs the policy saved in DIR (by `expanse train`) deterministically for N episodes seeded\n"
           "from S and prints every return and their mean. With --env it acts on another scenario with the\n"
           "same observation blocks (the same products): zero-shot transfer of an entity network. On a market scenario "
           "it also prints the KPI\n"
           "summary (the discounted return there is the experiment runner's score) and with --out writes\n"
           "one CSV row per quarter, as `expanse sim` does.\n\n"
        << options();
    return out.str();
  }

  int run(const std::vector<std::string>& args) override {
    po::options_description all = options();
    all.add_options()("dir", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (!vm.count("dir")) throw po::error("name the run directory");
    const int episodes = vm["episodes"].as<int>();
    if (episodes <= 0) throw po::error("--episodes must be positive");
    const std::string out_path = vm.count("out") ? vm["out"].as<std::string>() : "";
    const std::string dir = vm["dir"].as<std::string>();
    auto policy = vm.count("env") ? agents::load_trained_policy(dir, agents::TrainingEnv(vm["env"].as<std::string>()))
                                  : agents::load_trained_policy(dir);
    const auto* market = dynamic_cast<const MarketEnv*>(&policy->env());
    if (!out_path.empty() && !market)
      throw po::error("--out writes a market scenario's quarters; " + vm["dir"].as<std::string>() + " was trained on " +
                      policy->env().name());
    const std::vector<double> returns = agents::evaluate_policy(*policy, episodes, seed_option(vm));
    for (std::size_t i = 0; i < returns.size(); ++i) std::printf("episode %zu return %.4f\n", i, returns[i]);
    const agents::ReturnStats stats = agents::return_stats(returns);
    std::printf("mean return %.4f ± %.4f over %d episodes\n", stats.mean, stats.sd, episodes);
    if (market) {
      MarketEnv env(*market);
      const SimulatedEpisodes run = simulate_episodes(env, *policy, episodes, seed_option(vm), !out_path.empty());
      if (!out_path.empty()) write_file_atomically(out_path, run.trajectory_csv);
      std::printf("\n%s", format_kpi_summary(run.kpis).c_str());
      if (!out_path.empty()) std::printf("\ntrajectory: %s\n", out_path.c_str());
    }
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("episodes", po::value<int>()->default_value(10), "episodes to run")(
        "seed", po::value<std::string>()->default_value("1000"), "seed of the evaluation episodes")(
        "env", po::value<std::string>(), "act on this scenario instead of the one the run was trained on")(
        "out", po::value<std::string>(), "market scenarios: write the per-quarter trajectory to this CSV file");
    return o;
  }
};

}  // namespace

std::unique_ptr<Command> make_train_command() { return std::make_unique<TrainCommand>(); }
std::unique_ptr<Command> make_eval_command() { return std::make_unique<EvalCommand>(); }

}  // namespace expanse::cli
