#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/session.hpp>

#include "../store/test_support.hpp"
#include "jobs_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using bankflow::errc;
using bankflow::job_status;
using bankflow::job_store;
namespace fs = std::filesystem;
namespace test = bankflow::test;
using namespace std::chrono_literals;

namespace {

const fs::path corpus = BANKFLOW_CORPUS_DIR;

}  // namespace

TEST_CASE("the janitor leaves nothing of an expired session and removes downloads after the grace",
          "[jobs]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto sessions = bankflow::session_store::open(*db, {.lifetime = 24h, .clock = clock.fn()});
      REQUIRE(sessions);
      auto jobs = job_store::open(*db, {.clock = clock.fn()});
      REQUIRE(jobs);
      test::temp_dir dir;
      bankflow::job_paths paths{dir.path()};
      REQUIRE(paths.prepare());
      auto events = bankflow::make_memory_job_events().value();
      const std::string bytes = test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv");

      const auto make_job = [&](const std::string& owner) {
        const std::string id = job_store::new_job_id();
        test::spit(paths.upload(id), bytes);
        REQUIRE(jobs->create(id, owner, "itau.csv", bytes.size()));
        auto done = bankflow::process_job(*jobs, *events, paths, id);
        REQUIRE(done);
        REQUIRE(done->status == job_status::completed);
        return id;
      };

      auto early = sessions->create();
      REQUIRE(early);
      const std::string early_a = make_job(early->info.id);
      const std::string early_b = make_job(early->info.id);
      clock.advance(12h);
      auto late = sessions->create();
      REQUIRE(late);
      const std::string late_downloaded = make_job(late->info.id);
      const std::string late_kept = make_job(late->info.id);
      REQUIRE(jobs->mark_downloaded(late_downloaded));

      // Files no job accounts for: an old one goes, a recent one (its job may be on its way) stays.
      const std::string orphan_old = job_store::new_job_id();
      const std::string orphan_new = job_store::new_job_id();
      test::spit(paths.upload(orphan_old), "x");
      test::spit(paths.upload(orphan_new), "x");
      test::spit(paths.result(orphan_old, "csv").string() + ".tmp-abc", "x");
      const auto two_hours_ago = fs::file_time_type::clock::now() - 2h;
      fs::last_write_time(paths.upload(orphan_old), two_hours_ago);
      fs::last_write_time(paths.result(orphan_old, "csv").string() + ".tmp-abc", two_hours_ago);
      // A live job's old file is not an orphan.
      fs::last_write_time(paths.result(late_kept, "csv"), two_hours_ago);

      auto first = bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min});
      REQUIRE(first);
      CHECK(*first == 0);
      CHECK_FALSE(fs::exists(paths.upload(orphan_old)));
      CHECK(fs::exists(paths.upload(orphan_new)));
      CHECK(fs::exists(paths.result(late_kept, "csv")));
      CHECK(test::files_below(dir.path()).size() == 4 * 4 + 1);  // completed jobs keep only results

      clock.advance(31min);  // the download's grace is over
      auto second = bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min});
      REQUIRE(second);
      CHECK(*second == 1);
      CHECK(jobs->get(late_downloaded).error().code == errc::not_found);
      for (const char* style : {"csv", "excel-br", "json", "xlsx"}) CHECK_FALSE(fs::exists(paths.result(late_downloaded, style)));
      CHECK_FALSE(fs::exists(paths.upload(late_downloaded)));
      CHECK(jobs->get(early_a));

      clock.advance(12h);  // the early session has expired
      auto third = bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min});
      REQUIRE(third);
      CHECK(*third == 2);
      CHECK(sessions->find(early->token).error().code == errc::session_invalid);
      CHECK(jobs->list(early->info.id)->empty());
      for (const auto& f : test::files_below(dir.path())) {
        CHECK(f.find(early_a) == std::string::npos);
        CHECK(f.find(early_b) == std::string::npos);
      }
      CHECK(jobs->get(late_kept));

      REQUIRE(sessions->revoke(late->info.id));
      auto fourth = bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min});
      REQUIRE(fourth);
      CHECK(*fourth == 1);
      // Only the recent orphan is left (it is not an hour old yet).
      CHECK(test::files_below(dir.path()) == std::vector<std::string>{"uploads/" + orphan_new});
      auto counts = jobs->count_by_status();
      REQUIRE(counts);
      for (const auto& [s, n] : *counts) CHECK(n == 0);
    }
  }
}

TEST_CASE("the janitor fails a job whose last worker died mid-processing", "[jobs]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto sessions = bankflow::session_store::open(*db, {.lifetime = 24h, .clock = clock.fn()});
      REQUIRE(sessions);
      auto jobs = job_store::open(*db, {.clock = clock.fn()});
      REQUIRE(jobs);
      test::temp_dir dir;
      bankflow::job_paths paths{dir.path()};
      REQUIRE(paths.prepare());
      auto owner = sessions->create();
      REQUIRE(owner);
      const std::string stuck = job_store::new_job_id();
      const std::string waiting = job_store::new_job_id();
      for (const auto& id : {stuck, waiting}) {
        test::spit(paths.upload(id), "x");
        REQUIRE(jobs->create(id, owner->info.id, "a.csv", 1));
      }
      REQUIRE(jobs->start(stuck)->status == job_status::processing);  // and then its worker dies

      clock.advance(30min);
      REQUIRE(bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min}));
      CHECK(jobs->get(stuck)->status == job_status::processing);  // not an hour yet

      clock.advance(31min);
      REQUIRE(bankflow::run_janitor(*sessions, *jobs, paths, {.download_grace = 30min}));
      auto failed = jobs->get(stuck);
      REQUIRE(failed);
      CHECK(failed->status == job_status::failed);
      CHECK(failed->error_code == "storage_error");
      CHECK(failed->error.find("no worker finished") != std::string::npos);
      CHECK(jobs->get(waiting)->status == job_status::pending);  // queued work is not stuck
    }
  }
}

TEST_CASE("a preview is the first rows of a completed job's result, with the total", "[jobs]") {
  test::sql_targets targets(false);
  auto db = bankflow::database::open(targets.all().front().url);
  REQUIRE(db);
  auto jobs = job_store::open(*db);
  REQUIRE(jobs);
  test::temp_dir dir;
  bankflow::job_paths paths{dir.path()};
  REQUIRE(paths.prepare());
  auto events = bankflow::make_memory_job_events().value();
  const std::string id = job_store::new_job_id();
  CHECK(bankflow::preview_json(paths, id, 3).error().code == errc::io_error);  // nothing yet
  test::spit(paths.upload(id), test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv"));
  REQUIRE(jobs->create(id, "owner", "itau.csv", 1));
  auto done = bankflow::process_job(*jobs, *events, paths, id);
  REQUIRE(done);
  REQUIRE(done->status == job_status::completed);

  auto preview = bankflow::preview_json(paths, id, 3);
  REQUIRE(preview);
  const auto v = boost::json::parse(*preview).as_object();
  const auto full = boost::json::parse(test::slurp(paths.result(id, "json"))).as_object();
  const auto& rows = v.at("transactions").as_array();
  REQUIRE(rows.size() == 3);
  CHECK(v.at("total").as_int64() == done->transactions);
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i] == full.at("transactions").as_array()[i]);
  CHECK(v.at("period") == full.at("period"));
  CHECK(v.at("closing_balance") == full.at("closing_balance"));
  CHECK_FALSE(jobs->get(id)->downloaded_at);  // a preview is not a download
}
