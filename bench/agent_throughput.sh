#!/usr/bin/env bash
# Training throughput of the learning agents with CleanRL's default hyperparameters and CleanRL's
# step budgets, one thread each, run one after the other on an otherwise idle machine.
# Usage: bench/agent_throughput.sh [OUT_DIR]   (default /tmp/expanse-agent-bench; 2 to 7 min)
# Prints steps/s per run and the BLAS LibTorch used; figures go to docs/benchmarks.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/expanse-agent-bench}"
expanse=build/release/expanse
[ -x "$expanse" ] || scripts/build.sh release > /dev/null
rm -rf "$out" && mkdir -p "$out"
printf '%-28s %10s %12s  %-24s %s\n' run steps steps/s kernels blas
for c in "ppo cartpole-v1 500000" "dqn cartpole-v1 500000" "sac pendulum-v1 20000"; do
  read -r algo env steps <<< "$c"
  "$expanse" train --algo "$algo" --env "$env" --steps "$steps" --seed 1 --out "$out/$algo-$env" > /dev/null 2>&1
  sps=$(sed -n 's/.*"steps_per_second": \(.*\),/\1/p' "$out/$algo-$env/summary.json")
  blas=$(sed -n 's/.*"blas": "\([^"]*\)".*/\1/p' "$out/$algo-$env/summary.json")
  kernels=$(sed -n 's/.*"kernels": "\([^"]*\)".*/\1/p' "$out/$algo-$env/summary.json")
  printf '%-28s %10s %12.0f  %-24s %s\n' "$algo $env" "$steps" "$sps" "$kernels" "$blas"
done
