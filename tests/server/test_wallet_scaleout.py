"""The wallet API over two bankflow-server processes sharing PostgreSQL (a fresh schema), Redis
(a fresh key prefix: the webhook replay guard) and one data directory: the deposit loop, a
captured webhook resent to both processes, Idempotency-Key across processes, and the bar (200
concurrent withdrawals of 1.00 against 100.00). Skipped (exit 77) without
BANKFLOW_TEST_DATABASE_URL and BANKFLOW_TEST_REDIS_URL (scripts/services.sh sets both)."""

import os
import shutil
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, Server, require_binaries  # noqa: E402
from test_scaleout import PG, REDIS, SharedStores  # noqa: E402
from test_wallet import run_the_bar  # noqa: E402
from wallet_support import WalletClient, event_body, signed_headers, webhook_secret  # noqa: E402


class WalletScaleOut(SharedStores):
    label = "wallet"

    def start(self, *args):
        return self.start_shared("--threads", "4", *args)

    def test_loops_replays_and_idempotency_across_processes(self):
        a = self.start("--provider-delay-ms", "30", "--provider-duplicate-ratio", "1")
        b = self.start("--provider-delay-ms", "3600000")  # answers nothing by itself
        c = WalletClient(a)
        tx = c.deposit("100.00").json()["transaction"]["id"]
        c.wait_wallet(balance="100.00", pending_in="0.00")
        trail = c.wait_trail(tx, lambda t: len(t["deliveries"]) >= 2)
        self.assertEqual([d["outcome"] for d in trail["deliveries"]], ["posted", "duplicate: replayed"])

        # the same Idempotency-Key through both doors: one transfer
        other_door = WalletClient(b)
        other_door.cookie, other_door.csrf = c.cookie, c.csrf
        first = c.withdraw("10.00", key="one-key")
        second = other_door.withdraw("10.00", key="one-key")
        self.assertEqual((first.status, second.status), (201, 201), second.body)
        self.assertEqual(second.header("Idempotency-Replayed"), "true")
        self.assertEqual(second.json()["transaction"]["id"], first.json()["transaction"]["id"])
        self.assertEqual(other_door.withdraw("11.00", key="one-key").status, 422)
        c.wait_wallet(balance="90.00", pending_out="0.00")

        # a captured webhook resent 10 times, alternating processes: posted once (Redis guard)
        secret = webhook_secret(self.data_dir)
        dep = other_door.deposit("5.00").json()["transaction"]["id"]  # b's provider stays silent
        body = event_body("evt_" + uuid.uuid4().hex, "deposit.succeeded", dep, "5.00")
        headers = signed_headers(secret, "msg_" + uuid.uuid4().hex, body)
        outcomes = [Client((a, b)[i % 2]).request("POST", "/api/v1/webhooks/simulated", body=body, headers=headers)
                    for i in range(10)]
        self.assertEqual([r.json()["outcome"] for r in outcomes], ["posted"] + ["duplicate"] * 9)
        tampered = body.replace(b"5.00", b"6.00")
        r = Client(b).request("POST", "/api/v1/webhooks/simulated", body=tampered, headers=headers)
        self.assertEqual(r.status, 401)
        self.assertEqual(c.wallet()["balance"], "95.00")
        for s in self.servers:
            self.assertEqual(s.stop(), 0)

    def test_the_bar_200_concurrent_withdrawals_over_two_processes(self):
        run_the_bar(self, self.start("--provider-delay-ms", "30"), self.start("--provider-delay-ms", "30"), self.db_url)


if __name__ == "__main__":
    require_binaries()
    if not PG or not REDIS:
        print("WARN: BANKFLOW_TEST_DATABASE_URL and BANKFLOW_TEST_REDIS_URL must be set for the wallet scale-out "
              "test (source scripts/services.sh): skipped", file=sys.stderr)
        sys.exit(77)
    if not shutil.which("psql") or not shutil.which("redis-cli"):
        print("WARN: psql and redis-cli are needed for the wallet scale-out test's set-up: skipped", file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=2)
