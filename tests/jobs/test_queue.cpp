// One suite for every job queue backend: memory always, Redis when BANKFLOW_TEST_REDIS_URL is set.

#include <bankflow/jobs.hpp>
#include <bankflow/redis.hpp>

#include "../store/test_support.hpp"
#include "jobs_queue_backends.hpp"
#include "jobs_test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using bankflow::queue_item;
using bankflow::queue_options;
namespace test = bankflow::test;
using namespace std::chrono_literals;

namespace {

queue_item take_now(bankflow::job_queue& q, std::chrono::milliseconds wait = 2s) {
  auto r = q.take(wait);
  REQUIRE(r);
  REQUIRE(*r);
  return **r;
}

bool nothing_due(bankflow::job_queue& q) {
  auto r = q.take(0ms);
  REQUIRE(r);
  return !*r;
}

}  // namespace

TEST_CASE("a queue hands items out in order, once each, and forgets acked ones", "[jobs][queue]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      auto q = backend.make({});
      CHECK(*q->depth() == 0);
      CHECK(nothing_due(*q));
      REQUIRE(q->push("a"));
      REQUIRE(q->push("b"));
      REQUIRE(q->push("c"));
      CHECK(*q->depth() == 3);
      const auto a = take_now(*q);
      CHECK(a.job_id == "a");
      CHECK(a.attempt == 1);
      CHECK_FALSE(a.receipt.empty());
      CHECK(*q->depth() == 2);  // leased items are not waiting
      const auto b = take_now(*q);
      CHECK(b.job_id == "b");
      CHECK(b.receipt != a.receipt);
      REQUIRE(q->ack(a));
      REQUIRE(q->ack(b));
      REQUIRE(q->ack(b));  // twice: harmless
      CHECK(take_now(*q).job_id == "c");
      CHECK(*q->depth() == 0);
      CHECK(nothing_due(*q));
      CHECK(q->dead_letters()->empty());
    }
  }
}

TEST_CASE("a taken item that is never acked is handed out again after its lease", "[jobs][queue]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      // The first consumer stands for a worker process that is killed while holding the item.
      auto dying = backend.make({.lease = 200ms});
      REQUIRE(dying->push("job-1"));
      const auto first = take_now(*dying);
      dying.reset();

      auto survivor = backend.make({.lease = 200ms});
      CHECK(nothing_due(*survivor));  // still leased
      const auto second = take_now(*survivor, 5s);
      CHECK(second.job_id == "job-1");
      CHECK(second.attempt == 2);
      CHECK(second.receipt != first.receipt);
      // The dead worker's receipt no longer counts: its ack and retry change nothing.
      REQUIRE(survivor->ack(first));
      auto stale_retry = survivor->retry(first, "late");
      REQUIRE(stale_retry);
      CHECK(*stale_retry);
      CHECK(*survivor->depth() == 0);
      CHECK(nothing_due(*survivor));
      REQUIRE(survivor->ack(second));
      std::this_thread::sleep_for(300ms);  // past the lease: an acked item never comes back
      CHECK(nothing_due(*survivor));
      CHECK(*survivor->depth() == 0);
    }
  }
}

TEST_CASE("retries wait an exponential backoff while other items go first", "[jobs][queue]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      auto q = backend.make({.max_attempts = 5, .backoff = 100ms, .max_backoff = 250ms});
      REQUIRE(q->push("slow"));
      auto item = take_now(*q);
      REQUIRE(q->push("fresh"));
      auto retried = q->retry(item, "io_error: disk full");
      REQUIRE(retried);
      CHECK(*retried);
      CHECK(*q->depth() == 2);  // delayed items are waiting
      // The fresh item is due now, the retried one only after its delay.
      auto fresh = take_now(*q, 0ms);
      CHECK(fresh.job_id == "fresh");
      REQUIRE(q->ack(fresh));
      CHECK(nothing_due(*q));

      std::vector<std::chrono::milliseconds> expected_delays = {100ms, 200ms, 250ms};
      for (std::size_t i = 0; i < expected_delays.size(); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        item = take_now(*q, 5s);
        const auto waited = std::chrono::steady_clock::now() - t0;
        CHECK(item.job_id == "slow");
        CHECK(item.attempt == static_cast<int>(i) + 2);
        // Never early (a lower bound only; how late depends on the machine).
        CHECK(waited >= expected_delays[i] - 20ms);
        if (i + 1 < expected_delays.size()) REQUIRE(*q->retry(item, "again"));
      }
      REQUIRE(q->ack(item));
    }
  }
}

TEST_CASE("an item goes to the dead letters after max_attempts", "[jobs][queue]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      auto q = backend.make({.max_attempts = 3, .backoff = 1ms, .max_backoff = 1ms});
      REQUIRE(q->push("doomed"));
      REQUIRE(q->push("fine"));
      std::vector<bool> answers;
      for (int i = 1; i <= 3; ++i) {
        auto item = take_now(*q);
        if (item.job_id == "fine") {
          REQUIRE(q->ack(item));
          item = take_now(*q);
        }
        CHECK(item.job_id == "doomed");
        CHECK(item.attempt == i);
        auto r = q->retry(item, "storage_error: attempt " + std::to_string(i));
        REQUIRE(r);
        answers.push_back(*r);
      }
      CHECK(answers == std::vector<bool>{true, true, false});
      CHECK(*q->depth() == 0);
      std::this_thread::sleep_for(20ms);
      CHECK(nothing_due(*q));
      auto dead = q->dead_letters();
      REQUIRE(dead);
      REQUIRE(dead->size() == 1);
      CHECK((*dead)[0] == std::pair<std::string, std::string>("doomed", "storage_error: attempt 3"));

      // Pushed again (a manual replay), it starts over with a fresh count.
      REQUIRE(q->push("doomed"));
      CHECK(take_now(*q).attempt == 1);
    }
  }
}

TEST_CASE("an item whose last lease runs out goes to the dead letters", "[jobs][queue]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      auto q = backend.make({.lease = 100ms, .max_attempts = 1});
      REQUIRE(q->push("crashes-its-worker"));
      (void)take_now(*q);
      std::this_thread::sleep_for(200ms);
      CHECK(nothing_due(*q));
      auto dead = q->dead_letters();
      REQUIRE(dead);
      REQUIRE(dead->size() == 1);
      CHECK((*dead)[0].first == "crashes-its-worker");
      CHECK((*dead)[0].second.find("ran out") != std::string::npos);
    }
  }
}

TEST_CASE("concurrent consumers never hold the same item and each item is processed once", "[jobs][queue]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      constexpr int items = 400;
      constexpr int consumers = 8;
      auto producer = backend.make({});
      for (int i = 0; i < items; ++i) REQUIRE(producer->push("item-" + std::to_string(i)));

      std::mutex m;
      std::map<std::string, int> processed;
      std::set<std::string> in_hand;
      std::atomic<int> overlaps{0};
      std::atomic<int> errors{0};
      std::vector<std::thread> threads;
      for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&, queue = std::shared_ptr<bankflow::job_queue>(backend.make({}))] {
          for (;;) {
            auto r = queue->take(50ms);
            if (!r) {
              ++errors;
              return;
            }
            if (!*r) return;  // drained
            const queue_item item = **r;
            {
              std::lock_guard lock(m);
              if (!in_hand.insert(item.job_id).second) ++overlaps;
              ++processed[item.job_id];
            }
            std::this_thread::yield();  // hold it a moment, as a worker would
            {
              std::lock_guard lock(m);
              in_hand.erase(item.job_id);
            }
            if (!queue->ack(item)) ++errors;
          }
        });
      }
      for (auto& t : threads) t.join();
      CHECK(errors == 0);
      CHECK(overlaps == 0);
      CHECK(processed.size() == static_cast<std::size_t>(items));
      for (const auto& [id, n] : processed) CHECK(n == 1);
      CHECK(*producer->depth() == 0);
    }
  }
}

TEST_CASE("the memory queue's leases and backoff follow the injected clock", "[jobs][queue]") {
  test::manual_clock clock;
  auto q = bankflow::make_memory_job_queue({.lease = 10s, .backoff = 1s, .max_backoff = 4s, .clock = clock.fn()}).value();
  REQUIRE(q->push("x"));
  auto first = take_now(*q);
  clock.advance(9999ms);
  CHECK(nothing_due(*q));
  clock.advance(1ms);
  auto second = take_now(*q, 0ms);
  CHECK(second.attempt == 2);
  REQUIRE(*q->retry(second, "transient"));  // due after 2 s (attempt 2)
  clock.advance(1999ms);
  CHECK(nothing_due(*q));
  clock.advance(1ms);
  CHECK(take_now(*q, 0ms).attempt == 3);
}

TEST_CASE("a dead letter is requeued with a fresh count or discarded; other ids are not_found", "[jobs][queue][ops]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      test::manual_clock clock;
      auto q = backend.make({.max_attempts = 1, .clock = clock.fn()});
      const bankflow::timestamp first(std::chrono::milliseconds(clock.ms.load()));
      REQUIRE(q->push("a"));
      REQUIRE(q->push("b"));
      CHECK_FALSE(*q->retry(take_now(*q), "storage_error: a"));
      clock.advance(1s);
      CHECK_FALSE(*q->retry(take_now(*q), "storage_error: b"));
      auto dead = q->list_dead_letters();
      REQUIRE(dead);
      REQUIRE(dead->size() == 2);
      CHECK((*dead)[0].job_id == "a");
      CHECK((*dead)[0].reason == "storage_error: a");
      CHECK((*dead)[0].died_at == first);
      CHECK((*dead)[1].job_id == "b");
      CHECK((*dead)[1].died_at == first + 1s);

      for (const char* unknown : {"nope", ""}) {
        CHECK(q->requeue_dead_letter(unknown).error().code == bankflow::errc::not_found);
        CHECK(q->discard_dead_letter(unknown).error().code == bankflow::errc::not_found);
      }

      REQUIRE(q->requeue_dead_letter("a"));
      CHECK(q->requeue_dead_letter("a").error().code == bankflow::errc::not_found);  // not dead any more
      CHECK(*q->depth() == 1);
      const auto again = take_now(*q);
      CHECK(again.job_id == "a");
      CHECK(again.attempt == 1);
      REQUIRE(q->ack(again));

      REQUIRE(q->discard_dead_letter("b"));
      CHECK(q->discard_dead_letter("b").error().code == bankflow::errc::not_found);
      CHECK(q->list_dead_letters()->empty());
      CHECK(q->dead_letters()->empty());
      CHECK(*q->depth() == 0);
      CHECK(nothing_due(*q));
    }
  }
}

TEST_CASE("a user's queue without dead-letter support lists them undated and refuses to change them",
          "[jobs][queue][ops]") {
  struct minimal final : bankflow::job_queue {
    bankflow::result<void> push(std::string_view) override { return {}; }
    bankflow::result<std::optional<queue_item>> take(std::chrono::milliseconds) override {
      return std::optional<queue_item>();
    }
    bankflow::result<void> ack(const queue_item&) override { return {}; }
    bankflow::result<bool> retry(const queue_item&, std::string_view) override { return true; }
    bankflow::result<std::size_t> depth() override { return std::size_t{0}; }
    bankflow::result<std::vector<std::pair<std::string, std::string>>> dead_letters() override {
      return std::vector<std::pair<std::string, std::string>>{{"x", "why"}};
    }
  } q;
  auto dead = q.list_dead_letters();
  REQUIRE(dead);
  REQUIRE(dead->size() == 1);
  CHECK((*dead)[0].job_id == "x");
  CHECK((*dead)[0].reason == "why");
  CHECK((*dead)[0].died_at == bankflow::timestamp{});
  CHECK(q.requeue_dead_letter("x").error().code == bankflow::errc::invalid_argument);
  CHECK(q.discard_dead_letter("x").error().code == bankflow::errc::invalid_argument);
}
