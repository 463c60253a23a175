#include "env/util/atomic_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "env/util/user_error.hpp"

namespace expanse {

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw UserError(Diagnostic{path, 0, 0, "", what + ": " + reason});
  };
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) fail("cannot create the file");
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

template <class Iterator>
int remove_stale(Iterator entries) {
  std::vector<std::filesystem::path> stale;  // removed after the walk, which must not see its folder change
  std::error_code ec;
  for (const auto& entry : entries) {
    const long pid = temporary_owner(entry.path().filename().string());
    if (pid <= 0 || !entry.is_regular_file(ec)) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // its writer may still run
    stale.push_back(entry.path());
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
