#!/usr/bin/env bash
# Training throughput of PPO on market scenarios with the entity network (the market defaults) beside
# the flat MLP (same sizes, no teacher, no reward scaling), one thread each, run one after the other
# on an otherwise idle machine. Usage: bench/entity_throughput.sh [OUT_DIR] [STEPS]
# (default /tmp/expanse-entity-bench, 200000 steps; about 3 minutes). Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/expanse-entity-bench}"
steps="${2:-200000}"
expanse=build/release/expanse
[ -x "$expanse" ] || scripts/build.sh release > /dev/null
rm -rf "$out" && mkdir -p "$out"
printf 'view: discrete\nnetwork: mlp\nnorm_reward: false\nteacher: none\n' > "$out/mlp.yaml"
printf 'view: discrete\n' > "$out/entity.yaml"  # everything else: the market defaults
printf '%-14s %-8s %10s %12s\n' scenario network steps steps/s
for scenario in asia-pacific world; do
  for network in mlp entity; do
    run="$out/$scenario-$network"
    "$expanse" train --algo ppo --env "scenarios/$scenario.yaml" --config "$out/$network.yaml" --steps "$steps" \
      --seed 1 --out "$run" > /dev/null 2>&1
    sps=$(sed -n 's/.*"steps_per_second": \(.*\),/\1/p' "$run/summary.json")
    printf '%-14s %-8s %10s %12.0f\n' "$scenario" "$network" "$steps" "$sps"
  done
done
