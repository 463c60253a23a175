// The heuristic baselines: greedy by the prior's value estimate, Uppsala-style gradual entry, and
// partner-greedy by the partners' prior (CF) scores. Each keeps a cash reserve of a quarter of the
// initial cash and runs marketing at level 1 where it is present (docs/baselines.md).
#include <algorithm>
#include <numeric>

#include "agents/baselines/market_policy.hpp"

namespace expanse {
namespace {

constexpr int kMarketingLevel = 1;

double reserve(const MarketEnv& env) {
  return 0.25 * env.spec().scenario().company.initial_cash;
}

std::vector<std::size_t> regions_sorted_by(const MarketEnv& env, auto key) {
  std::vector<std::size_t> order(env.spec().region_count());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return order;
}

// After the important orders: bring marketing to the standard level wherever the company is present.
void maintain_marketing(const MarketEnv& env, std::vector<RegionOrder>& orders) {
  for (std::size_t r = 0; r < env.spec().region_count(); ++r)
    if (env.mode(r) != Mode::kNone && env.marketing_level(r) != kMarketingLevel)
      orders.push_back({r, ModeTarget::kKeep, kMarketingLevel});
}

// Enters, as a subsidiary, the best region by the prior's value estimate that is worth entering and
// affordable; one entry a quarter, never exits.
class GreedyRoiPolicy final : public Policy {
 public:
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    const MarketEnv& env = *input.market;
    std::vector<RegionOrder> orders;
    for (std::size_t r : regions_sorted_by(env, [&](std::size_t i) { return env.prior().regions[i].value_estimate; })) {
      if (env.prior().regions[r].value_estimate <= 0) break;
      if (env.mode(r) != Mode::kNone) continue;
      if (env.cash() - env.spec().setup_cost(Mode::kSubsidiary, r) >= reserve(env))
        orders.push_back({r, ModeTarget::kSubsidiary, kMarketingLevel});
      break;  // the best candidate waits for cash rather than being skipped
    }
    maintain_marketing(env, orders);
    encode_orders(env, orders, indices, values);
  }
};

// Johanson & Vahlne's establishment chain: pilot the psychically closest markets first (two at a
// time); after 4 quarters a pilot that covers its fixed cost becomes a subsidiary (or a partner when a
// subsidiary is unaffordable), one that still does not after 8 quarters is closed.
class UppsalaPolicy final : public Policy {
 public:
  void reset(std::uint64_t) override { pilot_start_.clear(); }
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    const MarketEnv& env = *input.market;
    const std::size_t R = env.spec().region_count();
    if (pilot_start_.size() != R) pilot_start_.assign(R, -1);
    std::vector<RegionOrder> orders;
    int pilots = 0;
    for (std::size_t r = 0; r < R; ++r) {
      if (env.mode(r) != Mode::kPilot) continue;
      ++pilots;
      if (pilot_start_[r] < 0) pilot_start_[r] = env.quarter() - 1;  // entered last quarter
      const int age = env.quarter() - pilot_start_[r];
      const double fixed = env.spec().mode(Mode::kPilot).fixed * env.spec().region(r).cost_level;
      const bool does_well = env.region_revenue(r) >= fixed;
      if (age >= 4 && does_well) {
        const bool affordable = env.cash() - env.spec().setup_cost(Mode::kSubsidiary, r) >= reserve(env);
        if (affordable)
          orders.push_back({r, ModeTarget::kSubsidiary, kMarketingLevel});
        else if (env.best_available_partner(r) >= 0)
          orders.push_back({r, ModeTarget::kPartner, kMarketingLevel});
      } else if (age >= 8) {
        orders.push_back({r, ModeTarget::kExit, 0});
      }
    }
    if (pilots < 2 && env.cash() >= reserve(env)) {
      for (std::size_t r : regions_sorted_by(env, [&](std::size_t i) { return -env.spec().region(i).distance; })) {
        if (env.mode(r) != Mode::kNone || env.modes_used(r) != 1u) continue;  // never tried before
        orders.push_back({r, ModeTarget::kPilot, kMarketingLevel});
        pilot_start_[r] = env.quarter();
        break;
      }
    }
    maintain_marketing(env, orders);
    encode_orders(env, orders, indices, values);
  }

 private:
  std::vector<int> pilot_start_;
};

// Signs the best-scored available partner (the collaborative-filtering prior) in the regions where
// partners are best, one a quarter, when the score is at least 0.5.
class PartnerGreedyPolicy final : public Policy {
 public:
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    const MarketEnv& env = *input.market;
    std::vector<RegionOrder> orders;
    auto score = [&](std::size_t r) {
      const int j = env.best_available_partner(r);
      return j < 0 ? -1.0 : env.prior().partners[static_cast<std::size_t>(j)].score;
    };
    if (env.cash() - env.spec().model().partner.setup >= reserve(env)) {
      for (std::size_t r : regions_sorted_by(env, score)) {
        if (score(r) < 0.5) break;
        if (env.mode(r) != Mode::kNone) continue;
        orders.push_back({r, ModeTarget::kPartner, kMarketingLevel});
        break;
      }
    }
    maintain_marketing(env, orders);
    encode_orders(env, orders, indices, values);
  }
};

}  // namespace

std::unique_ptr<Policy> make_greedy_roi_policy() {
  return std::make_unique<GreedyRoiPolicy>();
}
std::unique_ptr<Policy> make_uppsala_policy() {
  return std::make_unique<UppsalaPolicy>();
}
std::unique_ptr<Policy> make_partner_greedy_policy() {
  return std::make_unique<PartnerGreedyPolicy>();
}

}  // namespace expanse
