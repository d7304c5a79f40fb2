"""GET /api/v1/bank-statements/jobs/:id/preview, the web app's preview table: the first rows of a
completed job's normalized result, equal to `bankflow convert --to json`; 409 before completion;
400 for a bad limit; 404 for another session; and, unlike download, no deletion grace period
started. Run by ctest (server.preview); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN,
BANKFLOW_CORPUS_DIR."""

import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, Server, cli_output, corpus, read_bytes, require_binaries  # noqa: E402

CSV = "bb/bb-extrato-new-2024.csv"


class Preview(unittest.TestCase):
    """A server with a zero download grace and a janitor every second, whose workers pause
    800 ms once a job is processing (the test-only delay), so a job can be caught unfinished."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("--download-grace", "0", "--janitor-interval", "1",
                            "--test-worker-delay-ms", "800")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, "server exit code %d" % code

    def upload(self):
        c = Client(self.server)
        c.start_session()
        r = c.upload("extrato.csv", read_bytes(corpus(CSV)))
        self.assertEqual(r.status, 201, r.body)
        return c, r.json()["job"]["id"]

    def wait_completed(self, c, job_id):
        seen = c.wait_final(job_id)
        self.assertEqual(seen[-1]["status"], "completed", seen)

    def test_rows_equal_the_cli_and_limits(self):
        want = json.loads(cli_output(corpus(CSV), "--to", "json"))
        c, job_id = self.upload()
        url = "/api/v1/bank-statements/jobs/%s/preview" % job_id
        early = c.get(url)
        self.assertEqual(early.status, 409, early.body)
        self.assertEqual(early.json()["error"]["code"], "not_ready")
        self.wait_completed(c, job_id)

        p = c.get(url + "?limit=3")
        self.assertEqual(p.status, 200, p.body)
        body = p.json()
        self.assertEqual(body["transactions"], want["transactions"][:3])
        self.assertEqual(body["total"], len(want["transactions"]))
        for key in ("period", "opening_balance", "closing_balance", "currency"):
            self.assertEqual(body[key], want[key], key)
        self.assertEqual(len(c.get(url).json()["transactions"]), min(10, len(want["transactions"])),
                         "default limit 10")
        self.assertEqual(len(c.get(url + "?limit=100").json()["transactions"]), len(want["transactions"]))

        for bad in ("0", "101", "abc", "", "-1", "1e2", "99999999999999999999"):
            r = c.get(url + "?limit=" + bad)
            self.assertEqual(r.status, 400, "limit=%s: %s" % (bad, r.body))
            self.assertEqual(r.json()["error"]["code"], "invalid_argument")

        other = Client(self.server)
        other.start_session()
        self.assertEqual(other.get(url).status, 404)

    def test_preview_does_not_start_the_grace_period(self):
        c, job_id = self.upload()
        url = "/api/v1/bank-statements/jobs/%s/preview" % job_id
        self.wait_completed(c, job_id)
        self.assertEqual(c.get(url).status, 200)
        time.sleep(2.5)  # two janitor passes with a zero grace
        again = c.get(url + "?limit=1")
        self.assertEqual(again.status, 200, "a preview must not mark the job downloaded: %s" % again.body)
        self.assertEqual(c.get("/api/v1/bank-statements/jobs/%s/download" % job_id).status, 200)
        deadline = time.time() + 10
        status = 200
        while status == 200 and time.time() < deadline:
            time.sleep(0.2)
            status = c.get(url).status
        self.assertEqual(status, 404, "after a download the janitor removes the job")


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
