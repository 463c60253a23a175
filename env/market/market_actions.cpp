// Step 1 of the quarter: what the company's operations (market_operations.hpp) need — the best
// partner, presence, customers lost — and what is valid now; the action, through its view's decoder.
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

void MarketEnv::lose_customers(std::size_t r) {
  for (auto* row : {&adopters_, &effective_market_, &share_, &penetration_, &next_penetration_})
    std::fill_n(row->begin() + static_cast<std::ptrdiff_t>(r * K_), K_, 0.0);
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
