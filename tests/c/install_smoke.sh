#!/usr/bin/env bash
# Installs the build to a temporary prefix, compiles examples/c/convert_and_verify.c against the
# installed bankflow.h / libbankflow_c through `pkg-config --cflags --libs bankflow` and through
# find_package(bankflow) -> bankflow::c, and runs both.
#   install_smoke.sh BUILD_DIR C_COMPILER SOURCE_DIR
set -eu
# grep reads everything (no -q): an early exit would break the pipe under the writer, and pipefail.
build=$1 cc=$2 src=$3
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; exit 1; }
pc=$(dirname "$(find "$tmp/prefix" -name bankflow.pc | head -1)")
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs bankflow)
echo "pkg-config: $flags"
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror "$src/examples/c/convert_and_verify.c" $flags \
  -o "$tmp/convert_and_verify"
libdir=$(PKG_CONFIG_PATH=$pc pkg-config --variable=libdir bankflow)
LD_LIBRARY_PATH=$libdir "$tmp/convert_and_verify" "$src/tests/corpus/bb/bb-ofx-2015.ofx" >"$tmp/out"
diff <(grep -v '^webhook:' "$tmp/out") "$src/tests/cli/cases/convert_csv.stdout"
grep -q '^webhook: valid' "$tmp/out"

# Python through ctypes, on the installed library
if command -v python3 >/dev/null; then
  PYTHONDONTWRITEBYTECODE=1 BANKFLOW_C_LIBRARY=$libdir/libbankflow_c.so python3 "$src/examples/python/convert_and_ledger.py" \
    "$src/tests/corpus/bb/bb-ofx-2015.ofx" | grep '^wallet balance: 7450' >/dev/null
fi

# and through CMake: find_package(bankflow) -> bankflow::c (examples/c/CMakeLists.txt)
cmake -S "$src/examples/c" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_C_COMPILER="$cc" >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; exit 1; }
cmake --build "$tmp/cmake-build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
"$tmp/cmake-build/convert_and_verify" "$src/tests/corpus/bb/bb-ofx-2015.ofx" | grep '^webhook: valid' >/dev/null
cmake -S "$src/examples/c" -B "$tmp/cmake-static" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DLINK_STATIC=ON \
  -DCMAKE_C_COMPILER="$cc" >"$tmp/cmake-static.log" 2>&1 || { cat "$tmp/cmake-static.log"; exit 1; }
cmake --build "$tmp/cmake-static" >"$tmp/build-static.log" 2>&1 || { cat "$tmp/build-static.log"; exit 1; }
"$tmp/cmake-static/convert_and_verify" "$src/tests/corpus/bb/bb-ofx-2015.ofx" | grep '^webhook: valid' >/dev/null

# the C++ package: examples/cpp finds bankflow::bankflow and converts the same file
cmake -S "$src/examples/cpp" -B "$tmp/cpp-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/cmake-cpp.log" 2>&1 \
  || { cat "$tmp/cmake-cpp.log"; exit 1; }
cmake --build "$tmp/cpp-build" >"$tmp/build-cpp.log" 2>&1 || { cat "$tmp/build-cpp.log"; exit 1; }
"$tmp/cpp-build/convert" "$src/tests/corpus/bb/bb-ofx-2015.ofx" | diff - "$src/tests/cli/cases/convert_csv.stdout"
echo "installed C ABI: ok"
