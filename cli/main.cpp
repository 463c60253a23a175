// `expanse`: one binary, subcommands. Errors print on one line and exit non-zero (cli/command.hpp).
#include <boost/program_options/errors.hpp>
#include <exception>
#include <iostream>

#include "cli/command.hpp"
#include "common/user_error.hpp"
#include "common/version.hpp"

using namespace expanse::cli;

namespace {

std::vector<std::unique_ptr<Command>> registry() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_validate_command());
  commands.push_back(make_describe_command());
  commands.push_back(make_sim_command());
  commands.push_back(make_fidelity_command());
  commands.push_back(make_fit_command());
  commands.push_back(make_segments_command());
  commands.push_back(make_train_command());
  commands.push_back(make_eval_command());
  commands.push_back(make_run_command());
  commands.push_back(make_compare_command());
  commands.push_back(make_status_command());
  commands.push_back(make_run_job_command());
  commands.push_back(make_finish_run_command());
  return commands;
}

void print_help(const std::vector<std::unique_ptr<Command>>& commands) {
  std::cout << "expanse — a laboratory for market-expansion strategy\n\n"
               "usage: expanse COMMAND [ARGS...]\n\ncommands:\n";
  std::cout << "  help [COMMAND]    this list, or one command's options\n";
  std::cout << "  version           the version of Expanse (and its git commit)\n";
  for (const auto& c : commands) {
    std::string name = c->name();
    name.resize(18, ' ');
    std::cout << "  " << name << c->synopsis() << "\n";
  }
  std::cout << "\nWith no command, `expanse` runs `expanse sim` on the embedded default scenario.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const auto commands = registry();
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string name = args.empty() ? "sim" : args.front();
  if (!args.empty()) args.erase(args.begin());
  if (name == "version" || name == "--version") {
    std::cout << "expanse " << expanse::expanse_version() << "\n";
    return kOk;
  }
  if (name == "help" || name == "--help" || name == "-h") {
    if (!args.empty()) {
      for (const auto& c : commands)
        if (c->name() == args.front()) {
          std::cout << c->usage();
          return kOk;
        }
      std::cerr << "expanse: unknown command \"" << args.front() << "\" (see `expanse help`)\n";
      return kUsage;
    }
    print_help(commands);
    return kOk;
  }
  for (const auto& c : commands) {
    if (c->name() != name) continue;
    try {
      return c->run(args);
    } catch (const expanse::UserError& e) {
      for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
      return kInvalidInput;
    } catch (const std::invalid_argument& e) {  // an impossible request of an algorithm (k > markets, …)
      std::cerr << "expanse " << name << ": " << e.what() << "\n";
      return kInvalidInput;
    } catch (const boost::program_options::error& e) {
      std::cerr << "expanse " << name << ": " << e.what() << " (see `expanse help " << name << "`)\n";
      return kUsage;
    } catch (const std::exception& e) {
      std::cerr << "expanse " << name << ": internal error: " << e.what() << "\n";
      return kInternal;
    }
  }
  std::cerr << "expanse: unknown command \"" << name << "\" (see `expanse help`)\n";
  return kUsage;
}
