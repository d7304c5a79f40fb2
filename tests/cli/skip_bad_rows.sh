#!/usr/bin/env bash
# convert --skip-bad-rows: the CSV side report next to an output file (out.csv → out.skipped.csv,
# one per input with -o DIR/), written even when nothing was skipped; exit status 3; the default
# stays strict (exit 1, no output written).
set -u
bin=$1 corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
bad=$corpus/invalid/n_inter-extrato-bad-rows.csv
good=$corpus/bb/bb-ofx-2015.ofx

# strict: nothing written
"$bin" convert "$bad" -o "$work/strict.csv" 2>"$work/stderr"
code=$?
[ "$code" = 1 ] || fail "strict: exit status $code, expected 1"
[ ! -e "$work/strict.csv" ] || fail "strict: an output was written"
[ ! -e "$work/strict.skipped.csv" ] || fail "strict: a side report was written"

# one file: out.csv and out.skipped.csv
"$bin" convert "$bad" --skip-bad-rows -o "$work/out.csv" 2>"$work/stderr"
code=$?
[ "$code" = 3 ] || fail "exit status $code, expected 3"
[ "$(wc -l <"$work/out.csv")" = 4 ] || fail "out.csv should hold the header and 3 rows: $(cat "$work/out.csv")"
cat >"$work/want" <<'CSV'
line,sheet,cell,code,message,raw
8,,,bad_amount,"Valor: not an amount: ""-1O,00""","03/06/2026;Pix enviado: ""Cp :00000000-MARIA EXEMPLO"";-1O,00;1.855,25"
10,,,bad_date,
11,,,csv_bad_row,the row has 2 cells where the header has 4 (a stray quote or a missing separator?),05/06/2026;Pix enviado sem saldo
CSV
[ -f "$work/out.skipped.csv" ] || fail "no out.skipped.csv"
head -2 "$work/out.skipped.csv" | diff - <(head -2 "$work/want") || fail "side report's first rows differ"
sed -n 3p "$work/out.skipped.csv" | grep -q '^10,,,bad_date,.*,"31/06/2026;Tarifa pacote;-10,00;1.800,00"$' \
  || fail "side report's bad_date row: $(sed -n 3p "$work/out.skipped.csv")"
sed -n 4p "$work/out.skipped.csv" | diff - <(sed -n 4p "$work/want") || fail "side report's csv_bad_row row differs"
[ "$(wc -l <"$work/out.skipped.csv")" = 4 ] || fail "side report should have 3 rows"
grep -q "3 rows skipped (listed above and in $work/out.skipped.csv)" "$work/stderr" || fail "no summary naming the report: $(cat "$work/stderr")"
[ "$(grep -c 'skipped row:' "$work/stderr")" = 3 ] || fail "one stderr line per skipped row expected"

# JSON to a file: the report too
"$bin" convert "$bad" --skip-bad-rows --to json -o "$work/out.json" 2>/dev/null
[ $? = 3 ] || fail "--to json: exit status, expected 3"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["transactions"]) == 3 and len(d["skipped_rows"]) == 3' \
  "$work/out.json" || fail "out.json lacks the rows or the skipped rows"

# a clean file: exit 0, and a header-only report replaces an old one
cp "$work/out.skipped.csv" "$work/clean.skipped.csv"
"$bin" convert "$good" --skip-bad-rows -o "$work/clean.csv" 2>"$work/stderr"
[ $? = 0 ] || fail "a file without bad rows: exit status, expected 0"
[ "$(cat "$work/clean.skipped.csv")" = "line,sheet,cell,code,message,raw" ] || fail "stale side report kept"
grep -q "skipped" "$work/stderr" && fail "stderr mentions skipped rows for a clean file"

# a directory: one report per input; the batch exits 3
mkdir "$work/in"
cp "$bad" "$work/in/a.csv"
cp "$good" "$work/in/b.ofx"
"$bin" convert "$work/in" --skip-bad-rows -o "$work/dir/" 2>"$work/stderr"
code=$?
[ "$code" = 3 ] || fail "directory: exit status $code, expected 3"
[ "$(wc -l <"$work/dir/a.skipped.csv")" = 4 ] || fail "directory: a.skipped.csv"
[ "$(wc -l <"$work/dir/b.skipped.csv")" = 1 ] || fail "directory: b.skipped.csv"
grep -q "a.csv:8: skipped row:" "$work/stderr" || fail "directory: stderr does not name the file"

# a failed file still wins: exit 1
cp "$corpus/invalid/n_truncated.ofx" "$work/in/c.ofx"
"$bin" convert "$work/in" --skip-bad-rows -o "$work/dir2/" 2>/dev/null
[ $? = 1 ] || fail "a failed input with skipped rows elsewhere: exit status, expected 1"
echo "skip bad rows: ok"
