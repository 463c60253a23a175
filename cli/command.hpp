#pragma once
// A subcommand of the `expanse` CLI: a small class with its options and synopsis. The dispatcher in
// main.cpp finds it by name and generates `expanse help` from the registry.
#include <memory>
#include <string>
#include <vector>

namespace expanse::cli {

// Exit codes that mean something to scripts.
enum ExitCode : int { kOk = 0, kInvalidInput = 1, kUsage = 2, kInternal = 3, kChecksFailed = 4 };

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string name() const = 0;
  virtual std::string synopsis() const = 0;  // one line for `expanse help`
  virtual std::string usage() const = 0;     // the full help of the subcommand
  virtual int run(const std::vector<std::string>& args) = 0;
};

std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_describe_command();
std::unique_ptr<Command> make_sim_command();
std::unique_ptr<Command> make_fidelity_command();
std::unique_ptr<Command> make_fit_command();
std::unique_ptr<Command> make_segments_command();
std::unique_ptr<Command> make_train_command();
std::unique_ptr<Command> make_eval_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_compare_command();
std::unique_ptr<Command> make_run_job_command();
std::unique_ptr<Command> make_finish_run_command();
std::unique_ptr<Command> make_status_command();

}  // namespace expanse::cli

#include <boost/program_options.hpp>

#include "env/market/scenario.hpp"

namespace expanse::cli {

// The scenario named on the command line, or the embedded default when `path` is empty.
Scenario load_scenario_argument(const std::string& path);

// --seed as a whole number in [0, 2^64); negative or malformed values are usage errors (Boost would
// wrap "-1" around to 2^64 − 1).
std::uint64_t seed_option(const boost::program_options::variables_map& vm);

// Parses `args` with `options` plus an optional positional SCENARIO (vm["scenario"], "" if absent).
boost::program_options::variables_map parse_with_scenario(const std::vector<std::string>& args,
                                                          boost::program_options::options_description options);

}  // namespace expanse::cli
