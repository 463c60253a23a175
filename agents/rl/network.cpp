#include "agents/rl/network.hpp"

#include <stdexcept>
#include <string>

#include "agents/rl/entity_net.hpp"
#include "agents/rl/mlp.hpp"

namespace expanse::agents {

FlatParameters::FlatParameters(std::int64_t count) : values(torch::zeros({count})), grads(torch::zeros({count})) {}

std::unique_ptr<Network> make_network(const NetworkConfig& net, const std::vector<int>& hidden,
                                      const EntityLayout& layout, int inputs, int outputs, Activation activation) {
  if (!net.entity()) return std::make_unique<Mlp>(layer_widths(inputs, hidden, outputs), activation);
  if (layout.entities == 0)
    throw std::invalid_argument("network: entity needs a market scenario (this env has no regions); use network: mlp");
  if (layout.output_entity.size() != static_cast<std::size_t>(outputs))
    throw std::invalid_argument("network: entity does not support this action space (" + std::to_string(outputs) +
                                " outputs, the layout places " + std::to_string(layout.output_entity.size()) + ")");
  return std::make_unique<EntityNet>(layout, net.entity_width, activation);
}

}  // namespace expanse::agents
