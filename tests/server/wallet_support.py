"""Helpers of the wallet tests and benchmark: a visitor with a wallet, Standard Webhooks signing
(the same scheme the server verifies), polling until the wallet settles. Python 3 stdlib only."""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
import uuid

from server_support import CLI, Client


def standard_signature(secret, msg_id, timestamp, body):
    """Standard Webhooks: v1,base64(HMAC-SHA256(base64decode(secret without whsec_), id.ts.body))."""
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    if isinstance(body, str):
        body = body.encode()
    mac = hmac.new(key, msg_id.encode() + b"." + str(timestamp).encode() + b"." + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret, msg_id, body, timestamp=None):
    ts = int(time.time()) if timestamp is None else timestamp
    return {"Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": str(ts),
            "webhook-signature": standard_signature(secret, msg_id, ts, body)}


def webhook_secret(data_dir):
    with open(os.path.join(data_dir, "webhook-secret")) as f:
        return f.read().strip()


def event_body(event_id, event_type, transfer_id, amount, reference="ref-test"):
    return json.dumps({"id": event_id, "type": event_type,
                       "data": {"transfer_id": transfer_id, "amount": amount, "reference": reference}},
                      separators=(",", ":")).encode()


class WalletClient(Client):
    """A user with an account (signed up), its login session, CSRF token and wallet."""

    def __init__(self, server):
        super().__init__(server)
        self.start_session()
        self.sign_up()

    def money(self, route, payload, key="new", csrf=True, raw=None, extra=None):
        headers = {"Content-Type": "application/json"}
        if key == "new":
            key = uuid.uuid4().hex
        if key is not None:
            headers["Idempotency-Key"] = key
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        headers.update(extra or {})
        body = raw if raw is not None else json.dumps(payload).encode()
        return self.request("POST", "/api/v1/wallet/" + route, body=body, headers=headers)

    def deposit(self, amount, **kw):
        return self.money("deposits", {"amount": amount}, **kw)

    def withdraw(self, amount, destination="chave@pix.example", **kw):
        return self.money("withdrawals", {"amount": amount, "destination": destination}, **kw)

    def wallet(self):
        r = self.get("/api/v1/wallet")
        assert r.status == 200, (r.status, r.body)
        return r.json()

    def trail(self, transfer_id):
        return self.get("/api/v1/wallet/transactions/" + transfer_id)

    def wait_wallet(self, timeout=30, **expected):
        """Polls GET /api/v1/wallet until every expected field has its value; returns the last."""
        deadline = time.time() + timeout
        w = self.wallet()
        while time.time() < deadline:
            if all(w[k] == v for k, v in expected.items()):
                return w
            time.sleep(0.05)
            w = self.wallet()
        raise AssertionError("the wallet never reached %r: %r" % (expected, w))

    def wait_trail(self, transfer_id, predicate, timeout=30):
        deadline = time.time() + timeout
        while True:
            r = self.trail(transfer_id)
            assert r.status == 200, (r.status, r.body)
            t = r.json()
            if predicate(t) or time.time() > deadline:
                return t
            time.sleep(0.05)


def ledger_check(db_url):
    """Runs `bankflow ledger check --db URL`; returns (exit code, output)."""
    p = subprocess.run([CLI, "ledger", "check", "--db", db_url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout
