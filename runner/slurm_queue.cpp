#include "runner/slurm_queue.hpp"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include "common/atomic_file.hpp"
#include "common/user_error.hpp"
#include "runner/external_command.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {
fs::path submission_file(const fs::path& results) {
  return results / "slurm" / "submission.yaml";
}
}  // namespace

std::optional<SlurmSubmission> read_submission(const fs::path& results) {
  if (!fs::exists(submission_file(results))) return std::nullopt;
  try {
    const YAML::Node root = YAML::LoadFile(submission_file(results).string());
    SlurmSubmission s;
    for (const auto& id : root["arrays"]) s.arrays.push_back(id.as<std::string>());
    s.aggregate = root["aggregate"].as<std::string>("");
    for (const auto& job : root["jobs"]) s.jobs.push_back(job.as<std::size_t>());
    return s;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

void write_submission(const fs::path& results, const SlurmSubmission& s) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "arrays" << YAML::Value << YAML::Flow << s.arrays;
  out << YAML::Key << "aggregate" << YAML::Value << s.aggregate;
  out << YAML::Key << "jobs" << YAML::Value << YAML::Flow << s.jobs << YAML::EndMap;
  write_file_atomically(submission_file(results).string(),
                        "# The last Slurm submission (expanse run --backend slurm): the job arrays, the\n"
                        "# aggregation job, and the experiment's job each task runs (docs/experiments.md).\n" +
                            std::string(out.c_str()) + "\n");
}

QueueState query_queue(const SlurmSubmission& s) {
  QueueState state;
  if (!on_path("squeue")) return state;
  std::string ids;
  for (const std::string& id : s.arrays) ids += (ids.empty() ? "" : ",") + id;
  if (!s.aggregate.empty()) ids += (ids.empty() ? "" : ",") + s.aggregate;
  if (ids.empty()) return state;
  // One line per task (-r), "ARRAY_TASK STATE" or "JOB STATE"; squeue fails when it knows none.
  const ExternalResult r = run_external({"squeue", "--noheader", "--array", "--format=%i %T", "--jobs=" + ids});
  if (r.exit_code != 0) return state;
  std::istringstream lines(r.out);
  std::string id, slurm_state;
  while (lines >> id >> slurm_state) {
    const std::size_t underscore = id.find('_');
    if (underscore == std::string::npos) {
      if (id == s.aggregate) state.aggregate_queued = true;
      continue;
    }
    const std::string array = id.substr(0, underscore);
    for (std::size_t a = 0; a < s.arrays.size(); ++a) {
      if (s.arrays[a] != array) continue;
      try {
        const std::size_t task = a * kTasksPerArray + std::stoul(id.substr(underscore + 1));
        if (task < s.jobs.size()) state.jobs[s.jobs[task]] = slurm_state;
      } catch (const std::exception&) {
        // A range ("123_[4-7]") is printed only without --array; nothing to map.
      }
    }
  }
  return state;
}

void refuse_if_filling(const fs::path& results) {
  const std::optional<SlurmSubmission> s = read_submission(results);
  if (!s) return;
  const QueueState queue = query_queue(*s);
  if (queue.jobs.empty() && !queue.aggregate_queued) return;
  std::string ids;
  for (const std::string& id : s->arrays) ids += " " + id;
  throw UserError(Diagnostic{results.string(), 0, 0, "",
                             "Slurm jobs are still filling this results folder (" + std::to_string(queue.jobs.size()) +
                                 " task(s) queued or running; `expanse status " + results.string() +
                                 "`); wait for them, or cancel them with `scancel" + ids + " " + s->aggregate + "`"});
}

}  // namespace expanse::runner
