#pragma once
// Controlled experiments that compare the simulator with the published stylised facts it is built
// on (docs/model.md, "Fidelity"): Bass diffusion, advertising and price elasticities, gravity,
// Uppsala-style staged entry and cross-country influence. `expanse fidelity` prints them; each is
// also a test with the same tolerance.
#include <string>
#include <vector>

#include "env/market/scenario.hpp"

namespace expanse {

struct FidelityCheck {
  std::string fact;       // what is measured, with its unit
  std::string published;  // the published value and its source
  double measured = 0;
  double low = 0, high = 0;    // the tolerance: pass when low ≤ measured ≤ high
  std::string not_applicable;  // why the scenario cannot test this fact (too few markets), or ""
  bool applicable() const { return not_applicable.empty(); }
  bool pass() const { return applicable() && measured >= low && measured <= high; }
  std::string tolerance() const;  // "[0.05, 0.30]", "> 0"
};

// Each experiment derives its own controlled variant of `scenario` (noise off or averaged over
// seeds, as the experiment says) and keeps the scenario's calibration otherwise.
std::vector<FidelityCheck> check_bass_diffusion(const Scenario& scenario);
FidelityCheck check_advertising_elasticity(const Scenario& scenario);
FidelityCheck check_price_elasticity(const Scenario& scenario);
std::vector<FidelityCheck> check_gravity(const Scenario& scenario);
std::vector<FidelityCheck> check_uppsala(const Scenario& scenario);
FidelityCheck check_cross_country_influence(const Scenario& scenario);

std::vector<FidelityCheck> run_fidelity_checks(const Scenario& scenario);
}  // namespace expanse
