#pragma once
// Bass coefficients and market size of one historical entry, from its adopter series.
#include <string>
#include <vector>

#include "analysis/history.hpp"

namespace expanse {

struct BassEstimate {
  double p = 0, q = 0;  // quarterly
  double market = 0;    // the entry's effective market M (thousand customers)
  int observations = 0; // quarters with a preceding quarter (or the first) used in the fit
  bool ok = false;
  std::string why;      // when not ok
};

struct BassGuess {
  double p, q, market;  // quarterly coefficients and a market size to start from (the prior's)
  double sigma_p = 0.3, sigma_q = 0.2, sigma_market = 1.0;  // log-scale prior spreads
};

// Penalised least squares (a MAP estimate under the log-normal guess): the gross additions
// ΔN_t = N_t − (1 − churn)·N_{t−1} against (p + q·N_{t−1}/M)·(M − N_{t−1}), over log p, log q, log M,
// by Levenberg–Marquardt. Short or flat series lean on the guess instead of failing.
BassEstimate fit_bass(const std::vector<EntryQuarter>& series, double churn, const BassGuess& guess);

}  // namespace expanse
