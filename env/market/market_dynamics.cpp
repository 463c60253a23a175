// Steps 2–6 of the quarter: what the markets do — exogenous processes and scripted events,
// competition (attraction model) and diffusion (generalised Bass), money, knowledge.
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "common/portable_math.hpp"
#include "common/ziggurat.hpp"
#include "env/market/market_env.hpp"
#include "env/market/market_env_internal.hpp"

namespace expanse {
using namespace market_detail;

namespace {

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

// What a region hears from its neighbours, per product: the sum over its set neighbour slots, in
// slot order, of the slot's weight times that neighbour's row of `heard_base` (K per region). A
// run-time count of products (kProducts = 0) sums in memory; a fixed one in registers: wide
// vectors, then a pair (with four lanes and 2 or 3 left over), then an odd product.
template <std::size_t kProducts>
[[gnu::always_inline]] inline void neighbour_influence(std::uint64_t slots, const std::int32_t* near,
                                                       const double* delta, const double* heard_base, std::size_t K,
                                                       double* __restrict influence) {
  constexpr std::size_t kWides = kProducts / kWideLanes;
  constexpr std::size_t kPairAt = kWides * kWideLanes;
  constexpr bool kTailPair = kProducts - kPairAt >= 2;
  WideDoubles wide_sums[kWides > 0 ? kWides : 1] = {};
  DoublePair pair_sum = {};
  double odd_sum = 0;
  if constexpr (kProducts == 0) std::fill_n(influence, K, 0.0);
  for (; slots != 0; slots &= slots - 1) {
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
}

}  // namespace

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
    shock_event_[r] = in_shock_[r]
                          ? t + duration
                          : t + 1 + std::min(rng.waiting_time(spec_->shock_log_keep(r)), spec_->scenario().horizon);
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
  const double* heard_base =
      assumed ? &assumed_penetration_[static_cast<std::size_t>(t_) * R_ * K] : penetration_.data();
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
    const double* product_attraction =
        partner >= 0 ? partner_product_attraction_.data() + partner * K : spec_->product_attractions();
    const double* reach = partner >= 0 ? partner_reach_.data() + partner * K : spec_->mode_reach(mode);
    const double growth = growth_at(r, t_ + 1);
    // Influence of neighbouring markets, from their penetration at the start of the quarter: the
    // present neighbours only (see heard_slots_), or every one when the penetration is assumed.
    double fixed_row[kProducts > 0 ? kProducts : 1];
    double* __restrict influence = kProducts > 0 ? fixed_row : influence_.data();
    neighbour_influence<kProducts>(assumed ? all_slots : heard_slots_[r], spec_->neighbour_index(r),
                                   spec_->neighbour_weight(r), heard_base, K, influence);
    // Share, effective market and new adopters of product k (and the next ones, when T is a vector).
    auto diffuse_product = [&]<typename T>(std::size_t k) {
      const T zero = splat<T>(0.0);
      const T attraction = load<T>(product_attraction + k) * splat<T>(region_attraction);
      const T s = attraction / (attraction + splat<T>(competitors));
      const T m_eff =
          load<T>(&base_potential_[r * K + k]) * splat<T>(growth) * load<T>(reach + k) * s * splat<T>(access);
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
      const double kept = spec_->revenue_kept(partner_[r]);
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
    knowledge_[r] += spec_->learning_rate(kModeCount) * (1 - knowledge_[r]);
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
    knowledge_[r] += spec_->learning_rate(static_cast<std::size_t>(mode_[r])) * (1 - knowledge_[r]);
    region_block(r)[kBlockKnowledge] = static_cast<float>(knowledge_[r]);
    const double sigma = m.observation_noise * (1 - knowledge_[r]);
    survey_error_[r] = sigma > 0 ? portable_exp(sigma * ziggurat_normal(rng) - 0.5 * sigma * sigma) : 1.0;
  }
  rng_ = rng;
}

void MarketEnv::set_assumed_neighbour_penetration(std::vector<double> penetration) {
  const auto horizon = static_cast<std::size_t>(spec_->scenario().horizon);
  if (!penetration.empty() && penetration.size() != horizon * R_ * K_)
    throw std::invalid_argument("assumed neighbour penetration: needs horizon × regions × products values");
  assumed_penetration_ = std::move(penetration);
}

}  // namespace expanse
