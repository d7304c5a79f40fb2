"""The wallet API of bankflow-server on SQLite: deposits and withdrawals through the simulated
provider's signed webhooks, Idempotency-Key, captured/tampered/stale webhooks, the audit trail,
and 200 concurrent withdrawals over two processes sharing one database file.
Run by ctest (server.wallet); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import os
import shutil
import sys
import tempfile
import threading
import time
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, Server, require_binaries  # noqa: E402
from wallet_support import (WalletClient, event_body, ledger_check, signed_headers,  # noqa: E402
                            webhook_secret)


def post_webhook(server, body, headers, provider="simulated"):
    return Client(server).request("POST", "/api/v1/webhooks/" + provider, body=body, headers=headers)


class Loop(unittest.TestCase):
    """One server whose simulated provider answers after 50 ms."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--provider-delay-ms", "50")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code

    def test_a_new_wallet_is_empty(self):
        w = WalletClient(self.server).wallet()
        self.assertTrue(w["account"].startswith("wallet:"))
        self.assertEqual((w["currency"], w["balance"], w["available"], w["pending_in"], w["pending_out"]),
                         ("BRL", "0.00", "0.00", "0.00", "0.00"))
        # wallets belong to accounts: an anonymous visitor is told to log in, and gets no session
        fresh = Client(self.server).get("/api/v1/wallet")
        self.assertEqual(fresh.status, 401)
        self.assertEqual(fresh.json()["error"]["code"], "login_required")
        self.assertIsNone(fresh.header("Set-Cookie"))

    def test_deposit_is_confirmed_by_the_providers_webhook(self):
        c = WalletClient(self.server)
        r = c.deposit("100.00", key="dep-key-1", extra={"X-Request-Id": "req-deposit-1"})
        self.assertEqual(r.status, 201, r.body)
        op = r.json()
        tx = op["transaction"]
        self.assertEqual((tx["kind"], tx["state"], tx["direction"], tx["amount"]), ("pending", "pending", "in", "100.00"))
        self.assertTrue(op["reference"].startswith("simdep_"))
        self.assertIn(op["reference"], op["instructions"])
        self.assertEqual(r.header("Location"), "/api/v1/wallet/transactions/" + tx["id"])
        w = c.wallet()
        self.assertIn(w["pending_in"], ("100.00", "0.00"))  # the webhook may already be in
        w = c.wait_wallet(balance="100.00", available="100.00", pending_in="0.00")
        trail = c.wait_trail(tx["id"], lambda t: t["deliveries"])
        self.assertEqual(trail["transaction"]["state"], "posted")
        self.assertEqual(trail["settlement"]["id"], tx["id"] + ":post")
        # the client's X-Request-Id is not taken from an untrusted peer: the server's id is kept
        self.assertEqual(trail["request_id"], r.header("X-Request-Id"))
        self.assertEqual(trail["idempotency_key"], "dep-key-1")
        self.assertEqual(trail["provider_reference"], op["reference"])
        d = trail["deliveries"][0]
        self.assertEqual((d["provider"], d["event_type"], d["outcome"], d["signature_valid"]),
                         ("simulated", "deposit.succeeded", "posted", True))
        self.assertEqual(len(d["body_sha256"]), 64)
        # the history lists the hold and its settlement, amounts as decimal strings
        page = c.get("/api/v1/wallet/transactions").json()
        self.assertEqual({t["id"] for t in page["transactions"]}, {tx["id"], tx["id"] + ":post"})
        self.assertTrue(all(t["amount"] == "100.00" for t in page["transactions"]))
        self.assertIsNone(page["next_cursor"])
        # without an X-Request-Id of its own, the trail keeps the one the server gave the POST
        r2 = c.deposit("1.00")
        trail2 = c.trail(r2.json()["transaction"]["id"]).json()
        self.assertEqual(trail2["request_id"], r2.header("X-Request-Id"))
        # the server logged the webhook
        time.sleep(0.1)
        self.assertTrue(any('"msg":"webhook"' in line and '"outcome":"posted"' in line for line in self.server.log))

    def test_withdrawal_holds_at_once_and_posts_when_paid(self):
        c = WalletClient(self.server)
        self.assertEqual(c.deposit("100.00").status, 201)
        c.wait_wallet(balance="100.00")
        r = c.withdraw("40.00")
        self.assertEqual(r.status, 201, r.body)
        tx = r.json()["transaction"]
        self.assertEqual((tx["state"], tx["direction"], tx["amount"]), ("pending", "out", "40.00"))
        self.assertTrue(r.json()["reference"].startswith("simpay_"))
        short = c.withdraw("60.01")  # 60.00 is available while 40.00 is held or paid out
        self.assertEqual(short.status, 422, short.body)
        self.assertEqual(short.json()["error"]["code"], "insufficient_funds")
        c.wait_wallet(balance="60.00", available="60.00", pending_out="0.00")
        trail = c.wait_trail(tx["id"], lambda t: t["settlement"] is not None)
        self.assertEqual(trail["settlement"]["id"], tx["id"] + ":post")
        self.assertEqual(trail["transaction"]["reference"], "chave@pix.example")

    def test_bad_money_requests(self):
        c = WalletClient(self.server)
        for payload, status, code in ((b"not json", 400, "invalid_argument"), (b"[]", 400, "invalid_argument"),
                                      (b'{}', 400, "invalid_argument"), (b'{"amount":100}', 400, "invalid_argument"),
                                      (b'{"amount":"-1.00"}', 422, "bad_amount"),
                                      (b'{"amount":"1.001"}', 422, "bad_amount"),
                                      (b'{"amount":"0"}', 400, "invalid_argument")):
            with self.subTest(payload=payload):
                r = c.deposit(None, raw=payload)
                self.assertEqual(r.status, status, r.body)
                self.assertEqual(r.json()["error"]["code"], code)
        # a request that does not validate claims no key (Stripe's rule): corrected, it runs
        bad = c.deposit(None, raw=b'{"amount":"1.001"}', key="fix-me")
        self.assertEqual(bad.status, 422, bad.body)
        fixed = c.deposit("1.00", key="fix-me")
        self.assertEqual(fixed.status, 201, fixed.body)
        self.assertIsNone(fixed.header("Idempotency-Replayed"))
        r = c.money("withdrawals", {"amount": "1.00"})
        self.assertEqual(r.status, 400)
        self.assertIn("destination", r.json()["error"]["message"])
        self.assertEqual(c.get("/api/v1/wallet/transactions?limit=0").status, 400)
        self.assertEqual(c.get("/api/v1/wallet/transactions?limit=x").status, 400)
        self.assertEqual(c.get("/api/v1/wallet/transactions?cursor=garbage").status, 400)

    def test_csrf_and_session_guard_the_money_routes(self):
        c = WalletClient(self.server)
        r = c.deposit("1.00", csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "csrf_invalid")
        nobody = Client(self.server)
        r = nobody.request("POST", "/api/v1/wallet/deposits", body=b'{"amount":"1.00"}',
                           headers={"Idempotency-Key": "k", "Content-Type": "application/json"})
        self.assertEqual(r.status, 403)
        self.assertEqual(c.wallet()["pending_in"], "0.00")

    def test_idempotency_key(self):
        c = WalletClient(self.server)
        missing = c.deposit("10.00", key=None)
        self.assertEqual(missing.status, 400)
        self.assertEqual(missing.json()["error"]["code"], "idempotency_key_required")
        first = c.deposit("10.00", key="same-key")
        again = c.deposit("10.00", key="same-key")
        self.assertEqual(first.status, 201, first.body)
        self.assertEqual(again.status, 201, again.body)
        self.assertIsNone(first.header("Idempotency-Replayed"))
        self.assertEqual(again.header("Idempotency-Replayed"), "true")
        self.assertEqual(again.body, first.body)
        other = c.deposit("11.00", key="same-key")
        self.assertEqual(other.status, 422, other.body)
        self.assertEqual(other.json()["error"]["code"], "idempotency_mismatch")
        # the key is scoped to the route: a withdrawal may use it (and runs: were keys shared
        # across routes, its other body would be an idempotency_mismatch)
        out = c.withdraw("50.00", key="same-key")  # more than the 10.00 deposited
        self.assertEqual(out.status, 422, out.body)
        self.assertEqual(out.json()["error"]["code"], "insufficient_funds")
        self.assertIsNone(out.header("Idempotency-Replayed"))
        # and to the session: another visitor may use it
        stranger = WalletClient(self.server)
        theirs = stranger.deposit("10.00", key="same-key")
        self.assertEqual(theirs.status, 201, theirs.body)
        self.assertIsNone(theirs.header("Idempotency-Replayed"))
        self.assertNotEqual(theirs.json()["transaction"]["id"], first.json()["transaction"]["id"])
        c.wait_wallet(balance="10.00")  # one deposit, not two
        ids = [t["id"] for t in c.get("/api/v1/wallet/transactions").json()["transactions"]]
        self.assertEqual(sorted(ids), sorted([first.json()["transaction"]["id"],
                                              first.json()["transaction"]["id"] + ":post"]))
        # a refusal is stored too: the same insufficient withdrawal replays its 422
        r1 = c.withdraw("99.00", key="w-short")
        r2 = c.withdraw("99.00", key="w-short")
        self.assertEqual((r1.status, r2.status), (422, 422))
        self.assertEqual(r2.header("Idempotency-Replayed"), "true")

    def test_one_key_sent_concurrently_runs_once(self):
        c = WalletClient(self.server)
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(lambda _: c.deposit("7.00", key="racing-key"), range(20)))
        statuses = sorted(r.status for r in answers)
        self.assertTrue(set(statuses) <= {201, 409}, statuses)
        ran = [r for r in answers if r.status == 201 and r.header("Idempotency-Replayed") is None]
        self.assertEqual(len(ran), 1, statuses)
        for r in answers:
            if r.status == 409:
                self.assertEqual(r.json()["error"]["code"], "idempotency_in_progress")
            elif r is not ran[0]:
                self.assertEqual(r.body, ran[0].body)
        c.wait_wallet(balance="7.00", pending_in="0.00")
        print("20 concurrent requests with one key: %s" % statuses, file=sys.stderr)

    def test_another_sessions_transaction_is_404(self):
        owner = WalletClient(self.server)
        tx = owner.deposit("5.00").json()["transaction"]["id"]
        self.assertEqual(owner.trail(tx).status, 200)
        stranger = WalletClient(self.server)
        self.assertEqual(stranger.trail(tx).status, 404)
        self.assertEqual(stranger.trail("dep_nothing").status, 404)
        self.assertEqual(Client(self.server).get("/api/v1/wallet/transactions/" + tx).status, 401)  # anonymous
        self.assertEqual(stranger.wallet()["balance"], "0.00")


class CapturedWebhooks(unittest.TestCase):
    """A provider that never answers by itself (1 h delay): the test plays the provider, signing
    with the secret the server created in its data directory."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--provider-delay-ms", "3600000")
        cls.secret = webhook_secret(cls.server.data_dir)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_secret_file(self):
        self.assertTrue(self.secret.startswith("whsec_"))
        mode = os.stat(os.path.join(self.server.data_dir, "webhook-secret")).st_mode & 0o777
        self.assertEqual(mode, 0o600)

    def test_resent_ten_times_posts_once_tampered_and_stale_change_nothing(self):
        c = WalletClient(self.server)
        tx = c.deposit("100.00").json()["transaction"]["id"]
        body = event_body("evt_" + uuid.uuid4().hex, "deposit.succeeded", tx, "100.00")
        headers = signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body)

        tampered = bytearray(body)
        tampered[body.index(b"100.00")] = ord("9")  # 900.00
        r = post_webhook(self.server, bytes(tampered), headers)
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(r.json()["error"]["code"], "no_matching_signature")
        stale = signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body, timestamp=int(time.time()) - 3600)
        r = post_webhook(self.server, body, stale)
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(r.json()["error"]["code"], "timestamp_too_old")
        unsigned = post_webhook(self.server, body, {"Content-Type": "application/json"})
        self.assertEqual(unsigned.status, 401)
        self.assertEqual(c.wallet()["pending_in"], "100.00")
        self.assertEqual(c.wallet()["balance"], "0.00")

        outcomes = [post_webhook(self.server, body, headers) for _ in range(10)]
        self.assertEqual([r.status for r in outcomes], [200] * 10)
        self.assertEqual([r.json()["outcome"] for r in outcomes], ["posted"] + ["duplicate"] * 9)
        w = c.wallet()
        self.assertEqual((w["balance"], w["pending_in"]), ("100.00", "0.00"))
        # the same event under a new delivery id (a provider's retry with a fresh id) posts nothing
        again = post_webhook(self.server, body, signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body))
        self.assertEqual(again.json()["outcome"], "duplicate")
        self.assertEqual(c.wallet()["balance"], "100.00")
        # every authentic, fresh delivery is in the trail: posted, 9 replays, the re-sent event
        # (refused ones, tampered or stale, are counted in /metrics and leave no row)
        outcomes = [d["outcome"] for d in c.trail(tx).json()["deliveries"]]
        self.assertEqual(outcomes, ["posted"] + ["duplicate: replayed"] * 9 + ["duplicate"])

    def test_unknown_events_and_transfers_are_acknowledged(self):
        body = event_body("evt_" + uuid.uuid4().hex, "customer.created", "x", "1.00")
        r = post_webhook(self.server, body, signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body))
        self.assertEqual((r.status, r.json()["outcome"]), (200, "ignored"))
        body = event_body("evt_" + uuid.uuid4().hex, "deposit.succeeded", "dep_unknown", "1.00")
        r = post_webhook(self.server, body, signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body))
        self.assertEqual((r.status, r.json()["outcome"]), (200, "ignored"))
        body = b'{"id":"evt_x","data":{}}'
        r = post_webhook(self.server, body, signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body))
        self.assertEqual(r.status, 400, r.body)
        r = post_webhook(self.server, body, signed_headers(self.secret, "msg_" + uuid.uuid4().hex, body), provider="stripe")
        self.assertEqual(r.status, 404)
        self.assertEqual(Client(self.server).get("/api/v1/webhooks/simulated").status, 405)

    def test_a_failed_withdrawal_event_releases_the_hold(self):
        c = WalletClient(self.server)
        dep = c.deposit("50.00").json()["transaction"]["id"]
        body = event_body("evt_" + uuid.uuid4().hex, "deposit.succeeded", dep, "50.00")
        self.assertEqual(post_webhook(self.server, body, signed_headers(self.secret, "m" + uuid.uuid4().hex, body))
                         .json()["outcome"], "posted")
        wd = c.withdraw("30.00").json()["transaction"]["id"]
        self.assertEqual(c.wallet()["available"], "20.00")
        body = event_body("evt_" + uuid.uuid4().hex, "withdrawal.failed", wd, "30.00")
        r = post_webhook(self.server, body, signed_headers(self.secret, "m" + uuid.uuid4().hex, body))
        self.assertEqual(r.json()["outcome"], "voided")
        w = c.wallet()
        self.assertEqual((w["balance"], w["available"], w["pending_out"]), ("50.00", "50.00", "0.00"))
        # a late success for the voided payout changes nothing
        body = event_body("evt_" + uuid.uuid4().hex, "withdrawal.succeeded", wd, "30.00")
        r = post_webhook(self.server, body, signed_headers(self.secret, "m" + uuid.uuid4().hex, body))
        self.assertEqual(r.json()["outcome"], "ignored")
        self.assertEqual(c.wallet()["balance"], "50.00")


class ConfiguredSecrets(unittest.TestCase):
    def test_secrets_from_the_environment_rotate(self):
        old, new = "whsec_" + "b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC0x", "whsec_" + "bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy0y"
        server = Server("--provider-delay-ms", "3600000", env={"BANKFLOW_WEBHOOK_SECRETS": new + ", " + old})
        try:
            self.assertFalse(os.path.exists(os.path.join(server.data_dir, "webhook-secret")))
            c = WalletClient(server)
            tx = c.deposit("3.00").json()["transaction"]["id"]
            body = event_body("evt_" + uuid.uuid4().hex, "deposit.succeeded", tx, "3.00")
            wrong = post_webhook(server, body, signed_headers("whsec_" + "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==",
                                                              "m1", body))
            self.assertEqual(wrong.status, 401)
            r = post_webhook(server, body, signed_headers(old, "m2", body))  # still valid during the rotation
            self.assertEqual((r.status, r.json()["outcome"]), (200, "posted"))
            self.assertEqual(c.wallet()["balance"], "3.00")
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


class Duplicates(unittest.TestCase):
    def test_every_webhook_delivered_twice_posts_once(self):
        server = Server("--provider-delay-ms", "30", "--provider-duplicate-ratio", "1")
        try:
            c = WalletClient(server)
            tx = c.deposit("100.00").json()["transaction"]["id"]
            trail = c.wait_trail(tx, lambda t: len(t["deliveries"]) >= 2)
            self.assertEqual([d["outcome"] for d in trail["deliveries"]], ["posted", "duplicate: replayed"])
            wd = c.withdraw("25.00").json()["transaction"]["id"]
            trail = c.wait_trail(wd, lambda t: len(t["deliveries"]) >= 2)
            self.assertEqual([d["outcome"] for d in trail["deliveries"]], ["posted", "duplicate: replayed"])
            w = c.wallet()
            self.assertEqual((w["balance"], w["available"], w["pending_out"]), ("75.00", "75.00", "0.00"))
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


class TwoProcesses(unittest.TestCase):
    """Two servers on one SQLite file and one data directory (shared CSRF and webhook secrets)."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="bankflow-wallet-")
        self.db_url = "sqlite://" + os.path.join(self.data_dir, "bankflow.db")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.alive():
                s.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def start(self, *args):
        s = Server("--provider-delay-ms", "30", "--threads", "4", *args, data_dir=self.data_dir)
        self.servers.append(s)
        return s

    def test_a_failed_payout_releases_the_hold(self):
        paying = self.start()
        failing = self.start("--provider-failure-ratio", "1")
        c = WalletClient(paying)
        self.assertEqual(c.deposit("100.00").status, 201)
        c.wait_wallet(balance="100.00")
        other_door = WalletClient(failing)
        other_door.cookie, other_door.csrf = c.cookie, c.csrf  # the same browser behind a balancer
        r = other_door.withdraw("40.00")
        self.assertEqual(r.status, 201, r.body)
        wd = r.json()["transaction"]["id"]
        w = c.wait_wallet(balance="100.00", available="100.00", pending_out="0.00")
        trail = c.wait_trail(wd, lambda t: t["settlement"] is not None)
        self.assertEqual(trail["transaction"]["state"], "voided")
        self.assertEqual(trail["settlement"]["id"], wd + ":void")
        self.assertEqual(trail["deliveries"][0]["event_type"], "withdrawal.failed")
        self.assertEqual(w["balance"], "100.00")

    def test_the_bar_200_concurrent_withdrawals_over_two_processes(self):
        run_the_bar(self, self.start(), self.start(), self.db_url)


def run_the_bar(test, a, b, db_url):
    """From 0: deposit 100.00 (confirmed by webhook), then 200 concurrent withdrawals of 1.00 spread
    over two processes: exactly 100 succeed, 100 are insufficient_funds, no 5xx, balance 0.00, and
    the ledger check passes."""
    c = WalletClient(a)
    test.assertEqual(c.wallet()["balance"], "0.00")
    test.assertEqual(c.deposit("100.00").status, 201)
    c.wait_wallet(balance="100.00", available="100.00")
    doors = []
    for s in (a, b):
        d = WalletClient(s)
        d.cookie, d.csrf = c.cookie, c.csrf
        doors.append(d)
    lock = threading.Lock()
    statuses = {}
    codes = {}

    def one(i):
        r = doors[i % 2].withdraw("1.00", destination="pix-%d@example" % i)
        code = r.json()["error"]["code"] if r.status >= 400 else None
        with lock:
            statuses[r.status] = statuses.get(r.status, 0) + 1
            codes[code] = codes.get(code, 0) + 1
        return r.status

    started = time.time()
    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(one, range(200)))
    took = time.time() - started
    print("200 withdrawals over two processes in %.2f s: %r %r" % (took, statuses, codes), file=sys.stderr)
    test.assertEqual(statuses, {201: 100, 422: 100}, codes)
    test.assertEqual(codes, {None: 100, "insufficient_funds": 100})
    w = c.wait_wallet(timeout=60, balance="0.00", available="0.00", pending_out="0.00")
    test.assertEqual(w["pending_in"], "0.00")
    for s in (a, b):
        test.assertEqual(s.stop(), 0)
    code, out = ledger_check(db_url)
    test.assertEqual(code, 0, out)


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
