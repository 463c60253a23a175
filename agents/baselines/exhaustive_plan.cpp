#include "agents/baselines/exhaustive_plan.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace expanse {
namespace {

// A non-owning pointer (the aliasing constructor with no owner): the caller's spec outlives the env.
std::shared_ptr<const MarketSpec> borrow(const MarketSpec& spec) {
  return std::shared_ptr<const MarketSpec>(std::shared_ptr<const MarketSpec>(), &spec);
}

// Plays a plan from reset(seed); returns its discounted return without shaping and, when asked,
// each quarter's reward (fewer than the horizon when the company goes bankrupt) or the env after
// each quarter.
double simulate(MarketEnv& env, const std::vector<EntryPlan::Entry>& plan, std::uint64_t seed,
                std::vector<double>* rewards = nullptr,
                const std::function<void(int quarter, const MarketEnv&)>& after_quarter = {}) {
  static thread_local std::vector<std::int32_t> action;
  action.resize(2 * plan.size());
  if (rewards) rewards->clear();
  env.reset(seed);
  const double gamma = env.spec().scenario().discount;
  double total = 0, discount = 1;
  for (int t = 0;; ++t) {
    plan_action(plan, t, action);
    const StepResult s = env.step(Action{action, {}}).result;
    total += discount * (s.reward - s.shaping);
    if (rewards) rewards->push_back(s.reward - s.shaping);
    if (after_quarter) after_quarter(t, env);
    discount *= gamma;
    if (s.terminated || s.truncated) return total;
  }
}

// Upper bounds of every region's penetration at the start of each quarter under any plan of the
// space, as MarketEnv::set_assumed_neighbour_penetration() takes them. From the bound 1 (0 in the
// first quarter), each pass simulates every region's options with the neighbours at the current
// bounds; the most any option reaches is a new bound, since penetration rises with the influence
// received. Every pass keeps the bounds valid and tightens them; they settle in a few passes.
std::vector<double> penetration_bounds(MarketEnv& env, const std::vector<std::vector<EntryPlan::Entry>>& candidates,
                                       std::uint64_t seed) {
  const MarketSpec& spec = env.spec();
  const std::size_t R = spec.region_count(), K = spec.product_count();
  const auto H = static_cast<std::size_t>(spec.scenario().horizon);
  std::vector<double> bound(H * R * K, 1.0);
  std::fill_n(bound.begin(), R * K, 0.0);  // nobody has customers yet
  std::vector<EntryPlan::Entry> plan(R);
  for (int pass = 0; pass < 100; ++pass) {
    env.set_assumed_neighbour_penetration(bound);
    std::vector<double> reached(bound.size(), 0.0);
    for (std::size_t r = 0; r < R; ++r)
      for (const EntryPlan::Entry& c : candidates[r]) {
        std::fill(plan.begin(), plan.end(), EntryPlan::Entry{});
        plan[r] = c;
        simulate(env, plan, seed, nullptr, [&](int t, const MarketEnv& e) {
          if (static_cast<std::size_t>(t) + 1 >= H) return;
          for (std::size_t k = 0; k < K; ++k) {
            const double m = e.effective_market(r, k);
            double& most = reached[((static_cast<std::size_t>(t) + 1) * R + r) * K + k];
            most = std::max(most, m > 0 ? e.adopters(r, k) / m : 0.0);
          }
        });
      }
    double change = 0;
    for (std::size_t i = 0; i < bound.size(); ++i) {
      const double tighter = std::min(bound[i], reached[i]);
      change = std::max(change, bound[i] - tighter);
      bound[i] = tighter;
    }
    if (change < 1e-12) break;
  }
  return bound;
}

// The conditions under which a region's option simulated alone, with its neighbours at bounds of
// their penetration, bounds what it adds to any plan (see the header); every one that fails is named.
std::string bound_obstacles(const MarketSpec& spec, const MarketEnv& env) {
  const ModelParams& m = spec.model();
  const Scenario& scenario = spec.scenario();
  std::string problems;
  auto fail = [&](const std::string& why) { problems += (problems.empty() ? "" : "; ") + why; };
  // With noise, random draws depend on which regions are present: plans would meet other worlds.
  if (m.demand_noise > 0 || m.observation_noise > 0) fail("noise.demand and noise.observation must be 0");
  if (m.loss_penalty != 0 || m.terminal_value_quarters != 0)
    fail("reward.loss_penalty and reward.terminal_value_quarters must be 0 (the reward must add up over regions)");
  double worst_fee = 0;
  for (const auto& p : scenario.partners) worst_fee = std::max(worst_fee, p.fee);
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    if (spec.region(r).fx_sigma > 0 || spec.region(r).fx_drift != 0) {
      fail("exchange rates must be fixed (risk.fx: false)");
      break;
    }
  }
  for (const auto& change : spec.scripted_changes())
    if (change.kind == ScriptedKind::kDevaluation) {
      fail("exchange rates must be fixed (no scripted devaluation)");
      break;
    }
  for (const auto& product : scenario.products)
    if (product.price * (1 - worst_fee) <= product.unit_cost)
      fail("product " + product.id + " must earn a positive margin on every customer");
  // Next quarter's customers must rise with this quarter's: innovation + imitation + influence ≤ 1.
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    double influence = 0;
    for (std::size_t n = 0; n < spec.neighbours_per_region(); ++n) influence += spec.neighbour_weight(r)[n];
    const double innovation = env.true_bass_p(r) / 4 * (1 + m.advertising * spec.ln1p_marketing(3));
    if (innovation + env.true_bass_q(r) / 4 + influence > 1) {
      fail("region " + scenario.regions[r].country.id + " diffuses too fast for the bound");
      break;
    }
  }
  return problems;
}

struct Option {
  EntryPlan::Entry entry;
  double bound = 0;  // the most the option can add to the return of any plan
};

}  // namespace

std::string exact_search_obstacles(const Scenario& scenario, std::uint64_t seed) {
  const MarketSpec spec(scenario);
  MarketEnv env(borrow(spec), ActionView::kMultiDiscrete);
  env.reset(seed);
  return bound_obstacles(spec, env);
}

std::vector<EntryPlan::Entry> region_options(const MarketSpec& spec, std::size_t region) {
  const int H = spec.scenario().horizon;
  std::vector<EntryPlan::Entry> options{{}};
  for (int t = 0; t < H; ++t)
    for (ModeTarget m : {ModeTarget::kPilot, ModeTarget::kPartner, ModeTarget::kSubsidiary}) {
      if (m == ModeTarget::kPartner && spec.partners_in(region).empty()) continue;
      options.push_back({t, m, 0, -1});
      for (int level = 1; level <= 3; ++level)
        for (int stop = t + 1; stop <= H; ++stop) options.push_back({t, m, level, stop == H ? -1 : stop});
    }
  return options;
}

void plan_action(const std::vector<EntryPlan::Entry>& plan, int t, std::span<std::int32_t> action) {
  for (std::size_t r = 0; r < plan.size(); ++r) {
    const EntryPlan::Entry& e = plan[r];
    const bool marketing = e.quarter >= 0 && t >= e.quarter && (e.stop < 0 || t < e.stop);
    action[2 * r] = static_cast<std::int32_t>(e.quarter == t ? e.mode : ModeTarget::kKeep);
    action[2 * r + 1] = marketing ? e.marketing : 0;
  }
}

double plan_return(const MarketSpec& spec, const std::vector<EntryPlan::Entry>& plan, std::uint64_t seed) {
  MarketEnv env(borrow(spec), ActionView::kMultiDiscrete);
  return simulate(env, plan, seed);
}

EntryPlan exhaustive_entry_plan(const Scenario& scenario, std::uint64_t seed, std::uint64_t max_simulations) {
  const MarketSpec spec(scenario);
  const std::size_t R = spec.region_count();
  const int H = scenario.horizon;
  MarketEnv env(borrow(spec), ActionView::kMultiDiscrete);
  env.reset(seed);
  if (const std::string problems = bound_obstacles(spec, env); !problems.empty())
    throw std::invalid_argument("exact search: " + problems);

  // Bounds come from an env where no plan goes bankrupt (so every quarter is seen) and every
  // neighbour's penetration is at its bound.
  Scenario unbounded_cash = scenario;
  unbounded_cash.company.initial_cash = 1e15;
  const MarketSpec bound_spec(unbounded_cash);
  MarketEnv bound_env(borrow(bound_spec), ActionView::kMultiDiscrete);
  const std::vector<EntryPlan::Entry> hold(R);
  std::vector<double> hold_rewards, rewards;
  const double hold_return = simulate(bound_env, hold, seed, &hold_rewards);

  EntryPlan best;
  best.plans = 1;
  std::vector<std::vector<Option>> options(R);
  std::vector<EntryPlan::Entry> plan(R);
  std::vector<std::vector<EntryPlan::Entry>> candidates(R);
  for (std::size_t r = 0; r < R; ++r) candidates[r] = region_options(spec, r);
  bound_env.set_assumed_neighbour_penetration(penetration_bounds(bound_env, candidates, seed));
  for (std::size_t r = 0; r < R; ++r) {
    // The bound: the largest discounted sum, over the quarters up to any end, of what the option adds
    // to holding (a plan may go bankrupt and end early: its later quarters then do not count).
    for (const EntryPlan::Entry& c : candidates[r]) {
      std::fill(plan.begin(), plan.end(), EntryPlan::Entry{});
      plan[r] = c;
      simulate(bound_env, plan, seed, &rewards);
      double sum = 0, most = 0, discount = 1;
      for (std::size_t t = 0; t < rewards.size(); ++t) {
        sum += discount * (rewards[t] - hold_rewards[t]);
        most = std::max(most, sum);
        discount *= scenario.discount;
      }
      options[r].push_back({c, most});
    }
    std::sort(options[r].begin(), options[r].end(), [](const Option& a, const Option& b) { return a.bound > b.bound; });
    best.plans *= static_cast<double>(options[r].size());
  }
  // What the rest of a plan can add at most: a plan that holds, or one that goes bankrupt (its
  // overhead stops, the penalty is paid at the latest in the last quarter).
  const ModelParams& model = spec.model();
  const double offset = std::max(
      hold_return, -std::pow(scenario.discount, H - 1) * scenario.company.bankruptcy_penalty / model.reward_scale);
  std::vector<double> best_after(R + 1, 0.0);  // Σ of the best bounds of regions r…R−1
  for (std::size_t r = R; r-- > 0;) best_after[r] = best_after[r + 1] + options[r].front().bound;

  best.discounted_return = -std::numeric_limits<double>::infinity();
  auto search = [&](auto& self, std::size_t r, double bound) -> void {
    if (r == R) {
      if (++best.plans_simulated > max_simulations)
        throw std::invalid_argument("exact search: more than " + std::to_string(max_simulations) +
                                    " plans to simulate; the scenario is too large for an exact optimum");
      const double value = simulate(env, plan, seed);
      if (value > best.discounted_return) {
        best.discounted_return = value;
        best.regions = plan;
      }
      return;
    }
    const double tolerance = 1e-9 * std::max(1.0, std::abs(best.discounted_return));
    for (const Option& o : options[r]) {
      // Sorted by bound: once an option cannot reach the best, no later one can.
      if (offset + bound + o.bound + best_after[r + 1] < best.discounted_return - tolerance) break;
      plan[r] = o.entry;
      self(self, r + 1, bound + o.bound);
    }
  };
  search(search, 0, 0.0);
  return best;
}

}  // namespace expanse
