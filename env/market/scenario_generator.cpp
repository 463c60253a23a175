#include "env/market/scenario_generator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/rng.hpp"

namespace expanse {
namespace {

// Spreads loosely matched to shared/data/countries.csv (41 markets): log GDP, log GDP per capita,
// broadband and server density, days to start a business, growth, inflation, FX volatility.
struct Pool {
  const char* subregion;
  const char* language;
  double lat, lng;
};
constexpr Pool kPools[] = {
    {"Eastern Asia", "ja", 36, 138},     {"South-eastern Asia", "id", 0, 110},
    {"Southern Asia", "hi", 22, 78},     {"Western Europe", "de", 50, 8},
    {"Northern Europe", "en", 58, 10},   {"Southern Europe", "it", 41, 13},
    {"Eastern Europe", "pl", 52, 25},    {"Western Asia", "ar", 26, 45},
    {"Northern America", "en", 45, -95}, {"Latin America and the Caribbean", "es", -10, -60},
    {"Sub-Saharan Africa", "sw", 0, 25}, {"Australia and New Zealand", "en", -30, 145},
};

}  // namespace

std::vector<RegionSpec> generate_regions(int count, std::uint64_t seed) {
  std::vector<RegionSpec> regions;
  regions.reserve(static_cast<std::size_t>(count));
  Rng rng(derive_seed(seed, 0x5E6));
  for (int i = 0; i < count; ++i) {
    RegionSpec r;
    CountryFeatures& c = r.country;
    char id[16];
    std::snprintf(id, sizeof id, "S%04d", i + 1);
    c.id = id;
    c.name = std::string("Synthetic ") + std::to_string(i + 1);
    const Pool& pool = kPools[rng.below(std::size(kPools))];
    c.subregion = pool.subregion;
    c.languages = {pool.language};
    c.lat = std::clamp(pool.lat + 8 * rng.normal(), -60.0, 70.0);
    c.lng = std::remainder(pool.lng + 12 * rng.normal(), 360.0);
    c.rcep_member = rng.bernoulli(0.2);
    c.gdp_per_capita_usd = std::clamp(12000 * std::exp(1.0 * rng.normal()), 500.0, 150000.0);
    c.population = std::clamp(3e7 * std::exp(1.2 * rng.normal()), 3e5, 1.5e9);
    c.gdp_usd = c.gdp_per_capita_usd * c.population;
    c.gdp_growth_pct = std::clamp(3.0 + 1.8 * rng.normal(), -3.0, 9.0);
    c.broadband_per100 = std::clamp(5 + 40 * rng.uniform(), 0.5, 50.0);
    c.secure_servers_per_million = std::clamp(2000 * std::exp(1.8 * rng.normal()), 5.0, 300000.0);
    c.days_to_start_business = std::clamp(12 * std::exp(0.6 * rng.normal()), 1.0, 90.0);
    c.inflation_pct = std::clamp(4 * std::exp(0.7 * rng.normal()), 0.0, 60.0);
    c.fx_volatility = rng.bernoulli(0.1) ? 0.0 : std::clamp(0.08 * std::exp(0.6 * rng.normal()), 0.0, 0.6);
    regions.push_back(std::move(r));
  }
  return regions;
}

void generate_partners(Scenario& scenario, int per_region) {
  const std::size_t products = scenario.products.size();
  for (std::size_t r = 0; r < scenario.regions.size(); ++r) {
    const std::string& region = scenario.regions[r].country.id;
    const bool has_partner = std::any_of(scenario.partners.begin(), scenario.partners.end(),
                                         [&](const PartnerSpec& p) { return p.region == region; });
    if (has_partner || region.empty()) continue;  // an id-less region is reported by the loader
    Rng rng(derive_seed(scenario.seed, 0xBA57 + r));
    for (int j = 0; j < per_region; ++j) {
      PartnerSpec p;
      p.id = region + "-P" + std::to_string(j + 1);
      p.region = region;
      p.kind = static_cast<PartnerKind>((r + static_cast<std::size_t>(j)) % 3);
      // Fees by kind: resellers keep the most, marketplaces the least (documented in docs/model.md).
      switch (p.kind) {
        case PartnerKind::kReseller: p.fee = rng.uniform(0.25, 0.35); break;
        case PartnerKind::kIntegrator: p.fee = rng.uniform(0.20, 0.30); break;
        case PartnerKind::kCloudMarketplace: p.fee = rng.uniform(0.12, 0.20); break;
      }
      p.failure_rate = rng.uniform(0.005, 0.02);
      const double base = rng.uniform(0.3, 0.85);
      p.effectiveness.resize(products);
      for (double& e : p.effectiveness) e = std::clamp(base + rng.uniform(-0.1, 0.1), 0.0, 1.0);
      p.synthetic = true;
      scenario.partners.push_back(std::move(p));
    }
  }
}

}  // namespace expanse
