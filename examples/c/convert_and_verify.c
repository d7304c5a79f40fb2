/*
 * convert_and_verify: convert a bank statement to normalized CSV, then sign and verify a
 * Standard Webhooks delivery - using only bankflow.h and libbankflow_c.
 *
 *   cc -std=c99 convert_and_verify.c $(pkg-config --cflags --libs bankflow) -o convert_and_verify
 *   ./convert_and_verify extrato.ofx
 */
#include <bankflow.h>

#include <stdio.h>
#include <string.h>

static int fail(const char *what, int rc) {
  fprintf(stderr, "%s: %s [%s]\n", what, bf_error_last(), bf_error_name(rc));
  return 1;
}

int main(int argc, char **argv) {
  bf_statement *st = NULL;
  bf_buf csv = BF_BUF_INIT, sig = BF_BUF_INIT;
  bf_webhook_verifier *verifier = NULL;
  bf_webhook_options options = BF_WEBHOOK_OPTIONS_INIT;
  bf_webhook_event event = BF_WEBHOOK_EVENT_INIT;
  const char *secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const char *body = "{\"type\": \"statement.converted\"}";
  const char *id = "msg_example_1";
  const int64_t timestamp = 1614265330;
  bf_header headers[3];
  char ts_text[32];
  int rc, status = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: %s STATEMENT\n", argv[0]);
    return 2;
  }

  /* 1. convert */
  if ((rc = bf_parse_file(&st, argv[1], NULL)) < 0) return fail(argv[1], rc);
  if ((rc = bf_statement_to_csv(&csv, st, NULL)) < 0) {
    status = fail("to_csv", rc);
    goto done;
  }
  fwrite(csv.ptr, 1, csv.size, stdout);
  fprintf(stderr, "%s: %s, %s, %lu transactions\n", argv[1], bf_statement_bank(st),
          bf_statement_format(st), (unsigned long)bf_statement_transaction_count(st));

  /* 2. a webhook: sign it as the sender would, verify it as the receiver does */
  if ((rc = bf_webhook_sign_standard(&sig, secret, id, timestamp, body, strlen(body))) < 0) {
    status = fail("sign", rc);
    goto done;
  }
  snprintf(ts_text, sizeof ts_text, "%ld", (long)timestamp);
  headers[0].name = "webhook-id";        headers[0].value = id;
  headers[1].name = "webhook-timestamp"; headers[1].value = ts_text;
  headers[2].name = "webhook-signature"; headers[2].value = sig.ptr;
  options.scheme = BF_WEBHOOK_STANDARD;
  options.secrets = &secret;
  options.secret_count = 1;
  options.now = timestamp; /* judge the fixed timestamp as if it were now */
  if ((rc = bf_webhook_verifier_new(&verifier, &options)) < 0) {
    status = fail("verifier", rc);
    goto done;
  }
  if ((rc = bf_webhook_verify(&event, verifier, headers, 3, body, strlen(body))) < 0) {
    printf("webhook: invalid: %s: %s\n", bf_error_name(rc), bf_error_last());
    goto done;
  }
  printf("webhook: valid (id %s)\n", event.id.ptr);

  /* a tampered body must not pass */
  rc = bf_webhook_verify(NULL, verifier, headers, 3, "{}", 2);
  if (rc != BF_ENO_MATCHING_SIGNATURE) {
    fprintf(stderr, "a tampered body gave %d\n", rc);
    goto done;
  }
  status = 0;

done:
  bf_webhook_event_dispose(&event);
  bf_webhook_verifier_free(verifier);
  bf_buf_dispose(&sig);
  bf_buf_dispose(&csv);
  bf_statement_free(st);
  return status;
}
