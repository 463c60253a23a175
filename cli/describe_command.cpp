// `expanse describe SCENARIO`: regions, products, action spaces and the observation layout.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command.hpp"
#include "env/market/market_env.hpp"

namespace po = boost::program_options;

namespace expanse::cli {
namespace {

class DescribeCommand final : public Command {
 public:
  std::string name() const override { return "describe"; }
  std::string synopsis() const override {
    return "regions, products, action spaces and observation layout of a scenario";
  }
  std::string usage() const override {
    return "usage: expanse describe [SCENARIO]\n\n"
           "Prints what a scenario contains and what an agent sees and does in it. Without SCENARIO,\n"
           "describes the embedded default (scenarios/asia-pacific.yaml).\n";
  }

  int run(const std::vector<std::string>& args) override {
    const po::variables_map vm = parse_with_scenario(args, po::options_description());

    const Scenario scenario = load_scenario_argument(vm["scenario"].as<std::string>());
    const auto spec = std::make_shared<const MarketSpec>(scenario);
    print(spec);
    return kOk;
  }

 private:
  static void print(const std::shared_ptr<const MarketSpec>& spec) {
    const Scenario& s = spec->scenario();
    const MarketEnv env(spec, ActionView::kDiscrete);
    std::printf("scenario  %s — %s\nsource    %s\n", s.name.c_str(), s.description.c_str(), s.source.c_str());
    std::printf("company   %s, home %s; cash %.1f, credit line %.1f, overhead %.2f per quarter (US$ m)\n",
                s.company.name.c_str(), s.company.home.id.c_str(), s.company.initial_cash, s.company.credit_line,
                s.company.overhead);
    std::printf("time      %d quarters, discount %.3f per quarter\nprior     %s\n\n", s.horizon, s.discount,
                env.prior().source.c_str());

    std::printf("products (%zu)\n  %-12s %-30s %8s %8s %8s\n", s.products.size(), "id", "name", "price", "cost",
                "quality");
    for (const auto& p : s.products)
      std::printf("  %-12s %-30s %8.2f %8.2f %8.2f\n", p.id.c_str(), p.name.c_str(), p.price, p.unit_cost, p.quality);

    std::printf("\nregions (%zu)\n  %-6s %-22s %10s %9s %9s %9s %9s %8s %8s\n", s.regions.size(), "id", "name",
                "GDP US$bn", "distance", "potential", "sub.setup", "cost lvl", "hazard", "partners");
    const std::size_t shown = std::min<std::size_t>(s.regions.size(), 60);
    for (std::size_t r = 0; r < shown; ++r) {
      const RegionModel& rm = spec->region(r);
      const CountryFeatures& c = s.regions[r].country;
      std::printf("  %-6s %-22.22s %10.0f %9.3f %9.2f %9.1f %9.2f %8.4f %8zu\n", c.id.c_str(), c.name.c_str(),
                  c.gdp_usd / 1e9, rm.distance, rm.potential_total, rm.subsidiary_setup, rm.cost_level, rm.shock_hazard,
                  spec->partners_in(r).size());
    }
    if (shown < s.regions.size()) std::printf("  … and %zu more\n", s.regions.size() - shown);
    std::printf("  (potential: thousand customers over all products at the prior median; setup in US$ m)\n");
    std::printf(
        "\npartners  %zu%s\n", s.partners.size(),
        !s.partners.empty() && s.partners.front().synthetic ? " (synthetic, generated from the scenario seed)" : "");

    if (!s.events.empty()) {
      std::printf("\nscripted events (%zu), on top of the random ones\n", s.events.size());
      std::vector<ScriptedEvent> by_quarter = s.events;
      std::stable_sort(by_quarter.begin(), by_quarter.end(),
                       [](const ScriptedEvent& a, const ScriptedEvent& b) { return a.quarter < b.quarter; });
      for (const ScriptedEvent& e : by_quarter) {
        std::printf("  quarter %-4d %-16s", e.quarter, to_string(e.kind));
        switch (e.kind) {
          case ScriptedKind::kShock:
            std::printf("%s, %d quarters\n", e.region.c_str(), e.quarters > 0 ? e.quarters : s.model.shock_duration);
            break;
          case ScriptedKind::kDevaluation:
            std::printf("%s, −%g %% against the US$\n", e.region.c_str(), e.percent);
            break;
          case ScriptedKind::kPartnerFailure: std::printf("%s\n", e.partner.c_str()); break;
        }
      }
    }

    std::printf("\naction views\n");
    for (ActionView view : {ActionView::kDiscrete, ActionView::kMultiDiscrete, ActionView::kBox}) {
      const MarketEnv e(spec, view);
      std::string space = describe(e.action_space());
      if (space.size() > 70)
        space = space.substr(0, 60) + "…]) of " + std::to_string(flat_size(e.action_space())) + " components";
      std::printf("  %-14s %s\n", to_string(view), space.c_str());
    }
    std::printf(
        "  discrete: 0 = hold; 1 + 6·region + {research, pilot, subsidiary, exit, marketing up, marketing down};\n"
        "            1 + 6·regions + partner = sign that partner. A mask marks the valid ones.\n"
        "  multidiscrete: per region [target: keep, research, pilot, partner, subsidiary, exit] × [marketing 0..3]\n"
        "  box: per region [commitment, marketing] in [-1, 1] (thresholds in docs/model.md)\n");

    const auto& names = env.observation_names();
    std::printf("\nobservation  Box float32 of %zu values: 3 global, then %zu blocks of %zu (one per region)\n",
                names.size(), s.regions.size(), env.region_block_size());
    const Box& box = env.observation_space();
    for (std::size_t i = 0; i < 3 + env.region_block_size() && i < names.size(); ++i)
      std::printf("  [%3zu] %-40s [%g, %g]\n", i, names[i].c_str(), box.low[i], box.high[i]);
    if (names.size() > 3 + env.region_block_size()) std::printf("  … the same block for every further region\n");
  }
};

}  // namespace

std::unique_ptr<Command> make_describe_command() {
  return std::make_unique<DescribeCommand>();
}

}  // namespace expanse::cli
