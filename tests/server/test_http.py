"""bankflow-server over HTTP, on SQLite with the in-process queue: the whole flow, isolation
between sessions, CSRF, limits, hostile input, operations routes and graceful shutdown.
Run by ctest (server.http); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import (OFX, OneServer, Client, Server, cli_output, corpus, multipart, raw_exchange,  # noqa: E402
                            read_bytes, require_binaries, status_of)

CSV = "itau/itau-extrato-csv-2025-06-futuros.csv"
XLSX = "santander/santander-extrato-xlsx-2026-08.xlsx"  # an Excel workbook, read by content
XLS = "itau/itau-extrato-xls-2026-04.xls"
MiB = 1024 * 1024


class Flow(OneServer):
    """One default server (10 uploads per hour, 2 workers) shared by these tests."""

    def new_client(self):
        c = Client(self.server)
        c.start_session()
        return c

    def upload_and_wait(self, client, relpath):
        r = client.upload(os.path.basename(relpath), read_bytes(corpus(relpath)))
        self.assertEqual(r.status, 201, r.body)
        job = r.json()["job"]
        self.assertEqual(r.header("Location"), "/api/v1/bank-statements/jobs/" + job["id"])
        seen = client.wait_final(job["id"])
        return job, seen

    def test_session_sets_cookie_and_csrf_token(self):
        c = Client(self.server)
        r = c.get("/api/v1/session")
        self.assertEqual(r.status, 200)
        cookie = r.header("Set-Cookie")
        self.assertRegex(cookie, r"^bankflow_session=[A-Za-z0-9_-]{43}; ")
        for attr in ("Path=/", "HttpOnly", "SameSite=Lax", "Max-Age="):
            self.assertIn(attr, cookie)
        self.assertNotIn("Secure", cookie)
        body = r.json()
        self.assertEqual(set(body), {"csrf_token", "expires_at", "user"})
        self.assertIsNone(body["user"])  # anonymous
        self.assertRegex(body["expires_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # the same cookie keeps the same session: no new cookie, the same token
        again = c.get("/api/v1/session")
        self.assertIsNone(again.header("Set-Cookie"))
        self.assertEqual(again.json()["csrf_token"], body["csrf_token"])

    def test_upload_stream_download_equals_the_cli(self):
        c = self.new_client()
        for relpath in (OFX, CSV, XLSX, XLS):
            with self.subTest(file=relpath):
                job, seen = self.upload_and_wait(c, relpath)
                self.assertEqual(job["status"], "pending")
                self.assertEqual(job["filename"], os.path.basename(relpath))
                final = seen[-1]
                self.assertEqual(final["status"], "completed", final)
                self.assertGreater(final["transactions"], 0)
                self.assertIsNotNone(final["bank"])
                base = "/api/v1/bank-statements/jobs/" + job["id"]
                for route in (base, base + "/status"):
                    r = c.get(route)
                    self.assertEqual(r.status, 200)
                    self.assertEqual(r.json()["status"], "completed")
                    self.assertEqual(r.header("Cache-Control"), "no-store")
                path = corpus(relpath)
                for query, args in (("", []), ("?format=json", ["--to", "json"]),
                                    ("?style=excel-br", ["--style", "excel-br"])):
                    r = c.get(base + "/download" + query)
                    self.assertEqual(r.status, 200, r.body)
                    self.assertEqual(r.body, cli_output(path, *args), "download%s differs from the CLI" % query)
                    disposition = r.header("Content-Disposition")
                    self.assertTrue(disposition.startswith('attachment; filename="'), disposition)
                    self.assertNotRegex(disposition.split(";")[1], r'[/\\]')
                self.assertTrue(c.get(base + "/download").header("Content-Type").startswith("text/csv"))
                self.assertEqual(c.get(base + "/download?format=json").header("Content-Type"), "application/json")
                self.assertEqual(c.get(base + "/download?format=xml").status, 400)
        jobs = c.get("/api/v1/bank-statements/jobs").json()["jobs"]
        self.assertEqual([j["filename"] for j in jobs],
                         [os.path.basename(p) for p in (XLS, XLSX, CSV, OFX)], "newest first")

    def test_a_parse_error_fails_the_job_and_download_is_409(self):
        c = self.new_client()
        job, seen = self.upload_and_wait(c, "invalid/n_bad-amount.ofx")
        final = seen[-1]
        self.assertEqual(final["status"], "failed")
        self.assertEqual(final["error_code"], "bad_amount")
        self.assertTrue(final["error"])
        r = c.get("/api/v1/bank-statements/jobs/%s/download" % job["id"])
        self.assertEqual(r.status, 409)
        self.assertEqual(r.json()["error"]["code"], "not_ready")

    def test_skip_bad_rows_converts_the_readable_rows_and_lists_the_others(self):
        c = self.new_client()
        good = read_bytes(corpus(OFX))
        self.assertIn(b"<TRNAMT>413.29 ", good)
        data = good.replace(b"<TRNAMT>413.29 ", b"<TRNAMT>41x.29 ", 1)

        # strict by default: the job fails on the row, and says the option would convert the rest
        r = c.upload("extrato.ofx", data)
        self.assertEqual(r.status, 201, r.body)
        self.assertIs(r.json()["job"]["skip_bad_rows"], False)
        strict = c.wait_final(r.json()["job"]["id"])[-1]
        self.assertEqual(strict["status"], "failed")
        self.assertEqual(strict["error_code"], "bad_amount")
        self.assertIs(strict["row_error"], True)

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "extrato.ofx")
            with open(path, "wb") as f:
                f.write(data)
            cli = {}
            for name, args in (("csv", []), ("json", ["--to", "json"])):
                run = subprocess.run([os.environ["BANKFLOW_CLI_BIN"], "convert", path, "--skip-bad-rows", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                self.assertEqual(run.returncode, 3, run.stderr)
                cli[name] = run.stdout

        # as a form field, and as a query parameter: the same result, byte for byte the CLI's
        for fields, query in (([("skip_bad_rows", "1")], ""), ([], "?skip_bad_rows=true")):
            with self.subTest(fields=fields, query=query):
                r = c.upload("extrato.ofx", data, fields=fields, query=query)
                self.assertEqual(r.status, 201, r.body)
                job = r.json()["job"]
                self.assertIs(job["skip_bad_rows"], True)
                final = c.wait_final(job["id"])[-1]
                self.assertEqual(final["status"], "completed", final)
                self.assertEqual(final["skipped_rows"], 1)
                self.assertIs(final["row_error"], False)
                self.assertEqual(final["transactions"], good.count(b"<STMTTRN>") - 1)
                base = "/api/v1/bank-statements/jobs/" + job["id"]
                self.assertEqual(c.get(base + "/download").body, cli["csv"])
                self.assertEqual(c.get(base + "/preview").json()["skipped_rows"],
                                 json.loads(cli["json"])["skipped_rows"])
                doc = c.get(base + "/download?format=json")
                self.assertEqual(doc.body, cli["json"])
                skipped = doc.json()["skipped_rows"]
                self.assertEqual(len(skipped), 1)
                self.assertEqual(skipped[0]["code"], "bad_amount")
                self.assertIn("41x.29", skipped[0]["raw"])

        r = c.upload("extrato.ofx", data, fields=[("skip_bad_rows", "maybe")])
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.json()["error"]["code"], "invalid_argument")

    def test_another_session_gets_404_on_every_job_route(self):
        owner = self.new_client()
        job, _ = self.upload_and_wait(owner, OFX)
        stranger = self.new_client()
        missing = "0" * 32
        base = "/api/v1/bank-statements/jobs/"
        for suffix in ("", "/status", "/download", "/download?format=json"):
            theirs = stranger.get(base + job["id"] + suffix)
            nothing = stranger.get(base + missing + suffix)
            self.assertEqual(theirs.status, 404, suffix)
            self.assertEqual(nothing.status, 404, suffix)
            self.assertEqual(theirs.body.replace(job["id"].encode(), b"X"),
                             nothing.body.replace(missing.encode(), b"X"),
                             "another's job must look exactly like a missing one")
        # the event stream too, and without any cookie
        h = {"Accept": "text/event-stream"}
        self.assertEqual(stranger.get(base + job["id"] + "/status", headers=h).status, 404)
        anonymous = Client(self.server)
        for suffix in ("", "/status", "/download"):
            self.assertEqual(anonymous.get(base + job["id"] + suffix).status, 404)
        self.assertEqual(stranger.get(base).json()["jobs"], [])
        # and the owner still sees it
        self.assertEqual(owner.get(base + job["id"]).status, 200)

    def test_posts_without_the_right_csrf_token_are_403(self):
        c = self.new_client()
        other = self.new_client()
        data = read_bytes(corpus(OFX))
        for label, token in (("missing", None), ("wrong", "x" * 43), ("another session's", other.csrf)):
            with self.subTest(token=label):
                r = c.upload("a.ofx", data, csrf=token if token else False)
                self.assertEqual(r.status, 403, r.body)
                self.assertEqual(r.json()["error"]["code"], "csrf_invalid")
        anonymous = Client(self.server)
        r = anonymous.upload("a.ofx", data, csrf=c.csrf)
        self.assertEqual(r.status, 403)

    def test_the_eleventh_upload_in_an_hour_is_429(self):
        c = self.new_client()
        data = read_bytes(corpus(OFX))
        # refused files (an image, a form without the file) are not uploads: they do not count
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        for _ in range(3):
            self.assertEqual(c.upload("extrato.png", png).status, 415)
        for i in range(10):
            r = c.upload("a.ofx", data)
            self.assertEqual(r.status, 201, "upload %d: %r" % (i + 1, r.body))
        r = c.upload("a.ofx", data)
        self.assertEqual(r.status, 429)
        self.assertEqual(r.json()["error"]["code"], "rate_limited")
        self.assertGreater(int(r.header("Retry-After")), 0)
        # the limit is per session
        self.assertEqual(self.new_client().upload("a.ofx", data).status, 201)

    def test_an_11_MiB_upload_is_413_before_its_body_is_sent(self):
        c = self.new_client()
        head = ("POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nCookie: bankflow_session=%s\r\n"
                "X-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                "Content-Length: %d\r\n\r\n" % (c.cookie, c.csrf, 11 * MiB)).encode()
        raw = raw_exchange(self.server.port, head, read_timeout=5)
        self.assertEqual(status_of(raw), 413, raw[:200])
        self.assertIn(b"payload_too_large", raw)
        self.assertIn(b"Connection: close", raw)
        self.assertTrue(self.server.alive())

    def test_a_chunked_body_over_the_limit_is_413(self):
        c = self.new_client()
        head = ("POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nCookie: bankflow_session=%s\r\n"
                "X-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % (c.cookie, c.csrf)).encode()
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(head)
            chunk = b"%x\r\n" % MiB + b"a" * MiB + b"\r\n"
            try:
                for _ in range(12):
                    s.sendall(chunk)
            except OSError:
                pass  # the server may close while we are still sending
            answer = s.recv(4096)
        finally:
            s.close()
        self.assertEqual(status_of(answer), 413, answer[:200])

    def test_containers_and_non_statements_are_refused_with_what_to_do(self):
        c = self.new_client()
        cases = [("invalid/n_screenshot.png", 415, "unsupported_container"),
                 ("invalid/n_extrato.xls", 422, "damaged_container"),
                 ("invalid/n_c6-extrato-password.xlsx", 415, "encrypted"),
                 ("invalid/n_xlsx-zip-bomb.xlsx", 413, "limit_exceeded"),
                 ("invalid/n_random-bytes.bin", 422, None),
                 ("invalid/n_random-text.csv", 422, None),
                 ("invalid/n_empty.ofx", 422, None)]
        for relpath, status, code in cases:
            with self.subTest(file=relpath):
                r = c.upload(os.path.basename(relpath), read_bytes(corpus(relpath)))
                self.assertEqual(r.status, status, r.body)
                err = r.json()["error"]
                if code:
                    self.assertEqual(err["code"], code)
                self.assertGreater(len(err["message"]), 20 if code else 10, err)
        png = c.upload("x.png", read_bytes(corpus("invalid/n_screenshot.png"))).json()["error"]["message"]
        self.assertRegex(png, r"(?i)image")
        self.assertRegex(png, r"(?i)ofx|csv", "the message says what to export instead")
        self.assertEqual(c.get("/api/v1/bank-statements/jobs").json()["jobs"], [], "no job for a refused file")
        # a PDF is opened only by its job (in a child process): a broken one fails its job
        r = c.upload("x.pdf", read_bytes(corpus("invalid/n_statement.pdf")))
        self.assertEqual(r.status, 201, r.body)
        job = c.wait_final(r.json()["job"]["id"])[-1]
        self.assertEqual(job["status"], "failed", job)
        self.assertEqual(job["error_code"], "damaged_container")
        self.assertRegex(job["error"], r"(?i)ofx|csv", "the message says what to export instead")

    def test_bad_multipart_is_400_and_the_server_lives_on(self):
        c = self.new_client()
        good, ctype = multipart([], [("file", "a.ofx", read_bytes(corpus(OFX)))])
        cases = [
            ("no boundary", b"x", "multipart/form-data"),
            ("not multipart", b"x", "application/json"),
            ("no delimiter", b"just text", ctype),
            ("truncated", good[: len(good) // 2], ctype),
            ("no file field", multipart([("other", "1")], [])[0], ctype.replace(ctype.split("=")[1],
                                                                              multipart([("other", "1")], [])[1].split("=")[1])),
        ]
        for label, body, content_type in cases:
            with self.subTest(case=label):
                r = c.request("POST", "/api/v1/files/upload", body=body,
                              headers={"Content-Type": content_type, "X-CSRF-Token": c.csrf})
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(r.json()["error"]["code"], "invalid_argument")
        self.assertEqual(c.get("/health").status, 200)

    def test_malformed_http_is_answered_never_a_crash(self):
        port = self.server.port
        cases = [
            (b"GARBAGE\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),
            (b"GET / HTTP/9.9\r\n\r\n", 400),
            (b"POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431),
            (b"\x00\x01\x02\xff\r\n\r\n", 400),
        ]
        for data, status in cases:
            with self.subTest(data=data[:40]):
                raw = raw_exchange(port, data, read_timeout=5)
                self.assertEqual(status_of(raw), status, raw[:200])
        # a client that sends half a request and hangs up
        raw_exchange(port, b"GET /health HTTP/1.1\r\nHo", read_timeout=1, shutdown=True)
        self.assertEqual(Client(self.server).get("/health").status, 200)
        self.assertTrue(self.server.alive())

    def test_unknown_routes_and_methods(self):
        c = Client(self.server)
        r = c.get("/api/v1/nothing")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"]["code"], "not_found")
        r = c.request("DELETE", "/api/v1/session")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("Allow"), "GET, HEAD")

    def test_security_headers_on_every_response(self):
        c = Client(self.server)
        for path in ("/", "/demo", "/static/demo.js", "/static/style.css", "/static/none.js", "/health",
                     "/metrics", "/api/v1/session", "/api/v1/banks", "/nothing"):
            with self.subTest(path=path):
                r = c.get(path)
                csp = r.header("Content-Security-Policy")
                self.assertIn("script-src 'self'", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                self.assertEqual(r.header("Referrer-Policy"), "no-referrer")
                self.assertEqual(r.header("X-Frame-Options"), "DENY")
                self.assertRegex(r.header("X-Request-Id"), r"^[0-9a-f]{16}$")
                if path.startswith("/api/") or path in ("/health", "/metrics"):
                    self.assertEqual(r.header("Cache-Control"), "no-store")
        # a client's own id is kept only from a --trusted-proxy (test_http_hardening.py)
        self.assertNotEqual(c.get("/health", headers={"X-Request-Id": "trace-42"}).header("X-Request-Id"), "trace-42")

    def test_web_app_is_served_from_the_binary_without_inline_script(self):
        c = Client(self.server)
        index = c.get("/")
        self.assertEqual(index.status, 200)
        self.assertEqual(index.header("Content-Type"), "text/html; charset=utf-8")
        self.assertIn(b'lang="pt-BR"', index.body)
        self.assertIn(b'href="/demo"', index.body)
        demo = c.get("/demo")
        self.assertIn(b'type="file"', demo.body)
        for page in (index.body, demo.body):
            for script in re.findall(rb"<script[^>]*>", page):
                self.assertIn(b"src=", script, "inline scripts break the CSP")
        js = c.get("/static/demo.js")
        self.assertEqual(js.status, 200)
        self.assertTrue(js.header("Content-Type").startswith("text/javascript"))
        etag = js.header("ETag")
        self.assertEqual(c.get("/static/demo.js", headers={"If-None-Match": etag}).status, 304)
        self.assertEqual(c.get("/static/../secret").status, 404)
        banks = c.get("/api/v1/banks").json()
        self.assertIn("itau", [b["id"] for b in banks])

    def test_health_ready_and_metrics(self):
        c = Client(self.server)
        self.assertEqual(c.get("/health").json(), {"status": "ok"})
        ready = c.get("/health/ready")
        self.assertEqual(ready.status, 200)
        self.assertEqual(ready.json()["status"], "ready")
        self.assertEqual(ready.json()["redis"], "disabled")
        owner = self.new_client()
        self.upload_and_wait(owner, OFX)
        text = c.get("/metrics").body.decode()
        self.assertIn('bankflow_http_requests_total{route="/health",method="GET",status="200"}', text)
        self.assertIn('route="/api/v1/bank-statements/jobs/:id/status"', text, "route label is the pattern")
        self.assertNotRegex(text, r'route="/api/v1/bank-statements/jobs/[0-9a-f]{32}')
        self.assertRegex(text, r'bankflow_jobs\{status="completed"\} [1-9]')
        self.assertRegex(text, r"(?m)^bankflow_queue_depth \d+$")
        self.assertRegex(text, r'(?m)^bankflow_job_parse_seconds_count [1-9]')
        self.assertRegex(text, r'bankflow_http_request_duration_seconds_bucket\{route="/health",le="\+Inf"\} [1-9]')

    def test_one_json_log_line_per_request(self):
        c = Client(self.server)
        rid = c.get("/health", headers={"X-Request-Id": "log-check-1"}).header("X-Request-Id")
        deadline = time.time() + 5
        entry = None
        while time.time() < deadline and entry is None:
            for line in list(self.server.log):
                e = json.loads(line)
                if e.get("request_id") == rid and e.get("client_request_id") == "log-check-1":
                    entry = e
            time.sleep(0.05)
        self.assertIsNotNone(entry)
        for key in ("time", "method", "target", "status", "duration_ms"):
            self.assertIn(key, entry)
        self.assertEqual((entry["method"], entry["target"], entry["status"]), ("GET", "/health", 200))


class SlowWorker(unittest.TestCase):
    """A server whose worker holds each job in `processing` for a while (test-only flag)."""

    def test_sse_shows_every_change_and_download_waits(self):
        server = Server("--test-worker-delay-ms", "1500", "--uploads-per-hour", "3", "--workers", "1")
        try:
            c = Client(server)
            c.start_session()
            r = c.upload("a.ofx", read_bytes(corpus(OFX)))
            self.assertEqual(r.status, 201)
            job_id = r.json()["job"]["id"]
            time.sleep(0.3)
            early = c.get("/api/v1/bank-statements/jobs/%s/download" % job_id)
            self.assertEqual(early.status, 409)
            self.assertEqual(early.json()["error"]["code"], "not_ready")
            statuses = [e["status"] for e in c.events(job_id)]
            self.assertEqual(statuses[-1], "completed")
            self.assertIn("processing", statuses[:-1], "the stream shows the change, not only the end")
            self.assertEqual(c.get("/api/v1/bank-statements/jobs/%s/download" % job_id).status, 200)
            # --uploads-per-hour 3: the 4th is refused
            for _ in range(2):
                self.assertEqual(c.upload("a.ofx", read_bytes(corpus(OFX))).status, 201)
            r = c.upload("a.ofx", read_bytes(corpus(OFX)))
            self.assertEqual(r.status, 429)
            self.assertGreater(int(r.header("Retry-After")), 3000)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


class SlowClients(unittest.TestCase):
    """A client that trickles its request is cut off after --read-timeout (the idle timeout is far
    longer here, so it is the read timeout that acts), and the server goes on serving others."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--read-timeout", "1", "--idle-timeout", "30")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code

    def closed_within(self, sock, seconds):
        """True when the server closes the connection (or answers and closes) within `seconds`."""
        sock.settimeout(seconds)
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return True
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True

    def test_a_half_sent_header_is_cut_off_after_the_read_timeout(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            t0 = time.monotonic()
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
            self.assertTrue(self.closed_within(s, 5), "the server kept a trickling client")
            self.assertLess(time.monotonic() - t0, 4.5)
        finally:
            s.close()
        self.assertEqual(Client(self.server).get("/health").status, 200)

    def test_a_header_that_never_ends_gets_a_408(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
            s.settimeout(5)
            answer = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except (socket.timeout, ConnectionResetError):
                pass
        finally:
            s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 408 "), answer[:100])
        self.assertIn(b"Connection: close", answer)
        self.assertIn(b"request_timeout", answer)

    def test_a_body_that_stops_coming_is_cut_off(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            t0 = time.monotonic()
            s.sendall(b"POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                      b"boundary=b\r\nContent-Length: 1000\r\n\r\n--b\r\n")
            self.assertTrue(self.closed_within(s, 5), "the server waited forever for the body")
            self.assertLess(time.monotonic() - t0, 4.5)
        finally:
            s.close()
        self.assertTrue(self.server.alive())


class IdleClients(SlowClients):
    """A keep-alive connection with no next request is closed after --idle-timeout (the read
    timeout is far longer here)."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--read-timeout", "30", "--idle-timeout", "1")

    # the trickling tests belong to SlowClients' settings
    test_a_half_sent_header_is_cut_off_after_the_read_timeout = None
    test_a_header_that_never_ends_gets_a_408 = None
    test_a_body_that_stops_coming_is_cut_off = None

    def test_an_idle_keep_alive_connection_is_closed(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            self.assertEqual(status_of(first), 200)
            self.assertTrue(self.closed_within(s, 5), "an idle keep-alive connection stayed open")
        finally:
            s.close()


class Shutdown(unittest.TestCase):
    def test_sigterm_finishes_the_request_in_flight_and_exits_0(self):
        server = Server()
        try:
            c = Client(server)
            c.start_session()
            body, ctype = multipart([], [("file", "a.ofx", read_bytes(corpus(OFX)))])
            head = ("POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nCookie: bankflow_session=%s\r\n"
                    "X-CSRF-Token: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                    % (c.cookie, c.csrf, ctype, len(body))).encode()
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(head + body[:100])
            time.sleep(0.3)
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            self.assertIsNone(server.proc.poll(), "the server waits for the request in flight")
            s.sendall(body[100:])
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
            s.close()
            self.assertEqual(status_of(answer), 201, answer[:300])
            self.assertIn(b"Connection: close", answer)
            self.assertEqual(idle.recv(10), b"", "an idle connection is closed")
            idle.close()
            self.assertEqual(server.proc.wait(15), 0)
            messages = [json.loads(l).get("msg") for l in server.log if l.startswith("{")]
            self.assertIn("shutting down", messages)
            self.assertEqual(messages[-1], "stopped")
        finally:
            server.cleanup()


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
