#!/usr/bin/env bash
# Batch conversion: a directory in, one output per input in -o DIR/, a bad file reported at the
# end without stopping the others (exit 1), a progress bar on a terminal and none in a pipe.
set -u
bin=$1 corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$work/in"
cp "$corpus/bb/bb-ofx-2015.ofx" "$corpus/caixa/caixa-ofx-2022-blank-amount.ofx" "$work/in/"
cp "$corpus/invalid/n_truncated.ofx" "$work/in/b-broken.ofx"

"$bin" convert "$work/in" -o "$work/out/" --to json >"$work/stdout" 2>"$work/stderr"
code=$?
[ "$code" = 1 ] || fail "exit status $code, expected 1 (one file failed)"
[ -s "$work/out/bb-ofx-2015.json" ] || fail "no output for bb-ofx-2015.ofx"
[ -s "$work/out/caixa-ofx-2022-blank-amount.json" ] || fail "no output for the Caixa file (after the broken one)"
[ ! -e "$work/out/b-broken.json" ] || fail "an output was written for the broken file"
grep -q "b-broken.ofx" "$work/stderr" || fail "stderr does not name the broken file"
grep -q "1 of 3 files failed" "$work/stderr" || fail "no summary of failures"
grep -q $'\r' "$work/stderr" && fail "a progress bar was drawn into a pipe"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["transactions"]) == 1' \
  "$work/out/bb-ofx-2015.json" || fail "bb-ofx-2015.json is not the converted statement"

# on a terminal (util-linux `script` gives the command a pseudo-terminal) the bar appears
if command -v script >/dev/null; then
  rm -rf "$work/out"
  script -qec "\"$bin\" convert \"$work/in\" -o \"$work/out/\"" /dev/null >"$work/tty" 2>&1
  grep -q '\[#' "$work/tty" || fail "no progress bar on a terminal"
fi
echo "batch conversion: ok"
