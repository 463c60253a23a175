#!/usr/bin/env bash
# Builds the `fuzz` preset (clang, libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# every fuzz target, or those named, for SECONDS each on a copy of its seed corpus (fuzz/corpus/NAME,
# kept as committed; new inputs go to build/fuzz/corpus/NAME). A crash, a sanitizer report, an input
# slower than 1 s (a scenario: 5 s) or a process past 2 GiB is a finding: its input is written to
# build/fuzz/findings/NAME/ and the script exits 1. Usage (docs/reliability.md):
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]      # default 5 s, every target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario experiment agent_config priors history)
bash scripts/build.sh fuzz
failed=()
for name in "${targets[@]}"; do
  binary="build/fuzz/fuzz/${name}_fuzz"
  [ -x "$binary" ] || { echo "fuzz: no target $name" >&2; exit 2; }
  corpus="build/fuzz/corpus/$name" findings="build/fuzz/findings/$name"
  mkdir -p "$corpus" "$findings"
  dict=()
  case "$name" in scenario | experiment | agent_config | priors) dict=(-dict=fuzz/yaml.dict) ;; esac
  # A scenario at the generator's limit (1,000 regions) takes about 2 s under the sanitizers.
  timeout=1
  [ "$name" = scenario ] && timeout=5
  # One thread of LibTorch, like every test; the leak checker stays on.
  if OMP_NUM_THREADS=1 "$binary" "$corpus" "fuzz/corpus/$name" "${dict[@]}" -max_total_time="$seconds" -timeout="$timeout" \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" \
    > "build/fuzz/$name.log" 2>&1; then
    echo "fuzz $name: $(grep -E '^stat::number_of_executed_units' "build/fuzz/$name.log" | awk '{print $2}') inputs in ${seconds} s, no finding"
  else
    echo "fuzz $name: FINDING (build/fuzz/$name.log, input in $findings/):"
    grep -E "ERROR|finding|SUMMARY|Test unit written" "build/fuzz/$name.log" | head -5
    failed+=("$name")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: findings in ${failed[*]}" >&2; exit 1; }
