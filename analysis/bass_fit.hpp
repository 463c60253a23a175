#pragma once
// Bass coefficients and the market-size multiplier of one historical entry (all its products),
// from the adopter series.
#include <string>
#include <vector>

#include "analysis/history.hpp"

namespace expanse {

struct EntrySeries {
  std::vector<EntryQuarter> quarters;  // observed adopters of one product, by quarter since entry
  std::vector<double> base_market;     // the model's effective market at multiplier 1, per quarter
};

struct BassGuess {
  double p, q;            // quarterly coefficients to start from (the prior medians)
  double multiplier = 1;  // the potential multiplier to start from
  double sigma_p = 0.3, sigma_q = 0.2, sigma_multiplier = 0.5;  // log-scale prior spreads
};

struct BassEstimate {
  double p = 0, q = 0;    // quarterly
  double multiplier = 0;  // of the market potential
  int observations = 0;   // quarter-to-quarter increments used
  bool ok = false;
  std::string why;  // when not ok
};

// A penalised least-squares (MAP) fit under the log-normal guess, by Levenberg–Marquardt over
// log p, log q, log multiplier, of the model's own increments: with Ñ = (1 − churn)·N_{t−1} and
// M_t = multiplier·base_market_t, ΔN_t = N_t − Ñ ≈ (p + q·Ñ/M_t)·(M_t − Ñ). The effective market
// grows as the company learns the market, which a constant-M Bass regression would misread as
// imitation. Residuals are weighted by the expected noise (10 % demand shocks, 5 % measurement).
BassEstimate fit_bass(const std::vector<EntrySeries>& products, double churn, const BassGuess& guess);

}  // namespace expanse
