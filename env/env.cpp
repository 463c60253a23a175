#include "env/env.hpp"

#include <algorithm>

namespace expanse {

std::string describe_events(std::uint32_t events) {
  static constexpr std::pair<Event, const char*> names[] = {{kEventInvalidAction, "invalid"},
                                                            {kEventEntry, "entry"},
                                                            {kEventExit, "exit"},
                                                            {kEventShock, "shock"},
                                                            {kEventPartnerFailure, "partner_failure"},
                                                            {kEventBankruptcy, "bankruptcy"},
                                                            {kEventDevaluation, "devaluation"}};
  std::string out;
  for (const auto& [bit, name] : names) {
    if (!(events & bit)) continue;
    if (!out.empty()) out += '|';
    out += name;
  }
  return out;
}

void Env::action_mask(std::span<std::uint8_t> mask) const {
  std::fill(mask.begin(), mask.end(), 1);
}

std::vector<float> Env::reset(std::uint64_t seed) {
  std::vector<float> observation(observation_size());
  reset(seed, observation);
  return observation;
}

Transition Env::step(const Action& action) {
  Transition t;
  t.observation.resize(observation_size());
  t.result = step(action, t.observation);
  return t;
}

std::vector<std::uint8_t> Env::action_mask() const {
  std::vector<std::uint8_t> mask(mask_size(action_space()));
  action_mask(mask);
  return mask;
}

}  // namespace expanse
