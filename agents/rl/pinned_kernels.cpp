// Pins the kernels that OpenBLAS and LibTorch choose at run time to their AVX2 versions on every
// processor that has AVX2 and FMA. Left alone, each picks by processor: with AVX-512, OpenBLAS takes
// its Cooper Lake sgemm and LibTorch its AVX-512 kernels, which round differently, and a training
// run at a fixed seed gives other numbers than on an AVX2 machine (PPO on CartPole-v1 at the
// learning test's seed: 373.8 instead of ≥ 475). Pinned, a seed gives the same run on both.
// Choices the user has made (OPENBLAS_CORETYPE, ATEN_CPU_CAPABILITY) are kept.
//
// LibTorch reads ATEN_CPU_CAPABILITY at its first operation. OpenBLAS reads OPENBLAS_CORETYPE in its
// initialiser, before main(), so it is asked to choose again: gotoblas_dynamic_quit/init are the
// entry points of OpenBLAS builds that choose by processor (DYNAMIC_ARCH, as Debian's); a BLAS
// without them has no such choice to pin. This constructor runs after every shared library's
// initialiser and before the program's other static initialisers and main().
// Linked into every executable that trains (an object library: see agents/CMakeLists.txt).
#include <dlfcn.h>

#include <cstdlib>

namespace {

[[gnu::constructor(101)]] void pin_kernels() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return;
  setenv("ATEN_CPU_CAPABILITY", "avx2", 0);
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;  // the user's choice: OpenBLAS has made it
  setenv("OPENBLAS_CORETYPE", "Haswell", 0);
  using Entry = void (*)();
  const auto quit = reinterpret_cast<Entry>(dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit"));
  const auto init = reinterpret_cast<Entry>(dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init"));
  if (quit == nullptr || init == nullptr) return;
  quit();
  init();
}

}  // namespace
