// The ledger's rules, on every SQL target (in-memory SQLite, SQLite file, PostgreSQL when
// BANKFLOW_TEST_DATABASE_URL is set).

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/rules.hpp>
#include <bankflow/statement.hpp>

#include "store/db.hpp"
#include "../store/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace bankflow;
namespace test = bankflow::test;
using std::chrono::milliseconds;

namespace {

constexpr long long start_ms = 1'760'000'000'000LL;

struct fixture {
  std::shared_ptr<std::atomic<long long>> now = std::make_shared<std::atomic<long long>>(start_ms);
  std::optional<database> db;
  std::optional<ledger> lg;

  explicit fixture(const std::string& url) {
    auto d = database::open(url);
    REQUIRE(d);
    db.emplace(std::move(*d));
    auto clock = now;
    auto l = ledger::open(*db, {.clock = [clock] {
                                  return std::chrono::system_clock::time_point(milliseconds(clock->load()));
                                }});
    REQUIRE(l);
    lg.emplace(std::move(*l));
  }
  void advance(milliseconds d) { now->fetch_add(d.count()); }

  void account(const std::string& id, std::uint32_t flags = 0, const std::string& currency = "BRL") {
    auto a = lg->create_account({.id = id, .currency = currency, .flags = flags, .owner = {}});
    if (!a) FAIL(a.error().to_string());
  }
  ledger_account get(const std::string& id) {
    auto a = lg->get_account(id);
    if (!a) FAIL(a.error().to_string());
    return *a;
  }
  result<transfer_result> move(const std::string& id, const std::string& from, const std::string& to,
                               std::int64_t amount, transfer_kind kind = transfer_kind::immediate) {
    transfer_request r;
    r.id = id;
    r.kind = kind;
    r.debit_account = from;
    r.credit_account = to;
    r.amount = amount;
    return lg->submit(r);
  }
  result<transfer_result> resolve(const std::string& id, const std::string& pending, transfer_kind kind,
                                  std::int64_t amount = 0) {
    transfer_request r;
    r.id = id;
    r.kind = kind;
    r.pending_id = pending;
    r.amount = amount;
    return lg->submit(r);
  }
  void require_check() {
    auto c = lg->check();
    REQUIRE(c);
    std::string all;
    for (const auto& p : c->problems) all += p + "; ";
    INFO(all);
    CHECK(c->ok);
  }
};

}  // namespace

TEST_CASE("ledger accounts: caller-chosen ids, idempotent creation, id_conflict naming the field",
          "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      auto a = f.lg->create_account({.id = "alice", .currency = "BRL", .flags = account_no_overdraft, .owner = "s1"});
      REQUIRE(a);
      CHECK_FALSE(a->exists);
      CHECK(a->account.balance() == 0);
      auto again = f.lg->create_account({.id = "alice", .currency = "BRL", .flags = account_no_overdraft, .owner = "s1"});
      REQUIRE(again);
      CHECK(again->exists);
      auto other = f.lg->create_account({.id = "alice", .currency = "USD", .flags = account_no_overdraft, .owner = "s1"});
      REQUIRE_FALSE(other);
      CHECK(other.error().code == errc::id_conflict);
      CHECK(other.error().field == "currency");
      auto flags = f.lg->create_account({.id = "alice", .currency = "BRL", .flags = 0, .owner = "s1"});
      REQUIRE_FALSE(flags);
      CHECK(flags.error().field == "flags");
      auto bad = f.lg->create_account({.id = "bob", .currency = "brl", .flags = 0, .owner = {}});
      REQUIRE_FALSE(bad);
      CHECK(bad.error().code == errc::invalid_argument);
      auto missing = f.lg->get_account("nobody");
      REQUIRE_FALSE(missing);
      CHECK(missing.error().code == errc::not_found);
      CHECK(*f.db->schema_version("ledger") == 3);  // 1: tables, 2: partial indexes (+ PostgreSQL fast-path function), 3: PostgreSQL row-level security
    }
  }
}

TEST_CASE("ledger immediate transfers: counters, no_overdraft, idempotency, failures stay failed", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      f.account("bob");
      f.account("usd", 0, "USD");

      // alice has nothing: a failure, recorded under the id
      auto broke = f.move("t1", "alice", "bob", 100);
      REQUIRE_FALSE(broke);
      CHECK(broke.error().code == errc::insufficient_funds);

      auto fund = f.move("t2", "bank", "alice", 5000);
      REQUIRE(fund);
      CHECK_FALSE(fund->exists);
      CHECK(fund->value.state == transfer_state::posted);
      // the same id and fields: the original result
      auto same = f.move("t2", "bank", "alice", 5000);
      REQUIRE(same);
      CHECK(same->exists);
      CHECK(same->value.amount == 5000);
      // the same id with different fields: an error naming the field
      auto diff = f.move("t2", "bank", "alice", 5001);
      REQUIRE_FALSE(diff);
      CHECK(diff.error().code == errc::id_conflict);
      CHECK(diff.error().field == "amount");
      auto diff2 = f.move("t2", "bank", "bob", 5000);
      REQUIRE_FALSE(diff2);
      CHECK(diff2.error().field == "credit_account");
      transfer_request meta;
      meta.id = "t2";
      meta.debit_account = "bank";
      meta.credit_account = "alice";
      meta.amount = 5000;
      meta.metadata = R"({"note":"x"})";
      auto diff3 = f.lg->submit(meta);
      REQUIRE_FALSE(diff3);
      CHECK(diff3.error().field == "metadata");

      // t1 stays failed even though alice now has the money
      auto retry = f.move("t1", "alice", "bob", 100);
      REQUIRE_FALSE(retry);
      CHECK(retry.error().code == errc::insufficient_funds);
      auto stored = f.lg->get_transfer("t1");
      REQUIRE_FALSE(stored);
      CHECK(stored.error().code == errc::insufficient_funds);

      REQUIRE(f.move("t3", "alice", "bob", 5000));
      auto over = f.move("t4", "alice", "bob", 1);
      REQUIRE_FALSE(over);
      CHECK(over.error().code == errc::insufficient_funds);

      CHECK(f.get("alice").balance() == 0);
      CHECK(f.get("bob").balance() == 5000);
      CHECK(f.get("bank").balance() == -5000);  // no flag: may go negative
      CHECK(f.get("bank").debits_posted == 5000);

      // state-dependent failures are recorded; request errors are not
      auto cur = f.move("t5", "bank", "usd", 10);
      REQUIRE_FALSE(cur);
      CHECK(cur.error().code == errc::currency_mismatch);
      auto nf = f.move("t6", "bank", "ghost", 10);
      REQUIRE_FALSE(nf);
      CHECK(nf.error().code == errc::not_found);
      CHECK(nf.error().field == "credit_account");
      f.account("ghost");
      CHECK(f.move("t6", "bank", "ghost", 10).error().code == errc::not_found);
      auto zero = f.move("t7", "bank", "bob", 0);
      REQUIRE_FALSE(zero);
      CHECK(zero.error().code == errc::invalid_argument);
      CHECK(zero.error().field == "amount");
      CHECK(f.move("t7", "bank", "bob", 7));  // not recorded: the id is still free
      auto self = f.move("t8", "bob", "bob", 7);
      REQUIRE_FALSE(self);
      CHECK(self.error().code == errc::invalid_argument);
      f.require_check();
    }
  }
}

TEST_CASE("ledger pending transfers: holds, partial post, void, resolve at most once", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      f.account("shop");
      REQUIRE(f.move("fund", "bank", "alice", 10000));

      auto hold = f.move("h1", "alice", "shop", 6000, transfer_kind::pending);
      REQUIRE(hold);
      CHECK(hold->value.state == transfer_state::pending);
      auto alice = f.get("alice");
      CHECK(alice.debits_pending == 6000);
      CHECK(alice.balance() == 10000);
      CHECK(alice.available() == 4000);
      CHECK(f.get("shop").credits_pending == 6000);
      // the hold reserves the funds
      CHECK(f.move("x1", "alice", "shop", 4001).error().code == errc::insufficient_funds);

      auto too_much = f.resolve("p0", "h1", transfer_kind::post, 6001);
      REQUIRE_FALSE(too_much);
      CHECK(too_much.error().code == errc::exceeds_pending);
      auto post = f.resolve("p1", "h1", transfer_kind::post, 2500);
      REQUIRE(post);
      CHECK(post->value.amount == 2500);
      CHECK(post->value.debit_account == "alice");
      alice = f.get("alice");
      CHECK(alice.debits_pending == 0);
      CHECK(alice.debits_posted == 2500);
      CHECK(alice.balance() == 7500);
      CHECK(alice.available() == 7500);
      CHECK(f.lg->get_transfer("h1")->state == transfer_state::posted);
      // resolved once only
      auto twice = f.resolve("p2", "h1", transfer_kind::post);
      REQUIRE_FALSE(twice);
      CHECK(twice.error().code == errc::pending_resolved);
      CHECK(f.resolve("v1", "h1", transfer_kind::void_pending).error().code == errc::pending_resolved);
      // the original post again: exists
      auto repeat = f.resolve("p1", "h1", transfer_kind::post, 2500);
      REQUIRE(repeat);
      CHECK(repeat->exists);

      REQUIRE(f.move("h2", "alice", "shop", 1000, transfer_kind::pending));
      auto v = f.resolve("v2", "h2", transfer_kind::void_pending);
      REQUIRE(v);
      CHECK(v->value.state == transfer_state::voided);
      CHECK(f.get("alice").available() == 7500);
      CHECK(f.get("shop").credits_pending == 0);
      REQUIRE(f.move("h3", "alice", "shop", 700, transfer_kind::pending));
      auto full = f.resolve("p3", "h3", transfer_kind::post);
      REQUIRE(full);
      CHECK(full->value.amount == 700);
      CHECK(f.get("shop").balance() == 3200);

      CHECK(f.resolve("p4", "nothing", transfer_kind::post).error().code == errc::not_found);
      CHECK(f.resolve("p5", "fund", transfer_kind::post).error().code == errc::not_found);  // not a pending
      f.require_check();
    }
  }
}

TEST_CASE("ledger pending timeouts: voided lazily on access and by the sweep", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      f.account("shop");
      REQUIRE(f.move("fund", "bank", "alice", 1000));
      transfer_request r;
      r.id = "h1";
      r.kind = transfer_kind::pending;
      r.debit_account = "alice";
      r.credit_account = "shop";
      r.amount = 800;
      r.timeout = milliseconds(60'000);
      REQUIRE(f.lg->submit(r));
      r.id = "h2";
      r.amount = 200;
      REQUIRE(f.lg->submit(r));
      CHECK(f.get("alice").available() == 0);
      f.advance(milliseconds(59'999));
      CHECK(f.get("alice").available() == 0);
      f.advance(milliseconds(1));
      // lazily on access: reading the account voids its run-out holds
      CHECK(f.get("alice").available() == 1000);
      CHECK(f.lg->get_transfer("h1")->state == transfer_state::expired);
      auto late = f.resolve("p1", "h1", transfer_kind::post);
      REQUIRE_FALSE(late);
      CHECK(late.error().code == errc::pending_expired);

      // by a transfer touching the account
      r.id = "h3";
      r.amount = 1000;
      r.timeout = milliseconds(1000);
      REQUIRE(f.lg->submit(r));
      f.advance(milliseconds(1000));
      REQUIRE(f.move("spend", "alice", "shop", 1000));
      CHECK(f.lg->get_transfer("h3")->state == transfer_state::expired);

      // by the sweep
      REQUIRE(f.move("refund", "shop", "alice", 500));
      r.id = "h4";
      r.amount = 300;
      REQUIRE(f.lg->submit(r));
      auto none = f.lg->expire_pending();
      REQUIRE(none);
      CHECK(*none == 0);
      f.advance(milliseconds(5000));
      auto swept = f.lg->expire_pending();
      REQUIRE(swept);
      CHECK(*swept == 1);
      CHECK(f.lg->get_transfer("h4")->state == transfer_state::expired);
      CHECK(f.get("shop").credits_pending == 0);
      CHECK(f.get("alice").available() == 500);
      f.require_check();
    }
  }
}

TEST_CASE("ledger batches: one result each, linked all-or-nothing", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      f.account("bob");
      auto mk = [](std::string id, std::string from, std::string to, std::int64_t amount) {
        transfer_request r;
        r.id = std::move(id);
        r.debit_account = std::move(from);
        r.credit_account = std::move(to);
        r.amount = amount;
        return r;
      };
      std::vector<transfer_request> batch = {mk("b1", "bank", "alice", 100), mk("b2", "alice", "bob", 150),
                                             mk("b3", "alice", "bob", 60), mk("b1", "bank", "alice", 100)};
      auto out = f.lg->submit_batch(batch);
      REQUIRE(out);
      REQUIRE(out->size() == 4);
      CHECK((*out)[0]);
      CHECK((*out)[1].error().code == errc::insufficient_funds);
      CHECK((*out)[2]);
      REQUIRE((*out)[3]);
      CHECK((*out)[3]->exists);
      CHECK(f.get("alice").balance() == 40);

      std::vector<transfer_request> linked = {mk("l1", "bank", "alice", 1000), mk("l2", "alice", "bob", 2000)};
      auto lo = f.lg->submit_batch(linked, {.linked = true});
      REQUIRE(lo);
      CHECK((*lo)[0].error().code == errc::linked_failed);
      CHECK((*lo)[1].error().code == errc::insufficient_funds);
      CHECK(f.get("alice").balance() == 40);
      CHECK(f.lg->get_transfer("l1").error().code == errc::not_found);
      // the ids stay free
      linked[1].amount = 1000;
      auto lo2 = f.lg->submit_batch(linked, {.linked = true});
      REQUIRE(lo2);
      CHECK((*lo2)[0]);
      CHECK((*lo2)[1]);
      CHECK(f.get("alice").balance() == 40);
      CHECK(f.get("bob").balance() == 1060);
      f.require_check();
    }
  }
}

TEST_CASE("ledger batches larger than one multi-row INSERT keep every field of every row", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      f.account("bob");
      // 123 rows: INSERTs of 64, 32, 16, 8, 2 and 1 rows on SQLite (and lookups of as many ids
      // when the batch comes again). Every 10th is refused (alice has nothing), every 3rd is a
      // hold with its own timeout.
      std::vector<transfer_request> batch;
      for (int i = 0; i < 123; ++i) {
        transfer_request r;
        r.id = "big-" + std::to_string(i);
        r.debit_account = i % 10 == 0 ? "alice" : "bank";
        r.credit_account = "bob";
        r.amount = 1 + i;
        if (i % 3 == 0) {
          r.kind = transfer_kind::pending;
          r.timeout = std::chrono::milliseconds(3'600'000 + i);
        }
        r.metadata = "{\"n\":" + std::to_string(i) + "}";
        r.reference = "ref " + std::to_string(i);
        batch.push_back(r);
      }
      auto first = f.lg->submit_batch(batch);
      REQUIRE(first);
      REQUIRE(first->size() == batch.size());
      for (std::size_t i = 0; i < batch.size(); ++i) {
        INFO("row " << i);
        const auto& want = batch[i];
        if (i % 10 == 0) {
          CHECK((*first)[i].error().code == errc::insufficient_funds);
          continue;
        }
        REQUIRE((*first)[i]);
        auto got = f.lg->get_transfer(want.id);
        REQUIRE(got);
        CHECK(got->id == want.id);
        CHECK(got->kind == want.kind);
        CHECK(got->debit_account == want.debit_account);
        CHECK(got->credit_account == want.credit_account);
        CHECK(got->amount == want.amount);
        CHECK(got->metadata == want.metadata);
        CHECK(got->reference == want.reference);
        CHECK(got->state == (want.kind == transfer_kind::pending ? transfer_state::pending : transfer_state::posted));
        CHECK(got->created_at == (*first)[i]->value.created_at);
        if (want.kind == transfer_kind::pending)
          CHECK(got->expires_at - got->created_at == want.timeout);
        else
          CHECK(got->expires_at == std::chrono::system_clock::time_point{});
      }
      // The same batch again: what was accepted exists, what was refused stays refused, and a
      // changed amount is named (the stored request fields read back).
      auto again = f.lg->submit_batch(batch);
      REQUIRE(again);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        INFO("row " << i);
        if (i % 10 == 0) {
          CHECK((*again)[i].error().code == errc::insufficient_funds);
        } else {
          REQUIRE((*again)[i]);
          CHECK((*again)[i]->exists);
        }
      }
      auto changed = batch[61];
      changed.amount += 1;
      auto conflict = f.lg->submit(changed);
      REQUIRE_FALSE(conflict);
      CHECK(conflict.error().code == errc::id_conflict);
      CHECK(conflict.error().field == "amount");
      std::int64_t posted = 0, pending = 0;
      for (std::size_t i = 0; i < batch.size(); ++i)
        if (i % 10 != 0) (batch[i].kind == transfer_kind::pending ? pending : posted) += batch[i].amount;
      auto bob = f.get("bob");
      CHECK(bob.credits_posted == posted);
      CHECK(bob.credits_pending == pending);
      f.require_check();
    }
  }
}

TEST_CASE("ledger batches reusing prepared statements store each row's own values", "[ledger]") {
  // SQLite keeps a statement's bindings between runs and the ledger skips binding a parameter
  // that already holds the same integer, literal or empty text: batches that run the same
  // INSERTs with empty and non-empty texts, other kinds and other numbers in the same places
  // must still store exactly what each row asked for.
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account(std::string("odd \"acc\" ção"));  // quotes, accents
      f.account("bob");
      std::vector<transfer_request> all;
      for (int round = 0; round < 3; ++round) {
        std::vector<transfer_request> batch;
        for (int i = 0; i < 64 + 8; ++i) {
          const bool flip = (i + round) % 2 == 0;
          transfer_request r;
          r.id = "reuse-" + std::to_string(round) + "-" + std::to_string(i) + (flip ? "" : "\x01 ção(");
          r.kind = flip ? transfer_kind::immediate : transfer_kind::pending;
          r.debit_account = round == 1 ? std::string("odd \"acc\" ção") : "bank";
          r.credit_account = "bob";
          r.amount = round == 1 ? 1 : 1 + (i % 7);
          if (!flip) r.timeout = std::chrono::milliseconds(round == 2 ? 5 : 60'000);
          r.metadata = flip ? "" : "{\"i\":" + std::to_string(i) + "}";
          r.reference = (i % 3 == 0) ? "" : "ref " + std::to_string(round);
          batch.push_back(r);
        }
        if (round == 1) {  // the odd account has to have the money first
          auto fund = f.move("fund-odd", "bank", "odd \"acc\" ção", 1000);
          REQUIRE(fund);
        }
        auto out = f.lg->submit_batch(batch);
        REQUIRE(out);
        for (std::size_t i = 0; i < batch.size(); ++i) {
          INFO("round " << round << " row " << i);
          REQUIRE((*out)[i]);
          CHECK_FALSE((*out)[i]->exists);
        }
        all.insert(all.end(), batch.begin(), batch.end());
      }
      std::int64_t odd_out = 0;
      for (const auto& want : all) {
        INFO(want.id);
        auto got = f.lg->get_transfer(want.id);
        REQUIRE(got);
        CHECK(got->id == want.id);
        CHECK(got->kind == want.kind);
        CHECK(got->debit_account == want.debit_account);
        CHECK(got->credit_account == want.credit_account);
        CHECK(got->amount == want.amount);
        CHECK(got->pending_id.empty());
        CHECK(got->metadata == want.metadata);
        CHECK(got->reference == want.reference);
        CHECK(got->state == (want.kind == transfer_kind::pending ? transfer_state::pending : transfer_state::posted));
        if (want.kind == transfer_kind::pending)
          CHECK(got->expires_at - got->created_at == want.timeout);
        else
          CHECK(got->expires_at == std::chrono::system_clock::time_point{});
        if (want.debit_account != "bank") odd_out += want.amount;
      }
      // every request again, in one batch: each is found under its own id with its own fields
      auto again = f.lg->submit_batch(all);
      REQUIRE(again);
      for (std::size_t i = 0; i < all.size(); ++i) {
        INFO(all[i].id);
        REQUIRE((*again)[i]);
        CHECK((*again)[i]->exists);
        CHECK((*again)[i]->value.amount == all[i].amount);
      }
      auto odd = f.get("odd \"acc\" ção");
      CHECK(odd.debits_posted + odd.debits_pending == odd_out);
      f.require_check();
    }
  }
}

TEST_CASE("ledger history: newest first, cursor pages, failures left out", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      f.account("bob");
      for (int i = 0; i < 7; ++i) REQUIRE(f.move("in" + std::to_string(i), "bank", "alice", 100 + i));
      REQUIRE_FALSE(f.move("fail", "alice", "bob", 100000));
      REQUIRE(f.move("out", "alice", "bob", 50));
      REQUIRE(f.move("other", "bank", "bob", 1));
      std::vector<std::string> seen;
      std::string cursor;
      int pages = 0;
      do {
        auto page = f.lg->history("alice", cursor, 3);
        REQUIRE(page);
        ++pages;
        for (const auto& t : page->transfers) seen.push_back(t.id);
        cursor = page->next_cursor;
      } while (!cursor.empty() && pages < 10);
      CHECK(pages == 3);
      CHECK(seen == std::vector<std::string>{"out", "in6", "in5", "in4", "in3", "in2", "in1", "in0"});
      auto bad = f.lg->history("alice", "zzz", 3);
      REQUIRE_FALSE(bad);
      CHECK(bad.error().code == errc::invalid_argument);
    }
  }
}

TEST_CASE("ledger history cursors are opaque and bound to their account", "[ledger]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice");
      f.account("bob");
      for (int i = 0; i < 4; ++i) REQUIRE(f.move("a" + std::to_string(i), "bank", "alice", 10));
      for (int i = 0; i < 4; ++i) REQUIRE(f.move("b" + std::to_string(i), "bank", "bob", 10));
      auto alice = f.lg->history("alice", {}, 2);
      REQUIRE(alice);
      const std::string cursor = alice->next_cursor;
      REQUIRE_FALSE(cursor.empty());
      CHECK(cursor.front() != 'h');  // not the old "h<global sequence number>"
      auto next = f.lg->history("alice", cursor, 2);
      REQUIRE(next);
      REQUIRE(next->transfers.size() == 2);
      CHECK(next->transfers[0].id == "a1");
      // bob cannot page with alice's cursor, nor with a counter of his own making
      auto stolen = f.lg->history("bob", cursor, 2);
      REQUIRE_FALSE(stolen);
      CHECK(stolen.error().code == errc::invalid_argument);
      auto counter = f.lg->history("bob", "h5", 2);
      REQUIRE_FALSE(counter);
      CHECK(counter.error().code == errc::invalid_argument);
      // the bank sees both accounts' transfers: alice's cursor names one of its transfers too
      CHECK(f.lg->history("bank", cursor, 2));
    }
  }
}

TEST_CASE("ledger statement import: keyed by dedupe_key, overlapping files add only what is new",
          "[ledger]") {
  using namespace std::chrono;
  auto make = [](std::vector<std::pair<int, std::int64_t>> rows) {
    statement st;
    st.bank = find_bank("itau");
    st.format = "test";
    st.accounts.push_back({.branch = "1234", .number = "56789-0", .kind = account_kind::checking,
                           .opening_balance = {}, .closing_balance = {}, .closing_balance_date = {}, .holder = {}});
    for (const auto& [day, amount] : rows) {
      transaction t;
      t.posted = year{2025} / April / day;
      t.description = st.keep("MOVE " + std::to_string(day));
      t.amount = amount;
      t.line = static_cast<std::size_t>(day);
      st.transactions.push_back(t);
    }
    compute_dedupe_keys(st);
    return st;
  };
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("checking");
      f.account("external:itau");
      const statement march = make({{1, 10000}, {2, -2500}, {3, 0}, {4, -100}});
      auto first = f.lg->import_statement(march, "checking", "external:itau");
      REQUIRE(first);
      CHECK(first->added == 3);
      CHECK(first->already_present == 0);
      CHECK(first->skipped == 1);
      CHECK(first->failures.empty());
      CHECK(f.get("checking").balance() == 7400);
      auto again = f.lg->import_statement(march, "checking", "external:itau");
      REQUIRE(again);
      CHECK(again->added == 0);
      CHECK(again->already_present == 3);
      const statement overlap = make({{4, -100}, {5, 700}});
      auto third = f.lg->import_statement(overlap, "checking", "external:itau");
      REQUIRE(third);
      CHECK(third->added == 1);
      CHECK(third->already_present == 1);
      CHECK(f.get("checking").balance() == 8100);
      auto page = f.lg->history("checking", {}, 10);
      REQUIRE(page);
      REQUIRE(page->transfers.size() == 4);
      CHECK(page->transfers[0].reference == "MOVE 5");
      CHECK(page->transfers[0].id == "stmt:checking:" + format_dedupe_key(overlap.transactions[1].dedupe_key));
      CHECK(page->transfers[0].metadata.find("\"date\":\"2025-04-05\"") != std::string::npos);
      f.require_check();
    }
  }
}

TEST_CASE("import carries what a row is into the metadata; new rules on a re-import change nothing",
          "[ledger][import]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      REQUIRE(f.lg->create_account({.id = "nubank", .currency = "BRL", .flags = 0, .owner = {}}));
      REQUIRE(f.lg->create_account({.id = "external:nubank", .currency = "BRL", .flags = 0, .owner = {}}));
      const std::string csv =
          "Data,Valor,Identificador,Descri\xc3\xa7\xc3\xa3o\n"
          "06/07/2025,-63.49,686a6a2c-7767-4dd3-8b6f-648df2cd1acf,Compra no d\xc3\xa9" "bito via NuPay - iFood\n"
          "18/07/2025,-45.00,687a8ab0-e0a9-4fb2-8e0b-5f45358d8de6,Transfer\xc3\xaancia enviada pelo Pix - LUCAS & "
          "FILHOS LTDA - 98.765.432/0001-10 - BCO BRADESCO S.A. (0237) Ag\xc3\xaancia: 3456 Conta: 78901-2\n";
      auto st = parse(csv);
      REQUIRE(st);
      auto first = f.lg->import_statement(*st, "nubank", "external:nubank");
      REQUIRE(first);
      CHECK(first->added == 2);
      auto page = f.lg->history("nubank", {}, 10);
      REQUIRE(page);
      REQUIRE(page->transfers.size() == 2);
      const std::string& pix = page->transfers[0].metadata;
      CHECK(pix.find(R"("kind":"pix")") != std::string::npos);
      CHECK(pix.find(R"("category":"Transferências")") != std::string::npos);
      CHECK(pix.find(R"("counterparty":{"name":"LUCAS & FILHOS LTDA","document":"98.765.432/0001-10","bank":"237"})") !=
            std::string::npos);
      CHECK(page->transfers[1].metadata.find(R"("merchant":"iFood")") != std::string::npos);
      // the user's own rules give the iFood row another category: the same movement, not a conflict
      auto rules = parse_rules(R"([{"category": "Delivery", "merchant": "ifood"}])");
      REQUIRE(rules);
      auto ruled = parse(csv, {.category_rules = &rules->rules});
      REQUIRE(ruled);
      auto again = f.lg->import_statement(*ruled, "nubank", "external:nubank");
      REQUIRE(again);
      CHECK(again->added == 0);
      CHECK(again->already_present == 2);
      CHECK(again->failures.empty());
      f.require_check();
    }
  }
}

TEST_CASE("ledger check reports a broken invariant", "[ledger]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      fixture f(target.url);
      f.account("bank");
      f.account("alice", account_no_overdraft);
      REQUIRE(f.move("t1", "bank", "alice", 100));
      f.require_check();
      auto ok = detail::with_session(detail::database_access::impl(*f.db), "corrupt", [](soci::session& sql) {
        sql << "UPDATE bankflow_ledger_accounts SET debits_posted = 500 WHERE id = 'alice'";
      });
      REQUIRE(ok);
      auto c = f.lg->check();
      REQUIRE(c);
      CHECK_FALSE(c->ok);
      CHECK(c->problems.size() >= 3);  // totals, overdraft, counters vs transfers
    }
  }
}

TEST_CASE("ledger error codes keep their numbers and names", "[ledger]") {
  CHECK(static_cast<int>(errc::id_conflict) == 90);
  CHECK(static_cast<int>(errc::linked_failed) == 96);
  CHECK(to_string(errc::id_conflict) == "id_conflict");
  CHECK(to_string(errc::insufficient_funds) == "insufficient_funds");
  CHECK(to_string(errc::currency_mismatch) == "currency_mismatch");
  CHECK(to_string(errc::pending_resolved) == "pending_resolved");
  CHECK(to_string(errc::pending_expired) == "pending_expired");
  CHECK(to_string(errc::exceeds_pending) == "exceeds_pending");
  CHECK(to_string(errc::linked_failed) == "linked_failed");
  CHECK(make_error_code(errc::insufficient_funds).message() == "the account cannot go below zero");
}
