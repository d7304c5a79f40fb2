#include <bankflow/database.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/session.hpp>

#include "../store/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using bankflow::errc;
using bankflow::rate_limiter;
namespace test = bankflow::test;
using namespace std::chrono_literals;
using time_point = std::chrono::system_clock::time_point;

namespace {

// Every rate-limit store available here, with what keeps it alive.
struct store_backends {
  struct entry {
    std::string name;
    std::unique_ptr<bankflow::rate_limit_store> store;
  };
  test::sql_targets targets;
  std::vector<std::unique_ptr<bankflow::database>> dbs;
  std::optional<bankflow::redis_client> redis;
  std::vector<entry> all;

  store_backends() {
    all.push_back({"memory", bankflow::make_memory_rate_limit_store().value()});
    for (const auto& t : targets.all()) {
      auto db = bankflow::database::open(t.url, {.pool_size = 8});
      REQUIRE(db);
      dbs.push_back(std::make_unique<bankflow::database>(std::move(*db)));
      auto s = bankflow::make_sql_rate_limit_store(*dbs.back());
      REQUIRE(s);
      all.push_back({t.name, std::move(*s)});
    }
    if (auto url = test::redis_url()) {
      auto r = bankflow::redis_client::connect(*url, {.key_prefix = "bftest:" + test::unique_suffix() + ":"});
      REQUIRE(r);
      redis.emplace(std::move(*r));
      all.push_back({"redis", bankflow::make_redis_rate_limit_store(*redis).value()});
    }
  }
};

// Whole seconds near the real time (Redis expires keys on its own clock).
time_point start_time() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

}  // namespace

TEST_CASE("uploads are limited to 10 per hour per session by default", "[session][rate]") {
  store_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      time_point now = start_time();
      const time_point t0 = now;
      rate_limiter limiter(*b.store, {.clock = [&] { return now; }});
      REQUIRE(limiter.limit_of("upload"));
      CHECK(limiter.limit_of("upload")->limit == 10);
      CHECK(limiter.limit_of("upload")->window == 1h);
      const std::string session = "s_" + test::unique_suffix();
      for (int i = 0; i < 10; ++i) {
        CAPTURE(i);
        auto d = limiter.allow(session, "upload");
        REQUIRE(d);
        CHECK(d->allowed);
        CHECK(d->remaining == static_cast<std::uint32_t>(9 - i));
        now += 1min;
      }
      auto denied = limiter.allow(session, "upload");
      REQUIRE(denied);
      CHECK_FALSE(denied->allowed);
      CHECK(denied->remaining == 0);
      CHECK(denied->retry_after == 50min);  // the first upload leaves the window at t0 + 1 h
      CHECK(limiter.allow("s_other_" + test::unique_suffix(), "upload")->allowed);

      bankflow::session_info info;
      info.id = session;
      const auto limited = limiter.check(info, "upload");
      REQUIRE_FALSE(limited);
      CHECK(limited.error().code == errc::rate_limited);
      CHECK(limited.error().message == "at most 10 upload requests per hour; retry in 3000 s");

      now = t0 + 1h;  // the first upload has left the window, the second has not
      CHECK(limiter.allow(session, "upload")->allowed);
      CHECK_FALSE(limiter.allow(session, "upload")->allowed);
      CHECK(limiter.allow(session, "download").error().code == errc::invalid_argument);
    }
  }
}

TEST_CASE("the window slides: at most `limit` hits in any window-long interval", "[session][rate]") {
  store_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      time_point now = start_time();
      const time_point t0 = now;
      rate_limiter limiter(*b.store, {.clock = [&] { return now; }});
      limiter.set_limit("export", {3, 60s});
      const std::string s = "s_" + test::unique_suffix();
      const auto at = [&](std::chrono::seconds offset) {
        now = t0 + offset;
        auto d = limiter.allow(s, "export");
        REQUIRE(d);
        return *d;
      };
      CHECK(at(0s).allowed);
      CHECK(at(10s).allowed);
      CHECK(at(20s).allowed);
      const auto denied = at(30s);
      CHECK_FALSE(denied.allowed);
      CHECK(denied.retry_after == 30s);
      CHECK_FALSE(at(59s).allowed);
      CHECK(at(60s).allowed);  // the hit at 0 s is out of (0 s, 60 s]
      const auto again = at(61s);
      CHECK_FALSE(again.allowed);
      CHECK(again.retry_after == 9s);  // the hit at 10 s leaves at 70 s
      CHECK(at(200s).allowed);
    }
  }
}

TEST_CASE("1,000 concurrent uploads of one session on many threads: exactly 10 are allowed",
          "[session][rate][concurrency]") {
  store_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      rate_limiter limiter(*b.store);
      const std::string s = "s_" + test::unique_suffix();
      constexpr int threads = 20;
      constexpr int per_thread = 50;
      std::atomic<int> allowed{0};
      std::atomic<int> denied{0};
      std::atomic<int> failed{0};
      std::latch start(threads);
      std::vector<std::thread> pool;
      for (int i = 0; i < threads; ++i)
        pool.emplace_back([&] {
          start.arrive_and_wait();
          for (int k = 0; k < per_thread; ++k) {
            auto d = limiter.allow(s, "upload");
            if (!d) {
              failed.fetch_add(1);
            } else {
              (d->allowed ? allowed : denied).fetch_add(1);
            }
          }
        });
      for (auto& t : pool) t.join();
      CHECK(allowed == 10);
      CHECK(denied == threads * per_thread - 10);
      CHECK(failed == 0);
    }
  }
}

TEST_CASE("1,000 concurrent uploads of one session from 4 processes: exactly 10 are allowed",
          "[session][rate][concurrency]") {
  test::sql_targets targets(false);
  std::vector<std::pair<std::string, std::string>> stores;
  for (const auto& t : targets.all())
    if (t.shared_between_processes) stores.emplace_back(t.name, t.url);
  if (auto url = test::redis_url()) stores.emplace_back("redis", *url);
  for (const auto& [name, url] : stores) {
    SECTION(name) {
      if (name != "redis") {
        auto db = bankflow::database::open(url);
        REQUIRE(db);
        REQUIRE(bankflow::make_sql_rate_limit_store(*db));
      }
      const auto r = test::run_race(
          {"rate", url, "bftest:" + test::unique_suffix() + ":", "s_" + test::unique_suffix(), "25", "250", "10"}, 4);
      INFO("first error: " << r.first_error);
      CHECK(r.errors == 0);
      CHECK(r.accepted == 10);
      CHECK(r.rejected == 990);
    }
  }
}

TEST_CASE("per-address limits count uploads and new sessions of an address apart from any session's",
          "[session][rate][address]") {
  store_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      time_point now = start_time();
      rate_limiter limiter(*b.store, {.clock = [&] { return now; }});
      REQUIRE(limiter.address_limit_of("upload"));
      CHECK(limiter.address_limit_of("upload")->limit == 60);
      CHECK(limiter.address_limit_of("upload")->window == 1h);
      REQUIRE(limiter.address_limit_of("session"));
      CHECK(limiter.address_limit_of("session")->limit == 60);
      limiter.set_address_limit("upload", {3, 1h});
      limiter.set_address_limit("session", {2, 1h});
      // a unique address per run: the SQL and Redis stores outlive the test
      const std::string address = "203.0.113." + test::unique_suffix();
      for (int i = 0; i < 3; ++i) {
        CAPTURE(i);
        auto d = limiter.allow_address(address, "upload");
        REQUIRE(d);
        CHECK(d->allowed);
        now += 1min;
      }
      // a fresh session per upload (a dropped cookie) does not reset the address's count
      const auto denied = limiter.allow_address(address, "upload");
      REQUIRE(denied);
      CHECK_FALSE(denied->allowed);
      CHECK(denied->retry_after == 57min);
      CHECK(limiter.allow("s_" + test::unique_suffix(), "upload")->allowed);  // sessions count apart
      CHECK(limiter.allow_address(address + "1", "upload")->allowed);         // so do other addresses
      // sessions have their own per-address budget
      CHECK(limiter.allow_address(address, "session")->allowed);
      CHECK(limiter.allow_address(address, "session")->allowed);
      CHECK_FALSE(limiter.allow_address(address, "session")->allowed);
      // a session whose id reads like an address key never shares its counter
      CHECK(limiter.allow(address, "upload")->allowed);

      CHECK(limiter.allow_address(address, "download").error().code == errc::invalid_argument);
      CHECK(limiter.allow_address("", "upload").error().code == errc::invalid_argument);
      now += 1h;
      CHECK(limiter.allow_address(address, "upload")->allowed);
    }
  }
}

TEST_CASE("admit counts the session and then its address, and words a denial with when to retry", "[session][rate]") {
  auto store = bankflow::make_memory_rate_limit_store().value();
  rate_limiter limiter(*store);
  limiter.set_limit("upload", {1, 1h});
  limiter.set_address_limit("upload", {2, 1h});
  std::chrono::seconds wait{0};
  REQUIRE(limiter.admit("s1", "198.51.100.1", "upload", "uploads", wait));
  CHECK(wait == 0s);

  auto session_over = limiter.admit("s1", "198.51.100.1", "upload", "uploads", wait);
  REQUIRE_FALSE(session_over);
  CHECK(session_over.error().code == errc::rate_limited);
  CHECK(session_over.error().message.starts_with("at most 1 uploads per hour: try again in "));
  CHECK(wait >= 1s);

  REQUIRE(limiter.admit("s2", "198.51.100.1", "upload", "uploads", wait));  // a new session, same address
  auto address_over = limiter.admit("s3", "198.51.100.1", "upload", "uploads", wait);
  REQUIRE_FALSE(address_over);
  CHECK(address_over.error().message.starts_with("at most 2 uploads per hour from one address: try again in "));

  auto unknown = limiter.admit("s1", "", "download", "downloads", wait);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == errc::invalid_argument);
}

TEST_CASE("peek tells what acquire would decide and records nothing; check_room words a full counter as admit does",
          "[session][rate]") {
  store_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      time_point now = start_time();
      const time_point t0 = now;
      const bankflow::rate_limit limit{2, 60s};
      const std::string key = "peek_" + test::unique_suffix();
      auto peek = [&] { return b.store->peek(key, now, limit).value(); };
      CHECK(peek().allowed);
      CHECK(peek().remaining == 2);
      CHECK(peek().remaining == 2);  // peeking counts nothing
      REQUIRE(b.store->acquire(key, now, limit).value().allowed);
      now = t0 + 10s;
      REQUIRE(b.store->acquire(key, now, limit).value().allowed);
      const auto full = peek();
      CHECK_FALSE(full.allowed);
      CHECK(full.retry_after == 50s);  // the hit at 0 s leaves at 60 s
      now = t0 + 60s;
      CHECK(peek().allowed);
      CHECK(peek().remaining == 1);

      rate_limiter limiter(*b.store, {.clock = [&] { return now; }});
      limiter.set_limit("login_failed", {1, 60s});
      limiter.set_address_limit("login_failed", {2, 60s});
      const std::string who = "who_" + test::unique_suffix();
      const std::string where = "10.0.0." + test::unique_suffix();
      std::chrono::seconds wait{0};
      CHECK(limiter.check_room(who, where, "login_failed", "failed logins", wait));
      REQUIRE(limiter.admit(who, where, "login_failed", "failed logins", wait));
      auto refused = limiter.check_room(who, where, "login_failed", "failed logins", wait);
      REQUIRE_FALSE(refused);
      CHECK(refused.error().code == errc::rate_limited);
      CHECK(refused.error().message == "at most 1 failed logins per minute: try again in 60 s");
      CHECK(wait == 60s);
      // another key from the same address has room until the address's counter is full
      CHECK(limiter.check_room(who + "2", where, "login_failed", "failed logins", wait));
      REQUIRE(limiter.admit(who + "2", where, "login_failed", "failed logins", wait));
      auto by_address = limiter.check_room(who + "3", where, "login_failed", "failed logins", wait);
      REQUIRE_FALSE(by_address);
      CHECK(by_address.error().message.find("from one address") != std::string::npos);
      CHECK(limiter.check_room(who + "3", {}, "login_failed", "failed logins", wait));
      CHECK(limiter.check_room(who, where, "nothing", "x", wait).error().code == errc::invalid_argument);
    }
  }
}
