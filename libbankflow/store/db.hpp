#pragma once
// Internal: how library modules use a bankflow::database — a SOCI session leased from the pool,
// transactions that serialize writers on both engines, and per-module schema migrations.

#include <bankflow/database.hpp>
#include <bankflow/error.hpp>

#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail {

struct database_impl {
  explicit database_impl(std::size_t pool_size) : size(pool_size), pool(pool_size) {}

  database_backend backend = database_backend::sqlite;
  std::string display_url;
  std::string connect_string;  // what SOCI's backend gets
  std::size_t size;
  soci::connection_pool pool;
};

struct database_access {
  static database_impl& impl(database& db) noexcept { return *db.impl_; }
};

/// Runs `work` on a pooled connection. Errors the engine reports before writing anything
/// (SQLite busy/locked) are retried, so `work` must be one statement or safe to run again; other SOCI failures become storage_error "`what`: …". A
/// connection found dropped is reopened for the next caller.
[[nodiscard]] result<void> with_session(database_impl& db, std::string_view what,
                                        const std::function<void(soci::session&)>& work);

/// As with_session, inside one transaction that holds the write lock from its start: SQLite
/// `BEGIN IMMEDIATE`; PostgreSQL `BEGIN` plus, when `lock_key` is not empty, a transaction
/// advisory lock on it (serializing writers of that key across processes). Rolled back and
/// retried on busy, serialization failure or deadlock; rolled back on any other failure.
[[nodiscard]] result<void> with_transaction(database_impl& db, std::string_view what,
                                            std::string_view lock_key,
                                            const std::function<void(soci::session&)>& work);

/// One schema step of a module: SQL statements (one per entry) valid on both engines.
struct migration {
  int version;
  std::vector<std::string_view> statements;
};

/// Applies a module's steps above the version recorded in bankflow_schema, in one transaction
/// serialized between processes, and records the new version.
[[nodiscard]] result<void> migrate(database_impl& db, std::string_view module,
                                   std::span<const migration> steps);

/// Milliseconds or seconds since the Unix epoch, as stored in BIGINT columns.
[[nodiscard]] inline long long unix_ms(std::chrono::system_clock::time_point t) noexcept {
  return static_cast<long long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}
[[nodiscard]] inline long long unix_s(std::chrono::system_clock::time_point t) noexcept {
  return static_cast<long long>(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

}  // namespace bankflow::detail
