#!/usr/bin/python3
"""Writes a large Santander-like extrato as XLSX (~10 MB, ~200,000 distinct rows) and as BIFF8
XLS, for timing the spreadsheet readers. The output is not committed. Usage:

    /usr/bin/python3 bench/make_big_xlsx.py OUT [--rows 200000] [--xls-mode sheets|cap] [--shared]
    build/apps/cli/bankflow OUT.xlsx > /dev/null      # or the bench of your choice

writes OUT.xlsx and OUT.xls (OUT is a path without extension; its folder is created).

The layout is FORMATS.md §3.3.b's XLSX variant (see tests/corpus/SPREADSHEETS.md): sheet
`Sheet0`, row 1 `AGENCIA | 1234 | CONTA | 130012345`, row 3 the header `Data | Histórico |
Documento | Valor (R$) | Saldo (R$)`, rows newest first with text dates and numeric amounts, the
balance chaining row to row. Every row is distinct (date over ~900 days, description, document
number and amount vary; fixed seed, so re-runs give the same rows).

XLSX: one sheet through openpyxl's write-only mode. Debian's openpyxl writes strings inline
(t="inlineStr"); --shared rewrites them into xl/sharedStrings.xml as Excel does.

XLS: BIFF8 caps a sheet at 65,536 rows. --xls-mode sheets (default) splits the rows over sheets
`Sheet0`, `Sheet1`, … of 60,000 rows each, every sheet repeating the AGENCIA row and the header
(a reader must take every sheet of that layout, in order); --xls-mode cap writes one sheet cut at
65,533 rows (the 3 preamble/header rows + 65,533 = 65,536), so it holds fewer rows than the XLSX.
"""
import argparse
import datetime
import io
import os
import random
import re
import sys
import time
import zipfile

import openpyxl
import xlwt

XLS_SHEET_ROWS = 60_000
BIFF8_MAX_ROWS = 65_536
HEADER = ["Data", "Histórico", "Documento", "Valor (R$)", "Saldo (R$)"]
PLACES = ["Mercado", "Padaria", "Farmacia", "Posto", "Restaurante", "Livraria", "Academia",
          "Condominio", "Energia", "Agua", "Telefonia", "Escola", "Loja", "Oficina", "Hotel"]
TOWNS = ["Centro", "Norte", "Sul", "Leste", "Oeste", "Jardim", "Vila", "Parque"]


CREDITS = ["Pix Recebido", "Credito de Salario", "Resgate Investimento", "Remuneracao Aplicacao",
           "TED Recebida"]
DEBITS = ["Pix Enviado", "Compra Cartao Debito", "Pagamento de Boleto", "Tarifa Mensalidade",
          "Debito Automatico", "Aplicacao Investimento", "TED Enviada"]


def make_rows(n, seed):
    """n distinct rows, newest first: (DD/MM/YYYY, description, documento, centavos, balance).
    Signs are drawn in date order so that the balance wanders but stays mostly positive."""
    rng = random.Random(seed)
    start = datetime.date(2023, 1, 1)
    days = sorted(start + datetime.timedelta(days=rng.randrange(0, 900)) for _ in range(n))
    rows, seen, bal = [], set(), 1_000_000
    for day in days:
        while True:
            credit = rng.random() < (0.9 if bal < 100_000 else 0.1 if bal > 5_000_000 else 0.45)
            kind = rng.choice(CREDITS if credit else DEBITS)
            desc = f"{kind} {rng.choice(PLACES)} {rng.choice(TOWNS)} {rng.randrange(10000):04d}"
            cents = rng.randrange(100, 500_000) * (1 if credit else -1)
            if (day, desc, cents) not in seen:
                break
        seen.add((day, desc, cents))
        doc = f"{rng.randrange(10**8):08d}" if rng.random() < 0.9 else ""
        bal += cents
        rows.append((day.strftime("%d/%m/%Y"), desc, doc, cents, bal))
    rows.reverse()  # newest first, as Santander writes
    return rows


def shared_strings(xlsx_bytes):
    """Moves inline strings into xl/sharedStrings.xml (as Excel writes them)."""
    zin = zipfile.ZipFile(io.BytesIO(xlsx_bytes))
    table, index = [], {}

    def share(m):
        text = m.group(4) or ""
        key = (m.group(3) or "", text)
        if key not in index:
            index[key] = len(table)
            table.append(key)
        return f'<c r="{m.group(1)}"{m.group(2) or ""} t="s"><v>{index[key]}</v></c>'

    pattern = re.compile(r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr">'
                         r'(?:<is><t( xml:space="preserve")?>(.*?)</t></is>)?</c>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = pattern.sub(share, body.decode("utf-8")).encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/'
                                    b'sharedStrings" Target="sharedStrings.xml" Id="rIdSst"/>'
                                    b"</Relationships>")
            zout.writestr(info.filename, body)
        sst = "".join(f"<si><t{p}>{t}</t></si>" for p, t in table)
        zout.writestr("xl/sharedStrings.xml",
                      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
                      'schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      f'uniqueCount="{len(table)}">{sst}</sst>')
    return out.getvalue()


def write_xlsx(path, rows, shared):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet0")
    ws.append(["AGENCIA", "1234", "CONTA", "130012345"])
    ws.append([])
    ws.append(HEADER)
    for date, desc, doc, cents, bal in rows:
        ws.append([date, desc, doc, cents / 100, bal / 100])
    buf = io.BytesIO()
    wb.save(buf)
    data = shared_strings(buf.getvalue()) if shared else buf.getvalue()
    with open(path, "wb") as f:
        f.write(data)


def write_xls(path, rows, mode):
    wb = xlwt.Workbook()
    per_sheet = XLS_SHEET_ROWS if mode == "sheets" else BIFF8_MAX_ROWS - 3
    chunks = [rows[i:i + per_sheet] for i in range(0, len(rows), per_sheet)]
    if mode == "cap":
        chunks = chunks[:1]
    for n, chunk in enumerate(chunks):
        ws = wb.add_sheet(f"Sheet{n}")
        for c, v in enumerate(["AGENCIA", "1234", "CONTA", "130012345"]):
            ws.write(0, c, v)
        for c, v in enumerate(HEADER):
            ws.write(2, c, v)
        for r, (date, desc, doc, cents, bal) in enumerate(chunk, start=3):
            row = ws.row(r)
            row.set_cell_text(0, date)
            row.set_cell_text(1, desc)
            row.set_cell_text(2, doc)
            row.set_cell_number(3, cents / 100)
            row.set_cell_number(4, bal / 100)
            if r % 5000 == 0:
                ws.flush_row_data()  # keeps memory bounded (~250 MB RSS for 200,000 rows)
        ws.flush_row_data()  # keeps memory bounded (~250 MB RSS for 200,000 rows)
    wb.save(path)
    return sum(len(c) for c in chunks), len(chunks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output path without extension: writes OUT.xlsx and OUT.xls")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--xls-mode", choices=["sheets", "cap"], default="sheets")
    parser.add_argument("--shared", action="store_true", help="XLSX strings in sharedStrings.xml")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(folder, exist_ok=True)
    t0 = time.time()
    rows = make_rows(args.rows, args.seed)
    xlsx, xls = args.out + ".xlsx", args.out + ".xls"
    write_xlsx(xlsx, rows, args.shared)
    print(f"{xlsx}: {len(rows)} rows, {os.path.getsize(xlsx) / 1e6:.1f} MB "
          f"({time.time() - t0:.0f} s)")
    t1 = time.time()
    n, sheets = write_xls(xls, rows, args.xls_mode)
    print(f"{xls}: {n} rows in {sheets} sheet(s), {os.path.getsize(xls) / 1e6:.1f} MB "
          f"({time.time() - t1:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
