#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>

#include "../store/test_support.hpp"
#include "jobs_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

using bankflow::errc;
using bankflow::job;
using bankflow::job_status;
using bankflow::job_store;
namespace test = bankflow::test;
using namespace std::chrono_literals;

namespace {

job_store open_jobs(bankflow::database& db, test::manual_clock& clock) {
  auto s = job_store::open(db, {.clock = clock.fn()});
  REQUIRE(s);
  return std::move(*s);
}

bankflow::error io_failure() { return bankflow::make_error(errc::io_error, "disk on fire"); }

}  // namespace

TEST_CASE("a job goes pending → processing → completed and the store keeps what the worker found", "[jobs]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      CHECK(*db->schema_version("jobs") == 4);

      const std::string id = job_store::new_job_id();
      CHECK(bankflow::is_job_id(id));
      CHECK(id != job_store::new_job_id());
      auto created = jobs.create(id, "owner-a", "extrato março.csv", 1234);
      REQUIRE(created);
      CHECK(created->status == job_status::pending);
      CHECK(created->attempts == 0);

      auto got = jobs.get(id);
      REQUIRE(got);
      CHECK(got->owner == "owner-a");
      CHECK(got->filename == "extrato março.csv");
      CHECK(got->size == 1234);
      CHECK(got->created_at == bankflow::timestamp(std::chrono::milliseconds(clock.ms.load())));
      CHECK_FALSE(got->downloaded_at);

      clock.advance(5ms);
      auto started = jobs.start(id);
      REQUIRE(started);
      CHECK(started->status == job_status::processing);
      CHECK(started->attempts == 1);
      CHECK(started->updated_at - started->created_at == 5ms);

      // A redelivered job (its first worker died) starts again.
      auto again = jobs.start(id);
      REQUIRE(again);
      CHECK(again->status == job_status::processing);
      CHECK(again->attempts == 2);

      job outcome;
      outcome.bank = "itau";
      outcome.bank_name = "Itaú Unibanco";
      outcome.format = "itau-extrato-csv";
      outcome.confidence = 0.97;
      outcome.transactions = 42;
      outcome.period_start = "2025-03-01";
      outcome.period_end = "2025-03-31";
      auto done = jobs.complete(id, outcome);
      REQUIRE(done);
      CHECK(done->status == job_status::completed);
      CHECK(done->bank == "itau");
      CHECK(done->bank_name == "Itaú Unibanco");
      CHECK(done->format == "itau-extrato-csv");
      CHECK(done->confidence == Approx(0.97));
      CHECK(done->transactions == 42);
      CHECK(done->period_start == "2025-03-01");
      CHECK(done->period_end == "2025-03-31");
      CHECK(done->error.empty());

      // Finished jobs come back unchanged: a late duplicate delivery does no harm.
      auto restarted = jobs.start(id);
      REQUIRE(restarted);
      CHECK(restarted->status == job_status::completed);
      CHECK(restarted->attempts == 2);
      auto late_fail = jobs.fail(id, io_failure());
      REQUIRE(late_fail);
      CHECK(late_fail->status == job_status::completed);
      auto late_requeue = jobs.requeue(id, io_failure());
      REQUIRE(late_requeue);
      CHECK(late_requeue->status == job_status::completed);

      clock.advance(1s);
      auto first_download = jobs.mark_downloaded(id);
      REQUIRE(first_download);
      REQUIRE(first_download->downloaded_at);
      const auto first_time = *first_download->downloaded_at;
      clock.advance(1s);
      auto second_download = jobs.mark_downloaded(id);
      REQUIRE(second_download);
      CHECK(*second_download->downloaded_at == first_time);
    }
  }
}

TEST_CASE("a failed or requeued job records why; unknown and malformed ids are not_found", "[jobs]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      const std::string id = job_store::new_job_id();
      REQUIRE(jobs.create(id, "o", "x.xls", 10));
      REQUIRE(jobs.start(id));
      auto requeued = jobs.requeue(id, io_failure());
      REQUIRE(requeued);
      CHECK(requeued->status == job_status::pending);
      CHECK(requeued->error.empty());
      REQUIRE(jobs.start(id));

      auto why = bankflow::make_error(errc::bad_amount, "\"12,3x\" is not an amount", 7, "Valor");
      why.file = "x.xls";
      auto failed = jobs.fail(id, why);
      REQUIRE(failed);
      CHECK(failed->status == job_status::failed);
      CHECK(failed->error_code == "bad_amount");
      CHECK(failed->error == "x.xls:7: Valor: \"12,3x\" is not an amount");
      CHECK(failed->attempts == 2);
      CHECK(failed->row_error == false);

      // a row error says so: skip_bad_rows would convert the rest
      const std::string row_id = job_store::new_job_id();
      REQUIRE(jobs.create(row_id, "o", "x.csv", 10));
      REQUIRE(jobs.start(row_id));
      why.row_error = true;
      auto row_failed = jobs.fail(row_id, why);
      REQUIRE(row_failed);
      CHECK(row_failed->row_error);
      CHECK(jobs.get(row_id)->row_error);

      for (const std::string& bad : {job_store::new_job_id(), std::string("../../etc/passwd"), std::string()}) {
        auto missing = jobs.get(bad);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == errc::not_found);
        CHECK(jobs.start(bad).error().code == errc::not_found);
        CHECK(jobs.mark_downloaded(bad).error().code == errc::not_found);
      }
      CHECK(jobs.create("not-an-id", "o", "f", 1).error().code == errc::invalid_argument);
    }
  }
}

TEST_CASE("a job keeps skip_bad_rows from its upload and the number of rows it skipped", "[jobs]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      const std::string strict = job_store::new_job_id();
      const std::string lenient = job_store::new_job_id();
      REQUIRE(jobs.create(strict, "o", "a.csv", 10));
      auto created = jobs.create(lenient, "o", "b.csv", 10, true);
      REQUIRE(created);
      CHECK(created->skip_bad_rows);
      CHECK_FALSE(jobs.get(strict)->skip_bad_rows);
      auto started = jobs.start(lenient);
      REQUIRE(started);
      CHECK(started->skip_bad_rows);  // what the worker reads
      job outcome;
      outcome.format = "inter-extrato-csv";
      outcome.transactions = 3;
      outcome.skipped_rows = 2;
      auto done = jobs.complete(lenient, outcome);
      REQUIRE(done);
      CHECK(done->skipped_rows == 2);
      const auto listed = *jobs.list("o");
      REQUIRE(listed.size() == 2);
      CHECK(listed[0].skip_bad_rows != listed[1].skip_bad_rows);
      const auto v = boost::json::parse(bankflow::to_json(*done)).as_object();
      CHECK(v.at("skip_bad_rows").as_bool());
      CHECK(v.at("skipped_rows").as_int64() == 2);
      CHECK_FALSE(v.at("row_error").as_bool());
    }
  }
}

TEST_CASE("a session's jobs are listed newest first, limited, and counted by status", "[jobs]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      std::vector<std::string> mine;
      for (int i = 0; i < 5; ++i) {
        mine.push_back(job_store::new_job_id());
        REQUIRE(jobs.create(mine.back(), "me", "f" + std::to_string(i), 1));
        REQUIRE(jobs.create(job_store::new_job_id(), "someone-else", "g", 1));
        clock.advance(10ms);
      }
      auto listed = jobs.list("me");
      REQUIRE(listed);
      REQUIRE(listed->size() == 5);
      for (std::size_t i = 0; i < 5; ++i) CHECK((*listed)[i].id == mine[4 - i]);
      auto two = jobs.list("me", 2);
      REQUIRE(two);
      REQUIRE(two->size() == 2);
      CHECK((*two)[0].id == mine[4]);
      CHECK(jobs.list("nobody")->empty());

      REQUIRE(jobs.start(mine[0]));
      REQUIRE(jobs.start(mine[1]));
      REQUIRE(jobs.fail(mine[1], io_failure()));
      auto counts = jobs.count_by_status();
      REQUIRE(counts);
      std::map<job_status, std::int64_t> by;
      for (const auto& [s, n] : *counts) by[s] = n;
      CHECK(by.size() == 4);
      CHECK(by[job_status::pending] == 8);
      CHECK(by[job_status::processing] == 1);
      CHECK(by[job_status::failed] == 1);
      CHECK(by[job_status::completed] == 0);
    }
  }
}

TEST_CASE("remove_expired deletes downloaded jobs after the grace and expired owners' jobs, each once",
          "[jobs]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      const std::string downloaded = job_store::new_job_id();
      const std::string kept = job_store::new_job_id();
      REQUIRE(jobs.create(downloaded, "a", "f", 1));
      REQUIRE(jobs.create(kept, "a", "f", 1));
      REQUIRE(jobs.mark_downloaded(downloaded));
      std::set<std::string> gone_owner;
      for (int i = 0; i < 30; ++i) {
        const std::string id = job_store::new_job_id();
        REQUIRE(jobs.create(id, "b", "f", 1));
        gone_owner.insert(id);
      }

      auto early = jobs.remove_expired(10min, {});
      REQUIRE(early);
      CHECK(early->empty());

      clock.advance(10min);
      // Two janitors at once (own stores on the same database): every id comes out exactly once.
      std::vector<std::string> a, b;
      auto jobs2 = open_jobs(*db, clock);
      std::thread t1([&] { a = *jobs.remove_expired(10min, {"b"}); });
      std::thread t2([&] { b = *jobs2.remove_expired(10min, {"b"}); });
      t1.join();
      t2.join();
      std::multiset<std::string> all(a.begin(), a.end());
      all.insert(b.begin(), b.end());
      std::set<std::string> expected = gone_owner;
      expected.insert(downloaded);
      CHECK(all.size() == expected.size());
      CHECK(std::set<std::string>(all.begin(), all.end()) == expected);
      CHECK(jobs.get(kept));
      CHECK(jobs.get(downloaded).error().code == errc::not_found);
      CHECK(jobs.list("b")->empty());
    }
  }
}

TEST_CASE("to_json shows a job as the HTTP API does", "[jobs]") {
  job j;
  j.id = "0123456789abcdef0123456789abcdef";
  j.filename = "extrato \"março\".csv";
  j.created_at = bankflow::timestamp(std::chrono::milliseconds(1700000000123LL));
  j.updated_at = j.created_at + 1500ms;

  SECTION("pending: nulls for what is not known yet") {
    CHECK(bankflow::to_json(j) ==
          "{\"id\": \"0123456789abcdef0123456789abcdef\", \"status\": \"pending\", \"bank\": null, "
          "\"bank_name\": null, \"format\": null, \"confidence\": 0.00, \"transactions\": 0, "
          "\"skip_bad_rows\": false, \"skipped_rows\": 0, "
          "\"period\": null, \"error\": null, \"error_code\": null, \"row_error\": false, "
          "\"created_at\": \"2023-11-14T22:13:20.123Z\", \"updated_at\": \"2023-11-14T22:13:21.623Z\", "
          "\"filename\": \"extrato \\\"março\\\".csv\"}");
  }
  SECTION("completed and failed parse as JSON with the right fields") {
    j.status = job_status::completed;
    j.bank = "itau";
    j.bank_name = "Itaú Unibanco";
    j.format = "itau-extrato-csv";
    j.confidence = 0.956;
    j.transactions = 12;
    j.period_start = "2025-03-01";
    j.period_end = "2025-03-31";
    const auto v = boost::json::parse(bankflow::to_json(j)).as_object();
    CHECK(v.at("status").as_string() == "completed");
    CHECK(v.at("bank").as_string() == "itau");
    CHECK(v.at("bank_name").as_string() == "Itaú Unibanco");
    CHECK(v.at("confidence").as_double() == Approx(0.96));
    CHECK(v.at("transactions").as_int64() == 12);
    CHECK(v.at("period").at("start").as_string() == "2025-03-01");
    CHECK(v.at("period").at("end").as_string() == "2025-03-31");
    CHECK(v.at("error").is_null());

    j.status = job_status::failed;
    j.error_code = "unsupported_container";
    j.error = "this is an XLS workbook\nexport CSV";
    const auto f = boost::json::parse(bankflow::to_json(j)).as_object();
    CHECK(f.at("status").as_string() == "failed");
    CHECK(f.at("error_code").as_string() == "unsupported_container");
    CHECK(f.at("error").as_string() == "this is an XLS workbook\nexport CSV");
    CHECK(bankflow::to_json(j).find('\n') == std::string::npos);
  }
}

TEST_CASE("job files live under uploads/ and results/ and only job ids make paths", "[jobs]") {
  test::temp_dir dir;
  bankflow::job_paths paths{dir.path() / "data"};
  const std::string id = job_store::new_job_id();
  CHECK(paths.upload(id) == dir.path() / "data" / "uploads" / id);
  CHECK(paths.result(id, "csv") == dir.path() / "data" / "results" / (id + ".csv"));
  CHECK(paths.result(id, "excel-br") == dir.path() / "data" / "results" / (id + ".excel-br.csv"));
  CHECK(paths.result(id, "json") == dir.path() / "data" / "results" / (id + ".json"));
  CHECK_THROWS_AS(paths.upload("../secret"), std::invalid_argument);
  CHECK_THROWS_AS(paths.result(id, "xml"), std::invalid_argument);
  CHECK_FALSE(bankflow::is_job_id("0123456789ABCDEF0123456789ABCDEF"));

  REQUIRE(paths.prepare());
  for (const char* sub : {"uploads", "results"}) {
    const auto st = std::filesystem::status(dir.path() / "data" / sub);
    CHECK(st.type() == std::filesystem::file_type::directory);
    CHECK(st.permissions() == std::filesystem::perms::owner_all);
  }
  REQUIRE(paths.prepare());  // again: fine

  test::spit(dir.path() / "file", "x");
  bankflow::job_paths blocked{dir.path() / "file"};
  auto refused = blocked.prepare();
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == errc::io_error);
}

TEST_CASE("get_owned shows another session's job exactly like a missing one", "[jobs]") {
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  test::manual_clock clock;
  auto jobs = open_jobs(*db, clock);
  const std::string id = job_store::new_job_id();
  REQUIRE(jobs.create(id, "owner-a", "extrato.csv", 10));

  auto mine = jobs.get_owned("owner-a", id);
  REQUIRE(mine);
  CHECK(mine->id == id);

  auto theirs = jobs.get_owned("owner-b", id);
  auto missing = jobs.get_owned("owner-b", job_store::new_job_id());
  auto malformed = jobs.get_owned("owner-b", "../etc/passwd");
  auto nobody = jobs.get_owned("", id);
  for (const auto* refused : {&theirs, &missing, &malformed, &nobody}) {
    REQUIRE_FALSE(*refused);
    CHECK(refused->error().code == errc::not_found);
  }
  CHECK(theirs.error().message == "no job \"" + id + "\"");
}

TEST_CASE("a job's result is downloaded once it is completed, the download recorded unless asked not to",
          "[jobs]") {
  test::temp_dir dir;
  auto db = bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string());
  REQUIRE(db);
  test::manual_clock clock;
  auto jobs = open_jobs(*db, clock);
  const bankflow::job_paths paths{dir.path() / "data"};
  REQUIRE(paths.prepare());
  const std::string id = job_store::new_job_id();
  auto pending = jobs.create(id, "owner-a", "extrato.csv", 10);
  REQUIRE(pending);

  auto early = bankflow::download_result(jobs, paths, *pending, "csv", true);
  REQUIRE_FALSE(early);
  CHECK(early.error().code == errc::not_ready);
  CHECK(early.error().message == "job " + id + " is pending: download it once it is completed");
  CHECK(bankflow::check_completed(*pending, "preview").error().message ==
        "job " + id + " is pending: preview it once it is completed");

  REQUIRE(jobs.start(id));
  auto done = jobs.complete(id, job{});
  REQUIRE(done);
  test::spit(paths.result(id, "csv"), "date,amount\n");
  auto head = bankflow::download_result(jobs, paths, *done, "csv", false);
  REQUIRE(head);
  CHECK(*head == "date,amount\n");
  CHECK_FALSE(jobs.get(id)->downloaded_at);
  REQUIRE(bankflow::download_result(jobs, paths, *done, "csv", true));
  CHECK(jobs.get(id)->downloaded_at);
  CHECK(bankflow::download_result(jobs, paths, *done, "json", true).error().code == errc::io_error);

  const std::string other = job_store::new_job_id();
  REQUIRE(jobs.create(other, "owner-a", "extrato.csv", 10));
  auto failed = jobs.fail(other, io_failure());
  REQUIRE(failed);
  CHECK(bankflow::check_completed(*failed, "download").error().message ==
        "job " + other + " is failed: " + failed->error);
}

TEST_CASE("rates count the jobs created, completed and failed within the window", "[jobs][ops]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      auto empty = jobs.rates(1h);
      REQUIRE(empty);
      CHECK(empty->window == 1h);
      CHECK((empty->created + empty->completed + empty->failed) == 0);

      const std::string old = job_store::new_job_id(), done = job_store::new_job_id(), bad = job_store::new_job_id();
      REQUIRE(jobs.create(old, "o", "old.csv", 1));
      clock.advance(30min);
      REQUIRE(jobs.create(done, "o", "done.csv", 1));
      REQUIRE(jobs.create(bad, "o", "bad.csv", 1));
      REQUIRE(jobs.start(done));
      REQUIRE(jobs.complete(done, job{}));
      clock.advance(40min);
      REQUIRE(jobs.start(bad));
      REQUIRE(jobs.fail(bad, io_failure()));

      auto hour = jobs.rates(1h);
      REQUIRE(hour);
      CHECK(hour->created == 2);  // `old` is 70 minutes old
      CHECK(hour->completed == 1);
      CHECK(hour->failed == 1);
      auto recent = jobs.rates(10min);
      REQUIRE(recent);
      CHECK(recent->created == 0);
      CHECK(recent->completed == 0);  // 40 minutes ago
      CHECK(recent->failed == 1);
    }
  }
}

TEST_CASE("an operator reopens a failed job with a fresh count or fails it for good; a completed job stays",
          "[jobs][ops]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = open_jobs(*db, clock);
      const std::string id = job_store::new_job_id();
      REQUIRE(jobs.create(id, "o", "x.csv", 1));
      REQUIRE(jobs.start(id));
      REQUIRE(jobs.start(id));
      REQUIRE(jobs.fail(id, io_failure()));

      auto reopened = jobs.reopen(id);
      REQUIRE(reopened);
      CHECK(reopened->status == job_status::pending);
      CHECK(reopened->attempts == 0);
      CHECK(reopened->error.empty());
      CHECK(reopened->error_code.empty());
      CHECK(jobs.start(id)->attempts == 1);

      REQUIRE(jobs.fail(id, io_failure()));
      auto final_word = jobs.fail_for_good(id, bankflow::make_error(errc::storage_error, "discarded by an operator"));
      REQUIRE(final_word);
      CHECK(final_word->status == job_status::failed);
      CHECK(final_word->error == "discarded by an operator");
      CHECK(final_word->error_code == "storage_error");

      const std::string pending = job_store::new_job_id();
      REQUIRE(jobs.create(pending, "o", "p.csv", 1));
      CHECK(jobs.fail_for_good(pending, io_failure())->status == job_status::failed);

      const std::string done = job_store::new_job_id();
      REQUIRE(jobs.create(done, "o", "d.csv", 1));
      REQUIRE(jobs.start(done));
      REQUIRE(jobs.complete(done, job{}));
      CHECK(jobs.reopen(done)->status == job_status::completed);
      CHECK(jobs.fail_for_good(done, io_failure())->status == job_status::completed);

      for (const std::string& missing : {job_store::new_job_id(), std::string("nope")}) {
        CHECK(jobs.reopen(missing).error().code == errc::not_found);
        CHECK(jobs.fail_for_good(missing, io_failure()).error().code == errc::not_found);
      }
    }
  }
}
