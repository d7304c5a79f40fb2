#!/usr/bin/python3
"""A long Itaú `extrato mensal` PJ (FORMATS-PDF.md §2.2.e, the 548-page real case) for
bench/bench_pdf.py: the corpus layout of tests/corpus/make_pdfs.py (its Doc, fonts, geometry,
page header `extrato mensal … ag 1234 cc 12345-6 abr 2025 NNN|MMM` and control-line footer, the
page-1 sigla legend in the left margin, the two-line table header repeated on every page, the date
only on a day's first row, debits with a trailing minus, the day-end saldo on a day's last row,
Saldo anterior / Saldo em C/C / Saldo final, then investments, derivatives and notes), stretched to
about N pages of April 2025 business rows (49 table lines on page 1, 63 on the next pages).

    /usr/bin/python3 bench/make_big_pdf.py OUT.pdf [--pages 200] [--seed S]

Writes OUT.pdf and OUT.expected.json (rows, debits, credits, sum, opening, closing, pages) and
prints the latter's summary. Deterministic: the same options give the same bytes (reportlab's
invariant mode, seeded RNG). Needs python3-reportlab. Output is never committed.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus"))
import make_pdfs as mp  # noqa: E402  (fonts, Doc, brl, invariant mode)

FIRST_PAGE_LINES = 49  # y = 262 … 790, pitch 11
PAGE_LINES = 63        # y = 102 … 784

PAYEES = ["ANA MODELO", "FULANO TAL", "JOAO EXEMPLO", "MARIA FICTICIA", "PEDRO MODELO", "CLIENTE EX",
          "LOJA EXEMPLO", "TRANSP FICT", "DISTRIB MODELO", "COMERCIO EX"]
# (description template, lo, hi centavos, sign, weight)
VOCAB = [("Sispag Fornecedores {n}", 100000, 4500000, -1, 6), ("Sispag EMPRESA EXEMPLO", 50000, 3000000, 1, 4),
         ("DEV PIX {p}{dm}", 1000, 9000, -1, 5), ("PIX QRS {p}{dm}", 200, 50000, 1, 20),
         ("PIX ENVIADO {p}", 5000, 900000, -1, 10), ("TED 033.{n}.EMPRESA EX", 100000, 900000, 1, 4),
         ("TAR PIX ENVIADO", 95, 995, -1, 5), ("REND PAGO APLIC AUT", 100, 5000, 1, 1),
         ("SISPAG TRIBUTOS {n}", 100000, 800000, -1, 3), ("BOLETO PAGO FORNEC {n}", 20000, 400000, -1, 12),
         ("CIELO CRED {n}", 10000, 600000, 1, 15), ("REDE ELO CRED {n}", 5000, 300000, 1, 10),
         ("SISPAG SALARIOS {n}", 150000, 1200000, -1, 5)]


def rows_for(pages):
    """Transaction rows that fill about `pages` pages of table (the trailer may add one)."""
    lines = FIRST_PAGE_LINES + PAGE_LINES * (pages - 1)
    # less Saldo anterior; gap, Saldo em C/C, Saldo final; and ~15 lines of trailer on the last page
    return max(1, lines - 1 - 3 - 15)


def make(path, pages=200, seed="bench-pdf"):
    rng = random.Random(seed)
    n = rows_for(pages)
    days = mp.weekdays(mp.D("2025-04-01"), mp.D("2025-04-30"))
    weights = [v[4] for v in VOCAB]
    per_day = sorted(rng.randrange(len(days)) for _ in range(n))
    opening = 500000000
    bal, seen, rows = opening, set(), []
    for k in per_day:
        d = days[k]
        while True:  # (date, description, amount) unique: no row is a duplicate of another
            tpl, lo, hi, sign, _w = rng.choices(VOCAB, weights)[0]
            desc = tpl.format(n=rng.randint(1000, 9999), dm=mp.ddmm(d), p=rng.choice(PAYEES))
            c = sign * rng.randint(lo, hi)
            if bal + c < 0:  # keep the account in credit
                c = -c
            if (d, desc, c) not in seen:
                break
        seen.add((d, desc, c))
        bal += c
        rows.append((d, desc, c))
    closing = bal
    lines, b = [], opening
    for i, (d, desc, c) in enumerate(rows):
        b += c
        last = i + 1 == len(rows) or rows[i + 1][0] != d
        first = i == 0 or rows[i - 1][0] != d
        lines.append((d if first else None, desc, c, b if last else None))
    ins = sum(c for _d, _x, c in rows if c > 0)
    outs = -sum(c for _d, _x, c in rows if c < 0)

    # the drawing below is tests/corpus/make_pdfs.py itau_extrato_mensal(), row data aside
    doc = mp.Doc()
    F, FB, brl, width = mp.HELV, mp.HELV_B, mp.brl, mp.width
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
    out = [(mp.D("2025-03-31"), "Saldo anterior", None, opening)] + lines + [
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
            doc.text(X["d"], y, mp.ddmm(d), F, 7.5)
        doc.text(X["s"], y, desc, FB if c is None and d is None else F, 7.5)
        if c is not None:
            if c > 0:
                doc.rtext(X["e"], y, brl(c), F, 7.5)
            else:
                doc.text(X["o"] - width(brl(c), F, 7.5), y, brl(c) + "-", F, 7.5)
        if b is not None:
            doc.text(X["b"] - width(brl(b), F, 7.5), y, brl(b), F, 7.5)
        y += pitch
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
    npages = len(doc.pages)
    doc.save(path, creator="eStatements", producer="PDF Export")
    expected = {"format": "itau-extrato-mensal-pdf", "pages": npages, "rows": len(rows),
                "debits": sum(1 for r in rows if r[2] < 0), "credits": sum(1 for r in rows if r[2] > 0),
                "sum": mp.dec(sum(r[2] for r in rows)), "opening": mp.dec(opening), "closing": mp.dec(closing),
                "first": [rows[0][0].isoformat(), rows[0][1], mp.dec(rows[0][2])],
                "last": [rows[-1][0].isoformat(), rows[-1][1], mp.dec(rows[-1][2])]}
    with open(os.path.splitext(path)[0] + ".expected.json", "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    return expected


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--seed", default="bench-pdf")
    a = ap.parse_args()
    if a.pages < 1:
        ap.error("--pages must be at least 1")
    e = make(a.out, a.pages, a.seed)
    print(f"make_big_pdf: wrote {a.out}: bytes={os.path.getsize(a.out)} pages={e['pages']} rows={e['rows']} "
          f"debits={e['debits']} credits={e['credits']} sum={e['sum']} opening={e['opening']} closing={e['closing']}")


if __name__ == "__main__":
    main()
