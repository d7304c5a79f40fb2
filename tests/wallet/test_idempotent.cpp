// run_idempotent: the Idempotency-Key state machine a money request runs in (claim, replay,
// mismatch, in progress, release on a server error).

#include <bankflow/database.hpp>
#include <bankflow/wallet.hpp>

#include "../store/test_support.hpp"

#include <catch2/catch.hpp>

using namespace bankflow;

namespace {

// Counts its calls and answers with a fixed response.
struct counted_run {
  int calls = 0;
  idempotent_response answer{201, "{\"ok\":true}\n"};
  std::function<idempotent_response()> fn() {
    return [this] {
      ++calls;
      return answer;
    };
  }
};

// Runs `check` once per SQL backend (a SECTION each) with a fresh store.
void for_each_store(const std::function<void(idempotency_store&)>& check) {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto store = idempotency_store::open(*db);
      REQUIRE(store);
      check(*store);
    }
  }
}

}  // namespace

TEST_CASE("run_idempotent runs a new key once and replays it for the same request", "[wallet][idempotency]") {
  for_each_store([](idempotency_store& store) {
    counted_run run;

    auto first = run_idempotent(store, "s1 deposits", "k1", "body-a", run.fn());
    REQUIRE(first);
    CHECK_FALSE(first->replayed);
    CHECK(first->response.status == 201);
    CHECK_FALSE(first->unrecorded);

    auto again = run_idempotent(store, "s1 deposits", "k1", "body-a", run.fn());
    REQUIRE(again);
    CHECK(again->replayed);
    CHECK(again->response.status == 201);
    CHECK(again->response.body == "{\"ok\":true}\n");
    CHECK(run.calls == 1);

    auto other_scope = run_idempotent(store, "s2 deposits", "k1", "body-b", run.fn());
    REQUIRE(other_scope);
    CHECK_FALSE(other_scope->replayed);
    CHECK(run.calls == 2);
  });
}

TEST_CASE("run_idempotent refuses a missing key, another body and a key still running", "[wallet][idempotency]") {
  for_each_store([](idempotency_store& store) {
    counted_run run;

    auto missing = run_idempotent(store, "s1 deposits", "", "body-a", run.fn());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == errc::idempotency_key_required);

    REQUIRE(run_idempotent(store, "s1 deposits", "k1", "body-a", run.fn()));
    auto mismatch = run_idempotent(store, "s1 deposits", "k1", "body-b", run.fn());
    REQUIRE_FALSE(mismatch);
    CHECK(mismatch.error().code == errc::idempotency_mismatch);

    auto claimed = store.begin("s1 deposits", "k2", "body-a");  // another request holds k2
    REQUIRE(claimed);
    auto running = run_idempotent(store, "s1 deposits", "k2", "body-a", run.fn());
    REQUIRE_FALSE(running);
    CHECK(running.error().code == errc::idempotency_in_progress);
    CHECK(run.calls == 1);
  });
}

TEST_CASE("run_idempotent releases the key after a server error so a retry runs again", "[wallet][idempotency]") {
  for_each_store([](idempotency_store& store) {
    counted_run run;
    run.answer = {503, "{\"error\":{}}\n"};

    auto failed = run_idempotent(store, "s1 withdrawals", "k1", "body-a", run.fn());
    REQUIRE(failed);
    CHECK(failed->response.status == 503);

    run.answer = {201, "{\"ok\":true}\n"};
    auto retried = run_idempotent(store, "s1 withdrawals", "k1", "body-a", run.fn());
    REQUIRE(retried);
    CHECK_FALSE(retried->replayed);
    CHECK(retried->response.status == 201);
    CHECK(run.calls == 2);
  });
}
