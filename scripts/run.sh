#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, and run the quickstart experiment —
# PPO, DQN, SAC and CEM against the baselines on the embedded default scenario (asia-pacific), about
# 10 minutes on 2 cores, printing the comparison table. With arguments, runs `expanse ARGS...` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
if [ $# -eq 0 ]; then
  exec build/release/expanse run configs/quickstart.yaml
fi
exec build/release/expanse "$@"
