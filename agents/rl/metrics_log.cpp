#include "agents/rl/metrics_log.hpp"

#include <filesystem>

#include "common/user_error.hpp"

namespace expanse::agents {

MetricsLog::MetricsLog(std::string path, std::vector<std::string> loss_names, std::int64_t resume_offset)
    : path_(std::move(path)), loss_names_(std::move(loss_names)) {
  if (resume_offset >= 0) {
    std::error_code ec;
    std::filesystem::resize_file(path_, static_cast<std::uintmax_t>(resume_offset), ec);
    if (ec) throw UserError(Diagnostic{path_, 0, 0, "", "cannot cut the metrics back to the checkpoint: " + ec.message()});
    out_.open(path_, std::ios::app);
  } else {
    out_.open(path_, std::ios::trunc);
    out_ << "global_step,charts/episodic_return,charts/episodic_length";
    for (const auto& name : loss_names_) out_ << "," << name;
    out_ << "\n";
  }
  if (!out_) throw UserError(Diagnostic{path_, 0, 0, "", "cannot write the metrics file"});
  out_.precision(9);
}

void MetricsLog::episode(std::int64_t global_step, double episodic_return, int episodic_length) {
  out_ << global_step << "," << episodic_return << "," << episodic_length;
  for (std::size_t i = 0; i < loss_names_.size(); ++i) out_ << ",";
  out_ << "\n";
}

void MetricsLog::losses(std::int64_t global_step, const std::vector<double>& values) {
  out_ << global_step << ",,";
  for (double v : values) out_ << "," << v;
  out_ << "\n";
}

std::int64_t MetricsLog::flush() {
  out_.flush();
  if (!out_) throw UserError(Diagnostic{path_, 0, 0, "", "cannot write the metrics file"});
  return static_cast<std::int64_t>(std::filesystem::file_size(path_));
}

std::vector<std::pair<double, double>> read_metrics_episodes(const std::filesystem::path& path) {
  std::vector<std::pair<double, double>> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // the header the constructor writes
  while (std::getline(in, line)) {
    // global_step, then charts/episodic_return, empty on rows of losses.
    const std::size_t first = line.find(',');
    if (first == std::string::npos) continue;
    const std::size_t second = line.find(',', first + 1);
    const std::string value =
        line.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    if (value.empty()) continue;
    out.emplace_back(std::strtod(line.substr(0, first).c_str(), nullptr), std::strtod(value.c_str(), nullptr));
  }
  return out;
}

}  // namespace expanse::agents
