#!/usr/bin/env bash
# txsim run --trace, then txsim report --html --svg: both files are written, the HTML has one
# table row per event line of the trace and embeds the SVG timeline.
set -euo pipefail
txsim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$txsim" run "$scenario" --trace "$dir/run.jsonl" --quiet >/dev/null || true
"$txsim" report "$dir/run.jsonl" --html "$dir/run.html" --svg "$dir/run.svg"
events=$(( $(wc -l < "$dir/run.jsonl") - 2 ))
rows=$(grep -c '^<tr class=' "$dir/run.html")
[[ $rows -eq $events ]] || { echo "HTML has $rows rows for $events events"; exit 1; }
grep -q '<svg' "$dir/run.html" || { echo "no timeline in the HTML"; exit 1; }
head -c 200 "$dir/run.svg" | grep -q '<svg' || { echo "the SVG file is not SVG"; exit 1; }
echo "ok: $rows rows"
