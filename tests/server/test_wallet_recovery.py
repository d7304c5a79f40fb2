"""Withdrawals whose webhook never comes (issue 15, item 3): the simulated provider's outbox is in
the database, so a SIGKILL between a withdrawal and its webhook loses nothing; a reconciliation
pass settles what the provider knows when its webhooks cannot get through; and a hold nobody
settles expires and releases the funds.
Run by ctest (server.wallet_recovery); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import os
import shutil
import sys
import tempfile
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, Server, require_binaries  # noqa: E402
from wallet_support import WalletClient, event_body, ledger_check, signed_headers, webhook_secret  # noqa: E402

NEVER = "3600000"  # provider delay (ms) that outlives the test: its webhook does not come by itself


def fund(client, amount):
    """A deposit confirmed by a webhook the test signs itself (the provider's own is an hour away)."""
    server = client.server
    r = client.deposit(amount)
    assert r.status == 201, r.body
    dep = r.json()["transaction"]["id"]
    body = event_body("evt_" + uuid.uuid4().hex, "deposit.succeeded", dep, amount)
    headers = signed_headers(webhook_secret(server.data_dir), "msg_" + uuid.uuid4().hex, body)
    posted = Client(server).request("POST", "/api/v1/webhooks/simulated", body=body, headers=headers)
    assert posted.status == 200 and posted.json()["outcome"] == "posted", posted.body
    return dep


class Recovery(unittest.TestCase):
    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="bankflow-wallet-recovery-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.alive():
                s.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def start(self, *args):
        s = Server(*args, data_dir=self.data_dir)
        self.servers.append(s)
        return s

    def test_a_withdrawal_killed_before_its_webhook_settles_after_the_restart(self):
        doomed = self.start("--provider-delay-ms", NEVER)
        c = WalletClient(doomed)
        fund(c, "100.00")
        r = c.withdraw("40.00")
        self.assertEqual(r.status, 201, r.body)
        wd = r.json()["transaction"]["id"]
        self.assertEqual(c.wallet()["pending_out"], "40.00")
        doomed.kill()  # SIGKILL: the provider's webhook was still queued

        survivor = self.start("--provider-delay-ms", "100")
        c.server = survivor  # the same browser, the same cookie
        w = c.wait_wallet(balance="60.00", available="60.00", pending_out="0.00")
        self.assertEqual(w["balance"], "60.00")
        trail = c.wait_trail(wd, lambda t: t["settlement"] is not None)
        self.assertEqual(trail["settlement"]["id"], wd + ":post")
        self.assertIn("posted", [d["outcome"] for d in trail["deliveries"]])
        self.assertIsNone(trail["review"])
        self.assertEqual(survivor.stop(), 0)
        code, out = ledger_check("sqlite://" + os.path.join(self.data_dir, "bankflow.db"))
        self.assertEqual(code, 0, out)

    def test_reconciliation_settles_when_the_webhooks_cannot_get_through(self):
        # The provider decides at once but its webhooks go nowhere (port 1): only the
        # reconciliation pass, asking the provider, can settle the deposit and the withdrawal.
        s = self.start("--provider-delay-ms", "50", "--public-url", "http://127.0.0.1:1",
                       "--reconcile-after", "1", "--reconcile-interval", "1")
        c = WalletClient(s)
        r = c.deposit("100.00")
        self.assertEqual(r.status, 201, r.body)
        c.wait_wallet(balance="100.00", pending_in="0.00")
        r = c.withdraw("25.00")
        self.assertEqual(r.status, 201, r.body)
        wd = r.json()["transaction"]["id"]
        c.wait_wallet(balance="75.00", available="75.00", pending_out="0.00")
        trail = c.wait_trail(wd, lambda t: t["settlement"] is not None)
        self.assertEqual(trail["settlement"]["id"], wd + ":post")
        self.assertEqual([(d["event_type"], d["outcome"]) for d in trail["deliveries"]],
                         [("reconciliation: withdrawal.succeeded", "posted")])
        self.assertTrue(any('"wallet reconciliation"' in line for line in s.log))
        self.assertEqual(s.stop(), 0)

    def test_an_unsettled_withdrawal_hold_expires_and_releases_the_funds(self):
        s = self.start("--provider-delay-ms", NEVER, "--withdrawal-timeout", "2", "--reconcile-interval", "1")
        c = WalletClient(s)
        fund(c, "50.00")
        r = c.withdraw("30.00")
        self.assertEqual(r.status, 201, r.body)
        wd = r.json()["transaction"]["id"]
        self.assertEqual(c.wallet()["available"], "20.00")
        c.wait_wallet(timeout=15, balance="50.00", available="50.00", pending_out="0.00")
        trail = c.trail(wd).json()
        self.assertEqual(trail["transaction"]["state"], "expired")
        self.assertIsNone(trail["settlement"])
        self.assertEqual(s.stop(), 0)

    def test_the_new_flags_are_checked(self):
        for bad in (["--withdrawal-timeout", "-1"], ["--reconcile-interval", "0"], ["--reconcile-after", "x"]):
            with self.assertRaises(RuntimeError):
                self.start(*bad)


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
