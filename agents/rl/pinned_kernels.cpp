// Pins the kernels that OpenBLAS and LibTorch choose at run time to their AVX2 versions on every
// processor that has AVX2 and FMA. Left alone, each picks by processor: with AVX-512, OpenBLAS takes
// its Cooper Lake sgemm and LibTorch its AVX-512 kernels, which round differently, and a training
// run at a fixed seed gives other numbers than on an AVX2 machine (PPO on CartPole-v1 at the
// learning test's seed: 373.8 instead of ≥ 475). Pinned, a seed gives the same run on both.
// Variables the user has set (OPENBLAS_CORETYPE, ATEN_CPU_CAPABILITY) are kept.
//
// OpenBLAS reads OPENBLAS_CORETYPE in its initialiser, before main(), and an environment changed
// before libc's own initialiser is reset by it; so when a variable is missing, the program starts
// again (execve of itself, before any initialiser has run: ~20 ms) with the variables added.
// Linked into every executable that trains (an object library: see agents/CMakeLists.txt).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace {

constexpr const char* kPins[] = {"OPENBLAS_CORETYPE=Haswell", "ATEN_CPU_CAPABILITY=avx2"};

bool is_set(char** envp, const char* pin) {
  const std::size_t name_length = std::strchr(pin, '=') - pin + 1;
  for (char** e = envp; *e != nullptr; ++e)
    if (std::strncmp(*e, pin, name_length) == 0) return true;
  return false;
}

void pin_kernels(int, char** argv, char** envp) {
  __builtin_cpu_init();  // runs before the constructors that would do it
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return;
  // libc is not initialised yet: the environment as passed and plain malloc, no getenv/setenv.
  const char* missing[std::size(kPins)];
  std::size_t missing_count = 0;
  for (const char* pin : kPins)
    if (!is_set(envp, pin)) missing[missing_count++] = pin;
  if (missing_count == 0) return;  // pinned (or chosen by the user): the usual case after the restart
  std::size_t count = 0;
  while (envp[count] != nullptr) ++count;
  char** pinned = static_cast<char**>(std::malloc((count + missing_count + 1) * sizeof(char*)));
  if (pinned == nullptr) return;
  std::memcpy(pinned, envp, count * sizeof(char*));
  std::memcpy(pinned + count, missing, missing_count * sizeof(char*));
  pinned[count + missing_count] = nullptr;
  execve("/proc/self/exe", argv, pinned);
  // Only reached when the program cannot be started again (no /proc): it runs with the kernels
  // the libraries choose.
  std::fputs("expanse: could not pin the BLAS kernels (set OPENBLAS_CORETYPE=Haswell and "
             "ATEN_CPU_CAPABILITY=avx2 to reproduce runs of AVX2 machines)\n", stderr);
  std::free(pinned);
}

// The executable's .preinit_array runs before every shared library's initialiser.
[[gnu::used, gnu::section(".preinit_array")]] void (*pin_kernels_at_start)(int, char**, char**) = pin_kernels;

}  // namespace
