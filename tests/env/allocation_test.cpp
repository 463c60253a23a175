// The hot path allocates nothing: VectorEnv::step with the market env (autoreset included) and the
// reference envs. Counted by replacing the global operator new in this test binary.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "env/classic/acrobot.hpp"
#include "env/classic/cartpole.hpp"
#include "env/classic/mountain_car_continuous.hpp"
#include "env/classic/pendulum.hpp"
#include "env/market/market_env.hpp"
#include "env/random_actions.hpp"
#include "env/vector_env.hpp"
#include "tests/env/market_test_support.hpp"

namespace {
std::atomic<long> allocations{0};
}

// The replacements pair malloc with free on purpose; g++ cannot see that they replace each other.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace expanse;

namespace {

// Steps `envs` with random valid actions (buffers prepared beforehand) and returns the number of
// allocations made while stepping.
long allocations_while_stepping(VectorEnv& envs, const Space& space, int steps) {
  VectorBuffers buffers(envs);
  envs.reset(1, buffers);
  const bool box = is_box(space);
  std::vector<std::int32_t> indices(box ? 0 : envs.size() * envs.action_size());
  std::vector<float> values(box ? envs.size() * envs.action_size() : 0);
  Rng rng(1);
  const long before = allocations.load();
  for (int t = 0; t < steps; ++t) {
    for (std::size_t i = 0; i < envs.size(); ++i) {
      const std::size_t a = envs.action_size();
      std::span<const std::uint8_t> mask;
      if (envs.mask_size() > 0) mask = {&buffers.action_masks[i * envs.mask_size()], envs.mask_size()};
      sample_random_action(space, mask, rng,
                           box ? std::span<std::int32_t>() : std::span<std::int32_t>(&indices[i * a], a),
                           box ? std::span<float>(&values[i * a], a) : std::span<float>());
    }
    envs.step(indices, values, buffers);
  }
  return allocations.load() - before;
}

}  // namespace

TEST_CASE("Stepping a VectorEnv allocates nothing, resets included", "[vector][allocation]") {
  {
    const long before = allocations.load();
    const auto probe = std::make_unique<double>(1.0);  // the counter sees allocations at all
    REQUIRE(allocations.load() > before);
  }
  for (ActionView view : {ActionView::kDiscrete, ActionView::kMultiDiscrete, ActionView::kBox}) {
    const MarketEnv prototype(test::scenario_spec("asia-pacific"), view);
    VectorEnv envs(prototype, 4);
    INFO(to_string(view));
    CHECK(allocations_while_stepping(envs, prototype.action_space(), 200) == 0);  // 200 quarters: several resets
  }
  const CartPole cartpole;
  VectorEnv cartpoles(cartpole, 4);
  CHECK(allocations_while_stepping(cartpoles, cartpole.action_space(), 600) == 0);
  const Acrobot acrobot;
  VectorEnv acrobots(acrobot, 2);
  CHECK(allocations_while_stepping(acrobots, acrobot.action_space(), 600) == 0);
  const Pendulum pendulum;  // Box actions; truncated at 200 steps, so 600 include resets
  VectorEnv pendulums(pendulum, 2);
  CHECK(allocations_while_stepping(pendulums, pendulum.action_space(), 600) == 0);
  const MountainCarContinuous car;  // 999-step limit
  VectorEnv cars(car, 2);
  CHECK(allocations_while_stepping(cars, car.action_space(), 2100) == 0);
}
