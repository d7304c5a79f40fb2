"""Convert a statement to CSV (and to an Excel workbook, in memory), then a deposit and a
withdrawal on a SQLite ledger.

    BANKFLOW_C_LIBRARY=/path/libbankflow_c.so python3 convert_and_ledger.py extrato.ofx
"""
import os
import sys
import tempfile

import bankflow


def main(path):
    with bankflow.Statement.open(path) as st:
        sys.stdout.write(st.to_csv())
        print(f"# {st.bank} {st.format}: {len(st.transactions())} transactions", file=sys.stderr)
        workbook = st.to_xlsx()
        assert workbook.startswith(b"PK\x03\x04"), workbook[:4]

    with tempfile.TemporaryDirectory() as tmp:
        with bankflow.Ledger("sqlite:///" + os.path.join(tmp, "ledger.db")) as ledger:
            ledger.create_account("cash")
            ledger.create_account("wallet", no_overdraft=True)
            assert not ledger.transfer("deposit-1", "cash", "wallet", 10000, reference="deposit")
            ledger.transfer("withdrawal-1", "wallet", "cash", 2550, reference="withdrawal")
            assert ledger.transfer("deposit-1", "cash", "wallet", 10000, reference="deposit")  # idempotent: already there
            try:
                ledger.transfer("withdrawal-2", "wallet", "cash", 1_000_000)
                raise SystemExit("an overdraft was accepted")
            except bankflow.BankflowError as e:
                assert e.name == "insufficient_funds", e
            balance = ledger.balance("wallet")
            assert balance == 10000 - 2550, balance
            print(f"wallet balance: {balance}")
    try:
        bankflow.Statement.parse(b"not a statement\n")
        raise SystemExit("garbage parsed")
    except bankflow.BankflowError as e:
        print(f"garbage: {e.name} ({e.code})")


if __name__ == "__main__":
    main(sys.argv[1])
