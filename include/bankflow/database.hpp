#pragma once
/// @file A shared SQL storage handle (SQLite or PostgreSQL) for the sessions, the replay guard,
/// the ledger and the server. Opaque: SOCI stays inside the library.

#include <bankflow/error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace bankflow {

namespace detail {
struct database_impl;
struct database_access;
}  // namespace detail

/// Which SQL engine a database talks to.
enum class database_backend { sqlite, postgresql };

/// When a SQLite file (WAL journal) forces its commits to the disk.
enum class sqlite_sync {
  /// `PRAGMA synchronous = NORMAL`, the setting SQLite documents for WAL: a committed transaction
  /// survives the application crashing and the file is never corrupted, but the last commits
  /// before a power loss or an operating-system crash may be rolled back (the WAL is synced at
  /// checkpoints, not at each commit).
  normal,
  /// `PRAGMA synchronous = FULL`: the WAL is synced at every commit, so a committed transaction
  /// also survives a power loss; each write transaction costs one fsync.
  full,
};

/// How a database is opened.
struct database_options {
  std::size_t pool_size = 4;  ///< connections kept open (an in-memory SQLite database uses one)
  std::chrono::milliseconds busy_timeout{15000};  ///< SQLite: how long a writer waits for the lock
  sqlite_sync synchronous = sqlite_sync::normal;  ///< SQLite files: see sqlite_sync
};

/// A pool of connections to one database. Move-only; objects built on it (session_store, the
/// SQL replay guard …) keep a reference, so it must outlive them. Thread-safe.
class database {
 public:
  /// Opens a database from a URL: `sqlite:///abs/path.db`, `sqlite://rel/path.db`,
  /// `sqlite::memory:`, `postgresql://user@host:port/db` (or `postgres://`), or a libpq
  /// `key=value …` string. SQLite files use WAL and a busy timeout, so several processes can
  /// share one. Errors: invalid_argument (URL), storage_error (cannot connect).
  [[nodiscard]] static result<database> open(std::string_view url, const database_options& options = {});

  /// Move-only: a moved-from database may only be destroyed or assigned to.
  database(database&& other) noexcept;
  /// Move-only.
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  /// Closes the pool; every store and ledger opened on it must be gone.
  ~database();

  /// The engine behind this handle.
  [[nodiscard]] database_backend backend() const noexcept;

  /// The URL it was opened with, any password replaced by `***`.
  [[nodiscard]] const std::string& display_url() const noexcept;

  /// Checks that the stored data can be read. SQLite: `PRAGMA quick_check`, which reads every
  /// page and record of the file (a damaged page anywhere fails it); PostgreSQL, which checks
  /// its own pages, answers a query. A result younger than `reuse` is returned without checking
  /// again (readiness probes), unless a statement has found the SQLite file damaged since.
  /// Error: storage_error ("the database … is damaged (…)" or why it cannot be checked).
  [[nodiscard]] result<void> check_integrity(std::chrono::seconds reuse = std::chrono::seconds(0));

  /// The schema version a module's migrations have reached (0: none applied yet).
  [[nodiscard]] result<int> schema_version(std::string_view module);

 private:
  explicit database(std::unique_ptr<detail::database_impl> impl);
  std::unique_ptr<detail::database_impl> impl_;
  friend struct detail::database_access;
};

/// Row-level security on PostgreSQL, a second wall behind the library's ownership checks: sets
/// the tenant (an owner id: a user's or an anonymous session's) whose rows the calling thread's
/// queries may see and write in the tables that have an owner — jobs, API keys, the wallet's
/// operations, Idempotency-Keys and webhook deliveries, the ledger's accounts and transfers, and
/// (reading) the audit log — and returns
/// the previous one. Every query of this thread from then on runs with it, even one that forgets
/// its `WHERE owner = …`. Empty (the default of every thread): no tenant, every row, as the
/// library's background work (workers, janitor) needs. On SQLite it changes nothing: the
/// library's checks are the only wall there.
std::string set_thread_tenant(std::string tenant);

/// The calling thread's tenant (set_thread_tenant); empty when none is set.
[[nodiscard]] const std::string& thread_tenant() noexcept;

/// Sets the calling thread's tenant for a scope and puts the previous one back at its end:
/// `tenant_scope system({});` runs a block as the library's own work (every row).
class tenant_scope {
 public:
  /// Sets `tenant` (empty: none).
  explicit tenant_scope(std::string tenant) : previous_(set_thread_tenant(std::move(tenant))) {}
  /// Puts the previous tenant back.
  ~tenant_scope() { set_thread_tenant(std::move(previous_)); }
  tenant_scope(const tenant_scope&) = delete;
  tenant_scope& operator=(const tenant_scope&) = delete;

 private:
  std::string previous_;
};

}  // namespace bankflow
