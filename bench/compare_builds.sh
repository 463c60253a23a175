#!/usr/bin/env bash
# Compares the env speed of two builds of bench/env_throughput on this machine, whose speed drifts
# from minute to minute: both run at the same time, one on each core (swapped every round), so that
# the drift hits both, and each round gives the ratio B/A of their env steps/s (Discrete asia-pacific
# unless a scenario and view are named).
#   bash bench/compare_builds.sh OLD/env_throughput NEW/env_throughput [ROUNDS [STEPS [SCENARIO [VIEW]]]]
# (from the repository root)
# Prints each round's figures and the sorted ratios; the median ratio is the comparison.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: bash bench/compare_builds.sh A/env_throughput B/env_throughput [ROUNDS [STEPS [SCENARIO [VIEW]]]]" >&2
  exit 2
fi
a=$1 b=$2 rounds=${3:-12} steps=${4:-400000} scenario=${5:-asia-pacific} view=${6:-discrete}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
speed() { grep -o '[0-9]* env steps/s' "$1" | cut -d' ' -f1; }
for ((i = 0; i < rounds; i++)); do
  core_a=$((i % 2)) core_b=$(((i + 1) % 2))
  taskset -c "$core_a" "$a" --fixed "$steps" "$scenario" "$view" >"$out/a" &
  pid_a=$!
  taskset -c "$core_b" "$b" --fixed "$steps" "$scenario" "$view" >"$out/b" &
  wait "$pid_a" $!
  echo "$(speed "$out/a") $(speed "$out/b")"
done | tee "$out/rounds" | awk '{printf "round %d: A %d, B %d env steps/s\n", NR, $1, $2}'
echo "B/A, sorted: $(awk '{printf "%.3f\n", $2 / $1}' "$out/rounds" | sort -n | tr '\n' ' ')"
