#include "env/classic/classic_envs.hpp"

#include <algorithm>
#include <cctype>

#include "env/classic/acrobot.hpp"
#include "env/classic/cartpole.hpp"
#include "env/classic/mountain_car_continuous.hpp"
#include "env/classic/pendulum.hpp"

namespace expanse {

std::vector<std::string> classic_env_ids() {
  return {"CartPole-v1", "Pendulum-v1", "Acrobot-v1", "MountainCarContinuous-v0"};
}

std::unique_ptr<Env> make_classic_env(const std::string& id) {
  std::string key = id;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  if (key == "cartpole-v1") return std::make_unique<CartPole>();
  if (key == "pendulum-v1") return std::make_unique<Pendulum>();
  if (key == "acrobot-v1") return std::make_unique<Acrobot>();
  if (key == "mountaincarcontinuous-v0" || key == "mountaincar-continuous-v0")
    return std::make_unique<MountainCarContinuous>();
  return nullptr;
}

}  // namespace expanse
