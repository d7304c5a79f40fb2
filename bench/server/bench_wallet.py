#!/usr/bin/env python3
"""bench/server: the wallet API of bankflow-server end to end over HTTP, printed as a table.

  python3 bench/server/bench_wallet.py [--build build] [--deposits 400] [--quick]
                                       [--database-url URL --redis-url URL]

- deposits + confirmations per second: N deposits of 1.00 POSTed by 16 client threads over 16
  sessions; the simulated provider (delay 0) signs and POSTs each deposit.succeeded webhook back
  to the server, which verifies it, claims it in the replay guard and posts the hold. Timed from
  the first request until every wallet's balance reflects all its deposits;
- withdrawal latency under 50 concurrent clients: 50 threads each POST withdrawals of 0.01
  back to back (every one with its own Idempotency-Key) for a fixed count; p50/p99/max and
  requests per second; once with 50 wallets (one per client) and once with all 50 clients on
  one wallet (every hold serialised on one account).

The server runs with its defaults (2 HTTP threads) on SQLite in a temporary directory unless a
PostgreSQL/Redis URL is given (then a fresh schema and key prefix). Python 3 stdlib only."""

import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
import server_support  # noqa: E402
from server_support import Server  # noqa: E402
from wallet_support import WalletClient  # noqa: E402


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def cents(text):
    units, _, dec = text.partition(".")
    return int(units) * 100 + int((dec + "00")[:2])


def deposits_per_second(server, deposits, clients=16):
    wallets = [WalletClient(server) for _ in range(clients)]
    failures = []

    def run(i):
        r = wallets[i % clients].deposit("1.00")
        if r.status != 201:
            failures.append((r.status, r.body))

    started = time.time()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, range(deposits)))
    requested = time.time() - started
    expected = {i: (deposits // clients + (1 if i < deposits % clients else 0)) * 100 for i in range(clients)}
    deadline = time.time() + 300
    pending = set(range(clients))
    while pending and time.time() < deadline:
        for i in list(pending):
            if cents(wallets[i].wallet()["balance"]) == expected[i]:
                pending.discard(i)
        if pending:
            time.sleep(0.02)
    settled = time.time() - started
    if failures or pending:
        raise SystemExit("deposits failed: %r, unsettled wallets: %d" % (failures[:3], len(pending)))
    return deposits / requested, deposits / settled, settled


def withdrawal_latency(server, clients, per_client, shared_wallet):
    funder = WalletClient(server)
    wallets = []
    if shared_wallet:
        funder.deposit("%d.00" % (clients * per_client))
        funder.wait_wallet(timeout=120, pending_in="0.00")
        for _ in range(clients):
            w = WalletClient.__new__(WalletClient)
            server_support.Client.__init__(w, server)
            w.cookie, w.csrf = funder.cookie, funder.csrf
            wallets.append(w)
    else:
        wallets = [WalletClient(server) for _ in range(clients)]
        for w in wallets:
            w.deposit("%d.00" % per_client)
        for w in wallets:
            w.wait_wallet(timeout=120, pending_in="0.00")
    latencies = []
    statuses = {}
    lock = threading.Lock()

    def run(i):
        mine = []
        codes = {}
        for _ in range(per_client):
            t0 = time.perf_counter()
            r = wallets[i].withdraw("0.01")
            mine.append(time.perf_counter() - t0)
            codes[r.status] = codes.get(r.status, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    started = time.time()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, range(clients)))
    took = time.time() - started
    return (len(latencies) / took, percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000,
            max(latencies) * 1000, statuses)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--deposits", type=int, default=400)
    ap.add_argument("--per-client", type=int, default=10, help="withdrawals per client")
    ap.add_argument("--quick", action="store_true", help="small runs (a smoke test, not figures)")
    ap.add_argument("--database-url", default="", help="postgresql://… (a fresh schema is used)")
    ap.add_argument("--redis-url", default="")
    args = ap.parse_args()
    server_support.SERVER = os.path.join(args.build, "apps", "server", "bankflow-server")
    if args.quick:
        args.deposits, args.per_client = 32, 2

    extra = ["--provider-delay-ms", "0"]
    schema = None
    prefix = "bfbench:wallet:%s:" % uuid.uuid4().hex[:8]
    if args.database_url:
        schema = "bf_bench_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", args.database_url, "-q", "-c", "CREATE SCHEMA " + schema], check=True)
        sep = "&" if "?" in args.database_url else "?"
        extra += ["--database-url", args.database_url + sep + "options=-csearch_path%3D" + schema]
    if args.redis_url:
        extra += ["--redis-url", args.redis_url, "--redis-prefix", prefix]
    store = ("PostgreSQL" if args.database_url else "SQLite") + ("+Redis" if args.redis_url else "")
    server = Server(*extra)
    try:
        req_rate, loop_rate, settled = deposits_per_second(server, args.deposits)
        own = withdrawal_latency(server, 50, args.per_client, shared_wallet=False)
        shared = withdrawal_latency(server, 50, args.per_client, shared_wallet=True)
    finally:
        server.stop()
        server.cleanup()
        if schema:
            subprocess.run(["psql", args.database_url, "-q", "-c", "DROP SCHEMA %s CASCADE" % schema], check=True)
        if args.redis_url:
            keys = subprocess.run(["redis-cli", "-u", args.redis_url, "--scan", "--pattern", prefix + "*"],
                                  stdout=subprocess.PIPE, text=True).stdout.split()
            if keys:
                subprocess.run(["redis-cli", "-u", args.redis_url, "DEL", *keys], stdout=subprocess.DEVNULL)

    print("bankflow-server wallet, %s, 2 HTTP threads, simulated provider (delay 0)" % store)
    print("%-64s %12s" % ("measure", "value"))
    print("%-64s %12.1f" % ("deposit requests/s (16 clients, 201 Created)", req_rate))
    print("%-64s %12.1f" % ("deposits confirmed/s end to end (request -> webhook -> balance)", loop_rate))
    print("%-64s %12.2f" % ("  time until %d deposits were all in the balances (s)" % args.deposits, settled))
    for name, (rps, p50, p99, worst, statuses) in (("50 clients, 50 wallets", own), ("50 clients, one wallet", shared)):
        print("%-64s %12.1f" % ("withdrawals/s, %s" % name, rps))
        print("%-64s %12.1f" % ("  withdrawal p50 ms", p50))
        print("%-64s %12.1f" % ("  withdrawal p99 ms", p99))
        print("%-64s %12.1f" % ("  withdrawal max ms", worst))
        print("%-64s %12s" % ("  statuses", " ".join("%d:%d" % kv for kv in sorted(statuses.items()))))


if __name__ == "__main__":
    main()
