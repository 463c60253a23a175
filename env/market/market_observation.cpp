// What the agent sees: the spaces (the action view's from action_views.hpp), the observation (global
// values, then one block per region, whose layout entity networks read through entity_layout()) and
// the action mask.
#include <cmath>
#include <cstring>

#include "env/market/action_views.hpp"
#include "env/market/market_env.hpp"
#include "env/market/market_env_internal.hpp"

namespace expanse {
using namespace market_detail;

namespace {

// The MultiDiscrete view's valid region components depend on the mode, whether the region was
// researched this quarter and whether a partner is available: one row (6 targets, then the 4
// marketing levels, always valid) per such state.
constexpr auto kRegionTargetsByState = [] {
  std::array<std::array<std::uint8_t, kModeTargetCount + 4>, kModeCount * 2 * 2> rows{};
  for (std::size_t m = 0; m < kModeCount; ++m)
    for (std::size_t researched = 0; researched < 2; ++researched)
      for (std::size_t partner = 0; partner < 2; ++partner) {
        const Mode mode = static_cast<Mode>(m);
        rows[(m * 2 + researched) * 2 + partner] = {1,
                                                    mode == Mode::kNone && !researched,
                                                    mode < Mode::kPilot,
                                                    mode < Mode::kPartner && partner,
                                                    mode < Mode::kSubsidiary,
                                                    mode != Mode::kNone,
                                                    1,
                                                    1,
                                                    1,
                                                    1};
      }
  return rows;
}();

}  // namespace

EntityLayout MarketEnv::entity_layout() const {
  EntityLayout layout;
  layout.global_count = kGlobalFeatures;
  layout.block_offset = kGlobalFeatures;
  layout.block_size = region_block_size();
  layout.entities = R_;
  market_views::with_view(view_, [&](auto decoder) { decoder.outputs(*spec_, layout); });
  return layout;
}

void MarketEnv::build_spaces() {
  action_space_ = market_views::with_view(view_, [&](auto decoder) { return decoder.space(*spec_); });

  // The observation layout (docs/model.md, pinned by a test): 3 global values, then one block per region.
  auto add = [&](const std::string& name, float lo, float hi) {
    observation_names_.push_back(name);
    observation_space_.low.push_back(lo);
    observation_space_.high.push_back(hi);
  };
  add("time_left", 0.f, 1.f);
  add("cash", -10.f, 100.f);
  add("last_profit", -50.f, 50.f);
  for (std::size_t r = 0; r < R_; ++r) {
    const std::string id = spec_->scenario().regions[r].country.id + ".";
    for (std::size_t m = 0; m < kModeCount; ++m) add(id + "mode_" + to_string(static_cast<Mode>(m)), 0.f, 1.f);
    add(id + "knowledge", 0.f, 1.f);
    add(id + "marketing", 0.f, 1.f);
    for (std::size_t k = 0; k < K_; ++k) add(id + "adopters_observed." + spec_->scenario().products[k].id, 0.f, 1.f);
    add(id + "last_revenue", 0.f, kRegionRevenueLimit);
    add(id + "prior_potential", 0.f, 5.f);
    add(id + "prior_p", 0.f, 5.f);
    add(id + "prior_q", 0.f, 5.f);
    add(id + "value_estimate", -5.f, 20.f);
    add(id + "value_uncertainty", 0.f, 20.f);
    add(id + "cage_cultural", 0.f, 1.f);
    add(id + "cage_administrative", 0.f, 1.f);
    add(id + "cage_geographic", 0.f, 1.f);
    add(id + "cage_economic", 0.f, 3.f);
    add(id + "shock", 0.f, 1.f);
    add(id + "best_partner_score", 0.f, 1.f);
    add(id + "partner_signed", 0.f, 1.f);
    add(id + "fx_log", -kLogFxLimit, kLogFxLimit);
  }

  const std::size_t block = region_block_size();
  region_blocks_.assign(R_ * block, 0.f);
  for (std::size_t r = 0; r < R_; ++r) {
    const RegionModel& rm = spec_->region(r);
    const RegionPrior& rp = prior_.regions[r];
    const double values[kFixedRegionFeatures] = {std::log1p(rm.potential_total * rp.potential_multiplier.median) / 3.0,
                                                 rp.bass_p.median * 10.0,
                                                 rp.bass_q.median,
                                                 rp.value_estimate,
                                                 rp.value_uncertainty,
                                                 rm.cultural,
                                                 rm.administrative,
                                                 rm.geographic,
                                                 rm.economic};
    const std::size_t first = kGlobalFeatures + r * block + block_fixed();
    for (std::size_t f = 0; f < kFixedRegionFeatures; ++f)
      region_blocks_[r * block + block_fixed() + f] = std::clamp(
          static_cast<float>(values[f]), observation_space_.low[first + f], observation_space_.high[first + f]);
  }
}

void MarketEnv::action_mask(std::span<std::uint8_t> mask) const {
  if (view_ == ActionView::kBox)
    std::fill(mask.begin(), mask.end(), 1);
  else
    std::memcpy(mask.data(), mask_.data(), mask_.size());
}

void MarketEnv::refresh_region(std::size_t r) {
  float* o = region_block(r);
  for (std::size_t m = 0; m < kModeCount; ++m) o[m] = 0.f;
  o[static_cast<std::size_t>(mode_[r])] = 1.f;
  o[kBlockKnowledge] = static_cast<float>(knowledge_[r]);
  o[kBlockMarketing] = kMarketingShare[marketing_[r]];
  o[block_partner_score()] = best_partner_score_[r];
  o[block_partner_signed()] = partner_[r] >= 0 ? 1.f : 0.f;
  refresh_mask_row(r);
  // Signing one of its partners (Discrete) is valid while it is below the partner mode and the
  // partner has not failed.
  if (view_ == ActionView::kDiscrete)
    for (std::size_t j : spec_->partners_in(r)) mask_[1 + kRegionOpCount * R_ + j] = partner_sign_valid(j);
}

void MarketEnv::refresh_mask_row(std::size_t r) {
  if (view_ == ActionView::kDiscrete) {
    std::memcpy(&mask_[1 + r * kRegionOpCount], region_ops_valid(r).data(), kRegionOpCount);
  } else if (view_ == ActionView::kMultiDiscrete) {
    // Its targets, then the four marketing levels (always valid): a row of kRegionTargetsByState.
    const std::size_t state =
        (static_cast<std::size_t>(mode_[r]) * 2 + researched_[r]) * 2 + (best_partner_[r] >= 0 ? 1 : 0);
    std::memcpy(&mask_[r * (kModeTargetCount + 4)], kRegionTargetsByState[state].data(), kModeTargetCount + 4);
  }
}

// ---- 5. What the agent sees ---------------------------------------------------------------------

void MarketEnv::write_observation(std::span<float> obs) {
  const ModelParams& m = spec_->model();
  const int horizon = spec_->scenario().horizon;
  const float* lo = observation_space_.low.data();
  const float* hi = observation_space_.high.data();
  obs[0] = clip(static_cast<double>(horizon - t_) / horizon, lo[0], hi[0]);
  obs[1] = clip(cash_ / spec_->scenario().company.initial_cash, lo[1], hi[1]);
  obs[2] = clip(last_.profit / m.reward_scale, lo[2], hi[2]);
  // Per region, in the layout of build_spaces(): the blocks kept up to date as the state changed,
  // then the present regions' adopters and revenue.
  const std::size_t block = region_block_size();
  std::memcpy(&obs[kGlobalFeatures], region_blocks_.data(), region_blocks_.size() * sizeof(float));
  with_product_count(K_, [&](auto products_fixed) {
    const std::size_t K = products_fixed > 0 ? products_fixed : K_;
    for (std::size_t i = 0; i < present_count_; ++i) {
      const std::size_t r = present_[i];
      float* o = &obs[kGlobalFeatures + r * block];
      const double growth = growth_at(r, t_);
      for (std::size_t k = 0; k < K; ++k) {
        const double potential = base_potential_[r * K + k] * growth;
        o[kBlockAdopters + k] =
            potential > 0 ? clip(adopters_[r * K + k] / potential * survey_error_[r], 0.f, 1.f) : 0.f;
      }
      o[kBlockAdopters + K] = clip(region_revenue_[r] / m.reward_scale, 0.f, kRegionRevenueLimit);
    }
  });
}

}  // namespace expanse
