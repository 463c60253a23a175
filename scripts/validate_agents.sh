#!/usr/bin/env bash
# Trains the published-reference cases of docs/agents.md with CleanRL's default hyperparameters,
# seeds 1-3, and prints each case's mean of the last 100 training episodes (mean ± std over seeds).
# Usage: scripts/validate_agents.sh [OUT_DIR [CASE...]]   (default results/validation, every case:
# about 25 min on one core; a CASE is ALGO-ENV, e.g. ppo-cartpole-v1)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-results/validation}"
shift || true
only=("$@")
expanse=build/release/expanse
[ -x "$expanse" ] || scripts/build.sh release > /dev/null
mkdir -p "$out"
cases=(
  "ppo cartpole-v1 500000 490±6 (CleanRL)"
  "dqn cartpole-v1 500000 489±16 (CleanRL)"
  "ppo acrobot-v1 500000 -86±1 (CleanRL)"
  "sac pendulum-v1 20000 -157±89 (rl-baselines3-zoo)"
)
printf '| algorithm | env | steps | seed 1 | seed 2 | seed 3 | mean ± std | steps/s (mean) | reference |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for c in "${cases[@]}"; do
  read -r algo env steps reference <<< "$c"
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $algo-$env "* ]]; then continue; fi
  values=() speeds=()
  for seed in 1 2 3; do
    dir="$out/$algo-$env-$seed"
    rm -rf "$dir"
    "$expanse" train --algo "$algo" --env "$env" --steps "$steps" --seed "$seed" --out "$dir" > /dev/null 2>&1
    values+=("$(sed -n 's/.*"last100_mean_return": \(.*\),/\1/p' "$dir/summary.json")")
    speeds+=("$(sed -n 's/.*"steps_per_second": \(.*\),/\1/p' "$dir/summary.json")")
  done
  stats=$(printf '%s\n' "${values[@]}" | awk '{s+=$1; q+=$1*$1; n++} END {m=s/n; v=q/n-m*m; if (v<0) v=0; printf "%.1f ± %.1f", m, sqrt(v)}')
  speed=$(printf '%s\n' "${speeds[@]}" | awk '{s+=$1; n++} END {printf "%.0f", s/n}')
  printf '| %s | %s | %s | %.1f | %.1f | %.1f | %s | %s | %s |\n' "$algo" "$env" "$steps" "${values[@]}" "$stats" "$speed" "$reference"
done
