"""bankflow-server's abuse limits, driving the real binary: uploads and new sessions per client
address (behind trusted proxies, the first untrusted X-Forwarded-For hop), the connection caps,
and the minimum body rate that replaced a read timeout covering the whole body.
Run by ctest (server.limits); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import os
import select
import socket
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, Server, corpus, multipart, read_bytes, require_binaries, status_of  # noqa: E402

OFX = "bb/bb-ofx-2017-two-statements-cp1252.ofx"
REDIS = os.environ.get("BANKFLOW_TEST_REDIS_URL", "")


def stopped(server):
    code = server.stop()
    server.cleanup()
    return code


class PerAddressLimits(unittest.TestCase):
    def test_dropping_the_cookie_does_not_escape_the_upload_limit(self):
        server = Server("--uploads-per-hour", "10", "--uploads-per-address-per-hour", "3")
        try:
            data = read_bytes(corpus(OFX))
            for i in range(3):
                c = Client(server)  # a fresh cookie each time
                c.start_session()
                r = c.upload("a.ofx", data)
                self.assertEqual(r.status, 201, "upload %d: %r" % (i + 1, r.body))
            c = Client(server)
            c.start_session()
            r = c.upload("a.ofx", data)
            self.assertEqual(r.status, 429, r.body)
            self.assertEqual(r.json()["error"]["code"], "rate_limited")
            self.assertIn("from one address", r.json()["error"]["message"])
            self.assertGreater(int(r.header("Retry-After")), 3000)
        finally:
            self.assertEqual(stopped(server), 0)

    def test_sixty_new_sessions_per_address_per_hour_by_default(self):
        server = Server()
        try:
            for i in range(60):
                r = Client(server).get("/api/v1/session")  # no cookie: a new session each time
                self.assertEqual(r.status, 200, "session %d: %r" % (i + 1, r.body))
            r = Client(server).get("/api/v1/session")
            self.assertEqual(r.status, 429, r.body)
            self.assertEqual(r.json()["error"]["code"], "rate_limited")
            self.assertIsNone(r.header("Set-Cookie"))
            self.assertGreater(int(r.header("Retry-After")), 3000)
        finally:
            self.assertEqual(stopped(server), 0)

    def test_a_session_already_held_keeps_working_at_the_session_limit(self):
        server = Server("--sessions-per-address-per-hour", "2")
        try:
            first = Client(server)
            first.start_session()
            Client(server).start_session()
            r = Client(server).get("/api/v1/session")
            self.assertEqual(r.status, 429, r.body)
            self.assertEqual(first.get("/api/v1/session").status, 200)
            self.assertEqual(first.upload("a.ofx", read_bytes(corpus(OFX))).status, 201)
        finally:
            self.assertEqual(stopped(server), 0)

    def test_x_forwarded_for_counts_only_from_a_trusted_proxy(self):
        def session_status(server, xff):
            return Client(server).get("/api/v1/session", headers={"X-Forwarded-For": xff}).status

        # no trusted proxy: a client's own X-Forwarded-For changes nothing
        server = Server("--sessions-per-address-per-hour", "2")
        try:
            self.assertEqual([session_status(server, "198.51.100.%d" % i) for i in range(3)], [200, 200, 429])
        finally:
            self.assertEqual(stopped(server), 0)
        # behind a trusted proxy (this test is it), the first untrusted hop from the right
        server = Server("--sessions-per-address-per-hour", "2", env={"BANKFLOW_TRUSTED_PROXY": "127.0.0.1, 10.0.0.0/8"})
        try:
            self.assertEqual(session_status(server, "198.51.100.1"), 200)
            # what the client put on the left is ignored; 10.0.0.5 is a trusted hop
            self.assertEqual(session_status(server, "203.0.113.1, 198.51.100.1, 10.0.0.5"), 200)
            self.assertEqual(session_status(server, "203.0.113.2, 198.51.100.1"), 429)
            self.assertEqual(session_status(server, "198.51.100.2"), 200)
        finally:
            self.assertEqual(stopped(server), 0)

    @unittest.skipUnless(REDIS, "BANKFLOW_TEST_REDIS_URL is unset")
    def test_the_address_limit_holds_across_processes_sharing_redis(self):
        prefix = "bftest:limits:%s:" % uuid.uuid4().hex
        args = ("--redis-url", REDIS, "--redis-prefix", prefix, "--sessions-per-address-per-hour", "3")
        one, two = Server(*args), Server(*args)
        try:
            statuses = [Client(s).get("/api/v1/session").status for s in (one, two, one, two)]
            self.assertEqual(statuses, [200, 200, 200, 429])
        finally:
            self.assertEqual(stopped(one), 0)
            self.assertEqual(stopped(two), 0)


def busy_socket(port, source="127.0.0.1"):
    """A connection in the middle of a request header: not idle, never finished."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    return s


def exchange(port, source="127.0.0.1", timeout=5):
    """GET /health on a new connection: the raw answer and how long it took."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(timeout)
    t0 = time.monotonic()
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    finally:
        s.close()
    return data, time.monotonic() - t0


def closed_within(sock, seconds):
    sock.settimeout(seconds)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


class ConnectionCaps(unittest.TestCase):
    def setUp(self):
        self.server = Server("--max-connections", "20", "--max-connections-per-address", "0",
                             "--read-timeout", "30", "--idle-timeout", "30")
        self.sockets = []

    def tearDown(self):
        for s in self.sockets:
            s.close()
        self.assertEqual(stopped(self.server), 0)

    def test_over_the_cap_a_client_gets_a_quick_503_and_the_server_goes_on(self):
        self.sockets = [busy_socket(self.server.port) for _ in range(20)]
        time.sleep(0.3)  # all accepted
        answer, took = exchange(self.server.port)
        self.assertEqual(status_of(answer), 503, answer[:300])
        self.assertLess(took, 2.0)
        self.assertIn(b"Retry-After: 1", answer)
        self.assertIn(b"Connection: close", answer)
        self.assertIn(b"too_many_connections", answer)
        # one busy client finishes (and closes): there is room again
        s = self.sockets.pop()
        s.sendall(b"Connection: close\r\n\r\n")
        first = s.recv(65536)
        self.assertEqual(status_of(first), 200)
        self.assertTrue(closed_within(s, 5))
        s.close()
        time.sleep(0.2)
        answer, took = exchange(self.server.port)
        self.assertEqual(status_of(answer), 200, answer[:300])

    def test_at_the_cap_the_longest_idle_connection_makes_room(self):
        idle = []
        for _ in range(20):
            idle.append(socket.create_connection(("127.0.0.1", self.server.port), timeout=5))
            time.sleep(0.01)
        self.sockets = idle
        time.sleep(0.3)
        answer, took = exchange(self.server.port)
        self.assertEqual(status_of(answer), 200, answer[:300])
        self.assertLess(took, 2.0)
        self.assertTrue(closed_within(idle[0], 2), "the oldest idle connection was not closed")


class PerAddressConnectionCap(unittest.TestCase):
    def test_one_address_cannot_take_every_connection(self):
        server = Server("--max-connections", "100", "--max-connections-per-address", "5", "--read-timeout", "30")
        sockets = []
        try:
            sockets = [busy_socket(server.port) for _ in range(5)]
            time.sleep(0.3)
            answer, took = exchange(server.port)
            self.assertEqual(status_of(answer), 503, answer[:300])
            self.assertLess(took, 2.0)
            # another address is served (the whole of 127.0.0.0/8 is this host)
            answer, _ = exchange(server.port, source="127.0.0.2")
            self.assertEqual(status_of(answer), 200, answer[:300])
        finally:
            for s in sockets:
                s.close()
            self.assertEqual(stopped(server), 0)


class BodyRate(unittest.TestCase):
    """--read-timeout 2 for the header and any pause; a body must average 1 KiB/s after 1 s."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--read-timeout", "2", "--min-body-rate", "1024", "--body-grace", "1")

    @classmethod
    def tearDownClass(cls):
        assert stopped(cls.server) == 0

    def upload_head(self, body_length, ctype):
        c = Client(self.server)
        c.start_session()
        return ("POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nCookie: bankflow_session=%s\r\n"
                "X-CSRF-Token: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                % (c.cookie, c.csrf, ctype, body_length)).encode()

    def trickle(self, head, body, chunk, interval, limit):
        """Sends the head, then the body `chunk` bytes every `interval` s; returns (answer, seconds)."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        t0 = time.monotonic()
        answer = b""
        try:
            s.sendall(head)
            sent = 0
            while time.monotonic() - t0 < limit:
                readable, _, _ = select.select([s], [], [], interval)
                if readable:
                    data = s.recv(65536)
                    if not data:
                        break
                    answer += data
                    if b"\r\n\r\n" in answer and sent >= len(body):
                        break
                    continue
                if sent < len(body):
                    try:
                        s.sendall(body[sent:sent + chunk])
                    except (BrokenPipeError, ConnectionResetError):
                        sent = len(body)
                    sent += chunk
            # whatever else is on its way
            s.settimeout(2)
            try:
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    answer += data
            except (socket.timeout, ConnectionResetError):
                pass
        finally:
            s.close()
        return answer, time.monotonic() - t0

    def test_an_honest_upload_slower_than_the_read_timeout_completes(self):
        # default rate and grace, --read-timeout 2: 24 KiB at 8 KiB/s take 3 s without a pause
        honest = Server("--read-timeout", "2")
        try:
            self.server, saved = honest, self.server
            body, ctype = multipart([("padding", "x" * 20000)], [("file", "a.ofx", read_bytes(corpus(OFX)))])
            answer, took = self.trickle(self.upload_head(len(body), ctype), body, 1024, 0.125, 15)
            self.assertGreater(took, 2.0)
            self.assertEqual(status_of(answer), 201, answer[:400])
        finally:
            self.server = saved
            self.assertEqual(stopped(honest), 0)

    def test_a_body_slower_than_the_minimum_rate_gets_408_and_close(self):
        body, ctype = multipart([("padding", "x" * 20000)], [("file", "a.ofx", read_bytes(corpus(OFX)))])
        # 256 bytes/s: about 1.3 s until it falls behind 1 s + 1 KiB/s
        answer, took = self.trickle(self.upload_head(len(body), ctype), body, 64, 0.25, 10)
        self.assertEqual(status_of(answer), 408, answer[:400])
        self.assertIn(b"Connection: close", answer)
        self.assertIn(b"request_timeout", answer)
        self.assertLess(took, 6)
        self.assertEqual(Client(self.server).get("/health").status, 200)

    def test_a_body_that_stops_gets_408(self):
        body, ctype = multipart([], [("file", "a.ofx", read_bytes(corpus(OFX)))])
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            t0 = time.monotonic()
            s.sendall(self.upload_head(len(body), ctype) + body[:100])
            answer = b""
            while True:
                data = s.recv(65536)
                if not data:
                    break
                answer += data
            self.assertEqual(status_of(answer), 408, answer[:400])
            self.assertLess(time.monotonic() - t0, 4)
        finally:
            s.close()


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
