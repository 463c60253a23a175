#!/usr/bin/env bash
# The Slurm backend's overhead against the local one: the same experiment run alternately through
# `expanse run` (2 local workers) and `expanse run --backend slurm --array-parallelism 2` on the
# one-node cluster of scripts/slurm-local.sh (2 CPUs), wall time from the command to the report.
#   bash bench/slurm_overhead.sh [EXPERIMENT [ROUNDS]]   (from the repository root, as root)
# Default: configs/tiny.yaml, 3 rounds. Prints each round's seconds and the medians.
set -euo pipefail
experiment=${1:-configs/tiny.yaml} rounds=${2:-3}
expanse=$PWD/build/release/expanse
work=$(mktemp -d)
export EXPANSE_SLURM_DIR=$work/cluster EXPANSE_SLURM_PORT=16837
trap 'bash scripts/slurm-local.sh stop; rm -rf "$work"' EXIT
eval "$(bash scripts/slurm-local.sh start)"
name=$(sed -n 's/^name: *//p' "$experiment")
seconds() { date +%s.%N; }
for ((i = 1; i <= rounds; i++)); do
  start=$(seconds)
  "$expanse" run "$experiment" --results "$work/local-$i" --workers 2 >/dev/null
  local_s=$(awk -v a="$start" -v b="$(seconds)" 'BEGIN {printf "%.1f", b - a}')
  start=$(seconds)
  "$expanse" run "$experiment" --results "$work/slurm-$i" --backend slurm --array-parallelism 2 >/dev/null
  until [ -s "$work/slurm-$i/$name/summary.csv" ] && [ -z "$(squeue --noheader)" ]; do sleep 0.5; done
  slurm_s=$(awk -v a="$start" -v b="$(seconds)" 'BEGIN {printf "%.1f", b - a}')
  cmp -s "$work/local-$i/$name/summary.csv" "$work/slurm-$i/$name/summary.csv" || echo "summary.csv differs!" >&2
  echo "round $i: local ${local_s} s, slurm ${slurm_s} s"
done | tee "$work/rounds"
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "median: local $(awk '{print $4}' "$work/rounds" | median) s, slurm $(awk '{print $7}' "$work/rounds" | median) s"
