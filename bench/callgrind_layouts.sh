#!/usr/bin/env bash
# Instructions per row and per byte of each CSV/TXT layout's parse, counted by callgrind
# (deterministic, unlike wall-clock time on a shared machine).
#
#   bench/callgrind_layouts.sh BUILD_DIR [FORMAT...]
#
# For each format (default: every one bench_layouts finds) it runs
#   bench_layouts tests/corpus --mb 1 --iterations 1 --only FORMAT
# under valgrind with collection toggled on inside timed_parse() only, so the count is one parse
# of the generated ~1 MB file: decoding, the layout engine and dedupe keys. Note: callgrind counts
# each iteration of `rep movsb/stosb` as one instruction, so large memset/memcpy inflate it a bit.
set -euo pipefail
build=${1:?usage: callgrind_layouts.sh BUILD_DIR [FORMAT...]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
bench="$build/bench/bench_layouts"
command -v valgrind >/dev/null || { echo "callgrind_layouts.sh: needs valgrind" >&2; exit 2; }
[ -x "$bench" ] || { echo "callgrind_layouts.sh: no $bench (build the bench_layouts target)" >&2; exit 2; }
formats=("$@")
if [ ${#formats[@]} -eq 0 ]; then
  mapfile -t formats < <("$bench" "$here/tests/corpus" --mb 0.05 --iterations 1 | awk 'NR > 1 && NF >= 6 && $2 ~ /^[0-9.]+$/ {print $1}')
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-24s %8s %8s %14s %8s %8s\n' format MB rows instructions Ir/row Ir/byte
for f in "${formats[@]}"; do
  line=$(valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect='timed_parse*' \
           "$bench" "$here/tests/corpus" --mb 1 --iterations 1 --only "$f" 2>/dev/null | awk -v f="$f" '$1 == f')
  mb=$(awk '{print $2}' <<<"$line")
  rows=$(awk '{print $3}' <<<"$line")
  ir=$(callgrind_annotate "$tmp/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
  if [ -z "$rows" ] || [ -z "$ir" ]; then
    printf '%-24s failed\n' "$f"
    continue
  fi
  awk -v f="$f" -v mb="$mb" -v rows="$rows" -v ir="$ir" \
    'BEGIN { printf "%-24s %8.2f %8d %14d %8d %8.1f\n", f, mb, rows, ir, ir / rows, ir / (mb * 1e6) }'
done
