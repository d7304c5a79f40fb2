#!/usr/bin/env python3
"""bench/server: what Argon2id logins cost the rest of bankflow-server, printed as a table.

  python3 bench/server/bench_logins.py [--build build] [--logins 50] [--rounds 3] [--quick]

- /health latency (p50/p99/max) from one client polling back to back, first with nothing else
  running (the peer of the same run), then while `--logins` logins run in parallel (one thread
  each, every one the full Argon2id verification at OWASP's parameters, 19 MiB and t=2). The
  server hashes on its own pool, never on the HTTP threads, so the second row should stay near
  the first;
- logins per second over the burst, and the time of one login with a right password, a wrong
  one and an unknown email (the same verification either way, so the times should match).

The server runs with its defaults (2 HTTP threads) on SQLite in a temporary directory. Each
login is checked (200, or the expected 401) before any figure is printed. Python 3 stdlib only."""

import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
import server_support  # noqa: E402
from server_support import Client, Server  # noqa: E402

PASSWORD = "correct horse battery"


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def poll_health(server, stop, samples):
    """GET /health back to back on one kept-alive connection until `stop` is set."""
    conn = server.conn()
    try:
        while not stop.is_set():
            t = time.perf_counter()
            conn.request("GET", "/health")
            r = conn.getresponse()
            r.read()
            samples.append(time.perf_counter() - t)
            assert r.status == 200, r.status
    finally:
        conn.close()


def health_alone(server, seconds):
    samples, stop = [], threading.Event()
    t = threading.Thread(target=poll_health, args=(server, stop, samples))
    t.start()
    time.sleep(seconds)
    stop.set()
    t.join()
    return samples


def login(server, email, password, expect):
    c = Client(server)
    c.start_session()
    t = time.perf_counter()
    r = c.log_in(email, password)
    took = time.perf_counter() - t
    assert r.status == expect, (r.status, r.body)
    return took


def burst(server, users):
    """Every user logs in at once while /health is polled; returns (health samples, seconds)."""
    samples, stop = [], threading.Event()
    poller = threading.Thread(target=poll_health, args=(server, stop, samples))
    poller.start()
    time.sleep(0.2)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        list(pool.map(lambda u: login(server, u, PASSWORD, 200), users))
    elapsed = time.perf_counter() - started
    stop.set()
    poller.join()
    return samples, elapsed


def row(label, samples):
    ms = [s * 1000 for s in samples]
    return "| %-44s | %6d | %8.2f | %8.2f | %8.2f |" % (label, len(ms), percentile(ms, 50), percentile(ms, 99),
                                                       max(ms))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--logins", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="10 logins, one round (a smoke run)")
    args = ap.parse_args()
    if args.quick:
        args.logins, args.rounds = 10, 1
    server_support.SERVER = os.path.join(args.build, "apps", "server", "bankflow-server")
    # one address opens every client session here: its new-session limit must not get in the way
    server = Server("--provider-delay-ms", "3600000", "--sessions-per-address-per-hour", "1000000")
    try:
        users = []
        for _ in range(args.logins):
            c = Client(server)
            c.sign_up(password=PASSWORD)
            users.append(c.email)
        alone, during, rates = [], [], []
        for _ in range(args.rounds):
            alone += health_alone(server, 1.0)
            samples, elapsed = burst(server, users)
            during += samples
            rates.append(len(users) / elapsed)
        right = [login(server, users[i % len(users)], PASSWORD, 200) for i in range(5)]
        wrong = [login(server, users[i % len(users)], "not the password", 401) for i in range(5)]
        unknown = [login(server, "nobody-%d@example.com" % i, PASSWORD, 401) for i in range(5)]
        print("bankflow-server, 2 HTTP threads, SQLite; Argon2id m=19456 KiB, t=2, p=1\n")
        print("| /health latency (ms)                         |      n |      p50 |      p99 |      max |")
        print("|----------------------------------------------|--------|----------|----------|----------|")
        print(row("alone (the peer)", alone))
        print(row("during %d parallel logins (x%d)" % (args.logins, args.rounds), during))
        print()
        print("logins per second over a burst of %d: %s" % (args.logins, ", ".join("%.1f" % r for r in rates)))
        print("one login, median of 5 (ms): right password %.1f, wrong password %.1f, unknown email %.1f" % (
            1000 * sorted(right)[2], 1000 * sorted(wrong)[2], 1000 * sorted(unknown)[2]))
        print(json.dumps({"health_p99_alone_ms": round(1000 * percentile(alone, 99), 2),
                          "health_p99_during_ms": round(1000 * percentile(during, 99), 2)}))
    finally:
        server.stop()
        server.cleanup()


if __name__ == "__main__":
    main()
