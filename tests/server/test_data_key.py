"""Uploads and results encrypted at rest, through bankflow-server: with --data-key (or
BANKFLOW_DATA_KEY) the files under <data-dir>/uploads and results hold none of the statement's
bytes, downloads are what the CLI writes, a server restarted with a new key in front of the old
one still serves the old files, a PDF (read in the reader child) converts too, and key text that
cannot be used refuses to start. Run by ctest (server.data_key); needs BANKFLOW_SERVER_BIN,
BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import (OFX, SERVER, Client, Server, cli_output, corpus, read_bytes,  # noqa: E402
                            require_binaries)

PDF = "nubank/nubank-fatura-pdf-2025-05.pdf"
LOCKED = "nubank/nubank-fatura-pdf-2025-05-senha.pdf"  # password 12345
OLD = "old:" + base64.b64encode(bytes(range(32))).decode()
NEW = "new:" + base64.b64encode(bytes(range(100, 132))).decode()
MAGIC = b"\x00BFENC"


def sealed_by(path):
    """The id of the key that sealed the file, or None when it is plaintext."""
    data = read_bytes(path)
    if not data.startswith(MAGIC):
        return None
    return data[8:8 + data[7]].decode()


class DataKey(unittest.TestCase):

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="bankflow-data-key-test-")
        self.server = None

    def tearDown(self):
        if self.server is not None:
            self.server.cleanup()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def start(self, *args, env=None):
        if self.server is not None:
            self.assertEqual(self.server.stop(), 0)
        self.server = Server(*args, data_dir=self.data_dir, env=env)
        self.client.server = self.server
        return self.server

    def results(self, job_id):
        return [os.path.join(self.data_dir, "results", job_id + ext) for ext in (".csv", ".excel-br.csv", ".json", ".xlsx")]

    def download(self, job_id, fmt):
        r = self.client.get("/api/v1/bank-statements/jobs/%s/download?format=%s" % (job_id, fmt))
        self.assertEqual(r.status, 200, r.body)
        return r.body

    def assert_sealed(self, path, key_id, plaintext):
        self.assertEqual(sealed_by(path), key_id, path)
        data = read_bytes(path)
        for at in range(0, max(1, len(plaintext) - 32), 997):  # no run of the plaintext is there
            self.assertNotIn(plaintext[at:at + 32], data, path)

    def test_files_are_sealed_and_stay_readable_after_a_new_key(self):
        statement = read_bytes(corpus(OFX))
        csv = cli_output(corpus(OFX), "--to", "csv")
        self.client = Client(None)
        # an API-only process: the job waits, so its upload can be seen at rest
        self.start("--role", "api", "--data-key", OLD)
        self.client.start_session()
        r = self.client.upload("extrato.ofx", statement)
        self.assertEqual(r.status, 201, r.body)
        job_id = r.json()["job"]["id"]
        self.assert_sealed(os.path.join(self.data_dir, "uploads", job_id), "old", statement)

        # the key from the environment this time; the pending job is converted
        self.start(env={"BANKFLOW_DATA_KEY": OLD})
        self.assertEqual(self.client.wait_final(job_id)[-1]["status"], "completed")
        self.assertEqual(self.download(job_id, "csv"), csv)
        for path in self.results(job_id):
            self.assert_sealed(path, "old", csv)
        self.assertFalse(os.path.exists(os.path.join(self.data_dir, "uploads", job_id)))

        # a new key in front: the old files still open, new files are sealed with it
        self.start("--data-key", NEW + "," + OLD)
        self.assertEqual(self.download(job_id, "csv"), csv)
        pdf = read_bytes(corpus(PDF))
        r = self.client.upload("fatura.pdf", pdf)
        self.assertEqual(r.status, 201, r.body)
        pdf_id = r.json()["job"]["id"]
        job = self.client.wait_final(pdf_id)[-1]
        self.assertEqual(job["status"], "completed", job)
        pdf_json = cli_output(corpus(PDF), "--to", "json")
        self.assertEqual(self.download(pdf_id, "json"), pdf_json)
        for path in self.results(pdf_id):
            self.assertEqual(sealed_by(path), "new", path)
        self.assert_sealed(self.results(pdf_id)[2], "new", pdf_json)
        # the reader child gets the keys and the PDF's password on one stdin
        r = self.client.upload("fatura.pdf", read_bytes(corpus(LOCKED)), fields=[("password", "12345")])
        self.assertEqual(r.status, 201, r.body)
        job = self.client.wait_final(r.json()["job"]["id"])[-1]
        self.assertEqual(job["status"], "completed", job)

        # without the old key its files are an error, never ciphertext or garbage
        self.start("--data-key", NEW)
        r = self.client.get("/api/v1/bank-statements/jobs/%s/download?format=csv" % job_id)
        self.assertGreaterEqual(r.status, 500, r.body)
        self.assertNotIn(MAGIC, r.body)
        self.assertEqual(self.download(pdf_id, "json"), pdf_json)

    def test_key_text_that_cannot_be_used_refuses_to_start(self):
        for text in ("k1", "k1:c2hvcnQ=", "bad id:" + OLD.split(":", 1)[1], OLD + "," + OLD):
            p = subprocess.run([SERVER, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir, "--data-key", text],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=30)
            self.assertNotEqual(p.returncode, 0, text)
            err = p.stderr.decode()
            self.assertIn("cannot start", err)
            self.assertIn("--data-key", err)
            self.assertNotIn(OLD.split(":", 1)[1], err)


if __name__ == "__main__":
    require_binaries()
    unittest.main()
