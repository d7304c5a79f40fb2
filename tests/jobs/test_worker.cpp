#include <bankflow/database.hpp>
#include <bankflow/export.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>

#include "../store/test_support.hpp"
#include "jobs_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>

using bankflow::errc;
using bankflow::job;
using bankflow::job_status;
using bankflow::job_store;
namespace fs = std::filesystem;
namespace test = bankflow::test;
using namespace std::chrono_literals;

namespace {

const fs::path corpus = BANKFLOW_CORPUS_DIR;

// Events recorded by a test: every JSON published, in order.
struct recorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> seen;

  std::function<void(const std::string&)> callback() {
    return [this](const std::string& json) {
      {
        std::lock_guard lock(mutex);
        seen.push_back(json);
      }
      changed.notify_all();
    };
  }
  bool wait_for_count(std::size_t n, std::chrono::milliseconds limit = 10s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, [&] { return seen.size() >= n; });
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return seen;
  }
};

// A store, a data directory and a job for a file.
struct fixture {
  test::temp_dir dir;
  bankflow::database db = std::move(*bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string()));
  job_store jobs = std::move(*job_store::open(db));
  bankflow::job_paths paths{dir.path() / "data"};

  fixture() { REQUIRE(paths.prepare()); }

  std::string upload(std::string_view bytes, std::string_view filename, std::string owner = "owner",
                     bool skip_bad_rows = false) {
    const std::string id = job_store::new_job_id();
    test::spit(paths.upload(id), bytes);
    REQUIRE(jobs.create(id, owner, filename, bytes.size(), skip_bad_rows));
    return id;
  }
};

#ifdef BANKFLOW_CLI
// What `bankflow convert FILE <args>` writes to stdout.
std::string cli_convert(const fs::path& file, const std::string& args) {
  const std::string command = std::string("'") + BANKFLOW_CLI + "' convert '" + file.string() + "' " + args;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  CHECK(::pclose(p) == 0);
  return out;
}
#endif

}  // namespace

TEST_CASE("process_job writes the same bytes as bankflow convert and records what it found", "[jobs]") {
  const auto file = GENERATE(as<std::string>{}, "itau/itau-extrato-csv-2025-03-no-futuros.csv",
                             "bb/bb-ofx-2017-two-statements-cp1252.ofx", "inter/inter-extrato-2026.csv",
                             "bb/bb-extrato-old-2019.csv", "bb/bb-ourocard-fatura-2010.txt");
  INFO(file);
  const fs::path source = corpus / file;
  const std::string bytes = test::slurp(source);
  REQUIRE_FALSE(bytes.empty());
  fixture f;
  auto events = bankflow::make_memory_job_events().value();
  const std::string id = f.upload(bytes, fs::path(file).filename().string());
  recorder rec;
  auto sub = events->subscribe(id, rec.callback());
  REQUIRE(sub);

  auto done = bankflow::process_job(f.jobs, *events, f.paths, id);
  REQUIRE(done);
  CHECK(done->status == job_status::completed);

  auto expected = bankflow::parse(bytes);
  REQUIRE(expected);
  CHECK(test::slurp(f.paths.result(id, "csv")) == bankflow::to_csv(*expected));
  CHECK(test::slurp(f.paths.result(id, "excel-br")) == bankflow::to_csv(*expected, bankflow::csv_style::excel_br));
  CHECK(test::slurp(f.paths.result(id, "json")) == bankflow::to_json(*expected));
  CHECK(test::slurp(f.paths.result(id, "xlsx")) == *bankflow::to_xlsx(*expected));
#ifdef BANKFLOW_CLI
  CHECK(test::slurp(f.paths.result(id, "csv")) == cli_convert(source, "--to csv"));
  CHECK(test::slurp(f.paths.result(id, "excel-br")) == cli_convert(source, "--to csv --style excel-br"));
  CHECK(test::slurp(f.paths.result(id, "json")) == cli_convert(source, "--to json"));
  CHECK(test::slurp(f.paths.result(id, "xlsx")) == cli_convert(source, "--to xlsx -o -"));
#else
  WARN("the CLI is not built (BANKFLOW_BUILD_APPS=OFF): compared with the library's export only");
#endif

  const job stored = *f.jobs.get(id);
  CHECK(stored.status == job_status::completed);
  CHECK(stored.attempts == 1);
  CHECK(stored.format == expected->format);
  CHECK(stored.confidence == Approx(expected->confidence));
  CHECK(stored.transactions == static_cast<std::int64_t>(expected->transactions.size()));
  CHECK(stored.transactions > 0);
  REQUIRE(expected->period_start);
  CHECK(stored.period_start == bankflow::format_date(*expected->period_start));
  CHECK(stored.period_end == bankflow::format_date(*expected->period_end));
  if (expected->bank->id != "unknown") {
    CHECK(stored.bank == expected->bank->id);
    CHECK(stored.bank_name == expected->bank->name);
  }
  // No temporary files are left behind, and the upload is gone: only the four results stay.
  CHECK(test::files_below(f.paths.data_dir).size() == 4);
  CHECK_FALSE(fs::exists(f.paths.upload(id)));

  REQUIRE(rec.wait_for_count(2));
  const auto seen = rec.snapshot();
  CHECK(seen[0].find("\"status\": \"processing\"") != std::string::npos);
  CHECK(seen[1] == bankflow::to_json(stored));

  // A second delivery of the finished job does nothing.
  auto again = bankflow::process_job(f.jobs, *events, f.paths, id);
  REQUIRE(again);
  CHECK(again->status == job_status::completed);
  CHECK(again->attempts == 1);
}

TEST_CASE("a file that is not a statement fails its job at once with the parse error", "[jobs]") {
  const auto [file, code] = GENERATE(table<std::string, errc>({
      {"invalid/n_extrato.xls", errc::damaged_container},  // an XLSX cut short
      {"invalid/n_c6-extrato-password.xlsx", errc::encrypted},
      {"invalid/n_bad-amount.ofx", errc::bad_amount},
      {"invalid/n_inter-fatura-unterminated-quote.csv", errc::csv_unterminated_quote},
  }));
  INFO(file);
  fixture f;
  auto events = bankflow::make_memory_job_events().value();
  const std::string id = f.upload(test::slurp(corpus / file), "upload.bin");
  auto failed = bankflow::process_job(f.jobs, *events, f.paths, id);
  REQUIRE(failed);
  CHECK(failed->status == job_status::failed);
  CHECK(failed->error_code == bankflow::to_string(code));
  auto direct = bankflow::parse(test::slurp(corpus / file), {.file_name = "upload.bin"});
  REQUIRE_FALSE(direct);
  CHECK(failed->error + " [" + std::string(bankflow::to_string(code)) + "]" == direct.error().to_string());
  CHECK(failed->attempts == 1);
  CHECK_FALSE(fs::exists(f.paths.result(id, "csv")));
}

TEST_CASE("a job on a file with a bad row fails as a row error, or with skip_bad_rows lists it", "[jobs]") {
  const std::string bytes = test::slurp(corpus / "invalid/n_inter-extrato-bad-rows.csv");
  fixture f;
  auto events = bankflow::make_memory_job_events().value();

  auto failed = bankflow::process_job(f.jobs, *events, f.paths, f.upload(bytes, "extrato.csv"));
  REQUIRE(failed);
  CHECK(failed->status == job_status::failed);
  CHECK(failed->error_code == "bad_amount");
  CHECK(failed->row_error);

  const std::string id = f.upload(bytes, "extrato.csv", "owner", true);
  auto done = bankflow::process_job(f.jobs, *events, f.paths, id);
  REQUIRE(done);
  CHECK(done->status == job_status::completed);
  CHECK(done->skipped_rows == 3);
  CHECK(done->transactions == 3);
  CHECK_FALSE(done->row_error);
  auto expected = bankflow::parse(bytes, {.file_name = "extrato.csv", .skip_bad_rows = true});
  REQUIRE(expected);
  CHECK(test::slurp(f.paths.result(id, "json")) == bankflow::to_json(*expected));
  CHECK(test::slurp(f.paths.result(id, "csv")) == bankflow::to_csv(*expected));
  auto preview = bankflow::preview_json(f.paths, id, 1);
  REQUIRE(preview);
  CHECK(boost::json::parse(*preview).at("skipped_rows").as_array().size() == 3);
}

TEST_CASE("a missing upload is a transient io_error for the caller to retry", "[jobs]") {
  fixture f;
  auto events = bankflow::make_memory_job_events().value();
  const std::string id = f.upload("irrelevant", "x.csv");
  fs::remove(f.paths.upload(id));
  auto r = bankflow::process_job(f.jobs, *events, f.paths, id);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::io_error);
  CHECK(f.jobs.get(id)->status == job_status::processing);
  auto missing = bankflow::process_job(f.jobs, *events, f.paths, job_store::new_job_id());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::not_found);
}

TEST_CASE("workers process queued jobs, retry transient failures and give up after the last attempt",
          "[jobs]") {
  fixture f;
  auto events = bankflow::make_memory_job_events().value();
  auto queue = bankflow::make_memory_job_queue({.lease = 30s, .max_attempts = 3, .backoff = 1ms, .max_backoff = 5ms}).value();
  const std::string good_bytes = test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv");
  std::vector<std::string> good;
  for (int i = 0; i < 6; ++i) good.push_back(f.upload(good_bytes, "itau.csv"));
  const std::string bad = f.upload(test::slurp(corpus / "invalid/n_extrato.xls"), "x.xls");
  const std::string lost = f.upload("whatever", "lost.csv");
  fs::remove(f.paths.upload(lost));

  recorder finals;
  std::vector<std::unique_ptr<bankflow::job_subscription>> subs;
  for (const auto& id : good) subs.push_back(std::move(*events->subscribe(id, finals.callback())));
  recorder lost_events;
  subs.push_back(std::move(*events->subscribe(lost, lost_events.callback())));

  std::mutex m;
  std::vector<job> processed;
  bankflow::job_worker worker(f.jobs, *queue, *events, f.paths,
                              {.threads = 3, .poll = 20ms, .on_processed = [&](const job& j, std::chrono::nanoseconds d) {
                                 CHECK(d.count() > 0);
                                 std::lock_guard lock(m);
                                 processed.push_back(j);
                               }});
  for (const auto& id : good) REQUIRE(queue->push(id));
  REQUIRE(queue->push(bad));
  REQUIRE(queue->push(lost));

  // processing + completed for each good job; processing ×3 + failed for the lost one.
  REQUIRE(finals.wait_for_count(2 * good.size()));
  REQUIRE(lost_events.wait_for_count(4));
  for (int i = 0; i < 500; ++i) {
    if (*queue->depth() == 0 && f.jobs.get(bad)->status == job_status::failed) break;
    std::this_thread::sleep_for(10ms);
  }
  worker.stop();

  for (const auto& id : good) CHECK(f.jobs.get(id)->status == job_status::completed);
  const job b = *f.jobs.get(bad);
  CHECK(b.status == job_status::failed);
  CHECK(b.error_code == "damaged_container");
  CHECK(b.attempts == 1);

  const job l = *f.jobs.get(lost);
  CHECK(l.status == job_status::failed);
  CHECK(l.error_code == "io_error");
  CHECK(l.error.find("retried 2 times") != std::string::npos);
  CHECK(l.attempts == 3);
  CHECK(lost_events.snapshot().back() == bankflow::to_json(l));
  auto dead = queue->dead_letters();
  REQUIRE(dead);
  REQUIRE(dead->size() == 1);
  CHECK((*dead)[0].first == lost);
  CHECK((*dead)[0].second.find("io_error") != std::string::npos);
  CHECK(*queue->depth() == 0);

  std::lock_guard lock(m);
  CHECK(processed.size() == good.size() + 2);
}

TEST_CASE("stopped workers take nothing more", "[jobs]") {
  fixture f;
  auto events = bankflow::make_memory_job_events().value();
  auto queue = bankflow::make_memory_job_queue().value();
  auto worker = std::make_unique<bankflow::job_worker>(f.jobs, *queue, *events, f.paths,
                                                       bankflow::worker_options{.threads = 2, .poll = 50ms});
  worker->stop();
  const std::string id = f.upload(test::slurp(corpus / "itau/itau-extrato-csv-2025-03-no-futuros.csv"), "a.csv");
  REQUIRE(queue->push(id));
  std::this_thread::sleep_for(100ms);
  CHECK(*queue->depth() == 1);
  CHECK(f.jobs.get(id)->status == job_status::pending);
  worker.reset();  // stop() twice (explicit, then the destructor) is fine
}
