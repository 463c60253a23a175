// Atomic writes and the clean-up of what a killed writer left: a temporary is removed exactly when
// its writer is gone, whether its PID is free, a zombie nobody reaped, or reused by another process.
#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using namespace expanse;
namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("expanse-atomic-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  return dir;
}

// A child that opens and locks `file` as write_file_atomically does, then waits to be killed.
pid_t start_writer(const fs::path& dir) {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string file = (dir / ("checkpoint.pt.tmp." + std::to_string(::getpid()))).string();
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
    ::write(ready[1], "x", 1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  ::close(ready[0]);
  return pid;
}
}  // namespace

TEST_CASE("write_file_atomically replaces a file whole and leaves no temporary", "[common][atomic]") {
  const fs::path dir = fresh_dir("write");
  const std::string path = (dir / "a.csv").string();
  write_file_atomically(path, "old\n");
  write_file_atomically(path, "new\n");
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  CHECK(line == "new");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);  // a.csv, sub/
  fs::remove_all(dir);
}

TEST_CASE("A temporary being written is kept; its killed writer's is removed, reaped or not", "[common][atomic]") {
  const fs::path dir = fresh_dir("stale");
  const pid_t writer = start_writer(dir / "sub");
  const fs::path file = dir / "sub" / ("checkpoint.pt.tmp." + std::to_string(writer));
  CHECK(remove_stale_temporaries(dir.string(), true) == 0);
  CHECK(fs::exists(file));

  ::kill(writer, SIGKILL);
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, writer, &info, WEXITED | WNOWAIT) == 0);  // dead, not yet reaped: a zombie
  CHECK(remove_stale_temporaries(dir.string(), false) == 0);        // not in the top folder
  CHECK(remove_stale_temporaries(dir.string(), true) == 1);
  CHECK_FALSE(fs::exists(file));
  ::waitpid(writer, nullptr, 0);

  // A PID now used by a living process (here this one) that holds no lock on the file.
  const fs::path reused = dir / ("summary.json.tmp." + std::to_string(::getpid()));
  std::ofstream(reused) << "half";
  CHECK(remove_stale_temporaries(dir.string(), false) == 1);
  CHECK_FALSE(fs::exists(reused));
  fs::remove_all(dir);
}
