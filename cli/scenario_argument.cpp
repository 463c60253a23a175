#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "cli/command.hpp"
#include "env/market/scenario_loader.hpp"

namespace expanse::cli {

namespace po = boost::program_options;

po::variables_map parse_with_scenario(const std::vector<std::string>& args, po::options_description options) {
  options.add_options()("scenario", po::value<std::string>()->default_value(""));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

std::uint64_t seed_option(const po::variables_map& vm) {
  const std::string text = vm["seed"].as<std::string>();
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    try {
      return std::stoull(text);
    } catch (const std::out_of_range&) {
    }
  }
  throw po::error("--seed must be a whole number from 0 to 18446744073709551615, got \"" + text + "\"");
}

Scenario load_scenario_argument(const std::string& path) {
  return path.empty() ? load_default_scenario() : load_scenario_file(path);
}

}  // namespace expanse::cli
