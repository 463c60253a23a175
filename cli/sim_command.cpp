// `expanse sim`: runs a baseline policy in a scenario, writes the per-step trajectory as CSV and
// prints the KPI summary. Same seed ⇒ byte-identical output.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "agents/baselines/market_policy.hpp"
#include "cli/command.hpp"
#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"
#include "env/util/atomic_file.hpp"
#include "env/util/rng.hpp"

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
    std::unique_ptr<MarketPolicy> policy = make_baseline(policy_name);
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
    const std::string csv = simulate(env, *policy, episodes, seed, !out_path.empty());
    if (!out_path.empty()) write_file_atomically(out_path, csv);

    std::printf("scenario %s, policy %s, view %s, %d episodes, seed %llu\n\n", scenario.name.c_str(),
                policy_name.c_str(), to_string(view), episodes, static_cast<unsigned long long>(seed));
    std::fputs(format_kpi_summary(kpis_).c_str(), stdout);
    if (!out_path.empty()) std::printf("\ntrajectory: %s\n", out_path.c_str());
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("policy", po::value<std::string>()->default_value("random"),
                    "random (uniform over valid actions) or hold")("episodes", po::value<int>()->default_value(10),
                                                                   "number of episodes")(
        "seed", po::value<std::string>()->default_value("1"), "seed of the episodes and of the random policy")(
        "view", po::value<std::string>()->default_value("discrete"), "action view: discrete, multidiscrete or box")(
        "out", po::value<std::string>(), "write the per-quarter trajectory to this CSV file");
    return o;
  }

  std::string simulate(MarketEnv& env, MarketPolicy& policy, int episodes, std::uint64_t seed, bool trajectory) {
    const MarketSpec& spec = env.spec();
    std::vector<float> obs(env.observation_size());
    std::vector<std::int32_t> indices(is_box(env.action_space()) ? 0 : flat_size(env.action_space()));
    std::vector<float> values(is_box(env.action_space()) ? flat_size(env.action_space()) : 0);
    std::ostringstream csv;
    csv.precision(10);
    if (trajectory) {
      csv << "episode,t,action,invalid,reward,cash,revenue,costs,profit,events";
      for (const auto& r : spec.scenario().regions) csv << ",mode_" << r.country.id;
      for (const auto& r : spec.scenario().regions) csv << ",adopters_" << r.country.id;
      csv << "\n";
    }
    kpis_.clear();
    for (int e = 0; e < episodes; ++e) {
      policy.reset(derive_seed(seed ^ 0x9011C7ULL, static_cast<std::uint64_t>(e)));
      env.reset(derive_seed(seed, static_cast<std::uint64_t>(e)), obs);
      KpiTracker tracker;
      tracker.begin(env);
      bool done = false;
      while (!done) {
        policy.act(env, indices, values);
        const Action action{indices, values};
        const std::string described = trajectory ? env.describe_action(action) : std::string();
        const StepResult r = env.step(action, obs);
        tracker.record(env, r);
        done = r.terminated || r.truncated;
        if (!trajectory) continue;
        const QuarterReport& q = env.last_quarter();
        csv << e << ',' << q.quarter << ',' << described << ',' << r.invalid_action << ',' << r.reward << ',' << q.cash
            << ',' << q.revenue << ',' << q.costs << ',' << q.profit << ',' << describe_events(r.events);
        for (std::size_t i = 0; i < spec.region_count(); ++i) csv << ',' << to_string(env.mode(i));
        for (std::size_t i = 0; i < spec.region_count(); ++i) {
          double n = 0;
          for (std::size_t k = 0; k < spec.product_count(); ++k) n += env.adopters(i, k);
          csv << ',' << n;
        }
        csv << '\n';
      }
      kpis_.push_back(tracker.finish(env));
    }
    return csv.str();
  }

  std::vector<EpisodeKpis> kpis_;
};

}  // namespace

std::unique_ptr<Command> make_sim_command() {
  return std::make_unique<SimCommand>();
}

}  // namespace expanse::cli
