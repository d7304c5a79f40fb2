#!/usr/bin/env bash
# convert --to xlsx: a workbook file (ZIP magic) whose cells Debian's openpyxl reads back with the
# right types and values; the same bytes through a pipe (-o -); refused on a terminal and for
# several inputs without a directory (exit 2); one workbook per input with -o DIR/; skipped rows
# in a "Linhas ignoradas" sheet (exit 3).
set -u
bin=$1 corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
good=$corpus/bb/bb-ofx-2015.ofx
bad=$corpus/invalid/n_inter-extrato-bad-rows.csv

"$bin" convert "$good" --to xlsx -o "$work/out.xlsx" 2>"$work/stderr" || fail "exit status $?: $(cat "$work/stderr")"
[ "$(head -c 4 "$work/out.xlsx" | od -An -tx1 | tr -d ' ')" = 504b0304 ] || fail "out.xlsx does not start with PK\\3\\4"

"$bin" convert "$good" --to xlsx -o - | cat >"$work/piped.xlsx"
[ "${PIPESTATUS[0]}" = 0 ] || fail "-o - into a pipe: exit status ${PIPESTATUS[0]}"
cmp -s "$work/out.xlsx" "$work/piped.xlsx" || fail "the piped workbook differs from the file"

"$bin" convert "$good" "$good" --to xlsx >/dev/null 2>"$work/stderr"
[ $? = 2 ] || fail "several inputs to standard output should be a usage error"
grep -q "one workbook per input" "$work/stderr" || fail "no reason given: $(cat "$work/stderr")"
if command -v script >/dev/null; then  # util-linux `script` gives the command a terminal
  script -qec "\"$bin\" convert \"$good\" --to xlsx" /dev/null >"$work/tty" 2>&1
  grep -q "writes a binary workbook" "$work/tty" || fail "a workbook was written to a terminal: $(head -c 200 "$work/tty")"
fi

"$bin" convert "$good" "$bad" --skip-bad-rows --to xlsx -o "$work/dir/" 2>/dev/null
[ $? = 3 ] || fail "-o DIR/ with a skipped row: exit status should be 3"
[ -s "$work/dir/bb-ofx-2015.xlsx" ] && [ -s "$work/dir/n_inter-extrato-bad-rows.xlsx" ] || fail "not one workbook per input"

# openpyxl is in scripts/setup.sh's test packages (Debian's python3-openpyxl, for /usr/bin/python3)
py=/usr/bin/python3
if ! "$py" -c 'import openpyxl' 2>/dev/null; then
  echo "xlsx: ok (cell values NOT checked: $py cannot import openpyxl; install python3-openpyxl)"
  exit 0
fi
"$py" - "$work/out.xlsx" "$work/dir/n_inter-extrato-bad-rows.xlsx" <<'PY' || fail "openpyxl read wrong values"
import datetime, sys
import openpyxl
money = '"R$ "#,##0.00;[Red]-"R$ "#,##0.00'
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Conta 455000-5", "Resumo"], wb.sheetnames
assert wb.properties.creator == "bankflow", wb.properties.creator
ws = wb["Conta 455000-5"]
assert [c.value for c in ws[1]] == ["Data", "Descrição", "Valor", "Saldo", "Documento", "FITID", "Tipo", "Categoria",
                                    "Estabelecimento ou contraparte", "Parcela"]
date, text, amount = ws["A2"], ws["B2"], ws["C2"]
assert date.value == datetime.datetime(2015, 11, 3) and date.number_format == "dd/mm/yyyy", (date.value, date.number_format)
assert text.value == "DOC CRÉDITO EM CONTA", text.value
assert amount.value == 239.55 and amount.number_format == money, (amount.value, amount.number_format)
assert ws["E2"].value == "252602" and ws["F2"].value == "20151103023955"
assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:J2", (ws.freeze_panes, ws.auto_filter.ref)
assert ws["G2"].value == "DOC" and ws["H2"].value == "Transferências", (ws["G2"].value, ws["H2"].value)
summary = wb["Resumo"]
assert [c.value for c in summary[2]] == ["2015-11", "Transferências", 239.55, 0, 239.55], [c.value for c in summary[2]]
bad = openpyxl.load_workbook(sys.argv[2])
assert bad.sheetnames[-1] == "Linhas ignoradas", bad.sheetnames
rows = list(bad["Linhas ignoradas"].iter_rows(min_row=2, values_only=True))
assert [(r[0], r[3]) for r in rows] == [(8, "bad_amount"), (10, "bad_date"), (11, "csv_bad_row")], rows
PY
echo "xlsx: ok"
