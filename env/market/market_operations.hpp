#pragma once
// The company's operations — research, entry, exit, marketing — that an action view's decoder
// (action_views.hpp) turns an action into, each checked against what is valid now and keeping the
// observation blocks and the mask current. Inline: the Box and MultiDiscrete views call them for
// every region at every step. Part of MarketEnv's implementation (market_env_internal.hpp).
#include "common/portable_math.hpp"
#include "env/market/market_env.hpp"
#include "env/market/market_env_internal.hpp"

namespace expanse {

inline bool MarketEnv::research(std::size_t r) {
  if (mode_[r] != Mode::kNone || researched_[r]) return false;
  researched_[r] = 1;
  researched_list_[researched_count_++] = static_cast<std::uint32_t>(r);
  last_.action_costs += spec_->model().research_cost;
  refresh_mask_row(r);
  return true;
}

// Commitment only grows by entering (none < pilot < partner < subsidiary); going back is an exit.
inline bool MarketEnv::enter(std::size_t r, Mode target, int partner) {
  if (target <= mode_[r]) return false;
  if (target == Mode::kPartner) {
    if (partner < 0 || partner_failed_[static_cast<std::size_t>(partner)] ||
        spec_->partner_region(static_cast<std::size_t>(partner)) != r)
      return false;
  }
  last_.action_costs += spec_->setup_cost(target, r);
  if (!region_drawn_[r]) draw_region(r);
  if (mode_[r] == Mode::kNone) toggle_present(r);
  mode_[r] = target;
  modes_used_[r] |= market_detail::bit(target);
  partner_[r] = target == Mode::kPartner ? partner : -1;
  if (target == Mode::kPartner) {
    // What the partner brings to each product, computed when it is signed (most never are).
    const auto j = static_cast<std::size_t>(partner);
    for (std::size_t k = 0; k < K_; ++k) {
      const double effectiveness = true_effectiveness(j, k);
      partner_product_attraction_[j * K_ + k] =
          spec_->product_attraction(k) * portable_exp(spec_->model().beta_partner * effectiveness);
      partner_reach_[j * K_ + k] = spec_->mode(Mode::kPartner).reach * effectiveness;
    }
  }
  last_.events |= kEventEntry;
  refresh_region(r);
  return true;
}

inline bool MarketEnv::exit_region(std::size_t r) {
  if (mode_[r] == Mode::kNone) return false;
  last_.action_costs += spec_->exit_cost(mode_[r], r);
  mode_[r] = Mode::kNone;
  toggle_present(r);
  partner_[r] = -1;
  marketing_[r] = 0;
  lose_customers(r);  // service ends with the exit: customers leave at once
  last_.events |= kEventExit;
  refresh_region(r);
  return true;
}

inline bool MarketEnv::set_marketing(std::size_t r, int level) {
  if (level == marketing_[r]) return true;
  if (mode_[r] == Mode::kNone || level < 0 || level > 3) return false;
  marketing_[r] = static_cast<std::int8_t>(level);
  region_block(r)[kBlockMarketing] = market_detail::kMarketingShare[level];
  if (view_ == ActionView::kDiscrete) refresh_mask_row(r);  // the other views' masks ignore the level
  return true;
}

}  // namespace expanse
