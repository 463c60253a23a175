// The entity network: its hand-written gradients against LibTorch's autograd, its outputs where the
// env's action space has them, and its independence of the number of regions.
#include "agents/rl/entity_net.hpp"

#include <catch2/catch.hpp>

#include "env/market/market_env.hpp"
#include "env/market/scenario_loader.hpp"

using namespace expanse;
using namespace expanse::agents;

namespace {
std::unique_ptr<MarketEnv> market(const std::string& name, ActionView view) {
  return make_market_env(load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/" + name + ".yaml"), view);
}

// Observations of a few quarters of random play, so that the blocks differ between regions.
std::vector<float> observations(MarketEnv& env, int rows, Rng& rng) {
  std::vector<float> x;
  std::vector<float> obs = env.reset(3);
  for (int i = 0; i < rows; ++i) {
    x.insert(x.end(), obs.begin(), obs.end());
    for (float& v : obs) v += static_cast<float>(0.1 * rng.normal());  // every value varies
  }
  return x;
}
}  // namespace

TEST_CASE("The entity network's hand-written backward pass equals autograd's", "[agents][entity]") {
  for (ActionView view : {ActionView::kDiscrete, ActionView::kMultiDiscrete, ActionView::kBox})
    for (bool value : {false, true}) {
      const auto env = market("asia-pacific", view);
      const EntityLayout layout = value ? value_layout(env->entity_layout()) : env->entity_layout();
      EntityNet net(layout, 8, value ? Activation::kTanh : Activation::kRelu);
      FlatParameters pool(net.parameter_count() + 3);  // an offset, as networks sharing a pool have
      net.bind(pool, 3);
      Rng rng(11);
      net.init_orthogonal(1.0, rng);
      const int rows = 5, D = net.inputs(), O = net.outputs();
      REQUIRE(D == static_cast<int>(env->observation_size()));
      const std::vector<float> x = observations(*env, rows, rng);
      std::vector<float> upstream(static_cast<std::size_t>(rows * O));
      for (float& v : upstream) v = static_cast<float>(rng.normal());

      Network::Trace trace;
      const std::vector<float> out = net.forward_trace(x.data(), rows, trace);
      std::vector<float> fast;
      net.forward_fast(x.data(), rows, fast);
      CHECK(fast == out);
      net.backward(x.data(), rows, trace, upstream.data());
      const torch::Tensor by_hand = pool.grads.clone();

      pool.grads.zero_();
      const torch::Tensor input = torch::from_blob(const_cast<float*>(x.data()), {rows, D}).clone();
      const torch::Tensor reference = net.forward(input);
      (reference * torch::from_blob(upstream.data(), {rows, O})).sum().backward();
      for (int i = 0; i < rows * O; ++i)
        CHECK(out[static_cast<std::size_t>(i)] == Approx(reference.view({-1})[i].item<double>()).margin(1e-5));
      CHECK(by_hand.slice(0, 0, 3).abs().max().item<double>() == 0.0);
      CHECK((by_hand - pool.grads).abs().max().item<double>() < 1e-5);
      CHECK(pool.grads.abs().max().item<double>() > 1e-3);
    }
}

TEST_CASE("The entity network places each output at its region and has as many parameters in every scenario",
          "[agents][entity]") {
  const auto asia = market("asia-pacific", ActionView::kDiscrete);
  const auto world = market("world", ActionView::kDiscrete);
  const EntityLayout layout = asia->entity_layout();
  REQUIRE(layout.output_entity.size() == static_cast<std::size_t>(std::get<Discrete>(asia->action_space()).n));
  CHECK(layout.output_entity[0] == EntityLayout::kGlobal);  // hold
  CHECK(layout.output_entity[1 + 6 * 2 + 4] == 2);          // region 2's fifth operation
  CHECK(layout.output_slot[1 + 6 * 2 + 4] == 4);
  CHECK(layout.block_size == asia->region_block_size());
  CHECK(layout.block_offset == asia->region_block_offset());

  EntityNet small(layout, 16, Activation::kTanh), large(world->entity_layout(), 16, Activation::kTanh);
  CHECK(small.parameter_count() == large.parameter_count());

  // Swapping two regions' blocks swaps their outputs: the network treats regions alike.
  FlatParameters pool(small.parameter_count());
  small.bind(pool, 0);
  Rng rng(2);
  small.init_orthogonal(1.0, rng);
  std::vector<float> x = asia->reset(5);
  for (float& v : x) v += static_cast<float>(0.2 * rng.normal());
  std::vector<float> swapped = x;
  const std::size_t a = layout.block_offset, b = layout.block_offset + 3 * layout.block_size;
  std::swap_ranges(swapped.begin() + static_cast<std::ptrdiff_t>(a),
                   swapped.begin() + static_cast<std::ptrdiff_t>(a + layout.block_size),
                   swapped.begin() + static_cast<std::ptrdiff_t>(b));
  std::vector<float> out, out_swapped;
  small.forward_fast(x.data(), 1, out);
  small.forward_fast(swapped.data(), 1, out_swapped);
  CHECK(out[0] == Approx(out_swapped[0]).epsilon(1e-5));  // hold
  for (int op = 0; op < 6; ++op) {
    CHECK(out[static_cast<std::size_t>(1 + op)] ==
          Approx(out_swapped[static_cast<std::size_t>(1 + 18 + op)]).margin(1e-5));
    CHECK(out[static_cast<std::size_t>(1 + 18 + op)] ==
          Approx(out_swapped[static_cast<std::size_t>(1 + op)]).margin(1e-5));
  }
}

TEST_CASE("An entity network needs an env with entities", "[agents][entity]") {
  CHECK_THROWS_AS(EntityNet(EntityLayout{}, 8, Activation::kTanh), std::invalid_argument);
}
