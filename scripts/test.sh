#!/usr/bin/env bash
# Every test: set up, build everything, run the whole suite (unit, golden corpus, CLI golden,
# benchmark smoke checks) with CTest.
source "$(dirname "$0")/setup.sh"
ensure_packages "${BASE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
build
log "running the tests"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
