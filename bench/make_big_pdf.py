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

    doc = mp.draw_itau_extrato_mensal(opening, closing, ins, outs, lines)
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
