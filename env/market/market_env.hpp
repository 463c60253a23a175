#pragma once
// The market-expansion environment (docs/model.md): one quarter per step, in the documented order
// actions → exogenous processes → competition → diffusion → money → knowledge → end. One model,
// three action views (Discrete with mask, MultiDiscrete, Box), so agents compare on the same
// dynamics. The world (potentials, Bass coefficients, competitors, partner effectiveness) is drawn
// from a WorldPrior at every reset. Implemented in four files: market_env.cpp (construction, reset,
// the quarter's order), market_actions.cpp (the company's operations), market_dynamics.cpp and
// market_observation.cpp; each action view decodes into the operations in its own file
// (action_views.hpp).
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "env/env.hpp"
#include "env/market/market_spec.hpp"
#include "env/market/world_prior.hpp"

namespace expanse {

enum class ActionView { kDiscrete, kMultiDiscrete, kBox };
const char* to_string(ActionView view);
// "discrete", "multidiscrete" or "box"; throws std::invalid_argument otherwise.
ActionView parse_action_view(const std::string& text);

// Targets of the MultiDiscrete view's first component per region.
enum class ModeTarget : std::int32_t { kKeep = 0, kResearch, kPilot, kPartner, kSubsidiary, kExit };
constexpr std::int32_t kModeTargetCount = 6;
// Operations of the Discrete view per region (action = 1 + 6·region + op).
enum class RegionOp : std::int32_t { kResearch = 0, kPilot, kSubsidiary, kExit, kMarketingUp, kMarketingDown };
constexpr std::int32_t kRegionOpCount = 6;
using RegionOps = std::array<std::uint8_t, kRegionOpCount>;  // one flag per RegionOp

// The accounting of the last quarter stepped.
struct QuarterReport {
  int quarter = 0;  // t at the start of the quarter
  double revenue = 0;
  double costs = 0;         // everything below, summed
  double action_costs = 0;  // setup, exit and research paid this quarter
  double fixed_costs = 0;   // modes' fixed costs and the head-office overhead
  double marketing_costs = 0;
  double serving_costs = 0;
  double profit = 0;
  double cash = 0;  // after the quarter
  double reward = 0;
  double shaping = 0;  // included in reward; not part of the return
  std::uint32_t events = 0;
  bool invalid_action = false;
};

namespace market_views {
struct DiscreteView;
struct MultiDiscreteView;
struct BoxView;
}  // namespace market_views

class MarketEnv final : public Env {
 public:
  MarketEnv(std::shared_ptr<const MarketSpec> spec, ActionView view);
  MarketEnv(std::shared_ptr<const MarketSpec> spec, ActionView view, WorldPrior prior);

  std::string name() const override;
  const Box& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  void reset(std::uint64_t seed, std::span<float> observation) override;
  StepResult step(const Action& action, std::span<float> observation) override;
  void action_mask(std::span<std::uint8_t> mask) const override;
  std::unique_ptr<Env> clone() const override { return std::make_unique<MarketEnv>(*this); }
  // Regions are the entities: their observation blocks, and per view the outputs that act on them
  // (Discrete: the region's six operations and its partners, by their order in the region, the
  // later ones sharing the last of kPartnerSlots; MultiDiscrete: the region's two components; Box:
  // its two values). Discrete's hold is the one global output.
  EntityLayout entity_layout() const override;
  static constexpr int kPartnerSlots = 3;
  using Env::action_mask;
  using Env::reset;
  using Env::step;

  // Inspection, for tests, the CLI, KPIs and planners.
  const MarketSpec& spec() const { return *spec_; }
  const WorldPrior& prior() const { return prior_; }
  ActionView view() const { return view_; }
  const std::vector<std::string>& observation_names() const { return observation_names_; }
  std::size_t region_block_offset() const { return kGlobalFeatures; }
  std::size_t region_block_size() const { return block_fx() + 1; }
  std::string describe_action(const Action& action) const;

  const QuarterReport& last_quarter() const { return last_; }
  int quarter() const { return t_; }
  double cash() const { return cash_; }
  Mode mode(std::size_t r) const { return mode_[r]; }
  double knowledge(std::size_t r) const { return knowledge_[r]; }
  int marketing_level(std::size_t r) const { return marketing_[r]; }
  int signed_partner(std::size_t r) const { return partner_[r]; }
  bool partner_failed(std::size_t j) const { return partner_failed_[j] != 0; }
  bool shock_active(std::size_t r) const { return in_shock_[r] != 0; }
  double fx(std::size_t r) const { return std::exp(fx_log_[r]); }
  double adopters(std::size_t r, std::size_t k) const { return adopters_[r * K_ + k]; }
  double effective_market(std::size_t r, std::size_t k) const { return effective_market_[r * K_ + k]; }
  double attainable_share(std::size_t r, std::size_t k) const { return share_[r * K_ + k]; }
  double potential(std::size_t r, std::size_t k) const { return potential_at(r, k, t_); }
  double region_revenue(std::size_t r) const { return region_revenue_[r]; }  // last quarter, US$ m
  // The episode's drawn world, for generating synthetic history and checking recovery.
  double true_effectiveness(std::size_t j, std::size_t k) const;
  double true_bass_p(std::size_t r) const { return region_value(r, kBassP); }  // annual
  double true_bass_q(std::size_t r) const { return region_value(r, kBassQ); }  // annual
  double true_incumbent_attraction(std::size_t r) const { return region_value(r, kIncumbents); }
  // Bit m set when region r has been in mode m during the episode.
  std::uint8_t modes_used(std::size_t r) const { return modes_used_[r]; }
  int invalid_actions() const { return invalid_actions_; }
  // The partner the MultiDiscrete and Box views sign: highest prior score, not failed; -1 if none.
  int best_available_partner(std::size_t r) const { return best_partner_[r]; }
  // Φ(s): the prior's estimate of the value of the current footprint (reward units), the potential
  // of the optional shaping (Ng, Harada & Russell 1999).
  double footprint_potential() const;
  // A search aid (agents/baselines/exhaustive_plan): cross-country influence computed from given
  // neighbour penetrations — at the start of quarter t, region r, product k:
  // penetration[(t·R + r)·K + k], for every quarter of the horizon — instead of the neighbours' own,
  // present or not. For upper bounds; empty (the default) turns it off; kept across reset().
  void set_assumed_neighbour_penetration(std::vector<double> penetration);

 private:
  // The action views decode an action into the operations below (action_views.hpp).
  friend struct market_views::DiscreteView;
  friend struct market_views::MultiDiscreteView;
  friend struct market_views::BoxView;
  static constexpr std::size_t kGlobalFeatures = 3;

  // What the agent sees (market_observation.cpp).
  void build_spaces();
  // The action (market_actions.cpp).
  bool apply_action(const Action& action);  // through the view's decoder (action_views.hpp)
  bool research(std::size_t r);
  bool enter(std::size_t r, Mode target, int partner);
  bool exit_region(std::size_t r);
  bool set_marketing(std::size_t r, int level);
  void lose_customers(std::size_t r);
  // What the markets do (market_dynamics.cpp).
  void exogenous_processes();
  void apply_scripted_changes();
  void compete_and_diffuse();
  template <std::size_t kProducts>
  void diffuse();
  void settle_money();
  void learn();
  // What the agent sees (market_observation.cpp).
  void write_observation(std::span<float> observation);
  // Rewrites the state in region r's observation block and its part of the action mask, after its
  // mode or its partners changed; refresh_mask_row() rewrites its row of the mask alone, after its
  // marketing level or research flag changed.
  void refresh_region(std::size_t r);
  void refresh_mask_row(std::size_t r);
  float* region_block(std::size_t r) { return &region_blocks_[r * region_block_size()]; }
  // Where each value sits in a region's observation block (the layout build_spaces() names): the
  // mode one-hot, knowledge, marketing, the observed adopters per product, the last revenue, the
  // fixed features, then the shock flag, the best partner's score, whether a partner is signed and
  // the log exchange rate.
  static constexpr std::size_t kBlockKnowledge = kModeCount, kBlockMarketing = kModeCount + 1,
                               kBlockAdopters = kModeCount + 2;
  std::size_t block_revenue() const { return kBlockAdopters + K_; }
  std::size_t block_fixed() const { return block_revenue() + 1; }
  std::size_t block_shock() const { return block_fixed() + kFixedRegionFeatures; }
  std::size_t block_partner_score() const { return block_shock() + 1; }
  std::size_t block_partner_signed() const { return block_shock() + 2; }
  std::size_t block_fx() const { return block_shock() + 3; }
  // Validity of the Discrete view's actions (market_actions.cpp; the inline two in
  // market_env_internal.hpp).
  bool discrete_valid(std::int32_t a) const;
  const RegionOps& region_ops_valid(std::size_t r) const;
  bool region_op_valid(std::size_t r, RegionOp op) const;
  bool partner_sign_valid(std::size_t j) const;
  void update_best_partner(std::size_t r);
  // Region n enters (from no presence) or leaves: its presence bit and its listeners' heard slots.
  void toggle_present(std::size_t n);
  void list_present_regions();
  // Region r's market growth from reset to quarter t (its factor to the power t), and m_{r,k} then.
  double growth_at(std::size_t r, int t) const { return spec_->growth_power(r, t); }
  double potential_at(std::size_t r, std::size_t k, int t) const {
    return spec_->potential_median(r, k) * region_value(r, kPotentialMultiplier) * growth_at(r, t);
  }
  // The world is drawn at reset as uniforms, in a fixed order (per region its four values, then per
  // partner its products' effectiveness). They are turned into values when the episode first needs
  // them: a region's when it is entered, a partner's when it is signed. Many reset draws are never
  // needed (most partners are never signed), and the transform (a normal quantile and an
  // exponential) is what costs.
  enum RegionDraw : std::size_t { kPotentialMultiplier, kBassP, kBassQ, kIncumbents, kRegionDraws };  // RegionPrior::draws()
  double region_value(std::size_t r, RegionDraw d) const;
  void draw_region(std::size_t r);

  std::shared_ptr<const MarketSpec> spec_;
  WorldPrior prior_;
  ActionView view_;
  std::size_t R_ = 0, K_ = 0, P_ = 0;
  Box observation_space_;
  Space action_space_;
  std::vector<std::string> observation_names_;
  // The values of a region's observation block fixed for the env's life: prior estimates and CAGE
  // distances, clipped to their bounds (written by build_spaces()).
  static constexpr std::size_t kFixedRegionFeatures = 9;

  // The world of this episode: the uniforms drawn at reset (R × kRegionDraws, then P × K), and the
  // values of the regions entered so far (see draw_region()).
  std::vector<double> world_uniforms_;
  std::vector<std::uint8_t> region_drawn_;
  std::vector<double> bass_p_, bass_q_;  // quarterly
  std::vector<double> incumbents_;
  std::vector<double> partner_product_attraction_;  // P × K, product attraction · exp(β_partner · effectiveness)
  std::vector<double> partner_reach_;               // P × K, the partner mode's reach · effectiveness

  // State.
  Rng rng_;
  int t_ = 0;
  double cash_ = 0;
  double last_operating_profit_ = 0;
  int invalid_actions_ = 0;
  std::vector<Mode> mode_;
  std::vector<std::uint8_t> modes_used_;
  std::vector<double> knowledge_;
  std::vector<std::int8_t> marketing_;
  std::vector<std::int32_t> partner_;
  // Per region: whether a shock cuts its access, and the quarter its next shock starts (when not in
  // one) or its shock ends: the only quarters with work for its shocks.
  std::vector<std::uint8_t> in_shock_;
  std::vector<std::int32_t> shock_event_;
  std::vector<std::int32_t> failure_quarter_;  // quarter each partner fails
  std::int32_t next_failure_ = 0;              // the earliest failure quarter of a partner still alive
  std::size_t next_change_ = 0;                // the next of the spec's scripted changes to apply
  std::int32_t next_change_quarter_ = 0;       // its quarter (MarketSpec::kNever when none is left)
  std::vector<double> fx_log_;
  std::vector<std::uint8_t> researched_;
  std::vector<std::uint32_t> researched_list_;  // the regions researched this quarter
  std::size_t researched_count_ = 0;
  std::vector<double> region_revenue_;
  std::vector<double> survey_error_;  // multiplicative error of this quarter's adopter survey
  std::vector<std::uint8_t> partner_failed_;
  std::vector<std::int32_t> best_partner_;  // per region, see best_available_partner()
  std::vector<float> best_partner_score_;   // per region, its prior score (0 without one): observed
  std::vector<double> base_potential_;      // R × K, m_{r,k} at reset, for the regions drawn
  std::vector<double> adopters_;            // R × K
  std::vector<double> effective_market_;    // R × K, M_eff of the last quarter
  std::vector<double> share_;               // R × K, attainable share of the last quarter
  std::vector<double> penetration_;         // R × K, N / M_eff at the end of the last quarter
  std::vector<double> next_penetration_;    // R × K, this quarter's, written by compete_and_diffuse()
  // The regions where the company is present, ascending: the loops of the quarter run over them
  // rather than testing every region (a random pattern the branch predictor cannot learn).
  std::vector<std::uint32_t> present_;
  std::size_t present_count_ = 0;
  std::vector<std::uint64_t> present_bits_;  // a bit per region, kept as regions enter and leave
  // Per region, a bit per neighbour slot (MarketSpec::neighbour_index), set while that neighbour is
  // present. The rows of absent regions are zero (since reset, exit or partner failure) and add
  // exactly nothing to the influence a region hears, so diffuse() sums the set slots alone, in slot
  // order: the same sum, with fewer terms.
  std::vector<std::uint64_t> heard_slots_;
  // Scratch of compete_and_diffuse(): per region, e^(utility) and the demand shock; per product,
  // what one region hears from its neighbours.
  std::vector<double> region_attraction_, demand_shock_;
  std::vector<double> influence_;
  std::vector<double> assumed_penetration_;  // see set_assumed_neighbour_penetration()
  // The action mask (Discrete and MultiDiscrete views) and the regions' observation blocks, kept up
  // to date as the state changes rather than rebuilt every step, when most regions change nothing
  // but their exchange rate: a step copies them out. The blocks hold everything but the present
  // regions' adopters and revenue, which write_observation() adds.
  std::vector<std::uint8_t> mask_;
  std::vector<float> region_blocks_;
  // What reset() copies into best_partner_, best_partner_score_, region_blocks_ and mask_.
  std::vector<std::int32_t> reset_best_partner_;
  std::vector<float> reset_best_partner_score_;
  std::vector<float> reset_blocks_;
  std::vector<std::uint8_t> reset_mask_;
  QuarterReport last_;
};

// Builds a MarketEnv from a scenario with the default prior.
std::unique_ptr<MarketEnv> make_market_env(const Scenario& scenario, ActionView view);

}  // namespace expanse
