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
# The exact optimum of tiny.yaml (docs/baselines.md): 8.071.
grep -q '^tiny,optimum,optimum,2,8.0708' "$out/summary.csv" || fail "optimum row: $(grep optimum "$out/summary.csv")"

# Running again changes nothing: every run is done.
cp "$out/summary.csv" "$work/summary-before.csv"
"$expanse" run "$smoke" --results "$work/results" > "$work/again.txt" 2>&1 || fail "third run"
grep -q "12 already done" "$work/again.txt" || fail "expected every run done: $(head -3 "$work/again.txt")"
cmp -s "$out/summary.csv" "$work/summary-before.csv" || fail "summary changed on a run with nothing to do"

# An experiment file whose comments changed is the same experiment: it resumes. One whose content
# changed is not: a located error, nothing touched. (The copy sits as deep as the original, so that
# its relative scenario path still resolves.)
mkdir -p "$work/copy/a/b/c" "$work/copy/scenarios"
cp "$source/scenarios/tiny.yaml" "$work/copy/scenarios/"
{ cat "$smoke"; echo "# a comment added after the run"; } > "$work/copy/a/b/c/smoke.yaml"
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" > "$work/commented.txt" 2>&1 ||
  fail "an experiment with an edited comment should resume: $(cat "$work/commented.txt")"
grep -q "12 already done" "$work/commented.txt" || fail "expected every run done: $(head -3 "$work/commented.txt")"
sed 's/episodes: 3/episodes: 4/' "$smoke" > "$work/copy/a/b/c/smoke.yaml"
set +e
"$expanse" run "$work/copy/a/b/c/smoke.yaml" --results "$work/results" > "$work/changed.txt" 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || fail "a changed experiment exited $code"
grep -q "smoke.yaml: name: results/smoke holds a run of a different version" "$work/changed.txt" ||
  fail "no error naming the file and key: $(cat "$work/changed.txt")"
cmp -s "$out/summary.csv" "$work/summary-before.csv" || fail "a refused run changed the summary"

# compare re-aggregates into another directory.
"$expanse" compare "$out" --out "$work/compared" > "$work/compare.txt" 2>&1 || fail "compare: $(cat "$work/compare.txt")"
cmp -s "$work/compared/summary.csv" "$out/summary.csv" || fail "compare gave another summary"

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
                "broken.yaml:8:5: policies\[2\]: needs exactly one of"; do
  grep -q "$expected" "$work/broken.txt" || fail "missing diagnostic \"$expected\" in: $(cat "$work/broken.txt")"
done
grep -q "steps: unknown key" "$work/broken.txt" && fail "a policy of the wrong shape should give one problem"
[ ! -e "$work/broken" ] || fail "a broken experiment wrote results"
echo "runner checks passed"
