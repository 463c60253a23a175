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
  const PolicyInput input{{}, {}, &env};  // a baseline reads the env itself
  for (bool done = false; !done;) {
    policy->act(input, indices, values);
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
  make_baseline("greedy-roi")->act(PolicyInput{{}, {}, &env}, action, {});
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

TEST_CASE("The exact plan is optimal for tiny.yaml: no baseline does better", "[baselines][optimum]") {
  const Scenario& tiny = test::scenario_spec("tiny")->scenario();
  const EntryPlan best = exhaustive_entry_plan(tiny, 0);
  // Per region: never, or a pilot or subsidiary entered in one of 20 quarters with level 0, or level
  // 1–3 until one of the quarters after the entry: 1 + 2 · (20 + 3 · 210) = 1,301 options.
  CHECK(best.plans == 1301.0 * 1301.0 * 1301.0);
  INFO("simulated " << best.plans_simulated << " plans; optimum " << best.discounted_return);
  CHECK(best.plans_simulated < 1'000'000);
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
  // A scripted devaluation moves an exchange rate, which the bound needs fixed; shocks keep it valid.
  Scenario devalued = tiny;
  const auto scripted = [&](ScriptedKind kind, const char* region) {
    ScriptedEvent e;
    e.quarter = 4;
    e.kind = kind;
    e.region = region;
    e.percent = 30;
    devalued.events.push_back(e);
  };
  scripted(ScriptedKind::kShock, "MYS");
  CHECK(exact_search_obstacles(devalued, 0).empty());
  scripted(ScriptedKind::kDevaluation, "THA");
  CHECK(exact_search_obstacles(devalued, 0) == "exchange rates must be fixed (no scripted devaluation)");
}

TEST_CASE("The branch and bound finds what plain enumeration finds, with strong cross-country influence",
          "[baselines][optimum]") {
  // Two of tiny.yaml's regions over 6 quarters, cheap entry and strong influence between them (the
  // coupling the bound must account for): 139² plans, few enough to simulate every one. With the
  // influence left out of the bounds, the search misses the optimum of the second and third cases.
  for (const auto& [cross_country, fixed_cost] : {std::pair{0.4, 0.5}, {0.4, 1.0}, {0.6, 0.5}}) {
    Scenario scenario = test::scenario_spec("tiny")->scenario();
    scenario.regions.pop_back();
    scenario.horizon = 6;
    scenario.model.cross_country = cross_country;
    scenario.model.pilot.setup = 0.2;
    scenario.model.subsidiary.setup = 1.0;
    scenario.model.subsidiary.fixed = fixed_cost;
    const MarketSpec spec(scenario);
    const std::vector<EntryPlan::Entry> first = region_options(spec, 0), second = region_options(spec, 1);
    REQUIRE(first.size() == 139);  // never, or pilot / subsidiary × (level 0, or 3 levels × 21 stops) × 6 quarters
    double best = -1e300;
    for (const auto& a : first)
      for (const auto& b : second) best = std::max(best, plan_return(spec, {a, b}, 0));
    const EntryPlan found = exhaustive_entry_plan(scenario, 0);
    INFO("cross-country " << cross_country << ", fixed cost " << fixed_cost << ": simulated " << found.plans_simulated
                          << " of " << found.plans);
    CHECK(found.discounted_return == best);
    CHECK(found.plans_simulated < 139 * 139);
    CHECK(best > plan_return(spec, {{}, {}}, 0));  // entering pays: the optimum is not to hold
    // Influence matters: the optimal plan is worth more than its regions played one at a time.
    const double alone = plan_return(spec, {found.regions[0], {}}, 0) +
                         plan_return(spec, {{}, found.regions[1]}, 0) - plan_return(spec, {{}, {}}, 0);
    CHECK(best > alone + 1e-6);
  }
}
