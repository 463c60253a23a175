#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/user_error.hpp"

namespace expanse {

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw UserError(Diagnostic{path, 0, 0, "", what + ": " + reason});
  };
  // Locked while it is written: a killed writer's lock goes with it, so remove_stale_temporaries
  // can tell a left-over file from one being written, whatever became of the PID in its name.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create the file");
  ::flock(fd, LOCK_EX);  // where the file system has no locks, the PID alone tells
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    ::close(fd);
    fail("cannot create the file");
  }
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  const bool flushed = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  if (std::fclose(f) != 0 || !written || !flushed) fail("cannot write the file");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot replace the file");
}

namespace {
// The PID of a "NAME.tmp.PID" file name, or 0.
long temporary_owner(const std::string& name) {
  const std::size_t at = name.rfind(".tmp.");
  if (at == std::string::npos || at + 5 == name.size()) return 0;
  long pid = 0;
  for (std::size_t i = at + 5; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || pid > 100'000'000) return 0;
    pid = pid * 10 + (name[i] - '0');
  }
  return pid;
}

// Whether process `pid` has ended: gone, or a zombie nobody has reaped yet (a container's init may
// never reap one, and kill(pid, 0) succeeds on a zombie).
bool process_ended(long pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  std::FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!stat) return false;
  char line[512] = {};
  const bool read = std::fgets(line, sizeof line, stat) != nullptr;
  std::fclose(stat);
  const char* name_end = read ? std::strrchr(line, ')') : nullptr;  // "PID (NAME) STATE ..."
  return name_end && name_end[1] == ' ' && name_end[2] == 'Z';
}

// Whether a temporary file's writer is gone. Its lock says so even when the PID has been reused;
// where locks are not supported, the PID decides.
bool writer_gone(const std::filesystem::path& file, long pid) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const int locked = ::flock(fd, LOCK_SH | LOCK_NB);
  const int error = errno;
  ::close(fd);
  if (locked == 0) return true;
  return error != EWOULDBLOCK && process_ended(pid);
}

template <class Iterator>
int remove_stale(Iterator entries) {
  std::vector<std::filesystem::path> stale;  // removed after the walk, which must not see its folder change
  std::error_code ec;
  for (const auto& entry : entries) {
    const long pid = temporary_owner(entry.path().filename().string());
    if (pid <= 0 || !entry.is_regular_file(ec)) continue;
    if (writer_gone(entry.path(), pid)) stale.push_back(entry.path());
  }
  int removed = 0;
  for (const auto& path : stale) removed += std::filesystem::remove(path, ec) ? 1 : 0;
  return removed;
}
}  // namespace

int remove_stale_temporaries(const std::string& dir, bool recursive) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  if (recursive) return remove_stale(std::filesystem::recursive_directory_iterator(dir, ec));
  return remove_stale(std::filesystem::directory_iterator(dir, ec));
}

}  // namespace expanse
