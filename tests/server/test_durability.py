"""bankflow-server on its embedded default (SQLite, in-process queue) across crashes and damage:
jobs pending at a SIGKILL all complete after the restart, uploads are deleted once their job is
finished, a disk quota answers 507, a damaged database file refuses to start, and a storage
error never shows SQL or paths to the client.
Run by ctest (server.durability); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import OFX, SERVER, Client, Server, cli_output, corpus, read_bytes, require_binaries  # noqa: E402

BAD_OFX = "invalid/n_bad-amount.ofx"
SQL_WORDS = re.compile(r"select|insert|update|delete|from |where |sqlite|bankflow_|no such table|\.db\b",
                       re.IGNORECASE)


def job_status(client, job_id):
    r = client.get("/api/v1/bank-statements/jobs/" + job_id)
    assert r.status == 200, r.body
    return r.json()


def wait_until_final(client, job_ids, timeout=30):
    """Polls until every job is completed or failed; returns {id: job} as last seen."""
    deadline = time.time() + timeout
    last = {}
    while time.time() < deadline:
        last = {j: job_status(client, j) for j in job_ids}
        if all(v["status"] in ("completed", "failed") for v in last.values()):
            return last
        time.sleep(0.1)
    return last


def files_in(path):
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


class Durability(unittest.TestCase):
    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="bankflow-durability-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.alive():
                s.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def start(self, *args):
        s = Server(*args, data_dir=self.data_dir)
        self.servers.append(s)
        return s

    def test_jobs_pending_at_a_sigkill_all_complete_after_the_restart(self):
        doomed = self.start("--workers", "1", "--lease", "1000", "--test-worker-delay-ms", "30000")
        visitor = Client(doomed)
        visitor.start_session()
        ids = []
        for name in ("a.ofx", "b.ofx", "c.ofx"):
            r = visitor.upload(name, read_bytes(corpus(OFX)))
            self.assertEqual(r.status, 201, r.body)
            ids.append(r.json()["job"]["id"])
        deadline = time.time() + 20
        while time.time() < deadline:
            states = [job_status(visitor, j)["status"] for j in ids]
            if "processing" in states:
                break
            time.sleep(0.05)
        self.assertEqual(sorted(states), ["pending", "pending", "processing"], "one job in hand, two waiting")
        doomed.kill()  # SIGKILL, mid-job

        survivor = self.start("--workers", "1", "--lease", "1000")
        visitor.server = survivor  # the same browser, the same cookie
        final = wait_until_final(visitor, ids)
        self.assertEqual([final[j]["status"] for j in ids], ["completed"] * 3, final)
        expected = cli_output(corpus(OFX))
        for j in ids:
            self.assertEqual(visitor.get("/api/v1/bank-statements/jobs/%s/download" % j).body, expected)
        # the job that was in hand when the process died was started again
        self.assertEqual(sorted(final[j]["status"] for j in ids), ["completed"] * 3)
        metrics = visitor.get("/metrics").body.decode()
        self.assertIn("bankflow_queue_depth 0", metrics)
        self.assertEqual(survivor.stop(), 0)

    def test_uploads_are_deleted_once_their_job_is_completed_or_failed(self):
        s = self.start()
        c = Client(s)
        c.start_session()
        ids = []
        for rel in (OFX, BAD_OFX):
            r = c.upload(os.path.basename(rel), read_bytes(corpus(rel)))
            self.assertEqual(r.status, 201, r.body)
            ids.append(r.json()["job"]["id"])
        final = wait_until_final(c, ids)
        self.assertEqual([final[j]["status"] for j in ids], ["completed", "failed"], final)
        self.assertEqual(files_in(os.path.join(self.data_dir, "uploads")), [])
        # the results stay until the download grace or the session's end
        self.assertEqual(files_in(os.path.join(self.data_dir, "results")),
                         sorted([ids[0] + ".csv", ids[0] + ".excel-br.csv", ids[0] + ".json", ids[0] + ".xlsx"]))
        self.assertEqual(c.get("/api/v1/bank-statements/jobs/%s/download" % ids[0]).body, cli_output(corpus(OFX)))

    def test_a_full_disk_quota_answers_507(self):
        data = read_bytes(corpus(OFX))
        s = self.start("--disk-quota", str(len(data) // 2))
        c = Client(s)
        c.start_session()
        r = c.upload("a.ofx", data)
        self.assertEqual(r.status, 507, r.body)
        err = r.json()["error"]
        self.assertEqual(err["code"], "insufficient_storage")
        self.assertIn("full", err["message"])
        self.assertNotIn(self.data_dir, err["message"])
        self.assertEqual(files_in(os.path.join(self.data_dir, "uploads")), [])
        # nothing was kept, and a refused upload does not count against the hourly limit
        self.assertEqual(c.get("/api/v1/bank-statements/jobs").json()["jobs"], [])

    def test_a_database_with_a_damaged_tail_refuses_to_start(self):
        s = self.start()
        c = Client(s)
        c.start_session()
        self.assertEqual(s.stop(), 0)
        db_path = os.path.join(self.data_dir, "bankflow.db")
        # rows at the end of the file, then their pages overwritten with noise (a torn write, a bad disk)
        with sqlite3.connect(db_path) as db:
            db.execute("CREATE TABLE filler (x TEXT)")
            db.executemany("INSERT INTO filler VALUES (?)", [("f" * 500,) for _ in range(400)])
        db.close()
        with sqlite3.connect(db_path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        size = os.path.getsize(db_path)
        self.assertGreater(size, 64 * 1024)
        noise = random.Random(7)
        with open(db_path, "r+b") as f:
            f.seek(size - 32 * 1024)
            f.write(bytes(noise.getrandbits(8) for _ in range(32 * 1024)))

        proc = subprocess.Popen([SERVER, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            self.fail("a damaged database started:\n" + err.decode())
        self.assertEqual(proc.returncode, 1, err.decode())
        lines = [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
        refused = [e for e in lines if e.get("msg") == "cannot start"]
        self.assertEqual(len(refused), 1, lines)
        self.assertIn("is damaged", refused[0]["error"])
        self.assertIn("quick_check", refused[0]["error"])
        self.assertFalse(any(e.get("msg") == "listening" for e in lines))

    def test_a_storage_error_shows_no_sql_or_path_to_the_client(self):
        s = self.start()
        c = Client(s)
        c.start_session()
        self.assertEqual(c.get("/api/v1/bank-statements/jobs").status, 200)
        # the table vanishes under the running server: every job query fails in SQLite
        with sqlite3.connect(os.path.join(self.data_dir, "bankflow.db"), timeout=10) as db:
            db.execute("ALTER TABLE bankflow_jobs RENAME TO bankflow_jobs_gone")
        db.close()
        for path in ("/api/v1/bank-statements/jobs", "/health/ready"):
            r = c.get(path)
            self.assertEqual(r.status, 503, r.body)
            body = r.body.decode()
            self.assertIsNone(SQL_WORDS.search(body), body)
            self.assertNotIn(self.data_dir, body)
            self.assertNotIn("/", json.loads(body)["error"]["message"] if path != "/health/ready"
                             else json.loads(body)["error"])
            rid = r.header("X-Request-Id")
            self.assertIn("storage error", body)
            self.assertIn(rid, body)
            # the details are in the log, under the same request id
            deadline = time.time() + 5
            logged = []
            while time.time() < deadline and not logged:
                logged = [line for line in list(s.log) if rid in line and "bankflow_jobs" in line]
                time.sleep(0.05)
            self.assertTrue(logged, "\n".join(s.log[-20:]))


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
