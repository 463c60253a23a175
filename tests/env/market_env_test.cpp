// Property tests of the market model's invariants (docs/model.md, "One quarter, in this order"), over every shipped scenario
// that is small enough and every action view, under random valid actions.
#include "env/market/market_env.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "env/vector_env.hpp"
#include "tests/env/market_test_support.hpp"

using namespace expanse;
using expanse::test::RandomActor;
using expanse::test::scenario_spec;

namespace {

const char* const kScenarios[] = {"asia-pacific", "world", "tiny", "stress-regulatory-crackdown",
                                  "stress-currency-crisis", "stress-asian-crisis"};
const ActionView kViews[] = {ActionView::kDiscrete, ActionView::kMultiDiscrete, ActionView::kBox};

}  // namespace

TEST_CASE("Quarterly invariants hold at every step: accounting, bounds, observation space", "[market]") {
  for (const char* name : kScenarios) {
    for (ActionView view : kViews) {
      MarketEnv env(scenario_spec(name), view);
      RandomActor actor(env, 17);
      std::vector<float> obs(env.observation_size());
      std::size_t steps = 0, violations = 0;
      for (std::uint64_t episode = 0; episode < 6; ++episode) {
        env.reset(episode, obs);
        REQUIRE(contains(env.observation_space(), obs));
        bool done = false;
        while (!done) {
          const double cash_before = env.cash();
          const StepResult r = env.step(actor.next(env), obs);
          const QuarterReport& q = env.last_quarter();
          ++steps;
          // The accounting identity, exactly: cash_{t+1} = cash_t + revenue_t − costs_t.
          bool ok = env.cash() == cash_before + (q.revenue - q.costs);
          ok = ok && q.costs == q.action_costs + q.fixed_costs + q.marketing_costs + q.serving_costs;
          ok = ok && q.profit == q.revenue - q.costs && q.revenue >= 0;
          for (std::size_t rg = 0; rg < env.spec().region_count(); ++rg) {
            for (std::size_t k = 0; k < env.spec().product_count(); ++k) {
              const double n = env.adopters(rg, k), m = env.effective_market(rg, k), s = env.attainable_share(rg, k);
              ok = ok && n >= 0 && n <= m && m <= env.potential(rg, k) && s >= 0 && s <= 1;
            }
          }
          ok = ok && contains(env.observation_space(), obs) && std::isfinite(r.reward);
          ok = ok && !(r.terminated && r.truncated);
          if (!ok && ++violations <= 3)
            FAIL_CHECK(name << " " << to_string(view) << " episode " << episode << " t " << q.quarter);
          done = r.terminated || r.truncated;
        }
      }
      INFO(name << " " << to_string(view));
      CHECK(violations == 0);
      CHECK(steps >= 6);
    }
  }
}

TEST_CASE("Invalid discrete actions are masked, reported, and act as hold", "[market]") {
  MarketEnv env(scenario_spec("asia-pacific"), ActionView::kDiscrete);
  RandomActor actor(env, 5);
  std::vector<float> obs(env.observation_size()), obs_a(env.observation_size()), obs_hold(env.observation_size());
  env.reset(3, obs);
  std::size_t masked_checked = 0, valid_checked = 0;
  for (int t = 0; t < 12; ++t) {
    const std::vector<std::uint8_t> mask = env.action_mask();
    for (std::int32_t a = 0; a < static_cast<std::int32_t>(mask.size()); ++a) {
      auto with_a = env.clone();
      auto with_hold = env.clone();
      const StepResult ra = with_a->step(Action::discrete(a), obs_a);
      const StepResult rh = with_hold->step(Action::discrete(0), obs_hold);
      if (mask[static_cast<std::size_t>(a)]) {
        CHECK_FALSE(ra.invalid_action);
        ++valid_checked;
      } else {
        CHECK(ra.invalid_action);
        CHECK((ra.events & kEventInvalidAction));
        CHECK(obs_a == obs_hold);
        CHECK(ra.reward == rh.reward);
        ++masked_checked;
      }
    }
    env.step(actor.next(env), obs);
  }
  CHECK(masked_checked > 100);
  CHECK(valid_checked > 100);
  // Out of range is invalid too, never a crash.
  for (std::int32_t a : {-1, 100000}) CHECK(env.clone()->step(a).result.invalid_action);
}

TEST_CASE("Invalid multi-discrete components are masked and change nothing", "[market]") {
  MarketEnv env(scenario_spec("asia-pacific"), ActionView::kMultiDiscrete);
  std::vector<float> obs(env.observation_size());
  env.reset(9, obs);
  const std::size_t R = env.spec().region_count();
  std::vector<std::int32_t> hold(2 * R, 0);
  // Exiting a region the company is not in: masked, invalid, same as hold.
  const std::vector<std::uint8_t> mask = env.action_mask();
  CHECK(mask[static_cast<std::size_t>(ModeTarget::kExit)] == 0);
  std::vector<std::int32_t> exit_first = hold;
  exit_first[0] = static_cast<std::int32_t>(ModeTarget::kExit);
  auto a = env.clone();
  auto b = env.clone();
  const Transition ta = a->step(Action{exit_first, {}});
  const Transition tb = b->step(Action{hold, {}});
  CHECK(ta.result.invalid_action);
  CHECK_FALSE(tb.result.invalid_action);
  CHECK(ta.observation == tb.observation);
  // Entering is valid and unmasked.
  std::vector<std::int32_t> pilot_first = hold;
  pilot_first[0] = static_cast<std::int32_t>(ModeTarget::kPilot);
  CHECK(mask[static_cast<std::size_t>(ModeTarget::kPilot)] == 1);
  CHECK_FALSE(env.clone()->step(Action{pilot_first, {}}).result.invalid_action);
}

TEST_CASE("Holding runs to the horizon: truncated, never terminated", "[market]") {
  MarketEnv env(scenario_spec("asia-pacific"), ActionView::kDiscrete);
  env.reset(1);
  const int horizon = env.spec().scenario().horizon;
  for (int t = 1; t <= horizon; ++t) {
    const StepResult r = env.step(0).result;
    CHECK_FALSE(r.terminated);
    CHECK(r.truncated == (t == horizon));
    // Holding loses only the head-office overhead.
    CHECK(env.last_quarter().costs == env.spec().scenario().company.overhead);
  }
}

TEST_CASE("Entering everywhere at once goes bankrupt: terminated, not truncated", "[market]") {
  MarketEnv env(scenario_spec("asia-pacific"), ActionView::kMultiDiscrete);
  env.reset(2);
  const std::size_t R = env.spec().region_count();
  std::vector<std::int32_t> all_in(2 * R);
  for (std::size_t r = 0; r < R; ++r) {
    all_in[2 * r] = static_cast<std::int32_t>(ModeTarget::kSubsidiary);
    all_in[2 * r + 1] = 3;
  }
  const StepResult r = env.step(Action{all_in, {}}).result;
  CHECK(r.terminated);
  CHECK_FALSE(r.truncated);
  CHECK((r.events & kEventBankruptcy));
  CHECK(env.cash() < -env.spec().scenario().company.credit_line);
  // The bankruptcy penalty is part of the reward.
  CHECK(r.reward < env.last_quarter().profit / env.spec().model().reward_scale);
}

TEST_CASE("clone() continues identically and leaves the original alone", "[market]") {
  for (ActionView view : kViews) {
    MarketEnv env(scenario_spec("stress-currency-crisis"), view);
    RandomActor actor(env, 99);
    std::vector<float> obs(env.observation_size());
    env.reset(4, obs);
    for (int t = 0; t < 7; ++t) env.step(actor.next(env), obs);
    auto copy = env.clone();
    RandomActor actor_copy = actor;
    std::vector<float> obs_copy(obs.size());
    for (int t = 7; t < env.spec().scenario().horizon; ++t) {
      const StepResult a = env.step(actor.next(env), obs);
      const StepResult b = copy->step(actor_copy.next(*copy), obs_copy);
      INFO(to_string(view) << " t " << t);
      REQUIRE(obs == obs_copy);
      REQUIRE(a.reward == b.reward);
      REQUIRE(a.terminated == b.terminated);
      if (a.terminated) break;
    }
  }
}

TEST_CASE("Same seed gives identical episodes, different seeds differ", "[market]") {
  auto trajectory = [](std::uint64_t env_seed) {
    MarketEnv env(scenario_spec("asia-pacific"), ActionView::kDiscrete);
    RandomActor actor(env, 7);
    std::vector<double> rewards;
    std::vector<float> obs = env.reset(env_seed);
    bool done = false;
    while (!done) {
      const Transition t = env.step(actor.next(env));
      rewards.push_back(t.result.reward);
      obs.insert(obs.end(), t.observation.begin(), t.observation.end());
      done = t.result.terminated || t.result.truncated;
    }
    return std::make_pair(rewards, obs);
  };
  CHECK(trajectory(11) == trajectory(11));
  CHECK(trajectory(11).first != trajectory(12).first);
}

TEST_CASE("Without noise the world is the same whatever the seed", "[market]") {
  MarketEnv a(scenario_spec("tiny"), ActionView::kDiscrete), b(scenario_spec("tiny"), ActionView::kDiscrete);
  a.reset(1);
  b.reset(2);
  for (int t = 0; t < 20; ++t) {
    const std::int32_t action = t == 0 ? 2 : 0;  // pilot the first region, then hold
    CHECK(a.step(action).observation == b.step(action).observation);
  }
}

TEST_CASE("Any number of products follows the same dynamics as one", "[market]") {
  // The products' loops are compiled for each count up to 8, and as plain loops beyond: nine copies
  // of tiny's one product (noise-free) must each follow that product exactly, through pilots, a
  // partner and a subsidiary.
  Scenario one = scenario_spec("tiny")->scenario();
  PartnerSpec partner;  // tiny has none
  partner.id = "reseller";
  partner.region = one.regions[0].country.id;
  partner.failure_rate = 0;
  partner.effectiveness = {0.6};
  one.partners.push_back(partner);
  Scenario nine = one;
  nine.products.clear();
  for (int k = 0; k < 9; ++k) {
    ProductSpec copy = one.products[0];
    copy.id += std::to_string(k);
    nine.products.push_back(copy);
  }
  nine.partners[0].effectiveness.assign(9, 0.6);
  MarketEnv a(std::make_shared<const MarketSpec>(one), ActionView::kMultiDiscrete);
  MarketEnv b(std::make_shared<const MarketSpec>(nine), ActionView::kMultiDiscrete);
  a.reset(1);
  b.reset(1);
  const std::size_t R = a.spec().region_count();
  int compared = 0;
  for (int t = 0; t < one.horizon; ++t) {
    std::vector<std::int32_t> action(2 * R, 0);
    for (std::size_t r = 0; r < R; ++r) action[2 * r + 1] = 2;  // marketing level 2
    if (t == 0)
      for (std::size_t r = 0; r < R; ++r) action[2 * r] = static_cast<std::int32_t>(ModeTarget::kPilot);
    if (t == 4) action[0] = static_cast<std::int32_t>(ModeTarget::kPartner);
    if (t == 8) action[2] = static_cast<std::int32_t>(ModeTarget::kSubsidiary);
    const StepResult ra = a.step(Action{action, {}}).result;
    const StepResult rb = b.step(Action{action, {}}).result;
    for (std::size_t r = 0; r < R; ++r) {
      CHECK(b.mode(r) == a.mode(r));
      for (std::size_t k = 0; k < 9; ++k) {
        CHECK(b.adopters(r, k) == a.adopters(r, 0));
        CHECK(b.effective_market(r, k) == a.effective_market(r, 0));
        CHECK(b.attainable_share(r, k) == a.attainable_share(r, 0));
      }
    }
    ++compared;
    if (ra.terminated || ra.truncated || rb.terminated || rb.truncated) break;
  }
  CHECK(compared == one.horizon);
  CHECK(a.mode(0) == Mode::kPartner);
  CHECK(a.adopters(0, 0) > 0);
}

TEST_CASE("The observation layout is stable", "[market]") {
  MarketEnv env(scenario_spec("asia-pacific"), ActionView::kDiscrete);
  const auto& names = env.observation_names();
  const std::size_t K = env.spec().product_count();
  REQUIRE(env.region_block_size() == 20 + K);
  REQUIRE(names.size() == 3 + env.spec().region_count() * env.region_block_size());
  const std::vector<std::string> global = {"time_left", "cash", "last_profit"};
  CHECK(std::vector<std::string>(names.begin(), names.begin() + 3) == global);
  const std::vector<std::string> block = {"JPN.mode_none",
                                          "JPN.mode_pilot",
                                          "JPN.mode_partner",
                                          "JPN.mode_subsidiary",
                                          "JPN.knowledge",
                                          "JPN.marketing",
                                          "JPN.adopters_observed.search",
                                          "JPN.adopters_observed.nlp",
                                          "JPN.adopters_observed.vision",
                                          "JPN.adopters_observed.recommend",
                                          "JPN.adopters_observed.martech",
                                          "JPN.last_revenue",
                                          "JPN.prior_potential",
                                          "JPN.prior_p",
                                          "JPN.prior_q",
                                          "JPN.value_estimate",
                                          "JPN.value_uncertainty",
                                          "JPN.cage_cultural",
                                          "JPN.cage_administrative",
                                          "JPN.cage_geographic",
                                          "JPN.cage_economic",
                                          "JPN.shock",
                                          "JPN.best_partner_score",
                                          "JPN.partner_signed",
                                          "JPN.fx_log"};
  CHECK(std::vector<std::string>(names.begin() + 3, names.begin() + 3 + static_cast<std::ptrdiff_t>(block.size())) ==
        block);
  CHECK(names[3 + env.region_block_size()] == "KOR.mode_none");
}

TEST_CASE("Action spaces have the documented sizes", "[market]") {
  const auto spec = scenario_spec("asia-pacific");
  const std::size_t R = spec->region_count(), P = spec->partner_count();
  CHECK(std::get<Discrete>(MarketEnv(spec, ActionView::kDiscrete).action_space()).n ==
        static_cast<std::int32_t>(1 + 6 * R + P));
  CHECK(std::get<MultiDiscrete>(MarketEnv(spec, ActionView::kMultiDiscrete).action_space()).nvec.size() == 2 * R);
  CHECK(std::get<Box>(MarketEnv(spec, ActionView::kBox).action_space()).low.size() == 2 * R);
}

TEST_CASE("Reward shaping is potential-based, off by default, and kept apart from the return", "[market]") {
  Scenario shaped = test::scenario_spec("asia-pacific")->scenario();
  shaped.model.shaping = true;
  MarketEnv with(std::make_shared<const MarketSpec>(shaped), ActionView::kDiscrete);
  MarketEnv without(test::scenario_spec("asia-pacific"), ActionView::kDiscrete);
  RandomActor actor(with, 12);
  with.reset(6);
  without.reset(6);
  const double gamma = shaped.discount;
  double discounted_shaping = 0, discount = 1, phi_last = 0;
  bool any = false;
  for (int t = 0; t < shaped.horizon; ++t) {
    const Action a = actor.next(with);
    const StepResult s = with.step(a).result;
    const StepResult u = without.step(a).result;
    CHECK(u.shaping == 0.0);
    CHECK(s.reward - s.shaping == Approx(u.reward).margin(1e-12));
    any = any || s.shaping != 0.0;
    discounted_shaping += discount * s.shaping;
    discount *= gamma;
    phi_last = s.terminated ? 0.0 : with.footprint_potential();
    if (s.terminated || s.truncated) break;
  }
  CHECK(any);
  // Σ γ^t F_t telescopes to γ^T Φ(s_T) − Φ(s_0), and Φ(s_0) = 0 (no footprint at the start).
  CHECK(discounted_shaping == Approx(discount * phi_last).margin(1e-9));
}

TEST_CASE("Shocks and partner failures start at their per-quarter rates", "[market]") {
  // The env draws the waiting time to the next shock or failure (geometric) instead of a Bernoulli
  // every quarter; the rate per eligible quarter must still be the hazard. A region is eligible in
  // quarter t when it was not in a shock in quarter t − 1 (a shock's last quarter is followed by one
  // that cannot start another); a partner, while it has not failed.
  MarketEnv env(scenario_spec("stress-regulatory-crackdown"), ActionView::kDiscrete);
  const MarketSpec& spec = env.spec();
  const std::size_t R = spec.region_count(), P = spec.partner_count();
  double shock_expected = 0, shock_variance = 0, failure_expected = 0, failure_variance = 0;
  int shocks = 0, failures = 0;
  for (std::uint64_t episode = 0; episode < 1500; ++episode) {
    env.reset(episode);
    std::vector<bool> shocked(R, false), failed(P, false);
    for (int t = 0; t < spec.scenario().horizon; ++t) {
      env.step(0);
      for (std::size_t r = 0; r < R; ++r) {
        if (!shocked[r]) {
          const double h = spec.region(r).shock_hazard;
          shock_expected += h;
          shock_variance += h * (1 - h);
          shocks += env.shock_active(r);
        }
        shocked[r] = env.shock_active(r);
      }
      for (std::size_t j = 0; j < P; ++j) {
        if (failed[j]) continue;
        const double rho = spec.scenario().partners[j].failure_rate;
        failure_expected += rho;
        failure_variance += rho * (1 - rho);
        failed[j] = env.partner_failed(j);
        failures += failed[j];
      }
    }
  }
  INFO("shock starts " << shocks << " (expected " << shock_expected << "), partner failures " << failures
                       << " (expected " << failure_expected << ")");
  REQUIRE(shock_expected > 1000);
  REQUIRE(failure_expected > 1000);
  CHECK(std::abs(shocks - shock_expected) < 5 * std::sqrt(shock_variance));
  CHECK(std::abs(failures - failure_expected) < 5 * std::sqrt(failure_variance));
}

TEST_CASE("Scripted events happen at their quarter, on top of the random processes", "[market]") {
  // stress-asian-crisis scripts (among others): THA's currency loses 50 % in quarter 8; a shock in
  // THA for quarters 9-12; THA-P1 fails in quarter 9. Its twin without the events shares every draw
  // until the first scripted shock changes when the next random one is drawn.
  const auto spec = scenario_spec("stress-asian-crisis");
  Scenario plain = spec->scenario();
  REQUIRE(plain.events.size() == 11);
  plain.events.clear();
  const auto plain_spec = std::make_shared<const MarketSpec>(plain);
  const auto region = [&](const std::string& id) {
    for (std::size_t r = 0; r < spec->region_count(); ++r)
      if (plain.regions[r].country.id == id) return r;
    FAIL("no region " << id);
    return std::size_t{0};
  };
  const auto partner = [&](const std::string& id) {
    for (std::size_t j = 0; j < spec->partner_count(); ++j)
      if (plain.partners[j].id == id) return j;
    FAIL("no partner " << id);
    return std::size_t{0};
  };
  const std::size_t tha = region("THA"), tha_p1 = partner("THA-P1");
  const auto sign_tha_p1 = static_cast<std::int32_t>(1 + 6 * spec->region_count() + tha_p1);
  int held_into_quarter_8 = 0;
  // The same two envs for every seed: a reset must rewind the events.
  MarketEnv scripted(spec, ActionView::kDiscrete), twin(plain_spec, ActionView::kDiscrete);
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    INFO("seed " << seed);
    CHECK(scripted.reset(seed) == twin.reset(seed));
    std::unique_ptr<Env> copy;  // a clone taken before the events must meet them too
    for (int t = 0; t <= 12; ++t) {
      const std::int32_t action = t == 0 ? sign_tha_p1 : 0;
      if (t == 5) copy = scripted.clone();
      const Transition a = scripted.step(action), b = twin.step(action);
      if (copy) {
        const Transition c = copy->step(action);
        CHECK(c.observation == a.observation);
        CHECK(c.result.events == a.result.events);
      }
      if (t < 8) {
        CHECK(a.observation == b.observation);
        CHECK(a.result.reward == b.result.reward);
      }
      if (t == 8) {
        CHECK((a.result.events & kEventDevaluation));
        CHECK(!(b.result.events & kEventDevaluation));
        CHECK(scripted.fx(tha) / twin.fx(tha) == Approx(0.5).epsilon(1e-12));
      }
      if (t >= 9) {
        CHECK(scripted.shock_active(tha));
        CHECK(scripted.partner_failed(tha_p1));
        CHECK(scripted.mode(tha) != Mode::kPartner);
      }
      if (t == 8 && scripted.mode(tha) == Mode::kPartner && !scripted.partner_failed(tha_p1)) ++held_into_quarter_8;
    }
  }
  CHECK(held_into_quarter_8 > 30);  // most seeds held the partnership until the scripted failure ended it
}

// Random play through a VectorEnv, hashed (FNV-1a over every observation, reward, flag and action
// mask): the same program as `bench/env_throughput --fixed STEPS SCENARIO VIEW`, whose fingerprints
// docs/benchmarks.md lists. The env keeps much of its state incrementally (masks, observation
// blocks, the neighbours heard, shock quarters) for speed; any change of a trajectory's bits shows
// here. A deliberate change of the model changes these values and docs/results.md with them.
TEST_CASE("Random play gives the pinned trajectories bit for bit", "[market]") {
  struct Pinned {
    const char* scenario;
    ActionView view;
    std::uint64_t fingerprint;
  };
  // Measured at 11abde4 and unchanged since (`env_throughput --fixed 4800 SCENARIO VIEW`).
  const Pinned cases[] = {
      {"asia-pacific", ActionView::kDiscrete, 0x5463ec6a11fd57aaULL},
      {"asia-pacific", ActionView::kMultiDiscrete, 0x1896549f54868069ULL},
      {"asia-pacific", ActionView::kBox, 0x3791347d0b7a8dbdULL},
      {"world", ActionView::kDiscrete, 0x71337ff295ffb4b6ULL},
      {"stress-regulatory-crackdown", ActionView::kMultiDiscrete, 0x7d447e11fec79306ULL},
      {"stress-asian-crisis", ActionView::kDiscrete, 0x03dffb37271e5879ULL},  // scripted events (since d512032)
  };
  for (const Pinned& c : cases) {
    const MarketEnv prototype(scenario_spec(c.scenario), c.view);
    VectorEnv envs(prototype, 16);
    VectorBuffers buffers(envs);
    envs.reset(1, buffers);
    const bool box = is_box(prototype.action_space());
    const std::size_t a = envs.action_size(), m = envs.mask_size();
    std::vector<std::int32_t> indices(box ? 0 : 16 * a);
    std::vector<float> values(box ? 16 * a : 0);
    Rng rng(2);
    std::uint64_t hash = 0xCBF29CE484222325ULL;
    auto add = [&hash](const void* data, std::size_t size) {
      const auto* bytes = static_cast<const unsigned char*>(data);
      for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001B3ULL;
    };
    for (int batch = 0; batch < 300; ++batch) {
      for (std::size_t i = 0; i < 16; ++i)
        sample_random_action(prototype.action_space(),
                             m > 0 ? std::span<const std::uint8_t>(&buffers.action_masks[i * m], m)
                                   : std::span<const std::uint8_t>(),
                             rng, box ? std::span<std::int32_t>() : std::span<std::int32_t>(&indices[i * a], a),
                             box ? std::span<float>(&values[i * a], a) : std::span<float>());
      envs.step(indices, values, buffers);
      add(buffers.observations.data(), buffers.observations.size() * sizeof(float));
      add(buffers.rewards.data(), buffers.rewards.size() * sizeof(double));
      add(buffers.terminated.data(), buffers.terminated.size());
      add(buffers.truncated.data(), buffers.truncated.size());
      add(buffers.action_masks.data(), buffers.action_masks.size());
    }
    INFO(c.scenario << " " << to_string(c.view) << ": fingerprint " << std::hex << hash);
    CHECK(hash == c.fingerprint);
  }
}
