#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (Catch2 unit, property and golden tests, and
# the CLI end-to-end checks) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
ctest --preset release --output-on-failure -j 2
