#!/usr/bin/python3
"""Writes the invented PDF statements and card bills of the golden corpus, and one
NAME.facts.json per PDF: the truth each PDF was built from (rows, due date, balances, the bill
total and what the rows give by the layout's rule).

Every layout reproduces what FORMATS-PDF.md §1, §2 and §4 say about the real files: labels,
columns, date and amount forms, where the total and the due date are printed, page headers and
footers repeated on every page, page breaks inside lists, two-column pages, values wrapped onto
the line above or below their row, letter-spaced text. The data is invented (MARIA EXEMPLO,
CPF 123.456.789-00, EMPRESA EXEMPLO LTDA); summaries add up by each layout's rule unless a file
says otherwise (the `-total-divergente` bill). tests/corpus/PDFS.md says what each file exercises.

Run with Debian's interpreter and python3-reportlab (3.6), from the repository root:

    /usr/bin/python3 tests/corpus/make_pdfs.py

The output is deterministic (reportlab's invariant mode: no timestamps, fixed document IDs), so a
re-run gives the same bytes. Change a file by changing this script, never by hand. Amounts are
integer centavos everywhere in this script; the facts' amounts follow FORMATS-PDF §1.2: on card
bills purchases and charges are negative, payments and credits positive; on extratos money into
the account is positive.
"""
import datetime
import io
import json
import os
import random

from reportlab import rl_config

rl_config.invariant = 1  # before pdfencrypt is imported: its random bytes become fixed too
rl_config.pageCompression = 1

from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu"
pdfmetrics.registerFont(TTFont("DejaVuSans", f"{DEJAVU_DIR}/DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", f"{DEJAVU_DIR}/DejaVuSans-Bold.ttf"))
SANS, SANS_B = "DejaVuSans", "DejaVuSans-Bold"
HELV, HELV_B = "Helvetica", "Helvetica-Bold"
MINUS = "\u2212"  # U+2212 MINUS SIGN (Nubank 2024-2025 payment rows)
BULLET = "\u2022"
MOJIBAKE_SALDO = "SALDO TOTAL DISPON\u00c3\u008dVEL DIA"  # UTF-8 'Í' read as Latin-1, as Itaú prints it
WRITTEN = []

# ----------------------------------------------------------------------------------------------
# Money and dates. Amounts are integer centavos.


def brl(c):
    """Unsigned pt-BR text of |c|: 1.234,56."""
    c = abs(c)
    return f"{c // 100:,}".replace(",", ".") + f",{c % 100:02d}"


def sbrl(c):
    """Signed pt-BR text with a leading '-' for negatives: -1.234,56."""
    return ("-" if c < 0 else "") + brl(c)


def dec(c):
    """The facts' decimal string: -117.72, 1500.00."""
    if c is None:
        return None
    return ("-" if c < 0 else "") + f"{abs(c) // 100}.{abs(c) % 100:02d}"


MES_UP = ["JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ"]
MES_LOW = [m.lower() for m in MES_UP]
MES_CAP = [m.capitalize() for m in MES_UP]
MES_NOME = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
            "setembro", "outubro", "novembro", "dezembro"]


def D(s):
    """'YYYY-MM-DD' -> date."""
    return datetime.date.fromisoformat(s)


def ddmm(d):
    return d.strftime("%d/%m")


def ddmmyyyy(d):
    return d.strftime("%d/%m/%Y")


def dd_mmm(d):
    """08 FEV (Nubank fatura)."""
    return f"{d.day:02d} {MES_UP[d.month - 1]}"


def words(s):
    """Blanks collapsed to one: the facts' description."""
    return " ".join(s.split())


def width(s, font, size):
    return pdfmetrics.stringWidth(s, font, size)


# ----------------------------------------------------------------------------------------------
# A document: pages of drawing operations, y measured from the TOP of the page (like the text
# reads). Page furniture that needs the page count (N de M) is added at save time.


class Doc:
    def __init__(self, pagesize=A4):
        self.size = pagesize
        self.pages = []
        self.cur = -1
        self.furniture = []
        self.new_page()

    def new_page(self):
        self.pages.append([])
        self.cur = len(self.pages) - 1

    @property
    def pageno(self):
        return self.cur + 1

    def op(self, *o):
        self.pages[self.cur].append(o)

    def text(self, x, y, s, font=HELV, size=8, gray=0):
        if s:
            self.op("t", x, y, s, font, size, gray)

    def rtext(self, xr, y, s, font=HELV, size=8, gray=0):
        self.text(xr - width(s, font, size), y, s, font, size, gray)

    def ctext(self, xc, y, s, font=HELV, size=8, gray=0):
        self.text(xc - width(s, font, size) / 2, y, s, font, size, gray)

    def glyphs(self, s, font, size, rng, spread):
        """Positions (dx, ch) of a letter-spaced string: every glyph drawn on its own, with an
        uneven extra gap after some glyphs, so text extraction splits words and numbers where
        the gap is wide (MA R I A, 1 7 /jan, R$ 10.858, 22)."""
        out, x = [], 0.0
        for ch in s:
            out.append((x, ch))
            gap = rng.choice(spread) * size
            x += width(ch, font, size) + gap
        return out, x

    def spaced(self, x, y, s, font=HELV, size=8, rng=None, spread=(0, 0, 0.03, 0.22, 0.28),
               align="left"):
        rng = rng or random.Random(s)
        gl, w = self.glyphs(s, font, size, rng, spread)
        if align == "right":
            x -= w
        for dx, ch in gl:
            if ch != " ":
                self.op("t", x + dx, y, ch, font, size, 0)
        return w

    def line(self, x1, y1, x2, y2, w=0.4, gray=0.6):
        self.op("l", x1, y1, x2, y2, w, gray)

    def rect(self, x, y, w, h, fill=0.93, stroke=None):
        self.op("r", x, y, w, h, fill, stroke)

    def image(self, x, y, w, h, data):
        self.op("i", x, y, w, h, data)

    def every_page(self, fn):
        """fn(doc, pageno, npages) draws furniture on each page (called at save time)."""
        self.furniture.append(fn)

    def save(self, path, creator=None, producer=None, title=None, password=None):
        for fn in self.furniture:  # once, even when the same document is saved twice
            for i in range(len(self.pages)):
                self.cur = i
                fn(self, i + 1, len(self.pages))
        self.furniture = []
        enc = None
        if password is not None:
            enc = StandardEncryption(password, ownerPassword="owner-" + password, strength=128)
        c = canvas.Canvas(path, pagesize=self.size, invariant=1, encrypt=enc, pageCompression=1)
        if creator:
            c.setCreator(creator)
        if producer:
            c.setProducer(producer)
        if title:
            c.setTitle(title)
        H = self.size[1]
        for ops in self.pages:
            for o in ops:
                kind = o[0]
                if kind == "t":
                    _, x, y, s, font, size, gray = o
                    c.setFillGray(gray)
                    c.setFont(font, size)
                    c.drawString(x, H - y, s)
                elif kind == "l":
                    _, x1, y1, x2, y2, w, gray = o
                    c.setLineWidth(w)
                    c.setStrokeGray(gray)
                    c.line(x1, H - y1, x2, H - y2)
                elif kind == "r":
                    _, x, y, w, h, fill, stroke = o
                    c.setFillGray(fill)
                    if stroke is not None:
                        c.setStrokeGray(stroke)
                    c.rect(x, H - y - h, w, h, stroke=1 if stroke is not None else 0, fill=1)
                    c.setFillGray(0)
                elif kind == "i":
                    _, x, y, w, h, data = o
                    c.drawImage(ImageReader(io.BytesIO(data)), x, H - y - h, w, h)
            c.showPage()
        c.save()


# ----------------------------------------------------------------------------------------------
# Facts


class Facts:
    def __init__(self, fmt, bank, kind, due=None):
        self.fmt, self.bank, self.kind, self.due = fmt, bank, kind, due
        self.rows = []
        self.cents = []  # the rows' amounts as integer centavos

    def add(self, date, desc, cents, balance=None, **extra):
        r = {"date": date.isoformat(), "description": words(desc), "amount": dec(cents),
             "balance": dec(balance)}
        for k, v in extra.items():
            r[k] = v
        self.rows.append(r)
        self.cents.append(cents)
        return r

    def total(self):
        return sum(self.cents)

    def to_json(self, *, printed, computed, opening=None, closing=None, extra=None):
        out = {"format": self.fmt, "bank": self.bank, "kind": self.kind}
        if self.kind == "fatura":
            out["due_date"] = self.due.isoformat()
        out["transactions"] = self.rows
        out["opening_balance"] = dec(opening)
        out["closing_balance"] = dec(closing)
        status = "not_printed" if printed is None else ("ok" if printed == computed else "mismatch")
        out["reconciliation"] = {"status": status, "printed": dec(printed), "computed": dec(computed)}
        if extra:
            out.update(extra)
        return out


def out_path(bank, name):
    d = os.path.join(HERE, bank)
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, name)


def write_json(bank, name, obj):
    p = out_path(bank, name)
    with open(p, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
    WRITTEN.append(p)


def emit(doc, bank, name, facts_obj, **meta):
    """Saves NAME.pdf and NAME.facts.json in tests/corpus/<bank>/."""
    p = out_path(bank, name + ".pdf")
    doc.save(p, **meta)
    WRITTEN.append(p)
    write_json(bank, name + ".facts.json", facts_obj)


def bill_rule(facts, previous):
    """§1.2: bill total = previous balance − Σ rows (rows signed as in §1.2)."""
    return previous - facts.total()


def minimum(total):
    """An invented minimum payment (15 % of the bill, at least R$ 50,00 or the whole bill)."""
    return min(total, max(5000, total * 15 // 100))


# ----------------------------------------------------------------------------------------------
# 2.1 Nubank

NU_NAME = "Maria Exemplo da Silva"


def nubank_fatura_2022(name, *, drop_row=None):
    """§2.1.a: March 2022 bill. Rows unsigned, credits known by their wording, one row per line
    with a blank line between rows, `Outros lançamentos` a net credit printed unsigned, the page
    header's year wrapped onto a line of its own, `N de M` footers. drop_row: the description of
    a row left out of the list while the summary still counts it (the mismatch variant)."""
    due, emis = D("2022-03-09"), "02 MAR"
    period = "02 FEV A 02 MAR"
    prev = 51240
    rows = [  # date, description, centavos (§1.2 signs), summary line
        ("2021-12-24", "Zp *Sympla 12abc - 3/4", -4890, "buy"),
        ("2022-01-25", "Amazon.Com.Br - 2/5", -7980, "buy"),
        ("2022-02-03", "Pag*Padariacentral", -2310, "buy"),
        ("2022-02-05", "Uber *Trip Help.Uber.Com", -1890, "buy"),
        ("2022-02-07", "Supermercado Exemplo", -18744, "buy"),
        ("2022-02-08", "Pagamento em 08 FEV", 51240, "pay"),
        ("2022-02-10", 'Estorno de "Uber *Trip Help.Uber.Com"', 1890, "other"),
        ("2022-02-12", "Netflix.Com", -3990, "buy"),
        ("2022-02-16", 'Depósito de Confiança de "Dl *Lojaonline"', 12000, "other"),
        ("2022-02-17", 'Reversão do Crédito de Confiança de "Dl *Lojaonline"', -12000, "other"),
        ("2022-02-19", "99app *99app", -948, "buy"),
        ("2022-02-21", "Drogaria Exemplo", -5630, "buy"),
        ("2022-02-23", "Posto Ilha Bela", -15000, "buy"),
        ("2022-02-26", 'Estorno de "Loja Exemplo Online"', 21000, "other"),
        ("2022-03-01", "Ifood *Restaurante Modelo", -6450, "buy"),
        ("2022-03-02", "Spotify", -1990, "buy"),
    ]
    pays = sum(c for *_, c, k in rows if k == "pay")        # printed unsigned
    buys = -sum(c for *_, c, k in rows if k == "buy")
    others = -sum(c for *_, c, k in rows if k == "other")   # negative: a net credit
    total = prev - pays + buys + others
    assert total == prev - sum(c for *_, c, _k in rows)
    shown = [r for r in rows if r[1] != drop_row]

    doc = Doc()
    F = SANS
    # page 1
    doc.text(60, 90, "Olá, Maria.", SANS_B, 15)
    doc.text(60, 130, "Esta é a sua fatura de", F, 13)
    doc.text(60, 148, "março, no valor de", F, 13)
    doc.text(60, 176, f"R$ {brl(total)}", SANS_B, 22)
    doc.text(60, 205, f"Data do vencimento: {due.day:02d} {MES_UP[due.month - 1]} {due.year}", F, 9)
    doc.text(60, 222, f"Pagamento mínimo: R$ {brl(minimum(total))}", F, 9)
    doc.text(60, 260, "Limite total: R$ 4.000,00", F, 8, 0.3)
    doc.text(60, 274, "Limite disponível: R$ 3.102,40", F, 8, 0.3)
    doc.text(320, 90, "Você pode pagar sua fatura pelo app, com boleto", F, 8, 0.3)
    doc.text(320, 102, "ou débito em conta. Veja as opções na página 5.", F, 8, 0.3)
    # page 2: resumo
    doc.new_page()
    y = 130
    doc.text(40, y, "RESUMO DA FATURA ATUAL", SANS_B, 9)
    doc.rtext(555, y, "VALORES EM R$", F, 7)
    for label, v in (("Fatura anterior", prev), ("Pagamentos recebidos", pays),
                     (f"Total de compras, {period.replace(' A ', ' a ')}", buys),
                     ("Outros lançamentos", others)):
        y += 18
        doc.text(150, y, label, F, 8.5)
        doc.rtext(555, y, brl(v), F, 8.5)
    y += 22
    doc.text(148, y, "Total a pagar", SANS_B, 10)
    doc.rtext(555, y, f"R$ {brl(total)}", SANS_B, 10)
    y += 18
    doc.text(150, y, "Pagamento mínimo para não ficar em atraso", F, 8.5)
    doc.rtext(555, y, f"R$ {brl(minimum(total))}", F, 8.5)
    y += 50
    doc.text(40, y, "PRÓXIMAS FATURAS", SANS_B, 9)
    for label, v in (("Fechamento da próxima fatura", "02 ABR"),
                     ("Saldo em aberto (parcelas futuras)", "R$ 209,20"),
                     ("Vencimento da próxima fatura", "09 ABR")):
        y += 18
        doc.text(150, y, label, F, 8.5)
        doc.rtext(555, y, v, F, 8.5)
    # pages 3-4: transactions, a blank line between rows, the list broken after 9 rows
    per_page = 9
    for i, (d, desc, c, _k) in enumerate(shown):
        if i % per_page == 0:
            doc.new_page()
            y = 130
            doc.text(40, y, "TRANSAÇÕES", SANS_B, 8.5)
            doc.text(112, y, f"DE {period}", F, 8.5)
            doc.rtext(555, y, "VALORES EM R$", F, 7)
            y += 10
        y += 26
        doc.text(75, y, dd_mmm(D(d)), F, 8.5)
        doc.text(150, y, desc, F, 8.5)
        doc.rtext(555, y, brl(c), F, 8.5)
    # page 5: payment options
    doc.new_page()
    doc.text(40, 130, "COMO PAGAR SUA FATURA", SANS_B, 9)
    doc.text(40, 150, "Pague pelo app ou use o código de barras do boleto abaixo.", F, 8.5)
    doc.text(40, 180, "Valor do documento", F, 8)
    doc.text(40, 194, f"R$ {brl(total)}", SANS_B, 10)
    doc.text(200, 180, "Vencimento", F, 8)
    doc.text(200, 194, ddmmyyyy(due), SANS_B, 10)
    doc.text(40, 226, "26090.00000 00000.000000 00000.000000 1 89090000040317", F, 9)

    def furniture(doc, n, m):
        doc.rtext(555, 815, f"{n} de {m}", F, 7.5)
        if n > 1:
            doc.text(300, 40, NU_NAME.upper(), SANS_B, 9)
            doc.text(300, 58, f"FATURA {due.day:02d} {MES_UP[due.month - 1]} {due.year}"
                     f" EMISSÃO E ENVIO {emis}", F, 8.5)
            doc.text(300, 74, str(due.year), F, 8.5)  # the wrapped last word of the header
    doc.every_page(furniture)

    facts = Facts("nubank-fatura-pdf-2022", "nubank", "fatura", due)
    for d, desc, c, _k in shown:
        facts.add(D(d), desc, c)
    obj = facts.to_json(printed=total, computed=bill_rule(facts, prev))
    if drop_row:
        obj["note"] = (f"the row {drop_row!r} is missing from the list while the RESUMO counts it: "
                       "Total a pagar does not match Fatura anterior − Σ rows")
    emit(doc, "nubank", name, obj, producer="iText 2.1.7 by 1T3XT")
    return obj


def nubank_fatura_2025(name, *, due, emis, period, month_name, prev, holder_rows, pay_title,
                       pay_rows, proximas, page1="subtotal", password=None):
    """§2.1.b. holder_rows: (date, card or None, description, centavos, detail lines, summary
    line: buy / iof / other). pay_rows: (date, description, centavos, bullet lines, summary line:
    pay / iof_fin / other). Signs as §1.2 (charges negative)."""
    doc = Doc()
    F = SANS
    charges = -sum(r[3] for r in holder_rows)           # the holder's subtotal
    buys = -sum(r[3] for r in holder_rows if r[5] == "buy")
    iof = -sum(r[3] for r in holder_rows if r[5] == "iof")
    others = -sum(r[3] for r in holder_rows if r[5] == "other") - sum(
        r[2] for r in pay_rows if r[4] == "other")
    pays = sum(r[2] for r in pay_rows if r[4] == "pay")
    iof_fin = -sum(r[2] for r in pay_rows if r[4] == "iof_fin")
    total = prev - pays + iof_fin + buys + iof + others
    all_rows = [r[3] for r in holder_rows] + [r[2] for r in pay_rows]
    assert total == prev - sum(all_rows)
    block_total = sum(r[2] for r in pay_rows)

    def money(c, minus="−"):
        return ("" if c >= 0 else minus) + f"R$ {brl(c)}"

    # page 1
    doc.text(60, 90, "Olá, Maria.", SANS_B, 15)
    doc.text(60, 130, "Esta é a sua fatura de", F, 13)
    doc.text(60, 148, f"{month_name}, no valor de", F, 13)
    # page 1 prints the holder subtotal (§2.1.b: it may differ from Total a pagar by 0,01)
    doc.text(60, 176, f"R$ {brl(charges if page1 == 'subtotal' else total)}", SANS_B, 22)
    doc.text(60, 205, f"Data de vencimento: {due.day:02d} {MES_UP[due.month - 1]} {due.year}", F, 9)
    doc.text(60, 220, f"Período vigente: {period.replace(' A ', ' a ')}", F, 9)
    doc.text(60, 250, f"Pagamento mínimo: R$ {brl(minimum(total))}", F, 8.5)
    doc.text(320, 90, "Pague pelo app do Nubank, com Pix ou boleto.", F, 8, 0.3)
    # page 2: resumo, próximas faturas, limites
    doc.new_page()
    y = 120
    doc.text(40, y, "RESUMO DA FATURA ATUAL", SANS_B, 9)
    lines = [("Fatura anterior", money(prev)), ("Pagamento recebido", money(-pays))]
    if iof_fin:
        lines.append(("IOF de financiamento", money(iof_fin)))
    lines += [(f"Total de compras de todos os cartões, {period.replace(' A ', ' a ')}", money(buys)),
              ("IOF de compras internacionais", money(iof)),
              ("Outros lançamentos", money(others))]
    for label, v in lines:
        y += 17
        doc.text(60, y, label, F, 8.5)
        doc.rtext(420, y, v, F, 8.5)
    y += 22
    doc.text(60, y, "Total a pagar", SANS_B, 10)
    doc.rtext(420, y, f"R$ {brl(total)}", SANS_B, 10)
    y += 45
    doc.text(40, y, "PRÓXIMAS FATURAS", SANS_B, 9)
    for label, v in proximas:
        y += 16
        doc.text(60, y, label, F, 8.5)
        doc.rtext(420, y, v, F, 8.5)
    y += 40
    doc.text(40, y, "LIMITES DISPONÍVEIS", SANS_B, 9)
    for label, v in (("Limite total", "R$ 6.000,00"), ("Disponível para compras", "R$ 3.870,40")):
        y += 16
        doc.text(60, y, label, F, 8.5)
        doc.rtext(420, y, v, F, 8.5)
    y += 40
    doc.text(40, y, "VALOR MÁXIMO PARA TRANSAÇÕES", SANS_B, 9)
    for label, v in (("Compras à vista e parceladas", "R$ 3.870,40"), ("Saques", "R$ 0,00")):
        y += 16
        doc.text(60, y, label, F, 8.5)
        doc.rtext(420, y, v, F, 8.5)

    # transactions: holder rows, the payments block, Total a pagar; 20 lines per page
    lines = [("holder",)]
    for r in holder_rows:
        lines.append(("row",) + r)
        for det in r[4]:
            lines.append(("detail", det))
    lines.append(("gap",))
    lines.append(("paytitle",))
    for r in pay_rows:
        lines.append(("pay",) + r)
        for b in r[3]:
            lines.append(("bullet", b))
    lines.append(("gap",))
    lines.append(("total",))
    per_page = 13
    y = None
    for i, ln in enumerate(lines):
        if i % per_page == 0:
            doc.new_page()
            y = 120
            doc.text(40, y, "TRANSAÇÕES", SANS_B, 9)
            doc.text(125, y, f"DE {period}", SANS_B, 9)
            y += 8
        y += 17
        kind = ln[0]
        if kind == "holder":
            doc.text(75, y, "Maria E Silva", SANS_B, 8.5)
            doc.rtext(555, y, f"R$ {brl(charges)}", SANS_B, 8.5)
        elif kind == "row":
            _, d, card, desc, c, _det, _k = ln
            doc.text(75, y, dd_mmm(d), F, 8)
            if card:
                doc.text(132, y, f"{BULLET * 4} {card}", F, 8)
                doc.text(182, y, desc, F, 8)
            else:
                doc.text(138, y, desc, F, 8)
            doc.rtext(555, y, money(-c, "+"), F, 8)
        elif kind == "detail":
            doc.text(182, y, ln[1], F, 7.5, 0.35)
        elif kind == "paytitle":
            doc.text(90, y, pay_title, SANS_B, 8.5)
            doc.rtext(575, y, ("-" if block_total > 0 else "") + f"R$ {brl(block_total)}", SANS_B, 8.5)
        elif kind == "pay":
            _, d, desc, c, _b, _k = ln
            doc.text(95, y, dd_mmm(d), F, 8)
            doc.text(160, y, desc, F, 8)
            doc.rtext(575, y, (MINUS if c > 0 else "") + f"R$ {brl(c)}", F, 8)
        elif kind == "bullet":
            doc.text(165, y, f"{BULLET} {ln[1]}", F, 7.5, 0.35)
        elif kind == "total":
            doc.text(115, y, "Total a pagar", SANS_B, 9)
            doc.rtext(500, y, f"R$ {brl(total)}", SANS_B, 9)

    def furniture(doc, n, m):
        doc.rtext(555, 815, f"{n} de {m}", F, 7.5)
        if n > 1:
            doc.text(330, 40, NU_NAME, SANS_B, 9)
            doc.text(330, 56, f"FATURA {due.day:02d} {MES_UP[due.month - 1]} {due.year}"
                     f" EMISSÃO E ENVIO {emis}", F, 8)
    doc.every_page(furniture)

    facts = Facts("nubank-fatura-pdf", "nubank", "fatura", due)
    for d, card, desc, c, _det, _k in holder_rows:
        facts.add(d, desc, c)
    for d, desc, c, _b, _k in pay_rows:
        facts.add(d, desc, c)
    obj = facts.to_json(printed=total, computed=bill_rule(facts, prev))
    meta = dict(creator="JasperReports Library version 6.20.0-2bc7ab61c56f459e8176eb05c7705e145cd400ad",
                producer="iText 2.1.7 by 1T3XT")
    emit(doc, "nubank", name, obj, **meta)
    if password:
        p = out_path("nubank", name + "-senha.pdf")
        doc.save(p, password=password, **meta)
        WRITTEN.append(p)
        write_json("nubank", name + "-senha.facts.json", dict(obj, password=password))
    return obj


def make_nubank():
    nubank_fatura_2022("nubank-fatura-pdf-2022-03")
    nubank_fatura_2022("nubank-fatura-pdf-2022-03-total-divergente", drop_row="Drogaria Exemplo")

    zoom = "Zoom.Com 888-799-9666"
    nubank_fatura_2025(
        "nubank-fatura-pdf-2025-05", due=D("2025-05-09"), emis="02 MAI 2025",
        period="02 ABR A 02 MAI", month_name="maio", prev=95011,
        holder_rows=[
            (D("2025-02-02"), "1234", "Porto Seguro Seguros - Parcela 4/10", -11772, [], "buy"),
            (D("2024-03-10"), "1234", "Colchoes Modelo - Parcela 15/21", -8990, [], "buy"),
            (D("2025-04-04"), "5678", "Posto Ilha Bela", -10000, [], "buy"),
            (D("2025-04-06"), "1234", "Supermercado Exemplo", -24538, [], "buy"),
            (D("2025-04-11"), "1234", "Spotify", -2190, [], "buy"),
            (D("2025-04-14"), "1234", zoom, -9837, ["USD 16.99", "Conversão: USD 1 = R$ 5,79"], "buy"),
            (D("2025-04-14"), None, f'IOF de "{zoom}"', -332, [], "iof"),
            (D("2025-04-18"), None, "iFood - NuPay", -6850, [], "buy"),
            (D("2025-04-20"), "5678", "Uber* Trip", -2340, [], "buy"),
            (D("2025-04-22"), "1234", "Drogasil", -6715, [], "buy"),
            (D("2025-04-25"), "5678", "Amazon Marketplace - Parcela 1/3", -13333, [], "buy"),
            (D("2025-04-28"), "1234", "Padaria Exemplo", -3160, [], "buy"),
            (D("2025-04-30"), None, "Mercado Livre - NuPay", -15480, [], "buy"),
            (D("2025-05-01"), "1234", "Restaurante Sabor", -9210, [], "buy"),
        ],
        pay_title="Pagamentos",
        pay_rows=[(D("2025-04-08"), "Pagamento em 08 ABR", 95012, [], "pay")],
        proximas=[("Fechamento 02 JUN   Vencimento 09 JUN", "R$ 399,43"),
                  ("Fechamento 02 JUL   Vencimento 09 JUL", "R$ 341,15"),
                  ("Demais faturas", "R$ 1.004,81")],
        password="12345")

    nubank_fatura_2025(
        "nubank-fatura-pdf-2025-08-financiamento", due=D("2025-08-09"), emis="02 AGO 2025",
        period="02 JUL A 02 AGO", month_name="agosto", prev=200000,
        holder_rows=[
            (D("2025-06-03"), "1234", "Academia Exemplo - Parcela 2/3", -8900, [], "buy"),
            (D("2025-07-04"), "1234", "Supermercado Exemplo", -31245, [], "buy"),
            (D("2025-07-09"), None, "Assinatura Jornal Exemplo", -1990, [], "buy"),
            (D("2025-07-12"), "4321", "Posto Exemplo", -15000, [], "buy"),
            (D("2025-07-14"), "1234", zoom, -5846, ["USD 10.09", "Conversão: USD 1 = R$ 5,79"], "buy"),
            (D("2025-07-14"), None, f'IOF de "{zoom}"', -198, [], "iof"),
            (D("2025-07-21"), None, "Rappi - NuPay", -4720, [], "buy"),
            (D("2025-07-28"), "4321", "Farmacia Exemplo", -3812, [], "buy"),
        ],
        pay_title="Pagamentos e Financiamentos",
        pay_rows=[
            (D("2025-07-08"), "Pagamento em 08 JUL", 80806, [], "pay"),
            (D("2025-07-09"), "Saldo em rotativo", -119194, ["Saldo em aberto de R$ 1.191,94"], "other"),
            (D("2025-07-09"), "Crédito de rotativo", 119194, [], "other"),
            (D("2025-07-09"), "IOF de rotativo", -912, [], "iof_fin"),
            (D("2025-07-09"), "Encerramento de dívida", 119194,
             ["Saldo em aberto de R$ 1.191,94", "Dívida parcelada em 6 vezes de R$ 221,40"], "other"),
            (D("2025-07-09"), "Juros de dívida encerrada", -4567, [], "other"),
        ],
        proximas=[("Fechamento 02 SET   Vencimento 09 SET", "R$ 310,30"),
                  ("Parcelamento de dívida 1/6", "R$ 221,40"),
                  ("Demais faturas", "R$ 1.107,00")],
        page1="total")


PB = "page break"


def nubank_conta():
    """§2.1.c: the 2023 annual NuConta statement. Day groups with a signed group total and
    unsigned items, a second group of the same day without the date, counterparties wrapped over
    up to 3 more lines, a page break inside a group and one between a group line and its only
    item. Rendimento líquido is in the summary only (no row)."""
    opening, rendimento = 100000, 8250
    groups = [  # date, +1 entradas / -1 saídas, items (type, counterparty lines, centavos)
        ("2023-01-02", 1, [("Transferência recebida pelo Pix",
                            ["MARIA E SILVA - •••.456.789-•• -",
                             "BANCO EXEMPLO S.A. (0999) Agência: 1234 Conta:", "98765-4"], 150000)]),
        ("2023-01-02", -1, [("Transferência enviada pelo Pix",
                             ["Joao Modelo - •••.111.222-•• - NU",
                              "PAGAMENTOS - IP (0260) Agência: 0001 Conta:", "1234567-8"], 5000),
                            ("Recarga de celular", [], 1200)]),
        ("2023-01-10", -1, [("Compra no débito", ["Posto Exemplo"], 15000),
                            ("Pagamento de boleto efetuado", ["CONDOMINIO EDIFICIO EXEMPLO"], 68000)]),
        ("2023-01-16", 1, [("Transferência Recebida",
                            ["EMPRESA EXEMPLO LTDA - 12.345.678/0001-90 -",
                             "BANCO MODELO S.A. (0998) Agência: 0001 Conta:", "55555-5"], 450000)]),
        ("2023-01-17", -1, [("Pagamento de fatura", [], 231045), ("Aplicação RDB", [], 100000)]),
        PB,
        ("2023-02-03", 1, [("Resgate RDB", [], 50000)]),
        ("2023-02-03", -1, [("Compra no débito", ["Supermercado Exemplo"], 23480)]),
        ("2023-02-19", -1, [("Compra no débito", ["Posto Exemplo"], 5000)]),
        ("2023-03-06", 1, [("Pagamento de boleto devolvido", ["CONCESSIONARIA EXEMPLO"], 18900)]),
        ("2023-03-06", -1, [("Pagamento de boleto efetuado", ["CONCESSIONARIA EXEMPLO"], 18900)]),
        ("2023-03-15", 1, [("Transferência recebida pelo Pix",
                            ["FULANO DE TAL - •••.987.654-•• - BANCO",
                             "EXEMPLO S.A. (0999) Agência: 4321 Conta:", "11111-1"], 32000)]),
        ("2023-04-05", -1, [PB, ("Transferência enviada",
                                 ["Ana Modelo Souza - •••.222.333-•• - BANCO",
                                  "MODELO S.A. (0998) Agência: 0002 Conta: 22222-2"], 75000)]),
        ("2023-06-20", 1, [("Transferência Recebida",
                            ["EMPRESA EXEMPLO LTDA - 12.345.678/0001-90 -",
                             "BANCO MODELO S.A. (0998) Agência: 0001 Conta:", "55555-5"], 450000)]),
        ("2023-06-20", -1, [("Pagamento de fatura", [], 198730),
                            ("Transferência enviada pelo Pix",
                             ["Padaria Central - 11.222.333/0001-44 -",
                              "BANCO EXEMPLO S.A. (0999) Agência: 0001 Conta:", "33333-3"], 2750),
                            PB,
                            ("Recarga de celular", [], 2000)]),
        ("2023-09-14", -1, [("Compra no débito", ["Farmacia Exemplo"], 4590)]),
        ("2023-11-22", 1, [("Resgate RDB", [], 80000)]),
        ("2023-12-18", -1, [("Pagamento de boleto efetuado", ["ESCOLA MODELO"], 120000),
                            ("Transferência enviada pelo Pix",
                             ["Ana Modelo Souza - •••.222.333-•• - BANCO",
                              "MODELO S.A. (0998) Agência: 0002 Conta: 22222-2"], 30000)]),
        ("2023-12-29", 1, [("Transferência recebida pelo Pix",
                            ["FULANO DE TAL - •••.987.654-•• - BANCO",
                             "EXEMPLO S.A. (0999) Agência: 4321 Conta:", "11111-1"], 25000)]),
    ]
    facts = Facts("nubank-conta-pdf", "nubank", "extrato")
    ins = outs = 0
    for g in groups:
        if g is PB:
            continue
        d, sign, items = g
        for it in items:
            if it is PB:
                continue
            typ, cp, c = it
            facts.add(D(d), " ".join([typ] + cp), sign * c)
            if sign > 0:
                ins += c
            else:
                outs += c
    closing = opening + rendimento + ins - outs

    doc = Doc()
    F = SANS
    doc.text(40, 130, "Saldo final do período", F, 9)
    doc.text(40, 156, f"R$ {brl(closing)}", SANS_B, 20)
    y = 190
    for label, v in (("Saldo inicial", brl(opening)), ("Rendimento líquido", f"+{brl(rendimento)}"),
                     ("Total de entradas", f"+{brl(ins)}"), ("Total de saídas", f"-{brl(outs)}"),
                     ("Saldo final do período", brl(closing))):
        doc.text(40, y, label, F, 8.5)
        doc.rtext(330, y, v, F, 8.5)
        y += 15
    y += 20
    doc.text(40, y, "Movimentações", SANS_B, 11)
    y += 8
    top, bottom, pitch = 125, 770, 13
    last_date = None

    def brk():
        nonlocal y
        doc.new_page()
        y = top

    for g in groups:
        if g is PB:
            brk()
            continue
        d, sign, items = g
        y += pitch + 6
        if y > bottom:
            brk()
            y += pitch
        if d != last_date:
            doc.text(40, y, f"{dd_mmm(D(d))} {D(d).year}", SANS_B, 8.5)
        last_date = d
        doc.text(125, y, "Total de entradas" if sign > 0 else "Total de saídas", SANS_B, 8.5)
        doc.rtext(555, y, ("+ " if sign > 0 else "- ") + brl(sum(
            it[2] for it in items if it is not PB)), SANS_B, 8.5)
        for it in items:
            if it is PB:
                brk()
                continue
            typ, cp, c = it
            y += pitch
            if y + pitch * len(cp[1:]) > bottom:
                brk()
                y += pitch
            doc.text(125, y, typ, F, 8)
            doc.rtext(555, y, brl(c), F, 8)
            for k, cl in enumerate(cp):
                doc.text(300, y, cl, F, 8)
                if k + 1 < len(cp):
                    y += pitch

    def furniture(doc, n, m):
        doc.rtext(555, 40, NU_NAME, SANS_B, 9)
        doc.rtext(555, 54, "CPF •••.456.789-•• Agência 0001 Conta", F, 8)
        doc.rtext(555, 66, "12345678-9", F, 8)
        doc.text(40, 95, "01 DE JANEIRO DE 2023 a 30 DE DEZEMBRO DE 2023", SANS_B, 8.5)
        doc.rtext(555, 95, "VALORES EM R$", F, 7.5)
        doc.text(40, 790, "Tem alguma dúvida? Mande uma mensagem para nosso time de atendimento pelo "
                 "chat do app ou ligue para", F, 7, 0.3)
        doc.text(40, 800, "4020 0185 (capitais e regiões metropolitanas) ou 0800 591 2117 "
                 "(demais localidades). Ouvidoria: 0800 887 0463.", F, 7, 0.3)
        if n == m:
            doc.text(40, 818, "Extrato gerado dia 05 de janeiro de 2024 às 10:15", F, 7, 0.3)
        doc.rtext(555, 818, f"{n} de {m}", F, 7, 0.3)
    doc.every_page(furniture)
    obj = facts.to_json(printed=closing, computed=opening + rendimento + facts.total(),
                        opening=opening, closing=closing,
                        extra={"note": "computed = Saldo inicial + Rendimento líquido (+82,50, printed "
                               "in the summary only, no row) + Σ rows; description = type + "
                               "counterparty lines joined with one blank"})
    emit(doc, "nubank", "nubank-conta-pdf-2023", obj, producer="openhtmltopdf.com")


# ----------------------------------------------------------------------------------------------
# 2.2 Itaú


class Columns:
    """Two columns per page: items fill the left column top to bottom, then the right one, then
    the next page (Itaú fatura from page 2, §2.2.a). Each item is (height in lines, draw(x0, y))."""

    def __init__(self, doc, xs, top, bottom, pitch, on_page):
        self.doc, self.xs, self.top, self.bottom, self.pitch = doc, xs, top, bottom, pitch
        self.on_page = on_page
        self.col = len(xs)  # forces a new page on the first item
        self.y = bottom

    def put(self, nlines, draw):
        if self.y + nlines * self.pitch > self.bottom:
            self.col += 1
            if self.col >= len(self.xs):
                self.doc.new_page()
                self.on_page(self.doc)
                self.col = 0
            self.y = self.top
        draw(self.xs[self.col], self.y)
        self.y += nlines * self.pitch


def itau_fatura(name, *, variant, emissao, due, postagem, prox_fech, prev, paid_on, encargos,
                cards, intl, intl_rate, iof, services, futures, limit):
    """§2.2.a. variant 'estatements' (right column at 370.8 pt, several blanks after the date) or
    'pdfium' (367.2 pt, one blank). cards: (holder, final, rows (date, merchant, centavos signed
    §1.2, category line)). intl: (date, merchant, usd cents, centavos signed, detail). iof: the
    undated `Repasse de IOF` (centavos, negative). services: (date, text, centavos).
    encargos: (label, rate, centavos) of the `Encargos cobrados` table; their sum is the E line.
    futures: (holder, final, rows) of `Compras parceladas - próximas faturas` (not rows)."""
    F, FB, SZ, PITCH = HELV, HELV_B, 7, 10.5
    split = 370.8 if variant == "estatements" else 367.2
    xs = (152.4, split)
    colw = 206
    dgap = 28 if variant == "estatements" else 21
    cards = [(h, f, sorted(rows, key=lambda r: r[0])) for h, f, rows in cards]
    E = sum(c for _l, _r, c in encargos)
    card_tot = [(-sum(r[2] for r in rows)) for _h, _f, rows in cards]
    intl_tot = -sum(r[3] for r in intl)
    serv_tot = -sum(r[2] for r in services)
    L = sum(card_tot) + intl_tot - iof + serv_tot
    total = prev - prev + E + L  # the previous bill was paid in full: S Saldo financiado 0,00

    facts = Facts("itau-fatura-pdf", "itau", "fatura", due)
    doc = Doc()
    # page 1: addressee, dates, summary box, boleto; no rows
    doc.text(50, 60, "Itaú", FB, 20)
    doc.text(50, 74, "Cartão Itaú Exemplo Visa Platinum", F, 8)
    for i, ln in enumerate(["MARIA E SILVA", "RUA EXEMPLO, 123 AP 45", "VILA MODELO",
                            "01234-567 SAO PAULO SP"]):
        doc.text(60, 120 + i * 11, ln, F, 8.5)
    for i, ln in enumerate([f"Postagem: {ddmmyyyy(postagem)}", f"Vencimento: {ddmmyyyy(due)}",
                            f"Emissão: {ddmmyyyy(emissao)}",
                            f"Previsão prox. Fechamento: {ddmmyyyy(prox_fech)}"]):
        doc.text(380, 120 + i * 11, ln, FB if i == 1 else F, 8.5)
    doc.rect(50, 225, 300, 118, 0.95, 0.6)
    doc.text(58, 238, "Resumo da fatura em R$", FB, 9)
    for i, (mk, label, v) in enumerate([
            ("", "Total da fatura anterior", brl(prev)),
            ("", f"Pagamento efetuado em {ddmmyyyy(paid_on)}", f"- {brl(prev)}"),
            ("S", "Saldo financiado", brl(0)),
            ("E", "Encargos (financiamento + moratório)", brl(E)),
            ("L", "Lançamentos atuais", brl(L)),
            ("=", "Total desta fatura", brl(total))]):
        y = 256 + i * 14
        doc.text(55, y, mk, FB, 8.5)
        doc.text(68, y, label, FB if mk == "=" else F, 8.5)
        doc.rtext(340, y, v, FB if mk == "=" else F, 8.5)
    doc.text(380, 238, "O total da sua fatura é:", F, 9)
    doc.text(380, 256, f"R$ {brl(total)}", FB, 14)
    doc.text(380, 280, "Com vencimento em:", F, 9)
    doc.text(380, 296, ddmmyyyy(due), FB, 12)
    doc.text(380, 320, f"Pagamento mínimo: R$ {brl(minimum(total))}", F, 8)
    doc.line(40, 600, 555, 600, 0.6, 0.4)
    doc.text(50, 620, "Itaú Unibanco S.A.   341-7", FB, 9)
    doc.text(220, 620, "34191.09008 61234.567890 12345.678901 2 98760000000000", F, 9)
    doc.text(50, 645, "Local de pagamento: Pagável em qualquer banco até o vencimento", F, 7)
    doc.text(430, 645, "Vencimento", F, 7)
    doc.rtext(555, 657, ddmmyyyy(due), FB, 8)
    doc.text(430, 672, "Valor do Documento", F, 7)
    doc.rtext(555, 684, brl(total), FB, 8)
    doc.text(50, 700, "Pagador: MARIA E SILVA   CPF: 123.456.789-00", F, 7)

    def page_head(doc):
        doc.text(40, 50, "Itaú", FB, 14)
        doc.text(152.4, 50, "MARIA E SILVA", FB, 8)
        doc.text(152.4, 62, "Cartão Itaú Exemplo Visa Platinum   final 1234", F, 7.5)
        doc.text(xs[1], 50, f"Vencimento: {ddmmyyyy(due)}", F, 7.5)
        doc.text(xs[1], 62, f"Emissão: {ddmmyyyy(emissao)}", F, 7.5)
        doc.line(40, 100, 585, 100)
    cols = Columns(doc, xs, 125, 780, PITCH, page_head)

    def t(text, font=F, size=SZ, dx=0):
        return lambda x, y: doc.text(x + dx, y, text, font, size)

    def row(date, text, value, font=F):
        def draw(x, y):
            if date:
                doc.text(x, y, date, font, SZ)
            doc.text(x + dgap, y, text, font, SZ)
            doc.rtext(x + colw, y, value, font, SZ)
        return draw

    def lv(label, value, font=F, marker=""):
        def draw(x, y):
            if marker:
                doc.text(x - 9, y, marker, FB, SZ)
            doc.text(x, y, label, font, SZ)
            doc.rtext(x + colw, y, value, font, SZ)
        return draw

    def money(c):  # §1.2-signed centavos -> Itaú text: charges unsigned, credits '- 0,20'
        return brl(c) if c < 0 else f"- {brl(c)}"

    cols.put(1, t("Lançamentos: compras e saques", FB, 7.5))
    for (holder, final, rows), sub in zip(cards, card_tot):
        cols.put(1.4, t(f"{holder} (final {final})", FB))
        cols.put(1, row("DATA", "ESTABELECIMENTO", "VALOR EM R$", FB))
        for d, merchant, c, cat in rows:
            def draw(x, y, d=d, merchant=merchant, c=c, cat=cat):
                row(ddmm(d), merchant, money(c))(x, y)
                doc.text(x + dgap, y + PITCH, cat, F, SZ - 0.5)
            cols.put(2, draw)
            facts.add(d, merchant, c)
        cols.put(1.6, lv(f"Lançamentos no cartão (final {final})", brl(sub), FB))
    cols.put(1, t("Lançamentos internacionais", FB, 7.5))
    cols.put(1, lambda x, y: (doc.text(x, y, "DATA", FB, SZ), doc.text(x + dgap, y, "ESTABELECIMENTO", FB, SZ),
                              doc.rtext(x + colw - 45, y, "US$", FB, SZ), doc.rtext(x + colw, y, "R$", FB, SZ)))
    for d, merchant, usd, c, detail in intl:
        def draw(x, y, d=d, merchant=merchant, usd=usd, c=c, detail=detail):
            row(ddmm(d), merchant, money(c))(x, y)
            doc.text(x + dgap, y + PITCH, detail, F, SZ)
            doc.rtext(x + colw - 95, y + PITCH, brl(usd), F, SZ)
            doc.text(x + colw - 82, y + PITCH, "USD", F, SZ)
            doc.rtext(x + colw - 45, y + PITCH, brl(usd), F, SZ)
        cols.put(2, draw)
        facts.add(d, merchant, c)
    cols.put(1, lv("Dólar de Conversão R$ " + intl_rate, ""))
    cols.put(1, lv("Total transações inter. em R$", brl(intl_tot)))
    cols.put(1, lv("Repasse de IOF em R$", brl(-iof)))
    facts.add(emissao, "Repasse de IOF em R$", iof, undated=True)
    cols.put(1.6, lv("Total lançamentos inter. em R$", brl(intl_tot - iof), FB))
    if services:
        cols.put(1, t("Lançamentos: produtos e serviços", FB, 7.5))
        cols.put(1, row("DATA", "PRODUTOS/SERVIÇOS", "VALOR EM R$", FB))
        for d, text, c in services:
            cols.put(1, row(ddmm(d), text, money(c)))
            facts.add(d, text, c)
        cols.put(1.6, lv("Lançamentos produtos e serviços", brl(serv_tot), FB))
    cols.put(1.8, lv("Total dos lançamentos atuais", brl(L), FB, "L"))
    # not rows from here on
    cols.put(1, t("Compras parceladas - próximas faturas", FB, 7.5))
    nxt = 0
    for holder, final, rows in futures:
        cols.put(1.4, t(f"{holder} (final {final})", FB))
        cols.put(1, row("DATA", "ESTABELECIMENTO", "VALOR EM R$", FB))
        for d, merchant, c in rows:
            cols.put(1, row(ddmm(d), merchant, brl(c)))
            nxt += c
    cols.put(1, lv("Próxima fatura", brl(nxt)))
    cols.put(1, lv("Demais faturas", brl(nxt * 3)))
    cols.put(1.8, lv("Total para próximas faturas", brl(nxt * 4), FB))
    cols.put(1, t("Limites de crédito", FB, 7.5))
    for label, v in (("Limite total de crédito", brl(limit)), ("Limite utilizado", brl(total + nxt * 4)),
                     ("Limite disponível", brl(limit - total - nxt * 4))):
        cols.put(1, lv(label, v))
    cols.put(0.8, lambda x, y: None)
    cols.put(1, t("Encargos cobrados nesta fatura", FB, 7.5))
    for label, rate, c in encargos:
        cols.put(1, lambda x, y, label=label, rate=rate, c=c: (
            doc.text(x, y, label, F, SZ), doc.rtext(x + colw - 60, y, rate, F, SZ),
            doc.rtext(x + colw, y, brl(c), F, SZ)))
    cols.put(1.8, lv("Total de encargos em R$", brl(E), FB, "E"))
    cols.put(1, t("Fique atento aos encargos para o próximo período", FB, 7))
    for label, rate in (("Juros do rotativo", "9,99 % am"), ("Juros de mora", "1,00 % am"),
                        ("Multa por atraso", "2,00 %"), ("CET do rotativo", "213,80 % aa")):
        cols.put(1, lv(label, rate))
    cols.put(1, t("Novo teto de juros: os juros e encargos do rotativo e do parcelamento", F, 6))
    cols.put(1.6, t("de fatura não podem passar de 100% do valor da dívida.", F, 6))
    cols.put(1, t("Simulação de parcelamento da fatura", FB, 7))
    for n, v in ((3, total * 36 // 100), (6, total * 19 // 100), (10, total * 12 // 100)):
        cols.put(1, lv(f"Entrada de R$ {brl(minimum(total))} + {n} parcelas de", f"R$ {brl(v)}"))

    def furniture(doc, n, m):
        if n > 1:
            if n < m:
                doc.rtext(xs[1] + colw, 795, "Continua...", F, 6.5)
            doc.text(152.4, 815, f"PC - 00  {n:02d}/{m:02d}  VK045  0001234567  MARIA E SILVA", F, 5.5, 0.4)
    doc.every_page(furniture)
    computed = prev - prev + E - facts.total()  # anterior − pagamento + E − Σ rows
    obj = facts.to_json(printed=total, computed=computed, extra={
        "note": "computed = Total da fatura anterior − Pagamento efetuado + E (encargos: summary box "
                "only) − Σ rows; the undated 'Repasse de IOF' row is dated with the bill's Emissão"})
    meta = (dict(creator="eStatements", producer="PDF Export") if variant == "estatements"
            else dict(creator="PDFium", producer="PDFium"))
    emit(doc, "itau", name, obj, **meta)


ITAU_MERCHANTS = [
    ("SUPERMERCADO EXEMPLO", "SUPERMERCADO .SAO PAULO"), ("PADARIA CENTRAL", "ALIMENTAÇÃO .SAO PAULO"),
    ("POSTO ILHA BELA", "VEÍCULOS .SAO PAULO"), ("RESTAURANTE SABOR", "RESTAURANTE .SAO PAULO"),
    ("DROGARIA EXEMPLO", "SAÚDE .CAMPINAS"), ("UBER *TRIP", "TRANSPORTE .SAO PAULO"),
    ("IFOOD *RESTAURANTE", "RESTAURANTE .SAO PAULO"), ("LIVRARIA MODELO", "DIVERSOS .SAO PAULO"),
    ("HORTIFRUTI EXEMPLO", "SUPERMERCADO .SAO PAULO"), ("PET SHOP MODELO", "DIVERSOS .SANTOS"),
    ("MERCADOLIVRE*LOJA", "DIVERSOS .OSASCO"), ("ACOUGUE BOM CORTE", "ALIMENTAÇÃO .SAO PAULO"),
    ("CAFE EXEMPLO", "RESTAURANTE .SAO PAULO"), ("ESTACIONAMENTO CENTRO", "VEÍCULOS .SAO PAULO"),
]


def itau_extra_rows(seed, n, year, month, days):
    """n invented purchases of one month (deterministic)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        m, cat = rng.choice(ITAU_MERCHANTS)
        out.append((datetime.date(year, month, rng.randint(*days)), m, -rng.randint(890, 35000), cat))
    return sorted(out, key=lambda r: r[0])


def itau_extrato_pf():
    """§2.2.b: the PF statement of 1-14 April 2026 (the XLS of §3.1 shows the same period).
    Balance rows carry only a saldo: SALDO ANTERIOR, and the mojibake day balance after each
    day. From page 2 the columns move left and the font shrinks. Then lançamentos futuros."""
    opening = -123456
    rows = [  # date, description (double blanks as Itaú prints them), centavos
        ("2026-04-01", "SISPAG EMPRESA EXEMPLO LTDA", 98000),
        ("2026-04-01", "PIX TRANSF  FULANO 01/04", -5000),
        ("2026-04-02", "PIX TRANSF  MARIA E02/04", 150000),
        ("2026-04-02", "DA  COPEL 0001234", -18743),
        ("2026-04-02", "PIX QRS PADARIA BOM02/04", -1250),
        ("2026-04-03", "SAQUE DIN ATM CART 1", -20000),
        ("2026-04-03", "PIX TRANSF  ANA MOD03/04", 4500),
        ("2026-04-06", "PIX QRS PADARIA BOM04/04", -2390),
        ("2026-04-06", "TAR PACOTE SERVICOS", -6490),
        ("2026-04-06", "DEB AUTOR SEGURO EXEMPLO", -4590),
        ("2026-04-07", "REND PAGO APLIC AUT MAIS", 1),
        ("2026-04-07", "PAG TIT INT BANCO EXEMPLO", -35000),
        ("2026-04-08", "DA  SABESP 0045678", -9612),
        ("2026-04-08", "PIX TRANSF  EMPRESA08/04", -161000),
        ("2026-04-08", "IOF", -312),
        ("2026-04-09", "SISPAG EMPRESA EXEMPLO LTDA", 245000),
        ("2026-04-09", "PIX QRS MERCADO EXE09/04", -8745),
        ("2026-04-10", "TED 001.1234MARIA EXEMP", 250000),
        ("2026-04-10", "JUROS LIMITE DA CONTA", -1237),
        ("2026-04-10", "DA  COPEL 0000001234567", -21000),
        ("2026-04-13", "PIX TRANSF  FULANO 13/04", -15000),
        ("2026-04-13", "ITAU BLACK 1234-5678", -83015),
        ("2026-04-14", "PIX QRS FARMACIA EX14/04", -3680),
    ]
    futuros = [("2026-04-20", "DA  VIVO 0009876", -11999),
               ("2026-05-05", "BOLETO AGENDADO CONDOMINIO", -65000),
               ("2026-06-21", "PIX TRANSF  Ana Mod", -17850)]
    facts = Facts("itau-extrato-pdf", "itau", "extrato")
    lines = [("bal", D("2026-03-31"), "SALDO ANTERIOR", opening)]
    bal = opening
    for i, (d, desc, c) in enumerate(rows):
        bal += c
        lines.append(("row", D(d), desc, c))
        facts.add(D(d), desc, c)
        if i + 1 == len(rows) or rows[i + 1][0] != d:
            lines.append(("bal", D(d), MOJIBAKE_SALDO, bal))
    closing = bal

    doc = Doc()
    F, FB = SANS, SANS_B
    doc.text(40, 50, "Itaú", FB, 16)
    doc.text(40, 80, "FULANO DE TAL    CPF: 123.456.789-00    agência: 1234 conta: 56789-0", F, 8.5)
    doc.rect(40, 100, 250, 60, 0.95, 0.7)
    doc.text(50, 118, "saldo em conta", F, 8)
    doc.text(50, 140, f"R$ {sbrl(closing)}", FB, 13)
    doc.text(320, 118, "limite da conta disponível", F, 8)
    doc.text(320, 140, "R$ 3.500,00", FB, 11)
    doc.text(40, 190, "extrato conta corrente", FB, 11)
    doc.text(40, 206, "lançamentos", FB, 9)
    doc.text(40, 222, "período de visualização: de 01/04/2026 até 14/04/2026", F, 8)
    doc.text(330, 222, "emitido em: 14/04/2026 09:31:07", F, 8)
    geo = {1: dict(x=(40, 100, 430, 540), size=8, top=270, pitch=15),
           2: dict(x=(30, 82, 250, 330), size=7, top=60, pitch=12)}

    def header(g, y):
        xd, xl, xv, xs = g["x"]
        doc.text(xd, y, "data", FB, g["size"])
        doc.text(xl, y, "lançamentos", FB, g["size"])
        doc.rtext(xv, y, "valor (R$)", FB, g["size"])
        doc.rtext(xs, y, "saldo (R$)", FB, g["size"])
    g = geo[1]
    header(g, 250)
    y = g["top"]
    bottom = 700  # page 1 ends early (its header takes the top)
    fut = [("title", "lançamentos futuros"), ("title2", "saídas futuras")] + [
        ("fut", D(d), desc, c) for d, desc, c in futuros]
    for ln in lines + [("gap",)] + fut:
        if y > bottom:
            doc.new_page()
            g, bottom = geo[2], 800
            y = g["top"]
        xd, xl, xv, xs = g["x"]
        kind = ln[0]
        if kind == "gap":
            y += 10
            continue
        if kind in ("title", "title2"):
            doc.text(xd, y, ln[1], FB if kind == "title" else F, 8 if kind == "title" else 7.5)
            y += g["pitch"]
            continue
        _, d, desc, c = ln
        doc.text(xd, y, ddmmyyyy(d), F, g["size"])
        doc.text(xl, y, desc, F, g["size"])
        doc.rtext(xs if kind == "bal" else xv, y, sbrl(c), F, g["size"])
        y += g["pitch"]
    doc.new_page()
    y = 60
    doc.text(30, y, "posição consolidada", FB, 9)
    for label, v in (("conta corrente", sbrl(closing)), ("aplicação automática (Itaú Mais)", "0,01"),
                     ("CDB DI", "5.000,00"), ("total", sbrl(closing + 500001))):
        y += 13
        doc.text(30, y, label, F, 7.5)
        doc.rtext(330, y, v, F, 7.5)
    y += 30
    doc.text(30, y, "limites", FB, 9)
    for label, v in (("limite da conta contratado", "3.500,00"), ("limite da conta disponível", "3.500,00"),
                     ("juros do limite da conta", "8,00% a.m.")):
        y += 13
        doc.text(30, y, label, F, 7.5)
        doc.rtext(330, y, v, F, 7.5)
    y += 30
    for ln in ("Os lançamentos futuros podem ser alterados ou cancelados até a data prevista.",
               "SAC Itaú 0800 728 0728 · Ouvidoria 0800 570 0011 · Deficiência auditiva 0800 722 1722"):
        doc.text(30, y, ln, F, 6.5, 0.3)
        y += 10
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening,
                        closing=closing, extra={"note": "balance is null on every row: the day "
                                                "balances are their own SALDO TOTAL DISPONÍVEL DIA lines"})
    emit(doc, "itau", "itau-extrato-pdf-2026-04", obj, producer="openhtmltopdf.com",
         title="Pré-visualização de impressão")


def company_day_rows(seed, days, per_day, vocab):
    """Invented business rows: for each date, per_day (lo, hi) rows drawn from vocab entries
    (description template, lo, hi centavos, sign). {n} in a template becomes a number."""
    rng = random.Random(seed)
    out = []
    for d in days:
        for _ in range(rng.randint(*per_day)):
            tpl, lo, hi, sign = rng.choice(vocab)
            desc = tpl.format(n=rng.randint(1000, 9999), dm=ddmm(d), d=d)
            out.append((d, desc, sign * rng.randint(lo, hi)))
    return out


def weekdays(first, last):
    d, out = first, []
    while d <= last:
        if d.weekday() < 5:
            out.append(d)
        d += datetime.timedelta(days=1)
    return out


def itau_empresas_wdpdf():
    """§2.2.c: Itaú Empresas extrato (WDPDF). DD/MM rows (the year from `Extrato de … até …`),
    a blank line between rows, SALDO ANTERIOR in the saldo column, and per day SALDO FINAL DISP
    CREDOR in the VALOR column plus SALDO in the saldo column. From page 2 the columns are much
    narrower. Footer: the page number alone at the right."""
    opening = 1000000
    vocab = [("CIELO VISA DB10000{n}", 2000, 40000, 1), ("CIELO MASTER CR10000{n}", 5000, 90000, 1),
             ("PIX RECEBIDO CLIENTE {n}", 1500, 60000, 1), ("SISPAG FORNECEDORES", 50000, 900000, -1),
             ("TRANSF 1234.5{n}-0", 10000, 500000, -1), ("TAR BANCARIA MANUT", 1500, 4500, -1),
             ("BOLETO PAGO EXEMPLO {n}", 8000, 120000, -1), ("REDE ELO DB10000{n}", 1500, 30000, 1)]
    days = weekdays(D("2025-10-01"), D("2025-10-10"))
    rows = company_day_rows("wdpdf", days, (3, 6), vocab)
    rows.insert(0, (days[0], "TRANSF 1234.56789-0", -1000000))
    rows.insert(1, (days[0], "CIELO VISA DB1000000001", 9546))
    facts = Facts("itau-empresas-pdf", "itau", "extrato")
    lines = [("bal0", D("2025-09-30"), "SALDO ANTERIOR", "", opening)]
    bal = opening
    for i, (d, desc, c) in enumerate(rows):
        if bal + c < 0:  # keep the account in credit (SALDO FINAL DISP CREDOR)
            desc, c = f"PIX RECEBIDO CLIENTE {abs(c) % 9000 + 1000}", -c
        bal += c
        origem = "9999" if desc.startswith(("CIELO", "REDE")) else ""
        lines.append(("row", d, desc, origem, c))
        facts.add(d, desc, c)
        if i + 1 == len(rows) or rows[i + 1][0] != d:
            lines.append(("credor", d, "SALDO FINAL DISP CREDOR", "", bal))
            lines.append(("saldo", d, "SALDO", "", bal))
    closing = bal
    doc = Doc()
    F, FB = HELV, HELV_B
    geo = {1: dict(x=(35, 90, 290, 420, 540), size=8, pitch=22, top=215),
           2: dict(x=(25, 60, 190, 270, 345), size=6.5, pitch=17, top=110)}
    g = geo[1]

    def head(g, y):
        xd, xl, xo, xv, xs = g["x"]
        for x, t in ((xd, "Data"), (xl, "Lançamento"), (xo, "Ag./Origem")):
            doc.text(x, y, t, FB, g["size"])
        doc.rtext(xv, y, "Valor (R$)", FB, g["size"])
        doc.rtext(xs, y, "Saldo (R$)", FB, g["size"])
    doc.text(35, 95, "Nome: EMPRESA EXEMPLO COMERCIO LTDA", F, 8.5)
    doc.text(35, 108, "Agência/Conta: 1234/12345-6", F, 8.5)
    doc.text(300, 95, "Data: 10/10/2025", F, 8.5)
    doc.text(300, 108, "Horário: 14:32", F, 8.5)
    doc.text(35, 140, "Extrato de 01/10/2025 até 10/10/2025", FB, 10)
    head(g, 190)
    y = g["top"]
    for kind, d, desc, origem, c in lines:
        if y > 800:
            doc.new_page()
            g = geo[2]
            head(g, 90)
            y = g["top"]
        xd, xl, xo, xv, xs = g["x"]
        doc.text(xd, y, ddmm(d), F, g["size"])
        doc.text(xl, y, desc, F, g["size"])
        doc.text(xo, y, origem, F, g["size"])
        doc.rtext(xs if kind in ("bal0", "saldo") else xv, y, sbrl(c), F, g["size"])
        y += g["pitch"]

    def furniture(doc, n, m):
        doc.text(35 if n == 1 else 25, 50, "ItaúEmpresas", FB, 14 if n == 1 else 10)
        doc.rtext(560, 820, str(n), F, 8)
    doc.every_page(furniture)
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening,
                        closing=closing, extra={"note": "balance is null on every row: the day balances "
                                                "are their own SALDO FINAL DISP CREDOR / SALDO lines"})
    emit(doc, "itau", "itau-empresas-pdf-2025-10", obj, creator="Componente WDPDF", title="WDPDF",
         producer="PDFlib+PDI 5.0.4 (.NET DLL/Win32)")


def itau_lancamentos():
    """§2.2.d: Itaú Empresas `Lançamentos`, newest first. SALDO EM CONTA CORRENTE first, each
    day's rows, then the previous day's SALDO TOTAL DISPONÍVEL DIA, SALDO ANTERIOR last. A long
    Razão Social wraps to a line above and a line below the row line; once the Lançamentos text
    itself wraps that way and the row line has only the date and the value."""
    opening = 120000000
    days = weekdays(D("2025-10-01"), D("2025-10-10"))
    people = [("ANA MODELO SOUZA", "123.456.789-00"), ("FULANA DE TAL EXEMPLO FICTICIA", "987.654.321-01"),
              ("BANCO EXEMPLO S A", "11.222.333/0001-44"), ("JOAO DA SILVA MODELO DE OLIVEIRA", "111.222.333-97"),
              ("EMPRESA FICTICIA DE TRANSPORTES LTDA", "22.333.444/0001-55"),
              ("CLIENTE EXEMPLO COMERCIO", "33.444.555/0001-66"), ("PEDRO FICTICIO", "222.333.444-06")]
    rng = random.Random("lancamentos")
    chrono = []
    for d in days:
        for _ in range(rng.randint(4, 7)):
            kind = rng.random()
            name, doc_id = rng.choice(people)
            if kind < 0.3:
                chrono.append((d, f"PIX RECEBIDO {name.split()[0]} {ddmm(d)}", name, doc_id, rng.randint(2000, 250000)))
            elif kind < 0.5:
                chrono.append((d, f"DEV PIX {name[:10]}{ddmm(d)}", name, doc_id, -rng.randint(1500, 9000)))
            elif kind < 0.7:
                chrono.append((d, f"SFPAY MAST DB000000{rng.randint(1000, 9999)}", "BANCO EXEMPLO S A",
                               "11.222.333/0001-44", rng.randint(10000, 300000)))
            elif kind < 0.85:
                chrono.append((d, "SISPAG FORNECEDORES", "", "", -rng.randint(500000, 7500000)))
            else:
                chrono.append((d, f"PIX ENVIADO {name.split()[0]}", name, doc_id, -rng.randint(5000, 90000)))
    chrono.append((D("2025-10-09"), "DESBLOQUEIO PIX DESBLOQUEIO PIX 09/10", "", "", 3107))
    chrono.sort(key=lambda r: r[0])
    bal, day_close = opening, {}
    for d, *_r, c in chrono:
        bal += c
        day_close[d] = bal
    closing = bal
    # newest first: within a day the later rows come first
    by_day = {}
    for r in chrono:
        by_day.setdefault(r[0], []).append(r)
    lines = [("bal", days[-1], "SALDO EM CONTA CORRENTE", closing)]
    facts = Facts("itau-lancamentos-pdf", "itau", "extrato")
    for i, d in enumerate(reversed(days)):
        for r in reversed(by_day.get(d, [])):
            lines.append(("row",) + r)
            extra = {"counterparty": r[2]} if r[2] else {}
            facts.add(r[0], r[1], r[4], **extra)
        prev_day = days[len(days) - 2 - i] if i + 1 < len(days) else None
        if prev_day:
            lines.append(("bal", prev_day, "SALDO TOTAL DISPONÍVEL DIA", day_close[prev_day]))
    lines.append(("bal", D("2025-09-30"), "SALDO ANTERIOR", opening))

    doc = Doc()
    F, FB, SZ = SANS, SANS_B, 6.8
    X = dict(d=28, l=80, r=212, c=340, v=478, s=565)
    RW = 118  # Razão Social cell width
    doc.text(28, 50, "EMPRESA EXEMPLO SERVICOS LTDA", FB, 11)
    doc.text(28, 64, "CNPJ 12.345.678/0001-90", F, 8)
    doc.text(28, 76, "Agência 1234 Conta 1234567-8", F, 8)
    for i, (label, v) in enumerate((("Saldo total", brl(closing)), ("Limite da conta", "50.000,00"),
                                    ("Utilizado", "0,00"), ("Disponível", brl(closing + 5000000)))):
        doc.text(28 + i * 135, 104, label, F, 7.5)
        doc.text(28 + i * 135, 117, f"R$ {v}", FB, 9)
    doc.text(28, 145, "Lançamentos do período: 01/10/2025 até 10/10/2025", FB, 9)

    def head(y):
        for k, t in (("d", "Data"), ("l", "Lançamentos"), ("r", "Razão Social"), ("c", "CNPJ/CPF")):
            doc.text(X[k], y, t, FB, SZ)
        doc.rtext(X["v"], y, "Valor (R$)", FB, SZ)
        doc.rtext(X["s"], y, "Saldo (R$)", FB, SZ)
    head(170)
    y = 190

    def split(text, w):
        ws, a = text.split(), []
        while ws and width(" ".join(a + [ws[0]]), F, SZ) <= w:
            a.append(ws.pop(0))
        return " ".join(a), " ".join(ws)

    for ln in lines:
        tall = ln[0] == "row" and (width(ln[3], F, SZ) > RW or ln[2].startswith("DESBLOQUEIO"))
        if y + (26 if tall else 14) > 800:
            doc.new_page()
            head(50)
            y = 70
        if ln[0] == "bal":
            _, d, label, v = ln
            doc.text(X["d"], y, ddmmyyyy(d), F, SZ)
            doc.text(X["l"], y, label, F, SZ)
            doc.rtext(X["s"], y, sbrl(v), F, SZ)
            y += 14
            continue
        _, d, lanc, razao, doc_id, c = ln
        if tall:
            y += 6
        doc.text(X["d"], y, ddmmyyyy(d), F, SZ)
        if lanc.startswith("DESBLOQUEIO"):
            a, b = "DESBLOQUEIO PIX DESBLOQUEIO", "PIX 09/10"
            doc.text(X["l"], y - 8, a, F, SZ)
            doc.text(X["l"], y + 8, b, F, SZ)
        else:
            doc.text(X["l"], y, lanc, F, SZ)
        if width(razao, F, SZ) > RW:
            a, b = split(razao, RW)
            doc.text(X["r"], y - 8, a, F, SZ)
            doc.text(X["r"], y + 8, b, F, SZ)
        else:
            doc.text(X["r"], y, razao, F, SZ)
        doc.text(X["c"], y, doc_id, F, SZ)
        doc.rtext(X["v"], y, sbrl(c), F, SZ)
        y += 20 if tall else 14
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening,
                        closing=closing, extra={"note": "newest first (file order); opening = SALDO "
                                                "ANTERIOR (last line), closing = SALDO EM CONTA CORRENTE "
                                                "(first line); counterparty = the Razão Social column"})
    emit(doc, "itau", "itau-lancamentos-pdf-2025-10", obj, producer="openhtmltopdf.com", title="Lançamentos")


def draw_itau_extrato_mensal(opening, closing, ins, outs, lines):
    """The pages of an Itaú `extrato mensal` PJ for April 2025 around `lines`: (date of a day's
    first row or None, description, amount, the day-end saldo on a day's last row or None).
    Also drawn by bench/make_big_pdf.py at any length."""
    doc = Doc()
    F, FB = HELV, HELV_B
    X = dict(d=150, s=195, e=395, o=475, b=570)
    doc.text(40, 90, "EMPRESA EXEMPLO LTDA", FB, 9)
    for i, t in enumerate(("RUA EXEMPLO, 100 SALA 2", "CENTRO", "01010-000 SAO PAULO SP")):
        doc.text(40, 102 + i * 11, t, F, 8)
    doc.text(330, 90, "saldo em 31/03/25", F, 8)
    doc.text(450, 90, "saldo em 30/04/25", F, 8)
    doc.text(330, 104, f"R$ {brl(opening)}", FB, 9)
    doc.text(450, 104, f"R$ {brl(closing)}", FB, 9)
    doc.text(330, 130, "entradas (créditos)", F, 8)
    doc.text(450, 130, "saídas (débitos)", F, 8)
    doc.text(330, 142, f"transferências e pix   R$ {brl(ins)}", F, 7)
    doc.text(450, 142, f"pagamentos   R$ {brl(outs)}", F, 7)
    doc.text(330, 162, "total entradas", F, 8)
    doc.text(450, 162, "total saídas", F, 8)
    doc.text(330, 175, f"R$ {brl(ins)}", FB, 9)
    doc.text(450, 175, f"R$ {brl(outs)}", FB, 9)
    doc.text(150, 215, "Conta Corrente | Movimentação", FB, 10)

    def head(y):
        doc.text(X["d"], y, "data", FB, 7.5)
        doc.text(X["s"], y, "descrição", FB, 7.5)
        doc.rtext(X["e"], y, "entradas R$", FB, 7.5)
        doc.rtext(X["o"], y, "saídas R$", FB, 7.5)
        doc.rtext(X["b"], y, "saldo R$", FB, 7.5)
        doc.rtext(X["e"], y + 9, "(créditos)", F, 7)
        doc.rtext(X["o"], y + 9, "(débitos)", F, 7)
    head(235)
    legend = ["A = agendamento", "B = ações movimentadas", "     pela Bolsa de Valores",
              "C = crédito a compensar", "D = débito a compensar", "G = aplicação programada",
              "P = poupança automática", "Para demais siglas,", "consulte as Notas"]
    for i, t in enumerate(legend):
        doc.text(30, 262 + i * 11, t, F, 7)
    y, pitch, bottom = 262, 11, 790
    out = [(D("2025-03-31"), "Saldo anterior", None, opening)] + lines + [
        "gap", (None, "Saldo em C/C", None, closing), (None, "Saldo final", None, closing)]
    for ln in out:
        if y > bottom:
            doc.new_page()
            head(75)
            y = 102
        if ln == "gap":
            y += 6
            continue
        d, desc, c, b = ln
        if d:
            doc.text(X["d"], y, ddmm(d), F, 7.5)
        doc.text(X["s"], y, desc, FB if c is None and d is None else F, 7.5)
        if c is not None:
            if c > 0:
                doc.rtext(X["e"], y, brl(c), F, 7.5)
            else:
                doc.text(X["o"] - width(brl(c), F, 7.5), y, brl(c) + "-", F, 7.5)
        if b is not None:  # a negative saldo would carry the trailing minus too
            sb = brl(b) + ("-" if b < 0 else "")
            doc.text(X["b"] - width(brl(b), F, 7.5), y, sb, F, 7.5)
        y += pitch
    # investments and derivatives: dated, not account rows
    y += 25
    if y > 700:
        doc.new_page()
        y = 102
    doc.text(150, y, "Aplicações Automáticas | Aplic Aut Mais", FB, 9)
    y += 14
    for d, t, v in (("01/04", "saldo anterior", "1.234,56"), ("30/04", "rendimento do período", "12,34"),
                    ("30/04", "saldo final", "1.246,90")):
        doc.text(150, y, d, F, 7.5)
        doc.text(195, y, t, F, 7.5)
        doc.rtext(570, y, v, F, 7.5)
        y += 11
    y += 14
    doc.text(150, y, "Derivativos | TROCA INDEX(SWAP)", FB, 9)
    y += 14
    for d, t, v in (("02/04", "TROCA INDEX(SWAP) CONTRATO 0012345", "250.000,00"),
                    ("28/04", "TROCA INDEX(SWAP) AJUSTE 0012345", "1.830,12-")):
        doc.text(150, y, d, F, 7.5)
        doc.text(195, y, t, F, 7.5)
        doc.rtext(570, y, v, F, 7.5)
        y += 11
    y += 14
    doc.text(150, y, "Notas explicativas", FB, 9)
    for t in ("Os saldos e lançamentos acima estão sujeitos a confirmação.",
              "Siglas: A = agendamento; B = ações movimentadas pela Bolsa de Valores; D = débito a compensar."):
        y += 11
        doc.text(150, y, t, F, 7)

    def furniture(doc, n, m):
        doc.text(40, 40, "extrato mensal", FB, 10)
        doc.rtext(570, 40, f"ag 1234 cc 12345-6 abr 2025 {n:03d}|{m:03d}", F, 8)
        doc.text(40, 820, f"004512 B001A 30/04/2025 EXTR{n:04d} G0001 I{n:07d}", F, 6, 0.3)
    doc.every_page(furniture)
    return doc


def itau_extrato_mensal():
    """§2.2.e: `extrato mensal` PJ for April 2025. The date only on a day's first row, credits
    unsigned in entradas, debits with a trailing minus in saídas, the day-end saldo on the day's
    last row. Page 1: the sigla legend in the left margin on the same text lines as the first
    rows. Page header `extrato mensal ag … cc … abr 2025 001|004`, a control line as footer."""
    opening = 50000000
    vocab = [("Sispag Fornecedores", 100000, 4500000, -1), ("Sispag EMPRESA EXEMPLO", 50000, 3000000, 1),
             ("DEV PIX ANA MODEL{dm}", 1000, 9000, -1), ("PIX QRS Fulano Tal{dm}", 200, 50000, 1),
             ("TED 033.1234.EMPRESA EX", 100000, 900000, 1), ("TAR PACOTE EMPRESA", 8900, 8900, -1),
             ("REND PAGO APLIC AUT", 100, 5000, 1), ("SISPAG TRIBUTOS", 100000, 800000, -1),
             ("BOLETO PAGO FORNEC {n}", 20000, 400000, -1), ("CIELO CRED {n}", 10000, 600000, 1)]
    days = weekdays(D("2025-04-01"), D("2025-04-30"))
    rows = company_day_rows("mensal", days, (2, 5), vocab)
    rows[0] = (days[0], "Sispag Fornecedores", -4500000)
    facts = Facts("itau-extrato-mensal-pdf", "itau", "extrato")
    bal = opening
    lines = []
    for i, (d, desc, c) in enumerate(rows):
        bal += c
        last = i + 1 == len(rows) or rows[i + 1][0] != d
        first = i == 0 or rows[i - 1][0] != d
        lines.append((d if first else None, desc, c, bal if last else None))
        facts.add(d, desc, c, bal if last else None)
    closing = bal
    ins = sum(c for _d, _x, c in rows if c > 0)
    outs = -sum(c for _d, _x, c in rows if c < 0)

    doc = draw_itau_extrato_mensal(opening, closing, ins, outs, lines)
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening,
                        closing=closing, extra={"note": "balance = the day-end saldo printed on a day's "
                                                "last row; opening = Saldo anterior, closing = Saldo final"})
    emit(doc, "itau", "itau-extrato-mensal-pdf-2025-04", obj, creator="eStatements", producer="PDF Export")


def make_itau():
    itau_extrato_pf()
    itau_empresas_wdpdf()
    itau_lancamentos()
    itau_extrato_mensal()
    itau_fatura(
        "itau-fatura-pdf-2024-10-duas-colunas", variant="estatements",
        emissao=D("2024-10-03"), due=D("2024-10-10"), postagem=D("2024-10-04"),
        prox_fech=D("2024-11-01"), prev=321055, paid_on=D("2024-09-12"),
        encargos=[("Juros do rotativo", "0,00 %", 0), ("Juros de mora", "1,00 % am", 214),
                  ("Multa por atraso", "2,00 %", 642), ("IOF de financiamento", "0,38 %", 378)],
        cards=[
            ("MARIA E SILVA", "1234", [
                (D("2024-05-28"), "FARMACIA SAO JOAO 05/06", -3940, "SAÚDE .SAO PAULO"),
                (D("2023-12-15"), "NOTEBOOK LOJA EXEMP10/10", -31290, "ELETRÔNICOS .SAO PAULO"),
                (D("2024-09-02"), "SUPERMERCADO EXEMPLO", -28745, "SUPERMERCADO .SAO PAULO"),
                (D("2024-09-05"), "POSTO ILHA BELA", -15000, "VEÍCULOS .SAO PAULO"),
                (D("2024-09-11"), "RESTAURANTE SABOR", -9870, "RESTAURANTE .SAO PAULO"),
                (D("2024-09-14"), "LOJA ROUPAS EXEMPLO", 5990, "VESTUÁRIO .SAO PAULO"),
                (D("2024-09-18"), "UBER *TRIP", -2315, "TRANSPORTE .SAO PAULO"),
                (D("2024-09-20"), "DROGARIA EXEMPLO", -4580, "SAÚDE .CAMPINAS"),
                (D("2024-09-25"), "APPLE.COM/BILL", -4990, "DIVERSOS .SAO PAULO"),
                (D("2024-09-27"), "IFOOD *RESTAURANTE", -7230, "RESTAURANTE .SAO PAULO"),
                (D("2024-09-29"), "ESTORNO TARIFA", 20, "DIVERSOS .SAO PAULO"),
            ] + itau_extra_rows("itau-1234", 24, 2024, 9, (1, 30))),
            ("JOAO E SILVA", "5678", [
                (D("2024-06-16"), "LOJA ONLINE EXEMP04/12", -4044, "DIVERSOS .SAO PAULO"),
                (D("2024-09-03"), "PADARIA CENTRAL", -1850, "ALIMENTAÇÃO .SAO PAULO"),
                (D("2024-09-10"), "CINEMA EXEMPLO", -6400, "LAZER .SAO PAULO"),
                (D("2024-09-22"), "PET SHOP MODELO", -13520, "DIVERSOS .SANTOS"),
                (D("2024-09-26"), "ESTACIONAMENTO CENTRO", -2500, "VEÍCULOS .SAO PAULO"),
            ]),
            ("MARIA E SILVA", "9012", itau_extra_rows("itau-9012", 12, 2024, 9, (2, 29))),
        ],
        intl=[(D("2024-09-21"), "OPENAI *CHATGPT SUBSCR", 2000, -11520, "SAN FRANCISCO"),
              (D("2024-09-29"), "SPRED", 999, -5754, "+1800555-0100")],
        intl_rate="5,76", iof=-757,
        services=[(D("2024-09-20"), "SEGURO PERDA E ROUBO", -990),
                  (D("2024-09-25"), "ANUIDADE DIFERENCIADA", -3500)],
        futures=[("MARIA E SILVA", "1234", [(D("2024-05-28"), "FARMACIA SAO JOAO 06/06", 3940)]),
                 ("JOAO E SILVA", "5678", [(D("2024-06-16"), "LOJA ONLINE EXEMP05/12", 4044)])],
        limit=800000)
    itau_fatura(
        "itau-fatura-pdf-2025-08-pdfium", variant="pdfium",
        emissao=D("2025-08-04"), due=D("2025-08-11"), postagem=D("2025-08-05"),
        prox_fech=D("2025-09-02"), prev=184512, paid_on=D("2025-07-11"),
        encargos=[("Juros do rotativo", "0,00 %", 0), ("Juros de mora", "0,00 % am", 0)],
        cards=[("MARIA E SILVA", "1234", [
            (D("2025-03-10"), "CURSO INGLES EXEMPL06/10", -18900, "EDUCAÇÃO .SAO PAULO"),
            (D("2025-07-05"), "SUPERMERCADO EXEMPLO", -41230, "SUPERMERCADO .SAO PAULO"),
            (D("2025-07-09"), "POSTO EXEMPLO", -20000, "VEÍCULOS .SAO PAULO"),
            (D("2025-07-15"), "RESTAURANTE SABOR", -8760, "RESTAURANTE .SAO PAULO"),
            (D("2025-07-19"), "LOJA ROUPAS EXEMPLO", -25990, "VESTUÁRIO .SAO PAULO"),
            (D("2025-07-21"), "LOJA ROUPAS EXEMPLO", 25990, "VESTUÁRIO .SAO PAULO"),
            (D("2025-07-26"), "FARMACIA EXEMPLO", -6315, "SAÚDE .SAO PAULO"),
            (D("2025-07-30"), "STREAMING EXEMPLO", -3990, "DIVERSOS .SAO PAULO"),
        ] + itau_extra_rows("itau-2025-1234", 30, 2025, 7, (3, 31)))],
        intl=[(D("2025-07-22"), "STEAM GAMES", 1499, -8360, "BELLEVUE")],
        intl_rate="5,58", iof=-283, services=[],
        futures=[("MARIA E SILVA", "1234", [(D("2025-03-10"), "CURSO INGLES EXEMPL07/10", 18900)])],
        limit=1200000)


# ----------------------------------------------------------------------------------------------
# 2.3 Inter

INTER_MES = ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."]


def inter_extra_rows(seed, n, first, last):
    rng = random.Random(seed)
    names = ["SUPERMERCADO EXEMPLO", "POSTO EXEMPLO", "FARMACIA EXEMPLO", "RESTAURANTE SABOR",
             "PADARIA CENTRAL", "UBER *TRIP", "IFOOD *RESTAURANTE", "LOJA MODELO", "CAFE EXEMPLO"]
    span = (last - first).days
    out = [(first + datetime.timedelta(days=rng.randint(0, span)), rng.choice(names), "-",
            -rng.randint(990, 24000), None) for _ in range(n)]
    return sorted(out, key=lambda r: r[0])


def inter_fatura_2025():
    """§2.3, 2025 layout: `Total da sua fatura` with the right-hand limit box printed between the
    label and its value; DESPESAS DO MÊS | VALOR ANTECIPADO | FATURA ATUAL; per card
    `CARTÃO 2306****NNNN`, rows `26 de ago. 2025 … R$ 60,00`, credits `+ R$ 900,00`, PIX CRED
    PARCELADO with a `Principal (…) + Juros (…)` line, `Total CARTÃO …` (charges only). The
    payment of the previous bill is a credit row that is in none of the printed figures.
    `Próxima fatura` (future instalments, no dates) is not rows."""
    due = D("2025-11-02")
    cards = [
        ("2306****1234", sorted([
            (D("2025-08-26"), "LOJA DE PNEUS EXEMPLO (Parcela 02 de 02)", "-", -6000, None),
            (D("2025-08-26"), "PIX CRED PARCELADO (Parcela 02 de 02)", "-", -13404,
             "Principal (R$ 125,28) + Juros (R$ 8,76)"),
            (D("2025-10-09"), "PAGAMENTO ON LINE", "-", 90000, None),
            (D("2025-10-10"), "MULTA POR ATRASO", "-", -1800, None),
            (D("2025-10-10"), "JUROS DE MORA", "-", -900, None),
            (D("2025-10-13"), "PIX CRED A VISTA", "JOAO MODELO DA S", -996, None),
            (D("2025-10-13"), "JUROS PIX CREDITO", "-", -54, None),
            (D("2025-10-13"), "IOF", "-", -12, None),
        ] + inter_extra_rows("inter-1234", 34, D("2025-09-27"), D("2025-10-25")), key=lambda r: r[0])),
        ("2306****5678", [
            (D("2025-10-05"), "MERCADO LIVRE (Parcela 01 de 03)", "-", -19990, None),
            (D("2025-10-12"), "UBER *TRIP", "-", -3150, None),
            (D("2025-10-22"), "NETFLIX.COM", "-", -5590, None),
        ]),
    ]
    card_tot = [-sum(r[3] for r in rows if r[3] < 0) for _c, rows in cards]
    despesas = sum(card_tot)
    antecipado = 0
    total = despesas - antecipado
    facts = Facts("inter-fatura-pdf", "inter", "fatura", due)
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 100, "Olá, Maria!", FB, 14)
    doc.text(40, 118, "Sua fatura de outubro está fechada.", F, 9)
    doc.text(40, 150, "Total da sua fatura", F, 9)
    doc.text(340, 160, "Limite de crédito total", F, 8)
    doc.text(40, 176, f"R$ {brl(total)}", FB, 18)
    doc.text(340, 174, "R$ 5.700,00", FB, 9)
    doc.text(40, 210, "Data de Vencimento", F, 9)
    doc.text(340, 220, "Limite disponível", F, 8)
    doc.text(40, 234, ddmmyyyy(due), FB, 14)
    doc.text(340, 232, f"R$ {brl(570000 - total)}", FB, 9)
    doc.text(40, 280, "Resumo da fatura", FB, 11)
    for i, (label, v) in enumerate((("DESPESAS DO MÊS", despesas), ("VALOR ANTECIPADO", antecipado),
                                    ("FATURA ATUAL", total))):
        doc.text(40 + i * 170, 300, label, F, 8)
        doc.text(40 + i * 170, 314, f"R$ {brl(v)}", FB, 10)
    doc.text(40, 360, "Descritivo detalhado", FB, 11)
    for i, (label, v) in enumerate((("Despesas do mês", despesas), ("Valor antecipado", antecipado),
                                    ("Fatura atual", total))):
        doc.text(40, 380 + i * 14, label, F, 9)
        doc.rtext(300, 380 + i * 14, f"R$ {brl(v)}", F, 9)
    doc.text(40, 450, "Pagamento mínimo", F, 9)
    doc.rtext(300, 450, f"R$ {brl(minimum(total))}", F, 9)

    X = dict(d=40, m=120, b=370, v=555)

    def head(y):
        doc.text(X["d"], y, "Data", FB, 8)
        doc.text(X["m"], y, "Movimentação", FB, 8)
        doc.text(X["b"], y, "Beneficiário", FB, 8)
        doc.rtext(X["v"], y, "Valor", FB, 8)
    doc.new_page()
    y = 100
    doc.text(40, y, "Despesas da fatura", FB, 12)
    y += 10

    def need(h, in_table=False):
        nonlocal y
        if y + h > 790:
            doc.new_page()
            y = 100
            if in_table:  # Chromium repeats the table header on a new page
                head(y)

    for (card, rows), tot in zip(cards, card_tot):
        need(60)
        y += 24
        doc.text(40, y, f"CARTÃO {card}", FB, 9)
        y += 16
        head(y)
        for d, text, benef, c, detail in rows:
            need(30 if detail else 16, True)
            y += 16
            doc.text(X["d"], y, f"{d.day:02d} de {INTER_MES[d.month - 1]} {d.year}", F, 8)
            doc.text(X["m"], y, text, F, 8)
            doc.ctext(X["b"] + 40, y, benef, F, 8)
            doc.rtext(X["v"], y, (f"+ R$ {brl(c)}" if c > 0 else f"R$ {brl(c)}"), F, 8)
            if detail:
                y += 12
                doc.text(X["m"], y, detail, F, 7.5, 0.3)
            facts.add(d, text, c)
        need(20)
        y += 18
        doc.text(40, y, f"Total CARTÃO {card}", FB, 8.5)
        doc.rtext(X["v"], y, f"R$ {brl(tot)}", FB, 8.5)
    need(120)
    y += 36
    doc.text(40, y, "Próxima fatura", FB, 11)
    for a, b, v in (("MERCADO LIVRE", "(Parcela 02 de 03)", "R$ 199,90"),
                    ("MERCADO LIVRE", "(Parcela 03 de 03)", "R$ 199,90")):
        y += 16
        doc.text(X["m"], y, a, F, 8)
        doc.text(X["m"], y + 10, b, F, 8)
        doc.rtext(X["v"], y + 5, v, F, 8)
        y += 10
    doc.new_page()
    y = 100
    doc.text(40, y, "Limites", FB, 11)
    for label, v in (("Limite de crédito total", "R$ 5.700,00"), ("Limite disponível", f"R$ {brl(570000 - total)}")):
        y += 15
        doc.text(40, y, label, F, 8.5)
        doc.rtext(300, y, v, F, 8.5)
    y += 30
    doc.text(40, y, "Encargos financeiros", FB, 11)
    for label, v in (("Juros do rotativo", "14,50% a.m."), ("Juros de mora", "1,00% a.m."),
                     ("Multa por atraso", "2,00%"), ("IOF diário", "0,0082%")):
        y += 15
        doc.text(40, y, label, F, 8.5)
        doc.rtext(300, y, v, F, 8.5)
    y += 60
    doc.line(40, y, 555, y, 0.6, 0.3)
    y += 18
    doc.text(40, y, "Banco Inter S.A.   077-9", FB, 9)
    doc.text(200, y, "07790.00116 12345.678901 23456.789012 3 12340000141391", F, 9)
    y += 24
    doc.text(380, y, "VENCIMENTO", F, 7)
    doc.rtext(555, y + 12, ddmmyyyy(due), FB, 9)
    doc.text(380, y + 28, "VALOR DO DOCUMENTO", F, 7)
    doc.rtext(555, y + 40, f"R$ {brl(total)}", FB, 9)
    doc.text(40, y + 12, "PAGADOR: MARIA EXEMPLO DA SILVA - CPF 123.456.789-00", F, 7)

    def furniture(doc, n, m):
        doc.text(40, 40, "MARIA EXEMPLO DA SILVA", FB, 9)
        doc.text(40, 54, "2306****1234", F, 8)
        doc.text(200, 54, ddmmyyyy(due), F, 8)
        doc.text(330, 54, f"R$ {brl(total)}", F, 8)
        doc.rtext(555, 820, f"{n}/{m}", F, 7)
    doc.every_page(furniture)
    obj = facts.to_json(printed=total, computed=-sum(c for c in facts.cents if c < 0) - antecipado,
                        extra={"note": "computed = −Σ charge rows (Σ Total CARTÃO) − VALOR ANTECIPADO (0,00): "
                               "there is no previous-bill line and the credit row PAGAMENTO ON LINE "
                               "(payment of the previous bill) is in none of the printed figures"})
    emit(doc, "inter", "inter-fatura-pdf-2025-10", obj, creator="Chromium", producer="pdfcpu v0.8.0 dev")


def inter_fatura_2023():
    """§2.3, 2023 layout: VENCIMENTO / date, TOTAL DESSA FATURA / R$, a resumo with the previous
    bill; `CARTÃO 2306    NNNN`, DATA | MOVIMENTAÇÃO | VALOR, `28 abr 2023` rows, credits
    `+ R$`, `VALOR TOTAL CARTÃO2306    NNNN` glued."""
    due = D("2023-07-07")
    prev = 106266
    rows = [
        (D("2023-04-28"), "Drogaria Exemplo Parcela 02 De 02", -3424),
        (D("2023-05-30"), "Supermercado Exemplo", -21870),
        (D("2023-06-02"), "Posto Exemplo", -15000),
        (D("2023-06-05"), "Restaurante Sabor", -8950),
        (D("2023-06-07"), "Pagto Debito Automatico", 106266),
        (D("2023-06-10"), "Loja Modelo Parcela 01 De 04", -12475),
        (D("2023-06-14"), "Padaria Central", -2315),
        (D("2023-06-18"), "Farmacia Exemplo", -6790),
        (D("2023-06-21"), "Estorno Loja Modelo", 4990),
        (D("2023-06-22"), "Uber Trip", -2736),
        (D("2023-06-25"), "Cinema Exemplo", -6400),
    ]
    charges = -sum(c for _d, _t, c in rows if c < 0)
    credits_other = sum(c for _d, t, c in rows if c > 0 and not t.startswith("Pagto"))
    pagos = sum(c for _d, t, c in rows if t.startswith("Pagto"))
    despesas = charges - credits_other
    card_total = despesas
    total = prev - pagos + 0 + despesas
    facts = Facts("inter-fatura-pdf-2023", "inter", "fatura", due)
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 110, "VENCIMENTO", F, 8)
    doc.text(40, 124, ddmmyyyy(due), FB, 12)
    doc.text(200, 110, "TOTAL DESSA FATURA", F, 8)
    doc.text(200, 126, f"R$ {brl(total)}", FB, 16)
    doc.text(400, 110, "LIMITE TOTAL", F, 8)
    doc.text(400, 124, "R$ 3.000,00", FB, 10)
    doc.text(40, 170, "Resumo da fatura", FB, 11)
    for i, (label, v) in enumerate((("Valor da fatura anterior", f"R$ {brl(prev)}"),
                                    ("Pagamentos realizados", f"- R$ {brl(pagos)}"),
                                    ("Valor antecipado", "+ R$ 0,00"),
                                    ("DESPESAS DO MÊS", f"+ R$ {brl(despesas)}"),
                                    ("TOTAL DESSA FATURA", f"R$ {brl(total)}"))):
        doc.text(40, 190 + i * 15, label, FB if i == 4 else F, 8.5)
        doc.rtext(330, 190 + i * 15, v, FB if i == 4 else F, 8.5)
    doc.new_page()
    y = 110
    doc.text(40, y, "CARTÃO 2306", FB, 9)
    doc.text(115, y, "1234", FB, 9)
    y += 18
    doc.text(40, y, "DATA", FB, 8)
    doc.text(120, y, "MOVIMENTAÇÃO", FB, 8)
    doc.rtext(555, y, "VALOR", FB, 8)
    for d, t, c in rows:
        y += 16
        doc.text(40, y, f"{d.day:02d} {MES_LOW[d.month - 1]} {d.year}", F, 8)
        doc.text(120, y, t, F, 8)
        doc.rtext(555, y, f"+ R$ {brl(c)}" if c > 0 else f"R$ {brl(c)}", F, 8)
        facts.add(d, t, c)
    y += 20
    lbl = "VALOR TOTAL CARTÃO"
    doc.text(40, y, lbl, FB, 8.5)
    doc.text(40 + width(lbl, FB, 8.5), y, "2306", FB, 8.5)  # glued, as pdftotext shows it
    doc.text(160, y, "1234", FB, 8.5)
    doc.rtext(555, y, f"R$ {brl(card_total)}", FB, 8.5)
    y += 40
    doc.text(40, y, "Próxima fatura", FB, 10)
    for a, b, v in (("Loja Modelo", "Parcela 02 De 04", "R$ 124,75"),):
        y += 16
        doc.text(120, y, a, F, 8)
        doc.text(120, y + 10, b, F, 8)
        doc.rtext(555, y + 5, v, F, 8)
    doc.new_page()
    doc.text(40, 110, "Pague com boleto", FB, 10)
    doc.text(40, 130, "07790.00116 12345.678901 23456.789012 3 94210000092870", F, 9)
    doc.text(380, 150, "VENCIMENTO", F, 7)
    doc.text(380, 162, ddmmyyyy(due), FB, 9)
    doc.text(380, 178, "VALOR DO DOCUMENTO", F, 7)
    doc.text(380, 190, f"R$ {brl(total)}", FB, 9)

    def furniture(doc, n, m):
        doc.text(40, 40, "MARIA EXEMPLO", FB, 9)
        doc.text(250, 40, "VENCIMENTO", F, 7.5)
        doc.text(380, 40, "VALOR TOTAL", F, 7.5)
        doc.text(40, 54, "2306", F, 8)
        doc.text(100, 54, "1234", F, 8)
        doc.text(250, 54, ddmmyyyy(due), F, 8)
        doc.text(380, 54, f"R$ {brl(total)}", F, 8)
    doc.every_page(furniture)
    obj = facts.to_json(printed=total, computed=bill_rule(facts, prev), extra={
        "note": "computed = Valor da fatura anterior − Σ rows (Valor antecipado 0,00)"})
    emit(doc, "inter", "inter-fatura-pdf-2023-07", obj, creator="Chromium",
         producer="Skia/PDF m86; modified using OpenPDF 1.3.26")


# ----------------------------------------------------------------------------------------------
# 2.4 C6


def c6_fatura():
    """§2.4: August 2025 bill. Page header on every page, footer N/M, the closing date
    `08/08/25` gives the year, per-card blocks with `Subtotal deste cartão`, rows `12 nov …
    Parcela 9/10   132,97` unsigned, the payment under a virtual card whose subtotal is 0,00."""
    due = D("2025-08-15")
    cards = [  # title, virtual?, rows (date, description, centavos, resumo line)
        ("C6 Carbon Final 1234 - MARIA EXEMPLO", False, [
            (D("2024-11-12"), "PG *LOJA EXEMPLO - Parcela 9/10", -13297, "buy"),
            (D("2024-07-15"), "MOVEIS MODELO - Parcela 13/18", -21500, "buy"),
            (D("2025-07-09"), "Anuidade Diferenciada - Parcela 2/12", -9800, "anuidade"),
            (D("2025-07-10"), "SUPERMERCADO EXEMPLO", -41235, "buy"),
            (D("2025-07-14"), "POSTO EXEMPLO", -20000, "buy"),
            (D("2025-07-20"), "RESTAURANTE SABOR", -15680, "buy"),
            (D("2025-07-25"), "FARMACIA EXEMPLO", -8960, "buy"),
            (D("2025-08-02"), "PADARIA CENTRAL", -3540, "buy"),
            (D("2025-08-08"), "Juros de Mora", -1230, "mora"),
            (D("2025-08-08"), "Multa Contratual", -820, "multa"),
            (D("2025-08-08"), "IOF Rotativo", -340, "iof"),
        ]),
        ("C6 Carbon Virtual Final 4321 - MARIA EXEMPLO", True, [
            (D("2025-07-13"), "AMAZON PRIME CANAIS", -3990, "buy"),
            (D("2025-07-18"), "NETFLIX.COM", -5590, "buy"),
            (D("2025-07-28"), "UBER *TRIP", -2745, "buy"),
            (D("2025-08-05"), "IFOOD *RESTAURANTE", -6470, "buy"),
        ]),
        ("C6 Platinum Virtual Final 5678 - MARIA EXEMPLO", True, [
            (D("2025-07-17"), "Pagamento Efetuado", 239891, "pay"),
        ]),
    ]
    subtot = [-sum(c for _d, _t, c, k in rows if k != "pay") for _t, _v, rows in cards]
    total = sum(subtot)

    def cat(k):
        return -sum(c for _t, _v, rows in cards for _d, _x, c, kk in rows if kk == k)
    facts = Facts("c6-fatura-pdf", "c6", "fatura", due)
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 120, "Olá, Maria!", FB, 16)
    doc.text(40, 142, "Sua fatura com vencimento em Agosto", F, 12)
    doc.text(40, 158, "chegou no valor de", F, 12)
    doc.text(40, 176, f"R$ {brl(total)}.", FB, 16)
    doc.text(40, 205, "Data do vencimento: 15 de Agosto", F, 9)
    doc.rect(360, 110, 195, 110, 0.95, 0.7)
    doc.text(370, 126, "Pague com Pix", FB, 9)
    doc.text(370, 144, "Vencimento:", F, 8)
    doc.text(370, 158, f"Valor: R$ {brl(total)}", F, 8)
    doc.text(370, 172, ddmmyyyy(due), FB, 9)
    doc.text(370, 196, "Copie o código Pix no app C6 Bank", F, 7)
    y = 260
    doc.text(40, y, "Resumo da fatura", FB, 11)
    doc.text(40, y + 16, "Compras e pagamentos feitos até o fechamento desta fatura em 08/08/25.", F, 8.5)
    lines = [("Compras nacionais", cat("buy")), ("Anuidade diferenciada", cat("anuidade")),
             ("IOF sobre rotativo", cat("iof")), ("Juros de financiamento", 0), ("Juros de mora", cat("mora")),
             ("Multas por atraso", cat("multa"))]
    assert sum(v for _l, v in lines) == total
    y += 24
    for label, v in lines:
        y += 15
        doc.text(40, y, label, F, 8.5)
        doc.rtext(330, y, f"R$ {brl(v)}", F, 8.5)
    y += 20
    doc.text(40, y, f"Total a pagar R$ {brl(total)}", FB, 10)
    y += 16
    doc.text(40, y, "Saldo obrigações futuras", F, 8.5)
    doc.rtext(330, y, "R$ 4.331,72", F, 8.5)
    doc.new_page()
    y = 130
    doc.text(40, y, "Transações do cartão principal", FB, 11)

    def need(h):
        nonlocal y
        if y + h > 780:
            doc.new_page()
            y = 130

    for (title, virtual, rows), st in zip(cards, subtot):
        need(60)
        y += 28
        doc.text(40, y, title, FB, 8.5)
        if virtual:
            doc.text(300, y, "Cartão Virtual", F, 8)
        doc.rtext(555, y, f"Subtotal deste cartão R$ {brl(st)}", FB, 8.5)
        y += 14
        doc.rtext(555, y, "Valores em reais", F, 7.5)
        for d, text, c, _k in rows:
            need(16)
            y += 16
            doc.text(40, y, f"{d.day:02d} {MES_LOW[d.month - 1]}", F, 8.5)
            doc.text(85, y, text, F, 8.5)
            doc.rtext(555, y, brl(c), F, 8.5)
            facts.add(d, text, c)
        if title.startswith("C6 Carbon Virtual"):
            need(1000)  # the next card starts on a new page

    def furniture(doc, n, m):
        doc.text(40, 40, "Vencimento: 15 de Agosto", F, 8)
        doc.text(200, 40, "Débito automático: Desativado", F, 8)
        doc.text(400, 40, "MARIA EXEMPLO", FB, 8)
        doc.text(40, 53, f"Valor da fatura: R$ {brl(total)}", F, 8)
        doc.text(200, 53, "Anuidade: R$98,00", F, 8)
        doc.text(400, 53, "Cartão C6 Carbon", F, 8)
        doc.text(40, 66, "Melhor dia de compra: 9", F, 8)
        doc.rtext(555, 820, f"{n}/{m}", F, 7.5)
    doc.every_page(furniture)
    computed = -sum(c for r, c in zip(facts.rows, facts.cents) if r["description"] != "Pagamento Efetuado")
    obj = facts.to_json(printed=total, computed=computed, extra={
        "note": "computed = −Σ rows other than 'Pagamento Efetuado' (= Σ Subtotal deste cartão): C6 "
                "prints no previous-bill line and the payment's card subtotal is 0,00"})
    emit(doc, "c6", "c6-fatura-pdf-2025-08", obj, creator="PDFium", producer="PDFium")


# ----------------------------------------------------------------------------------------------
# 2.5 BTG


def btg_fatura():
    """§2.5: August 2025 bill. Every page starts with `Name | fatura de Agosto de 2025 | cartão
    final NNNN` and the greeting with the total; page 3 has the payments, then per card
    `Lançamentos do cartão …   Total do cartão: R$ …` and rows in two side-by-side columns,
    `DD Mmm  Merchant (n/N)  R$ …`, read left column then right column."""
    due = D("2025-08-17")
    prev = 160134
    pays = [(D("2025-07-18"), "Pagamento de fatura", 160134)]
    cards = [
        ("Lançamentos do cartão físico | Maria Exemplo | Final 1234", [
            (D("2025-03-15"), "Notebook Loja Exemplo (6/10)", -45990),
            (D("2025-06-26"), "Loja De Roupas (2/2)", -23950),
            (D("2025-07-14"), "Supermercado Exemplo", -38712),
            (D("2025-07-16"), "Farmacia Exemplo", -5490),
            (D("2025-07-21"), "Posto Exemplo", -10000),
            (D("2025-07-25"), "Padaria Exemplo", -9800),
            (D("2025-07-30"), "Restaurante Sabor", -14230),
            (D("2025-08-04"), "Livraria Modelo", -7990),
            (D("2025-08-12"), "Mensalidade cartão de crédito", -2000),
        ]),
        ("Lançamentos do cartão virtual | Maria Exemplo | Final 9876", [
            (D("2025-07-15"), "Streaming Exemplo", -5590),
            (D("2025-07-19"), "Aplicativo Transporte", -3120),
            (D("2025-07-27"), "Loja Online Modelo (1/3)", -33300),
            (D("2025-08-09"), "Delivery Exemplo", -6428),
            (D("2025-08-11"), "Hotel Exemplo", -142000),
        ]),
    ]
    card_tot = [-sum(c for _d, _t, c in rows) for _t, rows in cards]
    compras = sum(card_tot)
    pago = sum(c for _d, _t, c in pays)
    total = prev - pago + compras
    parcel = -sum(c for _t, rows in cards for _d, t, c in rows if t.endswith(")"))
    mens = 2000
    facts = Facts("btg-fatura-pdf", "btg", "fatura", due)
    for d, t, c in pays:
        facts.add(d, t, c)
    doc = Doc()
    F, FB = HELV, HELV_B
    # page 1
    y = 130
    doc.rect(40, y, 515, 130, 0.96, 0.7)
    for i, t in enumerate(("FATURA ATUAL", "LIMITES", "HISTÓRICO DE FATURA", "VALOR PAGO")):
        doc.text(50 + i * 128, y + 16, t, FB, 7.5)
    doc.text(50, y + 36, f"R$ {brl(total)}", FB, 12)
    doc.text(50, y + 54, "Período de compras: 13/07 até 13/08", F, 7.5)
    doc.text(50, y + 68, f"Vencimento: {ddmm(due)}", FB, 8)
    doc.text(178, y + 36, "Limite total R$ 10.000,00", F, 7.5)
    doc.text(178, y + 50, "Disponível R$ 4.112,30", F, 7.5)
    for i, (m, a, b, st) in enumerate((("Jul", "R$ 1.601,34", "R$ 1.601,34", "Paga"),
                                       ("Ago - Atual", f"R$ {brl(total)}", "", "Fechada"),
                                       ("Set - Próx.", "R$ 1.102,56", "", "Aberta"))):
        yy = y + 36 + i * 14
        doc.text(306, yy, m, F, 7.5)
        doc.text(360, yy, a, F, 7.5)
        doc.text(434, yy, b, F, 7.5)
        doc.text(500, yy, st, F, 7.5)
    # page 2
    doc.new_page()
    y = 130
    doc.text(40, y, "Mensalidade", FB, 10)
    doc.text(40, y + 15, "Mensalidade cartão de crédito R$ 20,00 cobrada na fatura deste mês.", F, 8)
    y += 50
    doc.text(40, y, "Resumo da Fatura Atual", FB, 11)
    for label, v, b in (("Lançamentos Nacionais", f"R$ {brl(compras)}", True),
                        ("Compras à vista", f"R$ {brl(compras - parcel - mens)}", False),
                        ("Compras parceladas", f"R$ {brl(parcel)}", False),
                        ("Outros valores", f"R$ {brl(mens)}", False),
                        ("Total de compras e despesas", f"R$ {brl(compras)}", True),
                        ("Saldo fatura anterior e pagamentos", "", True),
                        ("Total da fatura anterior", f"R$ {brl(prev)}", False),
                        ("Total de pagamentos feitos pelo cliente", f"-R$ {brl(pago)}", False),
                        ("Total a pagar", f"R$ {brl(total)}", True)):
        y += 16
        doc.text(40 if b else 55, y, label, FB if b else F, 8.5)
        doc.rtext(400, y, v, FB if b else F, 8.5)
    # page 3: payments and the two-column rows
    doc.new_page()
    y = 130
    doc.text(40, y, "Pagamentos feitos pelo cliente", FB, 9)
    doc.text(230, y, f"-R$ {brl(pago)}", FB, 9)
    for d, t, c in pays:
        y += 16
        doc.text(40, y, f"{d.day:02d} {MES_CAP[d.month - 1]}", F, 8)
        doc.text(90, y, t, F, 8)
        doc.rtext(330, y, f"- R$ {brl(c)}", F, 8)
    y += 26
    doc.text(40, y, "Total de compras e despesas", FB, 9)
    doc.rtext(555, y, f"R$ {brl(compras)}", FB, 9)
    CX = (40, 310)
    for (title, rows), tot in zip(cards, card_tot):
        y += 26
        doc.text(45, y, title, FB, 8)
        doc.rtext(555, y, f"Total do cartão: R$ {brl(tot)}", FB, 8)
        half = (len(rows) + 1) // 2
        for k, (d, t, c) in enumerate(rows):
            x = CX[0] if k < half else CX[1]
            yy = y + 16 * (1 + (k if k < half else k - half))
            doc.text(x, yy, f"{d.day:02d} {MES_CAP[d.month - 1]}", F, 8)
            doc.text(x + 38, yy, t, F, 8)
            doc.rtext(x + 240, yy, f"R$ {brl(c)}", F, 8)
            facts.add(d, t, c)
        y += 16 * half
    # page 4
    doc.new_page()
    y = 130
    doc.text(40, y, "Taxas e encargos", FB, 10)
    for label, v in (("Juros rotativo", "13,90% a.m."), ("Juros de mora", "1,00% a.m."),
                     ("Multa", "2,00%"), ("CET anual", "289,12%")):
        y += 15
        doc.text(40, y, label, F, 8)
        doc.rtext(300, y, v, F, 8)
    y += 30
    doc.text(40, y, "Glossário", FB, 10)
    for t in ("Total a pagar: valor total da fatura atual.",
              "Pagamento mínimo: menor valor que pode ser pago para não ficar em atraso."):
        y += 13
        doc.text(40, y, t, F, 7.5)

    def furniture(doc, n, m):
        doc.text(40, 40, "Maria Exemplo | fatura de Agosto de 2025 | cartão final 1234", F, 8)
        doc.text(40, 66, "Olá, Maria! Esta é a fatura do seu cartão BTG Pactual de", F, 11)
        doc.text(40, 82, f"Agosto no valor a pagar de R$ {brl(total)}", FB, 11)
        doc.rtext(555, 820, f"{n}/{m}", F, 7)
    doc.every_page(furniture)
    obj = facts.to_json(printed=total, computed=bill_rule(facts, prev), extra={
        "note": "computed = Total da fatura anterior − Σ rows"})
    emit(doc, "btg", "btg-fatura-pdf-2025-08", obj, creator="PDFium", producer="PDFium")


# ----------------------------------------------------------------------------------------------
# 2.6 Banco do Brasil


def cd(c):
    """BB / Caixa: 189,99 C / 25.708,82 D."""
    return f"{brl(c)} {'D' if c < 0 else 'C'}"


def bb_extrato():
    """§2.6.a: `Extrato de conta corrente - Autorizável`, 1-10 October 2025, ~12 pages. Page 1
    only has the header; later pages are bare rows with other offsets and a smaller font. A value
    too wide for its cell prints its number on the line above the row and its C/D on the line
    below; a long Histórico splits the same way; the day-end saldo is on a day's last row (inline
    when it fits, else wrapped). Saldo Anterior first, the letter-spaced `S A L D O` last (value
    wrapped), then Lançamentos futuros (not rows)."""
    WIDE = 100000000  # from 1.000.000,00 a value does not fit its cell
    vocab = [  # histórico, lote, sign, lo, hi, detail kind
        ("Recebimento Fornecedor", "14134", 1, 5000, 900000, "cnpj"),
        ("Cielo Vendas Crédito", "14024", 1, 100, 90000, None),
        ("Cielo Vendas Débito", "14025", 1, 100, 40000, None),
        ("Pix - Recebido", "14180", 1, 1000, 300000, "pix"),
        ("Pix - Enviado", "14181", -1, 1000, 200000, "pix"),
        ("TED", "13105", -1, 50000, 2500000, None),
        ("Débito Autorizado", "13356", -1, 10000, 9000000, None),
        ("Pagamento de Boleto", "13113", -1, 5000, 500000, "cobranca"),
        ("Transferência enviada", "13888", -1, 10000, 800000, "conta"),
    ]
    names = ["EMPRESA EXEMPLO DE", "FULANO DE TAL", "COMERCIO MODELO LTDA", "ANA MODELO SOUZA",
             "DISTRIBUIDORA FICTICIA", "MARIA EXEMPLO"]
    rng = random.Random("bb")
    days = weekdays(D("2025-10-01"), D("2025-10-10"))
    opening = 10000000
    bal = opening
    rows = []  # (date, histórico, lote, doc, centavos, detail, split)
    for di, d in enumerate(days):
        n = rng.randint(54, 62)
        for k in range(n):
            if k == 2 and di % 3 == 0:  # a wide credit whose Histórico also splits
                rows.append((d, "ORPAG ORIGEM EXTERIOR", "14305", f"{rng.randint(10, 99)}.000.001",
                             rng.randint(100000000, 250000000), None, ("ORPAG ORIGEM", "EXTERIOR")))
            elif bal > 150000000 and rng.random() < 0.05:  # a wide debit: its value wraps
                rows.append((d, rng.choice(["TED", "Débito Autorizado"]), "13105",
                             f"{rng.randint(100, 999)}.999", -rng.randint(WIDE, min(bal - 20000000, 250000000)),
                             None, None))
            elif k == n - 1:  # a day ends on a small row
                rows.append((d, "Tarifa Pacote de Serviços", "13420", f"{rng.randint(100, 999)}",
                             -rng.randint(500, 9900), None, None))
            else:
                h, lote, sign, lo, hi, det = rng.choice(vocab)
                c = sign * rng.randint(lo, hi)
                if bal + c < 0:
                    c = -c
                    h, lote, det = "Recebimento Fornecedor", "14134", "cnpj"
                doc_n = f"{rng.randint(1, 999)}.{rng.randint(0, 999):03d}" if rng.random() < 0.7 else str(rng.randint(100, 999))
                detail = None
                nm = rng.choice(names)
                if det == "cnpj":
                    detail = f"{rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}/0001-{rng.randint(10, 99)} {nm}"
                elif det == "pix":
                    detail = f"{ddmm(d)} {rng.randint(7, 20):02d}:{rng.randint(0, 59):02d} {nm}"
                elif det == "cobranca":
                    detail = f"Cobrança referente {ddmmyyyy(d)}"
                elif det == "conta":
                    detail = f"341 {rng.randint(1000, 9999)} {rng.randint(10000, 99999)}-{rng.randint(0, 9)} {nm}"
                rows.append((d, h, lote, doc_n, c, detail, None))
            bal += rows[-1][4]
    facts = Facts("bb-extrato-pdf", "bb", "extrato")
    closing = opening + sum(r[4] for r in rows)

    doc = Doc()
    F, FB = HELV, HELV_B
    doc.rtext(560, 40, "Autenticação: 4F2A.91C3.7B0D.E5A8.36F1", F, 7)
    doc.rtext(560, 50, "10/10/2025 18:42:11", F, 7)
    doc.text(40, 70, "Extrato de conta corrente - Autorizável", FB, 11)
    doc.text(40, 92, "Cliente - Conta atual", FB, 8)
    doc.text(40, 104, "Agência", F, 8)
    doc.text(150, 104, "1234-5", F, 8)
    doc.text(40, 116, "Conta corrente", F, 8)
    acct = "123456-7"
    doc.text(150, 116, acct, F, 8)
    doc.text(150 + width(acct, F, 8), 116, "EMPRESA EXEMPLO LTDA", F, 8)  # glued
    doc.text(40, 128, "Período do extrato", F, 8)
    doc.text(150, 128, "de 01 / 10 / 2025 até 10 / 10 / 2025", F, 8)
    doc.text(40, 150, "Lançamentos", FB, 9)
    geo1 = dict(bal=45, mov=105, ag=160, lote=192, hist=228, doc=420, val=492, sal=562, size=7.5)
    geo2 = dict(bal=30, mov=84, ag=132, lote=160, hist=192, doc=372, val=452, sal=535, size=7)
    g = geo1
    hy = 168
    for k, t in (("bal", "Dt. balancete"), ("mov", "Dt. movimento"), ("lote", "Lote"), ("hist", "Histórico")):
        doc.text(g[k] - (8 if k == "mov" else 0), hy, t, FB, 7)
    doc.text(g["ag"] - 4, hy - 8, "Ag.", FB, 7)
    doc.text(g["ag"] - 4, hy + 8, "origem", FB, 7)
    doc.rtext(g["doc"], hy, "Documento", FB, 7)
    doc.rtext(g["val"], hy, "Valor R$", FB, 7)
    doc.rtext(g["sal"], hy, "Saldo", FB, 7)
    doc.line(40, hy + 13, 560, hy + 13)
    y = hy + 32
    bottom = 805
    pitch = 11

    def money_at(xr, yy, c, wrapped):
        s = g["size"]
        if not wrapped:
            doc.rtext(xr, yy, cd(c), F, s)
        else:  # number above, C/D below, both right-aligned in the cell
            doc.rtext(xr - width(" D", F, s), yy - 7, brl(c), F, s)
            doc.rtext(xr, yy + 7, "D" if c < 0 else "C", F, s)

    def block(d, hist, lote, doc_n, c, saldo, detail=None, split=None, spaced=False):
        nonlocal y, g
        wide_v = c is not None and abs(c) >= WIDE
        wide_s = saldo is not None and (abs(saldo) >= WIDE or spaced)
        tall = wide_v or wide_s or split
        h = pitch + (pitch if tall else 0) + (pitch if detail else 0)
        if y + h > bottom:
            doc.new_page()
            g = geo2
            y = 40
        if tall:
            y += 7
        s = g["size"]
        doc.text(g["bal"], y, ddmmyyyy(d), F, s)
        doc.text(g["ag"], y, "0000", F, s)
        doc.text(g["lote"], y, lote, F, s)
        if spaced:
            doc.spaced(g["hist"], y, hist, F, s, random.Random(hist), spread=(0.2, 0.24, 0.22))
        elif split:
            doc.text(g["hist"], y - 7, split[0], F, s)
            doc.text(g["hist"], y + 7, split[1], F, s)
        else:
            doc.text(g["hist"], y, hist, F, s)
        doc.rtext(g["doc"], y, doc_n, F, s)
        if c is not None:
            money_at(g["val"], y, c, wide_v)
        if saldo is not None:
            money_at(g["sal"], y, saldo, wide_s)
        y += pitch + (7 if tall else 0)
        if detail:
            doc.text(g["hist"], y - 2, detail, F, s - 0.5)
            y += pitch

    block(D("2025-09-30"), "Saldo Anterior", "00000", "", opening, opening)
    bal = opening
    for i, (d, hist, lote, doc_n, c, detail, split) in enumerate(rows):
        bal += c
        last = i + 1 == len(rows) or rows[i + 1][0] != d
        block(d, hist, lote, doc_n, c, bal if last else None, detail, split)
        facts.add(d, hist, c, bal if last else None)
    block(days[-1], "S A L D O", "00000", "", None, closing, spaced=True)
    y += 20
    if y > 700:
        doc.new_page()
        y = 40
    doc.text(40, y, "Lançamentos futuros", FB, 8)
    y += 12
    for x, t in ((40, "Data"), (110, "Lançamento"), (300, "Documento"), (400, "Valor"), (480, "Total diário")):
        doc.text(x, y, t, FB, 7)
    for d, t, dn, c in (("13/10/2025", "Pagamento de Boleto", "123.456", -13920),
                        ("15/10/2025", "Débito Autorizado", "28.000.002", -455000)):
        y += 11
        doc.text(40, y, d, F, 7)
        doc.text(110, y, t, F, 7)
        doc.text(300, y, dn, F, 7)
        doc.text(400, y, cd(c), F, 7)
        doc.text(480, y, f"R$ {cd(c)}", F, 7)
    y += 20
    doc.text(40, y, "Saldo Aprovisionado no Dia", F, 7.5)
    doc.rtext(300, y, cd(closing - 13920), F, 7.5)
    y += 11
    doc.text(40, y, "Saldo", F, 7.5)
    doc.rtext(300, y, cd(closing), F, 7.5)
    y += 11
    doc.text(40, y, "Limite Cheque Especial", F, 7.5)
    doc.rtext(300, y, cd(5000000), F, 7.5)
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening,
                        closing=closing, extra={"note": "balance = the day-end saldo printed on a day's "
                                                "last row (inline or wrapped); opening = Saldo Anterior, "
                                                "closing = the S A L D O row"})
    emit(doc, "bb", "bb-extrato-pdf-2025-10", obj, producer="iText 2.0.8 (by lowagie.com)")


# ----------------------------------------------------------------------------------------------
# 2.7 Bradesco


def bradesco_extrato():
    """§2.7.a: `Extrato Mensal / Por Período`. Header on every page (Folha N/M); the Lançamento
    printed on two lines, above and below the number line; the date only on a day's first number
    line; credits and debits in their own columns, a running saldo on every row. At a page break
    the last row of a page has its detail line on the number line and the first row of the next
    page its type line. A `Total` line, then `Últimos Lançamentos`, a second table with its own
    SALDO ANTERIOR that does not continue from the first; `Saldos Invest Fácil / Plus` last."""
    vocab = [("DEP ETV DINHEIRO", "5 - LOJA CENTRO", 1, 50000, 900000),
             ("TRANSF CC PARA CC PJ", "EMPRESA EXEMPLO LTDA", -1, 100000, 10000000),
             ("TRANSF CC PARA CC PJ", "DISTRIBUIDORA MODELO", 1, 100000, 5000000),
             ("TRANSF.MMA.TITULARIDADE*", "EMPRESA EXEMPLO LTDA", -1, 50000, 2000000),
             ("TARIFA BANCARIA", "BASICO II", -1, 4500, 9500),
             ("REC NUMERARIO ONLINE", None, 1, 20000, 400000),
             ("PIX RECEBIDO", "FULANO DE TAL", 1, 1000, 150000)]
    rng = random.Random("bradesco")

    def table(first, last, opening, per_day):
        out, bal = [], opening
        for d in weekdays(first, last) if first.weekday() < 5 else [first]:
            for _ in range(rng.randint(*per_day)):
                t, det, sign, lo, hi = rng.choice(vocab)
                c = sign * rng.randint(lo, hi)
                if bal + c < 0:
                    t, det, c = "DEP ETV DINHEIRO", "5 - LOJA CENTRO", -c
                bal += c
                out.append((d, t, det, f"{rng.randint(900, 9000000)}", c, bal))
        return out
    t1_open = 10051407
    t1 = table(D("2025-10-01"), D("2025-10-03"), t1_open, (11, 14))
    t2_open = 2345678  # Últimos Lançamentos: its own SALDO ANTERIOR, not t1's last saldo
    t2 = table(D("2025-10-06"), D("2025-10-06"), t2_open, (6, 9))
    assert t2_open != t1[-1][5]
    doc = Doc()
    F, FB = HELV, HELV_B
    X = dict(d=40, l=100, n=285, c=390, b=470, s=555)
    doc.text(40, 100, "Agência | Conta", FB, 8)
    doc.text(250, 100, "Total Disponível (R$)", FB, 8)
    doc.text(420, 100, "Total (R$)", FB, 8)
    doc.text(40, 112, "1234 | 0012345-6", F, 8)
    doc.text(250, 112, brl(t2[-1][5]), F, 8)
    doc.text(420, 112, brl(t2[-1][5]), F, 8)
    doc.text(40, 134, "Extrato de: Ag: 1234 | CC: 0012345-6 | Entre 01/10/2025 e 05/10/2025", FB, 8.5)
    y = 160

    def head():
        nonlocal y
        doc.text(X["d"], y, "Data", FB, 7.5)
        doc.text(X["l"], y, "Lançamento", FB, 7.5)
        doc.text(X["n"], y, "Dcto.", FB, 7.5)
        doc.rtext(X["c"], y, "Crédito (R$)", FB, 7.5)
        doc.rtext(X["b"], y, "Débito (R$)", FB, 7.5)
        doc.rtext(X["s"], y, "Saldo (R$)", FB, 7.5)
        y += 16
    BOTTOM, BLOCK = 790, 28

    def rows_out(rows, facts, start_date, opening):
        nonlocal y
        doc.text(X["d"], y, ddmmyyyy(start_date), F, 7.5)
        doc.text(X["l"], y, "SALDO ANTERIOR", F, 7.5)
        doc.rtext(X["s"], y, brl(opening), F, 7.5)
        y += 18
        prev_d = None
        first_on_page = False
        for i, (d, t, det, dcto, c, bal) in enumerate(rows):
            if y + BLOCK > BOTTOM:
                doc.new_page()
                y = 120
                head()
                first_on_page = True
            last_on_page = det and y + 2 * BLOCK > BOTTOM
            yn = y + 9
            if d != prev_d or first_on_page:
                doc.text(X["d"], yn, ddmmyyyy(d), F, 7.5)
            prev_d = d
            if det is None:
                doc.text(X["l"], yn, t, F, 7.5)
            elif first_on_page:       # the type lands on the number line
                doc.text(X["l"], yn, t, F, 7.5)
                doc.text(X["l"], yn + 9, det, F, 7.5)
            elif last_on_page:        # the detail lands on the number line
                doc.text(X["l"], yn - 9, t, F, 7.5)
                doc.text(X["l"], yn, det, F, 7.5)
            else:
                doc.text(X["l"], yn - 9, t, F, 7.5)
                doc.text(X["l"], yn + 9, det, F, 7.5)
            first_on_page = False
            doc.text(X["n"], yn, dcto, F, 7.5)
            doc.rtext(X["c"] if c > 0 else X["b"], yn, sbrl(c), F, 7.5)
            doc.rtext(X["s"], yn, sbrl(bal), F, 7.5)
            facts.add(d, t + (" " + det if det else ""), c, bal)
            y += BLOCK if det else 16
        cr = sum(r[4] for r in rows if r[4] > 0)
        db = sum(r[4] for r in rows if r[4] < 0)
        y += 6
        doc.text(X["d"], y, "Total", FB, 7.5)
        doc.rtext(X["c"], y, brl(cr), FB, 7.5)
        doc.rtext(X["b"], y, sbrl(db), FB, 7.5)
        doc.rtext(X["s"], y, sbrl(rows[-1][5]), FB, 7.5)
        y += 14
        doc.text(X["d"], y, "Os dados acima têm como base 06/10/2025 às 10h15 e podem sofrer alterações.", F, 7)
        y += 24

    facts = Facts("bradesco-extrato-pdf", "bradesco", "extrato")
    head()
    rows_out(t1, facts, D("2025-09-30"), t1_open)
    n1 = len(facts.rows)
    if y > 650:
        doc.new_page()
        y = 120
    doc.text(X["d"], y, "Últimos Lançamentos", FB, 9)
    y += 16
    head()
    rows_out(t2, facts, D("2025-10-03"), t2_open)
    y += 10
    doc.text(X["d"], y, "Saldos Invest Fácil / Plus", FB, 8.5)
    for label, v in (("Saldo Invest Fácil", "12.345,67"), ("Rendimento no mês", "45,12")):
        y += 12
        doc.text(X["d"], y, label, F, 7.5)
        doc.rtext(X["s"], y, v, F, 7.5)

    def furniture(doc, n, m):
        doc.text(40, 40, "Extrato Mensal / Por Período", FB, 10)
        doc.rtext(555, 40, f"Folha {n}/{m}", F, 8)
        doc.text(40, 54, "EMPRESA EXEMPLO LTDA | CNPJ: 12.345.678/0001-90", F, 8)
        doc.text(40, 66, "Nome do usuário: FULANO DE TAL", F, 8)
        doc.text(40, 78, "Data da operação: 06/10/2025 - 10h15", F, 8)
    doc.every_page(furniture)
    s1, s2 = sum(facts.cents[:n1]), sum(facts.cents[n1:])
    obj = facts.to_json(printed=t1[-1][5], computed=t1_open + s1, opening=t1_open, closing=t1[-1][5], extra={
        "note": "two tables: the period (Entre 01/10/2025 e 05/10/2025) and Últimos Lançamentos, whose "
                "SALDO ANTERIOR does not continue from the first table. opening/closing/reconciliation "
                "are the first table's; 'sections' gives both. Description = type line + detail line.",
        "sections": [
            {"title": "Extrato", "rows": n1, "opening_balance": dec(t1_open), "closing_balance": dec(t1[-1][5]),
             "computed": dec(t1_open + s1)},
            {"title": "Últimos Lançamentos", "rows": len(facts.rows) - n1, "opening_balance": dec(t2_open),
             "closing_balance": dec(t2[-1][5]), "computed": dec(t2_open + s2)}]})
    emit(doc, "bradesco", "bradesco-extrato-pdf-2025-10", obj, producer="iText 2.0.8 (by lowagie.com)")


# ----------------------------------------------------------------------------------------------
# 2.8 Caixa


def caixa_extrato():
    """§2.8: `Extrato Histórico da Conta`. Product name printed over itself, SALDO ANTERIOR
    without a date, rows 2-3 blank lines apart with amount and saldo both C/D, a day's rows not in
    time order, `CNPJ NAME` detail lines, the `Consulta realizada em … Página N de M` footer on
    every page."""
    rng = random.Random("caixa")
    vocab = [("SAFR MC CC", 1, 50000, 3000000, None), ("TRANSF RECURSO AGENCIA", -1, 50000, 3000000, None),
             ("RECEBIMENTO TED", 1, 5000, 500000, "cnpj"), ("PAG BOLETO", -1, 5000, 200000, "cnpj"),
             ("CRED PIX", 1, 1000, 80000, "cnpj"), ("DEB PIX", -1, 1000, 90000, "cnpj"),
             ("TARIFA CESTA", -1, 3500, 9000, None), ("VISA ELECTRON CC", 1, 10000, 900000, None)]
    names = ["EMPRESA EXEMPLO S A", "COMERCIO MODELO LTDA", "FULANO DE TAL", "DISTRIBUIDORA FICTICIA"]
    opening = 0
    bal = opening
    facts = Facts("caixa-extrato-pdf", "caixa", "extrato")
    rows = []
    for d in weekdays(D("2025-10-01"), D("2025-10-08")):
        for _ in range(rng.randint(3, 6)):
            h, sign, lo, hi, det = rng.choice(vocab)
            c = sign * rng.randint(lo, hi)
            if bal + c < 0:
                h, c, det = "SAFR MC CC", -c, None
            bal += c
            detail = (f"{rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}/0002-"
                      f"{rng.randint(10, 99)} {rng.choice(names)}") if det else None
            rows.append((d, f"{ddmm(d)} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                         f"{rng.randint(1, 999999):09d}", h, c, bal, detail))
    closing = bal
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 50, "Extrato Histórico da Conta", FB, 12)
    doc.text(40, 76, "Periodo", FB, 7.5)
    doc.text(170, 76, "Unidade", FB, 7.5)
    doc.text(250, 76, "Nome da Unidade", FB, 7.5)
    doc.text(40, 88, "01/10/2025 - 31/10/2025", F, 7.5)
    doc.text(170, 88, "01234", F, 7.5)
    doc.text(250, 88, "AG EXEMPLO CENTRO, SP", F, 7.5)
    doc.text(40, 106, "Conta", FB, 7.5)
    doc.text(170, 106, "Nome do produto", FB, 7.5)
    doc.text(400, 106, "CPF/CNPJ do Titular", FB, 7.5)
    doc.text(40, 118, "01234.003.00012345-6", F, 7.5)
    doc.text(170, 118, "CONTA", F, 7.5)  # the product name printed over itself
    doc.text(170 + width("CONTA  ", F, 7.5) + 1, 118, "CONTA CORRENTE PESSOA JURIDICA", F, 7.5)
    doc.text(400, 118, "12.345.678/0001-90", F, 7.5)
    doc.text(40, 136, "Titular", FB, 7.5)
    doc.text(40, 148, "EMPRESA EXEMPLO LTDA", F, 7.5)
    X = dict(d=40, h=98, n=160, t=222, v=455, s=555)

    def head(y):
        for k, t in (("d", "Data Mov."), ("h", "Data e Hora"), ("n", "Nr.Doc."), ("t", "Histórico")):
            doc.text(X[k], y, t, FB, 7.5)
        doc.rtext(X["v"], y, "Valor", FB, 7.5)
        doc.rtext(X["s"], y, "Saldo", FB, 7.5)
    head(175)
    y = 195
    doc.text(X["t"], y, "SALDO ANTERIOR", F, 7.5)
    doc.rtext(X["s"], y, cd(opening), F, 7.5)
    for d, dh, nd, h, c, b, detail in rows:
        y += 30
        if y + 14 > 780:
            doc.new_page()
            head(60)
            y = 85
        doc.text(X["d"], y, ddmmyyyy(d), F, 7.5)
        doc.text(X["h"], y, dh, F, 7.5)
        doc.text(X["n"], y, nd, F, 7.5)
        doc.text(X["t"], y, h, F, 7.5)
        doc.rtext(X["v"], y, cd(c), F, 7.5)
        doc.rtext(X["s"], y, cd(b), F, 7.5)
        if detail:
            doc.text(X["n"] + 5, y + 11, detail, F, 7)
        facts.add(d, h, c, b)

    def furniture(doc, n, m):
        doc.text(40, 815, "Consulta realizada em 04/11/2025 as 11:19:04 por C000000 unidade 0000", F, 7)
        doc.rtext(555, 815, f"Página {n} de {m}", F, 7)
    doc.every_page(furniture)
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening, closing=closing,
                        extra={"note": "closing = the last row's saldo (no closing-balance line)"})
    emit(doc, "caixa", "caixa-extrato-pdf-2025-10", obj,
         creator="JasperReports Library version 6.2.0", producer="iText 2.1.7 by 1T3XT")


# ----------------------------------------------------------------------------------------------
# 2.9 Santander


def santander_extrato():
    """§2.9: a one-day PJ extrato re-printed from Excel. Only page 1 has AGENCIA/CONTA and the
    header. The Histórico cell overflows: the document glued to the value
    (`1234/0001234561.036,00`, `REDE-CABAL DEB28,93`, `CP 099-4.865,82`), the value alone on the
    next line, or the Histórico continued on a line of its own (`CONTA`). SALDO ANTERIOR 0,00, a
    saldo after the value of some ordinary rows, the last row RESGATE CONTAMAX AUTOMATICO … 0,00."""
    d = D("2025-04-01")
    rng = random.Random("santander")
    rows = []  # (histórico type, document, centavos, style, show saldo)
    fixed = [("CR COB BLOQ CONF RECEBIMENTO", "1234/000123456", 103600, "glued"),
             ("PIX RECEBIDO", "12345678900", 655, "normal"),
             ("PAGAMENTO CARTAO DE DEBITO", "REDE-CABAL DEB", 2893, "glued"),
             ("PAGAMENTO CARTAO DE DEBITO", "CIELO-ELO DEBITO", 980215, "nextline"),
             ("PIX DEVOLVIDO", "ANA MODELO FICTICIA", -2552, "nextline"),
             ("TED RECEBIDA", "12.345.678/0001-90", 4500000, "normal"),
             ("PAGAMENTO A FORNECEDORES", "CP 099", -486582, "glued"),
             ("TRANSFERENCIA ENTRE CONTAS MESMA", "", -100000, "continued")]
    for f in fixed:
        rows.append(f)
    kinds = [("PIX RECEBIDO", "cpf", 1, 500, 90000), ("PIX RECEBIDO", "cnpj", 1, 500, 900000),
             ("PAGAMENTO CARTAO DE DEBITO", "REDE-VISA DEB", 1, 500, 50000),
             ("PAGAMENTO CARTAO DE CREDITO", "CIELO-MASTER", 1, 1000, 150000),
             ("PIX ENVIADO", "FULANO DE TAL", -1, 1000, 90000),
             ("TED RECEBIDA", "cnpj", 1, 100000, 5000000)]
    for i in range(95):
        h, dk, sign, lo, hi = rng.choice(kinds)
        doc_s = {"cpf": f"{rng.randint(10**10, 10**11 - 1)}",
                 "cnpj": f"{rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}/0001-{rng.randint(10, 99)}"
                 }.get(dk, dk)
        style = rng.choice(["normal"] * 6 + ["nextline"])
        rows.append((h, doc_s, sign * rng.randint(lo, hi), style))
        if i == 40:
            rows.append(("PAGAMENTO TITULOS", "D - 000999", -434624445, "glued"))
    # the day's big debits, then the automatic redemption that brings the balance to 0,00
    bal = sum(r[2] for r in rows)
    rows.append(("PAGAMENTO A FORNECEDORES", "LOTE 0042", -(bal + 252245320), "normal"))
    bal = sum(r[2] for r in rows)
    rows.append(("RESGATE CONTAMAX AUTOMATICO", "", -bal, "normal"))
    facts = Facts("santander-extrato-pdf", "santander", "extrato")
    doc = Doc()
    F, FB, SZ = HELV, HELV_B, 8
    X = dict(d=40, h=92, doc=215, v=430, s=530)
    doc.text(40, 50, "AGENCIA", FB, SZ)
    doc.text(92, 50, "1234", F, SZ)
    doc.text(300, 50, "CONTA", FB, SZ)
    doc.text(350, 50, "123456789", F, SZ)
    doc.text(X["d"], 72, "Data", FB, SZ)
    doc.text(X["h"], 72, "Histórico", FB, SZ)
    doc.rtext(X["v"], 72, "Valor (R$)", FB, SZ)
    doc.rtext(X["s"], 72, "Saldo (R$)", FB, SZ)
    y = 90
    doc.text(X["d"], y, ddmmyyyy(d), F, SZ)
    doc.text(X["h"], y, "SALDO ANTERIOR", F, SZ)
    doc.rtext(X["s"], y, "0,00", F, SZ)
    bal = 0
    for i, (h, doc_s, c, style) in enumerate(rows):
        bal += c
        show_saldo = i in (30, 75) or i == len(rows) - 1
        h_lines = 2 if style in ("nextline", "continued") else 1
        y += 13
        if y + 13 * h_lines > 800:
            doc.new_page()
            y = 40
        doc.text(X["d"], y, ddmmyyyy(d), F, SZ)
        doc.text(X["h"], y, h, F, SZ)
        val = sbrl(c)
        if style == "glued":  # the document runs right into the value
            doc.text(X["v"] - width(val, F, SZ) - width(doc_s, F, SZ), y, doc_s, F, SZ)
        elif doc_s:
            doc.text(X["doc"] if len(h) < 22 else X["doc"] + 30, y, doc_s, F, SZ)
        if style == "nextline":
            y += 13
            doc.rtext(X["v"], y, val, F, SZ)
        elif style == "continued":
            doc.rtext(X["v"], y, val, F, SZ)
            y += 13
            doc.text(X["h"], y, "CONTA", F, SZ)
        else:
            doc.rtext(X["v"], y, val, F, SZ)
        if show_saldo:
            doc.rtext(X["s"], y, sbrl(bal), F, SZ)
        desc = f"{h} {doc_s}" if style != "continued" else f"{h} CONTA"
        facts.add(d, desc, c, bal if show_saldo else None)
    obj = facts.to_json(printed=0, computed=facts.total(), opening=0, closing=0, extra={
        "note": "description = the Histórico cell (type + document, or + its continuation line CONTA); "
                "the glued CR COB BLOQ document is 4/9 digits (1234/000123456)"})
    emit(doc, "santander", "santander-extrato-pdf-2025-04", obj,
         creator="Microsoft® Excel® para Microsoft 365", producer="Microsoft® Excel® para Microsoft 365")


# ----------------------------------------------------------------------------------------------
# 2.10 Unicred (letter-spaced text)


def unicred_fatura():
    """§2.10: August 2025 bill drawn glyph by glyph with uneven gaps, so text extraction splits
    words and numbers (MA R I A, 1 7 /jan, R$ 10.858, 22). RESUMO DA FATURA with `ENCARGOS R$ 0`,
    rows `DD/mmm  DESCRIPTION  R$ …` (credits `-R$ …`) over two pages with `Página N de M`,
    `TOTAL DE <NOME>` at the end of the list, the boleto's `Valor Cobrado 10858.22` (dot decimal)."""
    due = D("2025-08-19")
    prev = 357365
    rows = [
        (D("2025-01-17"), "AKAD SEGUROS Parc. 7/12", -32606),
        (D("2025-07-10"), "Anuidade - parcela", -7916),
        (D("2025-07-18"), "Pagamento Recebido", 357365),
        (D("2025-07-19"), "ESTORNO - Ajuste a Credito", 1160),
        (D("2025-07-11"), "IFD*55.123.456 ANA MODELO", -2712),
        (D("2025-05-24"), "LATAM AIRLINES Parc. 3/5", -125000),
        (D("2025-07-05"), "HOTEL EXEMPLO", -488000),
    ]
    rng = random.Random("unicred-rows")
    names = ["SUPERMERCADO EXEMPLO", "POSTO MODELO", "FARMACIA EXEMPLO", "RESTAURANTE SABOR",
             "PADARIA CENTRAL", "UBER *TRIP", "LIVRARIA MODELO", "MERCADO LIVRE"]
    for _ in range(24):
        rows.append((datetime.date(2025, 7, rng.randint(12, 31)), rng.choice(names), -rng.randint(1500, 30000)))
    total = prev - sum(c for _d, _t, c in rows)
    pays = sum(c for _d, t, c in rows if t.startswith("Pagamento"))
    despesas = -sum(c for _d, t, c in rows if not t.startswith("Pagamento"))
    assert total == prev - pays + despesas
    mine = -sum(c for _d, _t, c in rows)
    facts = Facts("unicred-fatura-pdf", "unicred", "fatura", due)
    doc = Doc()
    F, FB = HELV, HELV_B
    rng_s = random.Random("unicred-spacing")

    def S(x, y, text, size=8, font=F, align="left"):
        doc.spaced(x, y, text, font, size, rng_s, align=align)

    def money(c):
        return ("-" if c > 0 else "") + f"R$ {brl(c)}"
    S(50, 110, "OLÁ, MARIA!", 16, FB)
    S(50, 136, "ESTA É A FATURA DE AGOSTO", 13)
    S(50, 156, f"NO VALOR TOTAL DE R$ {brl(total)}.", 13, FB)
    S(50, 200, "VENCIMENTO", 9)
    S(210, 200, "19 AGO 2025", 9, FB)
    S(50, 222, "PAGAMENTO MÍNIMO", 9)
    S(210, 222, f"R$ {brl(minimum(total))}", 9)
    S(50, 260, "Pague até o vencimento e evite encargos.", 8)
    doc.new_page()
    S(40, 60, f"TOTAL: R$ {brl(total)}", 8, FB)
    S(210, 60, "VENCIMENTO: 19/08/2025", 8, FB)
    S(380, 60, f"PAGAMENTO MÍNIMO: R$ {brl(minimum(total))}", 8, FB)
    S(40, 110, "ENCARGOS", 10, FB)
    for i, (a, b) in enumerate((("JUROS DO ROTATIVO", "12,90% a.m."), ("JUROS DE MORA", "1,00% a.m."),
                                ("MULTA", "2,00%"), ("CET ANUAL", "312,44%"))):
        S(40, 128 + i * 13, a, 7.5)
        S(300, 128 + i * 13, b, 7.5, align="right")
    S(40, 220, "RESUMO DA FATURA", 11, FB)
    for i, (a, b) in enumerate((("TOTAL FATURA ANTERIOR", f"R$ {brl(prev)}"),
                                ("PAGAMENTOS RECEBIDOS", f"- R$ {brl(pays)}"),
                                ("DESPESAS/DÉBITOS", f"+ R$ {brl(despesas)}"),
                                ("ENCARGOS", "R$ 0"),
                                ("SALDO TOTAL", f"= R$ {brl(total)}"),
                                ("SALDO DO ROTATIVO ANTERIOR", "- R$ 0,00"))):
        S(40, 242 + i * 15, a, 8.5, FB if i == 4 else F)
        S(380, 242 + i * 15, b, 8.5, FB if i == 4 else F, align="right")
    X = dict(d=45, t=110, v=555)

    def page_head():
        S(40, 45, "MARIA EXEMPLO", 10, FB)
        S(40, 62, "REF.: ago/2025", 8)
        S(40, 90, "LANÇAMENTOS – VISA INFINITE 1234 **.******.5678", 9, FB)
        S(40, 108, "MARIA EXEMPLO", 8.5, FB)
        S(X["d"], 126, "DATA", 7.5, FB)
        S(X["t"], 126, "DESCRIÇÃO", 7.5, FB)
        S(X["v"], 126, "VALOR", 7.5, FB, align="right")
    per_page = 18
    for i, (d, t, c) in enumerate(rows):
        if i % per_page == 0:
            doc.new_page()
            page_head()
            y = 130
        y += 16
        S(X["d"], y, f"{d.day:02d}/{MES_LOW[d.month - 1]}", 8)
        S(X["t"], y, t, 8)
        S(X["v"], y, money(c), 8, align="right")
        facts.add(d, t, c)
    y += 24
    S(X["d"], y, "TOTAL DE MARIA", 8.5, FB)
    S(X["v"], y, f"R$ {brl(mine)}", 8.5, FB, align="right")
    doc.new_page()
    S(40, 80, "UNICRED", 14, FB)
    S(40, 110, "Data de Vencimento", 7.5)
    S(40, 122, ddmmyyyy(due), 9, FB)
    S(250, 110, "Valor Cobrado", 7.5)
    S(250, 122, f"{total // 100}.{total % 100:02d}", 9, FB)  # dot decimal, no thousands separator
    S(40, 150, "Pagador: MARIA EXEMPLO - CPF 123.456.789-00", 7.5)
    S(40, 162, "RUA EXEMPLO, 500 - BAIRRO MODELO - 88000-000 FLORIANOPOLIS SC", 7.5)
    S(40, 190, "13690.00012 34567.890123 45678.901234 5 11910001085822", 9)

    def furniture(doc, n, m):
        if 3 <= n < m:
            doc.spaced(480, 815, f"Página {n} de {m}", F, 7, rng_s)
    doc.every_page(furniture)
    obj = facts.to_json(printed=total, computed=bill_rule(facts, prev), extra={
        "note": "computed = TOTAL FATURA ANTERIOR − Σ rows; descriptions compare with all whitespace "
                "removed (letter-spaced text)"})
    emit(doc, "unicred", "unicred-fatura-pdf-2025-08", obj, creator="PDFium", producer="PDFium")


# ----------------------------------------------------------------------------------------------
# 2.11 Pan


def pan_fatura(name, *, meliuz):
    """§2.11: July 2023 bill of a Pan Mastercard (or a Méliuz card). Page 1: the total on five
    lines in the left column with barcode-font garbage to its right, Vencimento, the boleto with
    `CPF/CNPJ:` glued to the address. Page 3: the `Resumo da conta` sidebar on the same text lines
    as the rows; `Parcela n/N` in its own column; the list ends with `Total` (= charges = the bill
    total). Méliuz: the payment's description on the line above its date and amount."""
    due = D("2023-07-06")
    card = "Méliuz Mastercard" if meliuz else "MasterCard"
    prev = 12150
    rows = [  # date, description, instalment, centavos
        (D("2023-06-20"), "Pag Boleto Bancario" if meliuz else "Pagamento Efetuado", "", 12150),
        (D("2023-02-16"), "Htm*canteexcel", "Parcela 5/12", -2964),
        (D("2023-06-08"), "Pag*lojaexemplo", "", -6900),
        (D("2023-06-12"), "Supermercado Exemplo", "", -8735),
        (D("2023-06-18"), "Farmacia Exemplo", "", -4396),
        (D("2023-06-26"), "99app *99app", "", -1554),
        (D("2023-06-27"), "Loja Modelo", "Parcela 1/3", -3940),
    ]
    compras = -sum(c for *_x, c in rows if c < 0)
    pago = sum(c for *_x, c in rows if c > 0)
    total = prev - pago + compras
    facts = Facts("pan-fatura-pdf", "pan", "fatura", due)
    doc = Doc()
    F, FB = HELV, HELV_B
    for i, t in enumerate(("O total da", "sua fatura", "de julho", "fechou em")):
        doc.text(40, 100 + i * 18, t, F, 14)
    doc.text(40, 178, f"R$ {brl(total)}", FB, 20)
    rng = random.Random(name)
    junk = "8¬OOO¬8`S±wû§¤¦ÿ\$#@%O8S"
    for i in range(4):
        doc.text(240, 100 + i * 22, "".join(rng.choice(junk) for _ in range(38)), F, 13, 0.2)
    doc.text(40, 215, f"Pagamento mínimo: R$ {brl(minimum(total))}", F, 9)
    doc.text(40, 230, f"Vencimento: {ddmmyyyy(due)}", FB, 9)
    doc.text(40, 245, "final 1234", F, 9)
    doc.text(40, 260, "Maria Exemplo", F, 9)
    doc.line(30, 560, 565, 560, 0.5, 0.3)
    doc.text(40, 580, "Banco Pan S.A.   623-2", FB, 9)
    doc.text(200, 580, "62390.00118 23456.789013 45678.901238 1 94080000002964", F, 9)
    doc.text(40, 600, "Pagador: MARIA EXEMPLO", F, 7.5)
    lbl = "CPF/CNPJ:"
    doc.text(40, 612, lbl, F, 7.5)
    doc.text(40 + width(lbl, F, 7.5), 612, "12345678900", F, 7.5)
    doc.text(40 + width(lbl + "12345678900", F, 7.5), 612, "RUA EXEMPLO, 100 - CENTRO - 01000-000 SAO PAULO SP", F, 7.5)
    doc.text(400, 600, "Vencimento", F, 7)
    doc.text(400, 612, ddmmyyyy(due), FB, 8)
    doc.text(400, 628, "Valor do documento", F, 7)
    doc.text(400, 640, brl(total), FB, 8)
    doc.new_page()
    doc.text(40, 80, "Taxas e encargos", FB, 11)
    for i, (a, b) in enumerate((("Rotativo", "14,99% a.m."), ("Parcelamento da fatura", "9,90% a.m."),
                                ("Juros de mora", "1,00% a.m."), ("Multa", "2,00%"), ("CET", "398,12% a.a."))):
        doc.text(40, 100 + i * 14, a, F, 8.5)
        doc.text(250, 100 + i * 14, b, F, 8.5)
    doc.new_page()
    doc.text(40, 70, f"Maria Exemplo . {card} final 1234", FB, 10)
    side = ["Resumo da conta", "", "Pagamento da última fatura", f"R$ {brl(pago)}", "Saldo da última fatura",
            f"R$ {brl(prev)}", "Compras no mês", f"R$ {brl(compras)}", "Total", f"R$ {brl(total)}",
            "Compras no exterior", "R$ 0,00", "Limites do cartão", "R$ 2.000,00", "Próxima fatura", "R$ 69,04"]
    for i, t in enumerate(side):
        doc.text(40, 100 + i * 14, t, FB if i == 0 else F, 8.5 if i else 10)
    y = 114
    X = dict(d=200, t=245, p=375, v=555)
    for d, t, parc, c in rows:
        if meliuz and c > 0:  # the description on the line above the date and amount
            doc.text(X["t"], y, t, F, 8.5)
            y += 14
            doc.text(X["d"], y, ddmm(d), F, 8.5)
        else:
            doc.text(X["d"], y, ddmm(d), F, 8.5)
            doc.text(X["t"], y, t, F, 8.5)
        doc.text(X["p"], y, parc, F, 8.5)
        doc.rtext(X["v"], y, f"-R$ {brl(c)}" if c > 0 else f"R$ {brl(c)}", F, 8.5)
        facts.add(d, t + (" " + parc if parc else ""), c)
        y += 28
    doc.text(X["d"], y, "Total", FB, 8.5)
    doc.rtext(X["v"], y, f"R$ {brl(compras)}", FB, 8.5)
    obj = facts.to_json(printed=total, computed=bill_rule(facts, prev), extra={
        "note": "computed = Saldo da última fatura (sidebar) − Σ rows; description = description + "
                "its Parcela column when present"})
    emit(doc, "pan", name, obj, creator="GMC Software AG~Inspire Designer~11.0.99.0")


# ----------------------------------------------------------------------------------------------
# Generic fallback and the files a reader must refuse (§4)


def generic_extrato():
    """A bank with no layout here (Banco Exemplo Regional S.A.): a plain Data | Descrição | Valor
    table, signed amounts, Saldo anterior / Saldo final lines outside the table."""
    opening = 125000
    rng = random.Random("generic")
    vocab = [("Pix recebido - Fulano de Tal", 1), ("Pagamento de boleto - Energia", -1),
             ("Compra no débito - Mercado Exemplo", -1), ("Transferência recebida - Empresa Exemplo", 1),
             ("Tarifa de manutenção", -1), ("Pix enviado - Ana Modelo", -1)]
    rows = []
    for d in weekdays(D("2025-06-02"), D("2025-06-30")):
        if rng.random() < 0.6:
            t, sign = rng.choice(vocab)
            c = sign * rng.randint(990, 150000)
            if opening + sum(r[2] for r in rows) + c < 0:
                t, c = "Transferência recebida - Empresa Exemplo", abs(c)
            rows.append((d, t, c))
    facts = Facts("generic-pdf", "unknown", "extrato")
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 50, "Banco Exemplo Regional S.A.", FB, 14)
    doc.text(40, 68, "Extrato de Conta Corrente", F, 10)
    doc.text(40, 90, "Cliente: MARIA EXEMPLO   Agência 0101   Conta 55555-1", F, 8.5)
    doc.text(40, 102, "Período: 01/06/2025 a 30/06/2025", F, 8.5)
    doc.text(40, 126, f"Saldo anterior: R$ {sbrl(opening)}", F, 8.5)
    doc.text(40, 150, "Data", FB, 8.5)
    doc.text(110, 150, "Descrição", FB, 8.5)
    doc.rtext(540, 150, "Valor", FB, 8.5)
    y = 150
    for d, t, c in rows:
        y += 15
        doc.text(40, y, ddmmyyyy(d), F, 8.5)
        doc.text(110, y, t, F, 8.5)
        doc.rtext(540, y, sbrl(c), F, 8.5)
        facts.add(d, t, c)
    closing = opening + facts.total()
    y += 25
    doc.text(40, y, f"Saldo final: R$ {sbrl(closing)}", F, 8.5)
    doc.text(40, 815, "Banco Exemplo Regional S.A. - SAC 0800 000 0000", F, 7, 0.3)
    obj = facts.to_json(printed=closing, computed=opening + facts.total(), opening=opening, closing=closing,
                        extra={"note": "a bank with no layout in FORMATS-PDF.md: read by the generic "
                               "low-confidence fallback"})
    emit(doc, "other", "generic-pdf-2025-06", obj, creator="Exemplo Internet Banking", producer="dompdf 1.2.2 + CPDF")


def bram_fund_statement():
    """§2.7.b / §4.3: a Bradesco (BRAM) fund-position statement: Saldo Inicial / Saldo Final per
    fund, Rendimento Bruto in parentheses, aplicações / resgates 0,00. No account transactions."""
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 50, "Bradesco Asset Management", FB, 12)
    doc.text(40, 66, "Extrato Detalhado", FB, 10)
    doc.text(40, 90, "Extrato Mensal", F, 9)
    doc.rtext(555, 90, "Período: 30/04/2021 a 31/05/2021", F, 9)
    doc.text(40, 106, "Cotista: MARIA EXEMPLO   CPF: 123.456.789-00", F, 8)
    doc.text(40, 135, "Resumo dos Investimentos", FB, 10)
    for x, t in ((40, "Fundo"), (230, "CNPJ"), (330, "Saldo em 30/04/2021"), (430, "Saldo em 31/05/2021"),
                 (520, "Participação")):
        doc.text(x, 152, t, FB, 7)
    funds = [("BRADESCO FI RF EXEMPLO", "12.345.678/0001-00", "1.758.659,62", "1.756.509,47", "75,54%"),
             ("BRADESCO FIC FIM MODELO", "98.765.432/0001-11", "569.102,33", "568.760,01", "24,46%")]
    for i, f in enumerate(funds):
        for x, t in zip((40, 230, 330, 430, 520), f):
            doc.text(x, 166 + i * 12, t, F, 7)
    y = 220
    for name, _cnpj, s0, s1, _p in funds:
        doc.text(40, y, name, FB, 9)
        y += 14
        doc.text(40, y, "Movimentação", FB, 8)
        y += 12
        for x, t in ((40, "Data"), (100, "Histórico"), (200, "Aplicação"), (280, "Valor da Cota"),
                     (380, "Quantidade Cotas"), (500, "Valor Bruto")):
            doc.text(x, y, t, FB, 7)
        for d, h, cota, v in (("30/04/2021", "Saldo Inicial", "1,65622860", s0), ("31/05/2021", "Saldo Final", "1,65570170", s1)):
            y += 12
            for x, t in ((40, d), (100, h), (200, d), (280, cota), (380, "1.061.850,12345678")):
                doc.text(x, y, t, F, 7)
            doc.rtext(555, y, v, F, 7)
        y += 14
        doc.text(100, y, "Rendimento Bruto", F, 7)
        doc.rtext(555, y, "(2.150,15)" if name.endswith("EXEMPLO") else "(342,32)", F, 7)
        y += 30
    doc.new_page()
    doc.text(40, 60, "Posição por Nota", FB, 10)
    for i, t in enumerate(("Nota 000123 - Aplicação 15/03/2019 - Quantidade 1.061.850,12345678 - Valor 1.756.509,47",
                           "Nota 000456 - Aplicação 02/08/2020 - Quantidade 343.500,00000000 - Valor 568.760,01")):
        doc.text(40, 80 + i * 12, t, F, 7.5)
    doc.text(40, 130, "Resumo Detalhado", FB, 10)
    for i, (a, b) in enumerate((("Aplicações", "0,00"), ("Resgates", "0,00"), ("IR", "0,00"), ("IOF", "0,00"))):
        doc.text(40, 148 + i * 12, a, F, 8)
        doc.rtext(300, 148 + i * 12, b, F, 8)
    p = out_path("other", "n_bradesco-bram-fundo-2021-05.pdf")
    doc.save(p, producer="iLovePDF")
    WRITTEN.append(p)
    write_json("other", "n_bradesco-bram-fundo-2021-05.facts.json", {
        "error": "not_a_statement",
        "note": "BRAM fund-position statement (FORMATS-PDF §2.7.b, §4.3): balances and positions only"})


def scanned_pdf():
    """§4.1: a scan: each page is one image (a picture of a bill), no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(f"{DEJAVU_DIR}/DejaVuSans.ttf", 22)
    big = ImageFont.truetype(f"{DEJAVU_DIR}/DejaVuSans-Bold.ttf", 34)
    doc = Doc()
    rng = random.Random("scan")
    for page in range(2):
        if page:
            doc.new_page()
        im = Image.new("L", (1240, 1754), 250)
        dr = ImageDraw.Draw(im)
        if page == 0:
            dr.text((100, 120), "Itaú", font=big, fill=20)
            dr.text((100, 220), "Resumo da fatura em R$", font=font, fill=30)
            for i, (a, b) in enumerate((("Total da fatura anterior", "1.234,56"), ("Pagamento efetuado", "- 1.234,56"),
                                        ("Lançamentos atuais", "2.345,67"), ("= Total desta fatura", "2.345,67"))):
                dr.text((120, 270 + i * 40), a, font=font, fill=30)
                dr.text((700, 270 + i * 40), b, font=font, fill=30)
            dr.text((800, 120), "Vencimento: 10/06/2025", font=font, fill=30)
        else:
            dr.text((100, 120), "Lançamentos: compras e saques", font=font, fill=30)
            for i in range(30):
                dr.text((100, 180 + i * 44), f"{rng.randint(1, 28):02d}/05", font=font, fill=40)
                dr.text((220, 180 + i * 44), rng.choice(["SUPERMERCADO EXEMPLO", "POSTO EXEMPLO", "FARMACIA"]),
                        font=font, fill=40)
                dr.text((900, 180 + i * 44), brl(rng.randint(990, 40000)), font=font, fill=40)
        im = im.rotate(0.4, fillcolor=250)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=40)
        doc.image(0, 0, A4[0], A4[1], buf.getvalue())
    p = out_path("other", "n_scan-fatura-imagem.pdf")
    doc.save(p, creator="eStatements", producer="Scanner Exemplo 1.0")
    WRITTEN.append(p)
    write_json("other", "n_scan-fatura-imagem.facts.json", {
        "error": "scanned_pdf", "note": "two pages, each one JPEG image covering the page, no text layer"})


def unknown_bank_pdf():
    """§4.4: a browser print of another bank's internet banking (Banco Modelo Digital S.A.):
    labels and values on separate lines, no date/description/amount table. Refused."""
    doc = Doc()
    F, FB = HELV, HELV_B
    doc.text(40, 30, "10/6/25, 9:41 AM", F, 7)
    doc.text(300, 30, "Modelo Connect - Banco Modelo Digital S.A.", F, 7)
    doc.text(40, 70, "Banco Modelo Digital S.A.", FB, 14)
    doc.text(40, 90, "Extrato Detalhado", FB, 11)
    y = 120
    rng = random.Random("unknown")
    for i in range(6):
        for label, value in (("Data", f"0{i + 1}/10/2025"), ("Descrição", rng.choice(["Pix recebido", "TED enviada", "Tarifa"])),
                             ("Valor", f"R$ {brl(rng.randint(1000, 90000))}")):
            doc.text(40, y, label, FB, 8)
            doc.text(40, y + 12, value, F, 9)
            y += 28
        y += 10
    p = out_path("other", "n_banco-modelo-sem-tabela.pdf")
    doc.save(p, creator="Chrome", producer="Skia/PDF m141")
    WRITTEN.append(p)
    write_json("other", "n_banco-modelo-sem-tabela.facts.json", {
        "error": "unknown_format",
        "note": "Banco Modelo Digital S.A. (no layout here, FORMATS-PDF §4.4): labels and values on "
                "separate lines, no date/description/amount row on one line"})


def main():
    make_nubank()
    nubank_conta()
    make_itau()
    inter_fatura_2025()
    inter_fatura_2023()
    c6_fatura()
    btg_fatura()
    bb_extrato()
    bradesco_extrato()
    caixa_extrato()
    santander_extrato()
    unicred_fatura()
    pan_fatura("pan-fatura-pdf-2023-07", meliuz=False)
    pan_fatura("pan-fatura-pdf-2023-07-meliuz", meliuz=True)
    generic_extrato()
    bram_fund_statement()
    scanned_pdf()
    unknown_bank_pdf()
    print(f"{len(WRITTEN)} files written")


if __name__ == "__main__":
    main()
