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

Scenario load_scenario_argument(const std::string& path) {
  return path.empty() ? load_default_scenario() : load_scenario_file(path);
}

}  // namespace expanse::cli
