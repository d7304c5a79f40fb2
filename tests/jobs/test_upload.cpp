// submit_upload: an upload becomes a pending, queued job, or is refused (size, content, rate
// limit) before anything is stored; a failure after the file is written leaves nothing behind.

#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/session.hpp>

#include "jobs_test_support.hpp"

#include <catch2/catch.hpp>

using bankflow::errc;
using bankflow::job_status;
using bankflow::job_store;
namespace fs = std::filesystem;
namespace test = bankflow::test;

namespace {

const fs::path corpus = BANKFLOW_CORPUS_DIR;

std::string statement_bytes() { return test::slurp(corpus / "itau" / "itau-extrato-csv-2024-11-saidas-futuras-utf8.csv"); }

// A queue whose push always fails (Redis down).
class broken_queue final : public bankflow::job_queue {
 public:
  bankflow::result<void> push(std::string_view) override {
    return bankflow::make_error(errc::storage_error, "the queue is down");
  }
  bankflow::result<std::optional<bankflow::queue_item>> take(std::chrono::milliseconds) override {
    return std::optional<bankflow::queue_item>();
  }
  bankflow::result<void> ack(const bankflow::queue_item&) override { return {}; }
  bankflow::result<bool> retry(const bankflow::queue_item&, std::string_view) override { return false; }
  bankflow::result<std::size_t> depth() override { return std::size_t{0}; }
  bankflow::result<std::vector<std::pair<std::string, std::string>>> dead_letters() override {
    return std::vector<std::pair<std::string, std::string>>{};
  }
};

struct fixture {
  test::temp_dir dir;
  bankflow::database db = std::move(*bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string()));
  job_store jobs = std::move(*job_store::open(db));
  bankflow::job_paths paths{dir.path() / "data"};
  std::unique_ptr<bankflow::job_queue> queue = bankflow::make_memory_job_queue().value();
  std::unique_ptr<bankflow::rate_limit_store> counts = bankflow::make_memory_rate_limit_store().value();
  bankflow::rate_limiter limiter{*counts};

  fixture() {
    REQUIRE(paths.prepare());
    limiter.set_limit("upload", {1, std::chrono::hours(1)});
    limiter.set_address_limit("upload", {5, std::chrono::hours(1)});
  }

  bankflow::upload_intake intake(bankflow::job_queue* q = nullptr) {
    return {jobs, q != nullptr ? *q : *queue, paths, &limiter, 1024 * 1024, 0};
  }
};

bankflow::upload_request upload_of(std::string_view data, std::string_view owner = "owner") {
  return {.owner = owner,
          .client = "203.0.113.7",
          .filename = "extrato.csv",
          .data = data,
          .skip_bad_rows = false,
          .pdf_password = {}};
}

}  // namespace

TEST_CASE("an accepted upload is written, recorded pending and queued", "[jobs][upload]") {
  fixture f;
  const std::string bytes = statement_bytes();
  auto j = submit_upload(f.intake(), upload_of(bytes));
  REQUIRE(j);
  CHECK(j->status == job_status::pending);
  CHECK(j->owner == "owner");
  CHECK(j->filename == "extrato.csv");
  CHECK(j->size == bytes.size());
  CHECK(test::slurp(f.paths.upload(j->id)) == bytes);
  CHECK(f.jobs.get_owned("owner", j->id));
  CHECK(*f.queue->depth() == 1);
}

TEST_CASE("an upload no worker could read is refused with the library's reason and stores nothing",
          "[jobs][upload]") {
  fixture f;
  auto j = submit_upload(f.intake(), upload_of("this is no bank statement at all\n"));
  REQUIRE_FALSE(j);
  CHECK(j.error().code != errc::ok);
  CHECK(j.error().code != errc::rate_limited);
  CHECK(test::files_below(f.paths.data_dir).empty());
  CHECK(f.jobs.list("owner")->empty());
  CHECK(*f.queue->depth() == 0);

  SECTION("and it does not count against the rate limit") {
    CHECK(submit_upload(f.intake(), upload_of(statement_bytes())));
  }
}

TEST_CASE("an upload past the size limit is payload_too_large", "[jobs][upload]") {
  fixture f;
  auto in = f.intake();
  in.max_bytes = 10;
  auto j = submit_upload(in, upload_of(statement_bytes()));
  REQUIRE_FALSE(j);
  CHECK(j.error().code == errc::payload_too_large);
  CHECK(f.jobs.list("owner")->empty());
}

TEST_CASE("an upload past the session's rate limit is refused with when to retry", "[jobs][upload]") {
  fixture f;
  const std::string bytes = statement_bytes();
  REQUIRE(submit_upload(f.intake(), upload_of(bytes)));
  std::chrono::seconds retry_after{0};
  auto second = submit_upload(f.intake(), upload_of(bytes), &retry_after);
  REQUIRE_FALSE(second);
  CHECK(second.error().code == errc::rate_limited);
  CHECK(second.error().message.starts_with("at most 1 uploads per hour: try again in "));
  CHECK(retry_after >= std::chrono::seconds(1));
  CHECK(f.jobs.list("owner")->size() == 1);
  CHECK(submit_upload(f.intake(), upload_of(bytes, "another owner")));  // other sessions are not held back
}

TEST_CASE("an upload that cannot be queued fails its job and leaves no file", "[jobs][upload]") {
  fixture f;
  broken_queue down;
  auto j = submit_upload(f.intake(&down), upload_of(statement_bytes()));
  REQUIRE_FALSE(j);
  CHECK(j.error().code == errc::storage_error);
  auto listed = f.jobs.list("owner");
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().status == job_status::failed);
  CHECK(test::files_below(f.paths.data_dir).empty());
}

TEST_CASE("an upload whose file cannot be written records no job", "[jobs][upload]") {
  fixture f;
  fs::remove_all(f.paths.data_dir / "uploads");
  test::spit(f.paths.data_dir / "uploads", "a file where the directory should be");
  auto j = submit_upload(f.intake(), upload_of(statement_bytes()));
  REQUIRE_FALSE(j);
  CHECK(j.error().code == errc::io_error);
  CHECK(f.jobs.list("owner")->empty());
  CHECK(*f.queue->depth() == 0);
}
