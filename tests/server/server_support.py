"""Drives the real bankflow-server for the HTTP tests: start it on a free port with a temporary
data directory, talk to it as a browser would (cookie, CSRF header, multipart, SSE), stop it.
Python 3 standard library only."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import unittest
import threading
import time
import uuid

SERVER = os.environ.get("BANKFLOW_SERVER_BIN", "")
CLI = os.environ.get("BANKFLOW_CLI_BIN", "")
CORPUS = os.environ.get("BANKFLOW_CORPUS_DIR", "")


OFX = "bb/bb-ofx-2017-two-statements-cp1252.ofx"  # a small statement every server test may upload


def corpus(path):
    return os.path.join(CORPUS, path)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class Server:
    """One bankflow-server process. Its JSON log lines are kept in self.log."""

    def __init__(self, *args, data_dir=None, env=None, start_timeout=20):
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="bankflow-server-test-")
        self.log = []
        full_env = dict(os.environ)
        for k in list(full_env):
            if k.startswith("BANKFLOW_") and k not in ("BANKFLOW_SERVER_BIN", "BANKFLOW_CLI_BIN",
                                                     "BANKFLOW_CORPUS_DIR") and not k.startswith("BANKFLOW_TEST_"):
                del full_env[k]
        full_env.update(env or {})
        cmd = [SERVER, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir, *args]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=full_env)
        self.port = None
        ready = threading.Event()

        def drain():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.log.append(line)
                if self.port is None:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    if entry.get("msg") == "listening":
                        self.port = int(entry["address"].rsplit(":", 1)[1])
                        ready.set()
            ready.set()

        self.reader = threading.Thread(target=drain, daemon=True)
        self.reader.start()
        if not ready.wait(start_timeout) or self.port is None:
            self.kill()
            raise RuntimeError("bankflow-server did not start:\n" + "\n".join(self.log))

    def conn(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def alive(self):
        return self.proc.poll() is None

    def stop(self, timeout=30):
        """SIGTERM and wait; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.reader.join(5)
        self.proc.stderr.close()
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(5)
        self.proc.stderr.close()

    def cleanup(self):
        if self.proc.poll() is None:
            self.stop()
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


class OneServer(unittest.TestCase):
    """Tests that share one default server: started once for the class, and it must exit 0."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code


class Response:
    def __init__(self, resp):
        self.status = resp.status
        self.headers = resp.headers
        self.body = resp.read()

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name)


def multipart(fields, files, boundary=None):
    """Encodes a multipart/form-data body; files are (field, filename, bytes)."""
    boundary = boundary or "----bankflow" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
        out += value.encode() + b"\r\n"
    for name, filename, data in files:
        out += b"--" + boundary.encode() + b"\r\n"
        out += (b'Content-Disposition: form-data; name="' + name.encode() + b'"; filename="' +
                filename.encode() + b'"\r\n')
        out += b"Content-Type: application/octet-stream\r\n\r\n"
        out += data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return bytes(out), "multipart/form-data; boundary=" + boundary


class Client:
    """A visitor: keeps the session cookie and the CSRF token, like the demo page."""

    def __init__(self, server):
        self.server = server
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, headers=None, timeout=30):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = "bankflow_session=" + self.cookie
        c = self.server.conn(timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = Response(c.getresponse())
        finally:
            c.close()
        self._remember(r)
        return r

    def _remember(self, r):
        set_cookie = r.header("Set-Cookie")
        if set_cookie and set_cookie.startswith("bankflow_session="):
            self.cookie = set_cookie.split(";", 1)[0].split("=", 1)[1]

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def start_session(self):
        r = self.get("/api/v1/session")
        assert r.status == 200, r.body
        self.csrf = r.json()["csrf_token"]
        return r

    def sign_up(self, email=None, password="correct horse battery", name="Teste"):
        """Creates an account and logs in with it (the session cookie and CSRF token change)."""
        if not self.csrf:
            self.start_session()
        email = email or "user-%s@example.com" % uuid.uuid4().hex[:12]
        r = self.request("POST", "/api/v1/auth/signup",
                         body=json.dumps({"email": email, "password": password, "name": name}).encode(),
                         headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf})
        assert r.status == 201, (r.status, r.body)
        self.csrf = r.json()["csrf_token"]
        self.email, self.password = email, password
        return r

    def log_in(self, email, password):
        """Logs in (the session cookie and CSRF token change on success); returns the response."""
        if not self.csrf:
            self.start_session()
        r = self.request("POST", "/api/v1/auth/login",
                         body=json.dumps({"email": email, "password": password}).encode(),
                         headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf})
        if r.status == 200:
            self.csrf = r.json()["csrf_token"]
        return r

    def upload(self, filename, data, csrf=True, fields=(), query=""):
        body, ctype = multipart(list(fields), [("file", filename, data)])
        headers = {"Content-Type": ctype}
        if csrf is True and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        elif isinstance(csrf, str):
            headers["X-CSRF-Token"] = csrf
        return self.request("POST", "/api/v1/files/upload" + query, body=body, headers=headers)

    def events(self, job_id, timeout=30):
        """The SSE stream of a job: yields each `data:` payload (parsed) until the server ends it."""
        h = {"Accept": "text/event-stream"}
        if self.cookie:
            h["Cookie"] = "bankflow_session=" + self.cookie
        c = self.server.conn(timeout)
        c.request("GET", "/api/v1/bank-statements/jobs/%s/status" % job_id, headers=h)
        resp = c.getresponse()
        if resp.status != 200:
            raise AssertionError("SSE answered %d: %r" % (resp.status, resp.read()))
        assert resp.headers.get("Content-Type", "").startswith("text/event-stream")
        try:
            data = []
            while True:
                line = resp.readline()
                if not line:
                    return
                line = line.decode("utf-8").rstrip("\r\n")
                if line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and data:
                    yield json.loads("\n".join(data))
                    data = []
        finally:
            c.close()

    def wait_final(self, job_id, timeout=30):
        """Follows the SSE stream; returns every state seen, the last one final."""
        seen = list(self.events(job_id, timeout))
        assert seen, "the SSE stream sent nothing"
        assert seen[-1]["status"] in ("completed", "failed"), seen
        return seen


def cli_output(path, *args):
    return subprocess.run([CLI, "convert", path, *args], check=True, stdout=subprocess.PIPE).stdout


def raw_exchange(port, data, read_timeout=10, shutdown=False):
    """Sends raw bytes, returns everything the server answers until it closes or goes quiet."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    try:
        s.sendall(data)
        if shutdown:
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        s.close()


def status_of(raw):
    line = raw.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def require_binaries():
    missing = [n for n, v in (("BANKFLOW_SERVER_BIN", SERVER), ("BANKFLOW_CLI_BIN", CLI),
                              ("BANKFLOW_CORPUS_DIR", CORPUS)) if not v]
    if missing:
        print("set " + ", ".join(missing) + " (ctest does)", file=sys.stderr)
        sys.exit(2)
