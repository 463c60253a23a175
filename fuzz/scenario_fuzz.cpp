// Scenario YAML through validation, then one env reset and a few steps in every action view: a
// scenario that validates can still break the model.
#include <vector>

#include "env/market/market_env.hpp"
#include "env/market/scenario_loader.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace expanse;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::accepted_or_refused([&] {
    const Scenario scenario = load_scenario_text(fuzz::as_text(data, size), "fuzz.yaml");
    for (ActionView view : {ActionView::kDiscrete, ActionView::kMultiDiscrete, ActionView::kBox}) {
      const auto env = make_market_env(scenario, view);
      std::vector<float> observation(env->observation_size());
      env->reset(size, observation);
      for (int step = 0; step < 6; ++step) {
        if (view == ActionView::kBox) {
          env->step(std::vector<float>(flat_size(env->action_space()), step % 2 ? 1.0f : -0.5f));
          continue;
        }
        // The first allowed choice of each component, rotated by the step.
        const std::vector<std::uint8_t> mask = env->action_mask();
        if (view == ActionView::kDiscrete) {
          std::int32_t choice = 0;
          for (std::size_t i = 0; i < mask.size(); ++i)
            if (mask[(i + step) % mask.size()]) {
              choice = static_cast<std::int32_t>((i + step) % mask.size());
              break;
            }
          env->step(choice);
        } else {
          std::vector<std::int32_t> indices(flat_size(env->action_space()), 0);
          env->step(Action{indices, {}}, observation);
        }
      }
    }
  });
  return 0;
}
