#!/usr/bin/env bash
# check_replay.sh TXSIM SCENARIO INVARIANT: `txsim check --trace` writes the counterexample as
# a trace (header with a schedule, events, a violation line naming INVARIANT, an end line), and
# `txsim replay` re-executes it and reproduces INVARIANT (exit 0).
set -eu
txsim=$1 scenario=$2 invariant=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
trace="$dir/cx.jsonl"
"$txsim" check "$scenario" --trace "$trace" --threads 2 >"$dir/check.out"
head -n 1 "$trace" | grep -q '"format":"txsim-trace"'
head -n 1 "$trace" | grep -q '"schedule":\[{"kind":'
grep -q "\"ev\":\"violation\",\"invariant\":\"$invariant\"" "$trace"
tail -n 1 "$trace" | grep -q '"ev":"end"'
"$txsim" replay "$trace" >"$dir/replay.out" || { cat "$dir/replay.out"; exit 1; }
grep -q "Reproduced $invariant:" "$dir/replay.out"
grep -q "VIOLATION $invariant" "$dir/replay.out"
# A schedule action that is not enabled is bad input, naming the step.
sed 's/"schedule":\[{"kind":1/"schedule":[{"kind":5,"a":9,"b":0,"c":0},{"kind":1/' "$trace" >"$dir/bad.jsonl"
set +e
"$txsim" replay "$dir/bad.jsonl" >"$dir/bad.out" 2>&1
code=$?
set -e
[[ $code -eq 2 ]] || { echo "expected exit 2 for a disabled action, got $code"; cat "$dir/bad.out"; exit 1; }
grep -q "step 1 " "$dir/bad.out"
