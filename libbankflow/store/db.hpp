#pragma once
// Internal: how library modules use a bankflow::database — a SOCI session leased from the pool,
// transactions that serialize writers on both engines, and per-module schema migrations.

#include <bankflow/database.hpp>
#include <bankflow/error.hpp>

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// What a module keeps per pooled connection (its prepared statements and their bound
/// variables): made on first use, destroyed before the connection is reopened or closed.
struct connection_local {
  virtual ~connection_local() = default;
};

struct database_impl {
  explicit database_impl(std::size_t pool_size) : size(pool_size), pool(pool_size), locals(pool_size) {}

  database_backend backend = database_backend::sqlite;
  std::string display_url;
  std::string connect_string;  // what SOCI's backend gets
  std::size_t size;
  soci::connection_pool pool;
  // Per connection (index in the pool): module key -> state. Declared after the pool, so it is
  // destroyed first. Only the thread that leases a connection touches its entry.
  std::vector<std::vector<std::pair<const void*, std::unique_ptr<connection_local>>>> locals;
  // Set when a statement finds the SQLite file damaged; check_integrity() then checks afresh.
  std::atomic<bool> damaged{false};
  // The last check_integrity() (for its `reuse`).
  std::mutex check_mutex;
  std::optional<std::chrono::steady_clock::time_point> checked_at;
  std::optional<error> check_failure;
};

/// The state of type T (a connection_local) that `key` keeps on the pooled connection `sql` (as
/// passed to with_session/with_transaction work), made by `make()` on first use.
template <class T, class Make>
T& local_state(database_impl& db, soci::session& sql, const void* key, Make&& make) {
  std::size_t slot = 0;
  while (slot + 1 < db.size && &db.pool.at(slot) != &sql) ++slot;
  auto& entries = db.locals[slot];
  for (auto& [k, v] : entries)
    if (k == key) return static_cast<T&>(*v);
  std::unique_ptr<T> made = make();
  T& out = *made;
  entries.emplace_back(key, std::move(made));
  return out;
}

/// Forgets the state `key` keeps on `sql` (after a failure left it in doubt). Call it only from a
/// failure that ends the transaction: on PostgreSQL it rolls the transaction back first.
void drop_local_state(database_impl& db, soci::session& sql, const void* key);

/// Thrown by transaction work that found the data changed under it (e.g. a concurrent insert of
/// the same key): the transaction is rolled back and run again, as on a serialization failure.
struct transaction_conflict : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct database_access {
  static database_impl& impl(database& db) noexcept { return *db.impl_; }
};

/// Runs `work` on a pooled connection (`work` gets the pool's own session object, so the same
/// connection is always the same soci::session). Errors the engine reports before writing anything
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

/// One schema step of a module: SQL statements (one per entry) valid on both engines, then
/// statements for PostgreSQL only (row-level security).
struct migration {
  int version;
  std::vector<std::string_view> statements;
  std::vector<std::string_view> postgresql_only{};
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
