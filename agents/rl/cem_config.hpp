#pragma once
// The noisy cross-entropy method (Szita & Lőrincz 2006): policy search without gradients
// (agents/rl/cem.cpp). Not a CleanRL script; the defaults are the values of docs/agents.md.
// Registered in agent_config.hpp's AlgorithmConfig. No LibTorch here.
#include "agents/rl/config_fields.hpp"

namespace expanse::agents {

struct CemConfig {
  static constexpr AlgorithmTraits kTraits{
      .name = "cem", .market_view = "multidiscrete", .market_steps = 2'000'000, .step_cost = 1.0};

  int population = 128;           // candidate parameter vectors per generation
  double elite_fraction = 0.125;  // the best share of them refits the distribution
  int episodes = 1;               // per candidate and generation, the same episodes for every candidate
  double init_std = 0.5;          // the search distribution's initial standard deviation
  double noise_std = 0.02;        // added to the refitted standard deviation: keeps the search from collapsing
  double gamma = 0.99;            // the fitness is the mean discounted return
  std::vector<int> hidden = {};   // empty: a linear policy

  void use_defaults(bool /*box_actions*/, bool /*market*/) {}  // the same everywhere
  std::vector<ConfigField> fields();
  void check(MapReader& /*map*/, bool /*box_view*/, Diagnostics& /*diagnostics*/) const {}
};

// total_steps is not needed: CEM runs generations until the budget is spent.
std::unique_ptr<Learner> make_learner(const CemConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng);

}  // namespace expanse::agents
