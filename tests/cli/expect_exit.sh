#!/usr/bin/env bash
# expect_exit.sh CODE PATTERN COMMAND...: runs COMMAND and passes only if it exits with CODE and
# its combined output contains PATTERN (a fixed string; "" matches anything).
set -u
want=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
got=$?
if [[ $got -ne $want ]]; then
  printf 'expected exit %s, got %s from: %s\n%s\n' "$want" "$got" "$*" "$out"
  exit 1
fi
if [[ -n "$pattern" && "$out" != *"$pattern"* ]]; then
  printf 'output of %s lacks "%s":\n%s\n' "$*" "$pattern" "$out"
  exit 1
fi
exit 0
