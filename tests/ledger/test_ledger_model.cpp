// A randomized run of mixed ledger operations, with repeats, against a small in-memory model.

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>

#include "../store/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace bankflow;
namespace test = bankflow::test;
using std::chrono::milliseconds;

namespace {

struct m_account {
  std::string currency;
  std::uint32_t flags = 0;
  std::int64_t dp = 0, cp = 0, dq = 0, cq = 0;
};

struct m_transfer {
  transfer_request req;
  errc code = errc::ok;  // ok: it succeeded
  std::string state;     // pending transfers: pending / posted / voided / expired
  std::string debit, credit;
  std::int64_t amount = 0;
  long long expires_at = 0;
};

struct model {
  std::map<std::string, m_account> accounts;
  std::map<std::string, m_transfer> transfers;
  std::vector<std::string> ids;       // every recorded id, for repeats
  std::vector<std::string> pendings;  // ids of successful pending transfers

  void expire(long long now) {
    for (auto& [id, t] : transfers) {
      if (t.code != errc::ok || t.req.kind != transfer_kind::pending || t.state != "pending") continue;
      if (t.expires_at > 0 && t.expires_at <= now) {
        accounts[t.debit].dq -= t.amount;
        accounts[t.credit].cq -= t.amount;
        t.state = "expired";
      }
    }
  }

  errc apply(const transfer_request& r, long long now) {
    m_transfer t;
    t.req = r;
    t.code = run(r, now, t);
    transfers[r.id] = t;
    ids.push_back(r.id);
    if (t.code == errc::ok && r.kind == transfer_kind::pending) pendings.push_back(r.id);
    return t.code;
  }

  errc run(const transfer_request& r, long long now, m_transfer& t) {
    if (r.kind == transfer_kind::immediate || r.kind == transfer_kind::pending) {
      if (!accounts.contains(r.debit_account) || !accounts.contains(r.credit_account)) return errc::not_found;
      auto& d = accounts[r.debit_account];
      auto& c = accounts[r.credit_account];
      if (d.currency != c.currency) return errc::currency_mismatch;
      if ((d.flags & account_no_overdraft) != 0 && d.dp + d.dq + r.amount > d.cp) return errc::insufficient_funds;
      t.debit = r.debit_account;
      t.credit = r.credit_account;
      t.amount = r.amount;
      if (r.kind == transfer_kind::pending) {
        d.dq += r.amount;
        c.cq += r.amount;
        t.state = "pending";
        if (r.timeout.count() > 0) t.expires_at = now + r.timeout.count();
      } else {
        d.dp += r.amount;
        c.cp += r.amount;
      }
      return errc::ok;
    }
    auto it = transfers.find(r.pending_id);
    if (it == transfers.end() || it->second.code != errc::ok || it->second.req.kind != transfer_kind::pending)
      return errc::not_found;
    m_transfer& p = it->second;
    if (p.state == "expired") return errc::pending_expired;
    if (p.state != "pending") return errc::pending_resolved;
    const bool post = r.kind == transfer_kind::post;
    if (r.amount > p.amount || (!post && r.amount != 0 && r.amount != p.amount)) return errc::exceeds_pending;
    const std::int64_t amount = post && r.amount != 0 ? r.amount : p.amount;
    accounts[p.debit].dq -= p.amount;
    accounts[p.credit].cq -= p.amount;
    if (post) {
      accounts[p.debit].dp += amount;
      accounts[p.credit].cp += amount;
    }
    p.state = post ? "posted" : "voided";
    return errc::ok;
  }
};

}  // namespace

TEST_CASE("ledger randomized operations with repeats agree with an in-memory model", "[ledger][model]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      const int operations = target.name == "postgresql" ? 2000 : 3000;
      auto now = std::make_shared<std::atomic<long long>>(1'760'000'000'000LL);
      auto db = database::open(target.url);
      REQUIRE(db);
      auto lg = ledger::open(*db, {.clock = [now] {
                                     return std::chrono::system_clock::time_point(milliseconds(now->load()));
                                   }});
      REQUIRE(lg);
      model m;
      const std::vector<std::pair<std::string, std::pair<std::string, std::uint32_t>>> specs = {
          {"bank", {"BRL", 0}},
          {"a1", {"BRL", account_no_overdraft}},
          {"a2", {"BRL", account_no_overdraft}},
          {"a3", {"BRL", 0}},
          {"usd", {"USD", account_no_overdraft}}};
      for (const auto& [id, spec] : specs) {
        REQUIRE(lg->create_account({.id = id, .currency = spec.first, .flags = spec.second, .owner = {}}));
        m.accounts[id] = {spec.first, spec.second, 0, 0, 0, 0};
      }
      const std::vector<std::string> names = {"bank", "a1", "a2", "a3", "usd", "ghost"};
      std::mt19937_64 rng(20260705);
      auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
      int next_id = 0;
      int repeats = 0, conflicts = 0, failures = 0, successes = 0;

      for (int op = 0; op < operations; ++op) {
        const int dice = static_cast<int>(pick(100));
        if (dice < 5) {
          now->fetch_add(static_cast<long long>(pick(3000)));
          continue;
        }
        if (dice < 7) {
          REQUIRE(lg->expire_pending());
          m.expire(now->load());
          continue;
        }
        m.expire(now->load());
        if (dice < 17 && !m.ids.empty()) {  // an exact repeat
          const m_transfer& old = m.transfers[m.ids[pick(m.ids.size())]];
          auto out = lg->submit(old.req);
          INFO("op " << op << " repeat of " << old.req.id);
          ++repeats;
          if (old.code == errc::ok) {
            REQUIRE(out);
            CHECK(out->exists);
          } else {
            REQUIRE_FALSE(out);
            CHECK(out.error().code == old.code);
          }
          continue;
        }
        if (dice < 21 && !m.ids.empty()) {  // the same id with another amount
          transfer_request r = m.transfers[m.ids[pick(m.ids.size())]].req;
          r.amount += 1;
          auto out = lg->submit(r);
          INFO("op " << op << " conflict on " << r.id);
          REQUIRE_FALSE(out);
          CHECK(out.error().code == errc::id_conflict);
          CHECK(out.error().field == "amount");
          ++conflicts;
          continue;
        }
        transfer_request r;
        r.id = "t" + std::to_string(next_id++);
        const int kind = static_cast<int>(pick(100));
        if (kind < 45 || (kind >= 70 && m.pendings.empty())) {
          r.kind = transfer_kind::immediate;
        } else if (kind < 70) {
          r.kind = transfer_kind::pending;
          if (pick(2) == 0) r.timeout = milliseconds(1000 + static_cast<long long>(pick(4000)));
        } else {
          r.kind = kind < 85 ? transfer_kind::post : transfer_kind::void_pending;
          r.pending_id = pick(20) == 0 ? "nope" : m.pendings[pick(m.pendings.size())];
          if (r.kind == transfer_kind::post && pick(2) == 0) r.amount = 1 + static_cast<std::int64_t>(pick(3000));
        }
        if (r.kind == transfer_kind::immediate || r.kind == transfer_kind::pending) {
          // the bank funds the others most of the time, so no_overdraft accounts have money to move
          const std::size_t from = pick(3) == 0 ? 0 : pick(names.size());
          std::size_t to = pick(names.size());
          if (to == from) to = (to + 1) % names.size();
          r.debit_account = names[from];
          r.credit_account = names[to];
          r.amount = 1 + static_cast<std::int64_t>(pick(3000));
          if (pick(10) == 0) r.metadata = R"({"op":)" + std::to_string(op) + "}";
        }
        const errc expected = m.apply(r, now->load());
        auto out = lg->submit(r);
        INFO("op " << op << " " << r.id << " " << to_string(r.kind) << " " << r.debit_account << "->"
                   << r.credit_account << " " << r.amount << " pending " << r.pending_id);
        if (expected == errc::ok) {
          if (!out) FAIL(out.error().to_string());
          CHECK_FALSE(out->exists);
          ++successes;
        } else {
          REQUIRE_FALSE(out);
          CHECK(out.error().code == expected);
          ++failures;
        }
      }
      m.expire(now->load());
      for (const auto& [id, acc] : m.accounts) {
        auto a = lg->get_account(id);
        REQUIRE(a);
        INFO(id);
        CHECK(a->debits_posted == acc.dp);
        CHECK(a->credits_posted == acc.cp);
        CHECK(a->debits_pending == acc.dq);
        CHECK(a->credits_pending == acc.cq);
      }
      auto c = lg->check();
      REQUIRE(c);
      std::string all;
      for (const auto& p : c->problems) all += p + "; ";
      INFO(all);
      CHECK(c->ok);
      CHECK(successes > 100);
      CHECK(failures > 50);
      CHECK(repeats > 50);
      CHECK(conflicts > 20);
    }
  }
}
