// Job events on the memory bus and on Redis pub/sub (a publisher and a subscriber on separate
// redis_clients, as two processes would be).

#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/redis.hpp>

#include "../store/test_support.hpp"
#include "jobs_queue_backends.hpp"
#include "jobs_test_support.hpp"
#include "store/redis.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using bankflow::job;
using bankflow::job_status;
namespace test = bankflow::test;
using namespace std::chrono_literals;

namespace {

// A publishing side and a subscribing side of one backend.
struct bus_pair {
  std::string name;
  std::unique_ptr<bankflow::redis_client> pub_client, sub_client;
  std::shared_ptr<bankflow::job_events> publisher, subscriber;
  std::string prefix;
};

class event_backends {
 public:
  event_backends() {
    auto memory = std::shared_ptr<bankflow::job_events>(bankflow::make_memory_job_events().value());
    pairs_.push_back({"memory", nullptr, nullptr, memory, memory, ""});
    if (auto url = test::redis_url()) {
      url_ = *url;
      prefix_ = "bftest:" + test::unique_suffix() + ":";
      bus_pair p{"redis", nullptr, nullptr, nullptr, nullptr, prefix_};
      auto a = bankflow::redis_client::connect(url_, {.key_prefix = prefix_});
      auto b = bankflow::redis_client::connect(url_, {.key_prefix = prefix_});
      REQUIRE(a);
      REQUIRE(b);
      p.pub_client = std::make_unique<bankflow::redis_client>(std::move(*a));
      p.sub_client = std::make_unique<bankflow::redis_client>(std::move(*b));
      auto pe = bankflow::make_redis_job_events(*p.pub_client);
      auto se = bankflow::make_redis_job_events(*p.sub_client);
      REQUIRE(pe);
      REQUIRE(se);
      p.publisher = std::move(*pe);
      p.subscriber = std::move(*se);
      pairs_.push_back(std::move(p));
    }
  }
  ~event_backends() {
    pairs_.clear();
    if (!url_.empty()) test::delete_redis_keys(url_, prefix_);
  }
  std::vector<bus_pair>& all() { return pairs_; }

 private:
  std::vector<bus_pair> pairs_;
  std::string url_, prefix_;
};

struct inbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> got;
  std::function<void(const std::string&)> callback() {
    return [this](const std::string& json) {
      std::lock_guard lock(mutex);
      got.push_back(json);
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds limit = 5s) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, limit, [&] { return got.size() >= n; });
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return got.size();
  }
};

job make_job(job_status s, const std::string& id = bankflow::job_store::new_job_id()) {
  job j;
  j.id = id;
  j.status = s;
  j.filename = "f.csv";
  return j;
}

// How many subscribers Redis has on a job's channel.
long long redis_subscribers(bankflow::redis_client& c, const std::string& prefix, const std::string& job_id) {
  auto r = bankflow::detail::redis_access::pool(c).command({"PUBSUB", "NUMSUB", prefix + "jobs:events:" + job_id});
  REQUIRE(r);
  REQUIRE(r->elements.size() == 2);
  return r->elements[1].integer;
}

}  // namespace

TEST_CASE("a subscriber receives every later change of its job, in order, and no other job's", "[jobs][events]") {
  event_backends backends;
  for (auto& b : backends.all()) {
    SECTION(b.name) {
      const std::string id = bankflow::job_store::new_job_id();
      inbox mine, other;
      auto sub = b.subscriber->subscribe(id, mine.callback());
      REQUIRE(sub);
      auto other_sub = b.subscriber->subscribe(bankflow::job_store::new_job_id(), other.callback());
      REQUIRE(other_sub);
      const job states[] = {make_job(job_status::processing, id), make_job(job_status::completed, id)};
      for (const auto& j : states) REQUIRE(b.publisher->publish(j));
      REQUIRE(mine.wait_for(2));
      std::this_thread::sleep_for(50ms);
      std::lock_guard lock(mine.mutex);
      CHECK(mine.got == std::vector<std::string>{bankflow::to_json(states[0]), bankflow::to_json(states[1])});
      CHECK(other.size() == 0);
    }
  }
}

TEST_CASE("dropping a subscription stops its callbacks; the job's other subscriptions go on", "[jobs][events]") {
  event_backends backends;
  for (auto& b : backends.all()) {
    SECTION(b.name) {
      const std::string id = bankflow::job_store::new_job_id();
      inbox first, second;
      auto s1 = b.subscriber->subscribe(id, first.callback());
      auto s2 = b.subscriber->subscribe(id, second.callback());
      REQUIRE(s1);
      REQUIRE(s2);
      REQUIRE(b.publisher->publish(make_job(job_status::processing, id)));
      REQUIRE(first.wait_for(1));
      REQUIRE(second.wait_for(1));
      s1->reset();
      REQUIRE(b.publisher->publish(make_job(job_status::completed, id)));
      REQUIRE(second.wait_for(2));
      std::this_thread::sleep_for(50ms);
      CHECK(first.size() == 1);
      if (b.sub_client) CHECK(redis_subscribers(*b.pub_client, b.prefix, id) == 1);
      s2->reset();
      if (b.sub_client) {
        // The last subscription of the job gone: the process unsubscribes from its channel.
        long long n = -1;
        for (int i = 0; i < 200 && n != 0; ++i) {
          n = redis_subscribers(*b.pub_client, b.prefix, id);
          if (n != 0) std::this_thread::sleep_for(10ms);
        }
        CHECK(n == 0);
      }
    }
  }
}

TEST_CASE("a callback never runs once its subscription is destroyed, even mid-stream", "[jobs][events]") {
  event_backends backends;
  for (auto& b : backends.all()) {
    SECTION(b.name) {
      const std::string id = bankflow::job_store::new_job_id();
      std::atomic<bool> stop{false};
      std::thread publisher([&] {
        while (!stop) {
          (void)b.publisher->publish(make_job(job_status::processing, id));
          std::this_thread::sleep_for(200us);
        }
      });
      std::atomic<int> after_destroy{0};
      std::atomic<int> delivered{0};
      for (int round = 0; round < 20; ++round) {
        auto destroyed = std::make_shared<std::atomic<bool>>(false);
        auto sub = b.subscriber->subscribe(id, [destroyed, &after_destroy, &delivered](const std::string&) {
          std::this_thread::sleep_for(100us);  // widen the window
          if (*destroyed) ++after_destroy;
          ++delivered;
        });
        REQUIRE(sub);
        std::this_thread::sleep_for(5ms);
        sub->reset();
        *destroyed = true;
      }
      stop = true;
      publisher.join();
      CHECK(after_destroy == 0);
      CHECK(delivered > 0);
    }
  }
}

TEST_CASE("a subscription may be dropped from inside its own callback", "[jobs][events]") {
  event_backends backends;
  for (auto& b : backends.all()) {
    SECTION(b.name) {
      const std::string id = bankflow::job_store::new_job_id();
      std::mutex m;
      std::condition_variable cv;
      std::unique_ptr<bankflow::job_subscription> sub;
      int calls = 0;
      auto made = b.subscriber->subscribe(id, [&](const std::string&) {
        std::lock_guard lock(m);
        ++calls;
        sub.reset();
        cv.notify_all();
      });
      REQUIRE(made);
      {
        std::lock_guard lock(m);
        sub = std::move(*made);
      }
      REQUIRE(b.publisher->publish(make_job(job_status::processing, id)));
      REQUIRE(b.publisher->publish(make_job(job_status::completed, id)));
      std::unique_lock lock(m);
      REQUIRE(cv.wait_for(lock, 5s, [&] { return calls > 0; }));
      lock.unlock();
      std::this_thread::sleep_for(50ms);
      lock.lock();
      CHECK(calls == 1);
      CHECK(sub == nullptr);
    }
  }
}

TEST_CASE("the Redis subscriber reconnects and subscribes again after its connection is killed", "[jobs][events]") {
  auto url = test::redis_url();
  if (!url) return;
  const std::string prefix = "bftest:" + test::unique_suffix() + ":";
  auto pub_client = bankflow::redis_client::connect(*url, {.key_prefix = prefix});
  auto sub_client = bankflow::redis_client::connect(*url, {.key_prefix = prefix});
  REQUIRE(pub_client);
  REQUIRE(sub_client);
  auto publisher = bankflow::make_redis_job_events(*pub_client);
  auto subscriber = bankflow::make_redis_job_events(*sub_client);
  REQUIRE(publisher);
  REQUIRE(subscriber);
  const std::string id = bankflow::job_store::new_job_id();
  inbox got;
  auto sub = (*subscriber)->subscribe(id, got.callback());
  REQUIRE(sub);

  // Kill exactly this bus's connection (found by its client name), nobody else's.
  auto& pool = bankflow::detail::redis_access::pool(*pub_client);
  auto list = pool.command({"CLIENT", "LIST"});
  REQUIRE(list);
  std::string victim;
  const std::string name = "name=bankflow-jobs-events:" + prefix;
  std::size_t pos = 0;
  for (std::size_t nl; pos < list->str.size(); pos = nl + 1) {
    nl = list->str.find('\n', pos);
    if (nl == std::string::npos) nl = list->str.size();
    const std::string line = list->str.substr(pos, nl - pos);
    if (line.find(name + " ") == std::string::npos) continue;
    victim = line.substr(3, line.find(' ') - 3);  // "id=N ..."
  }
  REQUIRE_FALSE(victim.empty());
  auto killed = pool.command({"CLIENT", "KILL", "ID", victim});
  REQUIRE(killed);
  CHECK(killed->integer == 1);

  long long n = 0;
  for (int i = 0; i < 500 && n != 1; ++i) {
    std::this_thread::sleep_for(10ms);
    n = redis_subscribers(*pub_client, prefix, id);
  }
  REQUIRE(n == 1);
  const job j = make_job(job_status::completed, id);
  REQUIRE((*publisher)->publish(j));
  REQUIRE(got.wait_for(1));
  std::lock_guard lock(got.mutex);
  CHECK(got.got.back() == bankflow::to_json(j));
}

TEST_CASE("a worker on Redis processes a job another process queued and a third one streams", "[jobs][events]") {
  auto url = test::redis_url();
  if (!url) return;
  const std::string prefix = "bftest:" + test::unique_suffix() + ":";
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  auto jobs = bankflow::job_store::open(*db);
  REQUIRE(jobs);
  bankflow::job_paths paths{dir.path() / "data"};
  REQUIRE(paths.prepare());

  auto api = bankflow::redis_client::connect(*url, {.key_prefix = prefix});
  auto stream = bankflow::redis_client::connect(*url, {.key_prefix = prefix});
  auto work = bankflow::redis_client::connect(*url, {.key_prefix = prefix});
  REQUIRE(api);
  REQUIRE(stream);
  REQUIRE(work);
  auto api_queue = bankflow::make_redis_job_queue(*api);
  auto stream_events = bankflow::make_redis_job_events(*stream);
  auto work_queue = bankflow::make_redis_job_queue(*work);
  auto work_events = bankflow::make_redis_job_events(*work);
  REQUIRE(api_queue);
  REQUIRE(stream_events);
  REQUIRE(work_queue);
  REQUIRE(work_events);

  const std::string bytes = test::slurp(std::filesystem::path(BANKFLOW_CORPUS_DIR) / "itau/itau-extrato-csv-2025-03-no-futuros.csv");
  const std::string id = bankflow::job_store::new_job_id();
  test::spit(paths.upload(id), bytes);
  REQUIRE(jobs->create(id, "owner", "itau.csv", bytes.size()));
  inbox got;
  auto sub = (*stream_events)->subscribe(id, got.callback());
  REQUIRE(sub);
  bankflow::job_worker worker(*jobs, **work_queue, **work_events, paths, {.threads = 2, .poll = 50ms});
  REQUIRE((*api_queue)->push(id));
  REQUIRE(got.wait_for(2));
  worker.stop();
  const job done = *jobs->get(id);
  CHECK(done.status == job_status::completed);
  std::lock_guard lock(got.mutex);
  CHECK(got.got.front().find("\"status\": \"processing\"") != std::string::npos);
  CHECK(got.got.back() == bankflow::to_json(done));
  CHECK(*(*api_queue)->depth() == 0);
  sub->reset();
  test::delete_redis_keys(*url, prefix);
}
