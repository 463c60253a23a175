#!/usr/bin/env bash
# The tests under AddressSanitizer + UndefinedBehaviorSanitizer (the `asan` preset, g++).
#   bash scripts/sanitize.sh          # the tests without LibTorch (expanse_tests: env, analysis,
#                                     # baselines): part of scripts/test.sh, a few minutes
#   bash scripts/sanitize.sh all      # the whole suite, the LibTorch agents and the end-to-end
#                                     # checks too: the nightly command (tests ~25 min on 2 cores,
#                                     # after the asan build; docs/reliability.md)
# Any sanitizer report fails the run (-fno-sanitize-recover=all). One suppression, for the `all` run: a
# LibTorch leak that only checkpoint_mutations reaches (tests/lsan_libtorch.supp says why).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan > /dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
if [ "${1:-}" = all ]; then
  cmake --build --preset asan -j 2
  ctest --preset asan --output-on-failure -j 2
else
  cmake --build --preset asan -j 2 --target expanse_tests
  build/asan/tests/expanse_tests
fi
