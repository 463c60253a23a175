// `expanse fidelity [SCENARIO]`: the stylised facts the model claims, measured in the simulator.
#include <boost/program_options.hpp>
#include <cstdio>
#include <sstream>

#include "analysis/fidelity_table.hpp"
#include "cli/command.hpp"
#include "env/market/scenario_loader.hpp"

namespace po = boost::program_options;

namespace expanse::cli {
namespace {

class FidelityCommand final : public Command {
 public:
  std::string name() const override { return "fidelity"; }
  std::string synopsis() const override {
    return "measure the published stylised facts in the simulator (pass/fail table)";
  }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse fidelity [SCENARIO] [--docs FILE.md]\n\n"
           "Runs controlled experiments in the simulator — Bass diffusion, advertising and price\n"
           "elasticities, gravity, Uppsala staged entry, cross-country influence — and prints a table of\n"
           "published value, measured value, tolerance and pass/fail. Without SCENARIO it uses the\n"
           "embedded scenarios/world.yaml. Exit code 0 when every applicable check passes, 4 otherwise.\n\n"
        << options();
    return out.str();
  }

  int run(const std::vector<std::string>& args) override {
    const po::variables_map vm = parse_with_scenario(args, options());

    const std::string path = vm["scenario"].as<std::string>();
    const Scenario scenario = path.empty() ? load_world_scenario() : load_scenario_file(path);
    const std::vector<FidelityCheck> checks = run_fidelity_checks(scenario);
    const std::string table = format_fidelity_table(checks);
    std::printf("fidelity of %s (%zu markets)\n\n%s", scenario.source.c_str(), scenario.regions.size(), table.c_str());
    if (vm.count("docs")) {
      const std::string origin = "Measured by `expanse fidelity" + (path.empty() ? std::string() : " " + path) +
                                 "` on " + scenario.source + ":";
      write_fidelity_table_into(vm["docs"].as<std::string>(), table, origin);
      std::printf("\ntable written into %s\n", vm["docs"].as<std::string>().c_str());
    }
    for (const auto& c : checks)
      if (c.applicable() && !c.pass()) return kChecksFailed;
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("docs", po::value<std::string>(),
                    "also write the table into this Markdown file, between its <!-- fidelity:begin --> and "
                    "<!-- fidelity:end --> markers (docs/model.md)");
    return o;
  }
};

}  // namespace

std::unique_ptr<Command> make_fidelity_command() {
  return std::make_unique<FidelityCommand>();
}

}  // namespace expanse::cli
