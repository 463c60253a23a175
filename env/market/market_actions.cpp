// Step 1 of the quarter: the company's operations — research, entry, exit, marketing, partners —
// checked against what is valid now. The action views (action_views.hpp) decode an action into them.
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "env/market/action_views.hpp"
#include "env/market/market_env.hpp"
#include "env/market/market_env_internal.hpp"

namespace expanse {
using namespace market_detail;

// ---- 1. Actions --------------------------------------------------------------------------------

// The partner the MultiDiscrete and Box views sign: the highest prior score that has not failed.
void MarketEnv::update_best_partner(std::size_t r) {
  int best = -1;
  for (std::size_t j : spec_->partners_in(r)) {
    if (partner_failed_[j]) continue;
    if (best < 0 || prior_.partners[j].score > prior_.partners[static_cast<std::size_t>(best)].score)
      best = static_cast<int>(j);
  }
  best_partner_[r] = best;
  best_partner_score_[r] = best >= 0 ? static_cast<float>(prior_.partners[static_cast<std::size_t>(best)].score) : 0.f;
}

void MarketEnv::toggle_present(std::size_t n) {
  present_bits_[n / 64] ^= std::uint64_t{1} << (n % 64);
  for (const MarketSpec::Listener& l : spec_->listeners(n)) heard_slots_[l.region] ^= std::uint64_t{1} << l.slot;
}

void MarketEnv::list_present_regions() {
  std::size_t n = 0;
  for (std::size_t w = 0; w < present_bits_.size(); ++w)
    for (std::uint64_t bits = present_bits_[w]; bits != 0; bits &= bits - 1)
      present_[n++] = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
  present_count_ = n;
}

bool MarketEnv::research(std::size_t r) {
  if (mode_[r] != Mode::kNone || researched_[r]) return false;
  researched_[r] = 1;
  researched_list_[researched_count_++] = static_cast<std::uint32_t>(r);
  last_.action_costs += spec_->model().research_cost;
  refresh_mask_row(r);
  return true;
}

// Commitment only grows by entering (none < pilot < partner < subsidiary); going back is an exit.
bool MarketEnv::enter(std::size_t r, Mode target, int partner) {
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
  modes_used_[r] |= bit(target);
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

void MarketEnv::lose_customers(std::size_t r) {
  for (auto* row : {&adopters_, &effective_market_, &share_, &penetration_, &next_penetration_})
    std::fill_n(row->begin() + static_cast<std::ptrdiff_t>(r * K_), K_, 0.0);
}

bool MarketEnv::exit_region(std::size_t r) {
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

bool MarketEnv::set_marketing(std::size_t r, int level) {
  if (level == marketing_[r]) return true;
  if (mode_[r] == Mode::kNone || level < 0 || level > 3) return false;
  marketing_[r] = static_cast<std::int8_t>(level);
  region_block(r)[kBlockMarketing] = kMarketingShare[level];
  if (view_ == ActionView::kDiscrete) refresh_mask_row(r);  // the other views' masks ignore the level
  return true;
}

bool MarketEnv::region_op_valid(std::size_t r, RegionOp op) const {
  return region_ops_valid(r)[static_cast<std::size_t>(op)];
}

bool MarketEnv::discrete_valid(std::int32_t a) const {
  const std::int32_t region_actions = static_cast<std::int32_t>(kRegionOpCount * R_);
  if (a < 0 || a > region_actions + static_cast<std::int32_t>(P_)) return false;
  if (a == 0) return true;
  if (a <= region_actions)
    return region_op_valid(static_cast<std::size_t>((a - 1) / kRegionOpCount),
                           static_cast<RegionOp>((a - 1) % kRegionOpCount));
  return partner_sign_valid(static_cast<std::size_t>(a - 1 - region_actions));
}

// Returns false when any part of the action was invalid; valid parts of composite actions apply.
bool MarketEnv::apply_action(const Action& action) {
  return market_views::with_view(view_, [&](auto decoder) { return decoder.apply(*this, action); });
}

std::string MarketEnv::describe_action(const Action& action) const {
  return market_views::with_view(view_, [&](auto decoder) { return decoder.describe(*this, action); });
}

}  // namespace expanse
