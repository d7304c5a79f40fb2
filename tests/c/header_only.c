/* Compiled with -std=c99 -Wall -Wextra -pedantic -Werror (and as C++): the header stands alone. */
#include "bankflow.h"

int main(void) {
  bf_buf buf = BF_BUF_INIT;
  bf_parse_options po = BF_PARSE_OPTIONS_INIT;
  bf_csv_options co = BF_CSV_OPTIONS_INIT;
  bf_webhook_options wo = BF_WEBHOOK_OPTIONS_INIT;
  bf_webhook_event ev = BF_WEBHOOK_EVENT_INIT;
  (void)buf; (void)po; (void)co; (void)wo; (void)ev;
  return 0;
}
