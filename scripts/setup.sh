# Shared set-up for scripts/run.sh and scripts/test.sh (sourced, not run).
# Installs what is missing from Debian's packages, non-interactively, and builds with CMake.
# Nothing is reinstalled on a warm machine, and the build is incremental.

set -euo pipefail
BANKFLOW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BANKFLOW_BUILD_DIR:-$BANKFLOW_ROOT/build}

# What building the library, the CLI and the server needs.
BASE_PACKAGES=(g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libsoci-dev libsqlite3-dev libpq-dev
  libhiredis-dev libssl-dev catch2 libcli11-dev libzip-dev libexpat1-dev libpoppler-cpp-dev
  libargon2-dev libxlsxwriter-dev)
# What the tests and benchmarks need on top (peers to compare against, servers, the browser the
# web app's tests drive).
TEST_PACKAGES=(ofx python3 clang-14 libclang-rt-14-dev redis-server postgresql wrk chromium
  python3-openpyxl python3-xlwt python3-xlrd libfreexl-dev poppler-utils python3-pdfminer
  python3-reportlab)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  log "installing: $(echo $missing)"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: $missing" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Node.js for the browser tests (tests/browser): an existing node/npm is kept as it is (whatever
# its origin); Debian's nodejs + npm only when there is none. Then the locked npm packages
# (playwright-core, axe-core), installed once: again only when package-lock.json changes.
ensure_browser_test_deps() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    ensure_packages nodejs npm
  fi
  local dir=$BANKFLOW_ROOT/tests/browser
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in tests/browser"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# configure once (or when asked again), then build the given targets (all when none)
build() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    log "configuring in $BUILD_DIR"
    cmake -S "$BANKFLOW_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DBANKFLOW_BUILD_TESTS=ON -DBANKFLOW_BUILD_APPS=ON -DBANKFLOW_BUILD_BENCH=ON >/dev/null
  fi
  log "building ${*:-everything}"
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$BUILD_DIR" -j "$jobs" "${targets[@]}" >&2
}
