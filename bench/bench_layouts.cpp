// Parse throughput of every CSV/TXT layout, and the cost of detection on a large file.
//
//   bench_layouts CORPUS_DIR [--mb N] [--iterations K] [--only FORMAT] [--outputs]
//
// For each format, the first corpus file of that format is the seed: its lines before the first
// transaction are kept as the preamble, and its transaction lines (found through
// transaction::line) are repeated until the file reaches N MB (default 20). The big file is
// parsed once and CHECKED (transaction count = repeats × seed transactions, same sum) before it
// is timed, with enrichment (the default) and without (parse_options::enrich = false), so the
// share of parse time that enrichment costs shows. Prints one row per format, then detect() on a
// 10 MB file. With --outputs, also times writing each parsed statement as CSV, Excel-BR CSV,
// JSON and XLSX, next to its parse (issue 19: output no slower than parsing). Figures only: no
// assertion on time.
//
// Instruction counts: every timed parse goes through timed_parse(), so
//   valgrind --tool=callgrind --toggle-collect='timed_parse*' bench_layouts DIR --mb 1 --iterations 1 --only F
// counts the timed parse alone (divide by the rows printed).

#include <bankflow/bankflow.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

struct seed {
  std::string path;
  std::string bytes;
  bankflow::statement st;
};

// Line boundaries (CR, LF, CRLF), each line with its terminator.
std::vector<std::string_view> raw_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      std::size_t end = i + 1;
      if (text[i] == '\r' && end < text.size() && text[end] == '\n') ++end;
      out.push_back(text.substr(start, end - start));
      start = end;
      i = end - 1;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

double seconds(clock_type::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

// Not inlined and not in an anonymous namespace: callgrind's --toggle-collect names it.
[[gnu::noinline]] bankflow::result<bankflow::statement> timed_parse(std::string_view bytes,
                                                                    const bankflow::parse_options& o) {
  return bankflow::parse(bytes, o);
}

namespace {

// Whether what a timed run gave is what it should have.
template <class T>
bool succeeded(const bankflow::result<T>& r) {
  return r.has_value();
}
bool succeeded(const std::string&) { return true; }

// The best of `iterations` runs of f, in seconds; -1 when a run fails. What f returns is let go
// after the clock stops, so freeing a statement or an output is not timed.
template <class F>
double best_of(int iterations, F f) {
  double best = 1e9;
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = clock_type::now();
    const auto kept = f();
    const auto t1 = clock_type::now();
    if (!succeeded(kept)) return -1;
    best = std::min(best, seconds(t1 - t0));
  }
  return best;
}

// The best of `iterations` timed parses, in seconds; -1 when the parse fails.
double best_parse(std::string_view bytes, const bankflow::parse_options& o, int iterations) {
  return best_of(iterations, [&] { return timed_parse(bytes, o); });
}

// Writing one parsed statement in each output format, in seconds (-1: the writer failed).
struct write_timing {
  double csv = 0, csv_br = 0, json = 0, xlsx = 0;
};

write_timing write_times(const bankflow::statement& st, int iterations) {
  write_timing w;
  w.csv = best_of(iterations, [&] { return bankflow::to_csv(st); });
  w.csv_br = best_of(iterations, [&] { return bankflow::to_csv(st, bankflow::csv_style::excel_br); });
  w.json = best_of(iterations, [&] { return bankflow::to_json(st); });
  w.xlsx = best_of(iterations, [&] { return bankflow::to_xlsx(st); });
  return w;
}

struct output_row {
  std::string format;
  std::size_t rows;
  double parse;
  write_timing w;
};

void print_outputs(const std::vector<output_row>& rows) {
  std::printf("\nwriting each parsed statement (best of the same iterations; x = time / the enriched parse's):\n");
  std::printf("%-22s %10s %9s %9s %6s %9s %6s %9s %6s %9s %6s\n", "format", "rows", "parse ms", "csv ms", "x",
              "csv-br ms", "x", "json ms", "x", "xlsx ms", "x");
  for (const output_row& r : rows)
    std::printf("%-22s %10zu %9.2f %9.2f %6.2f %9.2f %6.2f %9.2f %6.2f %9.2f %6.2f\n", r.format.c_str(), r.rows,
                r.parse * 1e3, r.w.csv * 1e3, r.w.csv / r.parse, r.w.csv_br * 1e3, r.w.csv_br / r.parse,
                r.w.json * 1e3, r.w.json / r.parse, r.w.xlsx * 1e3, r.w.xlsx / r.parse);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_layouts CORPUS_DIR [--mb N] [--iterations K] [--only FORMAT] [--outputs]\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  double target_mb = 20;
  int iterations = 5;
  std::string only;  // one format id, for profiling
  bool outputs = false;
  for (int i = 2; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--outputs") {
      outputs = true;
      continue;
    }
    if (i + 1 >= argc) break;
    ++i;
    if (opt == "--mb") target_mb = std::atof(argv[i]);
    else if (opt == "--iterations") iterations = std::max(1, std::atoi(argv[i]));
    else if (opt == "--only") only = argv[i];
  }

  // one seed per format: the corpus file with the most transactions
  std::map<std::string, seed> seeds;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const std::string name = p.filename().string();
    if (name.starts_with("n_") || name.ends_with(".json") || name.ends_with(".md") ||
        name.starts_with("LICENSE") || name.ends_with(".cpp"))
      continue;
    auto bytes = bankflow::read_file(p);
    if (!bytes) continue;
    // Excel workbooks and PDFs are not lines to repeat: bench_excel and bench_pdf.py time them
    if (bytes->starts_with("PK\x03\x04") || bytes->starts_with("\xD0\xCF\x11\xE0") ||
        bankflow::looks_like_pdf(*bytes))
      continue;
    auto st = bankflow::parse(*bytes, {});
    if (!st || st->format == "ofx" || st->format == "ofc" || st->transactions.empty()) continue;  // bench_ofx times those
    auto& s = seeds[st->format];
    if (st->transactions.size() > s.st.transactions.size()) s = {p.string(), std::move(*bytes), std::move(*st)};
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no CSV/TXT corpus files under %s\n", corpus.string().c_str());
    return 1;
  }

  std::printf("%-22s %8s %10s %9s %9s %11s %10s %7s  %s\n", "format", "MB", "rows", "best ms", "MB/s",
              "rows/s", "no-enr ms", "enrich", "seed");
  int status = 0;
  std::string largest;
  std::vector<output_row> written;
  for (const auto& [format, s] : seeds) {
    if (!only.empty() && format != only) continue;
    const auto lines = raw_lines(s.bytes);
    std::size_t first = s.st.transactions.front().line, last = first;
    for (const auto& t : s.st.transactions) {
      first = std::min(first, t.line);
      last = std::max(last, t.line);
    }
    std::string preamble, epilogue;  // what comes before and after (summaries a parser may need)
    for (std::size_t i = 0; i + 1 < first && i < lines.size(); ++i) preamble += lines[i];
    for (std::size_t i = last; i < lines.size(); ++i) epilogue += lines[i];
    std::string body;
    std::int64_t seed_sum = 0;
    for (const auto& t : s.st.transactions) {
      std::string_view l = lines[t.line - 1];
      body += l;
      if (l.back() != '\n' && l.back() != '\r') body += '\n';
      seed_sum += t.amount;
    }
    const auto target = static_cast<std::size_t>(target_mb * 1e6);
    const std::size_t repeats = std::max<std::size_t>(1, (target - std::min(target, preamble.size())) / body.size());
    std::string big = preamble;
    big.reserve(preamble.size() + repeats * body.size());
    for (std::size_t r = 0; r < repeats; ++r) big += body;
    big += epilogue;

    const bankflow::parse_options forced{.format = format};
    auto check = bankflow::parse(big, forced);
    std::int64_t sum = 0;
    if (check)
      for (const auto& t : check->transactions) sum += t.amount;
    const std::size_t want = repeats * s.st.transactions.size();
    if (!check || check->transactions.size() != want || sum != seed_sum * static_cast<std::int64_t>(repeats)) {
      std::printf("%-22s CHECK FAILED: %s (got %zu rows, want %zu)\n", format.c_str(),
                  check ? "wrong rows or sum" : check.error().to_string().c_str(),
                  check ? check->transactions.size() : 0, want);
      status = 1;
      continue;
    }
    bankflow::parse_options plain = forced;
    plain.enrich = false;
    const double best = best_parse(big, forced, iterations);
    const double best_plain = best_parse(big, plain, iterations);
    if (best < 0 || best_plain < 0) return 1;
    const double mb = static_cast<double>(big.size()) / 1e6;
    std::printf("%-22s %8.2f %10zu %9.2f %9.1f %11.0f %10.2f %6.1f%%  %s\n", format.c_str(), mb, want, best * 1e3,
                mb / best, static_cast<double>(want) / best, best_plain * 1e3, 100.0 * (best - best_plain) / best,
                fs::path(s.path).filename().string().c_str());
    if (outputs) {
      const write_timing w = write_times(*check, iterations);
      if (std::min({w.csv, w.csv_br, w.json, w.xlsx}) < 0) {
        std::printf("%-22s CHECK FAILED: a writer failed on the parsed statement\n", format.c_str());
        status = 1;
      }
      written.push_back({format, want, best, w});
    }
    if (big.size() > largest.size()) largest = std::move(big);
  }
  if (outputs) print_outputs(written);

  // detection reads only the head: time it on a 10 MB file
  largest.resize(std::min<std::size_t>(largest.size(), 10'000'000));
  double best = 1e9;
  std::size_t found = 0;
  for (int i = 0; i < 200; ++i) {
    const auto t0 = clock_type::now();
    auto c = bankflow::detect(largest);
    const auto t1 = clock_type::now();
    found = c ? c->size() : 0;
    best = std::min(best, seconds(t1 - t0));
  }
  std::printf("\ndetect() on a %.1f MB file: best %.3f ms over 200 runs (%zu candidates)\n",
              static_cast<double>(largest.size()) / 1e6, best * 1e3, found);
  std::printf("MB = 10^6 bytes; one thread; parse includes decoding, dedupe keys and enrichment, and "
              "detection is skipped (format forced); no-enr = the same parse with enrichment off, enrich = "
              "its share of the parse.\n");
  return status;
}
