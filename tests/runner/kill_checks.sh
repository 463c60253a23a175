#!/usr/bin/env bash
# Kill anywhere, lose nothing:
#   1. `expanse run` and its workers killed with SIGKILL at TRIALS instants spread over training,
#      evaluation and aggregation, then run again: the results folder ends byte-identical to an
#      uninterrupted run's (logs and training times aside), no finished job runs again, and no
#      temporary file is left;
#   2. `expanse train --resume` killed during checkpoint writes ends as an uninterrupted run;
#   3. a full disk and a read-only results folder give a clear error and leave earlier results as
#      they were.
# Usage: kill_checks.sh EXPANSE SOURCE_DIR WORK_DIR [TRIALS]
set -euo pipefail
expanse="$1" source="$2" work="$3" trials="${4:-20}"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }
experiment="$source/tests/data/experiments/kill.yaml"
run="$work/run"  # every run writes here, so that the paths recorded in files are the same

# "FILE MD5" of every file two uninterrupted runs agree on: logs differ, and a training summary's
# time, speed and `resumed` flag.
fingerprint() {
  (cd "$1" && find . -type f ! -name log.txt | sort | while IFS= read -r f; do
    case "$f" in
      */train/summary.json) echo "$f $(grep -vE '"(seconds|steps_per_second|resumed)"' "$f" | md5sum)" ;;
      *) echo "$f $(md5sum < "$f")" ;;
    esac
  done)
}
temporaries() { find "$1" -name '*.tmp.*' -o -name '*.partial'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- 1. expanse run ------------------------------------------------------------------------------
t0=$(now_ms)
"$expanse" run "$experiment" --results "$run" > "$work/reference.txt" 2>&1 || fail "reference run: $(cat "$work/reference.txt")"
duration=$(($(now_ms) - t0))
fingerprint "$run" > "$work/reference.md5"
rm -rf "$run"
echo "reference run: ${duration} ms, $(wc -l < "$work/reference.md5") files"

RANDOM=20261207
declare -A phases
evaluations() { find "$run" -name evaluation.csv 2> /dev/null | wc -l || true; }
# Waits until at least $1 jobs are done (or the run ended), then $2 more milliseconds.
after_jobs() {
  until [ "$(evaluations)" -ge "$1" ] || ! kill -0 "$leader" 2> /dev/null; do sleep 0.01; done
  sleep "$(awk -v ms="$2" 'BEGIN {printf "%.3f", ms / 1000}')"
}
for ((i = 0; i < trials; i++)); do
  t0=$(now_ms)
  setsid "$expanse" run "$experiment" --results "$run" > "$work/killed.txt" 2>&1 &
  leader=$!
  # A third of the kills at instants spread evenly over the reference run (jittered within their
  # slot); a third after a random number of jobs are done (evaluation and training overlap); a third
  # once every job is done, while the summary, report and figures are written.
  case $((i % 3)) in
    0) after_jobs 0 $(((duration * i + RANDOM % duration) / trials)) ;;
    1) after_jobs $((1 + RANDOM % 9)) $((RANDOM % 300)) ;;
    2) after_jobs 10 $((RANDOM % 300)) ;;
  esac
  delay="$(($(now_ms) - t0))"
  kill -KILL -- "-$leader" 2> /dev/null || true
  wait "$leader" 2> /dev/null || true
  # Which phase it was killed in, and which jobs were done then.
  done_before=$(find "$run" -name evaluation.csv -printf '%p %i %T@\n' 2> /dev/null | sort || true)
  trained=$(find "$run" -path '*/train/summary.json' 2> /dev/null | wc -l || true)
  if [ -e "$run/kill/summary.csv" ]; then
    phase=finished
  elif [ "$(echo -n "$done_before" | grep -c .)" -eq 10 ]; then  # every job done: 2 seeds × 5 policies
    phase=aggregation
  elif [ "$trained" -eq 4 ]; then  # both learners, both seeds
    phase=evaluation
  else
    phase=training
  fi
  phases[$phase]=$((${phases[$phase]:-0} + 1))
  "$expanse" run "$experiment" --results "$run" > "$work/rerun.txt" 2>&1 ||
    fail "trial $i (killed after ${delay} ms, $phase): the rerun failed: $(tail -3 "$work/rerun.txt")"
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    file=${line%% *}
    now=$(find "$file" -printf '%p %i %T@\n' 2> /dev/null || true)
    [ "$now" = "$line" ] || fail "trial $i (killed after ${delay} ms, $phase): a finished job ran again or moved: $file"
  done <<< "$done_before"
  fingerprint "$run" > "$work/trial.md5"
  diff "$work/reference.md5" "$work/trial.md5" > "$work/trial.diff" ||
    fail "trial $i (killed after ${delay} ms, $phase): results differ: $(head -5 "$work/trial.diff")"
  [ -z "$(temporaries "$run")" ] || fail "trial $i: temporary files left: $(temporaries "$run")"
  rm -rf "$run"
done
echo "run: $trials of $trials kills recovered (by phase: $(for p in "${!phases[@]}"; do echo -n "$p ${phases[$p]}; "; done))"

# --- 2. expanse train --resume, killed while it writes a checkpoint ------------------------------
train=(train --algo ppo --env "$source/scenarios/tiny.yaml" --steps 24000 --seed 3)
config="$work/big.yaml"  # a large network, so that each checkpoint takes a while to write
echo "{hidden: [512, 512], num_steps: 40, num_envs: 2, checkpoint_interval: 1600}" > "$config"
"$expanse" "${train[@]}" --config "$config" --out "$work/straight" > /dev/null 2>&1 || fail "uninterrupted training"
hits=0
for ((i = 0; i < 8; i++)); do
  "$expanse" "${train[@]}" --config "$config" --out "$work/resumed" --resume > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 20000); do
    if compgen -G "$work/resumed/checkpoint.pt.tmp.*" > /dev/null; then
      kill -KILL "$pid" 2> /dev/null && hits=$((hits + 1))
      break
    fi
    kill -0 "$pid" 2> /dev/null || break
  done
  wait "$pid" 2> /dev/null || true
done
[ "$hits" -ge 5 ] || fail "only $hits of 8 kills landed during a checkpoint write"
"$expanse" "${train[@]}" --config "$config" --out "$work/resumed" --resume > "$work/resume.txt" 2>&1 ||
  fail "the resume after the kills: $(tail -3 "$work/resume.txt")"
cmp -s "$work/straight/metrics.csv" "$work/resumed/metrics.csv" || fail "metrics.csv differs after the kills"
cmp -s "$work/straight/checkpoint.pt" "$work/resumed/checkpoint.pt" || fail "the final checkpoint differs after the kills"
[ -z "$(temporaries "$work/resumed")" ] || fail "temporary files left: $(temporaries "$work/resumed")"
echo "train: $hits kills during a checkpoint write, resumed to identical metrics and checkpoint"

# --- 3. A full disk and a read-only results folder -----------------------------------------------
disk="$work/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=3m tmpfs "$disk" 2> "$work/mount.txt"; then
  echo "SKIPPED (disk checks): cannot mount a small tmpfs: $(cat "$work/mount.txt")"
  exit 0
fi
trap 'umount "$disk" 2> /dev/null || true' EXIT
smoke="$source/tests/data/experiments/smoke.yaml"
"$expanse" run "$smoke" --results "$disk" > "$work/disk-smoke.txt" 2>&1 || fail "smoke on the tmpfs: $(tail -3 "$work/disk-smoke.txt")"
fingerprint "$disk/smoke" > "$work/smoke.md5"
head -c 100m /dev/zero > "$disk/filler" 2> /dev/null || true  # the disk is now full
set +e
"$expanse" run "$experiment" --results "$disk" > "$work/full.txt" 2>&1
code=$?
set -e
[ "$code" -ne 0 ] || fail "a run on a full disk succeeded"
grep -q "No space left on device" "$work/full.txt" || fail "no clear error on a full disk: $(tail -3 "$work/full.txt")"
fingerprint "$disk/smoke" | cmp -s - "$work/smoke.md5" || fail "the full disk changed earlier results"
rm -f "$disk/filler"
mount -o remount,ro "$disk"
set +e
"$expanse" run "$smoke" --results "$disk" --rerun ppo > /dev/null 2> "$work/readonly.txt"
code=$?
set -e
[ "$code" -eq 1 ] || fail "a run into a read-only folder exited $code: $(cat "$work/readonly.txt")"
grep -q "Read-only file system" "$work/readonly.txt" || fail "no clear error on a read-only folder: $(cat "$work/readonly.txt")"
[ "$(wc -l < "$work/readonly.txt")" -eq 1 ] || fail "not one error line: $(cat "$work/readonly.txt")"
fingerprint "$disk/smoke" | cmp -s - "$work/smoke.md5" || fail "the read-only run changed earlier results"
echo "disk: full and read-only folders refused with a clear error, earlier results unchanged"
echo "kill checks passed"
