#pragma once
// The pending jobs in parallel worker processes on this machine (each a fresh `expanse run-job`, so
// LibTorch never meets fork()), with progress and an ETA; Ctrl-C stops cleanly; the summary and the
// report are written when every job is done.
#include "runner/backend.hpp"

namespace expanse::runner {

class LocalBackend final : public Backend {
 public:
  explicit LocalBackend(int workers) : workers_(workers) {}  // 0: the experiment's setting
  void check(const std::filesystem::path&) const override {}
  // 0 done, 1 some job failed, 130 interrupted.
  int run(const PreparedRun& run, std::ostream& out) override;

 private:
  int workers_;
};

}  // namespace expanse::runner
