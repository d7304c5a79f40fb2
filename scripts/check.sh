# Sourced by scripts/test.sh: the sanitizer and fuzzing stage. One clang-14 build with
# AddressSanitizer + UndefinedBehaviorSanitizer runs the whole unit/corpus suite, then every
# libFuzzer target for a short bounded time, seeded with the golden corpus. A crash fails the run;
# its reproducer is kept under build-check/fuzz-crashes/ to become a corpus file and a fix.

CHECK_DIR=${BANKFLOW_CHECK_DIR:-$BANKFLOW_ROOT/build-check}
FUZZ_SECONDS=${BANKFLOW_FUZZ_SECONDS:-20}

run_check_stage() {
  if [ ! -f "$CHECK_DIR/build.ninja" ]; then
    log "configuring the sanitizer + fuzzer build in $CHECK_DIR"
    CC=clang-14 CXX=clang++-14 cmake -S "$BANKFLOW_ROOT" -B "$CHECK_DIR" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBANKFLOW_SANITIZE="address;undefined" \
      -DBANKFLOW_BUILD_FUZZERS=ON -DBANKFLOW_BUILD_TESTS=ON -DBANKFLOW_BUILD_APPS=ON \
      -DBANKFLOW_BUILD_BENCH=OFF >/dev/null
  fi
  log "building with AddressSanitizer + UndefinedBehaviorSanitizer (clang-14)"
  cmake --build "$CHECK_DIR" -j "$(nproc 2>/dev/null || echo 2)" >&2
  log "running the suite under the sanitizers"
  (cd "$CHECK_DIR" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" -E '^bench\.')

  local seeds="$CHECK_DIR/fuzz-seeds" crashes="$CHECK_DIR/fuzz-crashes"
  rm -rf "$seeds"; mkdir -p "$seeds" "$crashes"
  find "$BANKFLOW_ROOT/tests/corpus" -type f ! -name '*.json' ! -name '*.md' ! -name '*.py' ! -name 'LICENSE*' \
    -exec cp {} "$seeds/" \;
  # the Excel fuzzers: the worksheets of the corpus's XLSX files (fuzz_xlsx builds the container
  # around them), and its OLE2 files (XLS, password-protected OOXML)
  local xlsx_seeds="$CHECK_DIR/fuzz-seeds-xlsx" xls_seeds="$CHECK_DIR/fuzz-seeds-xls"
  rm -rf "$xlsx_seeds" "$xls_seeds"; mkdir -p "$xlsx_seeds" "$xls_seeds"
  python3 - "$BANKFLOW_ROOT/tests/corpus" "$xlsx_seeds" "$xls_seeds" <<'PY'
import pathlib, sys, zipfile, shutil
corpus, xlsx_out, xls_out = map(pathlib.Path, sys.argv[1:4])
for i, p in enumerate(sorted(corpus.rglob("*"))):
    if not p.is_file() or p.suffix in (".json", ".md", ".py"):
        continue
    head = p.read_bytes()[:8]
    if head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as z:
            for info in z.infolist():
                if info.filename.startswith("xl/worksheets/") and info.file_size < (1 << 20):
                    (xlsx_out / f"{i}-{pathlib.Path(info.filename).name}").write_bytes(z.read(info))
    elif head == b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1":
        shutil.copy(p, xls_out / p.name)
PY
  # the PDF layouts' fuzzer: each corpus PDF's words as records (x, y, width, length, text; a page
  # break is x = y = 255), from poppler's own pdftotext -bbox
  local pdf_seeds="$CHECK_DIR/fuzz-seeds-pdf-words"
  rm -rf "$pdf_seeds"; mkdir -p "$pdf_seeds"
  python3 - "$BANKFLOW_ROOT/tests/corpus" "$pdf_seeds" <<'PY'
import html, pathlib, re, subprocess, sys
corpus, out = map(pathlib.Path, sys.argv[1:3])
word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>')
for i, p in enumerate(sorted(corpus.rglob("*.pdf"))):
    try:
        text = subprocess.run(["pdftotext", "-bbox", str(p), "-"], capture_output=True, timeout=30).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        continue
    seed = bytearray()
    for page in text.split("<page ")[1:]:
        if seed:
            seed += bytes([255, 255, 0, 0])
        for x0, y0, x1, t in word.findall(page):
            b = html.unescape(t).encode()[:23]
            seed += bytes([min(254, int(float(x0) / 2.4)), min(254, int(float(y0) / 3.3)),
                           min(255, int(float(x1) - float(x0))), len(b)]) + b
    if seed:
        (out / f"{i}-{p.stem}").write_bytes(bytes(seed[:65536]))
PY
  local target failed=0
  for target in fuzz_parse fuzz_csv fuzz_amount_date fuzz_xlsx fuzz_xls fuzz_pdf_layouts; do
    log "fuzzing $target for ${FUZZ_SECONDS}s"
    local work="$CHECK_DIR/fuzz-work/$target" target_seeds=$seeds
    [ "$target" = fuzz_xlsx ] && target_seeds=$xlsx_seeds
    [ "$target" = fuzz_xls ] && target_seeds=$xls_seeds
    [ "$target" = fuzz_pdf_layouts ] && target_seeds=$pdf_seeds
    mkdir -p "$work"
    if ! "$CHECK_DIR/fuzz/$target" "$work" "$target_seeds" -max_total_time="$FUZZ_SECONDS" \
         -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/$target-" \
         -print_final_stats=1 >"$CHECK_DIR/$target.log" 2>&1; then
      echo "FUZZ FAILURE in $target: see $CHECK_DIR/$target.log and $crashes/" >&2
      tail -n 40 "$CHECK_DIR/$target.log" >&2
      failed=1
    else
      grep -E '^stat::number_of_executed_units' "$CHECK_DIR/$target.log" | sed "s/^/$target: /"
    fi
  done
  return $failed
}
