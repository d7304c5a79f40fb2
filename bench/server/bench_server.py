#!/usr/bin/env python3
"""bench/server: figures for bankflow-server on this machine, printed as a table.

  python3 bench/server/bench_server.py [--build build] [--seconds 10] [--quick]

- wrk on GET /health and on GET /api/v1/bank-statements/jobs/:id/status (a completed job, with
  the session cookie): requests per second and latency;
- upload-to-completed latency (POST the file, follow the SSE stream until `completed`) for a 1 MB
  and a 10 MB generated OFX statement: p50 and p99;
- SSE delivery: for every job change a stream delivers (after its first, current-state event), the
  time from the change (the job's updated_at) to its arrival at the client: p50 and p99;
- jobs per second with 1, 2 and 4 workers: 100 uploads of a 1 MB statement from 16 concurrent
  clients, from the
  first byte sent to the last job completed (every one must complete).

The server runs on SQLite with the in-process queue in a temporary directory; its JSON log goes
to a file there. Statements come from bench_ofx generate. Needs wrk (scripts/setup.sh installs it)."""

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
import server_support  # noqa: E402
from server_support import Client, Server  # noqa: E402


def generate(bench_ofx, transactions, path):
    subprocess.run([bench_ofx, "generate", str(transactions), path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def wrk(url, seconds, connections, headers=()):
    cmd = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], check=True, stdout=subprocess.PIPE, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def unix_time(iso):
    """'2026-11-22T08:04:05.123Z' -> seconds since the epoch."""
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def upload_to_completed(server, data, runs, sse_delays):
    """Upload-to-completed times; appends to sse_delays, for every change the stream delivers after
    its first (current-state) event, how long after the change (the job's updated_at) it arrived."""
    times = []
    for _ in range(runs):
        c = Client(server)
        c.start_session()
        t0 = time.perf_counter()
        r = c.upload("bench.ofx", data)
        assert r.status == 201, r.body
        seen = []
        for event in c.events(r.json()["job"]["id"], 120):
            arrived = time.time()
            if seen:
                sse_delays.append(arrived - unix_time(event["updated_at"]))
            seen.append(event)
        times.append(time.perf_counter() - t0)
        assert seen and seen[-1]["status"] == "completed", seen
    return times


def jobs_per_second(server, data, jobs, concurrency=16):
    clients = []
    for _ in range(concurrency):
        c = Client(server)
        c.start_session()
        clients.append(c)
    ids = []
    lock = threading.Lock()
    failures = []

    def uploader(c, n):
        for _ in range(n):
            r = c.upload("bench.ofx", data)
            if r.status != 201:
                failures.append(r.body)
                continue
            with lock:
                ids.append((c, r.json()["job"]["id"]))

    per = [jobs // concurrency + (1 if i < jobs % concurrency else 0) for i in range(concurrency)]
    t0 = time.perf_counter()
    threads = [threading.Thread(target=uploader, args=(c, n)) for c, n in zip(clients, per)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = 0
    for c in clients:  # every job of every session, final
        while True:
            listing = c.get("/api/v1/bank-statements/jobs").json()["jobs"]
            if all(j["status"] in ("completed", "failed") for j in listing):
                done += sum(1 for j in listing if j["status"] == "completed")
                break
            time.sleep(0.01)
    elapsed = time.perf_counter() - t0
    return done, len(failures), elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    ap.add_argument("--quick", action="store_true", help="short runs (a smoke test, not figures)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: bash scripts/setup.sh's TEST_PACKAGES has it (apt-get install wrk)")
    server_support.SERVER = os.path.join(args.build, "apps", "server", "bankflow-server")
    bench_ofx = os.path.join(args.build, "bench", "bench_ofx")
    seconds = 2 if args.quick else args.seconds
    runs = 5 if args.quick else 50
    jobs = 20 if args.quick else 100

    tmp = tempfile.mkdtemp(prefix="bankflow-bench-server-")
    rows = []
    try:
        one_mb = open(generate(bench_ofx, 6200, os.path.join(tmp, "1mb.ofx")), "rb").read()
        ten_mb = open(generate(bench_ofx, 62000, os.path.join(tmp, "10mb.ofx")), "rb").read()
        common = ["--uploads-per-hour", "1000000", "--threads", "2"]
        server = Server(*common, "--workers", "2", data_dir=os.path.join(tmp, "data"))
        try:
            base = "http://127.0.0.1:%d" % server.port
            rps, p50, p99, bad = wrk(base + "/health", seconds, 64)
            rows.append(("GET /health, wrk 2 threads 64 connections", "%.0f req/s" % rps,
                         "p50 %s, p99 %s, non-2xx %d" % (p50, p99, bad)))
            c = Client(server)
            c.start_session()
            job = c.upload("bench.ofx", one_mb).json()["job"]["id"]
            c.wait_final(job)
            rps, p50, p99, bad = wrk(base + "/api/v1/bank-statements/jobs/%s/status" % job, seconds, 64,
                                     ["Cookie: bankflow_session=" + c.cookie])
            rows.append(("GET .../jobs/:id/status (JSON), wrk 64 connections", "%.0f req/s" % rps,
                         "p50 %s, p99 %s, non-2xx %d" % (p50, p99, bad)))
            sse_delays = []
            for label, data in (("1 MB", one_mb), ("10 MB", ten_mb)):
                t = upload_to_completed(server, data, runs, sse_delays)
                rows.append(("upload → completed (SSE), %s OFX (%d bytes), %d runs" % (label, len(data), runs),
                             "p50 %.1f ms" % (statistics.median(t) * 1000),
                             "p99 %.1f ms, max %.1f ms" % (percentile(t, 99) * 1000, max(t) * 1000)))
            if sse_delays:
                # clocks: the server's updated_at and this process's time.time(), one machine
                rows.append(("SSE: a job change reaches the client after (%d changes)" % len(sse_delays),
                             "p50 %.1f ms" % (statistics.median(sse_delays) * 1000),
                             "p99 %.1f ms, max %.1f ms" % (percentile(sse_delays, 99) * 1000,
                                                           max(sse_delays) * 1000)))
        finally:
            server.stop()
        for workers in (1, 2, 4):
            server = Server(*common, "--workers", str(workers), data_dir=os.path.join(tmp, "data%d" % workers))
            try:
                done, failed, elapsed = jobs_per_second(server, one_mb, jobs)
                rows.append(("%d concurrent uploads of 1 MB, %d worker%s" % (jobs, workers, "s" if workers > 1 else ""),
                             "%.1f jobs/s" % (done / elapsed),
                             "%d/%d completed, %d refused, %.2f s" % (done, jobs, failed, elapsed)))
            finally:
                server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print("bankflow-server on %d cores (SQLite, in-process queue)%s" % (os.cpu_count(), " — QUICK, not figures" if args.quick else ""))
    for what, figure, detail in rows:
        print("  %-*s  %-14s %s" % (width, what, figure, detail))


if __name__ == "__main__":
    main()
