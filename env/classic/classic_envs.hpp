#pragma once
// The reference environments by their Gymnasium ids, for validating agents.
#include <memory>
#include <string>
#include <vector>

#include "env/env.hpp"

namespace expanse {

// Accepts Gymnasium's ids and lower-case aliases ("CartPole-v1", "cartpole-v1"); nullptr if unknown.
std::unique_ptr<Env> make_classic_env(const std::string& id);
std::vector<std::string> classic_env_ids();

}  // namespace expanse
