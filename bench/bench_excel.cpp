// Parse throughput of an XLSX or XLS statement, and the peak memory of the process.
//
//   bench_excel FILE [--iterations K]
//
// The file is parsed once and checked (a statement with transactions whose amounts sum to the
// printed figure) before it is timed; then K timed parses. Prints one line of figures: the file's
// MB/s, the sheet XML's MB/s (XLSX: the inflated worksheets), rows/s and the peak RSS; for an
// XLSX also inflate_s, the best time zlib (through libzip) takes to inflate every part and nothing
// else: no XLSX parse on this machine can be faster. Figures only: no assertion on time.
// bench/bench_excel.py runs it next to openpyxl and xlrd.

#include <bankflow/bankflow.hpp>

#include <sys/resource.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// The bytes the worksheets inflate to (0 for an XLS).
double sheet_bytes(const std::string& path) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (za == nullptr) return 0;
  double total = 0;
  const zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) == 0 &&
        std::string(st.name).starts_with("xl/worksheets/"))
      total += static_cast<double>(st.size);
  }
  zip_discard(za);
  return total;
}

// The best of `iterations` times to inflate every part of the zip at `path` (read and thrown
// away), in seconds; 0 for a file that is not a zip.
double inflate_seconds(const std::string& path, int iterations) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (za == nullptr) return 0;
  static char buffer[1 << 16];
  double best = 1e30;
  for (int it = 0; it < iterations; ++it) {
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t total = 0;
    const zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
      if (f == nullptr) continue;
      for (zip_int64_t got = 0; (got = zip_fread(f, buffer, sizeof buffer)) > 0;) total += static_cast<std::size_t>(got);
      zip_fclose(f);
    }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (total == 0) best = 0;
  }
  zip_discard(za);
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_excel FILE [--iterations K]\n");
    return 2;
  }
  const std::string path = argv[1];
  int iterations = 5;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--iterations") iterations = std::max(1, std::atoi(argv[i + 1]));
  auto bytes = bankflow::read_file(path);
  if (!bytes) {
    std::fprintf(stderr, "%s\n", bytes.error().to_string().c_str());
    return 1;
  }
  // checked once before timing
  auto st = bankflow::parse(*bytes, {.file_name = path});
  if (!st || st->transactions.empty()) {
    std::fprintf(stderr, "bench_excel: %s\n", st ? "no transactions" : st.error().to_string().c_str());
    return 1;
  }
  std::int64_t sum = 0;
  for (const auto& t : st->transactions) sum += t.amount;
  const std::size_t rows = st->transactions.size();
  const std::string format = st->format;
  st = bankflow::statement{};  // the peak RSS is one parse's, not two statements held at once

  double best = 1e30;
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto again = bankflow::parse(*bytes, {.file_name = path});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!again || again->transactions.size() != rows) {
      std::fprintf(stderr, "bench_excel: the timed parse differs from the checked one\n");
      return 1;
    }
    best = std::min(best, s);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double mb = static_cast<double>(bytes->size()) / 1e6;
  const double sheet_mb = sheet_bytes(path) / 1e6;
  const double inflate = inflate_seconds(path, iterations);
  std::printf("format=%s rows=%zu sum=%s file_mb=%.2f sheet_mb=%.2f best_s=%.4f file_mb_s=%.1f sheet_mb_s=%.1f "
              "rows_s=%.0f peak_rss_mb=%.1f inflate_s=%.4f inflate_file_mb_s=%.1f\n",
              format.c_str(), rows, bankflow::format_amount(sum).c_str(), mb, sheet_mb, best, mb / best,
              sheet_mb > 0 ? sheet_mb / best : 0.0, static_cast<double>(rows) / best,
              static_cast<double>(ru.ru_maxrss) / 1024.0, inflate, inflate > 0 ? mb / inflate : 0.0);
  return 0;
}
