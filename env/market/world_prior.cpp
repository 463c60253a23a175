#include "env/market/world_prior.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace expanse {
namespace {

// Share of the potential adopted after t years on the closed-form Bass curve.
double bass_fraction(double p, double q, double t) {
  const double e = std::exp(-(p + q) * t);
  return (1 - e) / (1 + (q / p) * e);
}

}  // namespace

void set_value_estimate(const MarketSpec& spec, std::size_t r, RegionPrior& rp) {
  // A subsidiary entered today at the prior medians: margin on the customers a Bass curve reaches at
  // mid-horizon, over the horizon, less fixed costs, per US$ of setup.
  const ModelParams& m = spec.model();
  const RegionModel& rm = spec.region(r);
  const double years = spec.scenario().horizon / 4.0;
  const double adopted = bass_fraction(rp.bass_p.median, rp.bass_q.median, years / 2);
  const double company = std::exp(-m.theta_distance * rm.distance - rm.geographic_friction + m.subsidiary.utility);
  double quarterly_margin = 0;
  for (std::size_t k = 0; k < spec.product_count(); ++k) {
    const ProductSpec& p = spec.scenario().products[k];
    const double a = spec.product_attraction(k) * company;
    const double share = a / (a + rp.incumbent_attraction.median + m.outside_attraction);
    quarterly_margin +=
        spec.potential_median(r, k) * rp.potential_multiplier.median * share * adopted * (p.price - p.unit_cost);
  }
  const double setup = rm.subsidiary_setup;
  const double value = spec.scenario().horizon * (quarterly_margin - m.subsidiary.fixed * rm.cost_level) - setup;
  rp.value_estimate = value / setup;
  rp.value_uncertainty = std::abs(rp.value_estimate + 1) * rp.potential_multiplier.sigma;
}

WorldPrior default_world_prior(const MarketSpec& spec) {
  const ModelParams& m = spec.model();
  const double spread = m.prior_spread;
  WorldPrior prior;
  prior.source = "default (country data)";
  prior.regions.resize(spec.region_count());
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    const RegionModel& rm = spec.region(r);
    const RegionOverrides& fixed = spec.scenario().regions[r].fixed;
    const CountryFeatures& c = spec.scenario().regions[r].country;
    RegionPrior& rp = prior.regions[r];
    // Distant markets are less well understood: the potential's spread grows with distance.
    rp.potential_multiplier = fixed.potential_multiplier ? LogNormalPrior{*fixed.potential_multiplier, 0.0}
                                                         : LogNormalPrior{1.0, spread * (0.2 + 0.4 * rm.distance)};
    // Diffusion is faster where digital infrastructure is denser (a mild elasticity of 0.25).
    const double digital_speed = std::pow(rm.digital, 0.25);
    rp.bass_p =
        fixed.bass_p ? LogNormalPrior{*fixed.bass_p, 0.0} : LogNormalPrior{m.bass_p * digital_speed, 0.3 * spread};
    rp.bass_q =
        fixed.bass_q ? LogNormalPrior{*fixed.bass_q, 0.0} : LogNormalPrior{m.bass_q * digital_speed, 0.2 * spread};
    // Local champions are stronger in large economies (attraction ∝ GDP^0.3, 1 at US$ 1 trn).
    rp.incumbent_attraction =
        fixed.incumbent_attraction
            ? LogNormalPrior{*fixed.incumbent_attraction, 0.0}
            : LogNormalPrior{m.incumbent_attraction * std::pow(c.gdp_usd / 1e12, 0.3), 0.3 * spread};

    set_value_estimate(spec, r, rp);
  }

  prior.partners.resize(spec.partner_count());
  for (std::size_t j = 0; j < spec.partner_count(); ++j) {
    const PartnerSpec& p = spec.scenario().partners[j];
    PartnerPrior& pp = prior.partners[j];
    pp.effectiveness_mean = p.effectiveness;
    pp.effectiveness_sd = 0.15 * spread;
    pp.score = p.effectiveness.empty() ? 0.0
                                       : std::accumulate(p.effectiveness.begin(), p.effectiveness.end(), 0.0) /
                                             static_cast<double>(p.effectiveness.size());
  }
  return prior;
}

}  // namespace expanse
