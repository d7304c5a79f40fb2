// The wallet: idempotency keys, provider events, deposits/withdrawals settled exactly once, the
// audit trail, and the simulated provider's loop — on SQLite and PostgreSQL.

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/wallet.hpp>
#include <bankflow/webhook.hpp>

#include "../store/test_support.hpp"
#include "store/db.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <limits>
#include <mutex>
#include <thread>

using namespace bankflow;
using namespace std::chrono_literals;

namespace {

// A provider that only records what it was asked; the test sends the events itself.
class manual_provider final : public payment_provider {
 public:
  std::string_view name() const noexcept override { return "manual"; }
  result<provider_deposit> create_deposit(std::string_view id, std::int64_t, std::string_view) override {
    if (fail_next) return make_error(errc::storage_error, "provider unavailable");
    std::lock_guard lock(m);
    asked.emplace_back(id);
    return provider_deposit{"ref-" + std::string(id), "pay me"};
  }
  result<provider_payout> request_payout(std::string_view id, std::int64_t, std::string_view,
                                         std::string_view) override {
    if (fail_next) return make_error(errc::storage_error, "provider unavailable");
    std::lock_guard lock(m);
    asked.emplace_back(id);
    return provider_payout{"pay-" + std::string(id)};
  }
  // Reconciliation: what the test says the provider knows (unset: unknown); a query error on demand.
  result<provider_status> query(std::string_view id, std::string_view) override {
    std::lock_guard lock(m);
    ++queries;
    if (query_fails) return make_error(errc::io_error, "provider unreachable");
    auto it = status.find(std::string(id));
    return it == status.end() ? provider_status::unknown : it->second;
  }
  std::map<std::string, provider_status> status;
  int queries = 0;
  bool query_fails = false;
  std::mutex m;
  std::vector<std::string> asked;
  bool fail_next = false;
};

payment_event event_for(std::string type, const transfer& hold, std::string id) {
  payment_event e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.transfer_id = hold.id;
  e.amount = hold.amount;
  auto parsed = parse_payment_event(to_json(e));  // what the server would do with the body
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("provider events parse and name the bad field", "[wallet]") {
  payment_event e;
  e.id = "evt_1";
  e.type = "withdrawal.failed";
  e.transfer_id = "wd_1";
  e.amount = 4000;
  e.reference = "pay-1";
  e.reason = "refused";
  auto back = parse_payment_event(to_json(e));
  REQUIRE(back);
  CHECK(back->kind == payment_event_type::withdrawal_failed);
  CHECK(back->transfer_id == "wd_1");
  CHECK(back->amount == 4000);
  CHECK(back->reason == "refused");

  auto unknown = parse_payment_event(R"({"id":"evt_2","type":"charge.dispute"})");
  REQUIRE(unknown);
  CHECK(unknown->kind == payment_event_type::other);

  using row = std::pair<const char*, const char*>;
  auto [body, field] = GENERATE(row{R"({"type":"deposit.succeeded","data":{"transfer_id":"x"}})", "id"},
                                row{R"({"id":"e","data":{}})", "type"},
                                row{R"({"id":"e","type":"deposit.succeeded"})", "data"},
                                row{R"({"id":"e","type":"deposit.succeeded","data":{}})", "data.transfer_id"},
                                row{R"({"id":"e","type":"deposit.succeeded","data":{"transfer_id":"x","amount":1}})",
                                    "data.amount"},
                                row{R"([1,2])", ""}, row{"not json", ""});
  auto r = parse_payment_event(body);
  INFO(body);
  REQUIRE_FALSE(r);
  CHECK(r.error().field == field);
}

TEST_CASE("idempotency keys replay, refuse a different body, and report a running request", "[wallet]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
      idempotency_options opt;
      opt.clock = [&] { return now; };
      auto store = idempotency_store::open(*db, opt);
      REQUIRE(store);

      auto first = store->begin("s1:deposit", "k1", "body-a");
      REQUIRE(first);
      CHECK(first->state == idempotency_state::started);
      auto again = store->begin("s1:deposit", "k1", "body-a");
      REQUIRE(again);
      CHECK(again->state == idempotency_state::in_progress);
      auto other_body = store->begin("s1:deposit", "k1", "body-b");
      REQUIRE(other_body);
      CHECK(other_body->state == idempotency_state::mismatch);
      // Another session may use the same key.
      auto other_scope = store->begin("s2:deposit", "k1", "body-b");
      REQUIRE(other_scope);
      CHECK(other_scope->state == idempotency_state::started);

      REQUIRE(store->finish("s1:deposit", "k1", 201, R"({"ok":true})"));
      auto replay = store->begin("s1:deposit", "k1", "body-a");
      REQUIRE(replay);
      CHECK(replay->state == idempotency_state::replay);
      CHECK(replay->status == 201);
      CHECK(replay->body == R"({"ok":true})");

      // A released claim runs again; a claim whose process died is taken over once stale.
      REQUIRE(store->begin("s1:deposit", "k2", "x")->state == idempotency_state::started);
      REQUIRE(store->release("s1:deposit", "k2"));
      CHECK(store->begin("s1:deposit", "k2", "x")->state == idempotency_state::started);
      now += 61s;
      CHECK(store->begin("s1:deposit", "k2", "x")->state == idempotency_state::started);

      // After the ttl the key is free again, and purged.
      now += 25h;
      CHECK(store->begin("s1:deposit", "k1", "body-z")->state == idempotency_state::started);
      auto purged = store->purge_expired();
      REQUIRE(purged);
      CHECK(*purged == 2);  // s2:k1 and s1:k2; s1:k1 was just renewed

      auto empty = store->begin("s", "", "x");
      REQUIRE_FALSE(empty);
      CHECK(empty.error().code == errc::invalid_argument);
    }
  }
}

TEST_CASE("concurrent requests with one idempotency key: exactly one runs", "[wallet][race]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto store = idempotency_store::open(*db);
      REQUIRE(store);
      std::atomic<int> started{0}, running{0}, other{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
          for (int i = 0; i < 10; ++i) {
            auto c = store->begin("race", "key-" + std::to_string(i), "same");
            if (!c) ++other;
            else if (c->state == idempotency_state::started) ++started;
            else if (c->state == idempotency_state::in_progress) ++running;
            else ++other;
          }
        });
      for (auto& t : threads) t.join();
      CHECK(started == 10);
      CHECK(running == 70);
      CHECK(other == 0);
    }
  }
}

TEST_CASE("deposits and withdrawals settle exactly once and leave a trail", "[wallet]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto book = ledger::open(*db);
      REQUIRE(book);
      manual_provider provider;
      auto wallet = wallet_service::open(*db, *book, provider);
      REQUIRE(wallet);

      auto empty = wallet->balance("sess-a");
      REQUIRE(empty);
      CHECK(empty->account == "wallet:sess-a");
      CHECK(empty->balance == 0);
      CHECK(to_json(*empty) ==
            R"({"account":"wallet:sess-a","currency":"BRL","balance":"0.00","available":"0.00","pending_in":"0.00","pending_out":"0.00"})");

      auto dep = wallet->deposit("sess-a", 10000, {"req-1", "idem-1"});
      REQUIRE(dep);
      CHECK(dep->hold.state == transfer_state::pending);
      CHECK(dep->reference == "ref-" + dep->hold.id);
      auto b = wallet->balance("sess-a");
      CHECK(b->pending_in == 10000);
      CHECK(b->available == 0);

      const auto ok = event_for("deposit.succeeded", dep->hold, "evt-1");
      auto applied = wallet->apply(ok, to_json(ok));
      REQUIRE(applied);
      CHECK(*applied == event_outcome::posted);
      for (int i = 0; i < 3; ++i) {  // the provider resends it, or a replay slips through
        auto again = wallet->apply(ok, to_json(ok));
        REQUIRE(again);
        CHECK(*again == event_outcome::duplicate);
      }
      auto late_failure = wallet->apply(event_for("deposit.failed", dep->hold, "evt-2"), "{}");
      REQUIRE(late_failure);
      CHECK(*late_failure == event_outcome::ignored);
      b = wallet->balance("sess-a");
      CHECK(b->balance == 10000);
      CHECK(b->available == 10000);
      CHECK(b->pending_in == 0);

      auto wd = wallet->withdraw("sess-a", 4000, "pix@example.com", {"req-2", "idem-2"});
      REQUIRE(wd);
      b = wallet->balance("sess-a");
      CHECK(b->available == 6000);
      CHECK(b->pending_out == 4000);
      auto too_much = wallet->withdraw("sess-a", 6001, "pix@example.com", {"req-3", "idem-3"});
      REQUIRE_FALSE(too_much);
      CHECK(too_much.error().code == errc::insufficient_funds);

      // A failed payout releases the hold.
      auto failed = wallet->apply(event_for("withdrawal.failed", wd->hold, "evt-3"), "{}");
      REQUIRE(failed);
      CHECK(*failed == event_outcome::voided);
      b = wallet->balance("sess-a");
      CHECK(b->available == 10000);
      CHECK(b->balance == 10000);

      auto wd2 = wallet->withdraw("sess-a", 2500, "pix@example.com", {"req-4", "idem-4"});
      REQUIRE(wd2);
      CHECK(*wallet->apply(event_for("withdrawal.succeeded", wd2->hold, "evt-4"), "{}") == event_outcome::posted);
      b = wallet->balance("sess-a");
      CHECK(b->balance == 7500);
      CHECK(b->available == 7500);

      // Events that match nothing change nothing.
      auto wrong_amount = event_for("withdrawal.succeeded", wd2->hold, "evt-5");
      wrong_amount.amount = 1;
      CHECK(*wallet->apply(wrong_amount, "{}") == event_outcome::ignored);
      auto wrong_kind = event_for("deposit.succeeded", wd2->hold, "evt-6");
      CHECK(*wallet->apply(wrong_kind, "{}") == event_outcome::ignored);
      payment_event unknown;
      unknown.id = "evt-7";
      unknown.type = "deposit.succeeded";
      unknown.kind = payment_event_type::deposit_succeeded;
      unknown.transfer_id = "dep_nothing";
      CHECK(*wallet->apply(unknown, "{}") == event_outcome::ignored);
      CHECK(wallet->balance("sess-a")->balance == 7500);

      // The trail: request, provider reference, settlement, deliveries.
      auto trail = wallet->trail("sess-a", dep->hold.id);
      REQUIRE(trail);
      CHECK(trail->request_id == "req-1");
      CHECK(trail->idempotency_key == "idem-1");
      CHECK(trail->provider_reference == dep->reference);
      REQUIRE(trail->settlement);
      CHECK(trail->settlement->id == dep->hold.id + ":post");
      REQUIRE(trail->deliveries.size() == 5);
      CHECK(trail->deliveries[0].outcome == "posted");
      CHECK(trail->deliveries[1].outcome == "duplicate");
      CHECK(trail->deliveries[4].outcome.starts_with("ignored"));
      CHECK(trail->deliveries[0].body_sha256.size() == 64);
      CHECK(wallet->trail("sess-a", dep->hold.id + ":post"));
      auto foreign = wallet->trail("sess-b", dep->hold.id);
      REQUIRE_FALSE(foreign);
      CHECK(foreign.error().code == errc::not_found);

      auto history = wallet->transactions("sess-a", {}, 50);
      REQUIRE(history);
      CHECK(history->transfers.size() >= 5);
      CHECK(history->transfers.front().id == wd2->hold.id + ":post");

      REQUIRE(wallet->log_rejected("evt-bad", "{\"tampered\":1}", false, "rejected: no_matching_signature"));
      auto all = wallet->deliveries();
      REQUIRE(all);
      CHECK(all->back().outcome == "rejected: no_matching_signature");
      CHECK_FALSE(all->back().signature_valid);

      // A provider that refuses leaves no hold behind.
      provider.fail_next = true;
      auto refused = wallet->withdraw("sess-a", 100, "pix@example.com", {"req-5", "idem-5"});
      REQUIRE_FALSE(refused);
      CHECK(wallet->balance("sess-a")->available == 7500);
      auto check = book->check();
      REQUIRE(check);
      CHECK(check->ok);
    }
  }
}

TEST_CASE("200 concurrent withdrawals of 1.00 from 100.00: exactly 100 are held", "[wallet][race]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url, {.pool_size = 8});
      REQUIRE(db);
      auto book = ledger::open(*db);
      REQUIRE(book);
      manual_provider provider;
      auto wallet = wallet_service::open(*db, *book, provider);
      REQUIRE(wallet);
      auto dep = wallet->deposit("rich", 10000, {});
      REQUIRE(dep);
      REQUIRE(*wallet->apply(event_for("deposit.succeeded", dep->hold, "e1"), "{}") == event_outcome::posted);
      std::atomic<int> held{0}, refused{0}, other{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
          for (int i = 0; i < 25; ++i) {
            auto r = wallet->withdraw("rich", 100, "pix", {});
            if (r) ++held;
            else if (r.error().code == errc::insufficient_funds) ++refused;
            else ++other;
          }
        });
      for (auto& t : threads) t.join();
      CHECK(held == 100);
      CHECK(refused == 100);
      CHECK(other == 0);
      auto b = wallet->balance("rich");
      CHECK(b->available == 0);
      CHECK(b->pending_out == 10000);
      CHECK(book->check()->ok);
    }
  }
}

TEST_CASE("the simulated provider closes the loop with signed, sometimes duplicated webhooks", "[wallet]") {
  test::sql_targets targets(false);
  const auto& target = targets.all().front();  // the provider's behaviour does not depend on the store
  auto db = database::open(target.url);
  REQUIRE(db);
  auto book = ledger::open(*db);
  REQUIRE(book);

  webhook_options signing;
  signing.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
  auto guard = make_memory_replay_guard().value();
  webhook_options verifying = signing;
  verifying.replay = guard.get();
  auto verifier = webhook_verifier::create(verifying);
  REQUIRE(verifier);

  wallet_service* wallet_ptr = nullptr;
  std::mutex m;
  int delivered = 0, replayed = 0, rejected = 0;
  auto send = [&](const std::vector<header_field>& headers, const std::string& body) -> result<int> {
    std::lock_guard lock(m);
    ++delivered;
    auto v = verifier->verify(headers, body);
    if (!v) {
      if (v.error().code == errc::replayed) {
        ++replayed;
        return 200;
      }
      ++rejected;
      return 401;
    }
    auto e = parse_payment_event(body);
    if (!e) return 400;
    auto applied = wallet_ptr->apply(*e, body);
    return applied ? 200 : 500;
  };
  simulated_provider_options opt;
  opt.signing = signing;
  opt.delay = 20ms;
  opt.duplicate_ratio = 1.0;
  opt.seed = 42;
  auto provider = simulated_provider::create(opt, send);
  REQUIRE(provider);
  auto wallet = wallet_service::open(*db, *book, **provider);
  REQUIRE(wallet);
  wallet_ptr = &*wallet;

  auto dep = wallet->deposit("s", 10000, {"r1", "k1"});
  REQUIRE(dep);
  CHECK(dep->instructions.find(dep->reference) != std::string::npos);
  (*provider)->drain();
  CHECK(wallet->balance("s")->balance == 10000);
  auto wd = wallet->withdraw("s", 3000, "chave@pix", {"r2", "k2"});
  REQUIRE(wd);
  (*provider)->drain();
  auto b = wallet->balance("s");
  CHECK(b->balance == 7000);
  CHECK(b->pending_out == 0);
  {
    std::lock_guard lock(m);
    CHECK(delivered == 4);  // every event twice
    CHECK(replayed == 2);
    CHECK(rejected == 0);
  }
  CHECK(book->check()->ok);
}

TEST_CASE("the simulated provider's failures void the holds", "[wallet]") {
  test::sql_targets targets(false);
  auto db = database::open(targets.all().front().url);
  REQUIRE(db);
  auto book = ledger::open(*db);
  REQUIRE(book);
  wallet_service* wallet_ptr = nullptr;
  webhook_options signing;
  signing.scheme = webhook_scheme::github;
  signing.secrets = {"s3cret"};
  auto send = [&](const std::vector<header_field>&, const std::string& body) -> result<int> {
    auto e = parse_payment_event(body);
    if (!e) return 400;
    return wallet_ptr->apply(*e, body) ? 200 : 500;
  };
  simulated_provider_options opt;
  opt.signing = signing;
  opt.delay = 10ms;
  opt.failure_ratio = 1.0;
  auto provider = simulated_provider::create(opt, send);
  REQUIRE(provider);
  auto wallet = wallet_service::open(*db, *book, **provider);
  REQUIRE(wallet);
  wallet_ptr = &*wallet;
  REQUIRE(wallet->deposit("s", 5000, {}));
  (*provider)->drain();
  auto b = wallet->balance("s");
  CHECK(b->balance == 0);
  CHECK(b->pending_in == 0);

  auto bad = simulated_provider::create(simulated_provider_options{.failure_ratio = 2.0}, send);
  REQUIRE_FALSE(bad);
}

TEST_CASE("wallet JSON: transfers, pages, operations and trails", "[wallet]") {
  transfer t;
  t.id = "wd_1";
  t.kind = transfer_kind::pending;
  t.state = transfer_state::pending;
  t.debit_account = "wallet:s";
  t.credit_account = "provider:simulated";
  t.amount = 4050;
  t.reference = "chave \"pix\"";
  t.created_at = bankflow::timestamp(std::chrono::milliseconds(1767225600123));  // 2026-01-01
  CHECK(to_wallet_json(t) ==
        R"({"id":"wd_1","kind":"pending","state":"pending","direction":"out","amount":"40.50","pending_id":"",)"
        R"("reference":"chave \"pix\"","created_at":"2026-01-01T00:00:00.123Z"})");
  transfer in = t;
  std::swap(in.debit_account, in.credit_account);
  CHECK(to_wallet_json(in).find(R"("direction":"in")") != std::string::npos);

  history_page page{{t}, "abc"};
  CHECK(to_wallet_json(page) == R"({"transactions":[)" + to_wallet_json(t) + R"(],"next_cursor":"abc"})");
  CHECK(to_wallet_json(history_page{}) == R"({"transactions":[],"next_cursor":null})");

  CHECK(to_json(wallet_operation{t, "simpay_1", ""}) ==
        R"({"transaction":)" + to_wallet_json(t) + R"(,"reference":"simpay_1","instructions":""})");

  wallet_trail trail;
  trail.operation = t;
  trail.request_id = "req-1";
  trail.idempotency_key = "k1";
  trail.provider_reference = "simpay_1";
  webhook_delivery d;
  d.seq = 3;
  d.provider = "simulated";
  d.event_id = "evt_1";
  d.event_type = "withdrawal.succeeded";
  d.transfer_id = "wd_1";
  d.received_at = bankflow::timestamp(std::chrono::milliseconds(1767225600123));
  d.signature_valid = true;
  d.outcome = "posted";
  d.body_sha256 = std::string(64, 'a');
  trail.deliveries.push_back(d);
  CHECK(to_json(trail) == R"({"transaction":)" + to_wallet_json(t) +
                              R"(,"settlement":null,"request_id":"req-1","idempotency_key":"k1",)"
                              R"("provider_reference":"simpay_1","review":null,"deliveries":[{"seq":3,"provider":"simulated",)"
                              R"("event_id":"evt_1","event_type":"withdrawal.succeeded","transfer_id":"wd_1",)"
                              R"("received_at":"2026-01-01T00:00:00.123Z","signature_valid":true,)"
                              R"("outcome":"posted","body_sha256":")" + std::string(64, 'a') + R"("}]})");
}

namespace {

// A replay guard that counts releases and can be told to fail its next release.
class counting_guard final : public replay_guard {
 public:
  result<bool> claim(std::string_view key, std::chrono::system_clock::time_point now,
                     std::chrono::system_clock::time_point expires) override {
    return inner->claim(key, now, expires);
  }
  result<void> release(std::string_view key) override {
    ++releases;
    return inner->release(key);
  }
  std::unique_ptr<replay_guard> inner = make_memory_replay_guard().value();
  int releases = 0;
};

std::vector<header_field> signed_headers(const webhook_options& o, const std::string& body, const std::string& id,
                                         std::int64_t ts) {
  auto h = sign_webhook(o, body, id, std::chrono::sys_seconds{std::chrono::seconds{ts}});
  REQUIRE(h);
  return *h;
}

}  // namespace

TEST_CASE("receive verifies, settles once and logs every authentic delivery", "[wallet]") {
  test::sql_targets targets(false);
  auto db = database::open(targets.all().front().url);
  REQUIRE(db);
  auto book = ledger::open(*db);
  REQUIRE(book);
  manual_provider provider;
  auto wallet = wallet_service::open(*db, *book, provider);
  REQUIRE(wallet);
  counting_guard guard;
  webhook_options o;
  o.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
  o.replay = &guard;
  auto verifier = webhook_verifier::create(o);
  REQUIRE(verifier);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();

  auto dep = wallet->deposit("s", 10000, {"r1", "k1"});
  REQUIRE(dep);
  payment_event e;
  e.id = "evt_ok";
  e.type = "deposit.succeeded";
  e.transfer_id = dep->hold.id;
  e.amount = 10000;
  const std::string body = to_json(e);
  const auto headers = signed_headers(o, body, e.id, now);
  std::vector<header_view> views;
  for (const auto& h : headers) views.push_back({h.name, h.value});

  // tampered: one byte changed
  std::string tampered = body;
  tampered[tampered.find("100.00")] = '9';
  auto refused = wallet->receive(*verifier, &guard, views, tampered);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == errc::no_matching_signature);
  CHECK(wallet->balance("s")->balance == 0);

  // stale: signed 10 minutes ago
  const auto old_headers = signed_headers(o, body, "evt_old", now - 600);
  std::vector<header_view> old_views;
  for (const auto& h : old_headers) old_views.push_back({h.name, h.value});
  auto stale = wallet->receive(*verifier, &guard, old_views, body);
  REQUIRE_FALSE(stale);
  CHECK(stale.error().code == errc::timestamp_too_old);

  auto first = wallet->receive(*verifier, &guard, views, body);
  REQUIRE(first);
  CHECK(*first == event_outcome::posted);
  for (int i = 0; i < 10; ++i) {
    auto again = wallet->receive(*verifier, &guard, views, body);
    REQUIRE(again);
    CHECK(*again == event_outcome::duplicate);
  }
  CHECK(wallet->balance("s")->balance == 10000);

  // an authentic body that is not an event is refused, logged, and its claim kept
  const std::string junk = R"({"id":"evt_junk"})";
  const auto junk_headers = signed_headers(o, junk, "evt_junk", now);
  std::vector<header_view> junk_views;
  for (const auto& h : junk_headers) junk_views.push_back({h.name, h.value});
  auto malformed = wallet->receive(*verifier, &guard, junk_views, junk);
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == errc::invalid_argument);
  CHECK(guard.releases == 0);

  auto log = wallet->deliveries();
  REQUIRE(log);
  // refused deliveries (tampered, stale) leave no row: anyone can send them
  REQUIRE(log->size() == 12);
  CHECK((*log)[0].outcome == "posted");
  CHECK((*log)[0].signature_valid);
  for (std::size_t i = 1; i < 11; ++i) CHECK((*log)[i].outcome == "duplicate: replayed");
  CHECK((*log)[11].outcome == "rejected: malformed event: type");
  auto trail = wallet->trail("s", dep->hold.id);
  REQUIRE(trail);
  CHECK(trail->deliveries.size() == 11);  // posted and 10 replays name the transfer
  CHECK(book->check()->ok);
}

TEST_CASE("receive releases the replay claim when the event cannot be stored", "[wallet]") {
  test::sql_targets targets(false);
  auto db = database::open(targets.all().front().url);
  REQUIRE(db);
  auto book = ledger::open(*db);
  REQUIRE(book);
  manual_provider provider;
  auto wallet = wallet_service::open(*db, *book, provider);
  REQUIRE(wallet);
  counting_guard guard;
  webhook_options o;
  o.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
  o.replay = &guard;
  auto verifier = webhook_verifier::create(o);
  REQUIRE(verifier);
  auto dep = wallet->deposit("s", 2500, {"r1", "k1"});
  REQUIRE(dep);
  payment_event e;
  e.id = "evt_store";
  e.type = "deposit.succeeded";
  e.transfer_id = dep->hold.id;
  e.amount = 2500;
  const std::string body = to_json(e);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const auto headers = signed_headers(o, body, e.id, now);
  std::vector<header_view> views;
  for (const auto& h : headers) views.push_back({h.name, h.value});

  auto sql = [&](const char* statement) {
    REQUIRE(detail::with_session(detail::database_access::impl(*db), "test", [&](soci::session& s) { s << statement; }));
  };
  // the audit log cannot be written: the delivery is not taken, and its claim is released
  sql("ALTER TABLE bankflow_webhook_deliveries RENAME TO bankflow_webhook_deliveries_away");
  auto failed = wallet->receive(*verifier, &guard, views, body);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == errc::storage_error);
  CHECK(guard.releases == 1);
  sql("ALTER TABLE bankflow_webhook_deliveries_away RENAME TO bankflow_webhook_deliveries");
  // the provider's retry passes the guard; the hold was posted once whatever happened
  auto retried = wallet->receive(*verifier, &guard, views, body);
  REQUIRE(retried);
  CHECK((*retried == event_outcome::posted || *retried == event_outcome::duplicate));
  CHECK(wallet->balance("s")->balance == 2500);
  auto again = wallet->receive(*verifier, &guard, views, body);
  REQUIRE(again);
  CHECK(*again == event_outcome::duplicate);
  CHECK(wallet->balance("s")->balance == 2500);
  CHECK(book->check()->ok);
}

TEST_CASE("wallet limits: per operation, per wallet per 24 hours, no system account overflow",
          "[wallet][limits]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto book = ledger::open(*db);
      REQUIRE(book);
      manual_provider provider;
      auto now = std::chrono::system_clock::now();
      wallet_options options;  // the defaults: 50,000.00 per operation, 100,000.00 per 24 hours
      options.clock = [&] { return now; };
      auto wallet = wallet_service::open(*db, *book, provider, options);
      REQUIRE(wallet);
      CHECK(options.max_deposit == 5'000'000);
      CHECK(options.daily_deposit_limit == 10'000'000);

      // The attack of issue 15: 99 deposits of 922337203685477.58 each. Every one is refused at
      // once; nothing reaches the ledger or the provider.
      for (int i = 0; i < 99; ++i) {
        auto huge = wallet->deposit("attacker", 92'233'720'368'547'758, {"req", ""});
        REQUIRE_FALSE(huge);
        CHECK(huge.error().code == errc::over_operation_limit);
        CHECK(huge.error().field == "amount");
      }
      CHECK(provider.asked.empty());
      auto system = book->get_account("provider:manual");
      REQUIRE(system);
      CHECK(system->debits_pending == 0);
      CHECK(system->debits_posted == 0);
      auto small = wallet->deposit("victim", 1, {"req", ""});  // other users are unaffected
      REQUIRE(small);

      // Per wallet and per 24 hours: two deposits at the limit, then not even 0.01 more.
      auto d1 = wallet->deposit("sess", 5'000'000, {"r1", ""});
      REQUIRE(d1);
      auto too_big = wallet->deposit("sess", 5'000'001, {"r2", ""});
      REQUIRE_FALSE(too_big);
      CHECK(too_big.error().code == errc::over_operation_limit);
      provider.fail_next = true;  // refused by the provider at once: not counted
      CHECK_FALSE(wallet->deposit("sess", 5'000'000, {"r3", ""}));
      provider.fail_next = false;
      auto d2 = wallet->deposit("sess", 5'000'000, {"r4", ""});
      REQUIRE(d2);
      auto over = wallet->deposit("sess", 1, {"r5", ""});
      REQUIRE_FALSE(over);
      CHECK(over.error().code == errc::daily_limit_reached);
      CHECK(wallet->deposit("other", 5'000'000, {"r6", ""}));  // another wallet has its own limit
      for (const auto* dep : {&*d1, &*d2}) {
        const auto ok = event_for("deposit.succeeded", dep->hold, "evt-" + dep->hold.id);
        REQUIRE(wallet->apply(ok, to_json(ok)));
      }

      // Withdrawals: their own limits; a hold the ledger refuses does not count.
      auto wd_big = wallet->withdraw("sess", 5'000'001, "pix@example.com", {"w1", ""});
      REQUIRE_FALSE(wd_big);
      CHECK(wd_big.error().code == errc::over_operation_limit);
      auto broke = wallet->withdraw("other", 100, "pix@example.com", {"w2", ""});
      REQUIRE_FALSE(broke);
      CHECK(broke.error().code == errc::insufficient_funds);
      REQUIRE(wallet->withdraw("sess", 5'000'000, "pix@example.com", {"w3", ""}));
      REQUIRE(wallet->withdraw("sess", 4'000'000, "pix@example.com", {"w4", ""}));
      auto wd_over = wallet->withdraw("sess", 1'000'001, "pix@example.com", {"w5", ""});
      REQUIRE_FALSE(wd_over);
      CHECK(wd_over.error().code == errc::daily_limit_reached);
      REQUIRE(wallet->withdraw("sess", 1'000'000, "pix@example.com", {"w6", ""}));

      // 24 hours later the window has moved on.
      now += 24h + 1ms;
      CHECK(wallet->deposit("sess", 5'000'000, {"r7", ""}));

      // The bound on system accounts: each operation moves at most the (capped) per-operation
      // limit, so the provider's counters grow by at most that much per confirmed operation.
      system = book->get_account("provider:manual");
      REQUIRE(system);
      CHECK(system->debits_posted == 10'000'000);
      CHECK(system->debits_pending == 1 + 5'000'000 + 5'000'000);
      CHECK(system->credits_pending == 10'000'000);
      // Reaching INT64_MAX takes more than 92 million confirmed operations at the highest limit
      // that may be configured, and more than 1.8 trillion at the default.
      STATIC_REQUIRE(std::numeric_limits<std::int64_t>::max() / max_wallet_limit > 92'000'000);
      CHECK(std::numeric_limits<std::int64_t>::max() / options.max_deposit > 1'800'000'000'000);

      // Limits outside 1..max_wallet_limit are refused.
      for (auto bad : {std::int64_t{0}, std::int64_t{-1}, max_wallet_limit + 1}) {
        wallet_options o;
        o.daily_withdrawal_limit = bad;
        auto refused = wallet_service::open(*db, *book, provider, o);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::invalid_argument);
        wallet_options p;
        p.max_deposit = bad;
        CHECK_FALSE(wallet_service::open(*db, *book, provider, p));
      }
      wallet_options top;
      top.max_deposit = top.max_withdrawal = top.daily_deposit_limit = top.daily_withdrawal_limit = max_wallet_limit;
      CHECK(wallet_service::open(*db, *book, provider, top));
    }
  }
}

TEST_CASE("wallet limit error codes keep their numbers and names", "[wallet][limits]") {
  CHECK(static_cast<int>(errc::over_operation_limit) == 97);
  CHECK(static_cast<int>(errc::daily_limit_reached) == 98);
  CHECK(to_string(errc::over_operation_limit) == "over_operation_limit");
  CHECK(to_string(errc::daily_limit_reached) == "daily_limit_reached");
}

TEST_CASE("retention: old webhook deliveries and operation rows are purged", "[wallet][retention]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto book = ledger::open(*db);
      REQUIRE(book);
      manual_provider provider;
      auto now = std::chrono::system_clock::now();
      wallet_options options;
      options.clock = [&] { return now; };
      auto wallet = wallet_service::open(*db, *book, provider, options);
      REQUIRE(wallet);
      auto old_dep = wallet->deposit("s", 100, {"r-old", ""});
      REQUIRE(old_dep);
      REQUIRE(wallet->log_rejected("evt-old", "{}", true, "duplicate: replayed"));
      now += std::chrono::hours(24 * 10);
      auto new_dep = wallet->deposit("s", 100, {"r-new", ""});
      REQUIRE(new_dep);
      REQUIRE(wallet->log_rejected("evt-new", "{}", true, "duplicate: replayed"));

      CHECK_FALSE(wallet->purge_deliveries(0s));
      CHECK_FALSE(wallet->purge_operations(24h));  // would cut into the daily limits' window
      auto d = wallet->purge_deliveries(std::chrono::hours(24 * 5));
      REQUIRE(d);
      CHECK(*d == 1);
      auto left = wallet->deliveries();
      REQUIRE(left);
      REQUIRE(left->size() == 1);
      CHECK(left->front().event_id == "evt-new");
      auto o = wallet->purge_operations(std::chrono::hours(24 * 5));
      REQUIRE(o);
      CHECK(*o == 1);
      CHECK(wallet->trail("s", old_dep->hold.id).error().code == errc::not_found);
      CHECK(wallet->trail("s", new_dep->hold.id));
      CHECK(book->get_transfer(old_dep->hold.id));  // the money's record stays in the ledger
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Issue 15, item 3: withdrawal holds expire; reconciliation; the simulated provider's outbox.

namespace {

// A clock the test moves; shared by the ledger (expiry) and the wallet (operation ages).
struct fake_clock {
  std::shared_ptr<std::atomic<long long>> ms = std::make_shared<std::atomic<long long>>(1767225600000LL);
  clock_fn fn() const {
    return [p = ms] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(p->load())); };
  }
  void advance(std::chrono::milliseconds d) const { *ms += d.count(); }
};

// Funds a session's wallet with `amount` through a posted deposit.
void fund(wallet_service& wallet, std::string_view session, std::int64_t amount) {
  auto dep = wallet.deposit(session, amount, {"fund", "fund"});
  REQUIRE(dep);
  REQUIRE(*wallet.apply(event_for("deposit.succeeded", dep->hold, "evt-fund-" + dep->hold.id), "{}") ==
          event_outcome::posted);
}

}  // namespace

TEST_CASE("a withdrawal hold expires after its timeout and releases the funds", "[wallet][reconcile]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      fake_clock clock;
      auto book = ledger::open(*db, {.clock = clock.fn()});
      REQUIRE(book);
      manual_provider provider;
      wallet_options wo;
      wo.withdrawal_timeout = std::chrono::hours(24);
      wo.clock = clock.fn();
      auto wallet = wallet_service::open(*db, *book, provider, wo);
      REQUIRE(wallet);
      fund(*wallet, "s", 10000);

      auto wd = wallet->withdraw("s", 4000, "pix@example.com", {"r", "k"});
      REQUIRE(wd);
      CHECK(wd->hold.expires_at != bankflow::timestamp{});
      CHECK(wallet->balance("s")->pending_out == 4000);
      clock.advance(std::chrono::hours(23));
      CHECK(wallet->balance("s")->pending_out == 4000);  // not yet
      clock.advance(std::chrono::hours(2));
      auto b = wallet->balance("s");
      CHECK(b->pending_out == 0);
      CHECK(b->available == 10000);
      CHECK(b->balance == 10000);
      auto got = book->get_transfer(wd->hold.id);
      REQUIRE(got);
      CHECK(got->state == transfer_state::expired);
      CHECK(to_wallet_json(*got).find(R"("state":"expired")") != std::string::npos);

      // The provider pays after all: nothing moves in the ledger, an operator is told.
      auto late = wallet->apply(event_for("withdrawal.succeeded", wd->hold, "evt-late"), "{}");
      REQUIRE(late);
      CHECK(*late == event_outcome::ignored);
      CHECK(wallet->balance("s")->balance == 10000);
      auto trail = wallet->trail("s", wd->hold.id);
      REQUIRE(trail);
      CHECK(trail->review.find("expired") != std::string::npos);
      CHECK(to_json(*trail).find(R"("review":"the provider reported success after the hold expired")") !=
            std::string::npos);
      auto flagged = wallet->reviews();
      REQUIRE(flagged);
      REQUIRE(flagged->size() == 1);
      CHECK((*flagged)[0].transfer_id == wd->hold.id);
      CHECK((*flagged)[0].kind == "withdrawal");
      CHECK((*flagged)[0].session_id == "s");
      CHECK(to_json((*flagged)[0]).starts_with(R"({"transfer_id":")" + wd->hold.id));
      CHECK(book->check()->ok);
    }
  }
}

TEST_CASE("reconciliation settles what the provider knows and flags what it does not", "[wallet][reconcile]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      fake_clock clock;
      auto book = ledger::open(*db, {.clock = clock.fn()});
      REQUIRE(book);
      manual_provider provider;
      wallet_options wo;
      wo.clock = clock.fn();
      auto wallet = wallet_service::open(*db, *book, provider, wo);
      REQUIRE(wallet);
      fund(*wallet, "s", 10000);

      auto paid = wallet->withdraw("s", 1000, "pix", {"r1", "k1"});
      auto refused = wallet->withdraw("s", 1000, "pix", {"r2", "k2"});
      auto working = wallet->withdraw("s", 1000, "pix", {"r3", "k3"});
      auto lost = wallet->withdraw("s", 1000, "pix", {"r4", "k4"});
      auto dep = wallet->deposit("s", 500, {"r5", "k5"});
      REQUIRE((paid && refused && working && lost && dep));
      {
        std::lock_guard lock(provider.m);
        provider.status[paid->hold.id] = provider_status::succeeded;
        provider.status[refused->hold.id] = provider_status::failed;
        provider.status[working->hold.id] = provider_status::pending;
        provider.status[dep->hold.id] = provider_status::succeeded;
      }

      // Too young: still waiting for their webhooks.
      auto first = wallet->reconcile({.older_than = std::chrono::minutes(15)});
      REQUIRE(first);
      CHECK(first->checked == 0);
      CHECK(provider.queries == 0);

      clock.advance(std::chrono::minutes(16));
      auto young = wallet->withdraw("s", 100, "pix", {"r6", "k6"});  // not asked about yet
      REQUIRE(young);
      auto pass = wallet->reconcile({.older_than = std::chrono::minutes(15)});
      REQUIRE(pass);
      CHECK(pass->checked == 5);
      CHECK(pass->posted == 2);  // the paid withdrawal and the deposit
      CHECK(pass->voided == 1);
      CHECK(pass->pending == 1);
      CHECK(pass->flagged == 1);
      CHECK(pass->errors == 0);
      auto b = wallet->balance("s");
      CHECK(b->balance == 10000 - 1000 + 500);
      CHECK(b->pending_out == 1000 + 1000 + 100);  // working, lost, young
      CHECK(book->get_transfer(paid->hold.id + ":post"));
      CHECK(book->get_transfer(refused->hold.id + ":void"));

      // The webhook comes late: exactly once still.
      auto hook = wallet->apply(event_for("withdrawal.succeeded", paid->hold, "evt-paid"), "{}");
      REQUIRE(hook);
      CHECK(*hook == event_outcome::duplicate);
      auto trail = wallet->trail("s", paid->hold.id);
      REQUIRE(trail);
      REQUIRE(trail->deliveries.size() == 2);
      CHECK(trail->deliveries[0].event_type == "reconciliation: withdrawal.succeeded");
      CHECK(trail->deliveries[0].outcome == "posted");
      CHECK(trail->deliveries[1].outcome == "duplicate");
      CHECK(trail->review.empty());

      auto flagged = wallet->reviews();
      REQUIRE(flagged);
      REQUIRE(flagged->size() == 1);
      CHECK((*flagged)[0].transfer_id == lost->hold.id);
      CHECK((*flagged)[0].reason == "the provider does not know this operation");

      // Next pass: the pending one completes; the lost one is asked again but not flagged twice;
      // an unreachable provider changes nothing.
      {
        std::lock_guard lock(provider.m);
        provider.status[working->hold.id] = provider_status::succeeded;
      }
      auto again = wallet->reconcile({.older_than = std::chrono::minutes(15)});
      REQUIRE(again);
      CHECK(again->checked == 2);
      CHECK(again->posted == 1);
      CHECK(again->flagged == 0);
      CHECK(wallet->reviews()->size() == 1);
      provider.query_fails = true;
      clock.advance(std::chrono::minutes(16));
      auto down = wallet->reconcile({.older_than = std::chrono::minutes(15)});
      REQUIRE(down);
      CHECK(down->checked == 2);  // lost and young
      CHECK(down->errors == 2);
      CHECK(wallet->balance("s")->pending_out == 1000 + 100);

      // The hold's timeout still applies to what nobody settled.
      clock.advance(std::chrono::hours(25));
      auto late = wallet->reconcile({.older_than = std::chrono::minutes(15)});
      REQUIRE(late);
      CHECK(late->expired == 2);
      CHECK(wallet->balance("s")->pending_out == 0);
      CHECK(book->check()->ok);
    }
  }
}

TEST_CASE("the simulated provider's outbox survives a restart and answers queries", "[wallet][reconcile]") {
  test::sql_targets targets(false);  // a file and PostgreSQL: what a restart would find again
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = database::open(target.url);
      REQUIRE(db);
      auto book = ledger::open(*db);
      REQUIRE(book);
      std::atomic<wallet_service*> wallet_ptr{nullptr};
      std::atomic<int> delivered{0};
      auto send = [&](const std::vector<header_field>&, const std::string& body) -> result<int> {
        auto e = parse_payment_event(body);
        if (!e) return 400;
        ++delivered;
        return wallet_ptr.load()->apply(*e, body) ? 200 : 500;
      };
      simulated_provider_options opt;
      opt.signing.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
      opt.delay = std::chrono::hours(1);  // the first process dies long before it sends
      opt.outbox = &*db;
      std::string withdrawal;
      {
        auto first = simulated_provider::create(opt, send);
        REQUIRE(first);
        auto wallet = wallet_service::open(*db, *book, **first);
        REQUIRE(wallet);
        wallet_ptr = &*wallet;
        fund(*wallet, "s", 10000);
        auto wd = wallet->withdraw("s", 2500, "pix", {"r", "k"});
        REQUIRE(wd);
        withdrawal = wd->hold.id;
        auto status = (*first)->query(withdrawal, wd->reference);
        REQUIRE(status);
        CHECK(*status == provider_status::pending);  // its delay has not passed
        auto unknown = (*first)->query("wd_nothing", "");
        REQUIRE(unknown);
        CHECK(*unknown == provider_status::unknown);
      }  // "killed": the webhook was never sent
      CHECK(delivered == 0);

      opt.delay = std::chrono::milliseconds(10);
      auto second = simulated_provider::create(opt, send);
      REQUIRE(second);
      auto wallet = wallet_service::open(*db, *book, **second);
      REQUIRE(wallet);
      wallet_ptr = &*wallet;
      (*second)->drain();
      CHECK(delivered == 2);  // the funding deposit's event (a duplicate by now) and the withdrawal's
      auto b = wallet->balance("s");
      CHECK(b->pending_out == 0);
      CHECK(b->balance == 7500);
      auto status = (*second)->query(withdrawal, "");
      REQUIRE(status);
      CHECK(*status == provider_status::succeeded);

      // Delivered events are not sent again by the next process.
      const int before = delivered;
      {
        auto third = simulated_provider::create(opt, send);
        REQUIRE(third);
        (*third)->drain();
        // Retention: delivered events go once old enough; query() then no longer knows them.
        auto kept = (*third)->purge_delivered(std::chrono::hours(1));
        REQUIRE(kept);
        CHECK(*kept == 0);
        auto purged = (*third)->purge_delivered(std::chrono::seconds(0));
        REQUIRE(purged);
        CHECK(*purged == 2);
        CHECK(*(*third)->query(withdrawal, "") == provider_status::unknown);
      }
      CHECK(delivered == before);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Issue 18: the operator console's webhook deliveries and pending operations.

namespace {

// A wallet on a manual provider and a clock the test moves.
struct ops_fixture {
  fake_clock clock;
  database db;
  ledger book;
  manual_provider provider;
  wallet_service wallet;

  explicit ops_fixture(const std::string& url)
      : db(database::open(url).value()),
        book(ledger::open(db, {.clock = clock.fn()}).value()),
        wallet(wallet_service::open(db, book, provider, {.clock = clock.fn()}).value()) {}
};

}  // namespace

TEST_CASE("operators list webhook deliveries by provider, event id and outcome, newest first, a page at a time",
          "[wallet][ops]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      ops_fixture f(target.url);
      auto* wallet = &f.wallet;
      fund(*wallet, "s", 10000);  // seq 1: posted
      auto dep = wallet->deposit("s", 500, {"r", "k"});
      REQUIRE(dep);
      const auto paid = event_for("deposit.succeeded", dep->hold, "evt-a");
      REQUIRE(*wallet->apply(paid, "{}") == event_outcome::posted);     // seq 2
      REQUIRE(*wallet->apply(paid, "{}") == event_outcome::duplicate);  // seq 3
      REQUIRE(wallet->log_rejected("evt-bad", "{}", false, "rejected: no_matching_signature"));  // seq 4
      REQUIRE(*wallet->apply(event_for("refund.created", dep->hold, "evt-b"), "{}") ==
              event_outcome::ignored);  // seq 5

      const auto seqs = [&](const delivery_query& q) {
        auto page = wallet->find_deliveries(q);
        REQUIRE(page);
        std::vector<std::int64_t> out;
        for (const auto& d : page->deliveries) out.push_back(d.seq);
        return std::pair(out, page->next_cursor);
      };
      using seq_list = std::vector<std::int64_t>;
      CHECK(seqs({}) == std::pair(seq_list{5, 4, 3, 2, 1}, std::string()));
      const auto first = seqs({.limit = 2});
      CHECK(first == std::pair(seq_list{5, 4}, std::string("4")));
      const auto second = seqs({.cursor = first.second, .limit = 2});
      CHECK(second == std::pair(seq_list{3, 2}, std::string("2")));
      CHECK(seqs({.cursor = second.second, .limit = 2}) == std::pair(seq_list{1}, std::string()));

      CHECK(seqs({.event_id = "evt-a"}).first == seq_list{3, 2});
      CHECK(seqs({.outcome = "posted"}).first == seq_list{2, 1});
      CHECK(seqs({.outcome = "rejected"}).first == seq_list{4});  // the kind before ": "
      CHECK(seqs({.outcome = "rejected: no_matching_signature"}).first == seq_list{4});
      CHECK(seqs({.outcome = "rej"}).first.empty());
      CHECK(seqs({.outcome = "ignored"}).first == seq_list{5});
      CHECK(seqs({.provider = "manual", .event_id = "evt-a", .outcome = "duplicate"}).first == seq_list{3});
      CHECK(seqs({.provider = "other"}).first.empty());

      for (std::size_t bad : {std::size_t{0}, std::size_t{201}})
        CHECK(wallet->find_deliveries({.limit = bad}).error().code == errc::invalid_argument);
      for (const char* bad : {"abc", "-1", "0", "4x", "99999999999999999999"})
        CHECK(wallet->find_deliveries({.cursor = bad}).error().code == errc::invalid_argument);
      CHECK(wallet->find_deliveries({.limit = 200}));

      auto page = wallet->find_deliveries({.limit = 1});
      REQUIRE(page);
      const auto v = boost::json::parse(to_json(*page));
      CHECK(v.at("deliveries").as_array().size() == 1);
      CHECK(v.at("deliveries").at(0).at("seq").as_int64() == 5);
      CHECK(v.at("deliveries").at(0).at("outcome").as_string().starts_with("ignored"));
      CHECK(v.at("next_cursor").as_string() == "5");
      CHECK(boost::json::parse(to_json(delivery_page{})).at("next_cursor").is_null());
    }
  }
}

TEST_CASE("operators list money operations pending longer than a threshold, oldest first, with owner and age",
          "[wallet][ops]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      ops_fixture f(target.url);
      auto& clock = f.clock;
      auto* wallet = &f.wallet;
      fund(*wallet, "s", 10000);  // settled: never listed
      const auto started = clock.fn()();
      auto old_withdrawal = wallet->withdraw("s", 1234, "pix", {"r1", "k1"});
      REQUIRE(old_withdrawal);
      clock.advance(10min);
      auto dep = wallet->deposit("t", 500, {"r2", "k2"});
      REQUIRE(dep);
      clock.advance(10min);
      REQUIRE(wallet->withdraw("s", 100, "pix", {"r3", "k3"}));  // just now

      auto old = wallet->pending_older_than(15min);
      REQUIRE(old);
      REQUIRE(old->size() == 1);
      const pending_operation& op = old->front();
      CHECK(op.transfer_id == old_withdrawal->hold.id);
      CHECK(op.kind == "withdrawal");
      CHECK(op.amount == 1234);
      CHECK(op.owner == "s");
      CHECK(op.provider == "manual");
      CHECK(op.provider_reference == "pay-" + op.transfer_id);
      CHECK(op.review.empty());
      CHECK(op.created_at == std::chrono::time_point_cast<std::chrono::milliseconds>(started));
      CHECK(op.age == 20min);
      const auto v = boost::json::parse(to_json(*old)).at("operations").at(0);
      CHECK(v.at("amount").as_string() == "12.34");
      CHECK(v.at("kind").as_string() == "withdrawal");
      CHECK(v.at("owner").as_string() == "s");
      CHECK(v.at("age_seconds").as_int64() == 1200);
      CHECK(v.at("review").is_null());
      CHECK(v.at("created_at").as_string().ends_with("Z"));

      auto younger = wallet->pending_older_than(5min);
      REQUIRE(younger);
      REQUIRE(younger->size() == 2);
      CHECK((*younger)[1].transfer_id == dep->hold.id);
      CHECK((*younger)[1].kind == "deposit");
      CHECK((*younger)[1].owner == "t");
      CHECK(wallet->pending_older_than(5min, 1)->size() == 1);
      CHECK(wallet->pending_older_than(0s)->size() == 3);

      REQUIRE(*wallet->apply(event_for("withdrawal.succeeded", old_withdrawal->hold, "evt-w"), "{}") ==
              event_outcome::posted);
      auto after = wallet->pending_older_than(5min);
      REQUIRE(after);
      REQUIRE(after->size() == 1);
      CHECK(after->front().transfer_id == dep->hold.id);
    }
  }
}
