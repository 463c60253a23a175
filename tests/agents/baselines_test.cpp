// The baseline policies: valid actions in every view, reproducible, and the expected ordering of
// the heuristics against the planner (an upper reference with the true model).
#include <catch2/catch.hpp>

#include "agents/baselines/exhaustive_plan.hpp"
#include "agents/baselines/market_policy.hpp"
#include "env/market/kpi.hpp"
#include "tests/env/market_test_support.hpp"

using namespace expanse;

namespace {

struct Run {
  std::vector<double> rewards;
  int invalid = 0;
  double npv = 0;
};

Run play(const std::string& policy_name, ActionView view, std::uint64_t seed,
         const std::string& scenario = "asia-pacific") {
  MarketEnv env(test::scenario_spec(scenario), view);
  auto policy = make_baseline(policy_name);
  REQUIRE(policy);
  std::vector<std::int32_t> indices(is_box(env.action_space()) ? 0 : flat_size(env.action_space()));
  std::vector<float> values(is_box(env.action_space()) ? flat_size(env.action_space()) : 0);
  env.reset(seed);
  policy->reset(seed);
  KpiTracker kpi;
  kpi.begin(env);
  Run run;
  for (bool done = false; !done;) {
    policy->act(env, indices, values);
    const StepResult r = env.step(Action{indices, values}).result;
    kpi.record(env, r);
    run.rewards.push_back(r.reward);
    run.invalid += r.invalid_action;
    done = r.terminated || r.truncated;
  }
  run.npv = kpi.finish(env).npv;
  return run;
}

}  // namespace

TEST_CASE("Every baseline acts validly in every view and is reproducible", "[baselines]") {
  for (const std::string& name : baseline_names()) {
    for (ActionView view : {ActionView::kDiscrete, ActionView::kMultiDiscrete, ActionView::kBox}) {
      INFO(name << " " << to_string(view));
      const Run a = play(name, view, 5), b = play(name, view, 5);
      CHECK(a.invalid == 0);
      CHECK(a.rewards == b.rewards);
    }
  }
  CHECK(make_baseline("oracle") == nullptr);
}

TEST_CASE("Greedy-ROI first enters the market with the best value estimate", "[baselines]") {
  MarketEnv env(test::scenario_spec("asia-pacific"), ActionView::kMultiDiscrete);
  env.reset(1);
  std::size_t best = 0;
  for (std::size_t r = 1; r < env.spec().region_count(); ++r)
    if (env.prior().regions[r].value_estimate > env.prior().regions[best].value_estimate) best = r;
  std::vector<std::int32_t> action(2 * env.spec().region_count());
  make_baseline("greedy-roi")->act(env, action, {});
  for (std::size_t r = 0; r < env.spec().region_count(); ++r)
    CHECK(action[2 * r] == static_cast<std::int32_t>(r == best ? ModeTarget::kSubsidiary : ModeTarget::kKeep));
}

TEST_CASE("The planner, with the true model, beats the heuristics; holding loses only overhead", "[baselines]") {
  double planner = 0, greedy = 0, hold = 0;
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    planner += play("planner", ActionView::kMultiDiscrete, seed).npv;
    greedy += play("greedy-roi", ActionView::kMultiDiscrete, seed).npv;
    hold += play("hold", ActionView::kMultiDiscrete, seed).npv;
  }
  CHECK(planner > greedy);
  CHECK(greedy > hold);
  CHECK(hold / 4 == Approx(-33.1).margin(0.1));  // 40 quarters of US$ 1 m overhead, discounted
}

TEST_CASE("In the Discrete view, orders become the first valid action", "[baselines]") {
  MarketEnv env(test::scenario_spec("asia-pacific"), ActionView::kDiscrete);
  env.reset(2);
  std::int32_t action = -1;
  // Exiting a market the company is not in is invalid; the pilot order behind it is taken.
  encode_orders(env, {{0, ModeTarget::kExit, -1}, {1, ModeTarget::kPilot, 1}}, std::span<std::int32_t>(&action, 1), {});
  CHECK(action == 1 + kRegionOpCount * 1 + static_cast<std::int32_t>(RegionOp::kPilot));
  encode_orders(env, {}, std::span<std::int32_t>(&action, 1), {});
  CHECK(action == 0);
}

TEST_CASE("The exhaustive plan is optimal for tiny.yaml: no baseline does better", "[baselines][optimum]") {
  const Scenario& tiny = test::scenario_spec("tiny")->scenario();
  const EntryPlan best = exhaustive_entry_plan(tiny, 0);
  CHECK(best.plans_searched == 41 * 41 * 41);  // never, or pilot / subsidiary in one of 20 quarters
  CHECK(best.discounted_return > 0);
  // The plan replays to its value, and no baseline (all deterministic here) beats it.
  CHECK(plan_return(*test::scenario_spec("tiny"), best.regions, 0) == best.discounted_return);
  for (const std::string& name : baseline_names()) {
    const Run run = play(name, ActionView::kMultiDiscrete, 0, "tiny");
    double discounted = 0, discount = 1;
    for (double r : run.rewards) {
      discounted += discount * r;
      discount *= tiny.discount;
    }
    INFO(name << ": " << discounted << " vs the optimum " << best.discounted_return);
    CHECK(discounted <= best.discounted_return + 1e-9);
  }
  CHECK_THROWS_AS(exhaustive_entry_plan(test::scenario_spec("asia-pacific")->scenario(), 0), std::invalid_argument);
}
