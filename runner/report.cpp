#include "runner/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "common/version.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

std::string fixed(double v, int digits = 2) {
  if (!std::isfinite(v)) return "–";
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << v;
  return out.str();
}

std::string interval(const Estimate& e) { return fixed(e.value) + " [" + fixed(e.low) + ", " + fixed(e.high) + "]"; }

// A report is a list of blocks, rendered once as Markdown and once as HTML.
struct Block {
  enum Kind { kHeading, kText, kTable, kImage } kind;
  std::string text;                              // heading, paragraph, image caption
  std::vector<std::vector<std::string>> rows;    // table: first row is the header
  std::string image;                             // relative path
};

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string render_markdown(const std::vector<Block>& blocks) {
  std::ostringstream md;
  for (const Block& b : blocks) {
    switch (b.kind) {
      case Block::kHeading: md << b.text << "\n\n"; break;
      case Block::kText: md << b.text << "\n\n"; break;
      case Block::kImage: md << "![" << b.text << "](" << b.image << ")\n\n"; break;
      case Block::kTable:
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          md << "|";
          for (const auto& c : b.rows[r]) md << " " << c << " |";
          md << "\n";
          if (r == 0) {
            md << "|";
            for (std::size_t c = 0; c < b.rows[0].size(); ++c) md << (c == 0 ? "---|" : "---:|");
            md << "\n";
          }
        }
        md << "\n";
        break;
    }
  }
  return md.str();
}

std::string render_html(const std::vector<Block>& blocks, const std::string& title) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << html_escape(title)
       << "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;}"
          "table{border-collapse:collapse;margin:1em 0;}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;}"
          "td:first-child,th:first-child{text-align:left;}img{max-width:100%;}</style></head><body>\n";
  for (const Block& b : blocks) {
    switch (b.kind) {
      case Block::kHeading: {
        const std::size_t level = std::min<std::size_t>(b.text.find(' '), 4);
        html << "<h" << level << ">" << html_escape(b.text.substr(level + 1)) << "</h" << level << ">\n";
        break;
      }
      case Block::kText: html << "<p>" << html_escape(b.text) << "</p>\n"; break;
      case Block::kImage:
        html << "<figure><img src=\"" << b.image << "\" alt=\"" << html_escape(b.text) << "\"><figcaption>"
             << html_escape(b.text) << "</figcaption></figure>\n";
        break;
      case Block::kTable:
        html << "<table>\n";
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          html << "<tr>";
          for (const auto& c : b.rows[r]) html << (r == 0 ? "<th>" : "<td>") << html_escape(c) << (r == 0 ? "</th>" : "</td>");
          html << "</tr>\n";
        }
        html << "</table>\n";
        break;
    }
  }
  html << "</body></html>\n";
  return html.str();
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

// Writes data and script, renders with gnuplot; false when gnuplot is missing or fails.
bool render(const fs::path& dir, const std::string& stem, const std::string& data, const std::string& script) {
  write_file_atomically((dir / (stem + ".dat")).string(), data);
  write_file_atomically((dir / (stem + ".gp")).string(), script);
  const std::string command =
      "cd " + quoted(dir.string()) + " && gnuplot " + quoted(stem + ".gp") + " > " + quoted(stem + ".log") + " 2>&1";
  return std::system(command.c_str()) == 0 && fs::exists(dir / (stem + ".png"));
}

std::string header(const std::string& stem, int width, int height) {
  std::ostringstream gp;
  gp << "set terminal pngcairo size " << width << "," << height << " font 'sans,10'\nset output '" << stem
     << ".png'\nset datafile separator '\\t'\nset grid\n";
  return gp.str();
}

struct Figures {
  std::vector<std::pair<std::string, std::string>> images;  // (caption, path)
  bool gnuplot_failed = false;
};

Figures figures_for(const ScenarioResult& s, const AggregateOptions& options, const fs::path& out) {
  Figures f;
  const fs::path dir = out / "figures";
  fs::create_directories(dir);
  const std::size_t n = s.policies.size();
  const std::string level = std::to_string(static_cast<int>(options.confidence * 100)) + " %";
  auto add = [&](const std::string& stem, const std::string& data, const std::string& script, const std::string& caption) {
    if (render(dir, stem, data, script))
      f.images.emplace_back(caption, "figures/" + stem + ".png");
    else
      f.gnuplot_failed = true;
  };

  {  // final scores with intervals
    std::ostringstream data;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& p = s.policies[i];
      data << i << '\t' << p.iqm.value << '\t' << p.iqm.low << '\t' << p.iqm.high << '\t' << p.name << '\n';
    }
    const std::string stem = "scores-" + s.name;
    std::ostringstream gp;
    gp << header(stem, 800, 120 + 40 * static_cast<int>(n)) << "set title 'IQM of the run scores with " << level
       << " bootstrap intervals (" << s.name << ")'\nset xlabel 'discounted return'\nset yrange [-0.7:" << static_cast<double>(n) - 0.3
       << "]\nset offsets graph 0.05, graph 0.05, 0, 0\nplot '" << stem
       << ".dat' using 2:1:3:4:yticlabels(5) with xerrorbars pt 7 ps 1.3 lw 2 notitle\n";
    add(stem, data.str(), gp.str(), "Final scores: interquartile mean with " + level + " stratified-bootstrap intervals");
  }
  {  // probability of improvement
    std::ostringstream data, gp;
    for (std::size_t x = 0; x < n; ++x)
      for (std::size_t y = 0; y < n; ++y) data << y << '\t' << x << '\t' << s.improvement[x][y].value << '\n';
    const std::string stem = "improvement-" + s.name;
    std::ostringstream tics;
    for (std::size_t i = 0; i < n; ++i) tics << (i ? ", " : "") << quoted(s.policies[i].name) << " " << i;
    gp << header(stem, 160 + 80 * static_cast<int>(n), 120 + 60 * static_cast<int>(n))
       << "set title 'P(row > column) (" << s.name << ")'\nunset grid\nset cbrange [0:1]\nset palette defined (0 '#b2182b', 0.5 '#f7f7f7', 1 '#2166ac')\n"
       << "set xtics (" << tics.str() << ") rotate by 45 right\nset ytics (" << tics.str() << ")\nset yrange [" << static_cast<double>(n) - 0.5
       << ":-0.5]\nset xrange [-0.5:" << static_cast<double>(n) - 0.5 << "]\nplot '" << stem << ".dat' using 1:2:3 with image notitle, '' using 1:2:(sprintf('%.2f', $3)) with labels notitle\n";
    add(stem, data.str(), gp.str(), "Probability of improvement P(row > column), Mann–Whitney over runs");
  }
  {  // performance profiles
    std::ostringstream data, gp;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t t = 0; t < s.profile_thresholds.size(); ++t)
        data << s.profile_thresholds[t] << '\t' << s.profiles[i][t] << '\n';
      data << "\n\n";
    }
    const std::string stem = "profile-" + s.name;
    gp << header(stem, 800, 450) << "set title 'Performance profiles (" << s.name
       << ")'\nset xlabel 'score threshold τ'\nset ylabel 'share of runs with score > τ'\nset yrange [0:1.05]\nset key outside right\nplot ";
    for (std::size_t i = 0; i < n; ++i)
      gp << (i ? ", " : "") << "'" << stem << ".dat' index " << i << " using 1:2 with steps lw 2 title " << quoted(s.policies[i].name);
    gp << "\n";
    add(stem, data.str(), gp.str(), "Performance profiles: the share of runs above each score");
  }
  {  // learning curves
    std::ostringstream data, gp;
    std::vector<std::string> learners;
    for (const auto& p : s.policies) {
      if (p.curve.empty()) continue;
      learners.push_back(p.name);
      for (const auto& c : p.curve) data << c.step << '\t' << c.mean << '\t' << c.low << '\t' << c.high << '\n';
      data << "\n\n";
    }
    if (!learners.empty()) {
      const std::string stem = "curves-" + s.name;
      gp << header(stem, 800, 450) << "set title 'Learning curves (" << s.name
         << "): training episodic return, mean over seeds with 95 % normal band'\nset xlabel 'env steps'\nset ylabel 'episodic return'\nset key outside right\nplot ";
      for (std::size_t i = 0; i < learners.size(); ++i)
        gp << (i ? ", " : "") << "'" << stem << ".dat' index " << i
           << " using 1:3:4 with filledcurves fs transparent solid 0.2 noborder lc " << i + 1 << " notitle, '' index " << i
           << " using 1:2 with lines lw 2 lc " << i + 1 << " title " << quoted(learners[i]);
      gp << "\n";
      add(stem, data.str(), gp.str(), "Learning curves (training episodes; undiscounted return in reward units)");
    }
  }
  {  // expansion timeline
    std::ostringstream data, gp;
    int row = 0, last_quarter = 0;
    bool saw_end = false;
    struct Change {
      int quarter;
      std::string mode;
    };
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::vector<Change>>>>> rows;
    for (const auto& p : s.policies) {
      std::vector<std::pair<std::string, std::vector<Change>>> regions;
      for (const auto& line : p.timeline) {
        std::stringstream in(line);
        std::string q, region, mode;
        std::getline(in, q, ',');
        std::getline(in, region, ',');
        std::getline(in, mode, ',');
        const int quarter = std::atoi(q.c_str());
        last_quarter = std::max(last_quarter, quarter);
        if (mode == "end") {
          saw_end = true;
          continue;
        }
        auto it = std::find_if(regions.begin(), regions.end(), [&](const auto& r) { return r.first == region; });
        if (it == regions.end()) it = regions.insert(regions.end(), {region, {}});
        it->second.push_back({quarter, mode});
      }
      rows.emplace_back(p.name, std::move(regions));
    }
    // The "end" rows carry the episodes' lengths (results written before they existed: a margin).
    const int end = saw_end ? last_quarter : last_quarter + 4;
    const std::map<std::string, int> colour{{"pilot", 1}, {"partner", 2}, {"subsidiary", 3}};
    for (const auto& [policy, regions] : rows)
      for (const auto& [region, changes] : regions) {
        for (std::size_t i = 0; i < changes.size(); ++i) {
          const auto c = colour.find(changes[i].mode);
          if (c == colour.end()) continue;
          const int from = changes[i].quarter, to = i + 1 < changes.size() ? changes[i + 1].quarter : end;
          data << from << '\t' << row << '\t' << to - from << '\t' << c->second << '\t' << policy << " · " << region << '\n';
        }
        ++row;
      }
    if (row > 0) {
      const std::string stem = "timeline-" + s.name;
      gp << header(stem, 900, 120 + 22 * row) << "set title 'Expansion timeline, first evaluation episode of each policy (" << s.name
         << ")'\nset xlabel 'quarter'\nset yrange [" << row << ":-1]\nset xrange [0:" << end << "]\nset key outside right\n"
         << "plot '" << stem << ".dat' using 1:2:3:(0):4:ytic(5) with vectors nohead lw 9 lc variable notitle, "
         << "NaN with lines lw 9 lc 1 title 'pilot', NaN with lines lw 9 lc 2 title 'partner', NaN with lines lw 9 lc 3 title 'subsidiary'\n";
      add(stem, data.str(), gp.str(), "Expansion timeline: which regions each policy enters, how and when");
    }
  }
  return f;
}

}  // namespace

std::string summary_json(const std::vector<ScenarioResult>& results, const AggregateOptions& options,
                         const std::map<std::string, int>& run_versions) {
  std::ostringstream j;
  j << "{\n  \"score\": \"discounted return per run, mean over its evaluation episodes\",\n  \"bootstrap\": "
    << options.bootstrap << ",\n  \"confidence\": " << options.confidence
    << ",\n  \"expanse_version\": " << json_string(expanse_version()) << ",\n  \"run_versions\": {";
  for (auto it = run_versions.begin(); it != run_versions.end(); ++it)
    j << (it == run_versions.begin() ? "" : ", ") << json_string(it->first) << ": " << it->second;
  j << "},\n  \"scenarios\": [";
  for (std::size_t si = 0; si < results.size(); ++si) {
    const auto& s = results[si];
    j << (si ? "," : "") << "\n    {\"name\": " << json_string(s.name) << ", \"policies\": [";
    for (std::size_t i = 0; i < s.policies.size(); ++i) {
      const auto& p = s.policies[i];
      j << (i ? "," : "") << "\n      {\"name\": " << json_string(p.name) << ", \"kind\": " << json_string(p.kind)
        << ", \"scores\": [";
      for (std::size_t k = 0; k < p.scores.size(); ++k) j << (k ? ", " : "") << json_number(p.scores[k]);
      j << "]";
      for (const auto& [name, e] : {std::pair<const char*, const Estimate*>{"mean", &p.mean}, {"median", &p.median}, {"iqm", &p.iqm}})
        j << ", \"" << name << "\": {\"value\": " << json_number(e->value) << ", \"low\": " << json_number(e->low)
          << ", \"high\": " << json_number(e->high) << "}";
      for (const auto& k : kpi_names()) j << ", \"" << k << "\": " << json_number(p.kpis.at(k));
      j << "}";
    }
    j << "\n    ], \"probability_of_improvement\": [";
    bool first = true;
    for (std::size_t x = 0; x < s.policies.size(); ++x)
      for (std::size_t y = 0; y < s.policies.size(); ++y) {
        if (x == y) continue;
        const Estimate& e = s.improvement[x][y];
        j << (first ? "" : ",") << "\n      {\"x\": " << json_string(s.policies[x].name)
          << ", \"y\": " << json_string(s.policies[y].name) << ", \"value\": " << json_number(e.value)
          << ", \"low\": " << json_number(e.low) << ", \"high\": " << json_number(e.high) << "}";
        first = false;
      }
    j << "\n    ], \"performance_profile\": {\"thresholds\": [";
    for (std::size_t t = 0; t < s.profile_thresholds.size(); ++t) j << (t ? ", " : "") << json_number(s.profile_thresholds[t]);
    j << "]";
    for (std::size_t i = 0; i < s.policies.size(); ++i) {
      j << ", " << json_string(s.policies[i].name) << ": [";
      for (std::size_t t = 0; t < s.profiles[i].size(); ++t) j << (t ? ", " : "") << json_number(s.profiles[i][t]);
      j << "]";
    }
    j << "}}";
  }
  j << "\n  ]\n}\n";
  return j.str();
}

void write_report(const std::vector<ScenarioResult>& results, const AggregateOptions& options,
                  const std::vector<std::string>& sources, const std::map<std::string, int>& run_versions,
                  const fs::path& out) {
  std::vector<Block> blocks;
  std::string from;
  for (const auto& s : sources) from += (from.empty() ? "" : ", ") + s;
  blocks.push_back({Block::kHeading, "# Experiment report", {}, ""});
  blocks.push_back({Block::kText,
                    "Results from " + from + ". A run's score is its mean discounted return over the evaluation "
                    "episodes, which every policy plays with the same seeds (common random numbers). Intervals are " +
                        std::to_string(static_cast<int>(options.confidence * 100)) + " % percentile intervals of " +
                        std::to_string(options.bootstrap) +
                        " stratified bootstrap resamples over runs (rliable's conventions); KPIs are means over all "
                        "evaluation episodes of all runs (money in US$ m).",
                    {}, ""});
  std::string made_by;
  for (const auto& [version, count] : run_versions)
    made_by += (made_by.empty() ? "" : "; ") + version + " (" + std::to_string(count) + " run" + (count == 1 ? "" : "s") + ")";
  blocks.push_back({Block::kText, "Expanse: runs made by " + made_by + "; aggregated by " + expanse_version() + ".", {}, ""});
  bool gnuplot_failed = false;
  for (const auto& s : results) {
    blocks.push_back({Block::kHeading, "## " + s.name, {}, ""});
    Block table{Block::kTable, "", {}, ""};
    table.rows.push_back({"policy", "kind", "runs", "IQM [interval]", "mean [interval]", "median [interval]", "NPV",
                          "revenue", "lowest cash (peak burn)", "payback (median quarter)", "bankrupt", "pilots", "partners",
                          "subsidiaries", "CVaR 5 %"});
    std::vector<std::size_t> order(s.policies.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return s.policies[a].iqm.value > s.policies[b].iqm.value; });
    for (std::size_t i : order) {
      const auto& p = s.policies[i];
      const auto& k = p.kpis;
      table.rows.push_back({p.name, p.kind, std::to_string(p.scores.size()), interval(p.iqm), interval(p.mean),
                            interval(p.median), fixed(k.at("npv"), 1), fixed(k.at("revenue"), 1),
                            fixed(k.at("lowest_cash"), 1), fixed(k.at("payback_quarter_median"), 0),
                            fixed(100 * k.at("bankruptcy_rate"), 0) + " %", fixed(k.at("pilots"), 1),
                            fixed(k.at("partners"), 1), fixed(k.at("subsidiaries"), 1), fixed(k.at("cvar5_return"), 2)});
    }
    blocks.push_back(table);
    Block poi{Block::kTable, "", {}, ""};
    std::vector<std::string> head{"P(row > column)"};
    for (const auto& p : s.policies) head.push_back(p.name);
    poi.rows.push_back(head);
    for (std::size_t x = 0; x < s.policies.size(); ++x) {
      std::vector<std::string> row{s.policies[x].name};
      for (std::size_t y = 0; y < s.policies.size(); ++y)
        row.push_back(x == y ? "–" : fixed(s.improvement[x][y].value) + " [" + fixed(s.improvement[x][y].low) + ", " +
                                         fixed(s.improvement[x][y].high) + "]");
      poi.rows.push_back(row);
    }
    blocks.push_back({Block::kText, "Probability of improvement (Mann–Whitney over runs, with its interval):", {}, ""});
    blocks.push_back(poi);
    const Figures figures = figures_for(s, options, out);
    gnuplot_failed = gnuplot_failed || figures.gnuplot_failed;
    for (const auto& [caption, path] : figures.images) blocks.push_back({Block::kImage, caption, {}, path});
  }
  if (gnuplot_failed)
    blocks.push_back({Block::kText,
                      "Some figures were not rendered: gnuplot is missing or failed (see figures/*.log; "
                      "scripts/setup.sh installs gnuplot-nox). Their data and scripts are in figures/.",
                      {}, ""});
  write_file_atomically((out / "report.md").string(), render_markdown(blocks));
  write_file_atomically((out / "report.html").string(), render_html(blocks, "Experiment report"));
}

}  // namespace expanse::runner
