// `expanse validate FILE...`: every problem of every file, located; exit 0 only if all are valid.
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "common/user_error.hpp"
#include "env/market/scenario_loader.hpp"

namespace expanse::cli {
namespace {

std::string count(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

class ValidateCommand final : public Command {
 public:
  std::string name() const override { return "validate"; }
  std::string synopsis() const override {
    return "check scenario files; print every problem as FILE:LINE:COL: key: message";
  }
  std::string usage() const override {
    return "usage: expanse validate FILE...\n\n"
           "Checks each scenario file against the schema (docs/scenarios.md) and prints every problem\n"
           "on its own line. Exit code 0 when all files are valid, 1 otherwise.\n";
  }

  int run(const std::vector<std::string>& args) override {
    if (args.empty()) {
      std::cerr << "expanse validate: name at least one scenario file (see `expanse help validate`)\n";
      return kUsage;
    }
    int status = kOk;
    for (const auto& path : args) {
      try {
        const Scenario s = load_scenario_file(path);
        std::cout << path << ": ok (" << count(s.regions.size(), "region") << ", "
                  << count(s.products.size(), "product") << ", " << count(s.partners.size(), "partner");
        if (!s.events.empty()) std::cout << ", " << count(s.events.size(), "scripted event");
        std::cout << ")\n";
      } catch (const UserError& e) {
        for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
        status = kInvalidInput;
      }
    }
    return status;
  }
};

}  // namespace

std::unique_ptr<Command> make_validate_command() {
  return std::make_unique<ValidateCommand>();
}

}  // namespace expanse::cli
