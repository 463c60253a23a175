#!/usr/bin/env bash
# End-to-end checks of `expanse run` and `expanse compare` on the smoke experiment (tiny.yaml, every
# kind of policy, two workers): outputs, resumption after an interruption, re-aggregation, located
# errors for a broken experiment. Usage: runner_checks.sh EXPANSE SOURCE_DIR WORK_DIR
set -euo pipefail
expanse="$1" source="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }
smoke="$source/tests/data/experiments/smoke.yaml"

# An interrupted run: Ctrl-C (SIGINT to the process group) while the learners train.
setsid "$expanse" run "$smoke" --results "$work/results" > "$work/interrupted.txt" 2>&1 &
leader=$!
sleep 2
kill -INT -- "-$leader" || true
set +e; wait "$leader"; code=$?; set -e
if [ "$code" -eq 0 ]; then
  echo "note: the run finished before the interruption"
else
  [ "$code" -eq 130 ] || fail "interrupted run exited $code: $(cat "$work/interrupted.txt")"
  grep -q "run the same command again to resume" "$work/interrupted.txt" || fail "no resume hint: $(cat "$work/interrupted.txt")"
fi

# Resume: finishes the rest, keeps what was done.
"$expanse" run "$smoke" --results "$work/results" > "$work/run.txt" 2>&1 || fail "resumed run: $(cat "$work/run.txt")"
out="$work/results/smoke"
for f in summary.csv summary.json report.md report.html experiment.yaml \
         runs/tiny/ppo/seed-1/train/metrics.csv runs/tiny/ppo/seed-1/evaluation.csv runs/tiny/optimum/seed-2/timeline.csv \
         figures/scores-tiny.png figures/improvement-tiny.png figures/curves-tiny.png figures/timeline-tiny.png; do
  [ -s "$out/$f" ] || fail "missing $f"
done
grep -q "optimum" "$work/run.txt" || fail "no comparison table: $(cat "$work/run.txt")"
[ "$(grep -c '^tiny,' "$out/summary.csv")" -eq 6 ] || fail "summary.csv should have 6 policies"
grep -q '"probability_of_improvement"' "$out/summary.json" || fail "summary.json lacks the improvement matrix"
# Every run and the report name the Expanse that made them.
version=$("$expanse" version | sed 's/^expanse //')
grep -qF "expanse: \"$version\"" "$out/runs/tiny/ppo/seed-1/inputs.yaml" || fail "inputs.yaml lacks the version $version"
grep -qF "Expanse: runs made by $version (12 runs); aggregated by $version." "$out/report.md" || fail "report.md lacks the versions"
# The exact optimum of tiny.yaml (docs/baselines.md): 9.582.
grep -q '^tiny,optimum,optimum,2,9.58199' "$out/summary.csv" || fail "optimum row: $(grep optimum "$out/summary.csv")"

# Running again changes nothing: every run is done.
cp "$out/summary.csv" "$work/summary-before.csv"
"$expanse" run "$smoke" --results "$work/results" > "$work/again.txt" 2>&1 || fail "third run"
grep -q "12 already done" "$work/again.txt" || fail "expected every run done: $(head -3 "$work/again.txt")"
cmp -s "$out/summary.csv" "$work/summary-before.csv" || fail "summary changed on a run with nothing to do"

# An experiment file whose comments or key order changed is the same experiment: it resumes. (The
# copy sits as deep as the original, so that its relative scenario path still resolves.)
mkdir -p "$work/copy/a/b/c" "$work/copy/scenarios"
cp "$source/scenarios/tiny.yaml" "$work/copy/scenarios/"
{ sed 's/{num_steps: 40, num_envs: 2,/{num_envs: 2, num_steps: 40,/' "$smoke"; echo "# a comment added after the run"; } \
  > "$work/copy/a/b/c/smoke.yaml"
grep -q "{num_envs: 2, num_steps: 40," "$work/copy/a/b/c/smoke.yaml" || fail "the copy should list the keys in another order"
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" > "$work/commented.txt" 2>&1 ||
  fail "an experiment with an edited comment should resume: $(cat "$work/commented.txt")"
grep -q "12 already done" "$work/commented.txt" || fail "expected every run done: $(head -3 "$work/commented.txt")"

# compare re-aggregates into another directory.
"$expanse" compare "$out" --out "$work/compared" > "$work/compare.txt" 2>&1 || fail "compare: $(cat "$work/compare.txt")"
cmp -s "$work/compared/summary.csv" "$out/summary.csv" || fail "compare gave another summary"

# A changed experiment reruns what the change reaches and moves the earlier results aside. More
# evaluation episodes: every run is evaluated again, no agent is trained again.
md5sum "$out"/runs/tiny/ppo/seed-1/train/metrics.csv "$out"/runs/tiny/dqn/seed-1/train/metrics.csv > "$work/train.md5"
sed 's/episodes: 3/episodes: 4/' "$smoke" > "$work/copy/a/b/c/smoke.yaml"
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" > "$work/changed.txt" 2>&1 ||
  fail "a run with more evaluation episodes: $(cat "$work/changed.txt")"
grep -q "12 run(s) are evaluated again" "$work/changed.txt" || fail "expected 12 re-evaluations: $(head -3 "$work/changed.txt")"
md5sum --quiet -c "$work/train.md5" || fail "more evaluation episodes trained an agent again"
[ "$(wc -l < "$out/runs/tiny/ppo/seed-1/evaluation.csv")" -eq 5 ] || fail "ppo was not evaluated on 4 episodes"
[ "$(cat "$out"/superseded/*/runs/tiny/ppo/seed-1/evaluation.csv | wc -l)" -eq 4 ] || fail "the earlier evaluation was not kept"
# A changed policy: that policy's runs start again, the others are kept.
sed 's/episodes: 3/episodes: 4/; s/steps: 300/steps: 320/' "$smoke" > "$work/copy/a/b/c/smoke.yaml"
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" > "$work/policy.txt" 2>&1 ||
  fail "a run with a changed policy: $(cat "$work/policy.txt")"
grep -q "2 run(s) start again;" "$work/policy.txt" || fail "expected 2 runs to start again: $(head -3 "$work/policy.txt")"
grep -q "10 already done" "$work/policy.txt" || fail "expected the other 10 runs kept: $(head -3 "$work/policy.txt")"
md5sum --quiet -c "$work/train.md5" > /dev/null 2>&1 && fail "the changed DQN was not trained again"
grep -q "ppo/seed-1/train/metrics.csv: OK" <(md5sum -c "$work/train.md5" 2>/dev/null) || fail "an unchanged PPO was trained again"
[ "$(ls -d "$out"/superseded/*/runs/tiny/dqn/seed-1/train | wc -l)" -eq 1 ] || fail "the earlier DQN run was not kept"
grep -q "steps: 320" "$out/runs/tiny/dqn/seed-1/train/run.yaml" || fail "the DQN did not train for 320 steps"
# --rerun: a policy's runs start again with nothing changed (after an update of Expanse itself).
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" --rerun greedy-roi > "$work/rerun.txt" 2>&1 ||
  fail "--rerun greedy-roi: $(cat "$work/rerun.txt")"
grep -q "2 run(s) start again;" "$work/rerun.txt" && grep -q "10 already done" "$work/rerun.txt" ||
  fail "--rerun greedy-roi should rerun its 2 runs only: $(head -3 "$work/rerun.txt")"
set +e
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" --rerun greedy > "$work/rerun-bad.txt" 2>&1
code=$?
set -e
[ "$code" -eq 1 ] && grep -q "smoke.yaml: policies: --rerun greedy: no such policy (the policies: ppo, dqn" "$work/rerun-bad.txt" ||
  fail "--rerun of an unknown policy: $code $(cat "$work/rerun-bad.txt")"

# A broken experiment: every problem located, exit 1, nothing written.
set +e
"$expanse" run "$source/tests/data/experiments/broken.yaml" --results "$work/broken" > "$work/broken.txt" 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || fail "broken experiment exited $code"
for expected in "broken.yaml:2:43: scenarios\[1\]: cannot read scenario file" \
                "broken.yaml:4:1: evaluaton: unknown key (did you mean \"evaluation\"?)" \
                "broken.yaml:6:58: policies\[0\].config.learning_rate" \
                "broken.yaml:7:16: policies\[1\].baseline" \
                "broken.yaml:8:5: policies\[2\]: needs exactly one of" \
                "broken.yaml:8:49: policies\[2\]: keys must be plain words, got a mapping" \
                "broken.yaml:9:44: policies\[3\].init: no trained run at" \
                "scenarios/broken.yaml:3:1: horizn: unknown key"; do
  grep -q "$expected" "$work/broken.txt" || fail "missing diagnostic \"$expected\" in: $(cat "$work/broken.txt")"
done
grep -q "steps: unknown key" "$work/broken.txt" && fail "a policy of the wrong shape should give one problem"
# The exact optimum on a noisy scenario: refused before anything runs, at the policy's line.
set +e
"$expanse" run "$source/tests/data/experiments/optimum-noisy.yaml" --results "$work/noisy" > "$work/noisy.txt" 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || fail "an optimum on a noisy scenario exited $code"
grep -q "optimum-noisy.yaml:7:5: policies\[1\].optimum: no exact optimum on scenario asia-pacific: noise.demand" "$work/noisy.txt" ||
  fail "no located refusal: $(cat "$work/noisy.txt")"
[ ! -e "$work/noisy" ] || fail "a refused experiment wrote results"
[ ! -e "$work/broken" ] || fail "a broken experiment wrote results"
# `train --config <(…)`: the config is read once (a pipe cannot be read twice), and it is the one used.
"$expanse" train --algo ppo --env cartpole-v1 --config <(printf 'num_steps: 32\n') --steps 256 --seed 1 \
  --out "$work/pipe-config" > "$work/pipe-config.txt" 2>&1 || fail "train --config <(…): $(cat "$work/pipe-config.txt")"
grep -q "^num_steps: 32$" "$work/pipe-config/config.yaml" || fail "train --config <(…) did not use the config"
echo "runner checks passed"
