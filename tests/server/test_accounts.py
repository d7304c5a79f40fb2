"""Accounts over real bankflow-server processes: sign-up and login (the session id rotates, the
anonymous session's conversions are claimed), money that outlives every session, tenant isolation
by cookie and by API key, key scopes, logout (here and everywhere), the failed-login lock and its
audit rows, roles on the operator and admin routes, and logs free of secrets. The same tests run on
SQLite (one process) and, when BANKFLOW_TEST_DATABASE_URL and BANKFLOW_TEST_REDIS_URL are set, on
PostgreSQL + Redis across two processes (a key revoked or a session ended through one process is
refused at once by the other)."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import CLI, OFX, Client, Server, corpus, read_bytes, require_binaries  # noqa: E402
from test_scaleout import PG, REDIS, SharedStores, psql  # noqa: E402
from wallet_support import WalletClient  # noqa: E402

PASSWORD = "correct horse battery"


def psql_rows(statements, url=None):
    """The rows of one or more statements run in order on one connection, one line each (psql -At;
    as the test's superuser unless `url`)."""
    args = ["psql", url or PG, "-At", "-v", "ON_ERROR_STOP=1"]
    for statement in [statements] if isinstance(statements, str) else statements:
        args += ["-c", statement]
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout.split()


def bearer(key):
    return {"Authorization": "Bearer " + key}


def post_json(client, path, payload, headers=None, csrf=True):
    h = {"Content-Type": "application/json"}
    if csrf and client.csrf:
        h["X-CSRF-Token"] = client.csrf
    h.update(headers or {})
    return client.request("POST", path, body=json.dumps(payload).encode(), headers=h)


def delete(client, path, headers=None):
    h = {"X-CSRF-Token": client.csrf} if client.csrf else {}
    h.update(headers or {})
    return client.request("DELETE", path, headers=h)


def new_key(client, scope):
    r = post_json(client, "/api/v1/api-keys", {"name": "script " + scope, "scope": scope})
    assert r.status == 201, (r.status, r.body)
    return r.json()


def create_with_cli(server, db_url, role):
    """The first-admin step: `bankflow accounts create` on the server's database."""
    email = "%s-%s@example.com" % (role, uuid.uuid4().hex[:8])
    args = [CLI, "accounts", "create", "--email", email, "--role", role, "--name", role.title()]
    args += ["--database", db_url] if db_url else ["--data-dir", server.data_dir]
    env = dict(os.environ, BANKFLOW_PASSWORD=PASSWORD)
    out = subprocess.run(args, check=True, stdout=subprocess.PIPE, env=env).stdout
    assert json.loads(out)["role"] == role
    c = Client(server)
    assert c.log_in(email, PASSWORD).status == 200
    return c


class AccountTests:
    """Mixed into a TestCase that sets self.a and self.b (two doors into one deployment: the same
    server on SQLite, two processes on PostgreSQL) and self.db_url (None: the SQLite data dir)."""

    def test_login_rotates_the_session_and_claims_the_anonymous_conversions(self):
        c = Client(self.a)
        c.start_session()
        job = c.upload("extrato.ofx", read_bytes(corpus(OFX))).json()["job"]["id"]
        anonymous_cookie = c.cookie
        r = c.sign_up()
        self.assertEqual(r.json()["claimed_jobs"], 1)
        self.assertNotEqual(c.cookie, anonymous_cookie)  # no fixation: a new token, a new id
        self.assertEqual(r.json()["user"]["email"], c.email)
        self.assertNotIn("password", r.body.decode())
        self.assertEqual(c.get("/api/v1/bank-statements/jobs/" + job).status, 200)
        old = Client(self.a)
        old.cookie = anonymous_cookie  # the planted or old token names nothing of theirs now
        self.assertEqual(old.get("/api/v1/bank-statements/jobs/" + job).status, 404)
        me = c.get("/api/v1/auth/me").json()
        self.assertEqual((me["user"]["email"], me["auth"]), (c.email, "session"))
        # logging in again: another new session; the former one ends
        before = c.cookie
        again = Client(self.b)
        again.cookie, again.csrf = c.cookie, c.csrf
        self.assertEqual(again.log_in(c.email, PASSWORD).status, 200)
        self.assertNotEqual(again.cookie, before)
        self.assertEqual(c.get("/api/v1/auth/me").status, 401)

    def test_signup_refuses_a_taken_email_weak_passwords_and_bad_bodies(self):
        c = Client(self.a)
        c.sign_up()
        other = Client(self.a)
        other.start_session()
        cases = [({"email": c.email.upper(), "password": PASSWORD}, 409, "already_exists"),
                 ({"email": "x-%s@example.com" % uuid.uuid4().hex[:6], "password": "short"}, 422, "weak_password"),
                 ({"email": "y-%s@example.com" % uuid.uuid4().hex[:6], "password": "senha123456"}, 422,
                  "weak_password"),
                 ({"email": "not an email", "password": PASSWORD}, 400, "invalid_argument"),
                 ({"password": PASSWORD}, 400, "invalid_argument")]
        for payload, status, code in cases:
            with self.subTest(payload=payload):
                r = post_json(other, "/api/v1/auth/signup", payload)
                self.assertEqual((r.status, r.json()["error"]["code"]), (status, code), r.body)
        self.assertEqual(post_json(other, "/api/v1/auth/signup", {"email": "z@example.com", "password": PASSWORD},
                                   csrf=False).status, 403)

    def test_money_outlives_sessions_and_is_reached_by_logging_in_again(self):
        c = WalletClient(self.a)
        self.assertEqual(c.deposit("50.00").status, 201)
        c.wait_wallet(balance="50.00", pending_in="0.00")
        self.assertEqual(post_json(c, "/api/v1/auth/logout", {}).status, 200)
        self.assertEqual(c.get("/api/v1/wallet").status, 401)  # the session is over …
        back = Client(self.b)
        self.assertEqual(back.log_in(c.email, PASSWORD).status, 200)
        self.assertEqual(back.get("/api/v1/wallet").json()["balance"], "50.00")  # … the money is not

    def test_another_user_gets_404_for_every_resource_by_cookie_and_by_key(self):
        owner = WalletClient(self.a)
        job = owner.upload("extrato.ofx", read_bytes(corpus(OFX))).json()["job"]["id"]
        tx = owner.deposit("5.00").json()["transaction"]["id"]
        key_id = new_key(owner, "read")["key"]["id"]
        owner_session = [s for s in owner.get("/api/v1/auth/sessions").json()["sessions"] if s["current"]][0]["id"]
        stranger = WalletClient(self.b)
        stranger_key = new_key(stranger, "read_write")["token"]
        reads = ["/api/v1/bank-statements/jobs/" + job, "/api/v1/bank-statements/jobs/%s/status" % job,
                 "/api/v1/bank-statements/jobs/%s/download" % job, "/api/v1/bank-statements/jobs/%s/preview" % job,
                 "/api/v1/wallet/transactions/" + tx]
        for path in reads:
            for who, headers in (("cookie", {}), ("key", bearer(stranger_key))):
                with self.subTest(path=path, who=who):
                    r = (stranger if who == "cookie" else Client(self.b)).get(path, headers=headers)
                    self.assertEqual(r.status, 404, r.body)
        for path in ("/api/v1/api-keys/" + key_id, "/api/v1/auth/sessions/" + owner_session,
                     "/api/v1/bank-statements/jobs/" + job):
            for who, headers in (("cookie", {}), ("key", bearer(stranger_key))):
                with self.subTest(path=path, who=who):
                    r = delete(stranger if who == "cookie" else Client(self.b), path, headers)
                    self.assertEqual(r.status, 404, r.body)
        for path, field in (("/api/v1/bank-statements/jobs", "jobs"), ("/api/v1/wallet/transactions", "transactions")):
            self.assertEqual(Client(self.b).get(path, headers=bearer(stranger_key)).json()[field], [])
        self.assertEqual(stranger.wallet()["balance"], "0.00")
        self.assertEqual(owner.get("/api/v1/bank-statements/jobs/" + job).status, 200)  # untouched
        # its owner deletes it: the row and the files go
        self.assertEqual(delete(owner, "/api/v1/bank-statements/jobs/" + job).status, 200)
        self.assertEqual(owner.get("/api/v1/bank-statements/jobs/" + job).status, 404)
        self.assertEqual(delete(owner, "/api/v1/bank-statements/jobs/" + job).status, 404)

    def test_keys_act_for_their_user_a_read_key_cannot_withdraw_and_a_revoked_key_is_refused_at_once(self):
        c = WalletClient(self.a)
        c.deposit("20.00")
        c.wait_wallet(balance="20.00", pending_in="0.00")
        read = new_key(c, "read")
        write = new_key(c, "read-write")
        self.assertRegex(read["token"], r"^bf_live_[0-9a-f]{16}_[0-9a-f]{64}$")
        listed = c.get("/api/v1/api-keys").json()["api_keys"]
        self.assertEqual(sorted(k["scope"] for k in listed), ["read", "read_write"])
        self.assertNotIn(read["token"].split("_")[-1], json.dumps(listed))  # shown once, never listed
        program = Client(self.b)  # no cookie, no CSRF token: the key is enough
        self.assertEqual(program.get("/api/v1/wallet", headers=bearer(read["token"])).json()["balance"], "20.00")
        withdraw = {"amount": "1.00", "destination": "chave@pix.example"}
        r = post_json(program, "/api/v1/wallet/withdrawals", withdraw,
                      headers=dict(bearer(read["token"]), **{"Idempotency-Key": uuid.uuid4().hex}))
        self.assertEqual((r.status, r.json()["error"]["code"]), (403, "permission_denied"))
        r = post_json(program, "/api/v1/wallet/withdrawals", withdraw,
                      headers=dict(bearer(write["token"]), **{"Idempotency-Key": uuid.uuid4().hex}))
        self.assertEqual(r.status, 201, r.body)
        export = c.get("/api/v1/auth/export").json()  # the audit rows about the person
        withdrawal = [e for e in export["audit"] if e["action"] == "withdrawal_requested"]
        self.assertEqual([(e["subject"], e["detail"]) for e in withdrawal], [(r.json()["transaction"]["id"], "1.00")])
        # revoked through one door, refused through the other at once
        self.assertEqual(delete(c, "/api/v1/api-keys/" + write["key"]["id"]).status, 200)
        r = Client(self.b).get("/api/v1/wallet", headers=bearer(write["token"]))
        self.assertEqual((r.status, r.json()["error"]["code"]), (401, "invalid_credentials"))
        tampered = read["token"][:-1] + ("0" if read["token"][-1] != "0" else "1")
        self.assertEqual(Client(self.b).get("/api/v1/wallet", headers=bearer(tampered)).status, 401)

    def test_logout_here_and_everywhere_ends_sessions_in_every_process_at_once(self):
        c = Client(self.a)
        c.sign_up()
        phone = Client(self.b)
        phone.start_session()
        phone_agent = "Mozilla/5.0 (Linux; Android 14) Firefox/128.0"
        r = phone.request("POST", "/api/v1/auth/login", body=json.dumps({"email": c.email, "password": PASSWORD}).encode(),
                          headers={"Content-Type": "application/json", "X-CSRF-Token": phone.csrf,
                                   "User-Agent": phone_agent})
        self.assertEqual(r.status, 200, r.body)
        phone.csrf = r.json()["csrf_token"]
        sessions = c.get("/api/v1/auth/sessions").json()["sessions"]
        self.assertEqual(len(sessions), 2)
        self.assertEqual(sum(s["current"] for s in sessions), 1)
        # each session says what it was begun from, so the user can tell their devices apart
        other = [s for s in sessions if not s["current"]][0]
        self.assertEqual((other["device"], other["client_address"]), (phone_agent, "127.0.0.1"))
        # ending the phone's session from the laptop
        phone_id = [s["id"] for s in sessions if not s["current"]][0]
        self.assertEqual(delete(c, "/api/v1/auth/sessions/" + phone_id).status, 200)
        self.assertEqual(phone.get("/api/v1/auth/me").status, 401)
        phone.csrf = None  # its session is over: the next login starts from a fresh one
        self.assertEqual(phone.log_in(c.email, PASSWORD).status, 200)
        r = post_json(phone, "/api/v1/auth/logout", {"everywhere": True})
        self.assertEqual((r.status, r.json()["ended_sessions"]), (200, 2))
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))
        self.assertEqual(c.get("/api/v1/auth/me").status, 401)
        self.assertEqual(phone.get("/api/v1/auth/me").status, 401)

    def test_a_password_change_needs_the_current_one_and_ends_the_other_sessions(self):
        c = Client(self.a)
        c.sign_up()
        other = Client(self.b)
        self.assertEqual(other.log_in(c.email, PASSWORD).status, 200)
        r = post_json(c, "/api/v1/auth/password", {"current_password": "wrong password!", "new_password": "x" * 12})
        self.assertEqual(r.status, 401)
        new = "a brand new passphrase"
        r = post_json(c, "/api/v1/auth/password", {"current_password": PASSWORD, "new_password": new})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(c.get("/api/v1/auth/me").status, 200)  # this one stays
        self.assertEqual(other.get("/api/v1/auth/me").status, 401)
        self.assertEqual(Client(self.b).log_in(c.email, PASSWORD).status, 401)
        self.assertEqual(Client(self.b).log_in(c.email, new).status, 200)

    def test_twenty_wrong_passwords_lock_the_account_and_are_audited(self):
        victim = Client(self.a)
        victim.sign_up()
        user_id = victim.get("/api/v1/auth/me").json()["user"]["id"]
        attacker = Client(self.b)
        answers = set()
        for i in range(20):
            r = attacker.log_in(victim.email, "wrong password %d" % i)
            self.assertEqual(r.status, 401)
            answers.add(r.body)
        # an unknown email gets the same answer: nothing tells whether an account exists
        answers.add(attacker.log_in("ghost-%s@example.com" % uuid.uuid4().hex[:8], "whatever it is").body)
        self.assertEqual(len(answers), 1, answers)
        self.assertEqual(json.loads(answers.pop())["error"]["code"], "invalid_credentials")
        r = attacker.log_in(victim.email, PASSWORD)  # even the right password, for a while
        self.assertEqual((r.status, r.json()["error"]["code"]), (429, "rate_limited"), r.body)
        self.assertGreater(int(r.header("Retry-After")), 0)
        self.assertEqual(victim.get("/api/v1/auth/me").status, 200)  # a session already open stays
        operator = create_with_cli(self.a, self.db_url, "operator")
        audit = operator.get("/api/v1/ops/audit?action=login_failed&limit=200&subject=" + user_id)
        self.assertEqual(audit.status, 200, audit.body)
        self.assertEqual(len(audit.json()["entries"]), 20)
        self.assertTrue(all(e["client_address"] for e in audit.json()["entries"]))
        locked = operator.get("/api/v1/ops/audit?action=login_locked&subject=" + user_id).json()["entries"]
        self.assertEqual(len(locked), 1)

    def test_roles_guard_the_operator_and_admin_routes(self):
        user = Client(self.a)
        user.sign_up()
        user_id = user.get("/api/v1/auth/me").json()["user"]["id"]
        self.assertEqual(user.get("/api/v1/ops/audit").status, 403)
        self.assertEqual(Client(self.a).get("/api/v1/ops/audit").status, 401)
        self.assertEqual(post_json(user, "/api/v1/admin/users/%s/role" % user_id, {"role": "admin"}).status, 403)
        operator = create_with_cli(self.a, self.db_url, "operator")
        self.assertEqual(operator.get("/api/v1/ops/audit").status, 200)
        self.assertEqual(post_json(operator, "/api/v1/admin/users/%s/disable" % user_id, {}).status, 403)
        admin = create_with_cli(self.a, self.db_url, "admin")
        self.assertEqual(operator.get("/api/v1/admin/users").status, 403)
        listed = admin.get("/api/v1/admin/users").json()["users"]
        self.assertIn(user.email, [u["email"] for u in listed])
        r = post_json(admin, "/api/v1/admin/users/%s/role" % user_id, {"role": "operator"})
        self.assertEqual((r.status, r.json()["user"]["role"]), (200, "operator"))
        self.assertEqual(user.get("/api/v1/ops/audit").status, 200)
        # disabling: no more logins, the sessions end; the audit log says who did it
        self.assertEqual(post_json(admin, "/api/v1/admin/users/%s/disable" % user_id, {}).status, 200)
        self.assertEqual(user.get("/api/v1/auth/me").status, 401)
        self.assertEqual(Client(self.b).log_in(user.email, PASSWORD).status, 401)
        entries = admin.get("/api/v1/ops/audit?subject=" + user_id).json()["entries"]
        admin_id = admin.get("/api/v1/auth/me").json()["user"]["id"]
        by_admin = [e["action"] for e in entries if e["actor"] == admin_id]
        self.assertEqual(by_admin, ["user_disabled", "role_changed"])  # newest first
        self.assertEqual(entries[0]["action"], "login_failed")  # the refused login after it

    def test_the_operator_console_reads_the_queue_deliveries_and_pending_operations(self):
        c = WalletClient(self.a)
        c.upload("extrato.ofx", read_bytes(corpus(OFX)))
        tx = c.deposit("7.00").json()["transaction"]["id"]
        c.wait_wallet(balance="7.00", pending_in="0.00")
        user_routes = ["/api/v1/ops/queue", "/api/v1/ops/dead-letters", "/api/v1/ops/deliveries",
                       "/api/v1/ops/pending", "/api/v1/ops/audit"]
        for path in user_routes:
            with self.subTest(path=path):
                self.assertEqual(c.get(path).status, 403)
                self.assertEqual(Client(self.a).get(path).status, 401)
        self.assertEqual(post_json(c, "/api/v1/ops/dead-letters/%s/requeue" % ("0" * 32), {}).status, 403)
        op = create_with_cli(self.a, self.db_url, "operator")
        queue = op.get("/api/v1/ops/queue").json()
        self.assertEqual(set(queue), {"depth", "dead_letters", "jobs", "last_hour"})
        self.assertGreaterEqual(queue["last_hour"]["created"], 1)
        self.assertEqual(op.get("/api/v1/ops/dead-letters").json(), {"dead_letters": []})
        r = post_json(op, "/api/v1/ops/dead-letters/%s/requeue" % ("0" * 32), {})
        self.assertEqual(r.status, 404, r.body)
        self.assertEqual(post_json(op, "/api/v1/ops/dead-letters/%s/discard" % ("0" * 32), {}).status, 404)
        deliveries = op.get("/api/v1/ops/deliveries?provider=simulated&outcome=posted&limit=200").json()
        mine = [d for d in deliveries["deliveries"] if d.get("transfer_id") == tx or tx in json.dumps(d)]
        self.assertEqual(len(mine), 1, deliveries)
        self.assertEqual(op.get("/api/v1/ops/deliveries?limit=0").status, 400)
        pending = op.get("/api/v1/ops/pending?older_than=0").json()
        self.assertNotIn(tx, json.dumps(pending))  # settled: no longer pending
        self.assertEqual(op.get("/api/v1/ops/pending?older_than=-1").status, 400)

    def test_export_gives_everything_and_erase_removes_it_once_the_wallet_is_empty(self):
        c = WalletClient(self.a)
        job = c.upload("extrato.ofx", read_bytes(corpus(OFX))).json()["job"]["id"]
        self.assertEqual(c.wait_final(job)[-1]["status"], "completed")
        deposit = c.deposit("3.00").json()["transaction"]["id"]
        c.wait_wallet(balance="3.00", pending_in="0.00")
        key = new_key(c, "read")
        r = c.get("/api/v1/auth/export")
        self.assertEqual(r.status, 200, r.body)
        self.assertIn("attachment", r.header("Content-Disposition"))
        data = r.json()
        self.assertEqual(data["user"]["email"], c.email)
        self.assertEqual([k["id"] for k in data["api_keys"]], [key["key"]["id"]])
        self.assertEqual([j["job"]["id"] for j in data["jobs"]], [job])
        self.assertGreater(len(data["jobs"][0]["result"]["transactions"]), 0)
        self.assertEqual(data["wallet"]["balance"]["balance"], "3.00")
        self.assertIn(deposit, [t["id"] for t in data["wallet"]["transactions"]])
        actions = [e["action"] for e in data["audit"]]
        self.assertIn("signup", actions)
        self.assertIn("account_exported", actions)
        for secret in (PASSWORD, key["token"], "argon2"):
            self.assertNotIn(secret, r.body.decode())
        # erasing is refused while the wallet holds money …
        r = delete(c, "/api/v1/auth/me")
        self.assertEqual((r.status, r.json()["error"]["code"]), (409, "wallet_not_empty"), r.body)
        w = c.withdraw("3.00")
        self.assertEqual(w.status, 201, w.body)
        withdrawal = w.json()["transaction"]["id"]
        user_id = c.get("/api/v1/auth/me").json()["user"]["id"]
        c.wait_wallet(balance="0.00", pending_out="0.00")
        self.assertEqual(delete(c, "/api/v1/auth/me", bearer(key["token"])).status, 403)  # not with a key
        # … and then removes the person's data and files, not the ledger's entries
        r = delete(c, "/api/v1/auth/me")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual((r.json()["jobs"], r.json()["api_keys"]), (1, 1))
        self.assertEqual(c.get("/api/v1/auth/me").status, 401)
        self.assertEqual(Client(self.b).log_in(c.email, PASSWORD).status, 401)
        self.assertEqual(Client(self.b).get("/api/v1/wallet", headers=bearer(key["token"])).status, 401)
        for sub in ("uploads", "results", "held"):
            folder = os.path.join(self.a.data_dir, sub)
            self.assertFalse([f for f in (os.listdir(folder) if os.path.isdir(folder) else []) if f.startswith(job)])
        again = Client(self.b)
        again.sign_up(email=c.email)  # the email is free again: nothing of theirs is left under it
        # the books keep the withdrawal, but no longer where it went (a PIX key names a person)
        self.assertEqual(r.json()["destinations"], 2)  # the operation row and the ledger's reference
        wallet = "wallet:" + user_id
        self.assertEqual(self.sql("SELECT destination FROM bankflow_wallet_ops WHERE session_id = '%s' "
                                  "AND kind = 'withdrawal'" % user_id), ["[erased]"])
        self.assertEqual(self.sql("SELECT amount, reference FROM bankflow_ledger_transfers WHERE id = '%s'"
                                  % withdrawal), ["300|[erased]"])
        self.assertEqual(self.sql("SELECT COUNT(*) FROM bankflow_ledger_transfers WHERE (debit_account = '%s' "
                                  "OR credit_account = '%s') AND reference LIKE '%%pix.example%%'"
                                  % (wallet, wallet)), ["0"])

    def test_the_logs_hold_no_password_token_or_key(self):
        c = WalletClient(self.a)
        key = new_key(c, "read_write")["token"]
        Client(self.b).get("/api/v1/wallet", headers=bearer(key))
        Client(self.b).log_in(c.email, "wrong password here")
        job = c.upload("extrato.ofx", read_bytes(corpus(OFX))).json()["job"]["id"]
        c.wait_final(job)
        c.get("/api/v1/bank-statements/jobs/%s/download" % job)
        c.get("/api/v1/auth/export")
        time.sleep(0.3)
        secrets = [PASSWORD, "wrong password here", key, key.split("_")[-1], c.cookie, c.csrf,
                   "RECEBIMENTO FORNECEDOR", "SEGURO VIDA EMPRESA"]  # the statement's content
        for server in self.servers_to_check():
            for line in list(server.log):
                for s in secrets:
                    self.assertNotIn(s, line)


class OnSQLite(AccountTests, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--provider-delay-ms", "20")
        cls.a = cls.b = cls.server
        cls.db_url = None

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code

    def servers_to_check(self):
        return [self.server]

    def sql(self, statement):
        """The rows of a query on the server's database, each as its columns joined by '|'."""
        with sqlite3.connect(os.path.join(self.server.data_dir, "bankflow.db")) as db:
            return ["|".join(str(v) for v in row) for row in db.execute(statement)]


@unittest.skipUnless(PG and REDIS, "needs BANKFLOW_TEST_DATABASE_URL and BANKFLOW_TEST_REDIS_URL")
class AcrossProcesses(AccountTests, SharedStores):
    label = "accounts"

    def setUp(self):
        super().setUp()
        # the servers connect as a role that is no superuser (a superuser bypasses row-level
        # security): every request runs under its tenant's policies
        psql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bankflow_app_test') THEN "
             "CREATE ROLE bankflow_app_test LOGIN; END IF; END $$")
        psql("GRANT USAGE, CREATE ON SCHEMA %s TO bankflow_app_test" % self.schema)
        scheme, rest = self.db_url.split("://", 1)
        self.db_url = scheme + "://bankflow_app_test@" + rest.split("@", 1)[1]
        self.a = self.start_shared("--provider-delay-ms", "20")
        self.b = self.start_shared("--provider-delay-ms", "20")

    def test_row_level_security_hides_other_tenants_rows_from_a_raw_query(self):
        ana, bia = WalletClient(self.a), WalletClient(self.b)
        for c in (ana, bia):
            c.upload("extrato.ofx", read_bytes(corpus(OFX)))
            self.assertEqual(c.deposit("2.00").status, 201)
            new_key(c, "read")
        for c in (ana, bia):
            c.wait_wallet(balance="2.00", pending_in="0.00")  # the webhook delivered, the hold posted
        ana_id = ana.get("/api/v1/auth/me").json()["user"]["id"]
        # each tenant-owned table, and what "hers" means written out as the WHERE a query may forget
        owned = {
            "bankflow_jobs": "owner = '{0}'",
            "bankflow_api_keys": "user_id = '{0}'",
            "bankflow_wallet_ops": "session_id = '{0}'",
            "bankflow_idempotency": "split_part(scope, ' ', 1) = '{0}'",
            "bankflow_ledger_accounts": "owner IN ('', '{0}')",  # hers and the provider's (nobody's)
            "bankflow_ledger_transfers": "'wallet:{0}' IN (debit_account, credit_account)",
            "bankflow_webhook_deliveries": "transfer_id IN (SELECT transfer_id FROM bankflow_wallet_ops "
                                           "WHERE session_id = '{0}')",
            "bankflow_audit": "'{0}' IN (actor, subject)",
        }
        tables = sorted(owned)
        forced = psql_rows("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE n.nspname = '%s' AND c.relrowsecurity AND c.relforcerowsecurity ORDER BY 1"
                           % self.schema)
        self.assertEqual(forced, tables)
        self.assertEqual(psql_rows("SELECT tableowner FROM pg_tables WHERE schemaname = '%s' AND tablename = "
                                   "'bankflow_jobs'" % self.schema), ["bankflow_app_test"])
        self.assertEqual(psql_rows("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = "
                                   "'bankflow_app_test'"), ["f"])
        # the server's own role, a query with no WHERE owner at all: without a tenant every row,
        # with ana's only hers (as every request of hers runs)
        counts = ["SELECT COUNT(*) FROM %s" % t for t in tables]
        everyone = psql_rows(counts, self.db_url)
        hers = psql_rows(["SELECT set_config('bankflow.tenant', '%s', false) IS NULL" % ana_id] + counts,
                         self.db_url)[1:]
        written_out = psql_rows(["SELECT COUNT(*) FROM %s WHERE %s" % (t, owned[t].format(ana_id)) for t in tables],
                                self.db_url)
        for table, all_rows, her_rows, expected in zip(tables, everyone, hers, written_out):
            with self.subTest(table=table):
                self.assertEqual(her_rows, expected)
                self.assertGreater(int(her_rows), 0)
                self.assertGreater(int(all_rows), int(her_rows))  # bia's rows are there, and hidden
        # the audit log is append-only even for the tables' owner
        changed = psql_rows(["UPDATE bankflow_audit SET detail = 'x' RETURNING id",
                             "DELETE FROM bankflow_audit RETURNING id"], self.db_url)
        self.assertEqual(changed, ["UPDATE", "0", "DELETE", "0"])  # psql's command tags: no row touched

    def servers_to_check(self):
        return self.servers

    def sql(self, statement):
        """The rows of a query on the servers' schema (no tenant: every row), as psql -At prints them."""
        return psql_rows(statement, self.db_url)


@unittest.skipUnless(PG and REDIS, "needs BANKFLOW_TEST_DATABASE_URL and BANKFLOW_TEST_REDIS_URL")
class NotTheTablesOwner(SharedStores):
    """The deployment issue 18 asks for: the tables belong to one role (here the superuser that
    ran the first server, which migrated), and the server runs as another that may only read and
    write rows. It starts (nothing to migrate: no DDL), serves accounts and money, and row-level
    security binds it without FORCE; it cannot change the schema or the audit log."""
    label = "notowner"

    def setUp(self):
        super().setUp()
        first = self.start_shared()  # as the test's superuser: creates and migrates every table
        self.assertEqual(Client(first).get("/health/ready").status, 200)
        self.assertEqual(first.stop(), 0)
        psql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bankflow_dml_test') THEN "
             "CREATE ROLE bankflow_dml_test LOGIN; END IF; END $$")
        psql("GRANT USAGE ON SCHEMA %s TO bankflow_dml_test" % self.schema)
        psql("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO bankflow_dml_test" % self.schema)
        psql("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO bankflow_dml_test" % self.schema)
        scheme, rest = self.db_url.split("://", 1)
        self.db_url = scheme + "://bankflow_dml_test@" + rest.split("@", 1)[1]
        self.server = self.start_shared("--provider-delay-ms", "20")

    def test_a_role_that_only_reads_and_writes_rows_runs_the_server_under_row_level_security(self):
        self.assertEqual(psql_rows("SELECT COUNT(*) FROM pg_tables WHERE schemaname = '%s' AND "
                                   "tableowner = 'bankflow_dml_test'" % self.schema), ["0"])
        ana, bia = WalletClient(self.server), WalletClient(self.server)
        for c in (ana, bia):
            self.assertEqual(c.upload("extrato.ofx", read_bytes(corpus(OFX))).status, 201)
            self.assertEqual(c.deposit("2.00").status, 201)
        for c in (ana, bia):
            c.wait_wallet(balance="2.00", pending_in="0.00")
        ana_id = ana.get("/api/v1/auth/me").json()["user"]["id"]
        tables = ["bankflow_jobs", "bankflow_wallet_ops", "bankflow_ledger_transfers", "bankflow_audit"]
        counts = ["SELECT COUNT(*) FROM %s" % t for t in tables]
        everyone = [int(n) for n in psql_rows(counts, self.db_url)]
        hers = [int(n) for n in psql_rows(["SELECT set_config('bankflow.tenant', '%s', false) IS NULL" % ana_id] +
                                          counts, self.db_url)[1:]]
        for table, all_rows, her_rows in zip(tables, everyone, hers):
            with self.subTest(table=table):
                self.assertGreater(her_rows, 0)
                self.assertGreater(all_rows, her_rows)
        for statement in ("DROP TABLE bankflow_audit", "ALTER TABLE bankflow_jobs DISABLE ROW LEVEL SECURITY"):
            with self.subTest(statement=statement):
                run = subprocess.run(["psql", self.db_url, "-v", "ON_ERROR_STOP=1", "-c", statement],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                self.assertNotEqual(run.returncode, 0)
                self.assertIn("must be owner", run.stderr)


class Retention(unittest.TestCase):
    """A download starts the deletion grace of an anonymous conversion only: an account keeps its own."""

    def test_an_accounts_downloaded_conversion_outlives_the_grace(self):
        server = Server("--download-grace", "0", "--janitor-interval", "1")
        try:
            anonymous, user = Client(server), Client(server)
            anonymous.start_session()
            user.sign_up()
            jobs = []
            for c in (anonymous, user):
                job = c.upload("extrato.ofx", read_bytes(corpus(OFX))).json()["job"]["id"]
                self.assertEqual(c.wait_final(job)[-1]["status"], "completed")
                self.assertEqual(c.get("/api/v1/bank-statements/jobs/%s/download" % job).status, 200)
                jobs.append(job)
            deadline = time.time() + 15
            while time.time() < deadline and anonymous.get("/api/v1/bank-statements/jobs/" + jobs[0]).status != 404:
                time.sleep(0.2)
            self.assertEqual(anonymous.get("/api/v1/bank-statements/jobs/" + jobs[0]).status, 404)
            self.assertEqual(user.get("/api/v1/bank-statements/jobs/%s/download" % jobs[1]).status, 200)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


    def test_an_accounts_conversion_goes_once_the_configured_retention_passed(self):
        server = Server("--account-retention", "2", "--janitor-interval", "1")
        try:
            user = Client(server)
            user.sign_up()
            job = user.upload("extrato.ofx", read_bytes(corpus(OFX))).json()["job"]["id"]
            self.assertEqual(user.wait_final(job)[-1]["status"], "completed")
            self.assertEqual(user.get("/api/v1/bank-statements/jobs/%s/download" % job).status, 200)
            deadline = time.time() + 15
            while time.time() < deadline and user.get("/api/v1/bank-statements/jobs/" + job).status != 404:
                time.sleep(0.2)
            self.assertEqual(user.get("/api/v1/bank-statements/jobs/" + job).status, 404)
            results = os.path.join(server.data_dir, "results")
            self.assertFalse([f for f in os.listdir(results) if f.startswith(job)] if os.path.isdir(results) else [])
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


class IdleSessions(unittest.TestCase):
    """The hostile case of issue 18: the session that deposited expires; the money does not."""

    def test_an_idle_session_expires_and_the_balance_is_reachable_by_logging_in(self):
        server = Server("--provider-delay-ms", "20", "--session-idle-timeout", "2", "--session-max-age", "3600")
        try:
            c = WalletClient(server)
            self.assertEqual(c.deposit("50.00").status, 201)
            c.wait_wallet(balance="50.00", pending_in="0.00")
            time.sleep(3)
            r = c.get("/api/v1/wallet")
            self.assertEqual((r.status, r.json()["error"]["code"]), (401, "login_required"))
            back = Client(server)
            self.assertEqual(back.log_in(c.email, PASSWORD).status, 200)
            self.assertEqual(back.get("/api/v1/wallet").json()["balance"], "50.00")
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
