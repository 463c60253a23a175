#!/usr/bin/env bash
# The Slurm backend against a real one-node Slurm (scripts/slurm-local.sh):
#   1. configs/tiny.yaml through Slurm gives byte-identical evaluation files and summary to the local
#      backend, although one training task is stopped by USR1 (it checkpoints and requeues itself)
#      and another is killed by `scontrol requeue`;
#   2. after one task failed, a resubmission submits only that task and keeps every finished run;
#   3. bad input is refused before anything is submitted.
# Exits 77 (CTest: skipped, with the reason) where a cluster cannot start: not root, or no Slurm.
# Usage: slurm_checks.sh EXPANSE SOURCE_DIR WORK_DIR
set -euo pipefail
expanse="$1" source="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }

# A cluster of its own (folder and ports), so that one a user started is left alone.
export EXPANSE_SLURM_DIR="$work/cluster" EXPANSE_SLURM_PORT=16827
set +e
started=$(bash "$source/scripts/slurm-local.sh" start 2>"$work/cluster-start.txt")
code=$?
set -e
if [ "$code" -eq 77 ]; then
  echo "SKIPPED: $(cat "$work/cluster-start.txt")"
  exit 77
fi
[ "$code" -eq 0 ] || fail "the local cluster did not start: $(cat "$work/cluster-start.txt")"
trap 'bash "$source/scripts/slurm-local.sh" stop' EXIT
eval "$started"
[ -n "${SLURM_CONF:-}" ] || fail "slurm-local.sh start printed no SLURM_CONF"

# Waits (up to $2 seconds) until the command in $1 succeeds.
wait_for() {
  local i
  for i in $(seq "$2"); do
    if eval "$1"; then return 0; fi
    sleep 1
  done
  fail "timed out waiting for: $1"
}
# A requeued task waits for Slurm's requeue delay (minutes); the test lets it start at once.
wait_pending() { wait_for "[ \"\$(squeue --noheader --jobs=$1 --format=%T 2> /dev/null)\" = PENDING ]" 60; }
start_now() { scontrol update JobId="$1" StartTime=now; }
array_of() { sed -n 's/^arrays: \[\([0-9]*\).*/\1/p' "$1/slurm/submission.yaml"; }
queue_empty() { [ -z "$(squeue --noheader)" ]; }

# --- 3. Bad input: a clear error, nothing submitted, no results folder. ---------------------------
smoke="$source/tests/data/experiments/smoke.yaml"
expect_refused() {  # $1: what the error must say; the rest: the arguments of `expanse run`
  local want="$1"
  shift
  set +e
  env PATH="${run_path:-$PATH}" "$expanse" run "$smoke" --results "$work/refused" "$@" > "$work/refused.txt" 2>&1
  local code=$?
  set -e
  [ "$code" -ne 0 ] || fail "expanse run $* should fail"
  grep -qF -- "$want" "$work/refused.txt" || fail "expanse run $*: expected '$want', got: $(cat "$work/refused.txt")"
  [ "$(wc -l < "$work/refused.txt")" -eq 1 ] || fail "expanse run $*: not one line: $(cat "$work/refused.txt")"
  [ ! -e "$work/refused" ] || fail "expanse run $*: the results folder was created"
}
run_path=/nonexistent expect_refused "sbatch is not on PATH" --backend slurm
expect_refused "--partition gpu: no such partition (sinfo lists: debug)" --backend slurm --partition gpu
expect_refused "sbatch refuses these options" --backend slurm --time forever
expect_refused "--partition is an option of --backend slurm" --partition debug

# --- 1. tiny.yaml: Slurm and local give the same files. ------------------------------------------
tiny="$source/configs/tiny.yaml"
"$expanse" run "$tiny" --results "$work/slurm" --backend slurm --array-parallelism 2 > "$work/submit.txt" 2>&1 ||
  fail "submission: $(cat "$work/submit.txt")"
grep -q "submitted 33 run(s) as Slurm job array" "$work/submit.txt" || fail "submission: $(cat "$work/submit.txt")"
slurm="$work/slurm/tiny"
array=$(array_of "$slurm")
# A second submission, or a local run, while the first still fills the folder: refused.
for backend in slurm local; do
  set +e
  "$expanse" run "$tiny" --results "$work/slurm" --backend "$backend" > "$work/twice.txt" 2>&1
  code=$?
  set -e
  [ "$code" -eq 1 ] && grep -q "Slurm jobs are still filling this results folder" "$work/twice.txt" ||
    fail "a --backend $backend run during the submission: $(cat "$work/twice.txt")"
done

# Task 0 (PPO, seed 1) gets Slurm's time-limit warning, USR1, once it has a checkpoint: it writes one
# more, exits 75 and requeues itself.
wait_for "[ -f '$slurm/runs/tiny/ppo/seed-1/train/checkpoint.pt' ]" 300
# (scancel retries while the task requeues itself, "Job can not be altered now": it has its answer.)
timeout 10 scancel --signal=USR1 --batch "${array}_0" 2> /dev/null || true
wait_for "grep -q 'checkpoint written; requeueing' '$slurm/slurm/logs/${array}_0.out'" 60
grep -q "stopped on SIGUSR1 after writing a checkpoint" "$slurm/runs/tiny/ppo/seed-1/log.txt" ||
  fail "the PPO job did not say it stopped: $(tail -3 "$slurm/runs/tiny/ppo/seed-1/log.txt")"
wait_pending "${array}_0"
"$expanse" status "$slurm" > "$work/status.txt" || true
grep -q "^tiny/ppo/seed-1 .*pending .*slurm: PENDING" "$work/status.txt" || fail "status during the run: $(cat "$work/status.txt")"
start_now "${array}_0"
# Task 9 (SAC, seed 1, the slowest learner) is killed mid-training by `scontrol requeue`: it resumes
# from its last periodic checkpoint.
sac="$slurm/runs/tiny/sac/seed-1/train"
wait_for "[ -f '$sac/checkpoint.pt' ]" 900
[ ! -f "$sac/summary.json" ] || fail "SAC finished before it could be killed"
scontrol requeue "${array}_9"
wait_pending "${array}_9"
start_now "${array}_9"
for task in 0 9; do wait_for "grep -q '(restart 1)' '$slurm/slurm/logs/${array}_$task.out'" 600; done

# Meanwhile, the same experiment on the local backend.
"$expanse" run "$tiny" --results "$work/local" > "$work/local.txt" 2>&1 || fail "local run: $(tail -3 "$work/local.txt")"
wait_for "queue_empty" 900
"$expanse" status "$slurm" > "$work/status.txt" || fail "not every run is done: $(cat "$work/status.txt")"
grep -q "^33 runs: 33 done" "$work/status.txt" || fail "status: $(cat "$work/status.txt")"
local_dir="$work/local/tiny"
count=0
while IFS= read -r f; do
  cmp -s "$local_dir/$f" "$slurm/$f" || fail "$f differs between the local and the Slurm run"
  count=$((count + 1))
done < <(cd "$local_dir" && find runs -name evaluation.csv -o -name timeline.csv | sort)
[ "$count" -eq 66 ] || fail "expected 66 evaluation and timeline files, compared $count"
for f in summary.csv summary.json; do cmp -s "$local_dir/$f" "$slurm/$f" || fail "$f differs"; done
diff <(grep -v "^Results from" "$local_dir/report.md") <(grep -v "^Results from" "$slurm/report.md") > /dev/null ||
  fail "report.md differs beyond its folder's name"

# --- 2. One task fails; the resubmission runs only it. -------------------------------------------
# Submitted held, so that a file can stand where PPO seed 2 writes its training folder.
"$expanse" run "$smoke" --results "$work/retry" --backend slurm --sbatch-arg=--hold > "$work/retry1.txt" 2>&1 ||
  fail "held submission: $(cat "$work/retry1.txt")"
retry="$work/retry/smoke"
touch "$retry/runs/tiny/ppo/seed-2/train"
scontrol release "$(array_of "$retry")"
scontrol release "$(sed -n 's/^aggregate: //p' "$retry/slurm/submission.yaml")"
wait_for "queue_empty" 300
set +e
"$expanse" status "$retry" > "$work/retry-status.txt"
code=$?
set -e
[ "$code" -eq 1 ] || fail "status should exit 1 with a failed run: $(cat "$work/retry-status.txt")"
grep -q "^tiny/ppo/seed-2 .*failed .*cannot create the directory" "$work/retry-status.txt" ||
  fail "status should show the failure's last line: $(cat "$work/retry-status.txt")"
grep -q "not done: tiny/ppo/seed-2" "$retry"/slurm/logs/aggregate-*.out || fail "the aggregation job did not list it"
[ ! -e "$retry/summary.csv" ] || fail "a summary was written with a run missing"
rm "$retry/runs/tiny/ppo/seed-2/train"
(cd "$retry" && find runs -name evaluation.csv -o -name log.txt | grep -v ppo/seed-2 | sort | xargs md5sum) > "$work/kept.md5"
"$expanse" run "$smoke" --results "$work/retry" --backend slurm > "$work/retry2.txt" 2>&1 ||
  fail "resubmission: $(cat "$work/retry2.txt")"
grep -q "12 runs, 11 already done" "$work/retry2.txt" || fail "resubmission: $(cat "$work/retry2.txt")"
grep -q "^jobs: \[1\]$" "$retry/slurm/submission.yaml" || fail "resubmitted more than the failed run: $(cat "$retry/slurm/submission.yaml")"
wait_for "queue_empty" 300
"$expanse" status "$retry" > /dev/null || fail "not done after the resubmission"
(cd "$retry" && md5sum --quiet -c "$work/kept.md5") || fail "a finished run was run again"
[ -s "$retry/summary.csv" ] || fail "no summary after the resubmission"
echo "slurm checks passed"
