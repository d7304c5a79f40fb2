"""The Excel workbook of a conversion job through bankflow-server: `/download?format=xlsx` serves
the job's .xlsx result (written in this process for an OFX, in the PDF reader's child process for
a PDF) with the spreadsheet content type and an .xlsx file name, byte for byte what
`bankflow convert --to xlsx` writes. Run by ctest (server.xlsx); needs BANKFLOW_SERVER_BIN,
BANKFLOW_CLI_BIN, BANKFLOW_CORPUS_DIR."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_support import OFX, Client, OneServer, cli_output, corpus, read_bytes, require_binaries  # noqa: E402

PDF = "nubank/nubank-fatura-pdf-2025-05.pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxDownload(OneServer):

    def test_the_xlsx_download_is_the_workbook_the_cli_writes(self):
        c = Client(self.server)
        c.start_session()
        for relpath, name in ((OFX, "extrato.ofx"), (PDF, "fatura.pdf")):
            with self.subTest(file=relpath):
                r = c.upload(name, read_bytes(corpus(relpath)))
                self.assertEqual(r.status, 201, r.body)
                job_id = r.json()["job"]["id"]
                self.assertEqual(c.wait_final(job_id)[-1]["status"], "completed")
                url = "/api/v1/bank-statements/jobs/%s/download?format=xlsx" % job_id
                head = c.request("HEAD", url)
                self.assertEqual(head.status, 200)
                self.assertEqual(head.header("Content-Type"), XLSX_TYPE)
                got = c.get(url)
                self.assertEqual(got.status, 200, got.body[:200])
                self.assertEqual(got.header("Content-Type"), XLSX_TYPE)
                disposition = got.header("Content-Disposition")
                self.assertTrue(disposition.startswith('attachment; filename="'), disposition)
                self.assertIn('.xlsx"', disposition)
                self.assertEqual(got.body[:4], b"PK\x03\x04")
                self.assertEqual(got.body, cli_output(corpus(relpath), "--to", "xlsx", "-o", "-"))

    def test_an_unknown_format_is_a_400_naming_xlsx(self):
        c = Client(self.server)
        c.start_session()
        r = c.upload("extrato.ofx", read_bytes(corpus(OFX)))
        job_id = r.json()["job"]["id"]
        c.wait_final(job_id)
        bad = c.get("/api/v1/bank-statements/jobs/%s/download?format=xls" % job_id)
        self.assertEqual(bad.status, 400)
        self.assertIn("csv, json or xlsx", bad.json()["error"]["message"])


if __name__ == "__main__":
    require_binaries()
    unittest.main(verbosity=2)
