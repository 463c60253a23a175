// Step 1 of the quarter: the company's action in any of the three views — research, entry, exit,
// marketing, partners — checked against what is valid now, and described in words.
#include <cmath>
#include <cstring>
#include <stdexcept>

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

bool MarketEnv::apply_target(std::size_t r, ModeTarget target) {
  switch (target) {
    case ModeTarget::kKeep: return true;
    case ModeTarget::kResearch: return research(r);
    case ModeTarget::kPilot: return enter(r, Mode::kPilot, -1);
    case ModeTarget::kPartner: return enter(r, Mode::kPartner, best_available_partner(r));
    case ModeTarget::kSubsidiary: return enter(r, Mode::kSubsidiary, -1);
    case ModeTarget::kExit: return exit_region(r);
  }
  return false;
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

bool MarketEnv::apply_discrete(std::int32_t a) {
  if (!discrete_valid(a)) return false;
  if (a == 0) return true;
  const std::int32_t region_actions = static_cast<std::int32_t>(kRegionOpCount * R_);
  if (a > region_actions) {
    const std::size_t j = static_cast<std::size_t>(a - 1 - region_actions);
    return enter(spec_->partner_region(j), Mode::kPartner, static_cast<int>(j));
  }
  const std::size_t r = static_cast<std::size_t>((a - 1) / kRegionOpCount);
  switch (static_cast<RegionOp>((a - 1) % kRegionOpCount)) {
    case RegionOp::kResearch: return research(r);
    case RegionOp::kPilot: return enter(r, Mode::kPilot, -1);
    case RegionOp::kSubsidiary: return enter(r, Mode::kSubsidiary, -1);
    case RegionOp::kExit: return exit_region(r);
    case RegionOp::kMarketingUp: return set_marketing(r, marketing_[r] + 1);
    case RegionOp::kMarketingDown: return set_marketing(r, marketing_[r] - 1);
  }
  return false;
}

// Returns false when any part of the action was invalid; valid parts of composite actions apply.
bool MarketEnv::apply_action(const Action& action) {
  switch (view_) {
    case ActionView::kDiscrete: return action.indices.size() == 1 && apply_discrete(action.indices[0]);
    case ActionView::kMultiDiscrete: {
      if (action.indices.size() != 2 * R_) return false;
      bool valid = true;
      for (std::size_t r = 0; r < R_; ++r) {
        const std::int32_t target = action.indices[2 * r], level = action.indices[2 * r + 1];
        if (target < 0 || target >= kModeTargetCount || level < 0 || level > 3) {
          valid = false;
          continue;
        }
        valid &= apply_target(r, static_cast<ModeTarget>(target));
        if (mode_[r] != Mode::kNone) set_marketing(r, level);  // without presence, the level is moot
      }
      return valid;
    }
    case ActionView::kBox: {
      if (action.values.size() != 2 * R_) return false;
      for (float v : action.values)
        if (std::isnan(v)) return false;
      // Thresholds on the commitment value (docs/model.md): a target at or below the current
      // commitment keeps it; exits need a clearly negative value.
      for (std::size_t r = 0; r < R_; ++r) {
        const double v = std::clamp(static_cast<double>(action.values[2 * r]), -1.0, 1.0);
        const double w = std::clamp(static_cast<double>(action.values[2 * r + 1]), -1.0, 1.0);
        if (v < -0.5)
          exit_region(r);
        else if (v < 0.0) {
        } else if (v < 0.25)
          research(r);
        else if (v < 0.5)
          enter(r, Mode::kPilot, -1);
        else if (v < 0.75)
          enter(r, Mode::kPartner, best_available_partner(r));
        else
          enter(r, Mode::kSubsidiary, -1);
        if (mode_[r] != Mode::kNone) set_marketing(r, std::min(3, static_cast<int>((w + 1.0) / 2.0 * 4.0)));
      }
      return true;
    }
  }
  return false;
}

std::string MarketEnv::describe_action(const Action& action) const {
  const auto& regions = spec_->scenario().regions;
  if (view_ == ActionView::kDiscrete) {
    if (action.indices.size() != 1) return "malformed";
    const std::int32_t a = action.indices[0];
    const std::int32_t region_actions = static_cast<std::int32_t>(kRegionOpCount * R_);
    if (a == 0) return "hold";
    if (a < 0 || a >= std::get<Discrete>(action_space_).n) return "out_of_range(" + std::to_string(a) + ")";
    if (a > region_actions)
      return "sign:" + spec_->scenario().partners[static_cast<std::size_t>(a - 1 - region_actions)].id;
    static const char* ops[] = {"research", "pilot", "subsidiary", "exit", "marketing_up", "marketing_down"};
    return std::string(ops[(a - 1) % kRegionOpCount]) + ":" +
           regions[static_cast<std::size_t>((a - 1) / kRegionOpCount)].country.id;
  }
  std::string out;
  if (view_ == ActionView::kMultiDiscrete) {
    static const char* targets[] = {"keep", "research", "pilot", "partner", "subsidiary", "exit"};
    for (std::size_t r = 0; r < R_ && 2 * r + 1 < action.indices.size(); ++r) {
      const std::int32_t t = action.indices[2 * r], l = action.indices[2 * r + 1];
      if (t == 0 && l == marketing_[r]) continue;
      if (!out.empty()) out += ' ';
      out +=
          regions[r].country.id + ":" + (t >= 0 && t < kModeTargetCount ? targets[t] : "?") + "/m" + std::to_string(l);
    }
    return out.empty() ? "hold" : out;
  }
  for (std::size_t r = 0; r < R_ && 2 * r + 1 < action.values.size(); ++r) {
    if (!out.empty()) out += ' ';
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.2f/%.2f", action.values[2 * r], action.values[2 * r + 1]);
    out += regions[r].country.id + ":" + buf;
  }
  return out;
}

}  // namespace expanse
