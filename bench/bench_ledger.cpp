// bench_ledger: ledger throughput — single submissions, batches, and a threaded run on one hot
// no_overdraft account — on a SQLite file (default, in a fresh temporary directory) or any URL.
//
//   bench_ledger [--db URL] [--transfers N] [--batch B] [--threads T] [--quick]
//
// Prints figures only; the smoke test (--quick) checks that the invariants hold afterwards.

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

bankflow::transfer_request move(std::string id, const char* from, const char* to, std::int64_t amount) {
  bankflow::transfer_request r;
  r.id = std::move(id);
  r.debit_account = from;
  r.credit_account = to;
  r.amount = amount;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  long transfers = 2000;
  long batch = 100;
  int threads = 4;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--db") url = next();
    else if (a == "--transfers") transfers = std::atol(next().c_str());
    else if (a == "--batch") batch = std::atol(next().c_str());
    else if (a == "--threads") threads = std::atoi(next().c_str());
    else if (a == "--quick") transfers = 200, batch = 50, threads = 2;
    else {
      std::cerr << "usage: bench_ledger [--db URL] [--transfers N] [--batch B] [--threads T] [--quick]\n";
      return 2;
    }
  }
  if (transfers <= 0 || batch <= 0 || threads <= 0) return 2;
  std::filesystem::path dir;
  if (url.empty()) {
    dir = std::filesystem::temp_directory_path() / ("bench-ledger-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    url = "sqlite://" + (dir / "ledger.db").string();
  }
  int status = 0;
  {
    auto db = bankflow::database::open(url, {.pool_size = static_cast<std::size_t>(threads)});
    if (!db) {
      std::cerr << db.error().to_string() << '\n';
      return 1;
    }
    auto lg = bankflow::ledger::open(*db);
    if (!lg) {
      std::cerr << lg.error().to_string() << '\n';
      return 1;
    }
    const std::string run = std::to_string(::getpid()) + "-" +
                            std::to_string(clock_type::now().time_since_epoch().count());
    const std::string bank = "bank-" + run, hot = "hot-" + run, sink = "sink-" + run;
    for (const auto& [id, flags] : {std::pair{bank, 0U}, {hot, bankflow::account_no_overdraft}, {sink, 0U}})
      if (!lg->create_account({.id = id, .currency = "BRL", .flags = flags, .owner = {}})) return 1;

    auto start = clock_type::now();
    for (long i = 0; i < transfers; ++i)
      if (!lg->submit(move("s-" + run + "-" + std::to_string(i), bank.c_str(), hot.c_str(), 100))) return 1;
    const double single = seconds_since(start);

    start = clock_type::now();
    for (long i = 0; i < transfers; i += batch) {
      std::vector<bankflow::transfer_request> reqs;
      for (long k = i; k < std::min(transfers, i + batch); ++k)
        reqs.push_back(move("b-" + run + "-" + std::to_string(k), bank.c_str(), sink.c_str(), 1));
      auto out = lg->submit_batch(reqs);
      if (!out) return 1;
    }
    const double batched = seconds_since(start);

    // threads draining the hot account (it holds transfers × 1.00): every attempt succeeds
    std::atomic<long> ok{0}, failed{0};
    start = clock_type::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (long k = t; k < transfers; k += threads) {
          auto r = lg->submit(move("h-" + run + "-" + std::to_string(k), hot.c_str(), sink.c_str(), 100));
          (r ? ok : failed).fetch_add(1);
        }
      });
    for (auto& th : pool) th.join();
    const double contended = seconds_since(start);

    auto check = lg->check();
    const auto hot_acc = lg->get_account(hot);
    std::printf("ledger on %s\n", db->display_url().c_str());
    std::printf("  single submit : %ld transfers in %.3f s = %.0f/s\n", transfers, single, static_cast<double>(transfers) / single);
    std::printf("  batch of %-5ld: %ld transfers in %.3f s = %.0f/s\n", batch, transfers, batched, static_cast<double>(transfers) / batched);
    std::printf("  %d threads, one hot account: %ld ok, %ld failed in %.3f s = %.0f/s\n", threads, ok.load(),
                failed.load(), contended, static_cast<double>(transfers) / contended);
    const bool good = check && check->ok && hot_acc && hot_acc->balance() == 0 && failed == 0;
    std::printf("  invariants: %s\n", good ? "ok" : "BROKEN");
    status = good ? 0 : 1;
  }
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return status;
}
