// bench_ofx: generate realistic Brazilian OFX statements, and time bankflow's OFX parser and
// exporters on them. Correctness is checked before anything is timed (as simdjson's benchmarks
// do): a fast parser that gets the money wrong is not worth a figure.
//
//   bench_ofx generate N OUT.ofx [--seed S] [--bank itau|nubank|c6] [--style unclosed|closed]
//   bench_ofx run [--transactions N] [--iterations K] [--seed S] [--bank B] [--style S]
//                 [--keep-going]

#include "ofx_generator.hpp"

#include <bankflow/bankflow.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace bb = bankflow::bench;
using clock_type = std::chrono::steady_clock;

constexpr int exit_ok = 0;
constexpr int exit_wrong = 1;  // the parser's output is wrong, or an I/O failure
constexpr int exit_usage = 2;

constexpr std::string_view usage_text =
    "usage:\n"
    "  bench_ofx generate N OUT.ofx [--seed S] [--bank itau|nubank|c6] [--style unclosed|closed]\n"
    "      writes an N-transaction OFX 1.0.2 statement (OUT '-' = stdout); reports on stderr\n"
    "  bench_ofx run [--transactions N] [--iterations K] [--seed S] [--bank B] [--style S]\n"
    "                [--keep-going]\n"
    "      checks bankflow::parse on a generated statement (default N=100000), then times\n"
    "      parse, to_json and to_csv; --keep-going times even when the check fails\n";

int usage(std::string_view complaint) {
  std::cerr << "bench_ofx: " << complaint << "\n" << usage_text;
  return exit_usage;
}

template <class T>
std::optional<T> to_number(std::string_view s) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

struct cli {
  std::vector<std::string_view> positional;
  bb::ofx_options gen;
  std::optional<std::size_t> iterations;
  bool keep_going = false;
  std::string error;  // non-empty: usage error
};

cli parse_cli(int argc, char** argv, int first) {
  cli c;
  std::vector<std::string_view> args(argv + first, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--keep-going") {
      c.keep_going = true;
    } else if (a == "--seed" || a == "--transactions" || a == "--iterations" || a == "--bank" ||
               a == "--style") {
      const auto v = value();
      if (!v) {
        c.error = std::string(a) + " needs a value";
        return c;
      }
      if (a == "--seed") {
        const auto s = to_number<std::uint64_t>(*v);
        if (!s) c.error = "bad --seed: " + std::string(*v);
        else c.gen.seed = *s;
      } else if (a == "--transactions") {
        const auto n = to_number<std::size_t>(*v);
        if (!n || *n == 0) c.error = "bad --transactions: " + std::string(*v);
        else c.gen.transactions = *n;
      } else if (a == "--iterations") {
        const auto k = to_number<std::size_t>(*v);
        if (!k || *k == 0) c.error = "bad --iterations: " + std::string(*v);
        else c.iterations = *k;
      } else if (a == "--bank") {
        const auto b = bb::parse_ofx_bank(*v);
        if (!b) c.error = "unknown --bank: " + std::string(*v) + " (itau, nubank, c6)";
        else c.gen.bank = *b;
      } else {
        const auto s = bb::parse_ofx_leaf_style(*v);
        if (!s) c.error = "unknown --style: " + std::string(*v) + " (unclosed, closed)";
        else c.gen.style = *s;
      }
      if (!c.error.empty()) return c;
    } else if (a.size() > 1 && a.front() == '-' && a != "-") {
      c.error = "unknown option " + std::string(a);
      return c;
    } else {
      c.positional.push_back(a);
    }
  }
  return c;
}

// --- generate ----------------------------------------------------------------------------

int run_generate(const cli& c) {
  if (c.positional.size() != 2) return usage("generate takes N and OUT.ofx");
  const auto n = to_number<std::size_t>(c.positional[0]);
  if (!n || *n == 0) return usage("N must be a positive integer");
  bb::ofx_options options = c.gen;
  options.transactions = *n;
  const bb::generated_ofx g = bb::generate_ofx(options);

  const std::string_view out = c.positional[1];
  if (out == "-") {
    std::cout.write(g.bytes.data(), static_cast<std::streamsize>(g.bytes.size()));
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "bench_ofx: cannot write to stdout\n";
      return exit_wrong;
    }
  } else {
    std::ofstream f{std::string(out), std::ios::binary | std::ios::trunc};
    f.write(g.bytes.data(), static_cast<std::streamsize>(g.bytes.size()));
    f.close();
    if (!f) {
      std::cerr << "bench_ofx: cannot write " << out << "\n";
      return exit_wrong;
    }
  }
  // One line, key=value, so scripts can pick the figures out (compare_ofxdump.sh reads sum=).
  std::cerr << "bench_ofx: wrote " << out << ": bytes=" << g.bytes.size()
            << " transactions=" << *n << " debits=" << g.debits << " credits=" << g.credits
            << " opening=" << bb::format_centavos(g.opening_balance)
            << " closing=" << bb::format_centavos(g.closing_balance)
            << " sum=" << bb::format_centavos(g.sum) << " bank=" << g.bank_id
            << " style=" << bb::to_string(options.style.value_or(bb::default_style(options.bank)))
            << " seed=" << options.seed << "\n";
  return exit_ok;
}

// --- correctness -------------------------------------------------------------------------

/// Compares the parse with what the generator wrote; prints every kind of mismatch (the first
/// few rows of each) and returns whether all matched.
bool check(const bankflow::statement& st, const bb::generated_ofx& g) {
  bool ok = true;
  const auto fail = [&](const std::string& what) {
    std::cerr << "bench_ofx: WRONG: " << what << "\n";
    ok = false;
  };
  const std::size_t n = g.expected.size();

  if (st.transactions.size() != n) {
    fail("transaction count " + std::to_string(st.transactions.size()) + ", expected " +
         std::to_string(n));
  }
  std::int64_t sum = 0;
  for (const auto& t : st.transactions) sum += t.amount;
  if (sum != g.sum) {
    fail("sum of amounts " + bb::format_centavos(sum) + ", expected " +
         bb::format_centavos(g.sum));
  }
  if (!st.transactions.empty() && n > 0) {
    if (st.transactions.front().fitid != g.expected.front().fitid) {
      fail("first fitid '" + std::string(st.transactions.front().fitid) + "', expected '" +
           g.expected.front().fitid + "'");
    }
    if (st.transactions.back().fitid != g.expected.back().fitid) {
      fail("last fitid '" + std::string(st.transactions.back().fitid) + "', expected '" +
           g.expected.back().fitid + "'");
    }
  }

  // Row by row: amount, date, fitid, description.
  constexpr std::size_t shown_per_field = 3;
  std::size_t bad_amount = 0, bad_date = 0, bad_fitid = 0, bad_description = 0;
  const std::size_t rows = std::min(n, st.transactions.size());
  for (std::size_t i = 0; i < rows; ++i) {
    const auto& t = st.transactions[i];
    const auto& e = g.expected[i];
    const std::string row = "row " + std::to_string(i + 1) + " (line " + std::to_string(t.line) + ")";
    if (t.amount != e.amount && bad_amount++ < shown_per_field) {
      fail(row + ": amount " + bb::format_centavos(t.amount) + ", expected " +
           bb::format_centavos(e.amount));
    }
    if (t.posted != e.posted && bad_date++ < shown_per_field) {
      fail(row + ": date " + bankflow::format_date(t.posted) + ", expected " +
           bankflow::format_date(e.posted));
    }
    if (t.fitid != e.fitid && bad_fitid++ < shown_per_field) {
      fail(row + ": fitid '" + std::string(t.fitid) + "', expected '" + e.fitid + "'");
    }
    if (t.description != e.description && bad_description++ < shown_per_field) {
      fail(row + ": description '" + std::string(t.description) + "', expected '" + e.description + "'");
    }
  }
  for (const auto& [count, field] : {std::pair{bad_amount, "amount"}, std::pair{bad_date, "date"},
                                     std::pair{bad_fitid, "fitid"},
                                     std::pair{bad_description, "description"}}) {
    if (count > shown_per_field) {
      fail(std::to_string(count) + " rows in all have a wrong " + field);
    }
  }

  if (st.bank == nullptr) {
    fail("statement has no bank");
  } else if (st.bank->id != g.bank_id) {
    fail("bank '" + std::string(st.bank->id) + "', expected '" + std::string(g.bank_id) + "'");
  }
  if (st.currency != "BRL") fail("currency '" + st.currency + "', expected 'BRL'");
  if (st.accounts.empty()) {
    fail("no account");
  } else {
    const auto& acct = st.accounts[std::min(st.primary_account(), st.accounts.size() - 1)];
    if (acct.closing_balance != g.closing_balance) {
      fail("closing balance " +
           (acct.closing_balance ? bb::format_centavos(*acct.closing_balance) : "(none)") +
           ", expected " + bb::format_centavos(g.closing_balance));
    }
  }
  if (!st.warnings.empty()) {
    // Not fatal: a warning is the parser being careful, not wrong. But a clean file should
    // have none, so say so.
    std::cerr << "bench_ofx: note: " << st.warnings.size() << " warnings, the first: line "
              << st.warnings.front().line << ": " << st.warnings.front().message << "\n";
  }
  return ok;
}

// --- timing ------------------------------------------------------------------------------

struct timing {
  std::size_t iterations = 0;
  double best = 0;    // seconds
  double median = 0;  // seconds
};

std::size_t size_of(const std::string& s) { return s.size(); }
std::size_t size_of(const bankflow::result<bankflow::statement>& r) {
  return r ? r->transactions.size() : 0;
}

/// Seconds one call of f takes. What f returns goes into sink so that it cannot be optimized
/// away, and is destroyed after the clock stops: freeing is not the parser's work.
template <class F>
double time_once(F&& f, std::size_t& sink) {
  const auto start = clock_type::now();
  const auto r = f();
  const auto stop = clock_type::now();
  sink += size_of(r);
  return std::chrono::duration<double>(stop - start).count();
}

/// Enough iterations for about one second (at least 5), unless the caller chose.
std::size_t iterations_for(double one_run, std::optional<std::size_t> chosen) {
  if (chosen) return *chosen;
  constexpr double target_seconds = 1.0;
  constexpr std::size_t min_iterations = 5;
  constexpr std::size_t max_iterations = 100000;
  const double wanted =
      one_run > 0 ? std::ceil(target_seconds / one_run) : static_cast<double>(max_iterations);
  return std::clamp(static_cast<std::size_t>(wanted), min_iterations, max_iterations);
}

template <class F>
timing measure(F&& f, double first_run, std::optional<std::size_t> chosen, std::size_t& sink) {
  timing t;
  t.iterations = iterations_for(first_run, chosen);
  std::vector<double> runs;
  runs.reserve(t.iterations);
  for (std::size_t i = 0; i < t.iterations; ++i) runs.push_back(time_once(f, sink));
  std::sort(runs.begin(), runs.end());
  t.best = runs.front();
  const std::size_t mid = runs.size() / 2;
  t.median = runs.size() % 2 == 1 ? runs[mid] : (runs[mid - 1] + runs[mid]) / 2;
  return t;
}

constexpr double bytes_per_mb = 1e6;

// enrich() alone, each run on a statement freshly parsed without it (the parse is not timed).
timing time_enrich(std::string_view bytes, const bankflow::parse_options& plain, std::size_t iterations) {
  std::vector<double> runs;
  for (std::size_t i = 0; i < std::max<std::size_t>(iterations, 1); ++i) {
    auto st = bankflow::parse(bytes, plain);
    if (!st) break;
    const auto t0 = clock_type::now();
    bankflow::enrich(*st);
    runs.push_back(std::chrono::duration<double>(clock_type::now() - t0).count());
  }
  timing t;
  if (runs.empty()) return t;
  std::sort(runs.begin(), runs.end());
  t.iterations = runs.size();
  t.best = runs.front();
  t.median = runs[runs.size() / 2];
  return t;
}

void print_row(std::string_view name, const timing& t, std::size_t bytes, std::size_t transactions) {
  const double mb = static_cast<double>(bytes) / bytes_per_mb;
  const double tx = static_cast<double>(transactions);
  std::printf("%-8s %6zu %10.3f %10.3f %9.1f %9.1f %11.0f %11.0f\n", std::string(name).c_str(),
              t.iterations, t.best * 1e3, t.median * 1e3, mb / t.best, mb / t.median, tx / t.best,
              tx / t.median);
}

int run_bench(const cli& c) {
  if (!c.positional.empty()) return usage("run takes options only");
  const bb::ofx_options options = c.gen;
  const bb::generated_ofx g = bb::generate_ofx(options);
  const std::string_view bytes = g.bytes;
  const std::size_t n = options.transactions;
  const auto style = options.style.value_or(bb::default_style(options.bank));

  std::printf("bankflow %.*s OFX benchmark: %zu transactions, %s style, %s leaves, seed %llu\n",
              static_cast<int>(bankflow::version().size()), bankflow::version().data(), n,
              std::string(g.bank_id).c_str(), std::string(bb::to_string(style)).c_str(),
              static_cast<unsigned long long>(options.seed));
  std::printf("file: %zu bytes (%.2f MB), sum %s, closing balance %s\n", bytes.size(),
              static_cast<double>(bytes.size()) / bytes_per_mb,
              bb::format_centavos(g.sum).c_str(), bb::format_centavos(g.closing_balance).c_str());
  std::fflush(stdout);

  // Parse once, untimed as far as the table goes, and check everything.
  const auto first_start = clock_type::now();
  auto parsed = bankflow::parse(bytes, {});
  const double first_parse =
      std::chrono::duration<double>(clock_type::now() - first_start).count();
  if (!parsed) {
    std::cerr << "bench_ofx: WRONG: parse failed: " << parsed.error().to_string() << "\n";
    return exit_wrong;
  }
  const bankflow::statement& st = *parsed;
  const bool correct = check(st, g);
  if (!correct && !c.keep_going) {
    std::cerr << "bench_ofx: the parse is wrong; not timing it (--keep-going to time anyway)\n";
    return exit_wrong;
  }
  std::printf("check: %s (count, sum, every row's amount/date/fitid/description, bank, "
              "closing balance)\n\n",
              correct ? "ok" : "FAILED");

  std::size_t sink = 0;
  const timing parse_t = measure(
[&] { return bankflow::parse(bytes, {}); },
      first_parse, c.iterations, sink);
  bankflow::parse_options plain;
  plain.enrich = false;  // the same parse without enrichment: what enrichment costs
  const timing plain_t = measure([&] { return bankflow::parse(bytes, plain); }, first_parse, c.iterations, sink);
  const timing enrich_t = time_enrich(bytes, plain, plain_t.iterations);

  // Exports: one untimed call sizes the output and calibrates the iteration count.
  auto first = clock_type::now();
  const std::size_t json_bytes = bankflow::to_json(st).size();
  const double first_json = std::chrono::duration<double>(clock_type::now() - first).count();
  const timing json_t = measure([&] { return bankflow::to_json(st); }, first_json, c.iterations, sink);

  first = clock_type::now();
  const std::size_t csv_bytes = bankflow::to_csv(st).size();
  const double first_csv = std::chrono::duration<double>(clock_type::now() - first).count();
  const timing csv_t = measure([&] { return bankflow::to_csv(st); }, first_csv, c.iterations, sink);

  std::printf("%-8s %6s %10s %10s %9s %9s %11s %11s\n", "op", "iters", "best ms", "median ms",
              "MB/s best", "MB/s med", "tx/s best", "tx/s med");
  print_row("parse", parse_t, bytes.size(), n);
  print_row("parse-ne", plain_t, bytes.size(), n);
  print_row("enrich", enrich_t, bytes.size(), n);
  print_row("to_json", json_t, json_bytes, n);
  print_row("to_csv", csv_t, csv_bytes, n);
  std::printf("\nenrichment: %.1f %% of the parse (enrich best / (parse-ne best + enrich best)); parse-ne = "
              "parse with parse_options::enrich off, enrich = enrich() alone on its result\n",
              100.0 * enrich_t.best / (plain_t.best + enrich_t.best));
  std::printf("\nMB = 10^6 bytes; parse MB/s counts the OFX input (%.2f MB), to_json and to_csv "
              "their output (%.2f MB JSON, %.2f MB CSV). One thread.\n",
              static_cast<double>(bytes.size()) / bytes_per_mb,
              static_cast<double>(json_bytes) / bytes_per_mb,
              static_cast<double>(csv_bytes) / bytes_per_mb);
  if (sink == 0) std::printf("(nothing produced)\n");
  return correct ? exit_ok : exit_wrong;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) return usage("missing command");
    const std::string_view command = argv[1];
    if (command == "-h" || command == "--help" || command == "help") {
      std::cout << usage_text;
      return exit_ok;
    }
    const cli c = parse_cli(argc, argv, 2);
    if (!c.error.empty()) return usage(c.error);
    if (command == "generate") return run_generate(c);
    if (command == "run") return run_bench(c);
    return usage("unknown command " + std::string(command));
  } catch (const std::exception& e) {
    std::cerr << "bench_ofx: " << e.what() << "\n";
    return exit_wrong;
  }
}
