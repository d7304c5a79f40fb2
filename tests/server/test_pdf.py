"""PDFs through bankflow-server, driving the real binary: a PDF upload becomes a job read in a
child process with limits (a PDF over them fails only its job, and the server goes on), the
password field reaches the job without being stored, and a scan fails with what to do instead.
Run by ctest (server.pdf); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, OneServer, Server, cli_output, corpus, read_bytes, require_binaries  # noqa: E402

BILL = "nubank/nubank-fatura-pdf-2025-05.pdf"
LOCKED = "nubank/nubank-fatura-pdf-2025-05-senha.pdf"
SCAN = "other/n_scan-fatura-imagem.pdf"
OFX = "bb/bb-ofx-2017-two-statements-cp1252.ofx"


def final_job(client, upload):
    assert upload.status == 201, upload.body
    job_id = upload.json()["job"]["id"]
    return job_id, client.wait_final(job_id)[-1]


class PdfJobs(OneServer):

    def test_a_pdf_bill_converts_to_what_the_cli_writes(self):
        c = Client(self.server)
        c.start_session()
        job_id, job = final_job(c, c.upload("fatura.pdf", read_bytes(corpus(BILL))))
        self.assertEqual(job["status"], "completed", job)
        self.assertEqual(job["format"], "nubank-fatura-pdf")
        self.assertEqual(job["bank"], "nubank")
        r = c.get("/api/v1/bank-statements/jobs/%s/download?format=json" % job_id)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body, cli_output(corpus(BILL), "--to", "json"))
        self.assertEqual(r.json()["reconciliation"]["status"], "ok")

    def test_the_password_field_opens_a_protected_pdf_and_is_never_kept(self):
        c = Client(self.server)
        c.start_session()
        data = read_bytes(corpus(LOCKED))
        _, job = final_job(c, c.upload("fatura.pdf", data))
        self.assertEqual(job["status"], "failed", job)
        self.assertEqual(job["error_code"], "encrypted")
        self.assertIn("password", job["error"])
        _, job = final_job(c, c.upload("fatura.pdf", data, fields=[("password", "99999")]))
        self.assertEqual(job["error_code"], "encrypted")
        self.assertIn("wrong", job["error"])
        job_id, job = final_job(c, c.upload("fatura.pdf", data, fields=[("password", "12345")]))
        self.assertEqual(job["status"], "completed", job)
        # nothing the server wrote holds the password
        for root, _, files in os.walk(self.server.data_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    self.assertNotIn(b"12345\x00", f.read(), name)

    def test_a_scan_fails_its_job_saying_what_to_export_instead(self):
        c = Client(self.server)
        c.start_session()
        _, job = final_job(c, c.upload("scan.pdf", read_bytes(corpus(SCAN))))
        self.assertEqual(job["status"], "failed", job)
        self.assertEqual(job["error_code"], "scanned_pdf")
        self.assertRegex(job["error"], "(?i)ofx|csv")


class PdfLimits(unittest.TestCase):
    def test_a_crash_of_the_pdf_reader_fails_only_its_job(self):
        # the child that reads the PDF aborts (as on a PDF that crashes poppler)
        server = Server("--test-pdf-reader-crash")
        try:
            c = Client(server)
            c.start_session()
            _, job = final_job(c, c.upload("fatura.pdf", read_bytes(corpus(BILL))))
            self.assertEqual(job["status"], "failed", job)
            self.assertEqual(job["error_code"], "damaged_container")
            self.assertIn("stopped", job["error"])
            # the server and its worker go on: the next file converts
            _, job = final_job(c, c.upload("a.ofx", read_bytes(corpus(OFX))))
            self.assertEqual(job["status"], "completed", job)
            self.assertEqual(c.get("/health").status, 200)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()

    def test_a_pdf_over_the_page_limit_fails_its_job_naming_the_limit(self):
        server = Server("--pdf-max-pages", "1")
        try:
            c = Client(server)
            c.start_session()
            _, job = final_job(c, c.upload("fatura.pdf", read_bytes(corpus(BILL))))
            self.assertEqual(job["status"], "failed", job)
            self.assertEqual(job["error_code"], "limit_exceeded")
            self.assertIn("limit of 1", job["error"])
            # the server (and its worker) still convert the next file
            _, job = final_job(c, c.upload("a.ofx", read_bytes(corpus(OFX))))
            self.assertEqual(job["status"], "completed", job)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()

    def test_a_reader_that_never_answers_is_killed_at_its_deadline(self):
        # a child blocked (on a lock, a pipe) uses no CPU: the wall-clock deadline ends it
        server = Server("--test-pdf-reader-hang", "--pdf-cpu-seconds", "1")
        try:
            c = Client(server)
            c.start_session()
            _, job = final_job(c, c.upload("fatura.pdf", read_bytes(corpus(BILL))))
            self.assertEqual(job["status"], "failed", job)
            self.assertEqual(job["error_code"], "limit_exceeded")
            self.assertIn("took longer than the limit of 12 s", job["error"])
            self.assertEqual(reader_children(server), [])
            _, job = final_job(c, c.upload("a.ofx", read_bytes(corpus(OFX))))
            self.assertEqual(job["status"], "completed", job)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()

    def test_the_reader_child_is_a_fresh_program_that_dies_with_the_server(self):
        server = Server("--test-pdf-reader-hang")
        try:
            c = Client(server)
            c.start_session()
            c.upload("fatura.pdf", read_bytes(corpus(BILL)))
            deadline = time.monotonic() + 20
            while not reader_children(server) and time.monotonic() < deadline:
                time.sleep(0.05)
            children = reader_children(server)
            self.assertEqual(len(children), 1)
            # exec'd: its own program image, holding none of the server's sockets or database
            pid = children[0]
            fds = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
            self.assertFalse([f for f in fds if f.startswith("socket:") or f.endswith(".db")], fds)
            server.kill()
            deadline = time.monotonic() + 10
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(reader_children(server), [])
        finally:
            server.kill()
            server.cleanup()


def reader_children(server):
    """The PIDs of live PDF reader processes working on this server's uploads."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            with open(f"/proc/{pid}/stat", "rb") as f:
                zombie = f.read().rsplit(b")", 1)[1].split()[0] == b"Z"
        except OSError:
            continue
        if not zombie and b"--bankflow-pdf-reader" in args and any(server.data_dir.encode() in a for a in args):
            found.append(int(pid))
    return found


if __name__ == "__main__":
    require_binaries()
    unittest.main()
