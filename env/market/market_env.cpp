#include "env/market/market_env.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "common/portable_math.hpp"
#include "common/ziggurat.hpp"
#include "env/market/world_prior_file.hpp"

namespace expanse {
namespace {

constexpr float kLogFxLimit = 3.f;        // observation clip for the log FX rate
constexpr float kRegionRevenueLimit = 50.f;  // observation clip for a region's revenue / reward scale

float clip(double value, float lo, float hi) { return std::clamp(static_cast<float>(value), lo, hi); }

// The Discrete view's valid region operations depend on the mode, whether the region was researched
// this quarter and the marketing level only: one row per such state.
constexpr auto kRegionOpsByState = [] {
  std::array<RegionOps, kModeCount * 2 * 4> rows{};
  for (std::size_t m = 0; m < kModeCount; ++m)
    for (std::size_t researched = 0; researched < 2; ++researched)
      for (std::size_t level = 0; level < 4; ++level) {
        const bool present = static_cast<Mode>(m) != Mode::kNone;
        rows[(m * 2 + researched) * 4 + level] = {!present && !researched, !present,
                                                   static_cast<Mode>(m) != Mode::kSubsidiary, present,
                                                   present && level < 3, present && level > 0};
      }
  return rows;
}();

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
                                                    1, 1, 1, 1};
      }
  return rows;
}();

// The widest vector of doubles the step loop's instruction set has: four lanes with AVX (the
// x86-64-v3 build, cmake/HostIsa.cmake), else two. Each lane does the scalar code's operations in the
// same order, so the width does not change a bit.
#if defined(__AVX__)
using WideDoubles = double __attribute__((vector_size(32)));
#else
using WideDoubles = DoublePair;
#endif
constexpr std::size_t kWideLanes = sizeof(WideDoubles) / sizeof(double);

// Loads, stores and broadcasts of WideDoubles and DoublePair (portable_math.hpp), for the product
// loops of diffuse(); each also takes a plain double, for an odd product left over.
template <typename T>
T load(const double* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
void store(double* p, T v) {
  std::memcpy(p, &v, sizeof v);
}
template <typename T>
T splat(double x) {
  if constexpr (std::is_same_v<T, double>)
    return x;
  else if constexpr (sizeof(T) == 2 * sizeof(double))
    return T{x, x};
  else
    return T{x, x, x, x};
}

// Scenarios have a handful of products. f(std::integral_constant<std::size_t, K>) for K up to 8,
// so that the loops over products are compiled for that count, unrolled; f(…<0>) for any other.
template <typename F>
void with_product_count(std::size_t K, F&& f) {
  switch (K) {
    case 1: f(std::integral_constant<std::size_t, 1>{}); break;
    case 2: f(std::integral_constant<std::size_t, 2>{}); break;
    case 3: f(std::integral_constant<std::size_t, 3>{}); break;
    case 4: f(std::integral_constant<std::size_t, 4>{}); break;
    case 5: f(std::integral_constant<std::size_t, 5>{}); break;
    case 6: f(std::integral_constant<std::size_t, 6>{}); break;
    case 7: f(std::integral_constant<std::size_t, 7>{}); break;
    case 8: f(std::integral_constant<std::size_t, 8>{}); break;
    default: f(std::integral_constant<std::size_t, 0>{}); break;
  }
}

// The observed marketing level, by level.
constexpr float kMarketingShare[4] = {0.f, 1.f / 3, 2.f / 3, 1.f};

std::uint8_t bit(Mode m) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(m));
}

}  // namespace

const char* to_string(ActionView view) {
  switch (view) {
    case ActionView::kDiscrete: return "discrete";
    case ActionView::kMultiDiscrete: return "multidiscrete";
    case ActionView::kBox: return "box";
  }
  return "?";
}

ActionView parse_action_view(const std::string& text) {
  if (text == "discrete") return ActionView::kDiscrete;
  if (text == "multidiscrete") return ActionView::kMultiDiscrete;
  if (text == "box") return ActionView::kBox;
  throw std::invalid_argument("unknown action view \"" + text + "\" (expected discrete, multidiscrete or box)");
}

MarketEnv::MarketEnv(std::shared_ptr<const MarketSpec> spec, ActionView view)
    : MarketEnv(spec, view,
                spec->scenario().priors.empty() ? default_world_prior(*spec)
                                                : read_world_prior_file(spec->scenario().priors, *spec)) {}

MarketEnv::MarketEnv(std::shared_ptr<const MarketSpec> spec, ActionView view, WorldPrior prior)
    : spec_(std::move(spec)), prior_(std::move(prior)), view_(view) {
  R_ = spec_->region_count();
  K_ = spec_->product_count();
  P_ = spec_->partner_count();
  if (prior_.regions.size() != R_ || prior_.partners.size() != P_)
    throw std::invalid_argument("MarketEnv: the prior does not match the scenario's regions and partners");
  bass_p_.resize(R_);
  bass_q_.resize(R_);
  incumbents_.resize(R_);
  world_uniforms_.resize(R_ * kRegionDraws + P_ * K_);
  region_drawn_.resize(R_);
  partner_product_attraction_.resize(P_ * K_);
  partner_reach_.resize(P_ * K_);
  region_attraction_.resize(R_);
  demand_shock_.resize(R_);
  influence_.resize(K_);
  present_.resize(R_);
  heard_slots_.resize(R_);
  present_bits_.resize((R_ + 63) / 64);
  best_partner_.resize(R_);
  best_partner_score_.resize(R_);
  mode_.resize(R_);
  modes_used_.resize(R_);
  knowledge_.resize(R_);
  marketing_.resize(R_);
  partner_.resize(R_);
  in_shock_.resize(R_);
  fx_log_.resize(R_);
  researched_.resize(R_);
  researched_list_.resize(R_);
  region_revenue_.resize(R_);
  survey_error_.resize(R_);
  partner_failed_.resize(P_);
  shock_event_.resize(R_);
  failure_quarter_.resize(P_);
  for (auto* v : {&base_potential_, &adopters_, &effective_market_, &share_, &penetration_, &next_penetration_})
    v->resize(R_ * K_);
  horizon_ = spec_->scenario().horizon;
  shock_log_keep_.resize(R_);
  for (std::size_t r = 0; r < R_; ++r) shock_log_keep_[r] = portable_log(1 - spec_->region(r).shock_hazard);
  revenue_kept_.push_back(1.0);
  for (const PartnerSpec& partner : spec_->scenario().partners) {
    failure_log_keep_.push_back(portable_log(1 - partner.failure_rate));
    revenue_kept_.push_back(1 - partner.fee);
  }
  for (std::size_t m = 0; m < kModeCount; ++m) learning_rate_[m] = spec_->mode(static_cast<Mode>(m)).learning;
  learning_rate_[kModeCount] = spec_->model().research_learning;
  for (std::size_t m = 0; m < kModeCount; ++m) mode_reach_.insert(mode_reach_.end(), K_, spec_->mode(static_cast<Mode>(m)).reach);
  build_spaces();
  mask_.resize(mask_size(action_space_));
  std::vector<float> observation(observation_space_.low.size());
  reset(0, observation);
}

std::string MarketEnv::name() const {
  return spec_->scenario().name + " (" + to_string(view_) + ")";
}

EntityLayout MarketEnv::entity_layout() const {
  EntityLayout layout;
  layout.global_count = kGlobalFeatures;
  layout.block_offset = kGlobalFeatures;
  layout.block_size = region_block_size();
  layout.entities = R_;
  auto add = [&](std::size_t entity, int slot) {
    layout.output_entity.push_back(static_cast<std::int32_t>(entity));
    layout.output_slot.push_back(slot);
  };
  switch (view_) {
    case ActionView::kDiscrete:
      layout.entity_outputs = kRegionOpCount + kPartnerSlots;
      layout.global_outputs = 1;
      layout.output_entity.push_back(EntityLayout::kGlobal);  // hold
      layout.output_slot.push_back(0);
      for (std::size_t r = 0; r < R_; ++r)
        for (int op = 0; op < kRegionOpCount; ++op) add(r, op);
      for (std::size_t j = 0; j < P_; ++j) {
        const std::size_t r = spec_->partner_region(j);
        const auto& in_region = spec_->partners_in(r);
        const auto rank = static_cast<int>(std::find(in_region.begin(), in_region.end(), j) - in_region.begin());
        add(r, kRegionOpCount + std::min(rank, kPartnerSlots - 1));
      }
      break;
    case ActionView::kMultiDiscrete:
      layout.entity_outputs = kModeTargetCount + 4;
      for (std::size_t r = 0; r < R_; ++r)
        for (int c = 0; c < layout.entity_outputs; ++c) add(r, c);
      break;
    case ActionView::kBox:
      layout.entity_outputs = 2;
      for (std::size_t r = 0; r < R_; ++r)
        for (int c = 0; c < 2; ++c) add(r, c);
      break;
  }
  return layout;
}

void MarketEnv::build_spaces() {
  switch (view_) {
    case ActionView::kDiscrete:
      action_space_ = Discrete{static_cast<std::int32_t>(1 + kRegionOpCount * R_ + P_)};
      break;
    case ActionView::kMultiDiscrete: {
      MultiDiscrete md;
      for (std::size_t r = 0; r < R_; ++r) {
        md.nvec.push_back(kModeTargetCount);
        md.nvec.push_back(4);
      }
      action_space_ = md;
      break;
    }
    case ActionView::kBox:
      action_space_ = Box{std::vector<float>(2 * R_, -1.f), std::vector<float>(2 * R_, 1.f)};
      break;
  }

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

void MarketEnv::reset(std::uint64_t seed, std::span<float> observation) {
  Rng rng(seed);  // a local copy the compiler can keep in registers; rng_ is set from it at the end
  // One world per episode, drawn in a fixed order: regions, then partners; as uniforms, transformed
  // when first needed (see draw_region()).
  double* u = world_uniforms_.data();
  for (std::size_t r = 0; r < R_; ++r) {
    for (const LogNormalPrior* prior : prior_.regions[r].draws()) *u++ = prior->uniform_for(rng);
  }
  for (std::size_t j = 0; j < P_; ++j)
    for (std::size_t k = 0; k < K_; ++k) *u++ = prior_.partners[j].uniform_for(rng);
  std::fill(region_drawn_.begin(), region_drawn_.end(), 0);
  // Shocks and partner failures have constant hazards per quarter: each is drawn as the waiting time
  // to its next occurrence (geometric) rather than as a Bernoulli every quarter.
  for (std::size_t r = 0; r < R_; ++r) shock_event_[r] = rng.waiting_time(shock_log_keep_[r]);
  next_failure_ = std::numeric_limits<std::int32_t>::max();
  for (std::size_t j = 0; j < P_; ++j) {
    failure_quarter_[j] = rng.waiting_time(failure_log_keep_[j]);
    next_failure_ = std::min(next_failure_, failure_quarter_[j]);
  }
  rng_ = rng;
  if (spec_->has_scripted_failures()) {
    // A scripted failure comes on top of the random one: whichever is first (the draws stay the same).
    for (std::size_t j = 0; j < P_; ++j) {
      failure_quarter_[j] = std::min(failure_quarter_[j], spec_->scripted_failure(j));
      next_failure_ = std::min(next_failure_, failure_quarter_[j]);
    }
  }
  next_change_ = 0;
  next_change_quarter_ = spec_->scripted_changes().empty() ? MarketSpec::kNever : spec_->scripted_changes()[0].quarter;

  t_ = 0;
  cash_ = spec_->scenario().company.initial_cash;
  last_operating_profit_ = 0;
  invalid_actions_ = 0;
  std::fill(mode_.begin(), mode_.end(), Mode::kNone);
  std::fill(modes_used_.begin(), modes_used_.end(), bit(Mode::kNone));
  std::fill(knowledge_.begin(), knowledge_.end(), 0.0);
  std::fill(marketing_.begin(), marketing_.end(), 0);
  std::fill(partner_.begin(), partner_.end(), -1);
  std::fill(in_shock_.begin(), in_shock_.end(), 0);
  std::fill(fx_log_.begin(), fx_log_.end(), 0.0);
  std::fill(researched_.begin(), researched_.end(), 0);
  researched_count_ = 0;
  std::fill(region_revenue_.begin(), region_revenue_.end(), 0.0);
  std::fill(survey_error_.begin(), survey_error_.end(), 1.0);
  std::fill(partner_failed_.begin(), partner_failed_.end(), 0);
  if (reset_blocks_.empty()) {
    // The first reset (in the constructor): every partner is alive, so the best partners, the
    // regions' observation blocks and the mask are the same at every reset; computed once, then copied.
    // region_blocks_ holds the fixed features alone (build_spaces()).
    if (!mask_.empty()) mask_[0] = 1;  // hold (Discrete), always valid
    for (std::size_t r = 0; r < R_; ++r) {
      update_best_partner(r);
      refresh_region(r);
    }
    reset_best_partner_ = best_partner_;
    reset_best_partner_score_ = best_partner_score_;
    reset_blocks_ = region_blocks_;
    reset_mask_ = mask_;
  } else {
    best_partner_ = reset_best_partner_;
    best_partner_score_ = reset_best_partner_score_;
    region_blocks_ = reset_blocks_;
    mask_ = reset_mask_;
  }
  present_count_ = 0;
  std::fill(present_bits_.begin(), present_bits_.end(), 0);
  std::fill(heard_slots_.begin(), heard_slots_.end(), 0);
  for (auto* v : {&adopters_, &effective_market_, &share_, &penetration_, &next_penetration_})
    std::fill(v->begin(), v->end(), 0.0);
  last_ = QuarterReport{};
  last_.cash = cash_;
  write_observation(observation);
}

double MarketEnv::region_value(std::size_t r, RegionDraw d) const {
  return prior_.regions[r].draws()[d]->value_at(world_uniforms_[r * kRegionDraws + d]);
}

// Region r's values, the first time it is entered in the episode.
void MarketEnv::draw_region(std::size_t r) {
  const double multiplier = region_value(r, kPotentialMultiplier);
  bass_p_[r] = region_value(r, kBassP) / 4.0;  // annual → quarterly
  bass_q_[r] = region_value(r, kBassQ) / 4.0;
  incumbents_[r] = region_value(r, kIncumbents);
  for (std::size_t k = 0; k < K_; ++k) base_potential_[r * K_ + k] = spec_->potential_median(r, k) * multiplier;
  region_drawn_[r] = 1;
}

double MarketEnv::true_effectiveness(std::size_t j, std::size_t k) const {
  return prior_.partners[j].effectiveness_at(k, world_uniforms_[R_ * kRegionDraws + j * K_ + k]);
}

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

// Which of the Discrete view's region operations are valid, all six at once (the mask copies them):
// a row of kRegionOpsByState, looked up rather than computed with branches on a random state.
[[gnu::always_inline]] inline const RegionOps& MarketEnv::region_ops_valid(std::size_t r) const {
  return kRegionOpsByState[(static_cast<std::size_t>(mode_[r]) * 2 + researched_[r]) * 4 +
                           static_cast<std::size_t>(marketing_[r])];
}

bool MarketEnv::region_op_valid(std::size_t r, RegionOp op) const {
  return region_ops_valid(r)[static_cast<std::size_t>(op)];
}

[[gnu::always_inline]] inline bool MarketEnv::partner_sign_valid(std::size_t j) const {
  return !partner_failed_[j] & (mode_[spec_->partner_region(j)] < Mode::kPartner);
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

// ---- 2. Exogenous processes ---------------------------------------------------------------------

// (Potential growth needs no work here: potential_at() reads it from a table of powers.)
void MarketEnv::exogenous_processes() {
  Rng rng = rng_;  // a local copy the compiler can keep in registers through the loop
  // Plain pointers, so that the compiler keeps them in registers too.
  double* __restrict fx_log = fx_log_.data();
  float* __restrict block = region_blocks_.data();
  const std::size_t block_size = region_block_size(), fx_at = block_fx();
  const int t = t_;
  for (std::size_t r = 0; r < R_; ++r, block += block_size) {
    const RegionModel& rm = spec_->region(r);
    if (rm.fx_sigma > 0 || rm.fx_drift != 0) {
      fx_log[r] += rm.fx_drift + rm.fx_sigma * ziggurat_normal(rng);
      block[fx_at] = clip(fx_log[r], -kLogFxLimit, kLogFxLimit);
    }
    if (t != shock_event_[r]) continue;
    // A shock starts (and lasts shock_duration quarters) or ends. Once it is over, the wait for the
    // next one starts: it can begin from the next quarter on.
    const int duration = spec_->model().shock_duration;
    if (!in_shock_[r]) last_.events |= kEventShock;
    in_shock_[r] = !in_shock_[r] && duration > 0;
    shock_event_[r] =
        in_shock_[r] ? t + duration : t + 1 + std::min(rng.waiting_time(shock_log_keep_[r]), horizon_);
    block[block_shock()] = in_shock_[r] ? 1.f : 0.f;
  }
  rng_ = rng;
  if (t == next_change_quarter_) apply_scripted_changes();
  if (t_ != next_failure_) return;
  next_failure_ = std::numeric_limits<std::int32_t>::max();
  for (std::size_t j = 0; j < P_; ++j) {
    if (partner_failed_[j]) continue;
    if (failure_quarter_[j] != t_) {
      next_failure_ = std::min(next_failure_, failure_quarter_[j]);
      continue;
    }
    partner_failed_[j] = 1;
    last_.events |= kEventPartnerFailure;
    const std::size_t r = spec_->partner_region(j);
    update_best_partner(r);
    if (partner_[r] == static_cast<std::int32_t>(j)) {
      // The channel is gone and its customers with it; the company keeps what it learnt.
      mode_[r] = Mode::kNone;
      toggle_present(r);
      partner_[r] = -1;
      marketing_[r] = 0;
      lose_customers(r);
    }
    refresh_region(r);
  }
}

// The scenario's scripted shocks and devaluations of this quarter, after the random processes.
void MarketEnv::apply_scripted_changes() {
  const auto changes = spec_->scripted_changes();
  for (; next_change_ < changes.size() && changes[next_change_].quarter == t_; ++next_change_) {
    const MarketSpec::ScriptedChange& c = changes[next_change_];
    float* block = region_block(c.region);
    if (c.kind == ScriptedKind::kDevaluation) {
      fx_log_[c.region] += c.log_fx_change;
      block[block_fx()] = clip(fx_log_[c.region], -kLogFxLimit, kLogFxLimit);
      last_.events |= kEventDevaluation;
      continue;
    }
    // A shock starts now, or the one under way lasts at least as long as the scripted one. When it
    // ends, the wait for the next random shock starts afresh (the hazard is memoryless).
    if (in_shock_[c.region]) {
      shock_event_[c.region] = std::max(shock_event_[c.region], t_ + c.quarters);
      continue;
    }
    in_shock_[c.region] = 1;
    shock_event_[c.region] = t_ + c.quarters;
    block[block_shock()] = 1.f;
    last_.events |= kEventShock;
  }
  next_change_quarter_ = next_change_ < changes.size() ? changes[next_change_].quarter : MarketSpec::kNever;
}

// ---- 3–4. Competition (attraction model) and diffusion (generalised Bass) -----------------------

void MarketEnv::compete_and_diffuse() {
  const ModelParams& m = spec_->model();
  const double demand_sigma = m.demand_noise;
  // First the regions' exponentials (attraction and demand shock), independent of each other, so
  // that the processor overlaps them; then the products.
  Rng rng = rng_;  // a local copy the compiler can keep in registers through the loop
  for (std::size_t i = 0; i < present_count_; ++i) {
    const std::size_t r = present_[i];
    const RegionModel& rm = spec_->region(r);
    // The region's part of the company's utility: marketing, unfamiliarity (which knowledge removes),
    // physical distance (which it does not), the mode's presence.
    const double region_utility = m.beta_marketing * spec_->ln1p_marketing(marketing_[r]) -
                                  m.theta_distance * rm.distance * (1 - knowledge_[r]) - rm.geographic_friction +
                                  spec_->mode(mode_[r]).utility;
    if (demand_sigma > 0) {
      const DoublePair e = portable_exp(
          DoublePair{region_utility, demand_sigma * ziggurat_normal(rng) - 0.5 * demand_sigma * demand_sigma});
      region_attraction_[r] = e[0];
      demand_shock_[r] = e[1];
    } else {
      region_attraction_[r] = portable_exp(region_utility);
      demand_shock_[r] = 1.0;
    }
  }
  rng_ = rng;
  with_product_count(K_, [this](auto products) { diffuse<products>(); });
  // Neighbours above read the penetration at the start of the quarter: the new one goes to a
  // second buffer, swapped in at the end.
  std::swap(penetration_, next_penetration_);
}

// The products of every present region, given the regions' exponentials: kProducts is K, or 0 for
// a count known only at run time (see with_product_count).
template <std::size_t kProducts>
void MarketEnv::diffuse() {
  const std::size_t K = kProducts > 0 ? kProducts : K_;
  const ModelParams& m = spec_->model();
  const std::size_t neighbours = spec_->neighbours_per_region();
  // The rows of penetration neighbours are heard from: their own at the start of the quarter, or
  // the assumed ones of a search aid.
  const bool assumed = !assumed_penetration_.empty();
  const double* heard_base = assumed ? &assumed_penetration_[static_cast<std::size_t>(t_) * R_ * K] : penetration_.data();
  const std::uint64_t all_slots = neighbours == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << neighbours) - 1;
  for (std::size_t i = 0; i < present_count_; ++i) {
    const std::size_t r = present_[i];
    const Mode mode = mode_[r];
    double* __restrict N = &adopters_[r * K];
    double* __restrict M_eff = &effective_market_[r * K];
    double* __restrict share = &share_[r * K];
    double* __restrict penetration_after = &next_penetration_[r * K];
    const RegionModel& rm = spec_->region(r);
    const ModeParams& mp = spec_->mode(mode);
    const double ln_spend = spec_->ln1p_marketing(marketing_[r]);
    const double region_attraction = region_attraction_[r];
    const double demand_shock = demand_shock_[r];
    const double competitors = incumbents_[r] + m.outside_attraction;
    const double access = in_shock_[r] ? 1.0 - rm.shock_severity : 1.0;
    const double innovation = bass_p_[r] * (1 + m.advertising * ln_spend);
    const double imitation = bass_q_[r];
    const double keep = 1 - mp.churn;
    // The product's attraction, times the partner's where one serves the region; reach likewise.
    const std::int32_t partner = partner_[r];
    const double* product_attraction = partner >= 0 ? partner_product_attraction_.data() + partner * K : spec_->product_attractions();
    const double* reach = partner >= 0 ? partner_reach_.data() + partner * K : mode_reach_.data() + static_cast<std::size_t>(mode) * K;
    const double growth = growth_at(r, t_ + 1);
    // Influence of neighbouring markets, from their penetration at the start of the quarter: the
    // present neighbours only (see heard_slots_), or every one when the penetration is assumed.
    const std::int32_t* near = spec_->neighbour_index(r);
    const double* delta = spec_->neighbour_weight(r);
    double fixed_row[kProducts > 0 ? kProducts : 1];
    double* __restrict influence = kProducts > 0 ? fixed_row : influence_.data();
    // A run-time count of products sums in memory; a fixed one in registers: wide vectors, then a
    // pair (with four lanes and 2 or 3 left over), then an odd product.
    constexpr std::size_t kWides = kProducts / kWideLanes;
    constexpr std::size_t kPairAt = kWides * kWideLanes;
    constexpr bool kTailPair = kProducts - kPairAt >= 2;
    WideDoubles wide_sums[kWides > 0 ? kWides : 1] = {};
    DoublePair pair_sum = {};
    double odd_sum = 0;
    if constexpr (kProducts == 0) std::fill_n(influence, K, 0.0);
    for (std::uint64_t slots = assumed ? all_slots : heard_slots_[r]; slots != 0; slots &= slots - 1) {
      const auto n = static_cast<std::size_t>(std::countr_zero(slots));
      const double weight = delta[n];
      const double* __restrict row = heard_base + static_cast<std::size_t>(near[n]) * K;
      if constexpr (kProducts > 0) {
        for (std::size_t j = 0; j < kWides; ++j)
          wide_sums[j] += splat<WideDoubles>(weight) * load<WideDoubles>(row + kWideLanes * j);
        if constexpr (kTailPair) pair_sum += splat<DoublePair>(weight) * load<DoublePair>(row + kPairAt);
        if constexpr (kProducts % 2 == 1) odd_sum += weight * row[kProducts - 1];
      } else {
        for (std::size_t k = 0; k < K; ++k) influence[k] += weight * row[k];
      }
    }
    if constexpr (kProducts > 0) {
      for (std::size_t j = 0; j < kWides; ++j) store(influence + kWideLanes * j, wide_sums[j]);
      if constexpr (kTailPair) store(influence + kPairAt, pair_sum);
      if constexpr (kProducts % 2 == 1) influence[kProducts - 1] = odd_sum;
    }
    // Share, effective market and new adopters of product k (and the next ones, when T is a vector).
    auto diffuse_product = [&]<typename T>(std::size_t k) {
      const T zero = splat<T>(0.0);
      const T attraction = load<T>(product_attraction + k) * splat<T>(region_attraction);
      const T s = attraction / (attraction + splat<T>(competitors));
      const T m_eff = load<T>(&base_potential_[r * K + k]) * splat<T>(growth) * load<T>(reach + k) * s * splat<T>(access);
      const T adopters = load<T>(N + k) * splat<T>(keep);
      const T per_customer = m_eff > zero ? splat<T>(1.0) / m_eff : zero;
      const T internal = splat<T>(imitation) * adopters * per_customer;
      const T gap = m_eff - adopters;
      const T room = zero < gap ? gap : zero;  // std::max(0.0, gap)
      const T new_adopters = (splat<T>(innovation) + internal + load<T>(influence + k)) * room * splat<T>(demand_shock);
      // Customers beyond a shrunken effective market (a shock, a weaker channel) are lost.
      const T total = adopters + new_adopters;
      const T n = total < zero ? zero : (m_eff < total ? m_eff : total);  // std::clamp(total, 0.0, m_eff)
      store(share + k, s);
      store(M_eff + k, m_eff);
      store(N + k, n);
      store(penetration_after + k, n * per_customer);
    };
    std::size_t k = 0;
    for (; k + kWideLanes <= K; k += kWideLanes) diffuse_product.template operator()<WideDoubles>(k);
    if (kWideLanes > 2 && k + 2 <= K) {
      diffuse_product.template operator()<DoublePair>(k);
      k += 2;
    }
    if (k < K) diffuse_product.template operator()<double>(k);
  }
}

// ---- 5. Money -----------------------------------------------------------------------------------

void MarketEnv::settle_money() {
  const ModelParams& m = spec_->model();
  const auto& products = spec_->scenario().products;
  double revenue = 0, serving = 0, fixed = spec_->scenario().company.overhead, marketing = 0;
  std::fill(region_revenue_.begin(), region_revenue_.end(), 0.0);
  with_product_count(K_, [&](auto products_fixed) {
    const std::size_t K = products_fixed > 0 ? products_fixed : K_;
    for (std::size_t i = 0; i < present_count_; ++i) {
      const std::size_t r = present_[i];
      double gross = 0, serve = 0;
      for (std::size_t k = 0; k < K; ++k) {
        gross += adopters_[r * K + k] * products[k].price;
        serve += adopters_[r * K + k] * products[k].unit_cost;
      }
      const double kept = revenue_kept_[static_cast<std::size_t>(partner_[r] + 1)];
      region_revenue_[r] = gross * portable_exp(fx_log_[r]) * kept;
      revenue += region_revenue_[r];
      serving += serve;
      fixed += spec_->mode(mode_[r]).fixed * spec_->region(r).cost_level;
      marketing += m.marketing_levels[static_cast<std::size_t>(marketing_[r])];
    }
  });
  last_.revenue = revenue;
  last_.serving_costs = serving;
  last_.fixed_costs = fixed;
  last_.marketing_costs = marketing;
  last_.costs = last_.action_costs + fixed + marketing + serving;
  last_.profit = last_.revenue - last_.costs;
  cash_ += last_.profit;  // the accounting identity: cash_{t+1} = cash_t + revenue_t − costs_t
  last_.cash = cash_;
  last_operating_profit_ = revenue - serving - fixed - marketing;
}

// ---- 6. Knowledge -------------------------------------------------------------------------------

void MarketEnv::learn() {
  const ModelParams& m = spec_->model();
  // Only the regions researched this quarter (all without presence) and the present ones learn:
  // without presence the rate is 0 and knowledge stays as it is.
  for (std::size_t i = 0; i < researched_count_; ++i) {
    const std::size_t r = researched_list_[i];
    knowledge_[r] += learning_rate_[kModeCount] * (1 - knowledge_[r]);
    researched_[r] = 0;
    region_block(r)[kBlockKnowledge] = static_cast<float>(knowledge_[r]);
    refresh_mask_row(r);
  }
  researched_count_ = 0;
  // The adopter survey errs less the better the market is known (pilots and research buy
  // information); one error per present region and quarter, common to its products. Only the
  // present regions' surveys are observed.
  Rng rng = rng_;  // a local copy the compiler can keep in registers through the loop
  for (std::size_t i = 0; i < present_count_; ++i) {
    const std::size_t r = present_[i];
    knowledge_[r] += learning_rate_[static_cast<std::size_t>(mode_[r])] * (1 - knowledge_[r]);
    region_block(r)[kBlockKnowledge] = static_cast<float>(knowledge_[r]);
    const double sigma = m.observation_noise * (1 - knowledge_[r]);
    survey_error_[r] = sigma > 0 ? portable_exp(sigma * ziggurat_normal(rng) - 0.5 * sigma * sigma) : 1.0;
  }
  rng_ = rng;
}

// ---- The quarter --------------------------------------------------------------------------------

StepResult MarketEnv::step(const Action& action, std::span<float> observation) {
  const ModelParams& m = spec_->model();
  const CompanySpec& company = spec_->scenario().company;
  last_ = QuarterReport{};
  last_.quarter = t_;
  const double potential_before = m.shaping ? footprint_potential() : 0.0;

  const bool valid = apply_action(action);
  if (!valid) {
    ++invalid_actions_;
    last_.invalid_action = true;
    last_.events |= kEventInvalidAction;
  }
  exogenous_processes();
  list_present_regions();  // the modes are settled for the quarter: actions and failures are done
  compete_and_diffuse();
  settle_money();
  learn();
  ++t_;

  StepResult result;
  result.invalid_action = !valid;
  result.terminated = cash_ < -company.credit_line;
  result.truncated = !result.terminated && t_ >= spec_->scenario().horizon;
  double reward = last_.profit - m.loss_penalty * std::max(0.0, -last_.profit);
  if (result.terminated) {
    reward -= company.bankruptcy_penalty;
    last_.events |= kEventBankruptcy;
  }
  if (result.truncated) reward += m.terminal_value_quarters * std::max(0.0, last_operating_profit_);
  result.reward = reward / m.reward_scale;
  if (m.shaping) {
    // γΦ(s') − Φ(s), with Φ = 0 once the episode has terminated: optimal policies are unchanged.
    const double potential_after = result.terminated ? 0.0 : footprint_potential();
    result.shaping = spec_->scenario().discount * potential_after - potential_before;
    result.reward += result.shaping;
    last_.shaping = result.shaping;
  }
  result.events = last_.events;
  last_.reward = result.reward;
  write_observation(observation);
  return result;
}

void MarketEnv::set_assumed_neighbour_penetration(std::vector<double> penetration) {
  const auto horizon = static_cast<std::size_t>(spec_->scenario().horizon);
  if (!penetration.empty() && penetration.size() != horizon * R_ * K_)
    throw std::invalid_argument("assumed neighbour penetration: needs horizon × regions × products values");
  assumed_penetration_ = std::move(penetration);
}

double MarketEnv::footprint_potential() const {
  // A subsidiary in r is worth value_estimate × its setup cost; other modes the share of that
  // their reach gives. Negative estimates count as zero: a footprint is never worth less than none.
  double phi = 0;
  const double full_reach = spec_->mode(Mode::kSubsidiary).reach;
  for (std::size_t r = 0; r < R_; ++r) {
    if (mode_[r] == Mode::kNone || full_reach <= 0) continue;
    const double value = std::max(0.0, prior_.regions[r].value_estimate) * spec_->region(r).subsidiary_setup;
    phi += value * spec_->mode(mode_[r]).reach / full_reach;
  }
  return phi / spec_->model().reward_scale;
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
        o[kBlockAdopters + k] = potential > 0 ? clip(adopters_[r * K + k] / potential * survey_error_[r], 0.f, 1.f) : 0.f;
      }
      o[kBlockAdopters + K] = clip(region_revenue_[r] / m.reward_scale, 0.f, kRegionRevenueLimit);
    }
  });
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

std::unique_ptr<MarketEnv> make_market_env(const Scenario& scenario, ActionView view) {
  return std::make_unique<MarketEnv>(std::make_shared<const MarketSpec>(scenario), view);
}

}  // namespace expanse
