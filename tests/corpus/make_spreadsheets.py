#!/usr/bin/python3
"""Writes the invented spreadsheet statements of the golden corpus (XLS and XLSX), and the
negative spreadsheet files of tests/corpus/invalid/.

Every layout reproduces what docs/FORMATS-PDF.md §3 and docs/FORMATS.md (§3.1.b, §3.2.a, §3.3.b,
§3.4.g, §3.8, §3.10, §3.11, §2.10) say about the real files: sheet names, preamble rows at the
documented positions, the header row, and the cell TYPES (numeric vs text amounts, text dates vs
date cells). The data is invented (FULANO DE TAL, MARIA EXEMPLO, CPF 000.000.000-00); balances and
totals add up unless a file says otherwise. tests/corpus/SPREADSHEETS.md says what each file
exercises.

Run with Debian's interpreter (python3-openpyxl writes XLSX, python3-xlwt writes BIFF8 XLS):

    /usr/bin/python3 tests/corpus/make_spreadsheets.py            # writes the files
    /usr/bin/python3 tests/corpus/make_spreadsheets.py --check    # also prints every cell back

The output is deterministic: fixed data, fixed workbook timestamps, fixed ZIP entry dates, so a
re-run gives the same bytes. It never writes .expected.json files.
"""
import argparse
import datetime
import io
import os
import random
import re
import struct
import sys
import zipfile

import openpyxl
import xlwt
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = datetime.datetime(2026, 1, 2, 12, 0, 0)
ZIP_TIME = (2026, 1, 2, 12, 0, 0)
NBSP = "\u00a0"
MOJIBAKE_SALDO = "SALDO TOTAL DISPON\u00c3\u008dVEL DIA"  # UTF-8 'Í' read as Latin-1, as Itaú stores it
WRITTEN = []
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# ----------------------------------------------------------------------------------------------
# Money and dates: amounts are integer centavos here; each layout renders them as its cells need.

def brl(c, plus=False):
    """pt-BR text: 1.234,56 / -1.234,56."""
    sign = "-" if c < 0 else ("+" if plus and c > 0 else "")
    c = abs(c)
    reais = f"{c // 100:,}".replace(",", ".")
    return f"{sign}{reais},{c % 100:02d}"


def num(c):
    """The float a spreadsheet stores for an amount in centavos."""
    return c / 100


def d(s):
    """'DD/MM/YYYY' -> date."""
    return datetime.datetime.strptime(s, "%d/%m/%Y").date()


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def parse_ref(ref):
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return int(m.group(2)) - 1, col_index(m.group(1))


def out_path(bank, name):
    folder = os.path.join(HERE, bank)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def record(path):
    WRITTEN.append(path)
    print(f"wrote {os.path.relpath(path, HERE)} ({os.path.getsize(path)} bytes)")


# ----------------------------------------------------------------------------------------------
# XLS (BIFF8) through xlwt. Cells are addressed as in Excel ("B12"). A value of:
#   str            -> a text cell (SST string), '' included: an empty text cell
#   BLANK          -> a BLANK record (a formatted empty cell, what "no value" usually is in BIFF)
#   int / float    -> a NUMBER cell
#   date/datetime  -> a NUMBER cell with a date format

BLANK = object()
XLS_DATE = xlwt.easyxf(num_format_str="DD/MM/YYYY")
XLS_DATETIME = xlwt.easyxf(num_format_str="DD/MM/YYYY HH:MM")
XLS_MONEY = xlwt.easyxf(num_format_str="#,##0.00")
XLS_BOLD = xlwt.easyxf("font: bold on")
XLS_PLAIN = xlwt.easyxf("")


def xls_put(ws, ref, value, style=None):
    r, c = parse_ref(ref)
    xls_put_rc(ws, r, c, value, style)


def xls_put_rc(ws, r, c, value, style=None):
    if value is None:
        return
    if value is BLANK:
        ws.row(r).set_cell_blank(c, style or XLS_PLAIN)
    elif isinstance(value, str):
        # set_cell_text keeps an empty string as an empty SST string (ws.write would make it BLANK).
        ws.row(r).set_cell_text(c, value, style or XLS_PLAIN)
    elif isinstance(value, datetime.datetime):
        ws.write(r, c, value, style or XLS_DATETIME)
    elif isinstance(value, datetime.date):
        ws.write(r, c, value, style or XLS_DATE)
    else:
        ws.write(r, c, float(value), style or XLS_PLAIN)


def xls_row(ws, rownum, cells, style=None):
    """cells: list of values from column A (None = no cell)."""
    for c, v in enumerate(cells):
        xls_put_rc(ws, rownum - 1, c, v, style)


def xls_save(wb, path):
    buf = io.BytesIO()
    wb.save(buf)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    record(path)


# ----------------------------------------------------------------------------------------------
# XLSX through openpyxl, then re-packed with fixed ZIP dates (and optional byte-level edits that
# openpyxl cannot make: 17-digit doubles as Excel 2007 writes them, no styles part).

def new_xlsx(sheet_name, epoch_1904=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    return wb, ws


def xlsx_put(ws, ref, value, fmt=None):
    if value is None:
        return
    cell = ws[ref]
    cell.value = value
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, datetime.datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "dd/mm/yyyy"


def xlsx_row(ws, rownum, cells, fmt=None):
    for c, v in enumerate(cells):
        if v is not None:
            xlsx_put(ws, f"{openpyxl.utils.get_column_letter(c + 1)}{rownum}", v, fmt)


def seventeen_digits(xml):
    """Rewrites every numeric <v> as Excel 2007 did: %.17g (4830.4 -> 4830.3999999999996). The
    double is the same; a reader that parses the text with strtod and rounds to cents is fine, one
    that keeps the text is not."""
    def fix(m):
        attrs, value = m.group(1), m.group(2)
        if ' t="' in attrs and ' t="n"' not in attrs:  # strings, booleans: leave alone
            return m.group(0)
        return f"<c{attrs}><v>{'%.17g' % float(value)}</v>"
    return re.sub(rb"<c([^>]*)><v>([^<]*)</v>".decode(), fix, xml)


def zip_entries(data):
    zin = zipfile.ZipFile(io.BytesIO(data))
    return [(info.filename, zin.read(info.filename)) for info in zin.infolist()]


def write_entries(path, entries):
    """Writes a ZIP with fixed entry dates and modes, so re-runs give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, body in entries:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, body)
    with open(path, "wb") as f:
        f.write(out.getvalue())


SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def to_shared_strings(entries):
    """Debian's openpyxl writes every string inline (t="inlineStr"); Excel writes a shared-string
    table (t="s" + xl/sharedStrings.xml). Rewrites the package the way Excel does."""
    table, index = [], {}
    count = 0

    def share(m):
        nonlocal count
        ref, style, preserve, text = m.group(1), m.group(2) or "", m.group(3) or "", m.group(4) or ""
        key = (preserve, text)
        if key not in index:
            index[key] = len(table)
            table.append(key)
        count += 1
        return f'<c r="{ref}"{style} t="s"><v>{index[key]}</v></c>'

    pattern = re.compile(r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr">'
                         r'(?:<is><t( xml:space="preserve")?>(.*?)</t></is>)?</c>')
    out = []
    for name, body in entries:
        if name.startswith("xl/worksheets/sheet"):
            body = pattern.sub(share, body.decode("utf-8")).encode("utf-8")
        out.append((name, body))
    if not table:
        return out
    def utf8(t):  # openpyxl writes &#243;; Excel writes the UTF-8 character
        return re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))) if int(m.group(1)) > 127
                      else m.group(0), t)
    sst = "".join(f"<si><t{p}>{utf8(t)}</t></si>" for p, t in table)
    sst = (f'{XML_DECL}<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{len(table)}">'
           f"{sst}</sst>").encode("utf-8")
    result = []
    for name, body in out:
        if name == "[Content_Types].xml":
            body = body.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                              f'ContentType="{SST_CT}"/></Types>'.encode())
        if name == "xl/_rels/workbook.xml.rels":
            body = body.replace(b"</Relationships>", f'<Relationship Type="{SST_REL}" '
                                f'Target="sharedStrings.xml" Id="rIdSst"/></Relationships>'.encode())
        result.append((name, body))
        if name == "xl/workbook.xml":
            result.append(("xl/sharedStrings.xml", sst))
    return result


# A styles part with cell formats but no named cell style ("Normal"): openpyxl then warns
# "Workbook contains no default style", as it did with the real Mercado Pago file.
BARE_STYLES = (f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="10"/>'
               '<name val="Arial"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/>'
               '</fill></fills><borders count="1"><border/></borders><cellXfs count="1">'
               '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs></styleSheet>').encode()


def xlsx_save(wb, path, long_doubles=False, bare_styles=False, shared_strings=True):
    """long_doubles: numbers as Excel 2007's 17 digits; bare_styles: BARE_STYLES instead of
    openpyxl's styles; shared_strings: strings in xl/sharedStrings.xml (UTF-8 text) as Excel
    writes them, else inline (with &#NNN; references) as Debian's openpyxl does."""
    props = wb.properties
    props.creator = "bankflow corpus"
    props.lastModifiedBy = "bankflow corpus"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    entries = []
    for name, body in zip_entries(buf.getvalue()):
        if long_doubles and name.startswith("xl/worksheets/sheet"):
            body = seventeen_digits(body.decode("utf-8")).encode("utf-8")
        if bare_styles:
            if name == "xl/styles.xml":
                body = BARE_STYLES
            if name.startswith("xl/worksheets/sheet"):
                body = re.sub(rb' s="\d+"', b"", body)
        entries.append((name, body))
    if shared_strings:
        entries = to_shared_strings(entries)
    write_entries(path, entries)
    record(path)


# ----------------------------------------------------------------------------------------------
# Itaú extrato XLS (FORMATS-PDF §3.1, FORMATS §3.1.b)

def itau_preamble(ws, atualizacao, nome, agencia, conta, title):
    xls_put(ws, "A1", "Logotipo Itaú")
    xls_put(ws, "A2", "Atualização:")
    xls_put(ws, "B2", atualizacao)
    xls_put(ws, "A3", "Nome:")
    xls_put(ws, "B3", nome)
    xls_put(ws, "A4", "Agência:")
    xls_put(ws, "B4", agencia)  # numeric
    xls_put(ws, "A5", "Conta:")
    xls_put(ws, "B5", conta)
    xls_put(ws, "A7", title, XLS_BOLD)


def itau_extrato(name, *, atualizacao, nome, agencia, conta, saldo_anterior, rows, futuros=(),
                 saldo_label=MOJIBAKE_SALDO, empty=lambda: "", float_balances=False,
                 sheets_before=(), sheets_after=()):
    """rows: (date 'DD/MM/YYYY', description, centavos, ag./origem or ''). A SALDO TOTAL DISPONÍVEL
    DIA row follows each day. float_balances: the saldo cells hold the running sum of floats (as a
    spreadsheet that added the cells would), e.g. 1234.5600000000002, not the exact cents."""
    wb = xlwt.Workbook()
    for title, fill in sheets_before:
        fill(wb.add_sheet(title))
    ws = wb.add_sheet("Lançamentos")
    itau_preamble(ws, atualizacao, nome, agencia, conta, "Lançamentos")
    xls_row(ws, 9, ["data", "lançamento", "ag./origem", "valor (R$)", "saldos (R$)"], XLS_BOLD)
    xls_put(ws, "A10", "lançamentos")
    r = 11
    date0, bal = saldo_anterior
    fbal = num(bal)
    xls_row(ws, r, [date0, "SALDO ANTERIOR", empty(), empty(), num(bal)])
    r += 1
    for i, (date, desc, cents, origem) in enumerate(rows):
        bal += cents
        fbal += num(cents)
        xls_row(ws, r, [date, desc, origem or empty(), num(cents), empty()])
        r += 1
        last_of_day = i + 1 == len(rows) or rows[i + 1][0] != date
        if last_of_day:
            shown = fbal if float_balances else num(bal)
            xls_row(ws, r, [date, saldo_label, empty(), empty(), shown])
            r += 1
    if futuros:
        xls_put(ws, f"A{r}", "lançamentos futuros")
        xls_put(ws, f"A{r + 1}", "saídas futuras")
        r += 2
        for date, desc, cents in futuros:
            xls_row(ws, r, [date, desc, empty(), num(cents), empty()])
            r += 1
    for title, fill in sheets_after:
        fill(wb.add_sheet(title))
    ws.col(1).width = 40 * 256
    xls_save(wb, out_path("itau", name))


def itau_posicao(rows_cents, data_ref):
    def fill(ws):
        xls_put(ws, "A1", "Logotipo Itaú")
        xls_put(ws, "A3", "Posição Consolidada", XLS_BOLD)
        xls_put(ws, "A4", f"posição em {data_ref}")
        xls_row(ws, 6, ["produto", "saldo (R$)"], XLS_BOLD)
        r = 7
        total = 0
        for label, c in rows_cents:
            xls_row(ws, r, [label, num(c)], XLS_MONEY)
            total += c
            r += 1
        xls_row(ws, r + 1, ["total", num(total)], XLS_MONEY)
    return fill


def itau_limites(limite_conta, usado, limite_cartao):
    def fill(ws):
        xls_put(ws, "A1", "Logotipo Itaú")
        xls_put(ws, "A3", "Limites", XLS_BOLD)
        xls_row(ws, 5, ["limite da conta", "valor (R$)"], XLS_BOLD)
        xls_row(ws, 6, ["limite contratado", num(limite_conta)])
        xls_row(ws, 7, ["limite utilizado", num(usado)])
        xls_row(ws, 8, ["limite disponível", num(limite_conta - usado)])
        xls_row(ws, 10, ["cartão de crédito", "valor (R$)"], XLS_BOLD)
        xls_row(ws, 11, ["limite total", num(limite_cartao)])
        xls_row(ws, 12, ["juros do limite da conta", "8,00% a.m."])
    return fill


def make_itau_extrato():
    # One month's first half, the very rows of the PDF of FORMATS-PDF §2.2.b: negative SALDO
    # ANTERIOR (-1.234,56), double blanks kept, mojibake day balances, future block.
    itau_extrato(
        "itau-extrato-xls-2026-04.xls",
        atualizacao="14/04/2026 às 09:31:07", nome="FULANO DE TAL", agencia=1234, conta="56789-0",
        saldo_anterior=("31/03/2026", -123456),
        rows=[
            ("01/04/2026", "SISPAG EMPRESA EXEMPLO LTDA", 98000, ""),
            ("01/04/2026", "PIX TRANSF  FULANO 01/04", -5000, ""),
            ("02/04/2026", "PIX TRANSF  MARIA E02/04", 150000, ""),
            ("02/04/2026", "DA  COPEL 0001234", -18743, ""),
            ("06/04/2026", "PIX QRS PADARIA BOM04/04", -2390, ""),
            ("06/04/2026", "TAR PACOTE SERVICOS", -6490, ""),
            ("07/04/2026", "REND PAGO APLIC AUT MAIS", 1, ""),
            ("08/04/2026", "DA  SABESP 0045678", -9612, ""),
            ("08/04/2026", "PIX TRANSF  EMPRESA08/04", -161000, ""),
            ("10/04/2026", "TED 001.1234MARIA EXEMP", 250000, "0001"),
            ("10/04/2026", "JUROS LIMITE DA CONTA", -1237, ""),
            ("14/04/2026", "ITAU UNIBANCO CARTAO", -83015, ""),
        ],
        futuros=[
            ("20/04/2026", "DA  VIVO 0009876", -11999),
            ("05/05/2026", "BOLETO AGENDADO CONDOMINIO", -65000),
        ])

    # A whole month with the two extra sheets seen in one real file (Posição Consolidada and
    # Limites after Lançamentos), ag./origem filled on TED rows, a 1.000+ amount.
    itau_extrato(
        "itau-extrato-xls-2025-03-posicao-limites.xls",
        atualizacao="01/04/2025 às 08:02:44", nome="MARIA EXEMPLO", agencia=4321, conta="01234-5",
        saldo_anterior=("28/02/2025", 193356),
        rows=[
            ("05/03/2025", "SISPAG SALARIO EMPRESA EXEMPLO", 612345, ""),
            ("05/03/2025", "PIX TRANSF  FULANO 05/03", -99692, ""),
            ("06/03/2025", "TED 237.3105FULANO DE T", 120000, "3105"),
            ("10/03/2025", "DA  LIGHT 0000000000", -302234, ""),
            ("10/03/2025", "PIX QRS MERCADO EXE10/03", -25418, ""),
            ("12/03/2025", "REND PAGO APLIC AUT MAIS", 37, ""),
            ("17/03/2025", "APLICACAO CDB DI", -200000, ""),
            ("17/03/2025", "TAR PACOTE SERVICOS", -6490, ""),
            ("20/03/2025", "PIX TRANSF  MARIA E20/03", 45000, ""),
            ("25/03/2025", "BOLETO PAGO ESCOLA EXEMPLO", -118000, ""),
            ("31/03/2025", "ITAU UNIBANCO CARTAO", -74512, ""),
        ],
        futuros=[("01/04/2025", "DA  LIGHT 0000000000", -28790)],
        sheets_after=[
            ("Posição Consolidada", itau_posicao([
                ("conta corrente", 246352), ("aplicação automática Itaú Mais", 52000),
                ("CDB DI", 200000), ("poupança", 1034567)], "31/03/2025")),
            ("Limites", itau_limites(500000, 0, 1200000)),
        ])

    # Posição Consolidada BEFORE Lançamentos (the reader must pick the sheet by name/content, not
    # take the first one); a single transaction; the day balance label cut short as in the
    # anonymised real file ('SALDO TOTAL DISPONÃ'); empty cells are BLANK records, not '' text.
    itau_extrato(
        "itau-extrato-xls-2025-07-consolidada-first-one-row.xls",
        atualizacao="03/07/2025 às 19:45:00", nome="FULANO DE TAL", agencia=1234, conta="56789-0",
        saldo_anterior=("30/06/2025", 50000),
        rows=[("02/07/2025", "PIX TRANSF  MARIA E02/07", -12345, "")],
        saldo_label="SALDO TOTAL DISPON\u00c3", empty=lambda: BLANK,
        sheets_before=[("Posição Consolidada", itau_posicao(
            [("conta corrente", 37655), ("poupança", 150000)], "03/07/2025"))])

    # Two months across New Year; the balance cells hold float running sums (…0000000002 /
    # …9999999998 doubles, not the nearest double to the cents), the future block has two rows.
    itau_extrato(
        "itau-extrato-xls-2025-12-virada-float-saldos.xls",
        atualizacao="09/01/2026 às 07:15:59", nome="MARIA EXEMPLO", agencia=87, conta="00456-7",
        saldo_anterior=("12/12/2025", 10),
        rows=[
            ("15/12/2025", "PIX TRANSF  FULANO 15/12", 20, ""),
            ("15/12/2025", "REND PAGO APLIC AUT MAIS", 10, ""),
            ("16/12/2025", "SISPAG EMPRESA EXEMPLO LTDA", 123446, ""),
            ("19/12/2025", "PIX QRS LOJA EXEMPL19/12", -3330, ""),
            ("22/12/2025", "DA  COPEL 0001234", -15517, ""),
            ("30/12/2025", "IOF", -73, ""),
            ("02/01/2026", "SISPAG 13 SALARIO EXEMPLO", 70070, ""),
            ("05/01/2026", "TAR PACOTE SERVICOS", -6490, ""),
            ("08/01/2026", "PIX TRANSF  MARIA E08/01", -10001, ""),
        ],
        futuros=[
            ("12/01/2026", "DA  SABESP 0045678", -8810),
            ("15/01/2026", "ITAU UNIBANCO CARTAO", -45623),
        ],
        float_balances=True)


# ----------------------------------------------------------------------------------------------
# Itaú fatura XLS (FORMATS-PDF §3.2), with real numbers where the real sample had placeholders.

def itau_fatura(name, *, nome, agencia, conta, atualizacao, mes, venc, melhor_data, emitido,
                anterior, pagamentos, cards, encargos, total_style):
    """cards: (holder, final, kind, rows) with rows (date, merchant, amount) where amount is
    centavos (a number cell: purchases positive) or a str (a text cell, e.g. a credit '12,34').
    pagamentos: (iso date, centavos > 0). total_style: 'number', 'brl' or 'rs' for total cells."""
    def total_cell(c):
        if total_style == "number":
            return num(c)
        if total_style == "brl":
            return brl(c)
        return f"R${NBSP}{brl(c)}"

    def value_of(row):
        v = row[2]
        if isinstance(v, str):
            v = int(v.replace(".", "").replace(",", ""))
        # A credit's sign comes from its wording, whatever the cell holds.
        return -abs(v) if "Devolucao" in row[1] or "ESTORNO" in row[1] else v

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Lançamentos")
    itau_preamble(ws, atualizacao, nome, agencia, conta, f"fatura de {mes}")
    card_totals = [sum(value_of(row) for row in rows) for _, _, _, rows in cards]
    nacionais = sum(card_totals)
    enc_total = sum(c for _, _, c in encargos)
    grand = nacionais + enc_total
    xls_row(ws, 9, ["fatura", "valor até o momento", "venc. da fatura"], XLS_BOLD)
    xls_row(ws, 10, ["aberta", f"R$ {brl(grand)}", venc])
    xls_row(ws, 12, ["melhor data de compra", melhor_data])
    xls_put(ws, "A13", f"compras feitas antes do dia {melhor_data[:2]} entram nesta fatura; "
                       "a partir dele, na próxima")
    xls_put(ws, "A17", "total da fatura anterior", XLS_BOLD)
    r = 19
    for iso, cents in pagamentos:
        xls_row(ws, r, [iso, "PAGAMENTO EFETUADO", None, f"-R${NBSP}{brl(cents)}"])
        r += 1
    assert sum(c for _, c in pagamentos) == anterior, name
    r += 1
    xls_row(ws, r, ["total da fatura anterior", None, None, total_cell(anterior)])
    r += 3
    xls_put(ws, f"A{r}", "lançamentos nacionais", XLS_BOLD)
    r += 2
    for (holder, final, kind, rows), total in zip(cards, card_totals):
        xls_put(ws, f"A{r}", f"{holder} - final {final} ({kind})", XLS_BOLD)
        r += 2
        xls_row(ws, r, ["data", "lançamento", None, "valor"], XLS_BOLD)
        r += 1
        for date, merchant, v in rows:
            xls_row(ws, r, [date, merchant, None, v if isinstance(v, str) else num(v)])
            r += 1
        r += 1
        xls_row(ws, r, [f"total nacional do cartão - final {final} ({kind})", None, None,
                        total_cell(total)])
        r += 3
    xls_row(ws, r, ["total de lançamentos nacionais (titular + adicionais)", None, None,
                    total_cell(nacionais)])
    r += 3
    if encargos:
        xls_put(ws, f"A{r}", "encargos e serviços", XLS_BOLD)
        r += 2
        xls_row(ws, r, ["data", "lançamento", None, "valor"], XLS_BOLD)
        r += 1
        for date, desc, cents in encargos:
            xls_row(ws, r, [date, desc, None, num(cents)])
            r += 1
        r += 1
    else:
        xls_put(ws, f"A{r}", "não existem encargos e serviços nesta fatura")
        r += 2
    xls_row(ws, r, ["total encargos e serviços", None, None, total_cell(enc_total)])
    r += 3
    xls_row(ws, r, ["total (nacionais + internacionais + encargos)", None, None, total_cell(grand)],
            XLS_BOLD)
    r += 3
    xls_put(ws, f"A{r}", f"emitido em {emitido}")
    ws.col(1).width = 36 * 256
    xls_save(wb, out_path("itau", name))


def make_itau_fatura():
    # The real sample's own shape (open April 2025 bill due 05/04), titular + adicional, a
    # 'Devolucao Saldo Credor' credit stored as a POSITIVE number (sign from the wording), no
    # encargos, all totals numeric.
    itau_fatura(
        "itau-fatura-xls-2025-04.xls", nome="MARIA EXEMPLO", agencia=1234, conta="56789-0",
        atualizacao="24/03/2025 às 10:15:02", mes="abril", venc="05/04/2025",
        melhor_data="29/03/2025", emitido="24/03/2025 às 10:15",
        anterior=123456, pagamentos=[("2025-03-05", 123456)],
        cards=[
            ("Maria Exemplo", "1234", "titular", [
                ("27/02/2025", "LOJA EXEMPLO", 10789),
                ("28/02/2025", "SUPERMERCADO EXEMPLO", 25437),
                ("01/03/2025", "POSTO EXEMPLO", 18000),
                ("28/01/2025", "FARMACIA EXEMPLO 02/06", 3940),
                ("07/03/2025", "Devolucao Saldo Credor", 1234),
                ("10/03/2025", "APPLE.COM/BILL", 4990),
            ]),
            ("Fulano de Tal", "5678", "adicional", [
                ("02/03/2025", "RESTAURANTE EXEMPLO", 8650),
                ("15/03/2025", "UBER* TRIP", 2375),
                ("20/02/2025", "LIVRARIA EXEMPLO02/03", 6433),
            ]),
        ],
        encargos=[], total_style="number")

    # Two adicionais (three cards), the previous bill paid in two payments, an encargos block,
    # the credit stored as TEXT '12,34' and every total as pt-BR text ('1.234,56').
    itau_fatura(
        "itau-fatura-xls-2025-09-tres-cartoes-encargos.xls", nome="FULANO DE TAL", agencia=4321,
        conta="01234-5", atualizacao="28/08/2025 às 21:40:10", mes="setembro", venc="10/09/2025",
        melhor_data="03/09/2025", emitido="28/08/2025 às 21:40",
        anterior=234567, pagamentos=[("2025-08-01", 100000), ("2025-08-08", 134567)],
        cards=[
            ("Fulano de Tal", "4321", "titular", [
                ("03/08/2025", "SUPERMERCADO EXEMPLO", 41290),
                ("05/08/2025", "MERCADOLIVRE*2PROD04/10", 7609),
                ("09/08/2025", "Devolucao Saldo Credor", "12,34"),
                ("12/08/2025", "POSTO EXEMPLO", 25000),
                ("20/08/2025", "NETFLIX.COM", 4490),
            ]),
            ("Maria Exemplo", "8765", "adicional", [
                ("04/08/2025", "FARMACIA EXEMPLO", 8735),
                ("18/08/2025", "LOJA EXEMPLO       04/10", 25699),
            ]),
            ("Beltrano Exemplo", "1111", "adicional", [
                ("22/08/2025", "LANCHONETE EXEMPLO", 3250),
            ]),
        ],
        encargos=[
            ("10/08/2025", "ANUIDADE DIFERENCIADA 03/12", 3500),
            ("10/08/2025", "SEGURO CARTAO PROTEGIDO", 899),
        ],
        total_style="brl")

    # Titular only, a bill due in January 2026 with December 2025 purchases, instalments, an
    # ESTORNO stored as a NEGATIVE number, a five-figure payment (-R$ 12.345,67) and totals as
    # 'R$\xa0…' text.
    itau_fatura(
        "itau-fatura-xls-2026-01-titular-virada.xls", nome="FULANO DE TAL", agencia=1234,
        conta="56789-0", atualizacao="27/12/2025 às 08:05:33", mes="janeiro", venc="07/01/2026",
        melhor_data="31/12/2025", emitido="27/12/2025 às 08:05",
        anterior=1234567, pagamentos=[("2025-12-07", 1234567)],
        cards=[
            ("Fulano de Tal", "9012", "titular", [
                ("15/08/2025", "MOVEIS EXEMPLO    05/10", 89171),
                ("01/12/2025", "MERCADO EXEMPLO", 123456),
                ("05/12/2025", "ESTORNO LOJA EXEMPLO", -5990),
                ("12/12/2025", "PASSAGEM AEREA EXEMP01/06", 51234),
                ("20/12/2025", "RESTAURANTE EXEMPLO", 31800),
                ("24/12/2025", "LOJA DE BRINQUEDOS EX", 19999),
            ]),
        ],
        encargos=[], total_style="rs")


# ----------------------------------------------------------------------------------------------
# Bradesco extrato: XLSX saved with a .XLS name (FORMATS §3.2.a, §2.10)

BRADESCO_HEADER = ["Data", "Lançamento", "Dcto.", "Crédito (R$)", "Débito (R$)", "Saldo (R$)"]


def bradesco_rows(ws, r, saldo_anterior, rows, date_cells, doc_numbers):
    """Writes SALDO ANTERIOR + rows; returns (next row, credits, debits, final balance)."""
    def date_val(s):
        return d(s) if date_cells else s
    date0, bal = saldo_anterior
    xlsx_row(ws, r, [date_val(date0), "SALDO ANTERIOR", None, None, None, num(bal)])
    r += 1
    cred = deb = 0
    for row in rows:
        if row[0] is None:  # continuation line: counterparty in B only
            xlsx_row(ws, r, [None, row[1]])
            r += 1
            continue
        date, desc, dcto, cents = row
        bal += cents
        if cents > 0:
            cred += cents
        else:
            deb += -cents
        dcto_val = (int(dcto) if doc_numbers and dcto.isdigit() else dcto) if dcto else None
        xlsx_row(ws, r, [date_val(date), desc, dcto_val, num(cents) if cents > 0 else None,
                         num(-cents) if cents < 0 else None, num(bal)])
        r += 1
    return r, cred, deb, bal


def bradesco_tail(ws, r, cred, deb, bal, invest, base, ultimos=(), date_cells=False):
    xlsx_row(ws, r, [None, "Total", None, num(cred), num(deb), num(bal)])
    r += 1
    if ultimos:
        xlsx_put(ws, f"A{r}", "Últimos Lançamentos")
        xlsx_row(ws, r + 1, BRADESCO_HEADER)
        r += 2
        for date, desc, dcto, cents in ultimos:
            xlsx_row(ws, r, [d(date) if date_cells else date, desc, dcto,
                             num(cents) if cents > 0 else None, num(-cents) if cents < 0 else None])
            r += 1
    r += 1
    xlsx_put(ws, f"A{r}", "Saldos Invest Fácil / Plus")
    xlsx_row(ws, r + 1, ["Data", "Histórico", "Valor (R$)"])
    r += 2
    for date, label, cents in invest:
        xlsx_row(ws, r, [d(date) if date_cells else date, label, num(cents)])
        r += 1
    r += 1
    xlsx_put(ws, f"A{r}", f"Os dados acima têm como base {base}, podendo sofrer alterações.")


def bradesco_sheet(ws):
    ws.column_dimensions["B"].width = 48
    for c in "DEF":
        ws.column_dimensions[c].width = 14


def make_bradesco():
    # One month: unsigned debits as numbers, a continuation row (counterparty in B only), Total,
    # Saldos Invest Fácil / Plus, the footer; numbers written as Excel 2007's 17-digit doubles.
    wb, ws = new_xlsx("Extrato")
    bradesco_sheet(ws)
    xlsx_put(ws, "B2", "Extrato de: Agência: 3105  Conta: 0048213-7")
    xlsx_row(ws, 3, BRADESCO_HEADER)
    r, cred, deb, bal = bradesco_rows(ws, 4, ("30/01/2026", 817605), [
        ("02/02/2026", "RENTAB.INVEST FACILCRED*", "6393379", 49),
        ("02/02/2026", "PAGTO ELETRON COBRANCA", "3433", -31785),
        (None, "CONDOMINIO EXEMPLO"),
        ("03/02/2026", "PIX QR CODE DINAMICO DES: PADARIA EXEMPLO", "1402311", -2740),
        ("04/02/2026", "TRANSFERENCIA PIX REM: MARIA EXEMPLO", "2209114", 150000),
        ("05/02/2026", "TARIFA BANCARIA CESTA FÁCIL ECONÔMICA", "0", -3290),
        ("10/02/2026", "GASTOS CARTAO DE CREDITO", "7433", -247046),
        ("13/02/2026", "SALARIO", "1", 483040),
        ("13/02/2026", "APLIC.INVEST FACIL", "6393379", -200000),
        ("20/02/2026", "DEBITO AUTOMATICO OPERADORA EXEMPLO", "221144", -11990),
        ("27/02/2026", "RESGATE INVEST FACIL", "6393379", 50000),
    ], date_cells=False, doc_numbers=False)
    bradesco_tail(ws, r, cred, deb, bal, [("27/02/2026", "SALDO INVEST FÁCIL", 150049),
                                          ("27/02/2026", "SALDO INVEST PLUS", 0)],
                  "27/02/2026 às 18:42:10")
    xlsx_save(wb, out_path("bradesco", "bradesco-extrato-xlsx-2026-02.XLS"), long_doubles=True)

    # Two periods joined: 01–15/12/2025 then a second SALDO ANTERIOR (31/12/2025, not equal to the
    # balance of 15/12: the second half of December is not in the file) and January 2026; one
    # Total for the whole sheet; Dcto. as numbers; the sheet name has an accent.
    wb, ws = new_xlsx("Movimentação")
    bradesco_sheet(ws)
    xlsx_put(ws, "B2", "Extrato de: Agência: 1234  Conta: 56789-0")
    xlsx_row(ws, 3, BRADESCO_HEADER)
    r, c1, d1, b1 = bradesco_rows(ws, 4, ("30/11/2025", 120000), [
        ("01/12/2025", "TRANSFERENCIA PIX REM: FULANO DE TAL", "112001", 35000),
        ("03/12/2025", "CONTA DE LUZ COPEL", "873001", -23412),
        ("10/12/2025", "SALARIO", "1", 512345),
        ("15/12/2025", "PIX QR CODE ESTATICO DES: FARMACIA EXEMPLO", "1609221", -4599),
    ], date_cells=False, doc_numbers=True)
    r, c2, d2, b2 = bradesco_rows(ws, r, ("31/12/2025", 701234), [
        ("02/01/2026", "RENTAB.INVEST FACILCRED*", "6393379", 112),
        ("05/01/2026", "TARIFA BANCARIA CESTA FÁCIL ECONÔMICA", "0", -3290),
        ("12/01/2026", "GASTOS CARTAO DE CREDITO", "7433", -312044),
        ("20/01/2026", "TRANSFERENCIA PIX REM: MARIA EXEMPLO", "2001009", 80000),
    ], date_cells=False, doc_numbers=True)
    bradesco_tail(ws, r, c1 + c2, d1 + d2, b2, [("30/01/2026", "SALDO INVEST FÁCIL", 300000)],
                  "30/01/2026 às 09:12:00")
    xlsx_save(wb, out_path("bradesco", "bradesco-extrato-xlsx-2026-01-two-periods.XLS"))

    # The filter line, date CELLS (dd/mm/yyyy format), 'Últimos Lançamentos' repeating the last
    # day, a negative balance mid-month.
    wb, ws = new_xlsx("Extrato")
    bradesco_sheet(ws)
    xlsx_put(ws, "B2", "Extrato de: Agência: 3105  Conta: 0048213-7")
    xlsx_put(ws, "A3", "Filtro de resultados - Movimentação entre:  01/05/2026 e 31/05/2026")
    xlsx_row(ws, 4, BRADESCO_HEADER)
    last_day = [
        ("29/05/2026", "PIX QR CODE DINAMICO DES: SUPERMERCADO EXEMPLO", "2702001", -28730),
        ("29/05/2026", "RESGATE INVEST FACIL", "6393379", 50000),
    ]
    r, cred, deb, bal = bradesco_rows(ws, 5, ("30/04/2026", 15000), [
        ("04/05/2026", "PAGTO ELETRON COBRANCA", "3433", -31785),
        ("05/05/2026", "ENCARGOS LIMITE DE CRED", "0", -1214),
        ("06/05/2026", "SALARIO", "1", 693418),
        ("06/05/2026", "APLIC.INVEST FACIL", "6393379", -300000),
        ("15/05/2026", "DEP DINHEIRO ATM", "15001", 20000),
        ("20/05/2026", "CONTA DE AGUA SABESP", "873001", -13822),
    ] + last_day, date_cells=True, doc_numbers=False)
    bradesco_tail(ws, r, cred, deb, bal, [("29/05/2026", "SALDO INVEST FÁCIL", 250000),
                                          ("29/05/2026", "SALDO INVEST PLUS", 0)],
                  "29/05/2026 às 17:03:45", ultimos=last_day, date_cells=True)
    xlsx_save(wb, out_path("bradesco", "bradesco-extrato-xlsx-2026-05-ultimos.XLS"))


# ----------------------------------------------------------------------------------------------
# Santander extrato XLSX (FORMATS §3.3.b): sheet Sheet0, AGENCIA|agency|CONTA|account, newest first

SANTANDER_HEADER = ["Data", "Histórico", "Documento", "Valor (R$)", "Saldo (R$)"]


def santander(name, agencia, conta, saldo_inicial, rows, *, amounts="number", dates="text",
              long_doubles=False):
    """rows oldest first (date, description, documento, centavos); written newest first, with
    the balance after each row. amounts: 'number' or 'text' (pt-BR, padded to 18 as in the
    CSV); dates: 'text' or 'cell'."""
    wb, ws = new_xlsx("Sheet0")
    xlsx_row(ws, 1, ["AGENCIA", agencia, "CONTA", conta])
    xlsx_row(ws, 3, SANTANDER_HEADER)
    bal = saldo_inicial
    lines = []
    for date, desc, doc, cents in rows:
        bal += cents
        lines.append((date, desc, doc, cents, bal))
    # Stable sort by date, newest first; rows of one day keep the bank's order (last posted first).
    lines.reverse()
    r = 4
    for date, desc, doc, cents, b in lines:
        if amounts == "number":
            v, s = num(cents), num(b)
        else:
            v, s = brl(cents).rjust(18), brl(b).rjust(18)
        xlsx_row(ws, r, [d(date) if dates == "cell" else date, desc, doc, v, s])
        r += 1
    ws.column_dimensions["B"].width = 40
    xlsx_save(wb, out_path("santander", name), long_doubles=long_doubles)


def make_santander():
    # A month newest first, numeric amounts written as 17-digit doubles, a ';' inside a
    # description, empty Documento cells ('').
    santander("santander-extrato-xlsx-2026-08.xlsx", "1234", "130012345", 12467, [
        ("03/08/2026", "Pix Recebido Cliente", "19262730", 100000),
        ("05/08/2026", "Pagamento de Boleto Condominio Exemplo", "", -48390),
        ("10/08/2026", "Tarifa Mensalidade Pacote Servicos", "", -4450),
        ("12/08/2026", "Compra Cartao Debito Mercado Exemplo", "120812", -15671),
        ("18/08/2026", "Remuneracao Aplicacao Automatica", "", 37),
        ("21/08/2026", "Pix Recebido Fulano de Tal", "19262731", 33300),
        ("24/08/2026", "Pix Enviado Padaria; Centro", "", -4705),
    ], long_doubles=True)

    # Amounts as pt-BR TEXT padded to 18 characters (as the CSV rendering shows), thousands
    # separators, date CELLS, a negative balance.
    santander("santander-extrato-xlsx-2026-03-text-amounts.xlsx", "0042", "010098765", 54321, [
        ("02/03/2026", "Pagamento Cartao de Credito", "", -345678),
        ("02/03/2026", "Juros Saldo Devedor", "", -1523),
        ("05/03/2026", "Credito de Salario Empresa Exemplo", "000501", 781234),
        ("09/03/2026", "Pix Enviado Maria Exemplo", "", -120000),
        ("16/03/2026", "Debito Automatico Energia Exemplo", "887766", -21990),
        ("31/03/2026", "Resgate Investimento CDB", "", 1000000),
    ], amounts="text", dates="cell")

    # One day, three rows: newest first must not be reversed into a wrong intra-day order.
    santander("santander-extrato-xlsx-2026-09-one-day.xlsx", "1234", "130012345", 7467, [
        ("14/09/2026", "Pix Recebido Maria Exemplo", "19262740", 25000),
        ("14/09/2026", "Compra Cartao Debito Farmacia Exemplo", "140901", -3890),
        ("14/09/2026", "Pix Enviado Fulano de Tal", "", -10000),
    ])

    # A single row.
    santander("santander-extrato-xlsx-2026-10-one-row.xlsx", "1234", "130012345", 100000, [
        ("01/10/2026", "Tarifa Mensalidade Pacote Servicos", "", -4450),
    ])


# ----------------------------------------------------------------------------------------------
# Sicredi XLS (FORMATS §3.10.a header, §3.10.b savings XLS, §2.5 prose rows)

SICREDI_HEADER = ["Data", "Descrição", "Documento", "Valor (R$)", "Saldo (R$)"]


def sicredi(name, sheet, preamble, blocks, *, unsigned, date_cells):
    """blocks: list of (prose label, opening balance cents, rows (date, desc, doc, cents))."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet(sheet)
    r = 1
    for line in preamble:
        if isinstance(line, str):
            xls_put(ws, f"A{r}", line)
        else:
            xls_row(ws, r, list(line))
        r += 1
    r += 1
    xls_row(ws, r, SICREDI_HEADER, XLS_BOLD)
    r += 1
    for label, opening, rows in blocks:
        bal = opening
        xls_row(ws, r, [label, None, None, None, num(bal)])
        r += 1
        for date, desc, doc, cents in rows:
            bal += cents
            xls_row(ws, r, [d(date) if date_cells else date, desc, doc,
                            num(abs(cents) if unsigned else cents), num(bal)])
            r += 1
    ws.col(1).width = 44 * 256
    xls_save(wb, out_path("sicredi", name))


def make_sicredi():
    # Savings (poupança) XLS: Valor UNSIGNED (direction only from the balance change), a prose
    # opening row 'Saldo a partir 04/05/12:' in the date column.
    sicredi("sicredi-poupanca-xls-2012-05.xls", "Extrato",
            ["Sicredi - Extrato de Poupança", "Associado: MARIA EXEMPLO", "Cooperativa: 0710",
             "Conta: 12345-6", "Período: 04/05/2012 a 31/05/2012"],
            [("Saldo a partir 04/05/12:", 250000, [
                ("04/05/2012", "RENDIMENTO", "000000", 1285),
                ("10/05/2012", "APLICACAO", "000123", 50000),
                ("18/05/2012", "RESGATE", "000124", -30000),
                ("28/05/2012", "APLICACAO", "000125", 12050),
            ])], unsigned=True, date_cells=False)

    # Savings with two prose rows (one per anniversary) and date CELLS; the sheet name has
    # accents.
    sicredi("sicredi-poupanca-xls-2013-two-anniversaries.xls", "Poupança Aniversário",
            ["Sicredi - Extrato de Poupança", "Associado: FULANO DE TAL", "Cooperativa: 0116",
             "Conta: 98765-4", "Período: 04/05/2013 a 03/07/2013"],
            [("Saldo a partir 04/05/13:", 100000, [
                ("04/05/2013", "RENDIMENTO", "000000", 505),
                ("20/05/2013", "RESGATE", "000301", -20000),
            ]), ("Saldo a partir 04/06/13:", 80505, [
                ("04/06/2013", "RENDIMENTO", "000000", 406),
                ("12/06/2013", "APLICACAO", "000302", 150000),
                ("01/07/2013", "RESGATE", "000303", -911),
            ])], unsigned=True, date_cells=True)

    # Checking account XLS: the preamble on one line split over two cells, the CSV's columns with
    # SIGNED amounts and PIX_DEB/PIX_CRED in Documento, accented descriptions, a prose row.
    sicredi("sicredi-extrato-xls-2026-04.xls", "Extrato",
            ["Sicredi", ("Cooperativa: 3003", "Conta: 55667-8"),
             "Extrato do período 01/04/2026 a 15/04/2026"],
            [("Saldo a partir 01/04/26:", -5000, [
                ("01/04/2026", "JUROS CHEQUE ESPECIAL", "000000", -312),
                ("01/04/2026", "IOF", "000000", -47),
                ("02/04/2026", "RECEBIMENTO PIX LOJA DO ALEMÃO", "PIX_CRED", 150000),
                ("03/04/2026", "PAGAMENTO PIX AÇOUGUE EXEMPLO", "PIX_DEB", -15890),
                ("06/04/2026", "LIQUIDAÇÃO BOLETO ENERGIA EXEMPLO", "002233", -23456),
                ("10/04/2026", "SALARIO COOPERATIVA EXEMPLO", "000001", 485000),
                ("15/04/2026", "PAGAMENTO PIX", "PIX_DEB", -25000),
            ])], unsigned=False, date_cells=False)


# ----------------------------------------------------------------------------------------------
# BB extrato XLSX (FORMATS §3.4.g, columns of §3.4.d)

def bb(name, preamble, header_no, saldo_anterior, days, fim, *, amounts="number", dates="text",
       epoch_1904=False, s_a_l_d_o=False):
    """days: list of (date, rows (lancamento, detalhes, doc, cents)); a 'Saldo do dia' follows each
    day; the file ends with optional 'S A L D O' and 'Saldo Final' dated 00/00/0000."""
    wb, ws = new_xlsx("Extrato", epoch_1904=epoch_1904)
    xlsx_put(ws, "A1", "Extrato Conta Corrente")
    r = 2
    for line in preamble:
        xlsx_put(ws, f"A{r}", line)
        r += 1
    r += 1
    xlsx_row(ws, r, ["Data", "Lançamento", "Detalhes", header_no, "Valor", "Tipo Lançamento"])
    r += 1

    def amt(c):
        return num(c) if amounts == "number" else brl(c)

    def dt(s):
        return d(s) if dates == "cell" and s != "00/00/0000" else s

    date0, bal = saldo_anterior
    xlsx_row(ws, r, [dt(date0), "Saldo Anterior", "", "", amt(bal), ""])
    r += 1
    for date, rows in days:
        for lanc, det, doc, cents in rows:
            bal += cents
            xlsx_row(ws, r, [dt(date), lanc, det, doc, amt(cents), "Entrada" if cents > 0 else "Saída"])
            r += 1
        xlsx_row(ws, r, [dt(date), "Saldo do dia", "", "", amt(bal), ""])
        r += 1
    if s_a_l_d_o:
        xlsx_row(ws, r, [dt(fim), "S A L D O", "", "", amt(bal), ""])
        r += 1
    xlsx_row(ws, r, ["00/00/0000", "Saldo Final", "", "", amt(bal), ""])
    ws.column_dimensions["C"].width = 40
    xlsx_save(wb, out_path("bb", name))


def make_bb():
    # Numeric signed amounts, text dates, 'Nº documento' (U+00BA), header on row 3.
    bb("bb-extrato-xlsx-2025-05.xlsx", [], "Nº documento", ("30/04/2025", 100000), [
        ("02/05/2025", [
            ("Compra com Cartão", "01/05 20:08 COMERCIAL DE ALIMENT", "643752", -4166),
            ("BB Rende Fácil", "Rende Facil", "9903", 4215),
        ]),
        ("05/05/2025", [
            ("Pix - Recebido", "05/05 11:32 MARIA EXEMPLO", "50501", 32000),
            ("Pagamento de Boleto", "ESCOLA EXEMPLO LTDA", "50502", -118000),
            ("Cobertura Cheque Especial", "", "", 86000),
        ]),
        ("12/05/2025", [("Tarifa Pacote de Serviços", "Cobrança referente 05/2025", "", -3150)]),
    ], "31/05/2025")

    # Amounts as pt-BR TEXT, 'N° documento' (U+00B0), an invented preamble (agency/account,
    # period) that moves the header to row 5, a negative opening balance, 'S A L D O'.
    bb("bb-extrato-xlsx-2026-04-grau-texto.xlsx",
       ["Agência: 1234-5  Conta: 98765-4", "Período: 01/04/2026 a 30/04/2026"],
       "N° documento", ("31/03/2026", -125075), [
           ("01/04/2026", [
               ("Crédito Salário", "PAGTO SALARIO EMPRESA EXEMPLO S/A", "40101", 684210),
               ("Juros Cheque Especial", "Juros do período", "", -4831),
               ("IOF", "Cobrança de I.O.F.", "", -692),
           ]),
           ("03/04/2026", [
               ("Pix - Enviado", "03/04 09:15 FULANO DE TAL", "30915", -150000),
               ("Pagamento de Boleto", "COLÉGIO EXEMPLO", "40302", -118000),
           ]),
           ("08/04/2026", [
               ("Compra com Cartão", "07/04 20:51 POSTO EXEMPLO AV BRASIL", "70420", -21000),
               ("Estorno de Compra", "07/04 POSTO EXEMPLO AV BRASIL", "70421", 2500),
           ]),
       ], "30/04/2026", amounts="text", s_a_l_d_o=True)

    # The 1904 date system (workbookPr date1904="1") with date CELLS: a reader using the 1900
    # epoch lands 4 years and a day early; 'Saldo Final' keeps its TEXT date 00/00/0000 in the
    # same column.
    bb("bb-extrato-xlsx-2024-11-date1904.xlsx", [], "Nº documento", ("31/10/2024", 250050), [
        ("01/11/2024", [("Pix - Recebido", "01/11 08:02 MARIA EXEMPLO", "10801", 15075)]),
        ("04/11/2024", [
            ("Pagamento de Boleto", "ENERGIA EXEMPLO SA", "40401", -18390),
            ("Compra com Cartão", "02/11 13:40 PADARIA EXEMPLO", "40402", -2350),
        ]),
        ("29/11/2024", [("BB Rende Fácil", "Rende Facil", "9903", 312)]),
    ], "30/11/2024", dates="cell", epoch_1904=True)


# ----------------------------------------------------------------------------------------------
# BTG Pactual extrato XLS (FORMATS-PDF §3.3): JasperReports-like, 11 columns, header on row 11

def btg(name, *, exported, cliente, periodo, rows, yield_cents=(), float_balances=False):
    """rows chronological: (date, time, categoria, transacao, descricao, cents). A 'Saldo Diário'
    row (23:59) closes each day; yield_cents maps a date to unlisted cents added to that day's
    balance (the real balances do not chain to the cent)."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Extrato")
    for c in range(11):
        ws.col(c).width = (3 if c == 0 else 14) * 256
    ws.write_merge(0, 0, 1, 8, "Extrato de conta corrente", XLS_BOLD)  # B1:I1
    xls_put(ws, "J1", exported)  # an Excel date serial
    for i, (label, value) in enumerate([("Cliente:", cliente), ("CPF:", "000.000.000-00"),
                                        ("Agência:", "0050"), ("Conta:", "001234567"),
                                        ("Período do extrato:", periodo)]):
        xls_put(ws, f"B{3 + i}", label, XLS_BOLD)
        ws.write_merge(2 + i, 2 + i, 2, 6, value)  # C:G
    yields = dict(yield_cents)
    bal = 0
    fbal = 0.0
    days = []
    for i, row in enumerate(rows):
        bal += row[5]
        fbal += num(row[5])
        if not days or days[-1][0] != row[0]:
            days.append([row[0], []])
        days[-1][1].append(row)
        if i + 1 == len(rows) or rows[i + 1][0] != row[0]:
            extra = yields.get(row[0], 0)
            bal += extra
            fbal += num(extra)
            days[-1].append(fbal if float_balances else num(bal))
    xls_put(ws, "B9", "Lançamentos:", XLS_BOLD)
    xls_put(ws, "H9", "Saldo atual:", XLS_BOLD)
    xls_put(ws, "J9", days[-1][2])
    r = 10  # row 11
    ws.write(r, 1, "Data e hora", XLS_BOLD)
    ws.write(r, 2, "Categoria", XLS_BOLD)
    ws.write_merge(r, r, 3, 5, "Transação", XLS_BOLD)
    ws.write_merge(r, r, 6, 9, "Descrição", XLS_BOLD)
    ws.write(r, 10, "Valor", XLS_BOLD)
    r += 1
    for date, day_rows, saldo in days:
        for _, time, cat, trans, desc, cents in day_rows:
            ws.write(r, 1, f"{date} {time}")
            ws.write(r, 2, cat)
            ws.write_merge(r, r, 3, 5, trans)
            ws.write_merge(r, r, 6, 9, desc)
            ws.write(r, 10, num(cents))
            r += 1
        ws.write(r, 1, f"{date} 23:59")
        ws.write_merge(r, r, 6, 9, "Saldo Diário")
        ws.write(r, 10, saldo)
        r += 1
    r += 1
    ws.write_merge(r, r, 5, 10, "Ouvidoria BTG Pactual: 0800 000 0000 (dias úteis, das 9h às 18h)")
    ws.write_merge(r + 1, r + 1, 5, 10, "©BTG Pactual - CNPJ 00.000.000/0001-00")
    xls_save(wb, out_path("btg", name))


def make_btg():
    # The real sample's rows (FORMATS-PDF §3.3) plus a few more; the balances carry 3 cents of
    # unlisted yield on 15/12 (they do not chain to the cent, as in the real file).
    btg("btg-extrato-xls-2025-12.xls", exported=datetime.datetime(2025, 12, 27, 10, 31),
        cliente="MARIA EXEMPLO", periodo="29/09/2025 a 27/12/2025", rows=[
            ("12/12/2025", "21:06", "Transferência", "Pix recebido", "Maria Exemplo Silva", 18009),
            ("15/12/2025", "07:07", "Salário", "Portabilidade de salário", "Pagamento recebido", 483040),
            ("15/12/2025", "07:23", "Transferência", "Pix enviado", "Joao Modelo Souza", -70000),
            ("15/12/2025", "13:04", "Contas", "Pagamento de boleto", "Imobiliaria Exemplo", -53690),
            ("19/12/2025", "18:45", "Transferência", "Pix enviado", "Fulano de Tal", -25050),
            ("22/12/2025", "09:00", "Investimentos", "Aplicação", "CDB BTG Pactual", -100000),
        ], yield_cents=[("15/12/2025", 3)])

    # Investments and transfers over a month; the Saldo Diário cells hold float running sums
    # (e.g. 1520.6999999999998), not the nearest double to the cents.
    btg("btg-extrato-xls-2025-10-investimentos.xls",
        exported=datetime.datetime(2025, 11, 1, 8, 0), cliente="FULANO DE TAL",
        periodo="01/10/2025 a 31/10/2025", rows=[
            ("01/10/2025", "08:15", "Transferência", "Pix recebido", "Maria Exemplo", 100010),
            ("01/10/2025", "09:40", "Investimentos", "Resgate", "CDB BTG Pactual", 70020),
            ("06/10/2025", "12:00", "Contas", "Pagamento de boleto", "Energia Exemplo SA", -19930),
            ("13/10/2025", "16:22", "Transferência", "Transferência enviada", "Fulano de Tal", -30000),
            ("20/10/2025", "07:01", "Salário", "Portabilidade de salário", "Pagamento recebido", 250030),
            ("20/10/2025", "07:30", "Investimentos", "Aplicação", "Tesouro Selic", -150000),
            ("31/10/2025", "22:10", "Transferência", "Pix enviado", "Padaria Exemplo", -1735),
        ], float_balances=True)

    # One day, one transaction and its Saldo Diário.
    btg("btg-extrato-xls-2026-02-one-day.xls", exported=datetime.datetime(2026, 2, 3, 19, 45),
        cliente="MARIA EXEMPLO", periodo="03/02/2026 a 03/02/2026", rows=[
            ("03/02/2026", "14:12", "Transferência", "Pix recebido", "Fulano de Tal", 4550),
        ])


# ----------------------------------------------------------------------------------------------
# Mercado Pago account_statement XLSX (FORMATS-PDF §3.4): sheet0, every cell text

def mercadopago(name, initial, rows, *, bare_styles=True, shared_strings=False):
    """rows: (DD-MM-YYYY, type, reference id, cents)."""
    wb, ws = new_xlsx("sheet0")
    credits = sum(c for *_, c in rows if c > 0)
    debits = sum(c for *_, c in rows if c < 0)
    final = initial + credits + debits
    xlsx_row(ws, 1, ["INITIAL_BALANCE", "CREDITS", "DEBITS", "FINAL_BALANCE"])
    xlsx_row(ws, 2, [brl(initial), brl(credits), brl(debits), brl(final)])
    xlsx_row(ws, 4, ["RELEASE_DATE", "TRANSACTION_TYPE", "REFERENCE_ID", "TRANSACTION_NET_AMOUNT",
                     "PARTIAL_BALANCE"])
    bal = initial
    for i, (date, kind, ref, cents) in enumerate(rows):
        bal += cents
        xlsx_row(ws, 5 + i, [date, kind, ref, brl(cents), brl(bal)])
    xlsx_save(wb, out_path("mercadopago", name), bare_styles=bare_styles, shared_strings=shared_strings)


def make_mercadopago():
    # September 2025 as the real file: no default style (openpyxl warns), inline strings, pots
    # (Reserva/Dinheiro reservado/retirado) moving the balance, the download's real file name.
    mercadopago("account_statement-3f2a9c1e-0000-4000-8000-00000000a001.xlsx", 100000, [
        ("01-09-2025", "Rendimentos", "1700000000001", 5),
        ("01-09-2025", "Transferência Pix recebida MARIA EXEMPLO", "120000000001", 23246),
        ("01-09-2025", "Reserva por gastos Emergência", "120000000002", -1000),
        ("04-09-2025", "Dinheiro retirado Emergência", "120000000003", 80000),
        ("05-09-2025", "Pagamento de contas Energia Exemplo", "120000000004", -18734),
        ("10-09-2025", "Transferência Pix enviada Fulano de Tal", "120000000005", -100000),
        ("15-09-2025", "Pagamento de assinatura Streaming Exemplo", "120000000006", -3990),
        ("20-09-2025", "Reserva programada Viagem", "120000000007", -20000),
        ("30-09-2025", "Rendimentos", "1700000000002", 112),
    ])

    # Thousands in every column (1.852,03 / -25.569,57), the other types of §3.4 (Pagamento,
    # Pagamento Cartão de crédito, Pagamentos pendentes, Saída de dinheiro, Transferência
    # recebida, Dinheiro reservado).
    mercadopago("mercadopago-account-statement-2025-10-milhares.xlsx", 185203, [
        ("01-10-2025", "Transferência recebida", "130000000001", 1250000),
        ("02-10-2025", "Dinheiro reservado Casa", "130000000002", -500000),
        ("03-10-2025", "Transferência Pix recebida FULANO DE TAL", "130000000003", 1100000),
        ("03-10-2025", "Pagamento Cartão de crédito", "130000000004", -1234567),
        ("06-10-2025", "Pagamento", "130000000005", -8990),
        ("08-10-2025", "Pagamentos pendentes do Mercado Livre", "130000000006", -15900),
        ("10-10-2025", "Saída de dinheiro", "130000000007", -100000),
        ("15-10-2025", "Dinheiro retirado Casa", "130000000008", 500000),
        ("31-10-2025", "Rendimentos", "1700000000003", 2345),
    ])

    # One row, with openpyxl's styles and a shared-string table (what Excel writes), to contrast
    # with the other two (no default style, inline strings).
    mercadopago("mercadopago-account-statement-2025-11-one-row.xlsx", 5000, [
        ("03-11-2025", "Transferência Pix enviada Maria Exemplo", "140000000001", -5000),
    ], bare_styles=False, shared_strings=True)


# ----------------------------------------------------------------------------------------------
# Negative files (tests/corpus/invalid/n_…): containers a reader must refuse with a clear error.



def write_zip(path, entries):
    write_entries(path, [(n, b.encode("utf-8") if isinstance(b, str) else b) for n, b in entries])
    record(path)


def content_types(overrides, extra_defaults=""):
    body = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (f'{XML_DECL}<Types xmlns="{CT_NS}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'{extra_defaults}{body}</Types>')


def rels(items):
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return f'{XML_DECL}<Relationships xmlns="{REL_NS}">{body}</Relationships>'


ROOT_RELS = rels([("rId1", f"{R_NS}/officeDocument", "xl/workbook.xml")])
WB_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def minimal_xlsx(sheet_xml):
    return [
        ("[Content_Types].xml", content_types([("/xl/workbook.xml", WB_CT),
                                                ("/xl/worksheets/sheet1.xml", WS_CT)])),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{R_NS}"><sheets>'
                            '<sheet name="Sheet0" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", rels([("rId1", f"{R_NS}/worksheet", "worksheets/sheet1.xml")])),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ]


def cfb(entries):
    """A Compound File Binary (OLE2, MS-CFB v3: 512-byte sectors). entries: list of
    (path tuple, bytes) for streams; storages are created from the paths. Streams under 4096
    bytes go to the mini stream, as the format requires."""
    SECT, MINI, CUTOFF = 512, 64, 4096
    FREE, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD

    # Directory tree: node = dict(name, type, data, children)
    root = {"name": "Root Entry", "type": 5, "data": b"", "children": {}}
    for path, data in entries:
        node = root
        for part in path[:-1]:
            node = node["children"].setdefault(part, {"name": part, "type": 1, "data": b"",
                                                      "children": {}})
        node["children"][path[-1]] = {"name": path[-1], "type": 2, "data": data, "children": {}}
    nodes = []

    def flatten(node):
        node["id"] = len(nodes)
        nodes.append(node)
        for child in node["children"].values():
            flatten(child)
    flatten(root)

    # Mini stream for small streams, regular sectors for big ones.
    mini = bytearray()
    minifat = []
    big = []
    for n in nodes:
        if n["type"] != 2:
            continue
        data = n["data"]
        if len(data) < CUTOFF:
            n["start"] = len(mini) // MINI if data else ENDOFCHAIN
            count = (len(data) + MINI - 1) // MINI
            for i in range(count):
                minifat.append(n["start"] + i + 1 if i + 1 < count else ENDOFCHAIN)
            mini += data + b"\0" * (count * MINI - len(data))
        else:
            big.append(n)

    sectors = []  # list of 512-byte blocks; FAT built alongside
    fat = []

    def add_chain(data):
        if not data:
            return ENDOFCHAIN
        count = (len(data) + SECT - 1) // SECT
        start = len(sectors)
        padded = data + b"\0" * (count * SECT - len(data))
        for i in range(count):
            sectors.append(padded[i * SECT:(i + 1) * SECT])
            fat.append(start + i + 1 if i + 1 < count else ENDOFCHAIN)
        return start

    for n in big:
        n["start"] = add_chain(n["data"])
    root["start"] = add_chain(bytes(mini)) if mini else ENDOFCHAIN
    root["size"] = len(mini)
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_bytes += b"\xff" * ((-len(minifat_bytes)) % SECT)
    minifat_start = add_chain(minifat_bytes) if minifat else ENDOFCHAIN
    minifat_count = len(minifat_bytes) // SECT if minifat else 0

    # Siblings: a binary search tree per storage, ordered by (length, upper-case name); all black.
    def key(n):
        return (len(n["name"]), n["name"].upper())

    def build(children):
        if not children:
            return FREE
        children = sorted(children, key=key)
        mid = len(children) // 2
        node = children[mid]
        node["left"] = build(children[:mid])
        node["right"] = build(children[mid + 1:])
        return node["id"]

    for n in nodes:
        n["child"] = build(list(n["children"].values()))
        n.setdefault("left", FREE)
        n.setdefault("right", FREE)

    directory = bytearray()
    for n in nodes:
        name = n["name"].encode("utf-16-le") + b"\0\0"
        size = n.get("size", len(n["data"])) if n["type"] != 1 else 0
        start = n.get("start", 0) if n["type"] != 1 else 0
        if n["type"] == 2 and not n["data"]:
            start = ENDOFCHAIN
        directory += (name.ljust(64, b"\0") + struct.pack("<HBB", len(name), n["type"], 1) +
                      struct.pack("<III", n["left"], n["right"], n["child"]) +
                      b"\0" * 16 + b"\0" * 4 + b"\0" * 16 +  # CLSID, state bits, times
                      struct.pack("<IQ", start, size))
    while len(directory) % SECT:  # unused entries
        directory += (b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) +
                      struct.pack("<III", FREE, FREE, FREE) + b"\0" * 48)
    dir_start = add_chain(bytes(directory))

    # FAT sectors cover every sector, themselves included.
    n_data = len(sectors)
    n_fat = 1
    while n_fat * (SECT // 4) < n_data + n_fat:
        n_fat += 1
    assert n_fat <= 109, "needs DIFAT sectors"
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECT // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    for i in range(n_fat):
        sectors.append(fat_bytes[i * SECT:(i + 1) * SECT])
    difat = [fat_start + i for i in range(n_fat)] + [FREE] * (109 - n_fat)

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 +
              struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6 +
              struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF, minifat_start,
                          minifat_count, ENDOFCHAIN, 0) +
              b"".join(struct.pack("<I", v) for v in difat))
    assert len(header) == SECT
    return header + b"".join(sectors)


def make_invalid():
    inv = lambda name: out_path("invalid", name)  # noqa: E731

    # A workbook with no sheet at all: workbook.xml holds <sheets/>.
    write_zip(inv("n_xlsx-no-sheets.xlsx"), [
        ("[Content_Types].xml", content_types([("/xl/workbook.xml", WB_CT)])),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{R_NS}"><sheets/></workbook>'),
        ("xl/_rels/workbook.xml.rels", rels([])),
    ])

    # A chart-only workbook: its one sheet is a chartsheet (a chart of literal values).
    chart = (f'{XML_DECL}<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
             'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
             '<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
             '<c:ser><c:idx val="0"/><c:order val="0"/>'
             '<c:cat><c:strLit><c:ptCount val="2"/><c:pt idx="0"><c:v>Entradas</c:v></c:pt>'
             '<c:pt idx="1"><c:v>Saídas</c:v></c:pt></c:strLit></c:cat>'
             '<c:val><c:numLit><c:ptCount val="2"/><c:pt idx="0"><c:v>980</c:v></c:pt>'
             '<c:pt idx="1"><c:v>50</c:v></c:pt></c:numLit></c:val></c:ser>'
             '<c:axId val="1"/><c:axId val="2"/></c:barChart>'
             '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
             '<c:axPos val="b"/><c:crossAx val="2"/></c:catAx>'
             '<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
             '<c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>')
    drawing = (f'{XML_DECL}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               '<xdr:absoluteAnchor><xdr:pos x="0" y="0"/><xdr:ext cx="8666667" cy="6293556"/>'
               '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Gráfico 1"/>'
               '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
               '<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData '
               'uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
               f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
               f'xmlns:r="{R_NS}" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame>'
               '<xdr:clientData/></xdr:absoluteAnchor></xdr:wsDr>')
    write_zip(inv("n_xlsx-chartsheet-only.xlsx"), [
        ("[Content_Types].xml", content_types([
            ("/xl/workbook.xml", WB_CT),
            ("/xl/chartsheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"),
            ("/xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml"),
            ("/xl/charts/chart1.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml")])),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{R_NS}"><sheets>'
                            '<sheet name="Gráfico1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", rels([("rId1", f"{R_NS}/chartsheet", "chartsheets/sheet1.xml")])),
        ("xl/chartsheets/sheet1.xml", f'{XML_DECL}<chartsheet xmlns="{MAIN_NS}" xmlns:r="{R_NS}">'
                                      '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                                      '<drawing r:id="rId1"/></chartsheet>'),
        ("xl/chartsheets/_rels/sheet1.xml.rels", rels([("rId1", f"{R_NS}/drawing", "../drawings/drawing1.xml")])),
        ("xl/drawings/drawing1.xml", drawing),
        ("xl/drawings/_rels/drawing1.xml.rels", rels([("rId1", f"{R_NS}/chart", "../charts/chart1.xml")])),
        ("xl/charts/chart1.xml", chart),
    ])

    # A macro-only xlsm-like package: vbaProject.bin (itself a CFB with a VBA storage), no sheet.
    vba = cfb([(("VBA", "dir"), b"\x01" + b"\0" * 40),
               (("VBA", "Module1"), b"Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\nEnd Sub\r\n"),
               (("VBA", "_VBA_PROJECT"), b"\xcc\x61\xff\xff\x00\x00\x00"),
               (("PROJECT",), b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n')])
    write_zip(inv("n_xlsm-macro-only.xlsm"), [
        ("[Content_Types].xml", content_types(
            [("/xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")],
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>')),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{R_NS}">'
                            '<workbookPr codeName="EstaPasta_de_trabalho"/><sheets/></workbook>'),
        ("xl/_rels/workbook.xml.rels", rels([("rId1", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                                              "vbaProject.bin")])),
        ("xl/vbaProject.bin", vba),
    ])

    # Billion laughs: a DOCTYPE with nested entities inside sheet1.xml (10^9 'lol' if expanded).
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    bomb_sheet = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [{ents}]>\n'
                  f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
                  '<c r="A1" t="inlineStr"><is><t>Data</t></is></c>'
                  '<c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    write_zip(inv("n_xlsx-billion-laughs.xlsx"), minimal_xlsx(bomb_sheet))

    # Zip bomb: sheet1.xml is ~300 MB (one valid row, then ~300 MB of blanks between elements,
    # which XML allows) that deflates ~1000:1 to under 300 KB. A reader must cap the inflated size
    # as it inflates (the local header does say 300 MB here; a hostile one need not).
    path = inv("n_xlsx-zip-bomb.xlsx")
    head = (f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Data</t></is></c></row>').encode()
    filler = b" " * 1_000_000
    target = 300 * 1000 * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in minimal_xlsx("")[:-1]:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, body)
        zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=ZIP_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi._compresslevel = 9  # ZipFile.open(ZipInfo) would otherwise use zlib's default
        with z.open(zi, "w", force_zip64=False) as f:
            f.write(head)
            written = len(head)
            while written + len(filler) < target:
                f.write(filler)
                written += len(filler)
            f.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>fim</t></is></c></row>'
                    b"</sheetData></worksheet>")
    record(path)

    # A password-protected workbook: OLE2 with EncryptionInfo (agile, version 4.4) and
    # EncryptedPackage, plus the \x06DataSpaces storage Excel writes. Named .xlsx as C6 does
    # (FORMATS §3.8.a, §2.10).
    rng = random.Random(20260102)
    enc_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
               '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
               'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
               '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
               'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
               'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
               '<dataIntegrity encryptedHmacKey="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==" '
               'encryptedHmacValue="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="/>'
               '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
               '<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" '
               'hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
               'hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA==" '
               'encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" '
               'encryptedVerifierHashValue="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==" '
               'encryptedKeyValue="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="/>'
               '</keyEncryptor></keyEncryptors></encryption>').encode()
    encryption_info = struct.pack("<HHI", 4, 4, 0x40) + enc_xml
    package_size = 6144
    encrypted_package = struct.pack("<Q", package_size) + bytes(
        rng.randrange(256) for _ in range(package_size))

    def utf16_str(s):
        b = s.encode("utf-16-le")
        return struct.pack("<I", len(b)) + b + b"\0" * ((-len(b)) % 4)

    version = struct.pack("<I", 0x3C) + "Microsoft.Container.DataSpaces".encode("utf-16-le") + \
        struct.pack("<HHHHHH", 1, 0, 1, 0, 1, 0)
    map_entry = (struct.pack("<II", 1, 0) + utf16_str("EncryptedPackage") +
                 utf16_str("StrongEncryptionDataSpace"))
    ds_map = struct.pack("<III", 8, 1, 4 + len(map_entry)) + map_entry
    ds_info = struct.pack("<II", 8, 1) + utf16_str("StrongEncryptionTransform")
    transform_id = utf16_str("{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}")
    primary = (struct.pack("<II", 8 + len(transform_id), 1) + transform_id +
               utf16_str("Microsoft.Container.EncryptionTransform") +
               struct.pack("<HHHHHH", 1, 0, 1, 0, 1, 0) +
               struct.pack("<IIII", 0, 0, 0, 4))  # empty EncryptionName, block size, mode, reserved
    write_bytes(inv("n_c6-extrato-password.xlsx"), cfb([
        (("\x06DataSpaces", "Version"), version),
        (("\x06DataSpaces", "DataSpaceMap"), ds_map),
        (("\x06DataSpaces", "DataSpaceInfo", "StrongEncryptionDataSpace"), ds_info),
        (("\x06DataSpaces", "TransformInfo", "StrongEncryptionTransform", "\x06Primary"), primary),
        (("EncryptionInfo",), encryption_info),
        (("EncryptedPackage",), encrypted_package),
    ]))

    # A truncated XLSX: the first half of a valid one (the central directory is gone).
    with open(out_path("santander", "santander-extrato-xlsx-2026-08.xlsx"), "rb") as f:
        whole = f.read()
    write_bytes(inv("n_xlsx-truncated-half.xlsx"), whole[:len(whole) // 2])


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)
    record(path)


# ----------------------------------------------------------------------------------------------
# --check: print every cell back (xlrd for XLS, openpyxl for XLSX) to eyeball against the docs.

def dump(path):
    print(f"\n=== {os.path.relpath(path, HERE)}")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"\xd0\xcf\x11\xe0":
        import xlrd
        book = xlrd.open_workbook(path, formatting_info=True)
        types = {0: "empty", 1: "text", 2: "num", 3: "date", 4: "bool", 5: "err", 6: "blank"}
        print(f"  datemode={book.datemode} sheets={book.sheet_names()}")
        for sh in book.sheets():
            print(f"  --- sheet {sh.name!r} {sh.nrows}x{sh.ncols} merged={sh.merged_cells[:4]}"
                  f"{'…' if len(sh.merged_cells) > 4 else ''}")
            for r in range(sh.nrows):
                cells = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    if cell.ctype == 0:
                        continue
                    cells.append(f"{xlrd.colname(c)}:{types[cell.ctype]}:{cell.value!r}")
                if cells:
                    print(f"  {r + 1:3}: " + " | ".join(cells))
    else:
        with open(path, "rb") as f:  # a file object: openpyxl refuses a .XLS name
            wb = openpyxl.load_workbook(io.BytesIO(f.read()))
        print(f"  epoch={wb.epoch.year} sheets={wb.sheetnames}")
        for ws in wb.worksheets:
            print(f"  --- sheet {ws.title!r} dims={ws.dimensions}")
            for row in ws.iter_rows():
                cells = [f"{c.coordinate}:{c.data_type}:{c.value!r}"
                         + (f"[{c.number_format}]" if c.is_date else "")
                         for c in row if c.value is not None]
                if cells:
                    print(f"  {row[0].row:3}: " + " | ".join(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="print every cell of every file back")
    args = parser.parse_args()
    make_itau_extrato()
    make_itau_fatura()
    make_bradesco()
    make_santander()
    make_sicredi()
    make_bb()
    make_btg()
    make_mercadopago()
    make_invalid()
    for path in WRITTEN:
        size = os.path.getsize(path)
        assert size < 1_000_000 and (size < 200_000 or "zip-bomb" in path), (path, size)
    if args.check:
        for path in WRITTEN:
            if "/invalid/" not in path:
                dump(path)


if __name__ == "__main__":
    sys.exit(main())
