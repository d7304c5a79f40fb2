#!/usr/bin/env bash
# Runs one CLI golden case: cases/NAME.args holds the arguments (one line, shell words; `<FILE`
# at the end feeds FILE to stdin). Compares stdout with cases/NAME.stdout and the exit status
# with cases/NAME.code (0 when absent). When cases/NAME.stderr exists, stderr must contain each
# of its lines. Set BANKFLOW_UPDATE_GOLDEN=1 to (re)write .stdout and .code from the real run.
set -u
bin=$1 name=$2
here=$(cd "$(dirname "$0")" && pwd)
cases=$here/cases
args=$(<"$cases/$name.args")
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
eval "\"$bin\" $args" >"$out" 2>"$err"
code=$?
if [ "${BANKFLOW_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" "$cases/$name.stdout"
  echo "$code" >"$cases/$name.code"
  exit 0
fi
want_code=0
[ -f "$cases/$name.code" ] && want_code=$(<"$cases/$name.code")
fail=0
if [ "$code" != "$want_code" ]; then
  echo "exit status $code, expected $want_code"; fail=1
fi
if ! diff -u "$cases/$name.stdout" "$out"; then
  echo "stdout differs from $cases/$name.stdout"; fail=1
fi
if [ -f "$cases/$name.stderr" ]; then
  while IFS= read -r line; do
    grep -qF -- "$line" "$err" || { echo "stderr lacks: $line"; fail=1; }
  done <"$cases/$name.stderr"
fi
if [ $fail != 0 ]; then
  echo "--- stderr was:"; cat "$err"
fi
exit $fail
