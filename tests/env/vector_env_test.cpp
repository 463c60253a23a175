// VectorEnv: same-step autoreset with the final observation kept, seeds per env and episode, and
// agreement with single envs stepped by hand.
#include "env/vector_env.hpp"

#include <catch2/catch.hpp>

#include "env/classic/cartpole.hpp"
#include "env/market/market_env.hpp"
#include "tests/env/market_test_support.hpp"

using namespace expanse;
using expanse::test::RandomActor;
using expanse::test::scenario_spec;

TEST_CASE("VectorEnv matches single envs and autoresets in the same step", "[vector]") {
  const MarketEnv prototype(scenario_spec("asia-pacific"), ActionView::kDiscrete);
  constexpr std::size_t E = 3;
  VectorEnv envs(prototype, E);
  VectorBuffers buffers(envs);
  envs.reset(42, buffers);

  // Reference: one single env per slot, seeded as documented.
  std::vector<std::unique_ptr<Env>> singles;
  std::vector<std::uint64_t> episodes(E, 0);
  std::vector<std::vector<float>> obs(E, std::vector<float>(prototype.observation_size()));
  for (std::size_t i = 0; i < E; ++i) {
    singles.push_back(prototype.clone());
    singles[i]->reset(derive_seed(derive_seed(42, i), episodes[i]++), obs[i]);
    REQUIRE(std::equal(obs[i].begin(), obs[i].end(), buffers.observation(i).begin()));
  }

  Rng rng(3);
  std::vector<std::int32_t> actions(E);
  std::size_t episodes_ended = 0;
  for (int t = 0; t < 130; ++t) {
    for (std::size_t i = 0; i < E; ++i) {
      // Valid random actions from the vector's own masks.
      std::span<const std::uint8_t> mask(&buffers.action_masks[i * envs.mask_size()], envs.mask_size());
      sample_random_action(prototype.action_space(), mask, rng, std::span<std::int32_t>(&actions[i], 1), {});
    }
    envs.step(actions, {}, buffers);
    for (std::size_t i = 0; i < E; ++i) {
      const StepResult r = singles[i]->step(Action::discrete(actions[i]), obs[i]);
      REQUIRE(buffers.rewards[i] == r.reward);
      REQUIRE(buffers.terminated[i] == r.terminated);
      REQUIRE(buffers.truncated[i] == r.truncated);
      if (r.terminated || r.truncated) {
        ++episodes_ended;
        // The last observation of the ended episode is kept; the live row already starts the next one.
        REQUIRE(std::equal(obs[i].begin(), obs[i].end(), buffers.final_observation(i).begin()));
        singles[i]->reset(derive_seed(derive_seed(42, i), episodes[i]++), obs[i]);
      }
      REQUIRE(std::equal(obs[i].begin(), obs[i].end(), buffers.observation(i).begin()));
      const std::vector<std::uint8_t> mask = singles[i]->action_mask();
      REQUIRE(std::equal(mask.begin(), mask.end(),
                         buffers.action_masks.begin() + static_cast<std::ptrdiff_t>(i * envs.mask_size())));
    }
  }
  CHECK(episodes_ended >= E * 2);
}

TEST_CASE("VectorEnv reports episode returns and lengths at the end of an episode", "[vector]") {
  VectorEnv envs(CartPole(), 2);
  VectorBuffers buffers(envs);
  envs.reset(1, buffers);
  std::vector<std::int32_t> push_right(2, 1);
  double total = 0;
  int ended = 0;
  for (int t = 0; t < 200 && ended == 0; ++t) {
    envs.step(push_right, {}, buffers);
    total += buffers.rewards[0];
    if (buffers.terminated[0] || buffers.truncated[0]) {
      ended = 1;
      CHECK(buffers.episode_returns[0] == total);
      CHECK(buffers.episode_lengths[0] == t + 1);
      CHECK(buffers.final_observation(0)[2] != buffers.observation(0)[2]);
    }
  }
  CHECK(ended == 1);
}

TEST_CASE("VectorEnv rejects an action buffer of the wrong size", "[vector]") {
  VectorEnv envs(CartPole(), 2);
  VectorBuffers buffers(envs);
  envs.reset(1, buffers);
  std::vector<std::int32_t> too_short(1, 0);
  CHECK_THROWS_AS(envs.step(too_short, {}, buffers), std::invalid_argument);
}
