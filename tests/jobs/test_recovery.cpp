// What survives a crash and what does not stay: the in-process queue starts from the store's
// unfinished jobs, uploads go once their job is finished, the disk quota, and a damaged SQLite
// file is found before it serves.

#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/session.hpp>

#include "../store/test_support.hpp"
#include "jobs_test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <thread>

using bankflow::errc;
using bankflow::job;
using bankflow::job_status;
using bankflow::job_store;
namespace fs = std::filesystem;
namespace test = bankflow::test;
using namespace std::chrono_literals;

namespace {

const fs::path corpus = BANKFLOW_CORPUS_DIR;

std::optional<bankflow::queue_item> take(bankflow::job_queue& q) {
  auto r = q.take(0ms);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("an in-process queue opened on a store takes up the jobs a killed process left", "[jobs][queue]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = job_store::open(*db, {.clock = clock.fn()});
      REQUIRE(jobs);
      std::vector<std::string> ids;
      for (int i = 0; i < 5; ++i) {
        ids.push_back(job_store::new_job_id());
        REQUIRE(jobs->create(ids.back(), "owner", "a.csv", 1));
        clock.advance(1ms);
      }
      // ids[0] was being processed when the process died; ids[1] had failed once and waits for
      // its retry; ids[2] and ids[3] were waiting; ids[4] is done.
      REQUIRE(jobs->start(ids[0])->status == job_status::processing);
      REQUIRE(jobs->start(ids[1]));
      REQUIRE(jobs->requeue(ids[1], bankflow::make_error(errc::io_error, "disk hiccup")));
      REQUIRE(jobs->start(ids[4]));
      REQUIRE(jobs->complete(ids[4], job{}));
      clock.advance(5s);

      auto q = bankflow::make_memory_job_queue(*jobs, {.lease = 30s, .max_attempts = 3, .clock = clock.fn()});
      REQUIRE(q);
      CHECK(*(*q)->depth() == 3);  // the processing one is leased, not waiting
      std::vector<std::string> taken;
      for (int i = 0; i < 3; ++i) {
        auto item = take(**q);
        REQUIRE(item);
        taken.push_back(item->job_id);
        CHECK(item->attempt == (item->job_id == ids[1] ? 2 : 1));  // attempts go on from the store's
        REQUIRE((*q)->ack(*item));
      }
      CHECK(taken == std::vector<std::string>{ids[1], ids[2], ids[3]});
      CHECK_FALSE(take(**q));  // ids[0]'s lease runs 30 s from its start

      clock.advance(25s);  // 30 s after ids[0] started: its lease has run out
      auto again = take(**q);
      REQUIRE(again);
      CHECK(again->job_id == ids[0]);
      CHECK(again->attempt == 2);
      REQUIRE((*q)->ack(*again));
      CHECK_FALSE(take(**q));
      CHECK((*q)->dead_letters()->empty());
    }
  }
}

TEST_CASE("a job that died on its last attempt goes to the dead letters when its lease runs out",
          "[jobs][queue]") {
  test::sql_targets targets(false);
  auto db = bankflow::database::open(targets.all().front().url);
  REQUIRE(db);
  test::manual_clock clock;
  auto jobs = job_store::open(*db, {.clock = clock.fn()});
  REQUIRE(jobs);
  const std::string id = job_store::new_job_id();
  REQUIRE(jobs->create(id, "owner", "a.csv", 1));
  for (int i = 0; i < 2; ++i) REQUIRE(jobs->start(id));  // attempt 2 of 2 was running
  auto q = bankflow::make_memory_job_queue(*jobs, {.lease = 1s, .max_attempts = 2, .clock = clock.fn()});
  REQUIRE(q);
  clock.advance(2s);
  CHECK_FALSE(take(**q));
  auto dead = (*q)->dead_letters();
  REQUIRE(dead);
  REQUIRE(dead->size() == 1);
  CHECK((*dead)[0].first == id);
  CHECK(jobs->get(id)->status == job_status::processing);  // the store does not know yet
}

TEST_CASE("the janitor fails at once a job whose worker died on its last attempt", "[jobs][queue]") {
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  test::manual_clock clock;
  auto jobs = job_store::open(*db, {.clock = clock.fn()});
  REQUIRE(jobs);
  bankflow::job_paths paths{dir.path() / "data"};
  REQUIRE(paths.prepare());
  const std::string id = job_store::new_job_id(), done = job_store::new_job_id();
  test::spit(paths.upload(id), "x");
  REQUIRE(jobs->create(id, "owner", "a.csv", 1));
  REQUIRE(jobs->create(done, "owner", "b.csv", 1));
  for (int i = 0; i < 2; ++i) REQUIRE(jobs->start(id));  // attempt 2 of 2 was running
  REQUIRE(jobs->start(done));
  REQUIRE(jobs->complete(done, job{}));
  auto q = bankflow::make_memory_job_queue(*jobs, {.lease = 1s, .max_attempts = 2, .clock = clock.fn()});
  REQUIRE(q);
  clock.advance(2s);
  CHECK_FALSE(take(**q));  // the lease ran out: a dead letter
  auto failed = bankflow::fail_dead_letters(*jobs, **q, paths);
  REQUIRE(failed);
  CHECK(*failed == 1);
  auto j = jobs->get(id);
  CHECK(j->status == job_status::failed);
  CHECK(j->error_code == "storage_error");
  CHECK_FALSE(fs::exists(paths.upload(id)));
  CHECK(jobs->get(done)->status == job_status::completed);  // finished jobs are left alone
  auto again = bankflow::fail_dead_letters(*jobs, **q, paths);  // idempotent
  REQUIRE(again);
  CHECK(*again == 0);
}

TEST_CASE("workers on a recovered queue finish what a killed process left", "[jobs]") {
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  auto jobs = job_store::open(*db);
  REQUIRE(jobs);
  bankflow::job_paths paths{dir.path() / "data"};
  REQUIRE(paths.prepare());
  const std::string bytes = test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(job_store::new_job_id());
    test::spit(paths.upload(ids.back()), bytes);
    REQUIRE(jobs->create(ids.back(), "owner", "itau.csv", bytes.size()));
  }
  REQUIRE(jobs->start(ids[0]));  // the killed process's worker had it

  auto queue = bankflow::make_memory_job_queue(*jobs, {.lease = 200ms});
  REQUIRE(queue);
  auto events = bankflow::make_memory_job_events().value();
  bankflow::job_worker worker(*jobs, **queue, *events, paths, {.threads = 1, .poll = 20ms});
  for (int i = 0; i < 500; ++i) {
    bool all = true;
    for (const auto& id : ids) all = all && jobs->get(id)->status == job_status::completed;
    if (all) break;
    std::this_thread::sleep_for(10ms);
  }
  worker.stop();
  for (const auto& id : ids) {
    CHECK(jobs->get(id)->status == job_status::completed);
    CHECK_FALSE(fs::exists(paths.upload(id)));  // only the results stay
    CHECK(fs::exists(paths.result(id, "csv")));
  }
}

TEST_CASE("an upload is deleted once its job is completed or failed for good, kept while it may be retried",
          "[jobs]") {
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  auto jobs = job_store::open(*db);
  REQUIRE(jobs);
  bankflow::job_paths paths{dir.path() / "data"};
  REQUIRE(paths.prepare());
  auto events = bankflow::make_memory_job_events().value();
  const auto add = [&](std::string_view bytes) {
    const std::string id = job_store::new_job_id();
    test::spit(paths.upload(id), bytes);
    REQUIRE(jobs->create(id, "owner", "x.csv", bytes.size()));
    return id;
  };

  SECTION("completed") {
    const std::string id = add(test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv"));
    REQUIRE(bankflow::process_job(*jobs, *events, paths, id)->status == job_status::completed);
    CHECK_FALSE(fs::exists(paths.upload(id)));
    for (const char* style : {"csv", "excel-br", "json"}) CHECK(fs::exists(paths.result(id, style)));
  }
  SECTION("failed on its content") {
    const std::string id = add(test::slurp(corpus / "invalid/n_extrato.xls"));
    REQUIRE(bankflow::process_job(*jobs, *events, paths, id)->status == job_status::failed);
    CHECK_FALSE(fs::exists(paths.upload(id)));
  }
  SECTION("found finished already (a crash between finishing and deleting)") {
    const std::string id = add("whatever");
    REQUIRE(jobs->start(id));
    REQUIRE(jobs->complete(id, job{}));
    REQUIRE(bankflow::process_job(*jobs, *events, paths, id)->status == job_status::completed);
    CHECK_FALSE(fs::exists(paths.upload(id)));
  }
  SECTION("a transient failure keeps it for the next attempt; the last attempt deletes it") {
    const std::string id = add(test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv"));
    // results/ is a file: writing the results fails (io_error) on every attempt
    fs::remove_all(paths.data_dir / "results");
    test::spit(paths.data_dir / "results", "not a directory");
    auto queue = bankflow::make_memory_job_queue({.lease = 30s, .max_attempts = 2, .backoff = 1ms, .max_backoff = 2ms}).value();
    REQUIRE(queue->push(id));
    auto first = bankflow::process_job(*jobs, *events, paths, id);
    REQUIRE_FALSE(first);
    CHECK(first.error().code == errc::io_error);
    CHECK(fs::exists(paths.upload(id)));  // may be retried
    bankflow::job_worker worker(*jobs, *queue, *events, paths, {.threads = 1, .poll = 20ms});
    for (int i = 0; i < 500 && jobs->get(id)->status != job_status::failed; ++i) std::this_thread::sleep_for(10ms);
    worker.stop();
    const job j = *jobs->get(id);
    REQUIRE(j.status == job_status::failed);
    CHECK_FALSE(fs::exists(paths.upload(id)));
    CHECK(j.error_code == "io_error");
    // the owner reads the job: no path of the server's disk in it (the dead letter has it)
    CHECK(j.error.find(dir.path().string()) == std::string::npos);
    CHECK(j.error.find("could not read or write") != std::string::npos);
    auto dead = queue->dead_letters();
    REQUIRE(dead);
    REQUIRE(dead->size() == 1);
    CHECK((*dead)[0].second.find("io_error") != std::string::npos);
  }
}

TEST_CASE("the janitor deletes the upload of a job whose last worker died", "[jobs]") {
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  test::manual_clock clock;
  auto sessions = bankflow::session_store::open(*db, {.lifetime = 24h, .clock = clock.fn()});
  REQUIRE(sessions);
  auto jobs = job_store::open(*db, {.clock = clock.fn()});
  REQUIRE(jobs);
  bankflow::job_paths paths{dir.path() / "data"};
  REQUIRE(paths.prepare());
  const std::string id = job_store::new_job_id();
  test::spit(paths.upload(id), "x");
  REQUIRE(jobs->create(id, "owner", "a.csv", 1));
  REQUIRE(jobs->start(id));
  clock.advance(2h);
  REQUIRE(bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min}));
  CHECK(jobs->get(id)->status == job_status::failed);
  CHECK_FALSE(fs::exists(paths.upload(id)));
}

TEST_CASE("the disk quota counts uploads and results and refuses what would pass it", "[jobs]") {
  test::temp_dir dir;
  bankflow::job_paths paths{dir.path()};
  REQUIRE(paths.prepare());
  CHECK(paths.disk_usage() == 0);
  const std::string a = job_store::new_job_id();
  test::spit(paths.upload(a), std::string(600, 'x'));
  test::spit(paths.result(a, "csv"), std::string(300, 'y'));
  test::spit(dir.path() / "bankflow.db", std::string(5000, 'z'));  // not counted: not a job file
  CHECK(paths.disk_usage() == 900);
  CHECK(paths.check_room(100, 1000));
  CHECK(paths.check_room(100, 0));  // 0: no quota
  auto full = paths.check_room(101, 1000);
  REQUIRE_FALSE(full);
  CHECK(full.error().code == errc::insufficient_storage);
  CHECK(full.error().message.find("900 of 1000 bytes") != std::string::npos);
  CHECK(full.error().message.find(dir.path().string()) == std::string::npos);
  paths.remove_upload(a);
  paths.remove_upload(a);  // already gone: fine
  CHECK(paths.disk_usage() == 300);
  CHECK(paths.check_room(700, 1000));
  // however large the quota, a disk that cannot hold the upload refuses it
  auto huge = paths.check_room(std::uint64_t(1) << 62, 0);
  REQUIRE_FALSE(huge);
  CHECK(huge.error().code == errc::insufficient_storage);
}

TEST_CASE("an intact database passes its integrity check", "[store]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      CHECK(db->check_integrity());
      REQUIRE(job_store::open(*db));
      CHECK(db->check_integrity());
      CHECK(db->check_integrity(60s));
    }
  }
}

TEST_CASE("a SQLite file with a damaged tail fails its integrity check", "[store]") {
  test::temp_dir dir;
  const fs::path file = dir.path() / "bank.db";
  const std::string url = "sqlite://" + file.string();
  {
    auto db = bankflow::database::open(url);
    REQUIRE(db);
    CHECK(db->check_integrity());
    auto jobs = job_store::open(*db);
    REQUIRE(jobs);
    for (int i = 0; i < 400; ++i)
      REQUIRE(jobs->create(job_store::new_job_id(), "owner-" + std::to_string(i), std::string(200, 'n'), 1));
    CHECK(db->check_integrity());
  }  // closed: the WAL is checkpointed into the file
  REQUIRE(fs::file_size(file) > 64 * 1024);
  {
    // the last 16 KiB overwritten with noise, as a torn write or a bad disk leaves them
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) - 16 * 1024));
    std::mt19937 noise(42);
    for (int i = 0; i < 16 * 1024; ++i) f.put(static_cast<char>(noise()));
  }
  auto db = bankflow::database::open(url);
  REQUIRE(db);  // the header is fine: it opens
  auto check = db->check_integrity();
  REQUIRE_FALSE(check);
  CHECK(check.error().code == errc::storage_error);
  CHECK(check.error().message.find("is damaged") != std::string::npos);
  CHECK_FALSE(db->check_integrity(60s));  // a failure is remembered too
}
