#!/usr/bin/env bash
# Every test: set up, build everything, run the whole suite (unit, golden corpus, CLI golden,
# benchmark smoke checks) with CTest, after the sanitizer + fuzzing stage (scripts/check.sh;
# BANKFLOW_SKIP_CHECK=1 skips it for a quick local run).
source "$(dirname "$0")/setup.sh"
ensure_packages "${BASE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_browser_test_deps
build
# Redis on 127.0.0.1:6391 and PostgreSQL on 127.0.0.1:5441 for the integration tests (exports
# BANKFLOW_TEST_REDIS_URL and BANKFLOW_TEST_DATABASE_URL).
source "$BANKFLOW_ROOT/scripts/services.sh"
if [ "${BANKFLOW_SKIP_CHECK:-0}" != 1 ]; then
  source "$(dirname "$0")/check.sh"
  run_check_stage
fi
log "running the tests"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
