#pragma once
// Shared by the accounts tests: one account store and audit log per SQL target (SQLite always,
// PostgreSQL when BANKFLOW_TEST_DATABASE_URL is set), with a clock the test moves.

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>

#include "../store/test_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace bankflow::test {

/// Argon2id parameters cheap enough for tests that are not about cost.
inline constexpr password_params cheap_params{.memory_kib = 64, .iterations = 1, .parallelism = 1};

/// A database with an account store and an audit log on it, all on the test's clock.
struct accounts_backend {
  std::string name;                   ///< the target's name
  std::unique_ptr<database> db;       ///< the database
  std::unique_ptr<account_store> accounts;  ///< users and keys (cheap_params)
  std::unique_ptr<audit_log> audit;   ///< the audit log
};

/// Every SQL target, each with its stores; `now` is their clock.
struct accounts_backends {
  std::chrono::sys_seconds now{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + std::chrono::hours(9)};
  sql_targets targets{false};
  std::vector<accounts_backend> all;

  accounts_backends() {
    for (const auto& t : targets.all()) {
      accounts_backend b;
      b.name = t.name;
      b.db = std::make_unique<database>(database::open(t.url).value());
      b.accounts = std::make_unique<account_store>(
          account_store::open(*b.db, {.password = cheap_params, .clock = [this] { return now; }}).value());
      b.audit = std::make_unique<audit_log>(audit_log::open(*b.db, {.clock = [this] { return now; }}).value());
      all.push_back(std::move(b));
    }
  }
};

}  // namespace bankflow::test
