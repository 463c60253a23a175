#pragma once
// metrics.csv: one row per finished training episode or per logged update, columns named as in
// CleanRL's TensorBoard scalars (global_step, charts/episodic_return, losses/…); a cell is empty
// where the row has no such value. Appended during the run and flushed at every checkpoint, whose
// byte offset lets a resumed run cut away what was logged after it.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace expanse::agents {

class MetricsLog {
 public:
  // Opens `path` for a fresh run (header written) or, when resume_offset ≥ 0, truncates it to that
  // many bytes and appends.
  MetricsLog(std::string path, std::vector<std::string> loss_names, std::int64_t resume_offset);

  void episode(std::int64_t global_step, double episodic_return, int episodic_length);
  // Values in the order of loss_names.
  void losses(std::int64_t global_step, const std::vector<double>& values);
  // Flushes and returns the file's length (stored in checkpoints).
  std::int64_t flush();

  const std::vector<std::string>& loss_names() const { return loss_names_; }

 private:
  std::string path_;
  std::vector<std::string> loss_names_;
  std::ofstream out_;
};

// The finished training episodes of a metrics.csv, (global_step, episodic_return) in file order:
// what the experiment report's learning curves read.
std::vector<std::pair<double, double>> read_metrics_episodes(const std::filesystem::path& path);

}  // namespace expanse::agents
