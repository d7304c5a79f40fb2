/*
 * The C ABI from C99: every function of bankflow.h, NULL and bad arguments, error codes with
 * messages, the published Standard Webhooks vector, and a conversion equal to `bankflow convert`.
 *
 *   bankflow_c_test CORPUS_DIR EXPECTED_CSV
 */
#include "bankflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* a failing call: the expected code, and a non-empty message */
#define CHECK_FAILS(expr, code)                                                                  \
  do {                                                                                           \
    int rc_ = (expr);                                                                            \
    ++checks;                                                                                    \
    if (rc_ != (code) || bf_error_last() == NULL || bf_error_last()[0] == '\0') {                \
      ++failures;                                                                                \
      fprintf(stderr, "%s:%d: %s gave %d (%s: %s), expected %d\n", __FILE__, __LINE__, #expr, rc_, \
              bf_error_name(rc_), bf_error_last() ? bf_error_last() : "(null)", (int)(code));    \
    }                                                                                            \
  } while (0)

#define CHECK_OK(expr)                                                                       \
  do {                                                                                       \
    int rc_ = (expr);                                                                        \
    ++checks;                                                                                \
    if (rc_ != 0) {                                                                          \
      ++failures;                                                                            \
      fprintf(stderr, "%s:%d: %s gave %d (%s: %s)\n", __FILE__, __LINE__, #expr, rc_,        \
              bf_error_name(rc_), bf_error_last());                                          \
    }                                                                                        \
  } while (0)

/* a string literal as (data, size) */
#define LIT(s) (s), (sizeof(s) - 1)

#define STREQ(a, b) ((a) != NULL && strcmp((a), (b)) == 0)

static char *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t cap = 0, n = 0, got;
  if (f == NULL) return NULL;
  for (;;) {
    if (n + 4096 > cap) {
      char *p;
      cap = cap * 2 + 8192;
      p = (char *)realloc(data, cap);
      if (p == NULL) break;
      data = p;
    }
    got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *size = n;
  return data;
}

static void test_version_and_errors(void) {
  CHECK(STREQ(bf_version(), "0.1.0"));
  CHECK(bf_error_last() != NULL);
  CHECK(STREQ(bf_error_name(0), "ok"));
  CHECK(STREQ(bf_error_name(BF_EINVALID), "invalid"));
  CHECK(STREQ(bf_error_name(BF_ENOMEM), "nomem"));
  CHECK(STREQ(bf_error_name(BF_EINTERNAL), "internal"));
  CHECK(STREQ(bf_error_name(BF_EBAD_AMOUNT), "bad_amount"));
  CHECK(STREQ(bf_error_name(BF_ENO_MATCHING_SIGNATURE), "no_matching_signature"));
  CHECK(STREQ(bf_error_name(BF_ELINKED_FAILED), "linked_failed"));
  CHECK(STREQ(bf_error_name(BF_EINSUFFICIENT_STORAGE), "insufficient_storage"));
  CHECK(STREQ(bf_error_name(BF_EOVER_OPERATION_LIMIT), "over_operation_limit"));
  CHECK(STREQ(bf_error_name(BF_EDAILY_LIMIT_REACHED), "daily_limit_reached"));
  CHECK(STREQ(bf_error_name(BF_ENOT_READY), "not_ready"));
  CHECK(STREQ(bf_error_name(BF_EPAYLOAD_TOO_LARGE), "payload_too_large"));
  CHECK(STREQ(bf_error_name(BF_EINVALID_CREDENTIALS), "invalid_credentials"));
  CHECK(STREQ(bf_error_name(BF_EALREADY_EXISTS), "already_exists"));
  CHECK(STREQ(bf_error_name(BF_ELOGIN_REQUIRED), "login_required"));
  CHECK(STREQ(bf_error_name(BF_EPERMISSION_DENIED), "permission_denied"));
  CHECK(STREQ(bf_error_name(BF_EWALLET_NOT_EMPTY), "wallet_not_empty"));
  CHECK(STREQ(bf_error_name(-199), "unknown")); /* errc 99 is not a code */
  CHECK(STREQ(bf_error_name(-100), "unknown"));
  CHECK(STREQ(bf_error_name(-151), "unknown")); /* errc::invalid_argument is BF_EINVALID */
  CHECK(STREQ(bf_error_name(12345), "unknown"));
  CHECK(STREQ(bf_error_name(-99999), "unknown"));
}

static void test_buffers(void) {
  bf_buf b = BF_BUF_INIT;
  bf_buf_dispose(NULL);
  bf_buf_dispose(&b);
  CHECK(b.ptr == NULL && b.size == 0);
  CHECK_OK(bf_format_amount(&b, -123456));
  CHECK(STREQ(b.ptr, "-1234.56") && b.size == 8);
  bf_buf_dispose(&b);
  CHECK(b.ptr == NULL && b.size == 0);
  CHECK_FAILS(bf_format_amount(NULL, 1), BF_EINVALID);
}

static void test_null_safety(void) {
  bf_statement *st = (bf_statement *)1;
  bf_detection *d = (bf_detection *)1;
  bf_webhook_verifier *v = (bf_webhook_verifier *)1;
  bf_buf b = BF_BUF_INIT;
  double conf = 0;
  int64_t amount = 0;
  size_t line = 0;

  bf_statement_free(NULL);
  bf_detection_free(NULL);
  bf_webhook_verifier_free(NULL);
  bf_webhook_event_dispose(NULL);

  CHECK_FAILS(bf_parse(NULL, "x", 1, NULL), BF_EINVALID);
  CHECK_FAILS(bf_parse(&st, NULL, 5, NULL), BF_EINVALID);
  CHECK(st == NULL); /* out-params are reset on failure */
  CHECK_FAILS(bf_parse_file(NULL, "x", NULL), BF_EINVALID);
  CHECK_FAILS(bf_parse_file(&st, NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_detect(NULL, "x", 1), BF_EINVALID);
  CHECK_FAILS(bf_detect(&d, NULL, 3), BF_EINVALID);
  CHECK(d == NULL);
  CHECK_FAILS(bf_webhook_verifier_new(NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_webhook_verifier_new(&v, NULL), BF_EINVALID);
  CHECK(v == NULL);

  CHECK(bf_statement_bank(NULL) == NULL);
  CHECK(bf_statement_bank_name(NULL) == NULL);
  CHECK(bf_statement_bank_code(NULL) == NULL);
  CHECK(bf_statement_format(NULL) == NULL);
  CHECK(bf_statement_currency(NULL) == NULL);
  CHECK(bf_statement_period_start(NULL) == NULL);
  CHECK(bf_statement_period_end(NULL) == NULL);
  CHECK_FAILS(bf_statement_confidence(&conf, NULL), BF_EINVALID);
  CHECK_FAILS(bf_statement_confidence(NULL, NULL), BF_EINVALID);
  CHECK(bf_statement_account_count(NULL) == 0);
  CHECK(bf_statement_account_branch(NULL, 0) == NULL);
  CHECK(bf_statement_account_number(NULL, 0) == NULL);
  CHECK(bf_statement_account_kind(NULL, 0) == NULL);
  CHECK_FAILS(bf_statement_account_opening_balance(&amount, NULL, 0), BF_EINVALID);
  CHECK_FAILS(bf_statement_account_closing_balance(&amount, NULL, 0), BF_EINVALID);
  CHECK(bf_statement_transaction_count(NULL) == 0);
  CHECK(bf_statement_tx_date(NULL, 0) == NULL);
  CHECK(bf_statement_tx_description(NULL, 0) == NULL);
  CHECK(bf_statement_tx_document(NULL, 0) == NULL);
  CHECK(bf_statement_tx_fitid(NULL, 0) == NULL);
  CHECK(bf_statement_tx_dedupe_key(NULL, 0) == NULL);
  CHECK(bf_statement_tx_account(NULL, 0) == NULL);
  CHECK_FAILS(bf_statement_tx_amount(&amount, NULL, 0), BF_EINVALID);
  CHECK_FAILS(bf_statement_tx_balance(&amount, NULL, 0), BF_EINVALID);
  CHECK_FAILS(bf_statement_tx_line(&line, NULL, 0), BF_EINVALID);
  CHECK(bf_statement_warning_count(NULL) == 0);
  CHECK(bf_statement_warning_message(NULL, 0) == NULL);
  CHECK_FAILS(bf_statement_warning_line(&line, NULL, 0), BF_EINVALID);
  CHECK_FAILS(bf_statement_to_csv(&b, NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_statement_to_csv(NULL, NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_statement_to_json(&b, NULL), BF_EINVALID);
  CHECK(b.ptr == NULL);

  CHECK(bf_detection_count(NULL) == 0);
  CHECK(bf_detection_format(NULL, 0) == NULL);
  CHECK(bf_detection_bank(NULL, 0) == NULL);
  CHECK(bf_detection_bank_code(NULL, 0) == NULL);
  CHECK_FAILS(bf_detection_confidence(&conf, NULL, 0), BF_EINVALID);
  CHECK_FAILS(bf_detection_to_json(&b, NULL), BF_EINVALID);

  CHECK_FAILS(bf_webhook_verify(NULL, NULL, NULL, 0, "", 0), BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_standard(NULL, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, "", 0),
              BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_standard(&b, NULL, "id", 1, "", 0), BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_standard(&b, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", NULL, 1, "", 0),
              BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_stripe(&b, NULL, 1, "", 0), BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_github(&b, NULL, "", 0), BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_hmac(&b, NULL, "", 0, BF_ENCODING_HEX, NULL), BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_github(&b, "s", NULL, 4), BF_EINVALID);
  CHECK(b.ptr == NULL);
}

static void test_statement(const char *corpus, const char *expected_csv_path) {
  char path[4096];
  char *data, *expected;
  size_t size = 0, expected_size = 0, i, n;
  bf_statement *st = NULL, *st2 = NULL;
  bf_parse_options po = BF_PARSE_OPTIONS_INIT;
  bf_csv_options co = BF_CSV_OPTIONS_INIT;
  bf_buf csv = BF_BUF_INIT, json = BF_BUF_INIT, xl = BF_BUF_INIT;
  double conf = 0;
  int64_t amount = 0, balance = 0;
  size_t line = 0;
  int rc;

  snprintf(path, sizeof path, "%s/bb/bb-ofx-2015.ofx", corpus);
  data = read_all(path, &size);
  expected = read_all(expected_csv_path, &expected_size);
  CHECK(data != NULL && expected != NULL);
  if (data == NULL || expected == NULL) {
    free(data);
    free(expected);
    return;
  }

  /* from a path: the CSV is byte for byte what `bankflow convert` writes */
  CHECK_OK(bf_parse_file(&st, path, NULL));
  CHECK(st != NULL);
  CHECK_OK(bf_statement_to_csv(&csv, st, NULL));
  CHECK(csv.size == expected_size && memcmp(csv.ptr, expected, expected_size) == 0);
  CHECK(csv.ptr != NULL && csv.ptr[csv.size] == '\0');

  CHECK(STREQ(bf_statement_bank(st), "bb"));
  CHECK(STREQ(bf_statement_format(st), "ofx"));
  CHECK(STREQ(bf_statement_currency(st), "BRL"));
  CHECK(bf_statement_bank_name(st) != NULL && bf_statement_bank_name(st)[0] != '\0');
  CHECK(bf_statement_bank_code(st) != NULL);
  CHECK(bf_statement_period_start(st) != NULL && strlen(bf_statement_period_start(st)) == 10);
  CHECK(bf_statement_period_end(st) != NULL && strlen(bf_statement_period_end(st)) == 10);
  CHECK_OK(bf_statement_confidence(&conf, st));
  CHECK(conf > 0.0 && conf <= 1.0);

  CHECK(bf_statement_account_count(st) >= 1);
  CHECK(STREQ(bf_statement_account_number(st, 0), "455000-5"));
  CHECK(bf_statement_account_branch(st, 0) != NULL);
  CHECK(bf_statement_account_kind(st, 0) != NULL);
  rc = bf_statement_account_opening_balance(&balance, st, 0);
  CHECK(rc == 0 || rc == BF_ENOTFOUND);
  rc = bf_statement_account_closing_balance(&balance, st, 0);
  CHECK(rc == 0 || rc == BF_ENOTFOUND);
  n = bf_statement_account_count(st);
  CHECK(bf_statement_account_number(st, n) == NULL);
  CHECK(bf_statement_account_branch(st, n) == NULL);
  CHECK(bf_statement_account_kind(st, n) == NULL);
  CHECK_FAILS(bf_statement_account_opening_balance(&balance, st, n), BF_EINVALID);
  CHECK_FAILS(bf_statement_account_closing_balance(&balance, st, n), BF_EINVALID);
  CHECK_FAILS(bf_statement_account_closing_balance(NULL, st, 0), BF_EINVALID);

  n = bf_statement_transaction_count(st);
  CHECK(n > 0);
  CHECK(STREQ(bf_statement_tx_date(st, 0), "2015-11-03"));
  CHECK(STREQ(bf_statement_tx_description(st, 0), "DOC CR\xc3\x89" "DITO EM CONTA"));
  CHECK_OK(bf_statement_tx_amount(&amount, st, 0));
  CHECK(amount == 23955);
  CHECK(STREQ(bf_statement_tx_document(st, 0), "252602"));
  CHECK(STREQ(bf_statement_tx_fitid(st, 0), "20151103023955"));
  CHECK(STREQ(bf_statement_tx_account(st, 0), "455000-5"));
  CHECK(bf_statement_tx_dedupe_key(st, 0) != NULL && strlen(bf_statement_tx_dedupe_key(st, 0)) == 16);
  CHECK_OK(bf_statement_tx_line(&line, st, 0));
  CHECK(line > 0);
  for (i = 0; i < n; ++i) {
    CHECK(bf_statement_tx_date(st, i) != NULL);
    CHECK_OK(bf_statement_tx_amount(&amount, st, i));
    rc = bf_statement_tx_balance(&balance, st, i);
    CHECK(rc == 0 || rc == BF_ENOTFOUND);
  }
  CHECK(bf_statement_tx_date(st, n) == NULL);
  CHECK(bf_statement_tx_description(st, n) == NULL);
  CHECK(bf_statement_tx_document(st, n) == NULL);
  CHECK(bf_statement_tx_fitid(st, n) == NULL);
  CHECK(bf_statement_tx_dedupe_key(st, n) == NULL);
  CHECK(bf_statement_tx_account(st, n) == NULL);
  CHECK_FAILS(bf_statement_tx_amount(&amount, st, n), BF_EINVALID);
  CHECK_FAILS(bf_statement_tx_amount(NULL, st, 0), BF_EINVALID);
  CHECK_FAILS(bf_statement_tx_balance(&balance, st, n), BF_EINVALID);
  CHECK_FAILS(bf_statement_tx_line(&line, st, n), BF_EINVALID);
  CHECK_FAILS(bf_statement_tx_line(NULL, st, 0), BF_EINVALID);

  n = bf_statement_warning_count(st);
  for (i = 0; i < n; ++i) {
    CHECK(bf_statement_warning_message(st, i) != NULL);
    CHECK_OK(bf_statement_warning_line(&line, st, i));
  }
  CHECK(bf_statement_warning_message(st, n) == NULL);
  CHECK_FAILS(bf_statement_warning_line(&line, st, n), BF_EINVALID);

  /* JSON and the Excel pt-BR CSV */
  CHECK_OK(bf_statement_to_json(&json, st));
  CHECK(json.size > 2 && json.ptr[0] == '{' && strstr(json.ptr, "\"transactions\"") != NULL);
  co.style = BF_CSV_EXCEL_BR;
  CHECK_OK(bf_statement_to_csv(&xl, st, &co));
  CHECK(xl.size > 3 && memcmp(xl.ptr, "\xef\xbb\xbf", 3) == 0 && strstr(xl.ptr, "239,55") != NULL);
  bf_buf_dispose(&xl); /* an out buffer is overwritten, never freed: dispose before reuse */
  co.style = (bf_csv_style)7;
  CHECK_FAILS(bf_statement_to_csv(&xl, st, &co), BF_EINVALID);
  CHECK(xl.ptr == NULL && xl.size == 0);
  co.style = BF_CSV_STANDARD;
  co.version = 0;
  CHECK_FAILS(bf_statement_to_csv(&xl, st, &co), BF_EINVALID);

  /* the Excel workbook: ZIP bytes with NULs inside, counted by size */
  CHECK_OK(bf_statement_to_xlsx(&xl, st));
  CHECK(xl.size > 1000 && memcmp(xl.ptr, "PK\x03\x04", 4) == 0 && memchr(xl.ptr, '\0', xl.size) != NULL);
  bf_buf_dispose(&xl);
  CHECK_FAILS(bf_statement_to_xlsx(&xl, NULL), BF_EINVALID);
  CHECK(xl.ptr == NULL && xl.size == 0);

  /* from memory, with options: the same statement */
  po.format = "ofx";
  po.bank = "bb";
  po.file_name = "memory.ofx";
  CHECK_OK(bf_parse(&st2, data, size, &po));
  CHECK(bf_statement_transaction_count(st2) == bf_statement_transaction_count(st));
  CHECK_OK(bf_statement_confidence(&conf, st2));
  CHECK(conf == 1.0);
  bf_statement_free(st2);
  st2 = NULL;
  CHECK_OK(bf_parse(&st2, data, size, NULL));
  bf_statement_free(st2);
  st2 = NULL;

  /* bad inputs: a negative code, NULL out, a message */
  CHECK_FAILS(bf_parse(&st2, "", 0, NULL), BF_EEMPTY_INPUT);
  CHECK_FAILS(bf_parse(&st2, NULL, 0, NULL), BF_EEMPTY_INPUT);
  CHECK_FAILS(bf_parse(&st2, LIT("\x00\x01\x02\x03\x00\x00"), NULL), BF_EBINARY_INPUT);
  /* a PDF cut short */
  CHECK_FAILS(bf_parse(&st2, LIT("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), NULL), BF_EDAMAGED_CONTAINER);
  CHECK_FAILS(bf_parse(&st2, LIT("\x89PNG\r\n\x1a\n"), NULL), BF_EUNSUPPORTED_CONTAINER);
  CHECK_FAILS(bf_parse(&st2, LIT("hello, world\nnothing here\n"), NULL), BF_EUNKNOWN_FORMAT);
  po.format = "no-such-format";
  po.bank = NULL;
  CHECK_FAILS(bf_parse(&st2, data, size, &po), BF_EUNKNOWN_FORMAT);
  CHECK(strstr(bf_error_last(), "memory.ofx") != NULL); /* the file name is in the message */
  po.format = NULL;
  po.bank = "no-such-bank";
  CHECK_FAILS(bf_parse(&st2, data, size, &po), BF_EUNKNOWN_BANK);
  po.bank = NULL;
  po.version = 99;
  CHECK_FAILS(bf_parse(&st2, data, size, &po), BF_EINVALID);
  CHECK(strstr(bf_error_last(), "version") != NULL);
  CHECK_FAILS(bf_parse(&st2, LIT("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"), NULL), BF_EOFX_TRUNCATED);
  CHECK_FAILS(bf_parse_file(&st2, "/nonexistent/extrato.ofx", NULL), BF_EIO);
  CHECK(strstr(bf_error_last(), "extrato.ofx") != NULL);
  CHECK(st2 == NULL);

  bf_buf_dispose(&json);
  bf_buf_dispose(&xl);
  bf_buf_dispose(&csv);
  bf_statement_free(st);
  free(data);
  free(expected);
}

/* bf_parse_options.skip_bad_rows (version 2): the bad row is listed, the others are read; a
 * version 1 struct (which ends before the field) stays strict. */
static void test_skip_bad_rows(void) {
  static const char inter[] =
      "Extrato Conta Corrente\nConta ;12345678\n\n"
      "Data Lan\xc3\xa7" "amento;Descri\xc3\xa7\xc3\xa3o;Valor;Saldo\n"
      "01/06/2026;Pix recebido;100,00;1.100,00\n"
      "02/06/2026;Compra MERCADO;12,3x;1.087,70\n"
      "03/06/2026;Pix enviado;-30,00;1.070,00\n";
  bf_parse_options po = BF_PARSE_OPTIONS_INIT;
  bf_statement *st = NULL;
  bf_buf report = BF_BUF_INIT, json = BF_BUF_INIT;
  size_t line = 0;

  po.file_name = "inter.csv";
  CHECK(po.skip_bad_rows == 0);
  CHECK_FAILS(bf_parse(&st, LIT(inter), &po), BF_EBAD_AMOUNT);
  CHECK(strstr(bf_error_last(), "inter.csv:6") != NULL);
  po.version = 1;
  po.skip_bad_rows = 1; /* not read from a version 1 struct */
  CHECK_FAILS(bf_parse(&st, LIT(inter), &po), BF_EBAD_AMOUNT);

  po.version = BF_PARSE_OPTIONS_VERSION;
  CHECK_OK(bf_parse(&st, LIT(inter), &po));
  CHECK(bf_statement_transaction_count(st) == 2);
  CHECK(bf_statement_skipped_count(st) == 1);
  CHECK_OK(bf_statement_skipped_line(&line, st, 0));
  CHECK(line == 6);
  CHECK(STREQ(bf_statement_skipped_code(st, 0), "bad_amount"));
  CHECK(STREQ(bf_statement_skipped_field(st, 0), "Valor"));
  CHECK(bf_statement_skipped_message(st, 0) != NULL &&
        strncmp(bf_statement_skipped_message(st, 0), "Valor: ", 7) == 0);
  CHECK(STREQ(bf_statement_skipped_raw(st, 0), "02/06/2026;Compra MERCADO;12,3x;1.087,70"));
  CHECK(STREQ(bf_statement_skipped_sheet(st, 0), ""));
  CHECK(STREQ(bf_statement_skipped_cell(st, 0), ""));
  CHECK(bf_statement_skipped_code(st, 1) == NULL);
  CHECK(bf_statement_skipped_field(st, 1) == NULL);
  CHECK(bf_statement_skipped_message(st, 1) == NULL);
  CHECK(bf_statement_skipped_raw(st, 1) == NULL);
  CHECK(bf_statement_skipped_sheet(st, 1) == NULL);
  CHECK(bf_statement_skipped_cell(st, 1) == NULL);
  CHECK_FAILS(bf_statement_skipped_line(&line, st, 1), BF_EINVALID);
  CHECK_FAILS(bf_statement_skipped_line(NULL, st, 0), BF_EINVALID);
  CHECK(bf_statement_skipped_count(NULL) == 0);
  CHECK(bf_statement_skipped_raw(NULL, 0) == NULL);
  CHECK_FAILS(bf_statement_skipped_to_csv(&report, NULL), BF_EINVALID);
  CHECK_OK(bf_statement_skipped_to_csv(&report, st));
  CHECK(report.ptr != NULL && strncmp(report.ptr, "line,sheet,cell,code,message,raw\n6,,,bad_amount,", 48) == 0);
  CHECK_OK(bf_statement_to_json(&json, st));
  CHECK(json.ptr != NULL && strstr(json.ptr, "\"skipped_rows\"") != NULL);
  bf_buf_dispose(&report);
  bf_buf_dispose(&json);
  bf_statement_free(st);
}

/* Category rules (bf_parse_options version 4): the file's rule gives the row its category, a
 * mistake is BF_EINVALID naming the rule and field, and NULL rules are the shipped ones. */
static void test_rules(void) {
  static const char nubank[] =
      "Data,Valor,Identificador,Descri\xc3\xa7\xc3\xa3o\n"
      "06/07/2025,-63.49,686a6a2c-7767-4dd3-8b6f-648df2cd1acf,Compra no d\xc3\xa9" "bito via NuPay - iFood\n";
  static const char rules_json[] = "{\"rules\": [{\"id\": \"delivery\", \"category\": \"Delivery\", \"merchant\": \"ifood\"}]}";
  static const char bad_json[] = "[{\"category\": \"A\", \"kind\": \"pixx\"}]";
  bf_rules *rules = NULL;
  bf_statement *st = NULL;
  bf_buf json = BF_BUF_INIT;
  bf_parse_options po = BF_PARSE_OPTIONS_INIT;

  CHECK_FAILS(bf_rules_parse(&rules, LIT(bad_json)), BF_EINVALID);
  CHECK(rules == NULL);
  CHECK(strstr(bf_error_last(), "rule 1: kind: unknown kind \"pixx\"") != NULL);
  CHECK_FAILS(bf_rules_parse(NULL, LIT(rules_json)), BF_EINVALID);
  CHECK_FAILS(bf_rules_load(&rules, "/nonexistent/regras.json"), BF_EIO);
  CHECK(bf_rules_count(NULL) == 0);
  CHECK_OK(bf_rules_parse(&rules, LIT(rules_json)));
  CHECK(bf_rules_count(rules) == 1);

  CHECK_OK(bf_parse(&st, LIT(nubank), &po)); /* no rules: the shipped ones */
  CHECK_OK(bf_statement_to_json(&json, st));
  CHECK(json.ptr != NULL && strstr(json.ptr, "\"category\": \"Delivery\"") == NULL);
  bf_buf_dispose(&json);
  bf_statement_free(st);
  po.rules = rules;
  CHECK_OK(bf_parse(&st, LIT(nubank), &po));
  bf_rules_free(rules); /* the statement does not need them any more */
  CHECK_OK(bf_statement_to_json(&json, st));
  CHECK(json.ptr != NULL && strstr(json.ptr, "\"category\": \"Delivery\"") != NULL);
  bf_buf_dispose(&json);
  bf_statement_free(st);
  bf_rules_free(NULL);
}

/* PDFs (bf_parse_options version 3): the password opens a protected bill, a wrong one and none
 * are refused as BF_EENCRYPTED, and the bill's check against its printed total is readable. */
static void test_pdf(const char *corpus) {
  char path[4096];
  bf_parse_options po = BF_PARSE_OPTIONS_INIT;
  bf_statement *st = NULL;
  int64_t printed = 0, computed = 0;

  snprintf(path, sizeof path, "%s/nubank/nubank-fatura-pdf-2025-05-senha.pdf", corpus);
  CHECK(po.password == NULL && po.first_page == 0 && po.last_page == 0);
  CHECK_FAILS(bf_parse_file(&st, path, &po), BF_EENCRYPTED);
  CHECK(strstr(bf_error_last(), "password") != NULL);
  po.password = "not-it";
  CHECK_FAILS(bf_parse_file(&st, path, &po), BF_EENCRYPTED);
  CHECK(strstr(bf_error_last(), "wrong") != NULL);
  po.password = "12345";
  po.version = 2; /* a version 2 struct ends before the password: not read */
  CHECK_FAILS(bf_parse_file(&st, path, &po), BF_EENCRYPTED);
  po.version = BF_PARSE_OPTIONS_VERSION;
  CHECK_OK(bf_parse_file(&st, path, &po));
  CHECK(STREQ(bf_statement_format(st), "nubank-fatura-pdf"));
  CHECK(bf_statement_reconciliation(st, &printed, &computed) == BF_RECONCILIATION_OK);
  CHECK(printed > 0 && printed == computed);
  CHECK(bf_statement_reconciliation(st, NULL, NULL) == BF_RECONCILIATION_OK);
  bf_statement_free(st);
  st = NULL;

  /* the bill whose rows do not add up: reported, rows untouched */
  snprintf(path, sizeof path, "%s/nubank/nubank-fatura-pdf-2022-03-total-divergente.pdf", corpus);
  po.password = NULL;
  CHECK_OK(bf_parse_file(&st, path, &po));
  CHECK(bf_statement_reconciliation(st, &printed, &computed) == BF_RECONCILIATION_MISMATCH);
  CHECK(printed != computed);
  bf_statement_free(st);
  st = NULL;

  /* a page range outside the document */
  po.first_page = 50;
  CHECK_FAILS(bf_parse_file(&st, path, &po), BF_EINVALID);
  CHECK(bf_statement_reconciliation(NULL, &printed, &computed) == BF_RECONCILIATION_NONE);

  /* a scan */
  snprintf(path, sizeof path, "%s/other/n_scan-fatura-imagem.pdf", corpus);
  po.first_page = 0;
  CHECK_FAILS(bf_parse_file(&st, path, &po), BF_ESCANNED_PDF);
}

static void test_detect(const char *corpus) {
  char path[4096];
  char *data;
  size_t size = 0, n;
  bf_detection *d = NULL;
  bf_buf json = BF_BUF_INIT;
  double conf = 0;

  snprintf(path, sizeof path, "%s/bb/bb-ofx-2015.ofx", corpus);
  data = read_all(path, &size);
  CHECK(data != NULL);
  if (data == NULL) return;
  CHECK_OK(bf_detect(&d, data, size));
  n = bf_detection_count(d);
  CHECK(n >= 1);
  CHECK(STREQ(bf_detection_format(d, 0), "ofx"));
  CHECK(STREQ(bf_detection_bank(d, 0), "bb"));
  CHECK(bf_detection_bank_code(d, 0) != NULL);
  CHECK_OK(bf_detection_confidence(&conf, d, 0));
  CHECK(conf > 0.5 && conf <= 1.0);
  CHECK(bf_detection_format(d, n) == NULL);
  CHECK(bf_detection_bank(d, n) == NULL);
  CHECK(bf_detection_bank_code(d, n) == NULL);
  CHECK_FAILS(bf_detection_confidence(&conf, d, n), BF_EINVALID);
  CHECK_FAILS(bf_detection_confidence(NULL, d, 0), BF_EINVALID);
  CHECK_OK(bf_detection_to_json(&json, d));
  CHECK(json.ptr != NULL && strstr(json.ptr, "\"candidates\"") != NULL);
  CHECK_FAILS(bf_detection_to_json(NULL, d), BF_EINVALID);
  bf_buf_dispose(&json);
  bf_detection_free(d);
  d = NULL;

  /* nothing recognises plain prose: zero candidates, not an error */
  CHECK_OK(bf_detect(&d, LIT("hello\n")));
  CHECK(bf_detection_count(d) == 0);
  bf_detection_free(d);
  d = NULL;
  CHECK_FAILS(bf_detect(&d, NULL, 0), BF_EEMPTY_INPUT);
  CHECK_FAILS(bf_detect(&d, LIT("%PDF-1.7\n")), BF_EDAMAGED_CONTAINER);
  CHECK(d == NULL);
  /* the magic of an XLSX and nothing after it: a workbook cut short */
  CHECK_FAILS(bf_detect(&d, LIT("PK\x03\x04\x14\x00\x06\x00")), BF_EDAMAGED_CONTAINER);
  CHECK(d == NULL);
  free(data);
}

/* ---- webhooks ---- */

static const char *std_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
static const char *std_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
static const char *std_body = "{\"test\": 2432232314}";
static const char *std_sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
#define STD_TS 1614265330

static bf_webhook_verifier *make_verifier(bf_webhook_scheme scheme, const char *const *secrets, size_t count,
                                          int64_t now) {
  bf_webhook_options o = BF_WEBHOOK_OPTIONS_INIT;
  bf_webhook_verifier *v = NULL;
  o.scheme = scheme;
  o.secrets = secrets;
  o.secret_count = count;
  o.now = now;
  CHECK_OK(bf_webhook_verifier_new(&v, &o));
  return v;
}

static void test_webhook_standard(void) {
  bf_header h[3];
  bf_buf sig = BF_BUF_INIT;
  bf_webhook_event ev = BF_WEBHOOK_EVENT_INIT;
  bf_webhook_verifier *v, *v2, *v3;
  bf_webhook_options o = BF_WEBHOOK_OPTIONS_INIT;
  const char *two[2];
  const size_t body_len = strlen(std_body);

  /* the published vector signs and verifies */
  CHECK_OK(bf_webhook_sign_standard(&sig, std_secret, std_id, STD_TS, std_body, body_len));
  CHECK(STREQ(sig.ptr, std_sig));
  bf_buf_dispose(&sig);

  h[0].name = "webhook-id";        h[0].value = std_id;
  h[1].name = "webhook-timestamp"; h[1].value = "1614265330";
  h[2].name = "webhook-signature"; h[2].value = std_sig;
  v = make_verifier(BF_WEBHOOK_STANDARD, &std_secret, 1, STD_TS);
  CHECK_OK(bf_webhook_verify(&ev, v, h, 3, std_body, body_len));
  CHECK(STREQ(ev.id.ptr, std_id) && ev.id.size == strlen(std_id));
  CHECK(ev.has_timestamp && ev.timestamp == STD_TS && ev.secret_index == 0);
  /* verifying again into the same event replaces its id without leaking */
  CHECK_OK(bf_webhook_verify(&ev, v, h, 3, std_body, body_len));
  bf_webhook_event_dispose(&ev);
  CHECK(ev.id.ptr == NULL);
  CHECK_OK(bf_webhook_verify(NULL, v, h, 3, std_body, body_len));

  /* every way it can fail, each with its own code */
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 3, "{\"test\": 2432232315}", body_len), BF_ENO_MATCHING_SIGNATURE);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 2, std_body, body_len), BF_EMISSING_HEADER);
  CHECK_FAILS(bf_webhook_verify(NULL, v, NULL, 0, std_body, body_len), BF_EMISSING_HEADER);
  CHECK_FAILS(bf_webhook_verify(NULL, v, NULL, 3, std_body, body_len), BF_EINVALID);
  h[1].value = "not-a-time";
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 3, std_body, body_len), BF_EBAD_TIMESTAMP);
  h[1].value = "1614265330";
  h[2].value = NULL;
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 3, std_body, body_len), BF_EINVALID);
  h[2].value = "v1,!!!not base64!!!";
  {
    int rc = bf_webhook_verify(NULL, v, h, 3, std_body, body_len);
    CHECK(rc == BF_EMALFORMED_HEADER || rc == BF_ENO_MATCHING_SIGNATURE);
  }
  h[2].value = std_sig;
  ev.version = 0;
  CHECK_FAILS(bf_webhook_verify(&ev, v, h, 3, std_body, body_len), BF_EINVALID);
  ev.version = BF_WEBHOOK_EVENT_VERSION;
  bf_webhook_verifier_free(v);

  v = make_verifier(BF_WEBHOOK_STANDARD, &std_secret, 1, STD_TS + 301);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 3, std_body, body_len), BF_ETIMESTAMP_TOO_OLD);
  bf_webhook_verifier_free(v);
  v = make_verifier(BF_WEBHOOK_STANDARD, &std_secret, 1, STD_TS - 301);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 3, std_body, body_len), BF_ETIMESTAMP_IN_FUTURE);
  bf_webhook_verifier_free(v);
  /* the system clock (now = 0): a 2021 timestamp is too old */
  v = make_verifier(BF_WEBHOOK_STANDARD, &std_secret, 1, 0);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 3, std_body, body_len), BF_ETIMESTAMP_TOO_OLD);
  bf_webhook_verifier_free(v);

  /* rotation: the second secret matches */
  two[0] = "whsec_c2VjcmV0LW9uZS1zZWNyZXQtb25lLXNlY3JldA==";
  two[1] = std_secret;
  v2 = make_verifier(BF_WEBHOOK_STANDARD, two, 2, STD_TS);
  CHECK_OK(bf_webhook_verify(&ev, v2, h, 3, std_body, body_len));
  CHECK(ev.secret_index == 1);
  bf_webhook_event_dispose(&ev);
  bf_webhook_verifier_free(v2);

  /* replays */
  o.secrets = &std_secret;
  o.secret_count = 1;
  o.now = STD_TS;
  o.reject_replays = 1;
  v3 = NULL;
  CHECK_OK(bf_webhook_verifier_new(&v3, &o));
  CHECK_OK(bf_webhook_verify(NULL, v3, h, 3, std_body, body_len));
  CHECK_FAILS(bf_webhook_verify(NULL, v3, h, 3, std_body, body_len), BF_EREPLAYED);
  bf_webhook_verifier_free(v3);

  /* bad options */
  v3 = NULL;
  o.reject_replays = 0;
  o.secret_count = 0;
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EINVALID);
  o.secret_count = 1;
  o.tolerance_seconds = -1;
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EINVALID);
  o.tolerance_seconds = 300;
  o.version = 2;
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EINVALID);
  o.version = BF_WEBHOOK_OPTIONS_VERSION;
  o.scheme = (bf_webhook_scheme)42;
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EINVALID);
  o.scheme = BF_WEBHOOK_STANDARD;
  o.secrets = two;
  two[0] = "whsec_***";
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EMALFORMED_SECRET);
  two[0] = "";
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EMALFORMED_SECRET);
  two[0] = NULL;
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EINVALID);
  o.secrets = NULL;
  CHECK_FAILS(bf_webhook_verifier_new(&v3, &o), BF_EINVALID);
  CHECK(v3 == NULL);
  CHECK_FAILS(bf_webhook_sign_standard(&sig, "whsec_***", std_id, STD_TS, std_body, body_len),
              BF_EMALFORMED_SECRET);
  CHECK(sig.ptr == NULL);
}

static void test_webhook_other_schemes(void) {
  const char *secret = "It's a Secret to Everybody";
  const char *body = "Hello, World!";
  const size_t len = strlen(body);
  bf_buf sig = BF_BUF_INIT;
  bf_header h[2];
  bf_webhook_verifier *v = NULL;
  bf_webhook_options o = BF_WEBHOOK_OPTIONS_INIT;
  bf_webhook_event ev = BF_WEBHOOK_EVENT_INIT;

  /* GitHub's documented example */
  CHECK_OK(bf_webhook_sign_github(&sig, secret, body, len));
  CHECK(STREQ(sig.ptr, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
  h[0].name = "X-Hub-Signature-256";
  h[0].value = sig.ptr;
  h[1].name = "X-GitHub-Delivery";
  h[1].value = "delivery-1";
  v = make_verifier(BF_WEBHOOK_GITHUB, &secret, 1, 0);
  CHECK_OK(bf_webhook_verify(&ev, v, h, 2, body, len));
  CHECK(STREQ(ev.id.ptr, "delivery-1") && !ev.has_timestamp);
  bf_webhook_event_dispose(&ev);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 2, "Hello, World?", len), BF_ENO_MATCHING_SIGNATURE);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h + 1, 1, body, len), BF_EMISSING_HEADER);
  h[0].value = "md5=abc";
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 2, body, len), BF_EMALFORMED_HEADER);
  bf_webhook_verifier_free(v);
  bf_buf_dispose(&sig);
  CHECK_FAILS(bf_webhook_sign_github(&sig, "", body, len), BF_EMALFORMED_SECRET);

  /* Stripe */
  {
    const char *ssecret = "whsec_test_stripe";
    CHECK_OK(bf_webhook_sign_stripe(&sig, ssecret, 1700000000, body, len));
    CHECK(sig.ptr != NULL && strncmp(sig.ptr, "t=1700000000,v1=", 16) == 0 && sig.size == 16 + 64);
    h[0].name = "Stripe-Signature";
    h[0].value = sig.ptr;
    v = make_verifier(BF_WEBHOOK_STRIPE, &ssecret, 1, 1700000010);
    CHECK_OK(bf_webhook_verify(&ev, v, h, 1, body, len));
    CHECK(ev.has_timestamp && ev.timestamp == 1700000000);
    bf_webhook_event_dispose(&ev);
    CHECK_FAILS(bf_webhook_verify(NULL, v, h, 1, "tampered", 8), BF_ENO_MATCHING_SIGNATURE);
    h[0].value = "garbage";
    CHECK_FAILS(bf_webhook_verify(NULL, v, h, 1, body, len), BF_EMALFORMED_HEADER);
    bf_webhook_verifier_free(v);
    bf_buf_dispose(&sig);
    CHECK_FAILS(bf_webhook_sign_stripe(&sig, "", 1, body, len), BF_EMALFORMED_SECRET);
  }

  /* the generic HMAC-SHA256 scheme, base64 with a prefix */
  CHECK_OK(bf_webhook_sign_hmac(&sig, secret, body, len, BF_ENCODING_BASE64, "hmac="));
  CHECK(sig.ptr != NULL && strncmp(sig.ptr, "hmac=", 5) == 0);
  h[0].name = "X-My-Signature";
  h[0].value = sig.ptr;
  h[1].name = "X-My-Id";
  h[1].value = "evt-9";
  o.scheme = BF_WEBHOOK_HMAC_SHA256;
  o.secrets = &secret;
  o.secret_count = 1;
  o.hmac_header = "X-My-Signature";
  o.hmac_encoding = BF_ENCODING_BASE64;
  o.hmac_prefix = "hmac=";
  o.hmac_id_header = "X-My-Id";
  CHECK_OK(bf_webhook_verifier_new(&v, &o));
  CHECK_OK(bf_webhook_verify(&ev, v, h, 2, body, len));
  CHECK(STREQ(ev.id.ptr, "evt-9"));
  bf_webhook_event_dispose(&ev);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h, 2, "x", 1), BF_ENO_MATCHING_SIGNATURE);
  CHECK_FAILS(bf_webhook_verify(NULL, v, h + 1, 1, body, len), BF_EMISSING_HEADER);
  bf_webhook_verifier_free(v);
  bf_buf_dispose(&sig);
  /* hex, no prefix, default header */
  CHECK_OK(bf_webhook_sign_hmac(&sig, secret, body, len, BF_ENCODING_HEX, NULL));
  CHECK(sig.size == 64);
  bf_buf_dispose(&sig);
  CHECK_FAILS(bf_webhook_sign_hmac(&sig, secret, body, len, (bf_signature_encoding)9, NULL), BF_EINVALID);
  CHECK_FAILS(bf_webhook_sign_hmac(&sig, "", body, len, BF_ENCODING_HEX, NULL), BF_EMALFORMED_SECRET);
  o.hmac_encoding = (bf_signature_encoding)9;
  v = NULL;
  CHECK_FAILS(bf_webhook_verifier_new(&v, &o), BF_EINVALID);
  CHECK(v == NULL);
}


/* ---- storage, sessions, rate limits ---- */

static int64_t fake_clock(void *ctx) { return *(const int64_t *)ctx; }

static void test_sessions(void) {
  bf_database *db = NULL, *bad = NULL;
  bf_database_options dbo = BF_DATABASE_OPTIONS_INIT;
  bf_session_store *store = NULL, *s2 = NULL;
  bf_session_options so = BF_SESSION_OPTIONS_INIT;
  bf_rate_limiter *rl = NULL, *mem = NULL;
  bf_buf token = BF_BUF_INIT, id = BF_BUF_INIT, id2 = BF_BUF_INIT, token2 = BF_BUF_INIT;
  int64_t now_ms = 1700000000000;
  size_t purged = 99;
  uint32_t remaining = 0;
  int64_t retry = 0;
  int i;

  bf_database_free(NULL);
  bf_session_store_free(NULL);
  bf_rate_limiter_free(NULL);
  CHECK_FAILS(bf_database_open(NULL, "sqlite::memory:", NULL), BF_EINVALID);
  CHECK_FAILS(bf_database_open(&bad, NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_database_open(&bad, "mysql://nope", NULL), BF_EINVALID);
  dbo.version = 0;
  CHECK_FAILS(bf_database_open(&bad, "sqlite::memory:", &dbo), BF_EINVALID);
  CHECK(bad == NULL);
  dbo.version = BF_DATABASE_OPTIONS_VERSION;
  CHECK_OK(bf_database_open(&db, "sqlite::memory:", &dbo));

  so.lifetime_seconds = 3600;
  so.clock = fake_clock;
  so.clock_ctx = &now_ms;
  CHECK_FAILS(bf_session_store_open(&s2, NULL, &so), BF_EINVALID);
  so.lifetime_seconds = 0;
  CHECK_FAILS(bf_session_store_open(&s2, db, &so), BF_EINVALID);
  so.lifetime_seconds = 3600;
  CHECK(s2 == NULL);
  CHECK_OK(bf_session_store_open(&store, db, &so));

  CHECK_OK(bf_session_create(&token, &id, store));
  CHECK(token.size == 43 && id.size == 32);
  CHECK_OK(bf_session_validate(&id2, store, token.ptr));
  CHECK(STREQ(id2.ptr, id.ptr));
  bf_buf_dispose(&id2);
  CHECK_OK(bf_session_validate(NULL, store, token.ptr));
  CHECK_FAILS(bf_session_validate(&id2, store, "not-a-token"), BF_ESESSION_INVALID);
  CHECK_FAILS(bf_session_validate(&id2, store, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), BF_ESESSION_INVALID);
  CHECK(id2.ptr == NULL);
  CHECK_FAILS(bf_session_validate(&id2, store, NULL), BF_EINVALID);
  CHECK_FAILS(bf_session_create(NULL, NULL, store), BF_EINVALID);
  CHECK_FAILS(bf_session_create(&token2, NULL, NULL), BF_EINVALID);

  /* a second session expires; the first is revoked */
  CHECK_OK(bf_session_create(&token2, NULL, store));
  CHECK_OK(bf_session_revoke(store, id.ptr));
  CHECK_OK(bf_session_revoke(store, id.ptr)); /* idempotent */
  CHECK_FAILS(bf_session_validate(NULL, store, token.ptr), BF_ESESSION_REVOKED);
  CHECK_FAILS(bf_session_revoke(store, "00000000000000000000000000000000"), BF_ENOTFOUND);
  CHECK_FAILS(bf_session_revoke(store, NULL), BF_EINVALID);
  now_ms += 3601 * 1000;
  CHECK_FAILS(bf_session_validate(NULL, store, token2.ptr), BF_ESESSION_EXPIRED);
  CHECK_OK(bf_session_purge(&purged, store));
  CHECK(purged == 2);
  CHECK_OK(bf_session_purge(NULL, store));
  CHECK_FAILS(bf_session_purge(&purged, NULL), BF_EINVALID);
  CHECK_FAILS(bf_session_validate(NULL, store, token.ptr), BF_ESESSION_INVALID);

  /* rate limits, in the database and in memory */
  CHECK_FAILS(bf_rate_limiter_new(NULL, db, NULL, NULL), BF_EINVALID);
  CHECK_OK(bf_rate_limiter_new(&rl, db, fake_clock, &now_ms));
  CHECK_OK(bf_rate_limiter_new(&mem, NULL, NULL, NULL));
  CHECK_OK(bf_rate_limiter_set_limit(rl, "upload", 3, 60));
  CHECK_OK(bf_rate_limiter_set_limit(mem, "upload", 1, 60));
  CHECK_FAILS(bf_rate_limiter_set_limit(rl, "upload", 0, 60), BF_EINVALID);
  CHECK_FAILS(bf_rate_limiter_set_limit(rl, NULL, 1, 60), BF_EINVALID);
  CHECK_FAILS(bf_rate_limiter_set_limit(NULL, "x", 1, 60), BF_EINVALID);
  for (i = 0; i < 3; ++i) {
    CHECK_OK(bf_rate_limiter_hit(&remaining, &retry, rl, "session-a", "upload"));
    CHECK(remaining == (uint32_t)(2 - i));
  }
  CHECK_FAILS(bf_rate_limiter_hit(&remaining, &retry, rl, "session-a", "upload"), BF_ERATE_LIMITED);
  CHECK(remaining == 0 && retry > 0 && retry <= 60);
  CHECK_OK(bf_rate_limiter_hit(NULL, NULL, rl, "session-b", "upload")); /* per session */
  now_ms += 61 * 1000;
  CHECK_OK(bf_rate_limiter_hit(NULL, NULL, rl, "session-a", "upload")); /* the window slid */
  CHECK_FAILS(bf_rate_limiter_hit(NULL, NULL, rl, "session-a", "download"), BF_EINVALID);
  CHECK_FAILS(bf_rate_limiter_hit(NULL, NULL, rl, NULL, "upload"), BF_EINVALID);
  CHECK_OK(bf_rate_limiter_hit(NULL, NULL, mem, "s", "upload"));
  CHECK_FAILS(bf_rate_limiter_hit(NULL, NULL, mem, "s", "upload"), BF_ERATE_LIMITED);

  bf_rate_limiter_free(mem);
  bf_rate_limiter_free(rl);
  bf_buf_dispose(&token);
  bf_buf_dispose(&token2);
  bf_buf_dispose(&id);
  bf_session_store_free(store);
  bf_database_free(db);
}

/* ---- ledger ---- */

static bf_transfer_request transfer(const char *id, bf_transfer_kind kind, const char *debit, const char *credit,
                                    int64_t amount) {
  bf_transfer_request r = BF_TRANSFER_REQUEST_INIT;
  r.id = id;
  r.kind = kind;
  r.debit_account = debit;
  r.credit_account = credit;
  r.amount = amount;
  return r;
}

static int64_t balance_of(bf_ledger *l, const char *account) {
  bf_account_balance b = BF_ACCOUNT_BALANCE_INIT;
  CHECK_OK(bf_ledger_balance(&b, l, account));
  return b.balance;
}

/* ---- accounts: the login check and API keys ---- */

static void test_accounts(void) {
  bf_database *db = NULL;
  bf_account_store *store = NULL, *bad = NULL;
  bf_account_options ao = BF_ACCOUNT_OPTIONS_INIT;
  bf_buf user = BF_BUF_INIT, again = BF_BUF_INIT, token = BF_BUF_INIT, verified = BF_BUF_INIT;
  char user_id[33] = {0}, key_id[17] = {0};
  const char *id_at;
  int read_write = -1;

  bf_account_store_free(NULL);
  CHECK(ao.memory_kib == 19456 && ao.iterations == 2 && ao.parallelism == 1);
  CHECK_OK(bf_database_open(&db, "sqlite::memory:", NULL));
  ao.memory_kib = 1;
  CHECK_FAILS(bf_account_store_open(&bad, db, &ao), BF_EINVALID);
  CHECK(bad == NULL);
  ao.memory_kib = 64; /* cheap: this test is not about cost */
  ao.iterations = 1;
  CHECK_OK(bf_account_store_open(&store, db, &ao));

  CHECK_OK(bf_password_check("correct horse battery"));
  CHECK_FAILS(bf_password_check("senha12345"), BF_EWEAK_PASSWORD);
  CHECK_FAILS(bf_password_check("curta"), BF_EWEAK_PASSWORD);
  CHECK_FAILS(bf_password_check(NULL), BF_EINVALID);

  CHECK_OK(bf_account_create_user(&user, store, " Ana@Example.com", "correct horse battery", "Ana", "operator"));
  CHECK(strstr(user.ptr, "\"email\":\"ana@example.com\"") != NULL);
  CHECK(strstr(user.ptr, "\"role\":\"operator\"") != NULL);
  CHECK(strstr(user.ptr, "correct horse") == NULL);
  id_at = strstr(user.ptr, "\"id\":\"");
  CHECK(id_at != NULL);
  if (id_at != NULL) memcpy(user_id, id_at + 6, 32);
  CHECK_FAILS(bf_account_create_user(NULL, store, "ana@example.com", "correct horse battery", NULL, NULL),
              BF_EALREADY_EXISTS);
  CHECK_FAILS(bf_account_create_user(NULL, store, "bia@example.com", "correct horse battery", NULL, "root"),
              BF_EINVALID);
  CHECK_FAILS(bf_account_create_user(NULL, store, "bia@example.com", "123456789", NULL, NULL), BF_EWEAK_PASSWORD);

  CHECK_OK(bf_account_authenticate(&again, store, "ANA@example.com", "correct horse battery"));
  CHECK(strstr(again.ptr, user_id) != NULL);
  bf_buf_dispose(&again);
  CHECK_FAILS(bf_account_authenticate(&again, store, "ana@example.com", "wrong horse battery"),
              BF_EINVALID_CREDENTIALS);
  CHECK_FAILS(bf_account_authenticate(&again, store, "nobody@example.com", "correct horse battery"),
              BF_EINVALID_CREDENTIALS);
  CHECK(again.ptr == NULL);

  CHECK_FAILS(bf_api_key_create(&token, store, user_id, "ci", "write"), BF_EINVALID);
  CHECK_FAILS(bf_api_key_create(&token, store, "0123456789abcdef0123456789abcdef", "ci", "read"), BF_ENOTFOUND);
  CHECK_OK(bf_api_key_create(&token, store, user_id, "ci", "read_write"));
  CHECK(token.size == 8 + 16 + 1 + 64 && strncmp(token.ptr, "bf_live_", 8) == 0);
  if (token.size > 24) memcpy(key_id, token.ptr + 8, 16);
  CHECK_OK(bf_api_key_verify(&verified, &read_write, store, token.ptr));
  CHECK(read_write == 1);
  CHECK(strstr(verified.ptr, "\"scope\":\"read_write\"") != NULL && strstr(verified.ptr, user_id) != NULL);
  CHECK_FAILS(bf_api_key_verify(NULL, &read_write, store, "bf_live_nope"), BF_EINVALID_CREDENTIALS);
  CHECK(read_write == 0);
  CHECK_FAILS(bf_api_key_revoke(store, "0123456789abcdef0123456789abcdef", key_id), BF_ENOTFOUND);
  CHECK_OK(bf_api_key_revoke(store, user_id, key_id));
  CHECK_FAILS(bf_api_key_verify(NULL, NULL, store, token.ptr), BF_EINVALID_CREDENTIALS);

  bf_buf_dispose(&user);
  bf_buf_dispose(&token);
  bf_buf_dispose(&verified);
  bf_account_store_free(store);
  bf_database_free(db);
}

static void test_ledger(const char *corpus) {
  bf_ledger *l = NULL, *bad = NULL;
  bf_ledger_options lo = BF_LEDGER_OPTIONS_INIT;
  bf_account_balance b = BF_ACCOUNT_BALANCE_INIT;
  bf_transfer_request r, batch[3];
  bf_transfer_list *list = NULL, *page2 = NULL;
  bf_transfer_info info = BF_TRANSFER_INFO_INIT;
  bf_import_result imp = BF_IMPORT_RESULT_INIT;
  bf_statement *st = NULL;
  bf_buf problems = BF_BUF_INIT;
  char path[4096];
  int64_t now_ms = 1700000000000;
  int existed = -1, ok = 0, codes[3] = {1, 1, 1};
  size_t n = 99;

  bf_ledger_free(NULL);
  bf_transfer_list_free(NULL);
  CHECK_FAILS(bf_ledger_open(&bad, NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_ledger_open(&bad, "nope://", NULL), BF_EINVALID);
  CHECK_FAILS(bf_ledger_open(NULL, "sqlite::memory:", NULL), BF_EINVALID);
  lo.version = 5;
  CHECK_FAILS(bf_ledger_open(&bad, "sqlite::memory:", &lo), BF_EINVALID);
  CHECK(bad == NULL);
  lo.version = BF_LEDGER_OPTIONS_VERSION;
  lo.clock = fake_clock;
  lo.clock_ctx = &now_ms;
  CHECK_OK(bf_ledger_open(&l, "sqlite::memory:", &lo));

  /* accounts */
  CHECK_OK(bf_ledger_create_account(&existed, l, "cash", NULL, 0, NULL));
  CHECK(existed == 0);
  CHECK_OK(bf_ledger_create_account(&existed, l, "cash", "BRL", 0, ""));
  CHECK(existed == 1);
  CHECK_OK(bf_ledger_create_account(NULL, l, "wallet", "BRL", BF_ACCOUNT_NO_OVERDRAFT, "session-1"));
  CHECK_OK(bf_ledger_create_account(NULL, l, "usd", "USD", 0, NULL));
  CHECK_FAILS(bf_ledger_create_account(NULL, l, "wallet", "BRL", 0, "session-1"), BF_EID_CONFLICT);
  CHECK_FAILS(bf_ledger_create_account(NULL, l, "", "BRL", 0, NULL), BF_EINVALID);
  CHECK_FAILS(bf_ledger_create_account(NULL, l, NULL, "BRL", 0, NULL), BF_EINVALID);
  CHECK_FAILS(bf_ledger_create_account(NULL, NULL, "x", "BRL", 0, NULL), BF_EINVALID);
  CHECK_FAILS(bf_ledger_balance(&b, l, "missing"), BF_ENOTFOUND);
  CHECK_FAILS(bf_ledger_balance(NULL, l, "cash"), BF_EINVALID);

  /* a deposit and a withdrawal */
  r = transfer("t1", BF_TRANSFER_IMMEDIATE, "cash", "wallet", 10000);
  CHECK_OK(bf_ledger_transfer(&existed, l, &r));
  CHECK(existed == 0);
  CHECK_OK(bf_ledger_transfer(&existed, l, &r)); /* idempotent */
  CHECK(existed == 1);
  r = transfer("t2", BF_TRANSFER_IMMEDIATE, "wallet", "cash", 2500);
  r.reference = "withdrawal";
  r.metadata = "{\"atm\": 7}";
  CHECK_OK(bf_ledger_transfer(NULL, l, &r));
  CHECK(balance_of(l, "wallet") == 7500);
  CHECK(balance_of(l, "cash") == -7500);
  r = transfer("t3", BF_TRANSFER_IMMEDIATE, "wallet", "cash", 999999);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EINSUFFICIENT_FUNDS);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EINSUFFICIENT_FUNDS); /* recorded */
  r = transfer("t4", BF_TRANSFER_IMMEDIATE, "cash", "usd", 1);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_ECURRENCY_MISMATCH);
  r = transfer("t5", BF_TRANSFER_IMMEDIATE, "cash", "nobody", 1);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_ENOTFOUND);
  r = transfer("t1", BF_TRANSFER_IMMEDIATE, "cash", "wallet", 10001);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EID_CONFLICT);
  r = transfer("t6", BF_TRANSFER_IMMEDIATE, "cash", "wallet", 0);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EINVALID);
  r = transfer(NULL, BF_TRANSFER_IMMEDIATE, "cash", "wallet", 1);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EINVALID);
  r = transfer("t7", (bf_transfer_kind)9, "cash", "wallet", 1);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EINVALID);
  r.version = 0;
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EINVALID);
  CHECK_FAILS(bf_ledger_transfer(NULL, l, NULL), BF_EINVALID);

  /* holds: pending, post part, void, expire */
  r = transfer("h1", BF_TRANSFER_PENDING, "wallet", "cash", 3000);
  CHECK_OK(bf_ledger_transfer(NULL, l, &r));
  CHECK_OK(bf_ledger_balance(&b, l, "wallet"));
  CHECK(b.balance == 7500 && b.available == 4500 && b.debits_pending == 3000);
  r = transfer("p1", BF_TRANSFER_POST, NULL, NULL, 5000);
  r.pending_id = "h1";
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EEXCEEDS_PENDING);
  r = transfer("p2", BF_TRANSFER_POST, NULL, NULL, 1000);
  r.pending_id = "h1";
  CHECK_OK(bf_ledger_transfer(NULL, l, &r));
  CHECK(balance_of(l, "wallet") == 6500);
  r = transfer("v1", BF_TRANSFER_VOID, NULL, NULL, 0);
  r.pending_id = "h1";
  CHECK_FAILS(bf_ledger_transfer(NULL, l, &r), BF_EPENDING_RESOLVED);
  r = transfer("h2", BF_TRANSFER_PENDING, "wallet", "cash", 500);
  CHECK_OK(bf_ledger_transfer(NULL, l, &r));
  r = transfer("v2", BF_TRANSFER_VOID, NULL, NULL, 0);
  r.pending_id = "h2";
  CHECK_OK(bf_ledger_transfer(NULL, l, &r));
  r = transfer("h3", BF_TRANSFER_PENDING, "wallet", "cash", 700);
  r.timeout_ms = 1000;
  CHECK_OK(bf_ledger_transfer(NULL, l, &r));
  now_ms += 2000;
  CHECK_OK(bf_ledger_expire_pending(&n, l));
  CHECK(n == 1);
  CHECK_OK(bf_ledger_expire_pending(NULL, l));
  r = transfer("p3", BF_TRANSFER_POST, NULL, NULL, 0);
  r.pending_id = "h3";
  {
    int rc = bf_ledger_transfer(NULL, l, &r);
    CHECK(rc == BF_EPENDING_EXPIRED || rc == BF_EPENDING_RESOLVED);
  }
  CHECK_OK(bf_ledger_balance(&b, l, "wallet"));
  CHECK(b.balance == 6500 && b.debits_pending == 0);

  /* batches: linked is all or nothing */
  batch[0] = transfer("b1", BF_TRANSFER_IMMEDIATE, "cash", "wallet", 100);
  batch[1] = transfer("b2", BF_TRANSFER_IMMEDIATE, "wallet", "cash", 99999999);
  batch[2] = transfer("b3", BF_TRANSFER_IMMEDIATE, "cash", "wallet", 100);
  CHECK_OK(bf_ledger_transfer_batch(codes, l, batch, 3, 1));
  CHECK(codes[0] == BF_ELINKED_FAILED && codes[1] == BF_EINSUFFICIENT_FUNDS && codes[2] == BF_ELINKED_FAILED);
  CHECK(bf_error_last()[0] != '\0');
  CHECK(balance_of(l, "wallet") == 6500);
  CHECK_OK(bf_ledger_transfer_batch(codes, l, batch, 3, 0));
  CHECK(codes[0] == 0 && codes[1] == BF_EINSUFFICIENT_FUNDS && codes[2] == 0);
  CHECK(balance_of(l, "wallet") == 6700);
  CHECK_OK(bf_ledger_transfer_batch(NULL, l, batch, 0, 0));
  CHECK_FAILS(bf_ledger_transfer_batch(codes, l, NULL, 2, 0), BF_EINVALID);
  CHECK_FAILS(bf_ledger_transfer_batch(codes, NULL, batch, 3, 0), BF_EINVALID);

  /* a stored transfer, and a recorded failure */
  CHECK_OK(bf_ledger_get_transfer(&list, l, "t2"));
  CHECK(bf_transfer_list_count(list) == 1);
  CHECK_OK(bf_transfer_list_get(&info, list, 0));
  CHECK(STREQ(info.id, "t2") && STREQ(info.debit_account, "wallet") && STREQ(info.credit_account, "cash"));
  CHECK(info.amount == 2500 && info.kind == BF_TRANSFER_IMMEDIATE && info.state == BF_TRANSFER_POSTED);
  CHECK(STREQ(info.reference, "withdrawal") && STREQ(info.metadata, "{\"atm\": 7}") && STREQ(info.pending_id, ""));
  CHECK(info.created_at_ms == 1700000000000);
  CHECK_FAILS(bf_transfer_list_get(&info, list, 1), BF_EINVALID);
  CHECK_FAILS(bf_transfer_list_get(NULL, list, 0), BF_EINVALID);
  info.version = 0;
  CHECK_FAILS(bf_transfer_list_get(&info, list, 0), BF_EINVALID);
  info.version = BF_TRANSFER_INFO_VERSION;
  CHECK(STREQ(bf_transfer_list_next_cursor(list), ""));
  bf_transfer_list_free(list);
  list = NULL;
  CHECK_FAILS(bf_ledger_get_transfer(&list, l, "t3"), BF_EINSUFFICIENT_FUNDS);
  CHECK_FAILS(bf_ledger_get_transfer(&list, l, "never"), BF_ENOTFOUND);
  CHECK(list == NULL);
  CHECK(bf_transfer_list_count(NULL) == 0 && bf_transfer_list_next_cursor(NULL) == NULL);
  CHECK_FAILS(bf_transfer_list_get(&info, NULL, 0), BF_EINVALID);

  /* history, paged */
  CHECK_OK(bf_ledger_history(&list, l, "wallet", NULL, 3));
  CHECK(bf_transfer_list_count(list) == 3);
  CHECK(bf_transfer_list_next_cursor(list)[0] != '\0');
  CHECK_OK(bf_transfer_list_get(&info, list, 0));
  CHECK(STREQ(info.id, "b3")); /* newest first */
  CHECK_OK(bf_ledger_history(&page2, l, "wallet", bf_transfer_list_next_cursor(list), 0));
  CHECK(bf_transfer_list_count(page2) >= 3);
  CHECK(STREQ(bf_transfer_list_next_cursor(page2), ""));
  bf_transfer_list_free(page2);
  page2 = NULL;
  CHECK_FAILS(bf_ledger_history(&page2, l, "wallet", "garbage-cursor", 3), BF_EINVALID);
  CHECK_FAILS(bf_ledger_history(&page2, l, NULL, NULL, 3), BF_EINVALID);
  CHECK(page2 == NULL);
  bf_transfer_list_free(list);

  /* import a statement twice: the second adds nothing */
  snprintf(path, sizeof path, "%s/bb/bb-ofx-2015.ofx", corpus);
  CHECK_OK(bf_parse_file(&st, path, NULL));
  CHECK_OK(bf_ledger_create_account(NULL, l, "bb", "BRL", 0, NULL));
  CHECK_OK(bf_ledger_create_account(NULL, l, "bb-external", "BRL", 0, NULL));
  CHECK_OK(bf_ledger_import(&imp, l, st, "bb", "bb-external"));
  CHECK(imp.added == bf_statement_transaction_count(st) && imp.already_present == 0 && imp.failed == 0);
  CHECK_OK(bf_ledger_import(&imp, l, st, "bb", "bb-external"));
  CHECK(imp.added == 0 && imp.already_present == bf_statement_transaction_count(st));
  CHECK_OK(bf_ledger_import(NULL, l, st, "bb", "bb-external"));
  CHECK(balance_of(l, "bb") == 23955);
  CHECK_FAILS(bf_ledger_import(&imp, l, NULL, "bb", "bb-external"), BF_EINVALID);
  CHECK_FAILS(bf_ledger_import(&imp, l, st, NULL, "bb-external"), BF_EINVALID);
  imp.version = 0;
  CHECK_FAILS(bf_ledger_import(&imp, l, st, "bb", "bb-external"), BF_EINVALID);
  bf_statement_free(st);

  /* the invariants hold */
  CHECK_OK(bf_ledger_check(&ok, &problems, l));
  CHECK(ok == 1 && problems.ptr != NULL && problems.size == 0);
  bf_buf_dispose(&problems);
  CHECK_OK(bf_ledger_check(&ok, NULL, l));
  CHECK_FAILS(bf_ledger_check(NULL, NULL, l), BF_EINVALID);
  CHECK_FAILS(bf_ledger_check(&ok, NULL, NULL), BF_EINVALID);
  CHECK_FAILS(bf_ledger_expire_pending(&n, NULL), BF_EINVALID);

  bf_ledger_free(l);
}

/* OFC goes through the same entry points as OFX: detection, parse, balances and warnings. */
static void test_ofc(const char *corpus) {
  char path[4096];
  char *data;
  size_t size = 0, line = 0;
  bf_statement *st = NULL;
  bf_detection *d = NULL;
  int64_t amount = 0, balance = 0;

  snprintf(path, sizeof path, "%s/caixa/caixa-ofc-2021-negative-ledger.ofc", corpus);
  data = read_all(path, &size);
  CHECK(data != NULL);
  if (data == NULL) return;
  CHECK_OK(bf_detect(&d, data, size));
  CHECK(bf_detection_count(d) >= 1);
  CHECK(STREQ(bf_detection_format(d, 0), "ofc"));
  CHECK(STREQ(bf_detection_bank(d, 0), "caixa"));
  bf_detection_free(d);

  CHECK_OK(bf_parse(&st, data, size, NULL));
  CHECK(STREQ(bf_statement_format(st), "ofc"));
  CHECK(STREQ(bf_statement_bank(st), "caixa"));
  CHECK(STREQ(bf_statement_period_start(st), "2021-08-01"));
  CHECK(STREQ(bf_statement_period_end(st), "2021-08-31"));
  CHECK(bf_statement_transaction_count(st) == 3);
  CHECK_OK(bf_statement_tx_amount(&amount, st, 1));
  CHECK(amount == 12000);
  CHECK_OK(bf_statement_account_closing_balance(&balance, st, 0));
  CHECK(balance == -1008188); /* LEDGER "--10081.88" */
  CHECK(bf_statement_warning_count(st) == 3);
  CHECK(strstr(bf_statement_warning_message(st, 2), "--10081.88") != NULL);
  CHECK_OK(bf_statement_warning_line(&line, st, 2));
  CHECK(line == 14);
  bf_statement_free(st);

  /* cut short: the OFX error code, naming </OFC> */
  st = NULL;
  CHECK(strstr(data, "</STMTRS>") != NULL);
  CHECK_FAILS(bf_parse(&st, data, (size_t)(strstr(data, "</STMTRS>") - data), NULL), BF_EOFX_TRUNCATED);
  CHECK(strstr(bf_error_last(), "</OFC>") != NULL);
  free(data);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CORPUS_DIR EXPECTED_CSV\n", argv[0]);
    return 2;
  }
  test_version_and_errors();
  test_buffers();
  test_null_safety();
  test_statement(argv[1], argv[2]);
  test_detect(argv[1]);
  test_skip_bad_rows();
  test_rules();
  test_pdf(argv[1]);
  test_ofc(argv[1]);
  test_webhook_standard();
  test_webhook_other_schemes();
  test_sessions();
  test_accounts();
  test_ledger(argv[1]);
  printf("%d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
