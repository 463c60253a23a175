#pragma once
// Where an experiment's jobs run: worker processes on this machine (LocalBackend) or a Slurm
// cluster's job array (SlurmBackend). Both run each job as `expanse run-job RESULTS INDEX`, which
// writes only its own job folder, so the results folder and the report are the same either way.
#include <filesystem>
#include <iosfwd>
#include <string>

#include "runner/prepared_run.hpp"

namespace expanse::runner {

class Backend {
 public:
  virtual ~Backend() = default;
  // Refuses, before anything in the results folder changes, what would make the run fail later (a
  // missing program, an unknown partition): throws UserError. `results` is results/NAME.
  virtual void check(const std::filesystem::path& results) const = 0;
  // Runs or submits the pending jobs; returns the exit code of `expanse run`.
  virtual int run(const PreparedRun& run, std::ostream& out) = 0;
};

}  // namespace expanse::runner
