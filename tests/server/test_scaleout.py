"""bankflow-server scaled out: two `api` processes and `worker` processes sharing one
PostgreSQL (a fresh schema), one Redis (a fresh key prefix) and one data directory.
Skipped (exit 77) when BANKFLOW_TEST_DATABASE_URL or BANKFLOW_TEST_REDIS_URL is unset
(scripts/services.sh starts both and sets them)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, Server, cli_output, corpus, read_bytes, require_binaries  # noqa: E402

PG = os.environ.get("BANKFLOW_TEST_DATABASE_URL", "")
REDIS = os.environ.get("BANKFLOW_TEST_REDIS_URL", "")
OFX = "bb/bb-ofx-2017-two-statements-cp1252.ofx"


def psql(sql):
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    subprocess.run(["psql", PG, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL, env=env)


def redis_cleanup(prefix):
    keys = subprocess.run(["redis-cli", "-u", REDIS, "--scan", "--pattern", prefix + "*"], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.split()
    for i in range(0, len(keys), 500):
        subprocess.run(["redis-cli", "-u", REDIS, "DEL", *keys[i:i + 500]], check=True, stdout=subprocess.DEVNULL)
    return len(keys)


class SharedStores(unittest.TestCase):
    """Servers sharing one PostgreSQL schema, Redis prefix and data directory, all fresh per test
    and removed after it. Subclasses set `label` (names the schema and prefix)."""

    label = "server"

    def setUp(self):
        suffix = uuid.uuid4().hex[:12]
        self.schema = "bf_%s_%s" % (self.label, suffix)
        psql("CREATE SCHEMA " + self.schema)
        sep = "&" if "?" in PG else "?"
        self.db_url = PG + sep + "options=-csearch_path%3D" + self.schema
        self.prefix = "bftest:%s:%s:" % (self.label, suffix)
        self.data_dir = tempfile.mkdtemp(prefix="bankflow-%s-shared-" % self.label)
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.alive():
                s.stop()
        psql("DROP SCHEMA IF EXISTS %s CASCADE" % self.schema)
        redis_cleanup(self.prefix)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def start_shared(self, *args):
        s = Server("--database-url", self.db_url, "--redis-url", REDIS, "--redis-prefix", self.prefix,
                   *args, data_dir=self.data_dir)
        self.servers.append(s)
        return s


class ScaleOut(SharedStores):
    """Each test gets its own schema, Redis prefix and data directory."""

    def start(self, role, *args):
        return self.start_shared("--role", role, *args)

    def test_upload_through_one_api_process_stream_through_another(self):
        api1 = self.start("api", "--uploads-per-hour", "4")
        api2 = self.start("api", "--uploads-per-hour", "4")
        worker = self.start("worker", "--workers", "2")
        for s in (api1, api2, worker):
            ready = Client(s).get("/health/ready")
            self.assertEqual(ready.status, 200, ready.body)
            self.assertEqual(ready.json()["redis"], "ok")
        # a worker process serves operations only
        self.assertEqual(Client(worker).get("/api/v1/session").status, 404)
        self.assertEqual(Client(worker).get("/health").status, 200)

        visitor = Client(api1)
        visitor.start_session()
        r = visitor.upload("extrato.ofx", read_bytes(corpus(OFX)))
        self.assertEqual(r.status, 201, r.body)
        job_id = r.json()["job"]["id"]

        other_door = Client(api2)
        other_door.cookie = visitor.cookie  # the same browser behind a load balancer
        seen = other_door.wait_final(job_id)
        self.assertEqual(seen[-1]["status"], "completed", seen)
        download = other_door.get("/api/v1/bank-statements/jobs/%s/download" % job_id)
        self.assertEqual(download.status, 200)
        self.assertEqual(download.body, cli_output(corpus(OFX)))
        # the CSRF secret is shared through the data directory: a token from api1 works on api2
        other_door.csrf = visitor.csrf
        self.assertEqual(other_door.upload("b.ofx", read_bytes(corpus(OFX))).status, 201)
        # isolation holds across processes
        stranger = Client(api2)
        stranger.start_session()
        self.assertEqual(stranger.get("/api/v1/bank-statements/jobs/" + job_id).status, 404)
        # the upload limit is counted in Redis, across both processes (4 per hour here)
        self.assertEqual(visitor.upload("c.ofx", read_bytes(corpus(OFX))).status, 201)
        self.assertEqual(other_door.upload("d.ofx", read_bytes(corpus(OFX))).status, 201)
        r = visitor.upload("e.ofx", read_bytes(corpus(OFX)))
        self.assertEqual(r.status, 429)
        self.assertIsNotNone(r.header("Retry-After"))
        for s in self.servers:
            self.assertEqual(s.stop(), 0)

    def test_a_worker_killed_mid_job_loses_nothing(self):
        api = self.start("api")
        doomed = self.start("worker", "--workers", "1", "--lease", "1000", "--test-worker-delay-ms", "30000")
        visitor = Client(api)
        visitor.start_session()
        r = visitor.upload("extrato.ofx", read_bytes(corpus(OFX)))
        self.assertEqual(r.status, 201)
        job_id = r.json()["job"]["id"]
        deadline = time.time() + 20
        status = None
        while time.time() < deadline:
            status = visitor.get("/api/v1/bank-statements/jobs/" + job_id).json()["status"]
            if status == "processing":
                break
            time.sleep(0.05)
        self.assertEqual(status, "processing", "the doomed worker took the job")
        doomed.kill()  # SIGKILL, mid-job
        self.assertEqual(visitor.get("/api/v1/bank-statements/jobs/" + job_id).json()["status"], "processing")
        self.start("worker", "--workers", "1", "--lease", "1000")
        seen = visitor.wait_final(job_id, timeout=60)
        self.assertEqual(seen[-1]["status"], "completed", seen)
        download = visitor.get("/api/v1/bank-statements/jobs/%s/download" % job_id)
        self.assertEqual(download.body, cli_output(corpus(OFX)))


if __name__ == "__main__":
    require_binaries()
    if not PG or not REDIS:
        print("WARN: BANKFLOW_TEST_DATABASE_URL and BANKFLOW_TEST_REDIS_URL must be set for the scale-out "
              "test (source scripts/services.sh): skipped", file=sys.stderr)
        sys.exit(77)
    if not shutil.which("psql") or not shutil.which("redis-cli"):
        print("WARN: psql and redis-cli are needed for the scale-out test's set-up: skipped", file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=2)
