#include "agents/baselines/market_policy.hpp"

#include <algorithm>
#include <numeric>

#include "env/random_actions.hpp"

namespace expanse {
namespace {

// Box commitment values in the middle of each documented threshold band (docs/model.md).
float commitment_value(ModeTarget t) {
  switch (t) {
    case ModeTarget::kExit: return -0.75f;
    case ModeTarget::kKeep: return -0.25f;
    case ModeTarget::kResearch: return 0.125f;
    case ModeTarget::kPilot: return 0.375f;
    case ModeTarget::kPartner: return 0.625f;
    case ModeTarget::kSubsidiary: return 0.875f;
  }
  return -0.25f;
}

float marketing_value(int level) {
  return static_cast<float>((level + 0.5) / 4.0 * 2.0 - 1.0);
}

// The Discrete action for one order, or −1 when it has none.
std::int32_t discrete_action(const MarketEnv& env, const RegionOrder& o) {
  const auto base = static_cast<std::int32_t>(1 + kRegionOpCount * o.region);
  switch (o.target) {
    case ModeTarget::kResearch: return base + static_cast<std::int32_t>(RegionOp::kResearch);
    case ModeTarget::kPilot: return base + static_cast<std::int32_t>(RegionOp::kPilot);
    case ModeTarget::kSubsidiary: return base + static_cast<std::int32_t>(RegionOp::kSubsidiary);
    case ModeTarget::kExit: return base + static_cast<std::int32_t>(RegionOp::kExit);
    case ModeTarget::kPartner: {
      const int j = env.best_available_partner(o.region);
      return j < 0 ? -1 : static_cast<std::int32_t>(1 + kRegionOpCount * env.spec().region_count()) + j;
    }
    case ModeTarget::kKeep:
      if (o.marketing < 0 || o.marketing == env.marketing_level(o.region)) return -1;
      return base + static_cast<std::int32_t>(o.marketing > env.marketing_level(o.region) ? RegionOp::kMarketingUp
                                                                                          : RegionOp::kMarketingDown);
  }
  return -1;
}

class HoldPolicy final : public Policy {
 public:
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    const MarketEnv& env = *input.market;
    encode_orders(env, {}, indices, values);
  }
};

class RandomPolicy final : public Policy {
 public:
  void reset(std::uint64_t seed) override { rng_.reseed(seed); }
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    const MarketEnv& env = *input.market;
    mask_.resize(mask_size(env.action_space()));
    env.action_mask(mask_);
    sample_random_action(env.action_space(), mask_, rng_, indices, values);
  }

 private:
  Rng rng_;
  std::vector<std::uint8_t> mask_;
};

}  // namespace

std::unique_ptr<Policy> make_greedy_roi_policy();
std::unique_ptr<Policy> make_uppsala_policy();
std::unique_ptr<Policy> make_partner_greedy_policy();
std::unique_ptr<Policy> make_planner_policy();

std::vector<std::string> baseline_names() {
  return {"random", "hold", "greedy-roi", "uppsala", "partner-greedy", "planner"};
}

std::unique_ptr<Policy> make_baseline(const std::string& name) {
  if (name == "random") return std::make_unique<RandomPolicy>();
  if (name == "hold") return std::make_unique<HoldPolicy>();
  if (name == "greedy-roi") return make_greedy_roi_policy();
  if (name == "uppsala") return make_uppsala_policy();
  if (name == "partner-greedy") return make_partner_greedy_policy();
  if (name == "planner") return make_planner_policy();
  return nullptr;
}

void encode_orders(const MarketEnv& env, const std::vector<RegionOrder>& orders, std::span<std::int32_t> indices,
                   std::span<float> values) {
  const std::size_t R = env.spec().region_count();
  switch (env.view()) {
    case ActionView::kMultiDiscrete:
      for (std::size_t r = 0; r < R; ++r) {
        indices[2 * r] = static_cast<std::int32_t>(ModeTarget::kKeep);
        indices[2 * r + 1] = env.marketing_level(r);
      }
      for (const RegionOrder& o : orders) {
        indices[2 * o.region] = static_cast<std::int32_t>(o.target);
        if (o.marketing >= 0) indices[2 * o.region + 1] = o.marketing;
      }
      return;
    case ActionView::kBox:
      for (std::size_t r = 0; r < R; ++r) {
        values[2 * r] = commitment_value(ModeTarget::kKeep);
        values[2 * r + 1] = marketing_value(env.marketing_level(r));
      }
      for (const RegionOrder& o : orders) {
        values[2 * o.region] = commitment_value(o.target);
        if (o.marketing >= 0) values[2 * o.region + 1] = marketing_value(o.marketing);
      }
      return;
    case ActionView::kDiscrete: {
      static thread_local std::vector<std::uint8_t> mask;  // reused: the planner encodes every rollout step
      mask.resize(mask_size(env.action_space()));
      env.action_mask(mask);
      indices[0] = 0;
      for (const RegionOrder& o : orders) {
        const std::int32_t a = discrete_action(env, o);
        if (a >= 0 && mask[static_cast<std::size_t>(a)]) {
          indices[0] = a;
          return;
        }
        // A new presence's marketing is set by a later order, one step a quarter.
        if (o.target != ModeTarget::kKeep && o.marketing >= 0) {
          const std::int32_t m = discrete_action(env, {o.region, ModeTarget::kKeep, o.marketing});
          if (m >= 0 && mask[static_cast<std::size_t>(m)]) {
            indices[0] = m;
            return;
          }
        }
      }
      return;
    }
  }
}

}  // namespace expanse
