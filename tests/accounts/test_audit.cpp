// The audit log: append, list newest first, filters and cursor pagination — on SQLite and, when
// BANKFLOW_TEST_DATABASE_URL is set, PostgreSQL.

#include "accounts_backends.hpp"

#include <algorithm>

using namespace bankflow;
using namespace std::chrono_literals;

namespace {

audit_entry entry(std::string action, std::string actor, std::string subject) {
  audit_entry e;
  e.action = std::move(action);
  e.actor = std::move(actor);
  e.subject = std::move(subject);
  e.client_address = "203.0.113.7";
  e.request_id = "req-1";
  e.detail = "via test";
  return e;
}

}  // namespace

TEST_CASE("audit entries are appended with an increasing id and the time, and read back", "[accounts][audit]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& log = *b.audit;
      const auto first = log.append(entry("signup", "u1", "u1")).value();
      backends.now += 1s;
      const auto second = log.append(entry("login_failed", "", "u1")).value();
      CHECK(second.id > first.id);
      CHECK(first.at == backends.now - 1s);
      CHECK(second.at == backends.now);
      CHECK(log.append(entry("", "u1", "u1")).error().code == errc::invalid_argument);

      const auto page = log.list({}).value();
      REQUIRE(page.entries.size() == 2);
      CHECK_FALSE(page.next_cursor);
      const auto& newest = page.entries[0];
      CHECK(newest.id == second.id);
      CHECK(newest.action == "login_failed");
      CHECK(newest.actor.empty());
      CHECK(newest.subject == "u1");
      CHECK(newest.client_address == "203.0.113.7");
      CHECK(newest.request_id == "req-1");
      CHECK(newest.detail == "via test");
      CHECK(newest.at == second.at);
      CHECK(page.entries[1].id == first.id);
    }
  }
}

TEST_CASE("the audit log filters by actor, subject and action", "[accounts][audit]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& log = *b.audit;
      REQUIRE(log.append(entry("login_ok", "u1", "u1")));
      REQUIRE(log.append(entry("key_created", "u1", "k1")));
      REQUIRE(log.append(entry("role_changed", "admin", "u1")));
      REQUIRE(log.append(entry("login_ok", "u2", "u2")));
      const auto by = [](std::string actor, std::string subject, std::string action) {
        audit_query q;
        q.actor = std::move(actor);
        q.subject = std::move(subject);
        q.action = std::move(action);
        return q;
      };
      const auto actions = [&](const audit_query& q) {
        std::vector<std::string> out;
        const auto page = log.list(q).value();
        for (const auto& e : page.entries) out.push_back(e.action + ":" + e.actor + ">" + e.subject);
        return out;
      };
      CHECK(actions(by("u1", "", "")) == std::vector<std::string>{"key_created:u1>k1", "login_ok:u1>u1"});
      CHECK(actions(by("", "u1", "")) == std::vector<std::string>{"role_changed:admin>u1", "login_ok:u1>u1"});
      CHECK(actions(by("", "", "login_ok")) == std::vector<std::string>{"login_ok:u2>u2", "login_ok:u1>u1"});
      CHECK(actions(by("u1", "", "login_ok")) == std::vector<std::string>{"login_ok:u1>u1"});
      CHECK(actions(by("nobody", "", "")).empty());
    }
  }
}

TEST_CASE("the audit log pages by cursor without gaps or repeats", "[accounts][audit]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& log = *b.audit;
      std::vector<std::int64_t> appended;
      for (int i = 0; i < 7; ++i) {
        appended.push_back(log.append(entry(i % 2 ? "login_ok" : "login_failed", "u1", "u1")).value().id);
        REQUIRE(log.append(entry("login_ok", "u2", "u2")));  // other rows between them
      }
      std::vector<std::int64_t> seen;
      std::vector<std::size_t> sizes;
      audit_query q;
      q.actor = "u1";
      q.limit = 3;
      for (;;) {
        const auto page = log.list(q).value();
        sizes.push_back(page.entries.size());
        for (const auto& e : page.entries) seen.push_back(e.id);
        if (!page.next_cursor) break;
        CHECK(*page.next_cursor == page.entries.back().id);
        q.before = page.next_cursor;
      }
      CHECK(sizes == std::vector<std::size_t>{3, 3, 1});
      std::reverse(appended.begin(), appended.end());
      CHECK(seen == appended);
      q = {};
      q.limit = 0;
      CHECK(log.list(q).error().code == errc::invalid_argument);
      q.limit = 1001;
      CHECK(log.list(q).error().code == errc::invalid_argument);
      q.actor = "u2";
      q.limit = 7;
      const auto exact = log.list(q).value();
      CHECK(exact.entries.size() == 7);
      CHECK_FALSE(exact.next_cursor);  // no empty page after the last
    }
  }
}
