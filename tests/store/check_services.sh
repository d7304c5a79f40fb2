#!/bin/sh
# Reported as "Skipped" by CTest (exit 77) when the PostgreSQL or Redis URL is not set, so that a
# run without the integration servers says so in its summary. scripts/test.sh sets both.
missing=
[ -n "${BANKFLOW_TEST_DATABASE_URL:-}" ] || missing="$missing BANKFLOW_TEST_DATABASE_URL"
[ -n "${BANKFLOW_TEST_REDIS_URL:-}" ] || missing="$missing BANKFLOW_TEST_REDIS_URL"
if [ -n "$missing" ]; then
  echo "WARN: not set:$missing; the PostgreSQL/Redis variants of the webhook, session and storage"
  echo "tests were skipped (source scripts/services.sh, or run bash scripts/test.sh)"
  exit 77
fi
echo "PostgreSQL: $BANKFLOW_TEST_DATABASE_URL"
echo "Redis: $BANKFLOW_TEST_REDIS_URL"
