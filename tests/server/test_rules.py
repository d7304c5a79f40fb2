"""A user's category rules through bankflow-server: the upload's `rules` field (the JSON of
`bankflow convert --rules`) gives the job's rows their categories, in this process (a CSV) and
in the PDF reader's child process (a PDF), exactly as the CLI does; a rules file with a mistake is
refused at upload, naming the rule and field, and nothing is stored; the rules go with the upload
once the job is done. Run by ctest (server.rules); needs BANKFLOW_SERVER_BIN, BANKFLOW_CLI_BIN,
BANKFLOW_CORPUS_DIR."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import Client, OneServer, cli_output, corpus, read_bytes, require_binaries  # noqa: E402

CSV = "nubank/nubank-conta-2025.csv"
PDF = "nubank/nubank-fatura-pdf-2025-05.pdf"
RULES = json.dumps({"rules": [{"id": "delivery", "category": "Delivery", "merchant": "ifood"},
                              {"category": "Viagens de app", "merchant": "uber", "sign": "debit"}]})


def categories(document):
    return {t["description"]: t["category"] for t in document["transactions"]}


class Rules(OneServer):

    def convert(self, client, relpath, fields=()):
        r = client.upload(os.path.basename(relpath), read_bytes(corpus(relpath)), fields=fields)
        self.assertEqual(r.status, 201, r.body)
        job_id = r.json()["job"]["id"]
        self.assertEqual(client.wait_final(job_id)[-1]["status"], "completed")
        got = client.get("/api/v1/bank-statements/jobs/%s/download?format=json" % job_id)
        self.assertEqual(got.status, 200, got.body[:200])
        return job_id, got

    def test_the_uploads_rules_categorise_its_rows_as_the_cli_does(self):
        c = Client(self.server)
        c.start_session()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(RULES)
        try:
            for relpath in (CSV, PDF):
                with self.subTest(file=relpath):
                    _, plain = self.convert(c, relpath)
                    self.assertNotIn("Delivery", categories(plain.json()).values())
                    job_id, ruled = self.convert(c, relpath, fields=[("rules", RULES)])
                    cats = categories(ruled.json())
                    ifood = [d for d in cats if "iFood" in d]
                    self.assertTrue(ifood)
                    self.assertEqual({cats[d] for d in ifood}, {"Delivery"})
                    self.assertEqual(ruled.body, cli_output(corpus(relpath), "--to", "json", "--rules", f.name))
                    uploads = os.path.join(self.server.data_dir, "uploads")
                    self.assertFalse([n for n in os.listdir(uploads) if n.startswith(job_id)])
        finally:
            os.unlink(f.name)

    def test_a_mistake_in_the_rules_is_refused_at_upload_naming_rule_and_field(self):
        c = Client(self.server)
        c.start_session()
        bad = json.dumps([{"category": "Delivery", "merchant": "ifood"}, {"category": "X", "kind": "pixx"}])
        before = sorted(os.listdir(os.path.join(self.server.data_dir, "uploads")))
        r = c.upload("extrato.csv", read_bytes(corpus(CSV)), fields=[("rules", bad)])
        self.assertEqual(r.status // 100, 4, r.body)
        error = r.json()["error"]
        self.assertEqual(error["code"], "invalid_argument")
        self.assertIn("rules: rule 2: kind: unknown kind \"pixx\"", error["message"])
        self.assertEqual(sorted(os.listdir(os.path.join(self.server.data_dir, "uploads"))), before)
        r = c.upload("extrato.csv", read_bytes(corpus(CSV)), fields=[("rules", "not json")])
        self.assertIn("rules: is not JSON", r.json()["error"]["message"])


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
