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

}  // namespace expanse::agents
