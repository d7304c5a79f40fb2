#!/usr/bin/python3
"""PDF throughput: `bankflow convert` of a long Itaú `extrato mensal` PJ (FORMATS-PDF.md §2.2.e)
next to poppler's `pdftotext -layout` and pdfminer.six's `extract_text` (Debian python3-pdfminer)
on the same file, in the same run. Figures only: no timing is asserted.

    /usr/bin/python3 bench/bench_pdf.py [--pages 200] [--bankflow build/apps/cli/bankflow]
                                        [--runs 5] [--pdfminer-runs 2] [--work DIR] [--quick]

1. Writes the PDF with bench/make_big_pdf.py (deterministic; in a fresh temporary folder removed
   at the end, or reused from --work DIR when it is already there).
2. Runs each program once, untimed (this also warms the page cache), and checks it:
   `bankflow detect` names itau-extrato-mensal-pdf; `bankflow convert FILE -o OUT.csv` writes as
   many rows as the generator drew, with the same first and last rows and the same sum;
   pdftotext's and pdfminer's text have one form feed per page. A wrong answer exits 1 untimed.
3. Times each program as a whole process (wall clock, start to exit, the output written to a file
   in the work folder; and its CPU time, user + system, which moves less on a shared machine),
   the programs taking turns round after round so that the machine's noise falls on all of them:
   K runs of bankflow and pdftotext, fewer of pdfminer (it is ~20× slower). hyperfine is not used
   (it is not installed on the project's machine).
4. Prints best and median seconds, pages/s, peak RSS of each program (GNU time's %M, measured on
   the untimed run of step 2), and the ratios the issue asks for: pdfminer time / bankflow time
   (goal ≥ 20) and bankflow time / pdftotext time (goal ≤ 1.5).

pdfminer is timed as `python3 -c "extract_text(FILE)"` writing the text to a file: interpreter
start and `import pdfminer` (~0.1 s) are included, as they are when a user runs pdf2txt.py.
--quick (the test suite's smoke run): one timed run each. Exit status 0, 1 for a wrong result, 2
for a usage error, 77 when python3-reportlab is missing (nothing to measure).
"""
import argparse
import csv
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

PDFMINER = """
import sys
from pdfminer.high_level import extract_text
text = extract_text(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(text)
"""


def run(cmd):
    """stdout, stderr and exit status of one untimed process."""
    p = subprocess.run(cmd, capture_output=True)
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), p.returncode


def timed(cmd):
    """Wall seconds (start to exit) and CPU seconds (user + system, from wait4) of one process;
    exits 1 when it fails. On a shared machine the CPU time moves less than the wall time."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    if p.returncode != 0:
        sys.exit(f"bench_pdf: failed (exit {p.returncode}): {' '.join(map(str, cmd))}\n"
                 f"{err.decode(errors='replace')}")
    return wall, ru.ru_utime + ru.ru_stime


def peak_rss(cmd, work):
    """Peak RSS (MB) of one untimed run, through /usr/bin/time (GNU time's %M): its own fork, so
    the figure is the program's and not this Python process's (a child forked or vforked from
    here would start from our own RSS, and Linux keeps the high-water mark across exec)."""
    gnu_time = "/usr/bin/time"
    if not os.access(gnu_time, os.X_OK):
        timed(cmd)
        return None
    report = work / "time.out"
    timed([gnu_time, "-f", "%M", "-o", str(report)] + cmd)
    return int(report.read_text().split()[-1]) / 1024.0


def verdict(on_best, on_median):
    if on_best and on_median:
        return "met"
    if on_best or on_median:
        return "met on the best run only" if on_best else "met on the median only"
    return "not met"


def fail(msg):
    print(f"bench_pdf: WRONG: {msg}", file=sys.stderr)
    sys.exit(1)


def cents(s):
    return int((Decimal(s) * 100).to_integral_exact())


def check_csv(path, exp):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != exp["rows"]:
        fail(f"bankflow wrote {len(rows)} rows, the generator drew {exp['rows']}")
    got_sum = sum(cents(r["amount"]) for r in rows)
    if got_sum != cents(exp["sum"]):
        fail(f"the rows add up to {Decimal(got_sum) / 100}, the generator's sum is {exp['sum']}")
    for which, r in (("first", rows[0]), ("last", rows[-1])):
        got = [r["date"], r["description"], r["amount"]]
        if got != exp[which]:
            fail(f"{which} row {got}, expected {exp[which]}")
    debits = sum(1 for r in rows if r["amount"].startswith("-"))
    if debits != exp["debits"]:
        fail(f"{debits} debits, expected {exp['debits']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--bankflow", default=str(ROOT / "build" / "apps" / "cli" / "bankflow"))
    ap.add_argument("--runs", type=int, default=5, help="timed runs of bankflow and pdftotext")
    ap.add_argument("--pdfminer-runs", type=int, default=2)
    ap.add_argument("--work", default=None, help="keep (and reuse) the PDF and outputs here")
    ap.add_argument("--quick", action="store_true", help="one timed run each (smoke test)")
    args = ap.parse_args()
    if args.pages < 1 or args.runs < 1 or args.pdfminer_runs < 0:
        ap.error("--pages and --runs must be at least 1, --pdfminer-runs at least 0")
    if args.quick:
        args.runs, args.pdfminer_runs = 1, min(args.pdfminer_runs, 1)
    cli = pathlib.Path(args.bankflow).resolve()
    if not os.access(cli, os.X_OK):
        print(f"bench_pdf: {cli} is not an executable; build it (ninja -C build bankflow_cli) or pass --bankflow",
              file=sys.stderr)
        sys.exit(2)
    try:
        import reportlab  # noqa: F401
    except ImportError:
        print("bench_pdf: python3-reportlab is not installed (apt-get install python3-reportlab); skipped")
        sys.exit(77)
    pdftotext = shutil.which("pdftotext")
    try:
        import pdfminer.high_level  # noqa: F401
        have_pdfminer = args.pdfminer_runs > 0
    except ImportError:
        have_pdfminer = False
        print("bench_pdf: python3-pdfminer is not installed: pdfminer skipped")
    if not pdftotext:
        print("bench_pdf: pdftotext (poppler-utils) is not installed: pdftotext skipped")

    tmp = None
    if args.work:
        work = pathlib.Path(args.work).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bankflow-bench-pdf-")
        work = pathlib.Path(tmp.name)
    try:
        bench(args, cli, pdftotext, have_pdfminer, work)
    finally:
        if tmp:
            tmp.cleanup()


def bench(args, cli, pdftotext, have_pdfminer, work):
    pdf = work / f"itau-extrato-mensal-{args.pages}p.pdf"
    exp_path = pdf.with_suffix(".expected.json")
    if not pdf.exists() or not exp_path.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "make_big_pdf.py"), str(pdf), "--pages", str(args.pages)],
                       check=True, stdout=subprocess.DEVNULL)
        gen_s = time.perf_counter() - t0
        print(f"generated in {gen_s:.1f} s (bench/make_big_pdf.py)")
    exp = json.loads(exp_path.read_text(encoding="utf-8"))
    pages = exp["pages"]
    size = pdf.stat().st_size
    print(f"PDF {pdf.name}: {pages} pages, {exp['rows']} rows ({exp['debits']} debits, {exp['credits']} credits), "
          f"{size / 1e6:.2f} MB, Itaú extrato mensal PJ (FORMATS-PDF.md §2.2.e)")

    csv_out, txt_out, mnr_out = work / "bankflow.csv", work / "pdftotext.txt", work / "pdfminer.txt"
    tools = {"bankflow convert → CSV": [str(cli), "convert", str(pdf), "-o", str(csv_out)]}
    if pdftotext:
        tools["pdftotext -layout"] = [pdftotext, "-layout", str(pdf), str(txt_out)]
    if have_pdfminer:
        tools["pdfminer.six extract_text"] = [sys.executable, "-c", PDFMINER, str(pdf), str(mnr_out)]

    # untimed checks (and cache warm-up)
    out, err, rc = run([str(cli), "detect", str(pdf)])
    if rc != 0 or "format itau-extrato-mensal-pdf" not in out:
        fail(f"bankflow detect: {out.strip()} {err.strip()}")
    rss = {name: peak_rss(cmd, work) for name, cmd in tools.items()}
    check_csv(csv_out, exp)
    for name, path in (("pdftotext", txt_out), ("pdfminer", mnr_out)):
        if path.exists():
            ff = path.read_text(encoding="utf-8", errors="replace").count("\f")
            if ff != pages:
                fail(f"{name}'s text has {ff} form feeds for {pages} pages")
    print(f"checked: bankflow detect → itau-extrato-mensal-pdf; convert → {exp['rows']} rows, "
          f"sum {exp['sum']}, first and last rows as generated; peers' text has {pages} pages")
    print()

    times = {n: [] for n in tools}
    cpus = {n: [] for n in tools}
    for r in range(args.runs):
        for name, cmd in tools.items():
            if name.startswith("pdfminer") and r >= args.pdfminer_runs:
                continue
            w, c = timed(cmd)
            times[name].append(w)
            cpus[name].append(c)

    print(f"{'program':<27} {'runs':>4} {'best s':>8} {'median s':>9} {'pages/s best':>13} {'pages/s med':>12} "
          f"{'CPU s best':>11} {'peak RSS MB':>12}")
    best, med, cpu = {}, {}, {}
    for name, ts in times.items():
        best[name], med[name], cpu[name] = min(ts), statistics.median(ts), min(cpus[name])
        print(f"{name:<27} {len(ts):>4} {best[name]:>8.3f} {med[name]:>9.3f} {pages / best[name]:>13.1f} "
              f"{pages / med[name]:>12.1f} {cpu[name]:>11.3f} {'n/a' if rss[name] is None else f'{rss[name]:.1f}':>12}")
    bf = "bankflow convert → CSV"
    print()
    print(f"bankflow: {exp['rows'] / best[bf]:,.0f} rows/s, {size / 1e6 / best[bf]:.2f} MB/s of PDF (best run)")
    for name in tools:
        if name.startswith("pdfminer"):
            b, m, c = best[name] / best[bf], med[name] / med[bf], cpu[name] / cpu[bf]
            print(f"bankflow vs pdfminer:  {b:.1f}× faster (best), {m:.1f}× (median), {c:.1f}× (CPU)   goal ≥ 20×: "
                  f"{verdict(b >= 20, m >= 20)}")
        elif name.startswith("pdftotext"):
            b, m, c = best[bf] / best[name], med[bf] / med[name], cpu[bf] / cpu[name]
            print(f"bankflow vs pdftotext: {b:.2f}× its time (best), {m:.2f}× (median), {c:.2f}× (CPU)   goal ≤ 1.5×: "
                  f"{verdict(b <= 1.5, m <= 1.5)}")
    try:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    except OSError:
        pass


if __name__ == "__main__":
    main()
