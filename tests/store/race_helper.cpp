// bankflow_race_helper: one process of a cross-process race, started by the tests.
//
//   bankflow_race_helper webhook STORE PREFIX EVENT_ID TIMESTAMP THREADS DELIVERIES
//       verifies DELIVERIES copies of one signed Standard Webhooks event (id EVENT_ID) through a
//       replay guard in STORE, spread over THREADS threads
//   bankflow_race_helper rate STORE PREFIX SESSION THREADS REQUESTS LIMIT
//       asks a rate limiter REQUESTS times for one session's "upload" (LIMIT per hour)
//
// STORE is a database URL (sqlite://…, postgresql://…) or a Redis URL (redis://…; PREFIX is its
// key prefix). The helper prepares everything, prints "ready", waits for a line on stdin, then
// releases all its threads at once and prints "accepted=N rejected=N errors=N" (and the first
// error on the next line when there was one).

#include <bankflow/database.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/session.hpp>
#include <bankflow/webhook.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

struct stores {
  std::optional<bankflow::database> db;
  std::optional<bankflow::redis_client> redis;
};

bool open_store(const std::string& url, const std::string& prefix, stores& s) {
  if (url.rfind("redis://", 0) == 0) {
    auto r = bankflow::redis_client::connect(url, {.key_prefix = prefix, .max_connections = 8});
    if (!r) {
      std::cerr << r.error().to_string() << '\n';
      return false;
    }
    s.redis.emplace(std::move(*r));
    return true;
  }
  auto d = bankflow::database::open(url, {.pool_size = 8});
  if (!d) {
    std::cerr << d.error().to_string() << '\n';
    return false;
  }
  s.db.emplace(std::move(*d));
  return true;
}

struct tally {
  std::atomic<long> accepted{0};
  std::atomic<long> rejected{0};
  std::atomic<long> errors{0};
  std::mutex mutex;
  std::string first_error;

  void error(const bankflow::error& e) {
    errors.fetch_add(1);
    std::lock_guard lock(mutex);
    if (first_error.empty()) first_error = e.to_string();
  }
};

template <class F>
int race(int threads, long total, F&& one) {
  std::latch start(1);
  tally t;
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    const long mine = total / threads + (i < total % threads ? 1 : 0);
    pool.emplace_back([&, mine] {
      start.wait();
      for (long k = 0; k < mine; ++k) one(t);
    });
  }
  std::cout << "ready" << std::endl;
  std::string go;
  std::getline(std::cin, go);
  start.count_down();
  for (auto& th : pool) th.join();
  std::cout << "accepted=" << t.accepted << " rejected=" << t.rejected << " errors=" << t.errors << std::endl;
  if (!t.first_error.empty()) std::cout << t.first_error << std::endl;
  return 0;
}

int usage() {
  std::cerr << "usage: bankflow_race_helper webhook STORE PREFIX EVENT_ID TIMESTAMP THREADS DELIVERIES\n"
               "       bankflow_race_helper rate STORE PREFIX SESSION THREADS REQUESTS LIMIT\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) return usage();
  const std::string mode = argv[1];
  stores s;
  if (!open_store(argv[2], argv[3], s)) return 1;

  if (mode == "webhook") {
    const std::string id = argv[4];
    const std::int64_t ts = std::atoll(argv[5]);
    std::unique_ptr<bankflow::replay_guard> guard;
    if (s.redis) {
      guard = bankflow::make_redis_replay_guard(*s.redis).value();
    } else {
      auto g = bankflow::make_sql_replay_guard(*s.db);
      if (!g) {
        std::cerr << g.error().to_string() << '\n';
        return 1;
      }
      guard = std::move(*g);
    }
    bankflow::webhook_options o;
    o.scheme = bankflow::webhook_scheme::standard;
    o.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(ts));
    o.clock = [at] { return at; };
    const std::string body = R"({"type": "deposit.settled", "amount": "1000.00"})";
    auto headers = bankflow::sign_webhook(o, body, id, std::chrono::sys_seconds{std::chrono::seconds{ts}});
    o.replay = guard.get();
    auto verifier = bankflow::webhook_verifier::create(o);
    if (!headers || !verifier) return 1;
    return race(std::atoi(argv[6]), std::atol(argv[7]), [&](tally& t) {
      auto ev = verifier->verify(std::span<const bankflow::header_field>(*headers), body);
      if (ev) {
        t.accepted.fetch_add(1);
      } else if (ev.error().code == bankflow::errc::replayed) {
        t.rejected.fetch_add(1);
      } else {
        t.error(ev.error());
      }
    });
  }

  if (mode == "rate") {
    const std::string session = argv[4];
    std::unique_ptr<bankflow::rate_limit_store> store;
    if (s.redis) {
      store = bankflow::make_redis_rate_limit_store(*s.redis).value();
    } else {
      auto st = bankflow::make_sql_rate_limit_store(*s.db);
      if (!st) {
        std::cerr << st.error().to_string() << '\n';
        return 1;
      }
      store = std::move(*st);
    }
    bankflow::rate_limiter limiter(*store);
    limiter.set_limit("upload", {static_cast<std::uint32_t>(std::atoi(argv[7])), std::chrono::hours(1)});
    return race(std::atoi(argv[5]), std::atol(argv[6]), [&](tally& t) {
      auto d = limiter.allow(session, "upload");
      if (!d) {
        t.error(d.error());
      } else if (d->allowed) {
        t.accepted.fetch_add(1);
      } else {
        t.rejected.fetch_add(1);
      }
    });
  }
  return usage();
}
