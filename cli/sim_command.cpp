// `expanse sim`: runs a baseline policy in a scenario, writes the per-step trajectory as CSV and
// prints the KPI summary. Same seed ⇒ byte-identical output.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "agents/baselines/market_policy.hpp"
#include "cli/command.hpp"
#include "common/atomic_file.hpp"
#include "common/rng.hpp"
#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"
#include "env/market/market_episodes.hpp"

namespace po = boost::program_options;

namespace expanse::cli {
namespace {

class SimCommand final : public Command {
 public:
  std::string name() const override { return "sim"; }
  std::string synopsis() const override { return "run a baseline policy; per-step trajectory CSV and KPI summary"; }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse sim [SCENARIO] [options]\n\n"
           "Simulates episodes of SCENARIO (default: the embedded asia-pacific scenario) under a baseline\n"
           "policy, prints the KPI summary, and with --out writes one CSV row per quarter.\n\n"
        << options();
    return out.str();
  }

  int run(const std::vector<std::string>& args) override {
    const po::variables_map vm = parse_with_scenario(args, options());

    const std::string policy_name = vm["policy"].as<std::string>();
    std::unique_ptr<Policy> policy = make_baseline(policy_name);
    if (!policy) {
      std::string names;
      for (const auto& n : baseline_names()) names += (names.empty() ? "" : ", ") + n;
      throw po::error("--policy must be one of " + names + ", got \"" + policy_name + "\"");
    }
    const int episodes = vm["episodes"].as<int>();
    if (episodes < 1) throw po::error("--episodes must be at least 1");
    const std::uint64_t seed = seed_option(vm);
    ActionView view;
    try {
      view = parse_action_view(vm["view"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw po::error(std::string("--view: ") + e.what());
    }
    const std::string out_path = vm.count("out") ? vm["out"].as<std::string>() : "";

    const Scenario scenario = load_scenario_argument(vm["scenario"].as<std::string>());
    MarketEnv env(std::make_shared<const MarketSpec>(scenario), view);
    const SimulatedEpisodes run = simulate_episodes(env, *policy, episodes, seed, !out_path.empty());
    if (!out_path.empty()) write_file_atomically(out_path, run.trajectory_csv);

    std::printf("scenario %s, policy %s, view %s, %d episodes, seed %llu\n\n", scenario.name.c_str(),
                policy_name.c_str(), to_string(view), episodes, static_cast<unsigned long long>(seed));
    std::fputs(format_kpi_summary(run.kpis).c_str(), stdout);
    if (!out_path.empty()) std::printf("\ntrajectory: %s\n", out_path.c_str());
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("policy", po::value<std::string>()->default_value("random"),
                    "a baseline: random, hold, greedy-roi, uppsala, partner-greedy or planner")(
        "episodes", po::value<int>()->default_value(10), "number of episodes")(
        "seed", po::value<std::string>()->default_value("1"), "seed of the episodes and of the random policy")(
        "view", po::value<std::string>()->default_value("discrete"), "action view: discrete, multidiscrete or box")(
        "out", po::value<std::string>(), "write the per-quarter trajectory to this CSV file");
    return o;
  }

};

}  // namespace

std::unique_ptr<Command> make_sim_command() {
  return std::make_unique<SimCommand>();
}

}  // namespace expanse::cli
