// Concurrency: threads of this process and several helper processes race to move 1.00 out of a
// no_overdraft account holding 50.00, on a SQLite file and on PostgreSQL.

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>

#include "../store/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace bankflow;
namespace test = bankflow::test;

namespace {

using test::child;
using test::read_line;

long field(const std::string& line, const std::string& key) {
  std::istringstream in(line);
  std::string word;
  while (in >> word)
    if (word.rfind(key + "=", 0) == 0) return std::stol(word.substr(key.size() + 1));
  return -1;
}

}  // namespace

TEST_CASE("ledger race: threads and processes moving 1.00 out of 50.00 succeed exactly 50 times",
          "[ledger][race]") {
  constexpr int processes = 3;
  constexpr int process_threads = 4;
  constexpr int process_attempts = 40;
  constexpr int local_threads = 6;
  constexpr int local_attempts = 10;
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url, {.pool_size = local_threads});
      REQUIRE(db);
      auto lg = ledger::open(*db);
      REQUIRE(lg);
      REQUIRE(lg->create_account({.id = "bank", .currency = "BRL", .flags = 0, .owner = {}}));
      REQUIRE(lg->create_account({.id = "wallet", .currency = "BRL", .flags = account_no_overdraft, .owner = {}}));
      REQUIRE(lg->create_account({.id = "sink", .currency = "BRL", .flags = 0, .owner = {}}));
      transfer_request fund;
      fund.id = "fund";
      fund.debit_account = "bank";
      fund.credit_account = "wallet";
      fund.amount = 5000;
      REQUIRE(lg->submit(fund));

      std::vector<child> children;
      for (int p = 0; p < processes; ++p)
        children.push_back(test::spawn_process(
            BANKFLOW_LEDGER_RACE_HELPER, {target.url, "wallet", "sink", std::to_string(process_threads),
                                          std::to_string(process_attempts), "p" + std::to_string(p)}));
      for (auto& c : children) REQUIRE(read_line(c.from) == "ready");

      std::atomic<long> accepted{0}, rejected{0}, errors{0};
      std::string first_error;
      std::latch start(1);
      std::vector<std::thread> threads;
      for (int i = 0; i < local_threads; ++i)
        threads.emplace_back([&, i] {
          start.wait();
          for (int k = 0; k < local_attempts; ++k) {
            transfer_request r;
            r.id = "local-" + std::to_string(i) + "-" + std::to_string(k);
            r.debit_account = "wallet";
            r.credit_account = "sink";
            r.amount = 100;
            auto out = lg->submit(r);
            if (out) {
              accepted.fetch_add(1);
            } else if (out.error().code == errc::insufficient_funds) {
              rejected.fetch_add(1);
            } else if (errors.fetch_add(1) == 0) {
              first_error = out.error().to_string();
            }
          }
        });
      for (auto& c : children) {
        std::fputs("go\n", c.to);
        std::fflush(c.to);
      }
      start.count_down();
      for (auto& t : threads) t.join();
      long p_accepted = 0, p_rejected = 0, p_errors = 0;
      for (auto& c : children) {
        const std::string line = read_line(c.from);
        INFO("helper said: " << line);
        CHECK(field(line, "accepted") >= 0);
        p_accepted += std::max(field(line, "accepted"), 0L);
        p_rejected += std::max(field(line, "rejected"), 0L);
        const long e = std::max(field(line, "errors"), 0L);
        p_errors += e;
        if (e > 0 && first_error.empty()) first_error = read_line(c.from);
        std::fclose(c.to);
        std::fclose(c.from);
        int status = 0;
        ::waitpid(c.pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
      }
      const long total_accepted = accepted + p_accepted;
      const long total_rejected = rejected + p_rejected;
      const long total_errors = errors + p_errors;
      INFO(target.name << ": accepted=" << total_accepted << " (threads " << accepted.load() << ", processes "
                       << p_accepted << ") rejected=" << total_rejected << " errors=" << total_errors << " "
                       << first_error);
      WARN(target.name << " ledger race: accepted=" << total_accepted << " rejected=" << total_rejected
                       << " errors=" << total_errors);
      CHECK(total_errors == 0);
      CHECK(total_accepted == 50);
      CHECK(total_accepted + total_rejected == processes * process_attempts + local_threads * local_attempts);
      auto wallet = lg->get_account("wallet");
      REQUIRE(wallet);
      CHECK(wallet->balance() == 0);
      CHECK(wallet->available() == 0);
      CHECK(lg->get_account("sink")->balance() == 5000);
      auto c = lg->check();
      REQUIRE(c);
      CHECK(c->ok);
    }
  }
}

// The bar: 200 processes, started together, each try to move 1.00 out of a no_overdraft
// account holding 50.00 (one transfer each, distinct ids, a pool of one connection each). Each
// process opens its ledger, says "ready" and blocks on stdin; once all 200 are ready one "go"
// each releases them. SQLite busy/locked is retried inside the library, never reported.
TEST_CASE("ledger race: 200 processes moving 1.00 out of 50.00 succeed exactly 50 times", "[ledger][race]") {
  constexpr int processes = 200;
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url, {.pool_size = 1});
      REQUIRE(db);
      auto lg = ledger::open(*db);
      REQUIRE(lg);
      REQUIRE(lg->create_account({.id = "bank", .currency = "BRL", .flags = 0, .owner = {}}));
      REQUIRE(lg->create_account({.id = "wallet", .currency = "BRL", .flags = account_no_overdraft, .owner = {}}));
      REQUIRE(lg->create_account({.id = "sink", .currency = "BRL", .flags = 0, .owner = {}}));
      transfer_request fund;
      fund.id = "fund";
      fund.debit_account = "bank";
      fund.credit_account = "wallet";
      fund.amount = 5000;
      REQUIRE(lg->submit(fund));

      const auto started = std::chrono::steady_clock::now();
      std::vector<child> children;
      for (int p = 0; p < processes; ++p)
        children.push_back(test::spawn_process(BANKFLOW_LEDGER_RACE_HELPER,
                                               {target.url, "wallet", "sink", "1", "1", "p" + std::to_string(p)}));
      int ready = 0;
      for (auto& c : children) {
        const std::string line = read_line(c.from);
        INFO("helper said: " << line);
        CHECK(line == "ready");
        if (line == "ready") ++ready;
      }
      REQUIRE(ready == processes);
      const auto released = std::chrono::steady_clock::now();
      for (auto& c : children) {
        std::fputs("go\n", c.to);
        std::fflush(c.to);
      }
      long accepted = 0, rejected = 0, errors = 0, bad_exits = 0;
      std::string first_error;
      for (auto& c : children) {
        const std::string line = read_line(c.from);
        const long a = field(line, "accepted"), r = field(line, "rejected"), e = field(line, "errors");
        INFO("helper said: " << line);
        CHECK((a >= 0 && r >= 0 && e >= 0 && a + r + e == 1));
        accepted += std::max(a, 0L);
        rejected += std::max(r, 0L);
        errors += std::max(e, 0L);
        if (e > 0 && first_error.empty()) first_error = read_line(c.from);
        std::fclose(c.to);
        std::fclose(c.from);
        int status = 0;
        ::waitpid(c.pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++bad_exits;
      }
      const auto done = std::chrono::steady_clock::now();
      using ms = std::chrono::milliseconds;
      WARN(target.name << " 200-process ledger race: accepted=" << accepted << " rejected=" << rejected
                       << " errors=" << errors << "; start-up "
                       << std::chrono::duration_cast<ms>(released - started).count() << " ms, race "
                       << std::chrono::duration_cast<ms>(done - released).count() << " ms");
      INFO("first error: " << first_error);
      CHECK(bad_exits == 0);
      CHECK(errors == 0);
      CHECK(accepted == 50);
      CHECK(rejected == processes - 50);
      auto wallet = lg->get_account("wallet");
      REQUIRE(wallet);
      CHECK(wallet->balance() == 0);
      CHECK(wallet->available() == 0);
      CHECK(lg->get_account("sink")->balance() == 5000);
      auto c = lg->check();
      REQUIRE(c);
      CHECK(c->ok);
#ifdef BANKFLOW_CLI
      // and the CLI's check on the same database: exit 0, "ok"
      child cli = test::spawn_process(BANKFLOW_CLI, {"ledger", "--db", target.url, "check"});
      std::fclose(cli.to);
      const std::string said = read_line(cli.from);
      std::fclose(cli.from);
      int status = 0;
      ::waitpid(cli.pid, &status, 0);
      INFO("bankflow ledger check said: " << said);
      CHECK(said.rfind("ok", 0) == 0);
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
#endif
    }
  }
}

// Idempotency under concurrency: the same transfers submitted from several threads at once (single
// submissions and batches) are written once; every other submission reports them as existing.
TEST_CASE("ledger race: one id submitted from many threads at once is written once", "[ledger][race]") {
  constexpr int threads = 8;
  constexpr int ids = 20;
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url, {.pool_size = threads});
      REQUIRE(db);
      auto lg = ledger::open(*db);
      REQUIRE(lg);
      REQUIRE(lg->create_account({.id = "a", .currency = "BRL", .flags = 0, .owner = {}}));
      REQUIRE(lg->create_account({.id = "b", .currency = "BRL", .flags = 0, .owner = {}}));
      auto request = [](int i) {
        transfer_request r;
        r.id = "same-" + std::to_string(i);
        r.debit_account = i % 2 == 0 ? "a" : "b";
        r.credit_account = i % 2 == 0 ? "b" : "a";
        r.amount = 100 + i;
        return r;
      };
      std::atomic<long> created{0}, existed{0}, errors{0};
      std::latch start(threads);
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
          start.arrive_and_wait();
          if (t % 2 == 0) {  // one by one
            for (int i = 0; i < ids; ++i) {
              auto r = lg->submit(request(i));
              (r ? (r->exists ? existed : created) : errors).fetch_add(1);
            }
          } else {  // all in one batch
            std::vector<transfer_request> batch;
            for (int i = 0; i < ids; ++i) batch.push_back(request(i));
            auto out = lg->submit_batch(batch);
            if (!out) {
              errors.fetch_add(ids);
              return;
            }
            for (auto& r : *out) (r ? (r->exists ? existed : created) : errors).fetch_add(1);
          }
        });
      for (auto& t : pool) t.join();
      INFO(target.name << ": created=" << created << " existed=" << existed << " errors=" << errors);
      CHECK(errors == 0);
      CHECK(created == ids);
      CHECK(existed == (threads - 1) * ids);
      long long a_debits = 0;
      for (int i = 0; i < ids; i += 2) a_debits += 100 + i;
      auto a = lg->get_account("a");
      REQUIRE(a);
      CHECK(a->debits_posted == a_debits);
      auto c = lg->check();
      REQUIRE(c);
      CHECK(c->ok);
    }
  }
}
