#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (Catch2 unit, property and golden tests, the CLI,
# runner, Slurm and kill-anywhere end-to-end checks) through CTest; then a short run of every fuzz
# target and the tests without LibTorch under ASan + UBSan (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
ctest --preset release --output-on-failure -j 2
bash scripts/fuzz.sh 5
bash scripts/sanitize.sh
