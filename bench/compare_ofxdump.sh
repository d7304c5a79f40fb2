#!/usr/bin/env bash
# Times `bankflow convert --to json` against libofx's `ofxdump` on the same generated OFX file.
#
#   bench/compare_ofxdump.sh BUILD_DIR [N=20000]
#
# Uses hyperfine when it is installed; otherwise times with `date +%s%N`, best of 3 runs for
# bankflow and a single run for ofxdump (it needs seconds on 20000 transactions). Both outputs go
# to /dev/null through standard output, so the figures include writing but not storing the result.
# (Not `-o /dev/null`: the CLI writes OUT.part and renames it over OUT, which for /dev/null would
# try to replace the device node.) Both programs are
# checked first: bankflow's JSON must hold N transactions with the generated sum, and ofxdump must
# report N transactions (that untimed run also warms the page cache and the dynamic loader).
# Exit status: 0 done, 1 a program failed or gave a wrong answer, 2 usage or missing tool.
set -euo pipefail

usage() {
  echo "usage: $0 BUILD_DIR [N=20000]" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
build_dir=$1
n=${2:-20000}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "compare_ofxdump: N must be a positive integer" >&2; exit 2; }

bench_ofx=$build_dir/bench/bench_ofx
bankflow=$build_dir/apps/cli/bankflow
for exe in "$bench_ofx" "$bankflow"; do
  if [[ ! -x $exe ]]; then
    echo "compare_ofxdump: $exe not found; build it first:" >&2
    echo "  cmake -S . -B $build_dir -G Ninja && cmake --build $build_dir -j2" >&2
    exit 2
  fi
done
if ! command -v ofxdump >/dev/null 2>&1; then
  echo "compare_ofxdump: ofxdump not found. It is in the Debian/Ubuntu package 'ofx' (libofx):" >&2
  echo "  sudo apt-get install ofx" >&2
  exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "compare_ofxdump: python3 is needed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bankflow-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
file=$tmp/statement.ofx

# --- generate -----------------------------------------------------------------------------
"$bench_ofx" generate "$n" "$file" 2>"$tmp/generate.log" || {
  cat "$tmp/generate.log" >&2
  exit 1
}
expected_sum=$(sed -n 's/.* sum=\([^ ]*\).*/\1/p' "$tmp/generate.log")
bytes=$(wc -c <"$file" | tr -d ' ')

# --- check both programs before timing them -----------------------------------------------
if ! "$bankflow" convert --to json "$file" >"$tmp/out.json" 2>"$tmp/bankflow.log"; then
  echo "compare_ofxdump: bankflow convert failed:" >&2
  cat "$tmp/bankflow.log" >&2
  exit 1
fi
python3 - "$tmp/out.json" "$n" "$expected_sum" <<'PY' || exit 1
import json, sys
from decimal import Decimal
path, n, expected_sum = sys.argv[1], int(sys.argv[2]), Decimal(sys.argv[3])
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
txs = doc.get("transactions", [])
total = sum((Decimal(t["amount"]) for t in txs), Decimal(0))
if len(txs) != n or total != expected_sum:
    print(f"compare_ofxdump: WRONG: bankflow's JSON has {len(txs)} transactions summing to "
          f"{total}; expected {n} summing to {expected_sum}", file=sys.stderr)
    sys.exit(1)
PY

ofxdump "$file" >"$tmp/ofxdump.out" 2>/dev/null || true  # it exits non-zero on mere warnings
ofxdump_count=$(grep -c '^ofx_proc_transaction' "$tmp/ofxdump.out" || true)
if [[ $ofxdump_count -ne $n ]]; then
  echo "compare_ofxdump: ofxdump reported $ofxdump_count transactions, expected $n;" \
       "the comparison would be meaningless" >&2
  exit 1
fi

# --- time ---------------------------------------------------------------------------------
bankflow_cmd=("$bankflow" convert --to json "$file")

if command -v hyperfine >/dev/null 2>&1; then
  method="hyperfine, mean"
  q_bankflow=$(printf '%q ' "${bankflow_cmd[@]}")
  q_ofxdump="ofxdump $(printf '%q' "$file") >/dev/null 2>&1"
  hyperfine --warmup 1 --min-runs 5 --export-json "$tmp/bankflow.json" \
    "$q_bankflow >/dev/null 2>&1" >&2
  hyperfine --runs 2 --export-json "$tmp/ofxdump.json" "$q_ofxdump" >&2
  mean() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$1"; }
  bankflow_s=$(mean "$tmp/bankflow.json")
  ofxdump_s=$(mean "$tmp/ofxdump.json")
  bankflow_how="mean of hyperfine runs"
  ofxdump_how="mean of 2 hyperfine runs"
else
  method="date +%s%N"
  best_ns=
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "${bankflow_cmd[@]}" >/dev/null 2>&1 || { echo "compare_ofxdump: bankflow failed while timed" >&2; exit 1; }
    end=$(date +%s%N)
    elapsed=$((end - start))
    if [[ -z $best_ns || $elapsed -lt $best_ns ]]; then best_ns=$elapsed; fi
  done
  start=$(date +%s%N)
  ofxdump "$file" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  ofxdump_ns=$((end - start))
  bankflow_s=$(awk -v ns="$best_ns" 'BEGIN { printf "%.4f", ns / 1e9 }')
  ofxdump_s=$(awk -v ns="$ofxdump_ns" 'BEGIN { printf "%.4f", ns / 1e9 }')
  bankflow_how="best of 3 runs"
  ofxdump_how="1 run"
fi

# --- report -------------------------------------------------------------------------------
awk -v bytes="$bytes" -v n="$n" -v bf="$bankflow_s" -v od="$ofxdump_s" \
    -v bfhow="$bankflow_how" -v odhow="$ofxdump_how" -v method="$method" \
    -v odver="$(ofxdump --version 2>/dev/null | head -n 1)" 'BEGIN {
  printf "file:          %d bytes (%.2f MB), generated by bench_ofx\n", bytes, bytes / 1e6
  printf "transactions:  %d (checked in both outputs)\n", n
  printf "bankflow:      %.4f s  (convert --to json >/dev/null, %s)\n", bf, bfhow
  printf "ofxdump:       %.4f s  (%s, %s)\n", od, odver, odhow
  printf "timer:         %s\n", method
  ratio = od / bf
  if (ratio >= 10) printf "bankflow is %.0fx faster than ofxdump\n", ratio
  else if (ratio >= 1) printf "bankflow is %.1fx faster than ofxdump\n", ratio
  else printf "bankflow is %.1fx slower than ofxdump\n", 1 / ratio
}'
