// The ledger's rules over rows in memory (libbankflow/ledger/rules.hpp), the words kinds and states
// become in SQL, the import plan and the JSON of transfers and accounts: no database in this file.

#include <bankflow/ledger.hpp>
#include <bankflow/statement.hpp>

#include "ledger/import.hpp"
#include "ledger/rules.hpp"
#include "ledger/statements.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace bankflow;
using namespace bankflow::detail;
using std::chrono::milliseconds;

namespace {

constexpr long long now_ms = 1'760'000'000'000LL;

account_row account(std::string id, long long credits_posted = 0, long long flags = 0,
                    std::string currency = "BRL") {
  account_row a;
  a.id = std::move(id);
  a.currency = std::move(currency);
  a.flags = flags;
  a.credits_posted = credits_posted;
  return a;
}

transfer_request request(std::string id, transfer_kind kind, std::string debit, std::string credit,
                         std::int64_t amount) {
  transfer_request r;
  r.id = std::move(id);
  r.kind = kind;
  r.debit_account = std::move(debit);
  r.credit_account = std::move(credit);
  r.amount = amount;
  return r;
}

transfer_request resolve(std::string id, transfer_kind kind, std::string pending_id, std::int64_t amount = 0) {
  transfer_request r = request(std::move(id), kind, "", "", amount);
  r.pending_id = std::move(pending_id);
  return r;
}

// Rules over two accounts, "a" (with 100.00 in it, no overdraft) and "b".
ledger_rules two_accounts() {
  ledger_rules rules(now_ms);
  rules.load_account(account("a", 10000, account_no_overdraft));
  rules.load_account(account("b"));
  return rules;
}

// A stored pending transfer of 30.00 from a to b, expiring at `expires_at` (0: never).
transfer_row stored_hold(long long expires_at) {
  transfer_row h = accepted_row(request("hold", transfer_kind::pending, "a", "b", 3000), now_ms - 1000);
  h.expires_at = expires_at;
  return h;
}

// Rules over "a" and "b" and a stored hold of 30.00 between them (their pending counters set).
ledger_rules holding(long long expires_at) {
  ledger_rules rules(now_ms);
  account_row a = account("a", 10000, account_no_overdraft);
  a.debits_pending = 3000;
  account_row b = account("b");
  b.credits_pending = 3000;
  rules.load_account(a);
  rules.load_account(b);
  rules.load_transfer(stored_hold(expires_at));
  return rules;
}

}  // namespace

TEST_CASE("malformed transfer requests are refused on their own, naming the field", "[ledger][rules]") {
  auto [r, field] = GENERATE(table<transfer_request, std::string>({
      {request("", transfer_kind::immediate, "a", "b", 1), "id"},
      {request(std::string(129, 'x'), transfer_kind::immediate, "a", "b", 1), "id"},
      {request("t", transfer_kind::immediate, "a", "b", -1), "amount"},
      {request("t", transfer_kind::immediate, "a", "b", 0), "amount"},
      {request("t", transfer_kind::immediate, "", "b", 1), "debit_account"},
      {request("t", transfer_kind::immediate, "a", "", 1), "credit_account"},
      {request("t", transfer_kind::immediate, "a", "a", 1), "credit_account"},
      {resolve("t", transfer_kind::post, ""), "pending_id"},
  }));
  auto bad = validate(r);
  REQUIRE(bad);
  CHECK(bad->code == errc::invalid_argument);
  CHECK(bad->field == field);
  CHECK_FALSE(validate(request("t", transfer_kind::immediate, "a", "b", 1)));
}

TEST_CASE("kinds and states cross the SQL boundary as words and come back as the same enums", "[ledger][rules]") {
  for (auto k : {transfer_kind::immediate, transfer_kind::pending, transfer_kind::post, transfer_kind::void_pending})
    CHECK(kind_from_string(to_string(k)) == k);
  for (auto s : {transfer_state::posted, transfer_state::pending, transfer_state::voided, transfer_state::expired}) {
    transfer_row row;
    row.state = s;
    transfer_row back;
    read_state_word(state_word(row), back);
    CHECK(back.state == s);
    CHECK_FALSE(back.failed);
  }
  transfer_row failed;
  failed.failed = true;
  CHECK(state_word(failed) == "failed");
  transfer_row back;
  read_state_word("failed", back);
  CHECK(back.failed);
}

TEST_CASE("an immediate transfer moves the counters in memory and becomes one posted row", "[ledger][rules]") {
  ledger_rules rules = two_accounts();
  auto out = rules.run(std::vector{request("t1", transfer_kind::immediate, "a", "b", 2500)}, false);
  REQUIRE(out.size() == 1);
  REQUIRE(out[0]);
  CHECK(out[0]->value.state == transfer_state::posted);
  CHECK_FALSE(out[0]->exists);
  CHECK(rules.account("a")->debits_posted == 2500);
  CHECK(rules.account("b")->credits_posted == 2500);
  CHECK(rules.deltas().at("a").debits_posted == 2500);
  REQUIRE(rules.inserts().size() == 1);
  CHECK(rules.inserts()[0].id == "t1");
  CHECK(rules.inserts()[0].created_at == now_ms);
}

TEST_CASE("a withdrawal beyond a no-overdraft account's available balance is recorded as failed",
          "[ledger][rules]") {
  ledger_rules rules = two_accounts();
  const auto big = request("t1", transfer_kind::immediate, "a", "b", 10001);
  auto out = rules.run(std::vector{big, big}, false);
  REQUIRE_FALSE(out[0]);
  CHECK(out[0].error().code == errc::insufficient_funds);
  REQUIRE_FALSE(out[1]);  // the repeat gets the recorded error
  CHECK(out[1].error().code == errc::insufficient_funds);
  REQUIRE(rules.inserts().size() == 1);
  CHECK(rules.inserts()[0].failed);
  CHECK(state_word(rules.inserts()[0]) == "failed");
  CHECK(rules.account("a")->debits_posted == 0);
}

TEST_CASE("a repeated id with another field is an id_conflict naming the field", "[ledger][rules]") {
  ledger_rules rules = two_accounts();
  auto out = rules.run(std::vector{request("t1", transfer_kind::immediate, "a", "b", 100),
                                   request("t1", transfer_kind::immediate, "a", "b", 200)},
                       false);
  REQUIRE(out[0]);
  REQUIRE_FALSE(out[1]);
  CHECK(out[1].error().code == errc::id_conflict);
  CHECK(out[1].error().field == "amount");
}

TEST_CASE("a hold loaded from the store is posted in part and changes state", "[ledger][rules]") {
  ledger_rules rules = holding(0);
  auto out = rules.run(std::vector{resolve("p1", transfer_kind::post, "hold", 1000)}, false);
  REQUIRE(out[0]);
  CHECK(out[0]->value.amount == 1000);
  CHECK(out[0]->value.debit_account == "a");
  CHECK(rules.state_changes().at("hold") == transfer_state::posted);
  CHECK(rules.account("a")->debits_pending == 0);
  CHECK(rules.account("a")->debits_posted == 1000);
  CHECK(rules.account("b")->credits_posted == 1000);

  auto again = rules.run(std::vector{resolve("v1", transfer_kind::void_pending, "hold")}, false);
  REQUIRE_FALSE(again[0]);
  CHECK(again[0].error().code == errc::pending_resolved);
}

TEST_CASE("a hold whose timeout passed is expired, and a post of it fails", "[ledger][rules]") {
  ledger_rules rules = holding(now_ms - 1);
  auto out = rules.run(std::vector{resolve("p1", transfer_kind::post, "hold")}, false);
  REQUIRE_FALSE(out[0]);
  CHECK(out[0].error().code == errc::pending_expired);
  CHECK(rules.expired() == 1);
  CHECK(rules.state_changes().at("hold") == transfer_state::expired);
  CHECK(rules.account("a")->debits_pending == 0);
  CHECK(rules.account("b")->credits_pending == 0);
}

TEST_CASE("a hold whose timeout is still ahead is not expired", "[ledger][rules]") {
  ledger_rules rules = two_accounts();
  rules.expire(stored_hold(now_ms + 1));
  CHECK(rules.expired() == 0);
  CHECK(rules.state_changes().empty());
}

TEST_CASE("a linked batch with one failure leaves nothing behind", "[ledger][rules]") {
  ledger_rules rules = two_accounts();
  auto out = rules.run(std::vector{request("t1", transfer_kind::immediate, "a", "b", 100),
                                   request("t2", transfer_kind::immediate, "a", "nobody", 100)},
                       true);
  REQUIRE_FALSE(out[0]);
  CHECK(out[0].error().code == errc::linked_failed);
  REQUIRE_FALSE(out[1]);
  CHECK(out[1].error().code == errc::not_found);
  CHECK(rules.inserts().empty());
  CHECK(rules.account("a")->debits_posted == 0);
  CHECK(rules.find_row("t1") == nullptr);
}

TEST_CASE("statement import plans one transfer per transaction of the account", "[ledger][import]") {
  statement st;
  st.accounts.resize(2);
  transaction in;
  in.posted = date{std::chrono::year{2025}, std::chrono::month{3}, std::chrono::day{4}};
  in.description = "Salary";
  in.amount = 500000;
  in.fitid = "F\"1";
  in.dedupe_key = 0xabc;
  in.line = 7;
  transaction out = in;
  out.amount = -1999;
  out.description = "Coffee";
  out.line = 8;
  transaction zero = in;
  zero.amount = 0;
  transaction other = in;
  other.account_index = 1;
  st.transactions = {in, out, zero, other};

  const import_plan plan = plan_import(st, "acct", "world", 0);
  CHECK(plan.skipped == 2);
  REQUIRE(plan.requests.size() == 2);
  CHECK(plan.lines == std::vector<std::size_t>{7, 8});
  CHECK(plan.requests[0].debit_account == "world");
  CHECK(plan.requests[0].credit_account == "acct");
  CHECK(plan.requests[0].amount == 500000);
  CHECK(plan.requests[1].debit_account == "acct");
  CHECK(plan.requests[1].amount == 1999);
  CHECK(plan.requests[0].id == "stmt:acct:" + format_dedupe_key(0xabc));
  CHECK(plan.requests[0].metadata == "{\"date\":\"2025-03-04\",\"fitid\":\"F\\\"1\",\"document\":\"\",\"dedupe_key\":\"" +
                                         format_dedupe_key(0xabc) + "\"}");
}

TEST_CASE("to_json of a transfer and of an account has the CLI's shape", "[ledger][json]") {
  transfer t;
  t.id = "t\"1";
  t.kind = transfer_kind::void_pending;
  t.debit_account = "a";
  t.credit_account = "b";
  t.amount = 12345;
  t.state = transfer_state::voided;
  t.reference = "ref";
  CHECK(to_json(transfer_result{t, true}) ==
        R"({"id":"t\"1","kind":"void","debit":"a","credit":"b","amount":"123.45","state":"voided",)"
        R"("exists":true,"reference":"ref"})");
  CHECK(to_json(t) == to_json(transfer_result{t, false}));

  ledger_account a;
  a.id = "a";
  a.currency = "BRL";
  a.flags = account_no_overdraft;
  a.credits_posted = 1000;
  a.debits_posted = 250;
  a.debits_pending = 100;
  CHECK(to_json(a) ==
        R"({"account": "a", "currency": "BRL", "balance": "7.50", "posted_credits": "10.00", )"
        R"("posted_debits": "2.50", "pending_credits": "0.00", "pending_debits": "1.00", "available": "6.50", )"
        R"("no_overdraft": true})");
}
