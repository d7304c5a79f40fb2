#!/usr/bin/env bash
# bankflow ledger end to end on a fresh SQLite file: accounts, idempotent transfer, id conflict,
# hold + partial post, no_overdraft refusal, statement import twice, check.
# usage: cli_smoke.sh BANKFLOW_BINARY CORPUS_DIR
set -euo pipefail
bin=$1
corpus=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
l() { "$bin" ledger --db "sqlite://$dir/l.db" "$@"; }
expect() {  # expect WANTED_EXIT PATTERN -- args…
  local want=$1 pattern=$2
  shift 3
  local out rc=0
  out=$(l "$@" 2>&1) || rc=$?
  if [[ $rc -ne $want || ! $out =~ $pattern ]]; then
    echo "FAIL: ledger $* -> exit $rc (want $want): $out (want /$pattern/)"
    exit 1
  fi
}
expect 0 'ledger ready' -- init
expect 0 'bank BRL' -- account create bank
expect 0 '^exists: bank BRL' -- account create bank
expect 0 'alice BRL' -- account create alice --no-overdraft
expect 0 'shop BRL' -- account create shop
expect 1 'insufficient_funds: amount: account alice has 0.00 available, 1.00 asked' -- transfer --id t0 --from alice --to shop --amount 1.00
expect 0 'posted$' -- transfer --id t1 --from bank --to alice --amount 50.00
expect 0 '\(exists\)' -- transfer --id t1 --from bank --to alice --amount 50.00
expect 1 'id_conflict: amount' -- transfer --id t1 --from bank --to alice --amount 51.00
expect 0 'pending$' -- transfer --id h1 --from alice --to shop --amount 20 --pending --timeout 60
expect 0 'available 30.00' -- balance alice
expect 0 '5.50 posted' -- post --id p1 --pending-id h1 --amount 5.50
expect 1 'pending_resolved' -- void --id v1 --pending-id h1
expect 0 '"balance": "44.50", "posted_credits": "50.00", "posted_debits": "5.50", "pending_credits": "0.00", "pending_debits": "0.00", "available": "44.50"' -- balance alice --json
expect 0 '^ok' -- check
file=$(ls "$corpus"/itau/*.csv | head -1)
expect 0 'chk BRL' -- account create chk
expect 0 'added [1-9][0-9]* already-present 0' -- import chk "$file"
expect 0 'added 0 already-present [1-9]' -- import chk "$file" --bank itau
expect 2 'required' -- transfer --id x
expect 0 '^ok' -- check
echo ok
