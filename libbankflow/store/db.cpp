#include "store/db.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>
#include <utility>

namespace bankflow {
namespace detail {
namespace {

// pg_advisory_xact_lock key that serializes migrations between processes ("bankf" in ASCII).
constexpr long long migration_lock = 0x62616e6b66LL;

// How one failure should be handled.
enum class failure_kind { retry, broken_connection, fatal };

failure_kind classify(const std::exception& e, soci::session& sql) {
  if (dynamic_cast<const transaction_conflict*>(&e) != nullptr) return failure_kind::retry;
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int code = lite->result() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return failure_kind::retry;
    return failure_kind::fatal;
  }
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "40001" || state == "40P01") return failure_kind::retry;  // serialization, deadlock
  }
  bool connected = true;
  try {
    connected = sql.is_connected();
  } catch (...) {
    connected = false;
  }
  return connected ? failure_kind::fatal : failure_kind::broken_connection;
}

// SQLite found the file damaged (not a failure of this statement alone).
bool is_damage(const std::exception& e) {
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int code = lite->result() & 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
  }
  return false;
}

error storage_failure(std::string_view what, std::string_view detail) {
  std::string message(what);
  message += ": ";
  // SOCI appends the whole statement to some messages; the first line says what went wrong.
  message += detail.substr(0, detail.find('\n'));
  return make_error(errc::storage_error, std::move(message));
}

void backoff(int attempt) {
  // 1, 2, 4 … 32 ms, then 32 ms: short enough for tests, long enough to let a writer finish.
  std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt, 5)));
}

constexpr int max_attempts = 200;

// Leases one connection of the pool for the lifetime of the object.
class lease {
 public:
  explicit lease(database_impl& db) : db_(db), slot_(db.pool.lease()) {}
  ~lease() { db_.pool.give_back(slot_); }
  lease(const lease&) = delete;
  lease& operator=(const lease&) = delete;
  [[nodiscard]] soci::session& session() { return db_.pool.at(slot_); }
  [[nodiscard]] std::size_t slot() const { return slot_; }

 private:
  database_impl& db_;
  std::size_t slot_;
};

// SQLite's BEGIN IMMEDIATE and COMMIT, prepared once per connection (parsing them again for every
// transaction was a tenth of a ledger transfer's CPU).
struct sqlite_transaction_statements final : connection_local {
  explicit sqlite_transaction_statements(soci::session& sql)
      : begin(sql.prepare << "BEGIN IMMEDIATE"), commit(sql.prepare << "COMMIT") {}
  soci::statement begin;
  soci::statement commit;
};
constexpr char sqlite_transaction_key = 0;

// The tenant a PostgreSQL connection was last told (set_config), so that it is told again only
// when the thread's differs.
struct connection_tenant final : connection_local {
  std::string tenant;
};
const char connection_tenant_key = 0;

thread_local std::string current_tenant;  // NOLINT: per thread by design (set_thread_tenant)

// Gives the connection the thread's tenant for row-level security (PostgreSQL).
void apply_tenant(database_impl& db, soci::session& sql) {
  if (db.backend != database_backend::postgresql) return;
  auto& known = local_state<connection_tenant>(db, sql, &connection_tenant_key,
                                               [] { return std::make_unique<connection_tenant>(); });
  if (known.tenant == current_tenant) return;
  std::string ignored;
  sql << "SELECT set_config('bankflow.tenant', :t, false)", soci::use(current_tenant, "t"), soci::into(ignored);
  known.tenant = current_tenant;
}

result<void> run(database_impl& db, std::string_view what, std::string_view lock_key, bool transaction,
                 const std::function<void(soci::session&)>& work) {
  lease leased(db);
  soci::session& sql = leased.session();
  try {
    apply_tenant(db, sql);
  } catch (const std::exception& e) {
    return make_error(errc::storage_error, std::string(what) + ": setting the tenant: " + e.what());
  }
  sqlite_transaction_statements* control = nullptr;
  for (int attempt = 0;; ++attempt) {
    bool open = false;
    try {
      if (transaction) {
        if (db.backend == database_backend::sqlite) {
          control = &local_state<sqlite_transaction_statements>(
              db, sql, &sqlite_transaction_key, [&] { return std::make_unique<sqlite_transaction_statements>(sql); });
          control->begin.execute(true);
        } else {
          sql << "BEGIN";
          if (!lock_key.empty()) {
            std::string key(lock_key);
            long long ignored = 0;
            sql << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))) AS l",
                soci::use(key, "k"), soci::into(ignored);
          }
        }
        open = true;
      }
      work(sql);
      if (transaction) {
        if (control != nullptr) {
          control->commit.execute(true);
        } else {
          sql << "COMMIT";
        }
        open = false;
      }
      return {};
    } catch (const std::exception& e) {
      if (open) {
        try {
          sql << "ROLLBACK";
        } catch (...) {  // the connection may be gone; classify() finds out
        }
      }
      if (is_damage(e)) db.damaged.store(true);
      const failure_kind kind = classify(e, sql);
      if (kind == failure_kind::retry && attempt + 1 < max_attempts) {
        backoff(attempt);
        continue;
      }
      if (kind == failure_kind::broken_connection) {
        db.locals[leased.slot()].clear();  // statements of the old connection go first
        try {
          sql.reconnect();  // for whoever leases this connection next
        } catch (...) {
        }
      }
      return storage_failure(what, e.what());
    }
  }
}

}  // namespace

void drop_local_state(database_impl& db, soci::session& sql, const void* key) {
  if (db.backend == database_backend::postgresql) {
    // A failed statement leaves PostgreSQL's transaction aborted, and there it refuses the
    // DEALLOCATE each dropped prepared statement sends (SOCI swallows the error, so the statement
    // would stay on the server for the connection's life). Roll back first: the caller is
    // failing anyway, and run()'s own ROLLBACK after it only draws a warning.
    try {
      sql << "ROLLBACK";
    } catch (...) {  // a broken connection: run() finds out and reconnects
    }
  }
  std::size_t slot = 0;
  while (slot + 1 < db.size && &db.pool.at(slot) != &sql) ++slot;
  auto& entries = db.locals[slot];
  std::erase_if(entries, [&](const auto& e) { return e.first == key; });
}

result<void> with_session(database_impl& db, std::string_view what,
                          const std::function<void(soci::session&)>& work) {
  return run(db, what, {}, false, work);
}

result<void> with_transaction(database_impl& db, std::string_view what, std::string_view lock_key,
                              const std::function<void(soci::session&)>& work) {
  return run(db, what, lock_key, true, work);
}

namespace {

void ensure_schema_table(soci::session& sql) {
  sql << "CREATE TABLE IF NOT EXISTS bankflow_schema ("
         "module TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at BIGINT NOT NULL)";
}

result<void> run_locked_schema_work(database_impl& db, std::string_view what,
                                    const std::function<void(soci::session&)>& work) {
  // Migrations take one global lock (not a per-module key): DDL of different modules must not
  // interleave with the creation of bankflow_schema itself.
  return with_transaction(db, what, {}, [&](soci::session& sql) {
    if (db.backend == database_backend::postgresql) {
      long long ignored = 0;
      sql << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + std::to_string(migration_lock) +
                 ")) AS l",
          soci::into(ignored);
    }
    ensure_schema_table(sql);
    work(sql);
  });
}

}  // namespace

// Whether bankflow_schema exists, asked without DDL.
bool schema_table_exists(database_impl& db, soci::session& sql) {
  int exists = 0;
  if (db.backend == database_backend::postgresql)
    sql << "SELECT CASE WHEN to_regclass('bankflow_schema') IS NULL THEN 0 ELSE 1 END", soci::into(exists);
  else
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'bankflow_schema'", soci::into(exists);
  return exists != 0;
}

// The module's recorded version when the schema table exists (no DDL, no lock: a role that may
// only read and write the tables can still start a process on an up-to-date schema); 0 otherwise.
result<int> recorded_version(database_impl& db, const std::string& module) {
  int version = 0;
  auto ok = with_session(db, "reading the schema version", [&](soci::session& sql) {
    version = 0;
    if (!schema_table_exists(db, sql)) return;
    soci::indicator ind = soci::i_null;
    sql << "SELECT version FROM bankflow_schema WHERE module = :m", soci::use(module, "m"), soci::into(version, ind);
    if (ind != soci::i_ok) version = 0;
  });
  if (!ok) return ok.error();
  return version;
}

result<void> migrate(database_impl& db, std::string_view module, std::span<const migration> steps) {
  const std::string name(module);
  if (!steps.empty()) {
    auto current = recorded_version(db, name);
    if (!current) return current.error();
    if (*current >= steps.back().version) return {};  // up to date: nothing to create or change
  }
  return run_locked_schema_work(db, "migrating " + name, [&](soci::session& sql) {
    int version = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT version FROM bankflow_schema WHERE module = :m", soci::use(name, "m"),
        soci::into(version, ind);
    const bool recorded = ind == soci::i_ok;
    if (!recorded) version = 0;
    const int before = version;
    for (const migration& step : steps) {
      if (step.version <= version) continue;
      for (const std::string_view statement : step.statements) sql << std::string(statement);
      if (db.backend == database_backend::postgresql)
        for (const std::string_view statement : step.postgresql_only) sql << std::string(statement);
      version = step.version;
    }
    if (version == before) return;
    const long long now = unix_s(std::chrono::system_clock::now());
    if (!recorded) {
      sql << "INSERT INTO bankflow_schema (module, version, applied_at) VALUES (:m, :v, :t)",
          soci::use(name, "m"), soci::use(version, "v"), soci::use(now, "t");
    } else {
      sql << "UPDATE bankflow_schema SET version = :v, applied_at = :t WHERE module = :m",
          soci::use(version, "v"), soci::use(now, "t"), soci::use(name, "m");
    }
  });
}

}  // namespace detail

namespace {

// Page size of a new SQLite file and the WAL size (bytes) at which a connection checkpoints.
constexpr int sqlite_page_size = 1024;
constexpr long long sqlite_wal_checkpoint_bytes = 1000LL * 4096;  // SQLite's default with 4 KiB pages

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// postgresql://user:secret@host/db -> postgresql://user:***@host/db; password=x -> password=***
std::string redact(std::string_view url) {
  std::string out(url);
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto at = out.find('@', scheme + 3);
    const auto colon = out.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at)
      out.replace(colon + 1, at - colon - 1, "***");
    return out;
  }
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const std::size_t start = pos + 9;
    std::size_t end = out.find(' ', start);
    if (end == std::string::npos) end = out.size();
    out.replace(start, end - start, "***");
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    const int hi = i + 1 < s.size() ? hex_digit(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

error bad_url(std::string_view url, std::string_view why) {
  return make_error(errc::invalid_argument,
                    "database URL \"" + redact(url) + "\": " + std::string(why) +
                        " (expected sqlite:///path.db, sqlite::memory: or postgresql://user@host:port/db)");
}

// libpq understands postgresql:// URIs, but SOCI 4.0 rewrites the connection string as
// space-separated key=value pairs on its way to libpq (mangling a URI), so URIs become key=value
// here. Values with white space cannot pass through SOCI and are refused.
result<std::string> pg_key_values(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string_view user_info;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    user_info = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  std::string_view host = rest;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {  // [::1]:5432
    const auto close = host.find(']');
    if (close == std::string_view::npos) return bad_url(url, "an unclosed [ in the host");
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  std::vector<std::pair<std::string, std::string_view>> pairs;
  if (!host.empty()) pairs.emplace_back("host", host);
  if (!port.empty()) pairs.emplace_back("port", port);
  if (!path.empty()) pairs.emplace_back("dbname", path);
  if (!user_info.empty()) {
    const auto colon = user_info.find(':');
    pairs.emplace_back("user", user_info.substr(0, colon));
    if (colon != std::string_view::npos) pairs.emplace_back("password", user_info.substr(colon + 1));
  }
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) return bad_url(url, "a query parameter without a value");
    pairs.emplace_back(std::string(item.substr(0, eq)), item.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  std::string out;
  for (const auto& [key, raw] : pairs) {
    auto value = percent_decode(raw);
    if (!value) return bad_url(url, "a bad %-escape");
    if (value->find_first_of(" \t\r\n") != std::string::npos)
      return bad_url(url, "white space in the value of " + key);
    if (!out.empty()) out += ' ';
    out += key;
    out += "='";
    for (const char c : *value) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += '\'';
  }
  return out;
}

}  // namespace

result<database> database::open(std::string_view url, const database_options& options) {
  database_backend backend = database_backend::sqlite;
  std::string path;
  std::string connect;
  if (url == "sqlite::memory:" || url == "sqlite://:memory:") {
    path = ":memory:";
  } else if (starts_with(url, "sqlite://")) {
    path = url.substr(9);
  } else if (starts_with(url, "sqlite:")) {
    path = url.substr(7);
  } else if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    backend = database_backend::postgresql;
    auto kv = pg_key_values(url);
    if (!kv) return kv.error();
    connect = std::move(*kv);
  } else if (url.find('=') != std::string_view::npos && url.find("://") == std::string_view::npos) {
    backend = database_backend::postgresql;
    connect = url;
  } else {
    return bad_url(url, "unknown kind of database");
  }
  if (backend == database_backend::sqlite) {
    if (path.empty()) return bad_url(url, "no file name");
    if (path.find('"') != std::string::npos) return bad_url(url, "a quote in the file name");
    connect = "db=\"" + path + "\"";
  }
  const bool memory = path == ":memory:";
  const std::size_t size = memory ? 1 : std::max<std::size_t>(1, options.pool_size);

  auto impl = std::make_unique<detail::database_impl>(size);
  impl->backend = backend;
  impl->display_url = redact(url);
  impl->connect_string = connect;
  try {
    for (std::size_t i = 0; i < size; ++i) {
      soci::session& sql = impl->pool.at(i);
      if (backend == database_backend::postgresql) {
        sql.open(*soci::factory_postgresql(), connect);
        // libpq prints NOTICEs ("relation already exists, skipping") on stderr: not for a library.
        sql << "SET client_min_messages TO warning";
        continue;
      }
      sql.open(*soci::factory_sqlite3(), connect);
      sql << "PRAGMA busy_timeout = " + std::to_string(options.busy_timeout.count());
      sql << "PRAGMA foreign_keys = ON";
      if (!memory) {
        // A new file gets 1 KiB pages (must precede the first write, journal_mode = WAL included;
        // a no-op on an existing file, which keeps its page size unless VACUUMed): each committed
        // single transfer rewrites ~6 b-tree pages (the row, three indexes, the accounts,
        // sqlite_sequence) as whole WAL frames, so smaller pages mean a quarter of the bytes
        // written and checksummed per commit (bench/README.md, Ledger).
        sql << "PRAGMA page_size = " + std::to_string(sqlite_page_size);
        // WAL lets readers and one writer of several processes work at once; NORMAL is durable
        // across application crashes in WAL mode, FULL across power loss too (sqlite_sync). Switching needs a moment of exclusive access,
        // so a busy database is retried.
        for (int attempt = 0;; ++attempt) {
          try {
            std::string mode;
            sql << "PRAGMA journal_mode = WAL", soci::into(mode);
            break;
          } catch (const soci::sqlite3_soci_error& e) {
            const int code = e.result() & 0xff;
            if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || attempt > 200) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
        }
        sql << (options.synchronous == sqlite_sync::full ? "PRAGMA synchronous = FULL"
                                                         : "PRAGMA synchronous = NORMAL");
        // Checkpoint when the WAL holds about 4 MiB, as SQLite's default of 1000 pages does with
        // 4 KiB pages, whatever the file's page size: with 1 KiB pages the default would checkpoint
        // (and fsync) four times as often.
        long long page_size = 0;
        sql << "PRAGMA page_size", soci::into(page_size);
        if (page_size > 0)
          sql << "PRAGMA wal_autocheckpoint = " + std::to_string(sqlite_wal_checkpoint_bytes / page_size);
      }
    }
  } catch (const std::exception& e) {
    std::string why = e.what();
    return make_error(errc::storage_error,
                      "cannot open " + impl->display_url + ": " + why.substr(0, why.find('\n')));
  }
  // Created once, by whoever comes first; a role that may only read and write rows never gets
  // here on a schema made by the tables' owner.
  bool exists = false;
  if (auto ok = detail::with_session(*impl, "looking for bankflow_schema",
                                     [&](soci::session& sql) { exists = detail::schema_table_exists(*impl, sql); });
      !ok)
    return ok.error();
  if (!exists)
    if (auto ok = detail::run_locked_schema_work(*impl, "creating bankflow_schema", [](soci::session&) {}); !ok)
      return ok.error();
  return database(std::move(impl));
}

database::database(std::unique_ptr<detail::database_impl> impl) : impl_(std::move(impl)) {}
database::database(database&& other) noexcept = default;
database& database::operator=(database&& other) noexcept = default;
database::~database() = default;

database_backend database::backend() const noexcept { return impl_->backend; }

const std::string& database::display_url() const noexcept { return impl_->display_url; }

result<void> database::check_integrity(std::chrono::seconds reuse) {
  detail::database_impl& db = *impl_;
  std::lock_guard lock(db.check_mutex);
  const auto now = std::chrono::steady_clock::now();
  if (!db.damaged.load() && db.checked_at && now - *db.checked_at < reuse) {
    if (db.check_failure) return *db.check_failure;
    return {};
  }
  std::vector<std::string> problems;
  auto ok = detail::with_session(db, "checking the database", [&](soci::session& sql) {
    problems.clear();
    if (db.backend == database_backend::postgresql) {
      int one = 0;
      sql << "SELECT 1", soci::into(one);
      return;
    }
    // quick_check reads every page and record (not whether indexes agree with their tables):
    // a damaged tail is found before any request runs into it.
    soci::rowset<std::string> rows = (sql.prepare << "PRAGMA quick_check(5)");
    for (const std::string& row : rows) problems.push_back(row);
  });
  std::optional<error> failure;
  if (!ok) {
    failure = ok.error();
    if (db.damaged.load()) failure->message = "the database " + db.display_url + " is damaged: " + failure->message;
  } else if (db.backend == database_backend::sqlite && !(problems.size() == 1 && problems.front() == "ok")) {
    std::string message = "the database " + db.display_url + " is damaged (PRAGMA quick_check:";
    for (const std::string& p : problems) message += " " + p.substr(0, 200) + ";";
    message += ") - restore it from a backup, or move it aside to start with an empty one";
    failure = make_error(errc::storage_error, std::move(message));
  }
  db.damaged.store(failure.has_value() && db.damaged.load());
  db.checked_at = now;
  db.check_failure = failure;
  if (failure) return *failure;
  return {};
}

result<int> database::schema_version(std::string_view module) {
  const std::string name(module);
  int version = 0;
  soci::indicator ind = soci::i_null;
  auto ok = detail::with_session(*impl_, "reading the schema version", [&](soci::session& sql) {
    sql << "SELECT version FROM bankflow_schema WHERE module = :m", soci::use(name, "m"),
        soci::into(version, ind);
  });
  if (!ok) return ok.error();
  return ind == soci::i_ok ? version : 0;
}

std::string set_thread_tenant(std::string tenant) { return std::exchange(detail::current_tenant, std::move(tenant)); }

const std::string& thread_tenant() noexcept { return detail::current_tenant; }

}  // namespace bankflow
