#!/usr/bin/python3
"""Excel throughput: bankflow against the Python readers users reach for, on the same files, in
the same run. Writes (once, cached in the work folder) a ~10 MB, 200,000-row XLSX and a one-sheet
65,533-row BIFF8 XLS with bench/make_big_xlsx.py, then times:

  - bench_excel (bankflow's parse, best of K, and its peak RSS),
  - `bankflow convert` of the whole file to CSV (the process, wall time),
  - openpyxl in read-only mode reading every cell's value (XLSX),
  - xlrd reading every cell's value (XLS),

each in its own process, with the peak RSS of that process (wait4). Figures only.

    /usr/bin/python3 bench/bench_excel.py BUILD_DIR [--work DIR] [--rows N] [--iterations K]
"""
import argparse
import os
import pathlib
import subprocess
import sys
import time
import zipfile

HERE = pathlib.Path(__file__).resolve().parent

OPENPYXL = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        n += sum(1 for v in row if v is not None)
print(n)
"""
XLRD = """
import sys, xlrd
wb = xlrd.open_workbook(sys.argv[1])
n = 0
for ws in wb.sheets():
    for r in range(ws.nrows):
        n += sum(1 for v in ws.row_values(r) if v != '')
print(n)
"""


def run(cmd):
    """Wall seconds, peak RSS (MB) and stdout of one process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{err.decode(errors='replace')}")
    return wall, ru.ru_maxrss / 1024.0, out.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--work", default=None)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--iterations", type=int, default=5)
    args = ap.parse_args()
    build = pathlib.Path(args.build).resolve()
    work = pathlib.Path(args.work or build / "bench-excel").resolve()
    work.mkdir(parents=True, exist_ok=True)
    base = work / f"big-{args.rows}"
    xlsx, xls = base.with_suffix(".xlsx"), base.with_suffix(".xls")
    if not xlsx.exists() or not xls.exists():
        subprocess.run([sys.executable, str(HERE / "make_big_xlsx.py"), str(base), "--rows", str(args.rows),
                        "--xls-mode", "cap", "--shared"], check=True, stdout=subprocess.DEVNULL)
    with zipfile.ZipFile(xlsx) as z:
        sheet_mb = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/")) / 1e6
    bench = build / "bench" / "bench_excel"
    cli = build / "apps" / "cli" / "bankflow"
    print(f"XLSX {xlsx.name}: {xlsx.stat().st_size / 1e6:.2f} MB, worksheets {sheet_mb:.1f} MB inflated")
    print(f"XLS  {xls.name}: {xls.stat().st_size / 1e6:.2f} MB")
    print()
    print(f"{'reader':<34} {'file':<5} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    rows = []
    for path, peer, script in ((xlsx, "openpyxl (read-only)", OPENPYXL), (xls, "xlrd", XLRD)):
        size = path.stat().st_size / 1e6
        _, rss, out = run([str(bench), str(path), "--iterations", str(args.iterations)])
        fields = dict(kv.split("=", 1) for kv in out.split())
        parse_s = float(fields["best_s"])
        conv_s, conv_rss, _ = run([str(cli), "convert", str(path), "-o", str(work / (path.stem + ".csv"))])
        peer_s, peer_rss, _ = run([sys.executable, "-c", script, str(path)])
        kind = path.suffix[1:]
        rows.append((f"bankflow parse ({fields['rows']} rows)", kind, parse_s, size / parse_s, rss))
        rows.append(("bankflow convert → CSV (process)", kind, conv_s, size / conv_s, conv_rss))
        rows.append((peer, kind, peer_s, size / peer_s, peer_rss))
        for r in rows[-3:]:
            print(f"{r[0]:<34} {r[1]:<5} {r[2]:>8.3f} {r[3]:>8.1f} {r[4]:>12.1f}")
        print(f"  → bankflow parse is {peer_s / parse_s:.0f}× {peer}; convert is {peer_s / conv_s:.0f}×")
        if kind == "xlsx":
            print(f"  → parse {sheet_mb / parse_s:.0f} MB/s of worksheet XML; peak RSS {rss / sheet_mb:.2f}× the inflated sheet")
            inflate_s = float(fields["inflate_s"])
            if inflate_s > 0:
                print(f"  → zlib inflating every part and nothing else (libzip): {inflate_s:.3f} s, "
                      f"{size / inflate_s:.1f} MB/s of the file, {peer_s / inflate_s:.0f}× {peer}: "
                      f"the ceiling of any XLSX parse here")


if __name__ == "__main__":
    main()
