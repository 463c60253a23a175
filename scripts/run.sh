#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, and run Expanse on its embedded
# default scenario (asia-pacific) with no other input. Extra arguments go to `expanse`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
exec build/release/expanse "$@"
