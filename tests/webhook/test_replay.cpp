#include <bankflow/database.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/webhook.hpp>

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
using bankflow::replay_guard;
namespace test = bankflow::test;
using time_point = std::chrono::system_clock::time_point;
using std::chrono::seconds;

namespace {

constexpr const char* secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// Every replay guard backend available here, with what keeps it alive.
struct guard_backends {
  struct entry {
    std::string name;
    std::unique_ptr<replay_guard> guard;
    bool real_time;  // expiry follows the server's clock (Redis), not the `now` passed in
  };
  test::sql_targets targets;
  std::vector<std::unique_ptr<bankflow::database>> dbs;
  std::optional<bankflow::redis_client> redis;
  std::vector<entry> all;

  guard_backends() {
    all.push_back({"memory", bankflow::make_memory_replay_guard().value(), false});
    for (const auto& t : targets.all()) {
      auto db = bankflow::database::open(t.url, {.pool_size = 8});
      REQUIRE(db);
      dbs.push_back(std::make_unique<bankflow::database>(std::move(*db)));
      auto g = bankflow::make_sql_replay_guard(*dbs.back());
      REQUIRE(g);
      all.push_back({t.name, std::move(*g), false});
    }
    if (auto url = test::redis_url()) {
      auto r = bankflow::redis_client::connect(*url, {.key_prefix = "bftest:" + test::unique_suffix() + ":"});
      REQUIRE(r);
      redis.emplace(std::move(*r));
      all.push_back({"redis", bankflow::make_redis_replay_guard(*redis).value(), true});
    }
  }
};

time_point at(std::int64_t s) { return time_point(seconds(s)); }

struct signed_delivery {
  std::vector<bankflow::header_field> headers;
  std::string body = R"({"type":"deposit.settled","id":"dep_1"})";
};

signed_delivery sign(const std::string& id, std::int64_t ts) {
  signed_delivery d;
  bankflow::webhook_options o;
  o.secrets = {secret};
  auto h = bankflow::sign_webhook(o, d.body, id, std::chrono::sys_seconds{std::chrono::seconds{ts}});
  REQUIRE(h);
  d.headers = std::move(*h);
  return d;
}

bankflow::webhook_verifier verifier_with(replay_guard* guard, std::int64_t now) {
  bankflow::webhook_options o;
  o.secrets = {secret};
  o.clock = [t = at(now)] { return t; };
  o.replay = guard;
  auto v = bankflow::webhook_verifier::create(std::move(o));
  REQUIRE(v);
  return std::move(*v);
}

}  // namespace

TEST_CASE("a replay guard claim is exclusive until it expires, and release gives it up", "[webhook][replay]") {
  guard_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      const std::string key = "standard:evt_" + test::unique_suffix();
      const std::int64_t t0 = std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      REQUIRE(*b.guard->claim(key, at(t0), at(t0 + 2)));
      CHECK_FALSE(*b.guard->claim(key, at(t0), at(t0 + 2)));
      CHECK(*b.guard->claim(key + "-other", at(t0), at(t0 + 2)));
      REQUIRE(b.guard->release(key));
      CHECK(*b.guard->claim(key, at(t0), at(t0 + 1)));
      if (b.real_time) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2100));
        CHECK(*b.guard->claim(key, at(t0 + 2), at(t0 + 4)));
      } else {
        CHECK_FALSE(*b.guard->claim(key, at(t0) + std::chrono::milliseconds(999), at(t0 + 5)));
        CHECK(*b.guard->claim(key, at(t0 + 1), at(t0 + 5)));  // expired exactly now: taken over
        CHECK_FALSE(*b.guard->claim(key, at(t0 + 4), at(t0 + 9)));
      }
    }
  }
}

TEST_CASE("a second delivery of a verified event is rejected as replayed on every backend",
          "[webhook][replay]") {
  guard_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      const std::int64_t now = 1700000000;
      const auto d = sign("msg_" + test::unique_suffix(), now - 10);
      const auto v = verifier_with(b.guard.get(), now);
      REQUIRE(v.verify(d.headers, d.body));
      const auto again = v.verify(d.headers, d.body);
      REQUIRE_FALSE(again);
      CHECK(again.error().code == errc::replayed);
      // a forged copy is reported as forged, and does not touch the guard
      CHECK(v.verify(d.headers, d.body + " ").error().code == errc::no_matching_signature);
    }
  }
}

TEST_CASE("1,000 concurrent deliveries of one event on many threads: exactly one is accepted",
          "[webhook][replay][concurrency]") {
  guard_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      const std::int64_t now = 1700000000;
      const auto d = sign("msg_" + test::unique_suffix(), now);
      const auto v = verifier_with(b.guard.get(), now);
      constexpr int threads = 20;
      constexpr int per_thread = 50;
      std::atomic<int> accepted{0};
      std::atomic<int> replayed{0};
      std::atomic<int> other{0};
      std::latch start(threads);
      std::vector<std::thread> pool;
      for (int i = 0; i < threads; ++i)
        pool.emplace_back([&] {
          start.arrive_and_wait();
          for (int k = 0; k < per_thread; ++k) {
            const auto r = v.verify(d.headers, d.body);
            if (r) {
              accepted.fetch_add(1);
            } else if (r.error().code == errc::replayed) {
              replayed.fetch_add(1);
            } else {
              other.fetch_add(1);
            }
          }
        });
      for (auto& t : pool) t.join();
      CHECK(accepted == 1);
      CHECK(replayed == threads * per_thread - 1);
      CHECK(other == 0);
    }
  }
}

TEST_CASE("1,000 concurrent deliveries of one event from 4 processes: exactly one is accepted",
          "[webhook][replay][concurrency]") {
  test::sql_targets targets(false);
  std::vector<std::pair<std::string, std::string>> stores;  // name, url
  for (const auto& t : targets.all())
    if (t.shared_between_processes) stores.emplace_back(t.name, t.url);
  if (auto url = test::redis_url()) stores.emplace_back("redis", *url);
  for (const auto& [name, url] : stores) {
    SECTION(name) {
      // the table exists before the race, as it would in a deployed system
      if (name != "redis") {
        auto db = bankflow::database::open(url);
        REQUIRE(db);
        REQUIRE(bankflow::make_sql_replay_guard(*db));
      }
      const std::string id = "msg_" + test::unique_suffix();
      const auto r = test::run_race({"webhook", url, "bftest:" + test::unique_suffix() + ":", id, "1700000000",
                                     "25", "250"},
                                    4);
      INFO("first error: " << r.first_error);
      CHECK(r.errors == 0);
      CHECK(r.accepted == 1);
      CHECK(r.rejected == 999);
    }
  }
}

TEST_CASE("the verifier claims the event id until its timestamp leaves the window", "[webhook][replay]") {
  // A user-written guard: the interface is small enough to implement in a test.
  struct recording_guard final : replay_guard {
    std::string key;
    time_point now{};
    time_point expires{};
    bankflow::result<bool> claim(std::string_view k, time_point n, time_point e) override {
      key = k;
      now = n;
      expires = e;
      return true;
    }
    bankflow::result<void> release(std::string_view) override { return {}; }
  } guard;

  const auto d = sign("msg_window", 1700000000);
  REQUIRE(verifier_with(&guard, 1700000100).verify(d.headers, d.body));
  CHECK(guard.key == "standard:msg_window");
  CHECK(guard.now == at(1700000100));
  CHECK(guard.expires == at(1700000000 + 300 + 1));

  // a timestamp ahead of our clock stays acceptable longer, and so does the claim
  REQUIRE(verifier_with(&guard, 1699999800).verify(d.headers, d.body));
  CHECK(guard.expires == at(1700000000 + 300 + 1));

  // GitHub has neither timestamp nor (here) a delivery id: the MAC names the delivery
  bankflow::webhook_options o;
  o.scheme = bankflow::webhook_scheme::github;
  o.secrets = {"It's a Secret to Everybody"};
  o.clock = [] { return at(1700000000); };
  o.replay = &guard;
  auto gh = bankflow::webhook_verifier::create(o);
  REQUIRE(gh);
  REQUIRE(gh->verify(std::vector<bankflow::header_field>{{"X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}},
                     "Hello, World!"));
  CHECK(guard.key == "github:757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  CHECK(guard.expires == at(1700000000 + 300));

  struct failing_guard final : replay_guard {
    bankflow::result<bool> claim(std::string_view, time_point, time_point) override {
      return bankflow::make_error(errc::storage_error, "down");
    }
    bankflow::result<void> release(std::string_view) override { return {}; }
  } down;
  CHECK(verifier_with(&down, 1700000000).verify(d.headers, d.body).error().code == errc::storage_error);
}
