#!/usr/bin/env bash
# Compares the training speed of two builds of `expanse` on this machine, whose speed drifts from
# minute to minute: both train at the same time, one on each core (swapped every round), so that
# the drift hits both; each round gives the ratio B/A of their training steps/s (summary.json).
#   bash bench/compare_training.sh OLD/expanse NEW/expanse [ROUNDS [ALGO ENV STEPS]]
# Default run: PPO with the market defaults on scenarios/asia-pacific.yaml, 40,000 steps. Prints
# each round's figures and the sorted ratios; the median ratio is the comparison.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: bash bench/compare_training.sh A/expanse B/expanse [ROUNDS [ALGO ENV STEPS]]" >&2
  exit 2
fi
a=$(realpath "$1") b=$(realpath "$2") rounds=${3:-8}
algo=${4:-ppo} env=$(realpath "${5:-scenarios/asia-pacific.yaml}") steps=${6:-40000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
speed() { sed -n 's/.*"steps_per_second": \([0-9.]*\).*/\1/p' "$1/summary.json"; }
for ((i = 0; i < rounds; i++)); do
  rm -rf "$out/a" "$out/b"
  taskset -c $((i % 2)) "$a" train --algo "$algo" --env "$env" --steps "$steps" --seed 1 --out "$out/a" > /dev/null 2>&1 &
  pid_a=$!
  taskset -c $(((i + 1) % 2)) "$b" train --algo "$algo" --env "$env" --steps "$steps" --seed 1 --out "$out/b" > /dev/null 2>&1 &
  wait "$pid_a" $!
  echo "$(speed "$out/a") $(speed "$out/b")"
done | tee "$out/rounds" | awk '{printf "round %d: A %.0f, B %.0f training steps/s\n", NR, $1, $2}'
echo "B/A, sorted: $(awk '{printf "%.3f\n", $2 / $1}' "$out/rounds" | sort -n | tr '\n' ' ')"
