"""Issue 15, items 2 and 6, against the real bankflow-server on SQLite: wallet limits (per
operation, per wallet per 24 hours; no client can push the provider's ledger account to overflow),
and anonymous requests that must not write rows (cookieless GETs, invalid webhook deliveries),
with the janitor's retention of what is written.
Run by ctest (server.money_abuse); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import OFX, SERVER, Client, Server, corpus, read_bytes, require_binaries  # noqa: E402
from wallet_support import WalletClient, ledger_check  # noqa: E402


def db_path(server):
    return os.path.join(server.data_dir, "bankflow.db")


def count_rows(server, table):
    with sqlite3.connect(db_path(server)) as db:
        return db.execute("SELECT COUNT(*) FROM " + table).fetchone()[0]


class Limits(unittest.TestCase):
    """The default limits (50,000.00 per operation, 100,000.00 per wallet per 24 hours) with a
    simulated provider that confirms within 20 ms."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--provider-delay-ms", "20")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code

    def test_the_overflow_attack_is_refused_and_blocks_nobody(self):
        attacker = WalletClient(self.server)
        for _ in range(99):
            r = attacker.deposit("922337203685477.58")
            self.assertEqual(r.status, 422, r.body)
            self.assertEqual(r.json()["error"]["code"], "over_operation_limit")
        self.assertEqual(attacker.wallet()["pending_in"], "0.00")
        victim = WalletClient(self.server)
        r = victim.deposit("0.01")
        self.assertEqual(r.status, 201, r.body)
        victim.wait_wallet(balance="0.01")
        code, out = ledger_check("sqlite://" + db_path(self.server))
        self.assertEqual(code, 0, out)

    def test_per_operation_and_daily_limits(self):
        c = WalletClient(self.server)
        r = c.deposit("50000.01")
        self.assertEqual((r.status, r.json()["error"]["code"]), (422, "over_operation_limit"))
        self.assertIn("50000.00", r.json()["error"]["message"])
        for _ in range(2):
            r = c.deposit("50000.00")
            self.assertEqual(r.status, 201, r.body)
        r = c.deposit("0.01")
        self.assertEqual((r.status, r.json()["error"]["code"]), (422, "daily_limit_reached"), r.body)
        c.wait_wallet(balance="100000.00")
        r = c.withdraw("50000.01")
        self.assertEqual((r.status, r.json()["error"]["code"]), (422, "over_operation_limit"))
        for _ in range(2):
            r = c.withdraw("50000.00")
            self.assertEqual(r.status, 201, r.body)
        c.wait_wallet(balance="0.00", pending_out="0.00")
        r = c.deposit("50000.00")
        self.assertEqual((r.status, r.json()["error"]["code"]), (422, "daily_limit_reached"))
        self.assertEqual(WalletClient(self.server).deposit("50000.00").status, 201)  # per wallet


class ConfiguredLimits(unittest.TestCase):
    def test_flags_set_the_limits(self):
        s = Server("--provider-delay-ms", "20", "--max-deposit", "10.00", "--daily-deposit-limit", "15.00",
                   "--max-withdrawal", "5.00", "--daily-withdrawal-limit", "6.00")
        try:
            c = WalletClient(s)
            self.assertEqual(c.deposit("10.01").json()["error"]["code"], "over_operation_limit")
            self.assertEqual(c.deposit("10.00").status, 201)
            self.assertEqual(c.deposit("5.01").json()["error"]["code"], "daily_limit_reached")
            self.assertEqual(c.deposit("5.00").status, 201)
            c.wait_wallet(balance="15.00")
            self.assertEqual(c.withdraw("5.01").json()["error"]["code"], "over_operation_limit")
            self.assertEqual(c.withdraw("5.00").status, 201)
            self.assertEqual(c.withdraw("1.01").json()["error"]["code"], "daily_limit_reached")
            self.assertEqual(c.withdraw("1.00").status, 201)
        finally:
            self.assertEqual(s.stop(), 0)
            s.cleanup()

    def test_bad_limits_refuse_to_start(self):
        for args in (("--max-deposit", "abc"), ("--max-deposit", "0"), ("--daily-withdrawal-limit", "1000000000.01")):
            data_dir = tempfile.mkdtemp(prefix="bankflow-limits-")
            try:
                p = subprocess.run([SERVER, "--listen", "127.0.0.1:0", "--data-dir", data_dir, *args],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
            self.assertNotEqual(p.returncode, 0, args)
            self.assertIn(b"cannot start", p.stderr)

def connect(server):
    db = sqlite3.connect(db_path(server), timeout=30)
    db.execute("PRAGMA busy_timeout = 30000")
    return db


def metric(server, name):
    body = Client(server).get("/metrics").body.decode()
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError("no metric %s in %s" % (name, body))


class AnonymousRequests(unittest.TestCase):
    """Requests anyone can send write no rows."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--provider-delay-ms", "20", "--sessions-per-address-per-hour", "100000")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code

    def test_cookieless_gets_create_no_session_and_no_account(self):
        sessions = count_rows(self.server, "bankflow_sessions")
        accounts = count_rows(self.server, "bankflow_ledger_accounts")
        for path in ["/api/v1/session"] * 150 + ["/api/v1/bank-statements/jobs"] * 50:
            r = Client(self.server).get(path)
            self.assertEqual(r.status, 200, (path, r.body))
            self.assertTrue(r.header("Set-Cookie").startswith("bankflow_session="))
        for path in ["/api/v1/wallet"] * 50 + ["/api/v1/wallet/transactions"] * 20:  # accounts only
            r = Client(self.server).get(path)
            self.assertEqual(r.status, 401, (path, r.body))
            self.assertIsNone(r.header("Set-Cookie"))
        self.assertEqual(count_rows(self.server, "bankflow_sessions"), sessions)
        self.assertEqual(count_rows(self.server, "bankflow_ledger_accounts"), accounts)

    def test_the_first_write_saves_the_session(self):
        c = Client(self.server)
        c.start_session()  # a token and a CSRF token, no row
        sessions = count_rows(self.server, "bankflow_sessions")
        ofx = read_bytes(corpus(OFX))
        refused = c.upload("extrato.ofx", ofx, csrf=False)  # no CSRF token: still nothing written
        self.assertEqual(refused.status, 403)
        self.assertEqual(count_rows(self.server, "bankflow_sessions"), sessions)
        r = c.upload("extrato.ofx", ofx)
        self.assertEqual(r.status, 201, r.body)
        self.assertEqual(count_rows(self.server, "bankflow_sessions"), sessions + 1)
        self.assertEqual(c.upload("extrato.ofx", ofx).status, 201)  # saved once
        self.assertEqual(count_rows(self.server, "bankflow_sessions"), sessions + 1)
        self.assertEqual(len(c.get("/api/v1/bank-statements/jobs").json()["jobs"]), 2)
        # another visitor's forged token is a new anonymous visitor, never someone's session
        forged = Client(self.server)
        forged.cookie = c.cookie[:-2] + ("AA" if not c.cookie.endswith("AA") else "BB")
        self.assertEqual(forged.get("/api/v1/bank-statements/jobs").json()["jobs"], [])

    def test_invalid_webhooks_are_counted_not_stored(self):
        deliveries = count_rows(self.server, "bankflow_webhook_deliveries")
        unsigned_before = metric(self.server, 'bankflow_webhook_rejected_total{reason="missing_header"}')
        forged_before = metric(self.server, 'bankflow_webhook_rejected_total{reason="no_matching_signature"}')
        body = b'{"id":"evt_x","type":"deposit.succeeded","data":{"transfer_id":"dep_x","amount":"1.00"}}'
        for i in range(300):
            r = Client(self.server).request("POST", "/api/v1/webhooks/simulated", body=body,
                                            headers={"Content-Type": "application/json"})
            self.assertEqual(r.status, 401)
        forged = {"Content-Type": "application/json", "webhook-id": "msg_1",
                  "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,AAAA"}
        for i in range(100):
            forged["webhook-id"] = "msg_%d" % i
            r = Client(self.server).request("POST", "/api/v1/webhooks/simulated", body=body, headers=forged)
            self.assertEqual(r.status, 401)
        self.assertEqual(count_rows(self.server, "bankflow_webhook_deliveries"), deliveries)
        self.assertEqual(metric(self.server, 'bankflow_webhook_rejected_total{reason="missing_header"}'),
                         unsigned_before + 300)
        self.assertEqual(metric(self.server, 'bankflow_webhook_rejected_total{reason="no_matching_signature"}'),
                         forged_before + 100)
        refused_lines = [l for l in self.server.log if '"webhook refused"' in l]
        self.assertLessEqual(len(refused_lines), 20)  # 10 a minute (the test may span two minutes)


class Retention(unittest.TestCase):
    def test_the_janitor_purges_old_deliveries_operations_and_keys(self):
        s = Server("--provider-delay-ms", "20", "--janitor-interval", "1", "--webhook-retention-days", "30",
                   "--audit-retention-days", "60")
        try:
            c = WalletClient(s)
            self.assertEqual(c.deposit("1.00").status, 201)
            c.wait_wallet(balance="1.00")
            now_ms = int(time.time() * 1000)
            day = 86400 * 1000
            with connect(s) as db:
                db.execute("INSERT INTO bankflow_webhook_deliveries (seq, provider, event_id, event_type, transfer_id, "
                           "received_at, signature_valid, outcome, body_sha256) VALUES "
                           "(100000, 'simulated', 'old', '', '', ?, 1, 'posted', ''), "
                           "(100001, 'simulated', 'recent', '', '', ?, 1, 'posted', '')",
                           (now_ms - 31 * day, now_ms - 29 * day))
                db.execute("INSERT INTO bankflow_wallet_ops (transfer_id, session_id, kind, provider, provider_reference, "
                           "request_id, idempotency_key, destination, created_at, amount) VALUES "
                           "('dep_old', 's', 'deposit', 'simulated', '', '', '', '', ?, 0), "
                           "('dep_recent', 's', 'deposit', 'simulated', '', '', '', '', ?, 0)",
                           (now_ms - 61 * day, now_ms - 59 * day))
                db.execute("INSERT INTO bankflow_idempotency (scope, idem_key, fingerprint, state, status, body, "
                           "created_at, updated_at) VALUES ('s', 'old', '', 'done', 201, '{}', ?, ?), "
                           "('s', 'recent', '', 'done', 201, '{}', ?, ?)",
                           (now_ms - 25 * 3600 * 1000, now_ms - 25 * 3600 * 1000, now_ms - 23 * 3600 * 1000,
                            now_ms - 23 * 3600 * 1000))
            deadline = time.time() + 30
            while time.time() < deadline:
                with connect(s) as db:
                    left = (db.execute("SELECT COUNT(*) FROM bankflow_webhook_deliveries WHERE event_id = 'old'").fetchone()[0] +
                            db.execute("SELECT COUNT(*) FROM bankflow_wallet_ops WHERE transfer_id = 'dep_old'").fetchone()[0] +
                            db.execute("SELECT COUNT(*) FROM bankflow_idempotency WHERE idem_key = 'old'").fetchone()[0])
                if left == 0:
                    break
                time.sleep(0.2)
            self.assertEqual(left, 0)
            with connect(s) as db:
                self.assertEqual(db.execute("SELECT COUNT(*) FROM bankflow_webhook_deliveries WHERE event_id = 'recent'").fetchone()[0], 1)
                self.assertEqual(db.execute("SELECT COUNT(*) FROM bankflow_wallet_ops WHERE transfer_id = 'dep_recent'").fetchone()[0], 1)
                self.assertEqual(db.execute("SELECT COUNT(*) FROM bankflow_idempotency WHERE idem_key = 'recent'").fetchone()[0], 1)
                # today's rows stay: the deposit, its delivery
                self.assertGreaterEqual(db.execute("SELECT COUNT(*) FROM bankflow_wallet_ops").fetchone()[0], 2)
        finally:
            self.assertEqual(s.stop(), 0)
            s.cleanup()


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
