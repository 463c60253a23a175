// `expanse fit`: history → priors file (docs/analysis.md), and `expanse segments`: the market segments.
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/history.hpp"
#include "analysis/prior_fit.hpp"
#include "cli/command.hpp"
#include "common/atomic_file.hpp"
#include "env/market/world_prior_file.hpp"

namespace po = boost::program_options;

namespace expanse::cli {
namespace {

// --k: "auto" (0) or a positive number of segments.
int segment_count(const po::variables_map& vm) {
  const std::string k = vm["k"].as<std::string>();
  if (k == "auto") return 0;
  try {
    std::size_t used = 0;
    const int n = std::stoi(k, &used);
    if (used == k.size() && n >= 1) return n;
  } catch (const std::exception&) {
  }
  throw po::error("--k must be auto or a positive whole number, got \"" + k + "\"");
}

class FitCommand final : public Command {
 public:
  std::string name() const override { return "fit"; }
  std::string synopsis() const override {
    return "fit the env's priors to history (clusters, regression, CF); write a priors file";
  }
  std::string usage() const override {
    std::ostringstream out;
    out << "usage: expanse fit [SCENARIO] [--history FILE.csv] --out PRIORS.yaml [--seed S]\n\n"
           "Fits Bass p, q and market size to every historical entry, segments the markets by k-means\n"
           "(k by silhouette), regresses the parameters on region features with partial pooling inside\n"
           "segments, and predicts partner performance by collaborative filtering. Without --history, a\n"
           "synthetic history is generated from the scenario's ground truth (and marked so). A scenario\n"
           "uses the result with `priors: PRIORS.yaml`. See docs/analysis.md.\n\n"
        << options();
    return out.str();
  }

  int run(const std::vector<std::string>& args) override {
    const po::variables_map vm = parse_with_scenario(args, options());
    if (!vm.count("out")) throw po::error("--out PRIORS.yaml is required");
    const std::uint64_t seed = seed_option(vm);
    Scenario scenario = load_scenario_argument(vm["scenario"].as<std::string>());
    scenario.priors.clear();  // fit from the country data's default prior, never from an earlier fit
    const MarketSpec spec(scenario);
    const History history = vm.count("history") ? read_history_csv(vm["history"].as<std::string>(), scenario)
                                                : generate_history(scenario, seed);
    if (vm.count("save-history"))
      write_file_atomically(vm["save-history"].as<std::string>(), history_to_csv(history, scenario));
    const PriorFit fit = fit_priors(spec, history, seed, segment_count(vm));
    const std::string out_path = vm["out"].as<std::string>();
    write_file_atomically(out_path, world_prior_to_yaml(fit.prior, spec, fit.metrics_yaml(spec)));

    std::printf("history   %s\nentries   %d, fitted %d; partner scores %d\n", history.source.c_str(), fit.entries,
                fit.entries_fitted, fit.partner_scores);
    std::printf("segments  k = %d (silhouette %.3f)\n", fit.segments.k, fit.segments.silhouette);
    for (const auto& p : fit.parameters)
      std::printf("%-26s regions with data %2d, R² %.3f, CV RMSE %.3f (log scale), ridge α %g\n", p.name.c_str(),
                  p.regions_with_data, p.r2, p.cv_rmse, p.alpha);
    if (!fit.cf_method.empty())
      std::printf("partners  CF (%s) held-out RMSE %.4f vs mean baseline %.4f\n", fit.cf_method.c_str(), fit.cf_rmse,
                  fit.cf_baseline_rmse);
    else
      std::printf("partners  too few scores for collaborative filtering; the scenario's partner prior is kept\n");
    std::printf("priors    %s\n", out_path.c_str());
    return kOk;
  }

 private:
  static po::options_description options() {
    po::options_description o("options");
    o.add_options()("history", po::value<std::string>(), "history CSV (default: synthetic, from the scenario)")(
        "out", po::value<std::string>(), "the priors file to write")(
        "seed", po::value<std::string>()->default_value("1"), "seed of the synthetic history and of the fit")(
        "save-history", po::value<std::string>(), "also write the history used to this CSV")(
        "k", po::value<std::string>()->default_value("auto"), "number of market segments, or auto (by silhouette)");
    return o;
  }
};

class SegmentsCommand final : public Command {
 public:
  std::string name() const override { return "segments"; }
  std::string synopsis() const override {
    return "market segments of a scenario: countries and centroids in real units";
  }
  std::string usage() const override {
    return "usage: expanse segments [SCENARIO] [--seed S]\n\n"
           "k-means over the standardised region features, k chosen by silhouette; prints each segment's\n"
           "countries and its centroid in real units (geometric means for GDP and server density).\n";
  }

  int run(const std::vector<std::string>& args) override {
    po::options_description o("options");
    o.add_options()("seed", po::value<std::string>()->default_value("1"), "seed of k-means")(
        "k", po::value<std::string>()->default_value("auto"), "number of segments, or auto (by silhouette)");
    const po::variables_map vm = parse_with_scenario(args, o);
    const MarketSpec spec(load_scenario_argument(vm["scenario"].as<std::string>()));
    const Segmentation s = segment_regions(spec, seed_option(vm), segment_count(vm));
    const RegionFeatures f = region_features(spec);
    std::printf("%s: %zu markets in %d segments (silhouette %.3f)\n\n", spec.scenario().name.c_str(),
                spec.region_count(), s.k, s.silhouette);
    std::printf("%-4s %9s %10s %8s %9s %10s %7s %7s %8s  %s\n", "seg", "GDP US$bn", "GDPpc US$", "growth%", "broadband",
                "servers/m", "days", "fx vol", "distance", "countries");
    for (int seg = 0; seg < s.k; ++seg) {
      Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(f.values.cols());
      std::string members;
      int n = 0;
      for (std::size_t r = 0; r < spec.region_count(); ++r) {
        if (s.labels[r] != seg) continue;
        mean += f.values.row(static_cast<Eigen::Index>(r));
        members += (n++ ? " " : "") + spec.scenario().regions[r].country.id;
      }
      mean /= std::max(n, 1);
      std::printf("%-4d %9.0f %10.0f %8.2f %9.1f %10.0f %7.1f %7.3f %8.3f  %s\n", seg, std::exp(mean(0)) / 1e9,
                  std::exp(mean(1)), mean(2), mean(3), std::expm1(mean(4)), mean(5), mean(6), mean(7), members.c_str());
    }
    return kOk;
  }
};

}  // namespace

std::unique_ptr<Command> make_fit_command() {
  return std::make_unique<FitCommand>();
}
std::unique_ptr<Command> make_segments_command() {
  return std::make_unique<SegmentsCommand>();
}

}  // namespace expanse::cli
