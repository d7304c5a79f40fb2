#include <bankflow/database.hpp>
#include <bankflow/redis.hpp>

#include "store/db.hpp"
#include "store/redis.hpp"
#include "test_support.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using bankflow::database;
using bankflow::errc;
namespace detail = bankflow::detail;
namespace test = bankflow::test;

namespace {

long long count_rows(database& db, const std::string& table) {
  long long n = -1;
  auto ok = detail::with_session(detail::database_access::impl(db), "count", [&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
  });
  REQUIRE(ok);
  return n;
}

std::vector<detail::migration> three_steps() {
  return {
      {1, {"CREATE TABLE t_migrated (n INTEGER NOT NULL)", "INSERT INTO t_migrated (n) VALUES (1)"}},
      {2, {"INSERT INTO t_migrated (n) VALUES (2)"}},
      {3, {"CREATE TABLE t_third (x TEXT)", "INSERT INTO t_migrated (n) VALUES (3)"}},
  };
}

}  // namespace

TEST_CASE("database URLs that name no database are rejected as invalid_argument", "[store][database]") {
  for (const char* url : {"", "mysql://u@h/db", "sqlite://", "sqlite:", "http://example.com", "just-a-name"}) {
    CAPTURE(url);
    auto db = database::open(url);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == errc::invalid_argument);
  }
}

TEST_CASE("a database that cannot be reached is a storage_error that never shows the password",
          "[store][database]") {
  auto db = database::open("postgresql://bankflow:hunter2@127.0.0.1:1/nothing?connect_timeout=2");
  REQUIRE_FALSE(db);
  CHECK(db.error().code == errc::storage_error);
  CHECK(db.error().message.find("hunter2") == std::string::npos);
  CHECK(db.error().message.find("bankflow:***@127.0.0.1:1") != std::string::npos);

  auto kv = database::open("host=127.0.0.1 port=1 user=x password=hunter2 connect_timeout=2");
  REQUIRE_FALSE(kv);
  CHECK(kv.error().code == errc::storage_error);
  CHECK(kv.error().message.find("hunter2") == std::string::npos);

  auto missing_dir = database::open("sqlite:///nonexistent-dir-for-bankflow/x.db");
  REQUIRE_FALSE(missing_dir);
  CHECK(missing_dir.error().code == errc::storage_error);
}

TEST_CASE("module migrations apply each step once, in order, and record the version", "[store][database]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto& impl = detail::database_access::impl(*db);
      CHECK(*db->schema_version("test_module") == 0);

      auto steps = three_steps();
      REQUIRE(detail::migrate(impl, "test_module", std::span(steps).first(2)));
      CHECK(*db->schema_version("test_module") == 2);
      CHECK(count_rows(*db, "t_migrated") == 2);

      // again, with one more step: only step 3 runs (step 1 would fail: its table exists)
      REQUIRE(detail::migrate(impl, "test_module", steps));
      CHECK(*db->schema_version("test_module") == 3);
      CHECK(count_rows(*db, "t_migrated") == 3);
      REQUIRE(detail::migrate(impl, "test_module", steps));
      CHECK(count_rows(*db, "t_migrated") == 3);
      CHECK(*db->schema_version("another_module") == 0);

      // a failing step leaves the recorded version where it was
      std::vector<detail::migration> broken = steps;
      broken.push_back({4, {"INSERT INTO t_migrated (n) VALUES (4)", "THIS IS NOT SQL"}});
      auto failed = detail::migrate(impl, "test_module", broken);
      REQUIRE_FALSE(failed);
      CHECK(failed.error().code == errc::storage_error);
      CHECK(*db->schema_version("test_module") == 3);
      CHECK(count_rows(*db, "t_migrated") == 3);
    }
  }
}

TEST_CASE("migrations racing from several connections apply each step exactly once", "[store][database]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      std::vector<database> dbs;
      for (int i = 0; i < 6; ++i) {
        auto db = database::open(target.url, {.pool_size = 1});
        REQUIRE(db);
        dbs.push_back(std::move(*db));
      }
      const auto steps = three_steps();
      std::vector<std::thread> threads;
      std::vector<int> ok(dbs.size(), 0);
      for (std::size_t i = 0; i < dbs.size(); ++i)
        threads.emplace_back([&, i] {
          ok[i] = detail::migrate(detail::database_access::impl(dbs[i]), "race_module", steps).has_value() ? 1 : 0;
        });
      for (auto& t : threads) t.join();
      for (const int o : ok) CHECK(o == 1);
      CHECK(count_rows(dbs[0], "t_migrated") == 3);
      CHECK(*dbs[0].schema_version("race_module") == 3);
    }
  }
}

TEST_CASE("SQLite files are opened in WAL mode with a busy timeout", "[store][database]") {
  test::sql_targets targets(false);
  const auto& file = targets.all().front();
  REQUIRE(file.name == "sqlite-file");
  auto db = database::open(file.url, {.busy_timeout = std::chrono::milliseconds(4321)});
  REQUIRE(db);
  CHECK(db->backend() == bankflow::database_backend::sqlite);
  std::string mode;
  int timeout = 0;
  auto ok = detail::with_session(detail::database_access::impl(*db), "pragmas", [&](soci::session& sql) {
    sql << "PRAGMA journal_mode", soci::into(mode);
    sql << "PRAGMA busy_timeout", soci::into(timeout);
  });
  REQUIRE(ok);
  CHECK(mode == "wal");
  CHECK(timeout == 4321);

  // synchronous: NORMAL unless asked for FULL (PRAGMA synchronous reads 1 and 2)
  for (const auto& [sync, want] : {std::pair{bankflow::sqlite_sync::normal, 1}, std::pair{bankflow::sqlite_sync::full, 2}}) {
    auto opened = database::open(file.url, {.pool_size = 2, .synchronous = sync});
    REQUIRE(opened);
    int level = -1;
    REQUIRE(detail::with_session(detail::database_access::impl(*opened), "pragma", [&](soci::session& sql) {
      sql << "PRAGMA synchronous", soci::into(level);
    }));
    CHECK(level == want);
  }

  auto memory = database::open("sqlite::memory:");
  REQUIRE(memory);
  CHECK(memory->display_url() == "sqlite::memory:");
  database moved = std::move(*memory);
  CHECK(*moved.schema_version("nothing") == 0);
}

TEST_CASE("new SQLite files get 1 KiB pages, existing ones keep theirs, the WAL checkpoints at ~4 MiB",
          "[store][database]") {
  test::sql_targets targets(false);
  const auto& file = targets.all().front();
  REQUIRE(file.name == "sqlite-file");
  auto pragmas = [](database& db) {
    std::pair<long long, long long> out{-1, -1};
    REQUIRE(detail::with_session(detail::database_access::impl(db), "pragmas", [&](soci::session& sql) {
      sql << "PRAGMA page_size", soci::into(out.first);
      sql << "PRAGMA wal_autocheckpoint", soci::into(out.second);
    }));
    return out;
  };
  {
    auto db = database::open(file.url, {.pool_size = 2});
    REQUIRE(db);
    const auto [page, checkpoint] = pragmas(*db);
    CHECK(page == 1024);
    CHECK(checkpoint == 4000);
  }

  // A file made before (4 KiB pages, already in WAL mode) keeps its pages: 1000 per checkpoint.
  const std::string old_path = file.url.substr(std::string("sqlite://").size()) + ".old";
  {
    soci::session raw(*soci::factory_sqlite3(), "db=\"" + old_path + "\"");
    raw << "PRAGMA page_size = 4096";
    std::string mode;
    raw << "PRAGMA journal_mode = WAL", soci::into(mode);
    raw << "CREATE TABLE t_before (x INTEGER)";
  }
  auto old = database::open("sqlite://" + old_path);
  REQUIRE(old);
  const auto [page, checkpoint] = pragmas(*old);
  CHECK(page == 4096);
  CHECK(checkpoint == 1000);
  CHECK(count_rows(*old, "t_before") == 0);
}

TEST_CASE("Redis URLs are parsed into host, port, database and password", "[store][redis]") {
  struct row {
    const char* url;
    const char* host;
    int port;
    int db;
    const char* password;
  };
  const row rows[] = {
      {"redis://127.0.0.1:6391/0", "127.0.0.1", 6391, 0, ""},
      {"redis://cache.internal", "cache.internal", 6379, 0, ""},
      {"redis://cache:7000/3", "cache", 7000, 3, ""},
      {"redis://:s3cret@cache:7000/2", "cache", 7000, 2, "s3cret"},
      {"redis://user:s3cret@cache/1", "cache", 6379, 1, "s3cret"},
      {"redis://", "127.0.0.1", 6379, 0, ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.url);
    auto ep = detail::parse_redis_url(r.url);
    REQUIRE(ep);
    CHECK(ep->host == r.host);
    CHECK(ep->port == r.port);
    CHECK(ep->db == r.db);
    CHECK(ep->password == r.password);
  }
  for (const char* bad : {"http://x", "redis://h:port/0", "redis://h:1/x", "redis://h:70000", "rediss://h"}) {
    CAPTURE(bad);
    auto ep = detail::parse_redis_url(bad);
    REQUIRE_FALSE(ep);
    CHECK(ep.error().code == errc::invalid_argument);
  }
  auto unreachable = bankflow::redis_client::connect("redis://127.0.0.1:1/0");
  REQUIRE_FALSE(unreachable);
  CHECK(unreachable.error().code == errc::storage_error);
}

TEST_CASE("the Redis wrapper sends binary-safe commands under its prefix and reconnects after a drop",
          "[store][redis]") {
  const auto url = test::redis_url();
  if (!url) return;
  const std::string prefix = "bftest:" + test::unique_suffix() + ":";
  auto client = bankflow::redis_client::connect(*url, {.key_prefix = prefix, .max_connections = 1});
  REQUIRE(client);
  CHECK(client->key_prefix() == prefix);
  auto& pool = detail::redis_access::pool(*client);

  const std::string key = pool.key("blob");
  CHECK(key == prefix + "blob");
  const std::string value("a\0b\r\n c", 7);
  auto set = pool.command({"SET", key, value, "EX", "60"});
  REQUIRE(set);
  CHECK(set->type == detail::redis_reply::kind::status);
  auto get = pool.command({"GET", key});
  REQUIRE(get);
  CHECK(get->type == detail::redis_reply::kind::string);
  CHECK(get->str == value);
  auto wrong = pool.command({"INCR", key});
  REQUIRE(wrong);
  CHECK(wrong->type == detail::redis_reply::kind::error);

  // Kill our connection from another client: the next command reconnects by itself.
  auto id = pool.command({"CLIENT", "ID"});
  REQUIRE(id);
  REQUIRE(id->type == detail::redis_reply::kind::integer);
  auto killer = bankflow::redis_client::connect(*url);
  REQUIRE(killer);
  auto killed = detail::redis_access::pool(*killer).command({"CLIENT", "KILL", "ID", std::to_string(id->integer)});
  REQUIRE(killed);
  CHECK(killed->integer == 1);
  auto after = pool.command({"GET", key});
  REQUIRE(after);
  CHECK(after->str == value);
  auto new_id = pool.command({"CLIENT", "ID"});
  REQUIRE(new_id);
  CHECK(new_id->integer != id->integer);
  (void)pool.command({"DEL", key});
}
