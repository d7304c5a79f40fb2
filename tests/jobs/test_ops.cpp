// The operator console's side of the jobs: the overview, dead letters with their jobs, and sending
// one through again (a worker processes it) or discarding it, on every queue backend.

#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/session.hpp>

#include "../store/test_support.hpp"
#include "jobs_queue_backends.hpp"
#include "jobs_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

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

// A job store on a SQLite file and a prepared data directory.
struct fixture {
  test::temp_dir dir;
  test::manual_clock clock;
  bankflow::database db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string()).value();
  job_store jobs = job_store::open(db).value();
  bankflow::job_paths paths{dir.path() / "data"};
  std::unique_ptr<bankflow::job_events> events = bankflow::make_memory_job_events().value();

  fixture() { REQUIRE(paths.prepare()); }

  std::string add(std::string_view bytes) {
    const std::string id = job_store::new_job_id();
    test::spit(paths.upload(id), bytes);
    REQUIRE(jobs.create(id, "owner-secret", "itau.csv", bytes.size()));
    return id;
  }

  // Runs a worker until the job reaches `status` (bounded), then stops it.
  void work_until(bankflow::job_queue& queue, const std::string& id, job_status status) {
    bankflow::job_worker worker(jobs, queue, *events, paths, {.threads = 1, .poll = 20ms});
    for (int i = 0; i < 1000 && jobs.get(id)->status != status; ++i) std::this_thread::sleep_for(10ms);
    worker.stop();
  }
};

boost::json::value parse(const std::string& text) { return boost::json::parse(text); }

}  // namespace

TEST_CASE("the overview shows depth, dead letters, jobs by status and the last hour", "[jobs][ops]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = job_store::open(*db, {.clock = clock.fn()}).value();
      auto queue = bankflow::make_memory_job_queue({.max_attempts = 1, .clock = clock.fn()}).value();
      std::vector<std::string> ids;
      for (int i = 0; i < 3; ++i) {
        ids.push_back(job_store::new_job_id());
        REQUIRE(jobs.create(ids.back(), "o", "a.csv", 1));
        REQUIRE(queue->push(ids.back()));
      }
      auto item = queue->take(0ms).value().value();
      REQUIRE(jobs.start(item.job_id));
      REQUIRE(jobs.complete(item.job_id, job{}));
      REQUIRE(queue->ack(item));
      CHECK_FALSE(*queue->retry(queue->take(0ms).value().value(), "storage_error: down"));

      auto o = bankflow::overview(jobs, *queue);
      REQUIRE(o);
      CHECK(o->depth == 1);
      CHECK(o->dead_letters == 1);
      CHECK(o->last_hour.created == 3);
      CHECK(o->last_hour.completed == 1);
      const auto v = parse(bankflow::to_json(*o));
      CHECK(v.at("depth").as_int64() == 1);
      CHECK(v.at("dead_letters").as_int64() == 1);
      CHECK(v.at("jobs").at("pending").as_int64() == 2);
      CHECK(v.at("jobs").at("completed").as_int64() == 1);
      CHECK(v.at("jobs").at("processing").as_int64() == 0);
      CHECK(v.at("jobs").at("failed").as_int64() == 0);
      CHECK(v.at("last_hour").at("window_seconds").as_int64() == 3600);
      CHECK(v.at("last_hour").at("created").as_int64() == 3);
      CHECK(v.at("last_hour").at("completed").as_int64() == 1);
      CHECK(v.at("last_hour").at("failed").as_int64() == 0);
    }
  }
}

TEST_CASE("a dead letter the worker gave up on keeps its upload held, and once requeued a worker processes it",
          "[jobs][ops]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      fixture f;
      const std::string id = f.add(test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv"));
      // results/ is a file: writing the results fails (io_error) on every attempt
      fs::remove_all(f.paths.data_dir / "results");
      test::spit(f.paths.data_dir / "results", "not a directory");
      auto queue = backend.make({.max_attempts = 2, .backoff = 1ms, .max_backoff = 2ms});
      REQUIRE(queue->push(id));
      f.work_until(*queue, id, job_status::failed);
      REQUIRE(f.jobs.get(id)->status == job_status::failed);
      CHECK_FALSE(fs::exists(f.paths.upload(id)));
      CHECK(fs::exists(f.paths.held(id)));

      auto letters = bankflow::list_dead_letters(f.jobs, *queue);
      REQUIRE(letters);
      REQUIRE(letters->size() == 1);
      const auto& d = letters->front();
      CHECK(d.letter.job_id == id);
      CHECK(d.letter.reason.find("io_error") != std::string::npos);
      CHECK(d.letter.died_at != bankflow::timestamp{});
      CHECK(d.job_found);
      CHECK(d.status == job_status::failed);
      CHECK(d.attempts == 2);
      CHECK(d.filename == "itau.csv");
      CHECK(d.error_code == "io_error");
      const std::string json = bankflow::to_json(*letters);
      CHECK(json.find("owner-secret") == std::string::npos);
      const auto v = parse(json).at("dead_letters").at(0);
      CHECK(v.at("job_id").as_string() == id);
      CHECK(v.at("attempts").as_int64() == 2);
      CHECK(v.at("status").as_string() == "failed");
      CHECK(v.at("filename").as_string() == "itau.csv");
      CHECK(v.at("bank").is_null());
      CHECK(v.at("error_code").as_string() == "io_error");
      CHECK(v.at("died_at").as_string().ends_with("Z"));

      fs::remove(f.paths.data_dir / "results");  // the operator fixed the disk
      REQUIRE(f.paths.prepare());
      auto requeued = bankflow::requeue_dead_letter(f.jobs, *queue, f.paths, id);
      REQUIRE(requeued);
      CHECK(requeued->status == job_status::pending);
      CHECK(requeued->attempts == 0);
      CHECK(fs::exists(f.paths.upload(id)));
      CHECK(bankflow::list_dead_letters(f.jobs, *queue)->empty());
      CHECK(bankflow::requeue_dead_letter(f.jobs, *queue, f.paths, id).error().code == errc::not_found);

      f.work_until(*queue, id, job_status::completed);
      const job done = *f.jobs.get(id);
      CHECK(done.status == job_status::completed);
      CHECK(done.attempts == 1);
      CHECK(done.transactions > 0);
      CHECK(fs::exists(f.paths.result(id, "csv")));
      CHECK_FALSE(fs::exists(f.paths.upload(id)));
      CHECK_FALSE(fs::exists(f.paths.held(id)));
      CHECK(*queue->depth() == 0);
    }
  }
}

TEST_CASE("a discarded dead letter fails its job for good and deletes the held upload", "[jobs][ops]") {
  test::queue_backends backends;
  for (auto& backend : backends.all()) {
    SECTION(backend.name) {
      fixture f;
      auto jobs = job_store::open(f.db, {.clock = f.clock.fn()}).value();
      auto queue = backend.make({.lease = 1s, .max_attempts = 1, .clock = f.clock.fn()});
      const std::string id = f.add("x"), gone = f.add("y"), lost = f.add("z");
      for (const auto& j : {id, gone, lost}) {
        REQUIRE(queue->push(j));
        auto item = queue->take(0ms).value().value();
        REQUIRE(jobs.start(item.job_id));  // its worker dies: the lease runs out on the last attempt
      }
      f.clock.advance(2s);
      CHECK(*bankflow::fail_dead_letters(jobs, *queue, f.paths) == 3);
      CHECK(fs::exists(f.paths.held(id)));
      CHECK_FALSE(fs::exists(f.paths.upload(id)));

      REQUIRE(bankflow::discard_dead_letter(jobs, *queue, f.paths, id));
      const job j = *jobs.get(id);
      CHECK(j.status == job_status::failed);
      CHECK(j.error_code == "storage_error");
      CHECK(j.error.starts_with("no worker finished this job"));
      CHECK(j.error.ends_with("; discarded by an operator"));
      CHECK_FALSE(fs::exists(f.paths.held(id)));
      CHECK(bankflow::discard_dead_letter(jobs, *queue, f.paths, id).error().code == errc::not_found);
      CHECK(bankflow::requeue_dead_letter(jobs, *queue, f.paths, id).error().code == errc::not_found);

      // its upload is gone: it cannot be processed again, only discarded
      fs::remove(f.paths.held(lost));
      auto refused = bankflow::requeue_dead_letter(jobs, *queue, f.paths, lost);
      REQUIRE_FALSE(refused);
      CHECK(refused.error().code == errc::not_ready);
      CHECK(jobs.get(lost)->status == job_status::failed);  // unchanged

      // its job was removed with its session: the letter just goes
      REQUIRE(jobs.remove_expired(1h, {"owner-secret"}));
      auto orphan = bankflow::list_dead_letters(jobs, *queue);
      REQUIRE(orphan);
      REQUIRE(orphan->size() == 2);
      CHECK_FALSE(orphan->front().job_found);
      CHECK(parse(bankflow::to_json(*orphan)).at("dead_letters").at(0).at("status").is_null());
      CHECK(bankflow::requeue_dead_letter(jobs, *queue, f.paths, gone).error().code == errc::not_found);
      REQUIRE(bankflow::discard_dead_letter(jobs, *queue, f.paths, gone));
      REQUIRE(bankflow::discard_dead_letter(jobs, *queue, f.paths, lost));
      CHECK(queue->list_dead_letters()->empty());
      for (const char* unknown : {"nope", "../../etc/passwd"})
        CHECK(bankflow::discard_dead_letter(jobs, *queue, f.paths, unknown).error().code == errc::not_found);
    }
  }
}

TEST_CASE("a held upload moves back on restore and goes with remove_upload and the janitor", "[jobs][ops]") {
  fixture f;
  const std::string id = f.add("bytes");
  f.paths.hold_upload(id);
  CHECK_FALSE(fs::exists(f.paths.upload(id)));
  CHECK(test::slurp(f.paths.held(id)) == "bytes");
  CHECK(f.paths.disk_usage() == 5);
  CHECK(f.paths.restore_upload(id));
  CHECK(test::slurp(f.paths.upload(id)) == "bytes");
  CHECK(f.paths.restore_upload(id));  // already there
  f.paths.hold_upload(id);
  f.paths.remove_upload(id);
  CHECK_FALSE(fs::exists(f.paths.held(id)));
  CHECK_FALSE(f.paths.restore_upload(id));
  f.paths.hold_upload(id);  // nothing to hold: fine
  CHECK_THROWS_AS(f.paths.held("../x"), std::invalid_argument);

  // a held file whose job is gone is an orphan like any other
  const std::string orphan = job_store::new_job_id();
  test::spit(f.paths.held(orphan), "left");
  fs::last_write_time(f.paths.held(orphan), fs::file_time_type::clock::now() - 2h);
  auto sessions = bankflow::session_store::open(f.db).value();
  REQUIRE(bankflow::run_janitor(sessions, f.jobs, f.paths, {.download_grace = 30min}));
  CHECK_FALSE(fs::exists(f.paths.held(orphan)));
}
