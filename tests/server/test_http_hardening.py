"""bankflow-server's HTTP correctness (issue 15, items 9-11 and 13): no request smuggling through
Transfer-Encoding, Host required, HEAD on every GET route, file names as valid UTF-8, the
__Host- cookie, one session cookie per request, X-Request-Id only from a trusted proxy, opaque
per-account history cursors, /metrics on --admin-listen, a CSP without data: images.
Run by ctest (server.http_hardening); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN,
BANKFLOW_CORPUS_DIR."""

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import (OneServer, SERVER, Client, Server, corpus, raw_exchange, read_bytes,  # noqa: E402
                            require_binaries, status_of)
from wallet_support import WalletClient  # noqa: E402

OFX = "bb/bb-ofx-2017-two-statements-cp1252.ofx"


def responses_in(raw):
    return len(re.findall(rb"(?m)^HTTP/1\.[01] \d{3} ", raw))


def upload_raw_name(client, filename_bytes, data):
    """An upload whose Content-Disposition filename is these exact bytes (not necessarily UTF-8)."""
    boundary = "----bankflow" + uuid.uuid4().hex
    body = (b"--" + boundary.encode() + b"\r\n" +
            b'Content-Disposition: form-data; name="file"; filename="' + filename_bytes + b'"\r\n' +
            b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n" +
            b"--" + boundary.encode() + b"--\r\n")
    return client.request("POST", "/api/v1/files/upload", body=body,
                          headers={"Content-Type": "multipart/form-data; boundary=" + boundary,
                                   "X-CSRF-Token": client.csrf})


def log_entry(server, predicate, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in list(server.log):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if predicate(e):
                return e
        time.sleep(0.05)
    return None


class Framing(OneServer):
    """RFC 9112 §6.3 and §3.2 on one default server."""

    def smuggle(self, framing, body=b""):
        # what follows the header is a second request, unless the server reads the body right
        data = (b"POST /api/v1/wallet/deposits HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\n" + body +
                b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        return raw_exchange(self.server.port, data, read_timeout=3)

    def test_a_transfer_encoding_that_does_not_end_in_chunked_is_400_and_closes(self):
        for te in (b"gzip", b"xchunked", b"chunked, identity", b"identity", b"CHUNKED;x=1, gzip"):
            with self.subTest(te=te):
                raw = self.smuggle(b"Transfer-Encoding: " + te + b"\r\n")
                self.assertEqual(status_of(raw), 400, raw)
                self.assertEqual(responses_in(raw), 1, "the body ran as a second request: %r" % raw)
                self.assertNotIn(b'"status":"ok"', raw)
                self.assertIn(b"Connection: close", raw)

    def test_transfer_encoding_with_content_length_is_400_and_closes(self):
        for framing in (b"Transfer-Encoding: gzip\r\nContent-Length: 5\r\n",
                        b"Content-Length: 5\r\nTransfer-Encoding: gzip\r\n",
                        b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"):
            with self.subTest(framing=framing):
                raw = self.smuggle(framing, body=b"hello")
                self.assertEqual(status_of(raw), 400, raw)
                self.assertEqual(responses_in(raw), 1, raw)

    def test_other_codings_before_chunked_are_501_and_chunked_twice_400(self):
        raw = self.smuggle(b"Transfer-Encoding: gzip, chunked\r\n", body=b"0\r\n\r\n")
        self.assertEqual(status_of(raw), 501, raw)
        self.assertEqual(responses_in(raw), 1, raw)
        raw = self.smuggle(b"Transfer-Encoding: chunked, chunked\r\n", body=b"0\r\n\r\n")
        self.assertEqual(status_of(raw), 400, raw)
        raw = raw_exchange(self.server.port, b"POST /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                           read_timeout=3)
        self.assertEqual(status_of(raw), 400, raw)

    def test_a_plain_chunked_body_still_works(self):
        raw = raw_exchange(self.server.port, b"POST /api/v1/wallet/deposits HTTP/1.1\r\nHost: x\r\n"
                           b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                           read_timeout=3)
        self.assertEqual(status_of(raw), 403, raw)  # read whole, then refused for want of a session

    def test_http_1_1_needs_exactly_one_host(self):
        for head, status in ((b"GET /health HTTP/1.1\r\n\r\n", 400),
                             (b"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                             (b"GET /health HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
                             (b"GET /health HTTP/1.1\r\nHost: a@b\r\n\r\n", 400),
                             (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n", 200),
                             (b"GET /health HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n", 200),
                             (b"GET /health HTTP/1.0\r\n\r\n", 200)):
            with self.subTest(head=head):
                raw = raw_exchange(self.server.port, head, read_timeout=3)
                self.assertEqual(status_of(raw), status, raw)
        self.assertTrue(self.server.alive())


class Head(OneServer):
    """HEAD answers as GET would, without the body, on every GET route."""

    def exchange(self, conn, method, path, headers=None):
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r, r.read()

    def test_head_on_every_get_route(self):
        owner = Client(self.server)
        owner.start_session()
        r = owner.upload("extrato.ofx", read_bytes(corpus(OFX)))
        self.assertEqual(r.status, 201, r.body)
        job_id = r.json()["job"]["id"]
        owner.wait_final(job_id)
        cookie = {"Cookie": "bankflow_session=" + owner.cookie}
        paths = ["/health", "/health/ready", "/", "/demo", "/static/demo.js", "/static/none.js",
                 "/api/v1/banks", "/api/v1/session", "/api/v1/bank-statements/jobs",
                 "/api/v1/bank-statements/jobs/" + job_id, "/api/v1/bank-statements/jobs/" + job_id + "/status",
                 "/api/v1/bank-statements/jobs/" + job_id + "/preview",
                 "/api/v1/bank-statements/jobs/" + job_id + "/download",
                 "/api/v1/bank-statements/jobs/" + "0" * 32, "/api/v1/wallet", "/api/v1/wallet/transactions",
                 "/api/v1/wallet/transactions/nothing", "/nothing"]
        conn = self.server.conn()
        try:
            for path in paths:
                with self.subTest(path=path):
                    get, get_body = self.exchange(conn, "GET", path, cookie)
                    head, head_body = self.exchange(conn, "HEAD", path, cookie)  # the same connection goes on
                    self.assertEqual(head.status, get.status, path)
                    self.assertNotEqual(head.status, 405)
                    self.assertEqual(head_body, b"")
                    self.assertEqual(head.getheader("Content-Type"), get.getheader("Content-Type"))
                    self.assertEqual(head.getheader("Content-Length"), get.getheader("Content-Length"))
                    if get.status == 200 and not path.endswith(("/health/ready", "/session", "/wallet")):
                        self.assertEqual(int(head.getheader("Content-Length")), len(get_body))
                    self.assertIsNotNone(head.getheader("X-Request-Id"))
            # an SSE route under HEAD sends its head and ends: no stream is started
            head, body = self.exchange(conn, "HEAD", "/api/v1/bank-statements/jobs/%s/status" % job_id,
                                       dict(cookie, Accept="text/event-stream"))
            self.assertEqual((head.status, body), (200, b""))
            self.assertEqual(head.getheader("Content-Type"), "text/event-stream")
            get, _ = self.exchange(conn, "GET", "/health")
            self.assertEqual(get.status, 200)
        finally:
            conn.close()

    def test_allow_lists_head_and_head_is_405_where_get_is(self):
        c = Client(self.server)
        r = c.request("DELETE", "/api/v1/session")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("Allow"), "GET, HEAD")
        r = c.request("HEAD", "/api/v1/files/upload")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("Allow"), "POST")


class FileNames(OneServer):
    """Uploaded file names reach the job list as valid UTF-8, cut on character boundaries."""

    def test_invalid_utf8_and_long_names_are_repaired_and_cut_on_characters(self):
        c = Client(self.server)
        c.start_session()
        data = read_bytes(corpus(OFX))
        names = {
            "latin1": b"extrato-mar\xe7o-\xff.ofx",     # Latin-1 bytes, a byte UTF-8 never has
            "long": "ç".encode() * 200,                  # the 255-byte cut fell inside a ç
            "cut100": b"a" + "ç".encode() * 60 + b".ofx",  # Content-Disposition's 100-byte cut did
        }
        ids = {}
        for key, name in names.items():
            r = upload_raw_name(c, name, data)
            self.assertEqual(r.status, 201, r.body)
            r.body.decode("utf-8")  # strict: raises on invalid UTF-8
            ids[key] = r.json()["job"]["id"]
        listing = c.get("/api/v1/bank-statements/jobs")
        self.assertEqual(listing.status, 200)
        jobs = {j["id"]: j for j in json.loads(listing.body.decode("utf-8"))["jobs"]}
        self.assertEqual(jobs[ids["latin1"]]["filename"], "extrato-mar\ufffdo-\ufffd.ofx")
        self.assertEqual(jobs[ids["long"]]["filename"], "ç" * 127)
        for j in jobs.values():
            self.assertLessEqual(len(j["filename"].encode("utf-8")), 255)
        c.wait_final(ids["cut100"])
        d = c.get("/api/v1/bank-statements/jobs/%s/download" % ids["cut100"])
        self.assertEqual(d.status, 200, d.body)
        star = re.search(r"filename\*=UTF-8''([^;]+)", d.header("Content-Disposition")).group(1)
        self.assertEqual(urllib.parse.unquote(star, errors="strict"), "a" + "ç" * 49 + ".csv")


class Sessions(OneServer):
    """Session cookies and request ids on a default server."""

    def test_two_session_cookies_are_400_not_the_first_wins(self):
        a = Client(self.server)
        a.start_session()
        b = Client(self.server)
        b.start_session()
        for headers in ({"Cookie": "bankflow_session=%s; bankflow_session=%s" % (a.cookie, b.cookie)},
                        {"Cookie": "bankflow_session=%s; other=1; bankflow_session=%s" % (a.cookie, a.cookie)}):
            for path in ("/api/v1/wallet", "/api/v1/session", "/api/v1/bank-statements/jobs"):
                with self.subTest(path=path, headers=headers):
                    r = Client(self.server).get(path, headers=headers)
                    self.assertEqual(r.status, 400, r.body)
                    self.assertEqual(r.json()["error"]["code"], "duplicate_session_cookie")
                    self.assertIsNone(r.header("Set-Cookie"))
        # two Cookie fields count as one list
        conn = self.server.conn()
        try:
            conn.putrequest("GET", "/api/v1/wallet")
            conn.putheader("Cookie", "bankflow_session=" + a.cookie)
            conn.putheader("Cookie", "bankflow_session=" + b.cookie)
            conn.endheaders()
            self.assertEqual(conn.getresponse().status, 400)
        finally:
            conn.close()
        # one cookie (and other cookies beside it) is fine; the web app's pages never care
        self.assertEqual(Client(self.server).get("/api/v1/bank-statements/jobs", headers={
            "Cookie": "x=1; bankflow_session=%s; y=2" % a.cookie}).status, 200)
        self.assertEqual(Client(self.server).get("/", headers={
            "Cookie": "bankflow_session=1; bankflow_session=2"}).status, 200)

    def test_a_client_request_id_is_not_taken_from_an_untrusted_peer(self):
        r = Client(self.server).get("/health", headers={"X-Request-Id": "trace-untrusted-42"})
        rid = r.header("X-Request-Id")
        self.assertNotEqual(rid, "trace-untrusted-42")
        self.assertRegex(rid, r"^[0-9a-f]{16}$")
        entry = log_entry(self.server, lambda e: e.get("request_id") == rid and e.get("msg") == "request")
        self.assertIsNotNone(entry)
        self.assertEqual(entry["client_request_id"], "trace-untrusted-42")
        # nor in the wallet's audit trail
        w = WalletClient(self.server)
        dep = w.deposit("5.00", extra={"X-Request-Id": "planted-id"})
        self.assertEqual(dep.status, 201, dep.body)
        trail = w.trail(dep.json()["transaction"]["id"]).json()
        self.assertEqual(trail["request_id"], dep.header("X-Request-Id"))
        self.assertNotEqual(trail["request_id"], "planted-id")

    def test_history_cursors_are_opaque_and_only_for_their_own_wallet(self):
        alice = WalletClient(self.server)
        for amount in ("1.00", "2.00", "3.00"):
            self.assertEqual(alice.deposit(amount).status, 201)
        page = alice.get("/api/v1/wallet/transactions?limit=1").json()
        cursor = page["next_cursor"]
        self.assertIsNotNone(cursor)
        self.assertNotRegex(cursor, r"^h\d+$", "a global counter")
        nxt = alice.get("/api/v1/wallet/transactions?limit=1&cursor=" + urllib.parse.quote(cursor))
        self.assertEqual(nxt.status, 200, nxt.body)
        self.assertNotEqual(nxt.json()["transactions"][0]["id"], page["transactions"][0]["id"])
        bob = WalletClient(self.server)
        self.assertEqual(bob.deposit("9.00").status, 201)
        stolen = bob.get("/api/v1/wallet/transactions?limit=1&cursor=" + urllib.parse.quote(cursor))
        self.assertEqual(stolen.status, 400, stolen.body)
        self.assertEqual(stolen.json()["error"]["code"], "invalid_argument")
        for made_up in ("h1", "h999999", "h2"):
            self.assertEqual(bob.get("/api/v1/wallet/transactions?cursor=" + made_up).status, 400)

    def test_the_csp_allows_no_data_urls(self):
        for path in ("/", "/demo", "/api/v1/banks"):
            csp = Client(self.server).get(path).header("Content-Security-Policy")
            self.assertIn("img-src 'self'", csp)
            self.assertNotIn("data:", csp)


class Configured(unittest.TestCase):
    """Servers started with the hardening flags."""

    def start(self, *args, **kw):
        s = Server(*args, **kw)
        self.addCleanup(s.cleanup)
        return s

    def test_cookie_secure_uses_the_host_prefix(self):
        s = self.start("--cookie-secure")
        c = Client(s)
        r = c.get("/api/v1/session")
        cookie = r.header("Set-Cookie")
        self.assertRegex(cookie, r"^__Host-bankflow_session=[A-Za-z0-9_-]{43}; ")
        attrs = [a.strip() for a in cookie.split(";")]
        self.assertIn("Path=/", attrs)
        self.assertIn("Secure", attrs)
        self.assertFalse(any(a.lower().startswith("domain") for a in attrs))
        token = cookie.split(";", 1)[0].split("=", 1)[1]
        again = Client(s).get("/api/v1/session", headers={"Cookie": "__Host-bankflow_session=" + token})
        self.assertEqual(again.status, 200)
        self.assertIsNone(again.header("Set-Cookie"), "the __Host- cookie names the session")
        two = Client(s).get("/api/v1/wallet", headers={
            "Cookie": "__Host-bankflow_session=%s; __Host-bankflow_session=%s" % (token, token)})
        self.assertEqual(two.status, 400)
        self.assertEqual(s.stop(), 0)

    def test_a_trusted_proxy_keeps_its_request_id(self):
        s = self.start("--trusted-proxy", "10.0.0.1, 127.0.0.1")
        r = Client(s).get("/health", headers={"X-Request-Id": "trace-proxy-42"})
        self.assertEqual(r.header("X-Request-Id"), "trace-proxy-42")
        entry = log_entry(s, lambda e: e.get("request_id") == "trace-proxy-42")
        self.assertIsNotNone(entry)
        self.assertNotIn("client_request_id", entry)
        self.assertEqual(s.stop(), 0)
        s2 = self.start(env={"BANKFLOW_TRUSTED_PROXY": "10.0.0.1"})  # not this peer
        self.assertNotEqual(Client(s2).get("/health", headers={"X-Request-Id": "trace-proxy-43"})
                            .header("X-Request-Id"), "trace-proxy-43")
        self.assertEqual(s2.stop(), 0)

    def test_a_trusted_proxy_must_be_an_address(self):
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([SERVER, "--listen", "127.0.0.1:0", "--data-dir", d, "--trusted-proxy", "proxy.example"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"proxy.example", p.stderr)

    def test_metrics_move_to_the_admin_listener(self):
        s = self.start("--admin-listen", "127.0.0.1:0")
        entry = log_entry(s, lambda e: e.get("msg") == "admin listening")
        self.assertIsNotNone(entry, s.log)
        admin_port = int(entry["address"].rsplit(":", 1)[1])
        self.assertNotEqual(admin_port, s.port)
        public = Client(s)
        self.assertEqual(public.get("/metrics").status, 404)
        self.assertEqual(public.get("/health").status, 200)
        self.assertEqual(public.get("/api/v1/banks").status, 200)

        def admin_get(path):
            conn = http.client.HTTPConnection("127.0.0.1", admin_port, timeout=10)
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                return r.status, r.read()
            finally:
                conn.close()

        status, body = admin_get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b'bankflow_http_requests_total{route="/health",method="GET",status="200"}', body)
        self.assertEqual(admin_get("/health")[0], 200)
        self.assertEqual(admin_get("/health/ready")[0], 200)
        for path in ("/api/v1/banks", "/api/v1/session", "/"):
            self.assertEqual(admin_get(path)[0], 404, path)
        self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
