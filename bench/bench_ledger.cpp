// bench_ledger: ledger throughput on SQLite (a file in a fresh temporary directory) and, with
// --pg URL, on PostgreSQL (in a fresh schema, dropped at the end): single transfers from 1 client,
// single transfers from 16 clients (each between its own accounts, and all out of one hot
// no_overdraft account), and batches of 1,000. Prints a table and the settings used.
//
//   bench_ledger [--pg URL] [--no-sqlite] [--transfers N] [--batch B] [--clients C] [--rounds R]
//                [--sqlite-sync normal|full] [--quick]
//
// Defaults: N = 5000 single transfers per round (the batch mode moves 4 N), B = 1000, C = 16,
// R = 3, SQLite synchronous NORMAL (the library's default; see bankflow::sqlite_sync).
//
// Every mode checks its outcome (balances, all accepted, ledger::check) before its figure is
// printed: a wrong answer prints no figure and exits 1. Each mode runs R rounds (default 3) on
// fresh ids; the table shows the best and the median round.

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>

#include "store/db.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using clock_type = std::chrono::steady_clock;

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

bankflow::transfer_request move(std::string id, const std::string& from, const std::string& to, std::int64_t amount) {
  bankflow::transfer_request r;
  r.id = std::move(id);
  r.debit_account = from;
  r.credit_account = to;
  r.amount = amount;
  return r;
}

struct round_figure {
  long transfers = 0;
  double seconds = 0;
  double cpu = 0;  // this process (client side), user + system
  [[nodiscard]] double rate() const { return static_cast<double>(transfers) / seconds; }
};

struct options {
  long transfers = 5000;
  long batch = 1000;
  int clients = 16;
  int rounds = 3;
  bankflow::sqlite_sync sync = bankflow::sqlite_sync::normal;
};

// One store: runs every mode `rounds` times, prints table rows; false when a check failed.
bool bench_store(const std::string& store, const std::string& url, const options& o, std::string& settings) {
  auto db = bankflow::database::open(
      url, {.pool_size = static_cast<std::size_t>(o.clients), .busy_timeout = std::chrono::milliseconds(15000),
            .synchronous = o.sync});
  if (!db) {
    std::cerr << db.error().to_string() << '\n';
    return false;
  }
  auto lg = bankflow::ledger::open(*db);
  if (!lg) {
    std::cerr << lg.error().to_string() << '\n';
    return false;
  }
  // what the engine really runs with, read back from it
  auto& impl = bankflow::detail::database_access::impl(*db);
  (void)bankflow::detail::with_session(impl, "reading settings", [&](soci::session& sql) {
    if (impl.backend == bankflow::database_backend::sqlite) {
      std::string journal;
      int sync = -1, timeout = -1;
      sql << "PRAGMA journal_mode", soci::into(journal);
      sql << "PRAGMA synchronous", soci::into(sync);
      sql << "PRAGMA busy_timeout", soci::into(timeout);
      const char* names[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
      settings += "  sqlite: file in " + std::filesystem::temp_directory_path().string() + ", journal_mode=" +
                  journal + ", synchronous=" + (sync >= 0 && sync <= 3 ? names[sync] : "?") +
                  ", busy_timeout=" + std::to_string(timeout) + " ms, pool " + std::to_string(o.clients) +
                  " connections\n";
    } else {
      std::string version, fsync, sync_commit, max_conn, buffers, isolation;
      sql << "SHOW server_version", soci::into(version);
      sql << "SHOW fsync", soci::into(fsync);
      sql << "SHOW synchronous_commit", soci::into(sync_commit);
      sql << "SHOW max_connections", soci::into(max_conn);
      sql << "SHOW shared_buffers", soci::into(buffers);
      sql << "SHOW transaction_isolation", soci::into(isolation);
      settings += "  postgresql " + version + " on " + db->display_url() + ": fsync=" + fsync +
                  ", synchronous_commit=" + sync_commit + ", shared_buffers=" + buffers +
                  ", max_connections=" + max_conn + ", isolation=" + isolation + ", pool " +
                  std::to_string(o.clients) + " connections\n";
    }
  });

  const std::string run = std::to_string(::getpid());
  auto account = [&](const std::string& id, std::uint32_t flags) {
    return static_cast<bool>(lg->create_account({.id = id, .currency = "BRL", .flags = flags, .owner = {}}));
  };
  const std::string bank = "bank", hot = "hot", sink = "sink";
  if (!account(bank, 0) || !account(hot, bankflow::account_no_overdraft) || !account(sink, 0)) return false;
  for (int c = 0; c < o.clients; ++c)
    if (!account("from" + std::to_string(c), 0) || !account("to" + std::to_string(c), 0)) return false;

  struct mode {
    std::string name;
    long per_round;
    std::function<bool(int round, round_figure&)> body;
  };
  std::vector<mode> modes;
  const long single = o.transfers;
  const long per_client = std::max(1L, o.transfers / o.clients);
  const long batches = std::max(1L, o.transfers * 4 / o.batch);
  std::int64_t sink_expected = 0;

  auto timed = [](round_figure& f, const std::function<bool()>& work) {
    const double cpu0 = cpu_seconds();
    const auto t0 = clock_type::now();
    const bool ok = work();
    f.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    f.cpu = cpu_seconds() - cpu0;
    return ok;
  };

  modes.push_back({"single, 1 client", single, [&](int round, round_figure& f) {
                     f.transfers = single;
                     return timed(f, [&] {
                       for (long i = 0; i < single; ++i) {
                         auto r = lg->submit(move("s" + std::to_string(round) + "-" + std::to_string(i), bank, sink, 1));
                         if (!r || r->exists) return false;
                       }
                       sink_expected += single;
                       return true;
                     });
                   }});
  auto clients_mode = [&](bool one_hot_account) {
    return [&, one_hot_account](int round, round_figure& f) {
      f.transfers = per_client * o.clients;
      if (one_hot_account) {  // fund the hot account with exactly what the round takes out
        auto fund = lg->submit(move("fund" + std::to_string(round), bank, hot, f.transfers));
        if (!fund) return false;
      }
      std::atomic<long> failed{0};
      const bool ok = timed(f, [&] {
        std::vector<std::thread> pool;
        for (int c = 0; c < o.clients; ++c)
          pool.emplace_back([&, c] {
            const std::string from = one_hot_account ? hot : "from" + std::to_string(c);
            const std::string to = one_hot_account ? sink : "to" + std::to_string(c);
            const std::string prefix = (one_hot_account ? "h" : "c") + std::to_string(round) + "-" + std::to_string(c) + "-";
            for (long k = 0; k < per_client; ++k) {
              auto r = lg->submit(move(prefix + std::to_string(k), from, to, 1));
              if (!r || r->exists) failed.fetch_add(1);
            }
          });
        for (auto& t : pool) t.join();
        return failed == 0;
      });
      if (one_hot_account) {
        sink_expected += f.transfers;
        auto h = lg->get_account(hot);
        if (!h || h->balance() != 0) return false;  // every cent out, none twice
      }
      return ok;
    };
  };
  modes.push_back({"single, " + std::to_string(o.clients) + " clients, own accounts", per_client * o.clients,
                   clients_mode(false)});
  modes.push_back({"single, " + std::to_string(o.clients) + " clients, one hot account", per_client * o.clients,
                   clients_mode(true)});
  modes.push_back({"batch of " + std::to_string(o.batch) + ", 1 client", batches * o.batch,
                   [&](int round, round_figure& f) {
                     f.transfers = batches * o.batch;
                     std::vector<std::vector<bankflow::transfer_request>> all(static_cast<std::size_t>(batches));
                     for (long b = 0; b < batches; ++b)
                       for (long k = 0; k < o.batch; ++k)
                         all[static_cast<std::size_t>(b)].push_back(
                             move("b" + std::to_string(round) + "-" + std::to_string(b * o.batch + k), bank, sink, 1));
                     return timed(f, [&] {
                       for (const auto& reqs : all) {
                         auto out = lg->submit_batch(reqs);
                         if (!out) return false;
                         for (const auto& r : *out)
                           if (!r || r->exists) return false;
                       }
                       sink_expected += batches * o.batch;
                       return true;
                     });
                   }});

  for (const auto& m : modes) {
    std::vector<round_figure> figures;
    for (int r = 0; r < o.rounds; ++r) {
      round_figure f;
      if (!m.body(r, f)) {
        std::printf("%-11s %-38s FAILED: a transfer was refused or a balance is wrong\n", store.c_str(), m.name.c_str());
        return false;
      }
      figures.push_back(f);
    }
    std::sort(figures.begin(), figures.end(), [](const auto& a, const auto& b) { return a.rate() > b.rate(); });
    const round_figure& best = figures.front();
    const round_figure& median = figures[figures.size() / 2];
    std::printf("%-11s %-38s %9ld %9.3f %11.0f %11.0f %9.1f\n", store.c_str(), m.name.c_str(), best.transfers,
                best.seconds, best.rate(), median.rate(), best.cpu * 1e6 / static_cast<double>(best.transfers));
    std::fflush(stdout);
  }
  auto s = lg->get_account(sink);
  auto check = lg->check();
  const bool good = s && s->balance() == sink_expected && check && check->ok;
  settings += "  " + store + " afterwards: " + (good ? "sink balance as expected, check ok" : "BROKEN") + "\n";
  (void)run;
  return good;
}

std::string with_search_path(const std::string& base, const std::string& schema) {
  if (base.find("://") != std::string::npos)
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  return base + " options='-csearch_path=" + schema + "'";
}

bool run_sql(const std::string& url, const std::string& statement) {
  auto db = bankflow::database::open(url, {.pool_size = 1});
  if (!db) return false;
  return static_cast<bool>(bankflow::detail::with_session(bankflow::detail::database_access::impl(*db), "bench",
                                                          [&](soci::session& sql) { sql << statement; }));
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  std::string pg;
  bool sqlite = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--pg") pg = next();
    else if (a == "--no-sqlite") sqlite = false;
    else if (a == "--transfers") o.transfers = std::atol(next().c_str());
    else if (a == "--batch") o.batch = std::atol(next().c_str());
    else if (a == "--clients") o.clients = std::atoi(next().c_str());
    else if (a == "--rounds") o.rounds = std::atoi(next().c_str());
    else if (a == "--sqlite-sync") {
      const std::string v = next();
      if (v != "normal" && v != "full") return 2;
      o.sync = v == "full" ? bankflow::sqlite_sync::full : bankflow::sqlite_sync::normal;
    }
    else if (a == "--quick") o.transfers = 160, o.batch = 50, o.clients = 4, o.rounds = 1;
    else {
      std::cerr << "usage: bench_ledger [--pg URL] [--no-sqlite] [--transfers N] [--batch B] [--clients C] "
                   "[--rounds R] [--sqlite-sync normal|full] [--quick]\n";
      return 2;
    }
  }
  if (o.transfers <= 0 || o.batch <= 0 || o.clients <= 0 || o.rounds <= 0) return 2;
  std::printf("%-11s %-38s %9s %9s %11s %11s %9s\n", "store", "mode", "transfers", "seconds", "best /s",
              "median /s", "cpu us/tx");
  std::string settings = "settings: " + std::to_string(o.rounds) + " rounds per mode (best round shown), " +
                         std::to_string(std::thread::hardware_concurrency()) +
                         " hardware threads; cpu us/tx = this process only (user + system)\n";
  bool good = true;
  if (sqlite) {
    const auto dir = std::filesystem::temp_directory_path() / ("bench-ledger-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    good = bench_store("sqlite", "sqlite://" + (dir / "ledger.db").string(), o, settings) && good;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  if (!pg.empty()) {
    const std::string schema = "bankflow_bench_" + std::to_string(::getpid());
    if (!run_sql(pg, "CREATE SCHEMA " + schema)) {
      std::cerr << "cannot create schema " << schema << " on " << pg << '\n';
      return 1;
    }
    good = bench_store("postgresql", with_search_path(pg, schema), o, settings) && good;
    if (!run_sql(pg, "DROP SCHEMA " + schema + " CASCADE")) std::cerr << "could not drop schema " << schema << '\n';
  }
  std::fputs(settings.c_str(), stdout);
  return good ? 0 : 1;
}
