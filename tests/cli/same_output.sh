#!/usr/bin/env bash
# same_output.sh TXSIM: determinism through the real binary. The same scenario and seed give
# byte-identical trace files; a sweep gives the same JSON with 1 and 2 threads.
set -eu
txsim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$txsim" run "$scenario" --seed 7 --trace "$dir/a.jsonl" --quiet >/dev/null
"$txsim" run "$scenario" --seed 7 --trace "$dir/b.jsonl" --quiet >/dev/null
"$txsim" run "$scenario" --seed 8 --trace "$dir/c.jsonl" --quiet >/dev/null
cmp "$dir/a.jsonl" "$dir/b.jsonl"
head -c 40 "$dir/a.jsonl" | grep -q '"format":"txsim-trace"'
tail -n 1 "$dir/a.jsonl" | grep -q '"ev":"end"'
if cmp -s "$dir/a.jsonl" "$dir/c.jsonl"; then echo "seeds 7 and 8 gave the same trace"; exit 1; fi
"$txsim" sweep "$scenario" --seeds 1..300 --threads 1 --json >"$dir/s1.json"
"$txsim" sweep "$scenario" --seeds 1..300 --threads 2 --json >"$dir/s2.json"
cmp "$dir/s1.json" "$dir/s2.json"
