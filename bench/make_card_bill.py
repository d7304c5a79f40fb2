#!/usr/bin/env python3
"""Writes a large Itaú card-bill CSV (itau-fatura-csv) of distinct rows, for bench_layouts.

bench_layouts builds its files by repeating a corpus file's rows, so each of its big files holds
a few dozen distinct transactions many thousand times over. This one has ~500,000 distinct rows
(dates over 900 days, varied merchants and amounts), which is what dedupe keys meet in a real
large file. Usage:

    python3 bench/make_card_bill.py DIR [--mb 20] [--order sorted|random]
    build/bench/bench_layouts DIR

`sorted` (default) writes newest first, as Itaú does; `random` shuffles the dates.
"""
import argparse
import datetime
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--mb", type=float, default=20)
parser.add_argument("--order", choices=["sorted", "random"], default="sorted")
args = parser.parse_args()

random.seed(7)
words = ["SUPERMERCADO", "FARMACIA", "POSTO", "RESTAURANTE", "PADARIA", "UBER", "IFOOD", "AMAZON",
         "MERCADOLIVRE", "NETFLIX", "LOJA", "CASAS", "DROGARIA", "CINEMA", "LIVRARIA", "ACADEMIA",
         "PET", "HOTEL", "ESTACIONAMENTO", "SHELL"]
start = datetime.date(2023, 1, 1)
rows, size = [], 0
while size < args.mb * 1e6:
    day = start + datetime.timedelta(days=random.randrange(0, 900))
    text = f"{random.choice(words)} {random.choice(words)} {random.randrange(1000):03d}"
    row = f"{day.isoformat()},{text},{random.randrange(1, 200000) / 100:.2f}"
    rows.append(row)
    size += len(row) + 2
if args.order == "sorted":
    rows.sort(key=lambda r: r[:10], reverse=True)
os.makedirs(args.dir, exist_ok=True)
path = os.path.join(args.dir, f"itau-fatura-{args.order}.csv")
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join(["data,lançamento,valor"] + rows) + "\r\n")
print(f"{path}: {len(rows)} rows, {size / 1e6:.1f} MB")
