// The market env: construction, the episode's start, and the quarter — the steps of the model in
// order (docs/model.md). The steps themselves are in market_actions.cpp (what the company does),
// market_dynamics.cpp (what the markets do) and market_observation.cpp (what the agent sees).
#include "env/market/market_env.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "env/market/market_env_internal.hpp"
#include "env/market/world_prior_file.hpp"

namespace expanse {
using namespace market_detail;

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
  build_spaces();
  mask_.resize(mask_size(action_space_));
  std::vector<float> observation(observation_space_.low.size());
  reset(0, observation);
}

std::string MarketEnv::name() const {
  return spec_->scenario().name + " (" + to_string(view_) + ")";
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
  for (std::size_t r = 0; r < R_; ++r) shock_event_[r] = rng.waiting_time(spec_->shock_log_keep(r));
  next_failure_ = std::numeric_limits<std::int32_t>::max();
  for (std::size_t j = 0; j < P_; ++j) {
    failure_quarter_[j] = rng.waiting_time(spec_->failure_log_keep(j));
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

std::unique_ptr<MarketEnv> make_market_env(const Scenario& scenario, ActionView view) {
  return std::make_unique<MarketEnv>(std::make_shared<const MarketSpec>(scenario), view);
}

}  // namespace expanse
