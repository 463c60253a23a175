#pragma once
// Running another program (sbatch, squeue, sinfo) and reading what it printed: the Slurm backend's
// only way to talk to a cluster, so that nothing links against Slurm's libraries.
#include <string>
#include <vector>

namespace expanse::runner {

struct ExternalResult {
  int exit_code = -1;  // -1: it could not be started, or a signal ended it
  std::string out, err;
};

// Runs argv[0] (looked up on PATH) with the rest as its arguments and waits for it.
ExternalResult run_external(const std::vector<std::string>& argv);

// Whether `program` is an executable file on PATH.
bool on_path(const std::string& program);

// The first non-empty line of `text`, without its end.
std::string first_line(const std::string& text);

}  // namespace expanse::runner
