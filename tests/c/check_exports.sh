#!/usr/bin/env bash
# The C ABI's surface: libbankflow_c exports exactly the functions bankflow.h declares (no C++
# symbol of the library leaks out), and the C test calls every one of them.
#   check_exports.sh LIBRARY HEADER TEST_SOURCE
set -u
lib=$1 header=$2 test=$3
command -v nm >/dev/null || { echo "SKIP: nm is not installed"; exit 77; }
declared=$(grep -oE '^BF_EXTERN [^(]*\(' "$header" | grep -oE 'bf_[a-z0-9_]+\($' | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}' | sort -u)
fail=0
if [ "$declared" != "$exported" ]; then
  echo "exported functions differ from the header's:"; diff <(echo "$declared") <(echo "$exported"); fail=1
fi
for f in $declared; do
  grep -qE "\b$f\(" "$test" || { echo "not exercised by $test: $f"; fail=1; }
done
echo "$(echo "$declared" | wc -l) functions declared, exported and exercised"
exit $fail
