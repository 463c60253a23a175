// Agent config YAML (`train --config`, an experiment's `config:`), over every algorithm's market and
// classic defaults.
#include "agents/rl/agent_config.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace expanse::agents;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = expanse::fuzz::as_text(data, size);
  for (const std::string& name : algorithm_names())
    for (bool market : {false, true})
      expanse::fuzz::accepted_or_refused([&] {
        AgentConfig config = default_agent_config(name, false, market);
        read_agent_config(text, "fuzz.yaml", config);
        agent_config_yaml(config);
      });
  return 0;
}
