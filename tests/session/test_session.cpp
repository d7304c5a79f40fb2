#include <bankflow/database.hpp>
#include <bankflow/session.hpp>

#include "../store/test_support.hpp"
#include "crypto/crypto.hpp"
#include "store/db.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using bankflow::errc;
using bankflow::session_store;
namespace detail = bankflow::detail;
namespace test = bankflow::test;
using namespace std::chrono_literals;
using time_point = std::chrono::system_clock::time_point;

namespace {

// A clock the test moves by hand.
struct manual_clock {
  time_point now = time_point(std::chrono::seconds(1700000000));
  bankflow::clock_fn fn() {
    return [this] { return now; };
  }
};

session_store open_store(bankflow::database& db, manual_clock& clock,
                         std::chrono::seconds lifetime = std::chrono::hours(24)) {
  auto s = session_store::open(db, {.lifetime = lifetime, .clock = clock.fn()});
  REQUIRE(s);
  return std::move(*s);
}

}  // namespace

TEST_CASE("a session token is 256 CSPRNG bits in base64url, and only its SHA-256 is stored", "[session]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      auto store = open_store(*db, clock);
      auto a = store.create();
      auto b = store.create();
      REQUIRE(a);
      REQUIRE(b);
      CHECK(a->token.size() == 43);
      CHECK(std::all_of(a->token.begin(), a->token.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      }));
      CHECK(a->token != b->token);
      CHECK(a->info.id != b->info.id);
      CHECK(a->info.id.size() == 32);
      CHECK(a->info.expires_at - a->info.created_at == 24h);

      std::array<unsigned char, 32> raw{};
      REQUIRE(detail::base64_to(a->token, raw, true));
      const std::string expected_hash =
          detail::to_hex(detail::sha256(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size())));
      std::string stored_hash;
      long long token_anywhere = -1;
      auto ok = detail::with_session(detail::database_access::impl(*db), "inspect", [&](soci::session& sql) {
        sql << "SELECT token_hash FROM bankflow_sessions WHERE id = :id", soci::use(a->info.id, "id"),
            soci::into(stored_hash);
        sql << "SELECT COUNT(*) FROM bankflow_sessions WHERE id = :t OR token_hash = :t2",
            soci::use(a->token, "t"), soci::use(a->token, "t2"), soci::into(token_anywhere);
      });
      REQUIRE(ok);
      CHECK(stored_hash == expected_hash);
      CHECK(token_anywhere == 0);
      CHECK(*db->schema_version("sessions") == 3);
    }
  }
}

TEST_CASE("a session lives 24 hours from creation whatever its activity", "[session]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      const time_point t0 = clock.now;
      auto store = open_store(*db, clock);
      auto s = store.create();
      REQUIRE(s);

      auto found = store.find(s->token);
      REQUIRE(found);
      CHECK(found->id == s->info.id);
      CHECK(found->last_seen_at == std::chrono::floor<std::chrono::seconds>(t0));

      clock.now = t0 + 5h;
      auto touched = store.touch(s->token);
      REQUIRE(touched);
      CHECK(touched->last_seen_at == std::chrono::floor<std::chrono::seconds>(t0 + 5h));
      CHECK(touched->expires_at == std::chrono::floor<std::chrono::seconds>(t0 + 24h));  // not extended
      CHECK(store.find(s->token)->last_seen_at == std::chrono::floor<std::chrono::seconds>(t0 + 5h));

      clock.now = t0 + 24h - 1s;
      CHECK(store.touch(s->token));
      clock.now = t0 + 24h;
      CHECK(store.find(s->token).error().code == errc::session_expired);
      CHECK(store.touch(s->token).error().code == errc::session_expired);
      clock.now = t0 + 1000h;
      CHECK(store.find(s->token).error().code == errc::session_expired);
    }
  }
}

TEST_CASE("the session lifetime is configurable and must be positive", "[session]") {
  auto db = bankflow::database::open("sqlite::memory:");
  REQUIRE(db);
  manual_clock clock;
  auto store = open_store(*db, clock, std::chrono::minutes(10));
  auto s = store.create();
  REQUIRE(s);
  clock.now += 9min + 59s;
  CHECK(store.find(s->token));
  clock.now += 1s;
  CHECK(store.find(s->token).error().code == errc::session_expired);
  CHECK(session_store::open(*db, {.lifetime = 0s}).error().code == errc::invalid_argument);
}

TEST_CASE("malformed and unknown tokens are session_invalid", "[session]") {
  auto db = bankflow::database::open("sqlite::memory:");
  REQUIRE(db);
  manual_clock clock;
  auto store = open_store(*db, clock);
  auto s = store.create();
  REQUIRE(s);
  std::string changed = s->token;
  changed[5] = changed[5] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string(), std::string("abc"), s->token + "A", s->token.substr(1), changed,
                                 std::string(43, 'A'), s->info.id}) {
    CAPTURE(bad);
    CHECK(store.find(bad).error().code == errc::session_invalid);
    CHECK(store.touch(bad).error().code == errc::session_invalid);
  }
}

TEST_CASE("revoking ends a session at once, is idempotent, and names unknown ids not_found", "[session]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      auto store = open_store(*db, clock);
      auto s = store.create();
      auto other = store.create();
      REQUIRE(s);
      REQUIRE(other);
      REQUIRE(store.revoke(s->info.id));
      CHECK(store.find(s->token).error().code == errc::session_revoked);
      CHECK(store.touch(s->token).error().code == errc::session_revoked);
      CHECK(store.revoke(s->info.id));
      CHECK(store.find(other->token));
      CHECK(store.revoke("0123456789abcdef0123456789abcdef").error().code == errc::not_found);
    }
  }
}

TEST_CASE("purge removes expired and revoked sessions and reports each one once", "[session]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      const time_point t0 = clock.now;
      auto store = open_store(*db, clock);
      auto expired = store.create();
      clock.now = t0 + 2h;
      auto alive = store.create();
      clock.now = t0 + 3h;
      auto revoked = store.create();
      REQUIRE(expired);
      REQUIRE(alive);
      REQUIRE(revoked);
      REQUIRE(store.revoke(revoked->info.id));

      clock.now = t0 + 24h + 30min;
      auto listed = store.expired();  // what a purge would take, left in place
      REQUIRE(listed);
      std::set<std::string> listed_ids;
      for (const auto& p : *listed) listed_ids.insert(p.id);
      CHECK(listed_ids == std::set<std::string>{expired->info.id, revoked->info.id});
      CHECK(store.find(expired->token).error().code == errc::session_expired);
      auto purged = store.purge_expired();
      REQUIRE(purged);
      std::set<std::string> ids;
      for (const auto& p : *purged) ids.insert(p.id);
      CHECK(ids == std::set<std::string>{expired->info.id, revoked->info.id});
      for (const auto& p : *purged) {
        if (p.id == revoked->info.id) {
          REQUIRE(p.revoked_at);
          CHECK(*p.revoked_at == std::chrono::floor<std::chrono::seconds>(t0 + 3h));
        } else {
          CHECK_FALSE(p.revoked_at);
          CHECK(p.expires_at == std::chrono::floor<std::chrono::seconds>(t0 + 24h));
        }
      }
      CHECK(purged->size() == 2);
      CHECK(store.purge_expired()->empty());
      CHECK(store.find(alive->token));
      CHECK(store.find(expired->token).error().code == errc::session_invalid);  // gone for good
    }
  }
}

TEST_CASE("purge(ids) deletes exactly the sessions named, not every expired one", "[session]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      auto store = open_store(*db, clock);
      auto listed_then = store.create();
      auto revoked_later = store.create();
      REQUIRE(listed_then);
      REQUIRE(revoked_later);
      REQUIRE(store.revoke(listed_then->info.id));
      auto listed = store.expired();  // what a janitor pass cleans up after
      REQUIRE(listed);
      REQUIRE(listed->size() == 1);
      REQUIRE(store.revoke(revoked_later->info.id));  // after the listing
      auto deleted = store.purge({listed->front().id, "no-such-session"});
      REQUIRE(deleted);
      CHECK(*deleted == 1);
      auto left = store.expired();  // the later one waits for the next pass, with its jobs
      REQUIRE(left);
      REQUIRE(left->size() == 1);
      CHECK(left->front().id == revoked_later->info.id);
      CHECK(store.find(listed_then->token).error().code == errc::session_invalid);  // gone
    }
  }
}

TEST_CASE("concurrent purgers report every expired session exactly once", "[session][concurrency]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      manual_clock clock;
      const time_point t0 = clock.now;
      std::vector<std::string> created;
      {
        auto db = bankflow::database::open(target.url);
        REQUIRE(db);
        auto store = open_store(*db, clock);
        for (int i = 0; i < 60; ++i) created.push_back(store.create()->info.id);
      }
      clock.now = t0 + 25h;
      std::mutex m;
      std::vector<std::string> reported;
      std::vector<std::thread> threads;
      for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
          auto db = bankflow::database::open(target.url, {.pool_size = 1});
          if (!db) return;
          auto store = session_store::open(*db, {.clock = [&] { return clock.now; }});
          if (!store) return;
          auto purged = store->purge_expired();
          if (!purged) return;
          std::lock_guard lock(m);
          for (const auto& p : *purged) reported.push_back(p.id);
        });
      for (auto& t : threads) t.join();
      std::sort(reported.begin(), reported.end());
      std::sort(created.begin(), created.end());
      CHECK(reported == created);
    }
  }
}

TEST_CASE("another session's resource looks exactly like a missing one", "[session][ownership]") {
  bankflow::session_info mine;
  mine.id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  const std::string theirs = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  CHECK(bankflow::check_owner(mine, mine.id, "job", "job_1"));
  const auto other = bankflow::check_owner(mine, theirs, "job", "job_1");
  const auto missing = bankflow::check_owner(mine, std::nullopt, "job", "job_1");
  REQUIRE_FALSE(other);
  REQUIRE_FALSE(missing);
  CHECK(other.error().code == errc::not_found);
  CHECK(other.error().to_string() == missing.error().to_string());
  CHECK(other.error().to_string() == bankflow::not_found_error("job", "job_1").to_string());
  CHECK(other.error().message == "no job \"job_1\"");
  bankflow::session_info anonymous;  // no id: owns nothing, not even resources without an owner
  CHECK_FALSE(bankflow::check_owner(anonymous, std::string_view(), "file", "f"));
}

TEST_CASE("a CSRF token is bound to its session and the server secret", "[session][csrf]") {
  auto key = bankflow::csrf_key::create("server secret of 32 bytes……");
  REQUIRE(key);
  bankflow::session_info a;
  a.id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  bankflow::session_info b;
  b.id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  const std::string ta = key->token_for(a);
  CHECK(ta.size() == 43);
  CHECK(ta == key->token_for(a));
  CHECK(ta != key->token_for(b));
  CHECK(key->check(a, ta));
  CHECK(key->check(b, ta).error().code == errc::csrf_invalid);
  CHECK(key->check(a, "").error().code == errc::csrf_invalid);
  CHECK(key->check(a, "not a token").error().code == errc::csrf_invalid);
  std::string tampered = ta;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  CHECK(key->check(a, tampered).error().code == errc::csrf_invalid);
  auto other_server = bankflow::csrf_key::create("another server secret!!");
  REQUIRE(other_server);
  CHECK(other_server->check(a, ta).error().code == errc::csrf_invalid);
  CHECK(bankflow::csrf_key::create("short").error().code == errc::invalid_argument);
}

TEST_CASE("an unsaved session lives in its signed token until its first write saves it", "[session][unsaved]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      const time_point t0 = clock.now;
      auto count = [&] {
        long long n = -1;
        REQUIRE(detail::with_session(detail::database_access::impl(*db), "count", [&](soci::session& sql) {
          sql << "SELECT COUNT(*) FROM bankflow_sessions", soci::into(n);
        }));
        return n;
      };
      auto plain = open_store(*db, clock);
      CHECK(plain.begin_unsaved().error().code == errc::invalid_argument);  // no key: none
      CHECK_FALSE(session_store::open(*db, {.clock = clock.fn(), .unsaved_key = "short"}));
      auto opened = session_store::open(*db, {.clock = clock.fn(), .unsaved_key = "0123456789abcdef0123"});
      REQUIRE(opened);
      auto& store = *opened;
      auto real = plain.create();  // a saved session's random token is no unsaved one
      REQUIRE(real);
      const auto before = count();

      auto u = store.begin_unsaved();
      REQUIRE(u);
      CHECK(u->token.size() == 43);  // shaped like any token
      CHECK(u->info.id.size() == 32);
      CHECK(u->info.expires_at - u->info.created_at == 24h);
      CHECK(count() == before);  // nothing written
      CHECK(store.find(u->token).error().code == errc::session_invalid);
      auto again = store.find_unsaved(u->token);
      REQUIRE(again);
      CHECK(again->id == u->info.id);
      CHECK(plain.find_unsaved(u->token).error().code == errc::session_invalid);  // another key
      std::string flipped = u->token;
      flipped[30] = flipped[30] == 'A' ? 'B' : 'A';  // a bit of the MAC
      std::string retimed = u->token;
      retimed[25] = retimed[25] == 'A' ? 'B' : 'A';  // a bit of the creation time
      for (std::string forged : {flipped, retimed, std::string("x"), u->token + "x", real->token}) {
        CHECK(store.find_unsaved(forged).error().code == errc::session_invalid);
        CHECK_FALSE(store.save(forged));
      }
      CHECK(count() == before);

      clock.now = t0 + 2h;
      auto saved = store.save(u->token);
      REQUIRE(saved);
      CHECK(saved->id == u->info.id);
      CHECK(saved->expires_at == u->info.expires_at);  // the lifetime runs from the token's birth
      CHECK(count() == before + 1);
      auto twice = store.save(u->token);  // a concurrent first write
      REQUIRE(twice);
      CHECK(twice->id == u->info.id);
      CHECK(count() == before + 1);
      auto found = store.touch(u->token);
      REQUIRE(found);
      CHECK(found->id == u->info.id);

      auto late = store.begin_unsaved();
      REQUIRE(late);
      clock.now = t0 + 26h;
      CHECK(store.find_unsaved(late->token).error().code == errc::session_expired);
      CHECK(store.save(late->token).error().code == errc::session_expired);
      CHECK(store.find(u->token).error().code == errc::session_expired);
    }
  }
}

TEST_CASE("the session cookie is HttpOnly, SameSite=Lax, and __Host- and Secure behind HTTPS", "[session]") {
  const auto now = std::chrono::sys_seconds(std::chrono::seconds(1700000000));
  CHECK(bankflow::session_set_cookie("tok", now + 3600s, now, false) ==
        "bankflow_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600");
  CHECK(bankflow::session_set_cookie("tok", now + 60s, now, true) ==
        "__Host-bankflow_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
  CHECK(bankflow::session_set_cookie("tok", now - 5s, now, false).ends_with("Max-Age=0"));  // never negative
  CHECK(bankflow::session_cookie_name_for(false) == bankflow::session_cookie_name);
  CHECK(bankflow::session_cookie_name_for(true) == bankflow::secure_session_cookie_name);
}

TEST_CASE("random_hex and random_base64 give fresh CSPRNG bytes of the asked size", "[session]") {
  const std::string hex = bankflow::random_hex(32);
  CHECK(hex.size() == 64);
  CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(hex != bankflow::random_hex(32));
  const std::string b64 = bankflow::random_base64(32);
  CHECK(b64.size() == 44);  // 32 bytes: 43 characters and one '='
  CHECK(b64.back() == '=');
  CHECK(detail::from_base64(b64)->size() == 32);
}

TEST_CASE("resolve finds saved and unsaved sessions; resolve_or_begin begins one, limited per address",
          "[session]") {
  test::sql_targets targets(false);
  const auto& target = targets.all().front();
  auto db = bankflow::database::open(target.url);
  REQUIRE(db);
  manual_clock clock;
  auto opened = session_store::open(*db, {.clock = clock.fn(), .unsaved_key = "0123456789abcdef0123"});
  REQUIRE(opened);
  auto& store = *opened;
  std::chrono::seconds wait{0};

  auto none = store.resolve(std::nullopt, false);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == errc::session_invalid);
  CHECK(store.resolve(std::string_view("not a token"), true).error().code == errc::session_invalid);

  auto saved = store.create();
  REQUIRE(saved);
  auto found = store.resolve(std::string_view(saved->token), true);
  REQUIRE(found);
  CHECK(found->info.id == saved->info.id);
  CHECK(found->new_token.empty());
  CHECK(found->unsaved.empty());

  auto begun = store.resolve_or_begin(std::nullopt, false, nullptr, {}, wait);
  REQUIRE(begun);
  CHECK_FALSE(begun->new_token.empty());
  CHECK(begun->unsaved == begun->new_token);  // no row until its first write
  auto unsaved = store.resolve(std::string_view(begun->new_token), false);
  REQUIRE(unsaved);
  CHECK(unsaved->info.id == begun->info.id);
  CHECK(unsaved->unsaved == begun->new_token);
  CHECK(unsaved->new_token.empty());

  REQUIRE(store.revoke(saved->info.id));
  auto after_revoke = store.resolve_or_begin(std::string_view(saved->token), false, nullptr, {}, wait);
  REQUIRE(after_revoke);  // a revoked session's visitor gets a new one
  CHECK(after_revoke->info.id != saved->info.id);

  auto counts = bankflow::make_memory_rate_limit_store().value();
  bankflow::rate_limiter limiter(*counts, {.clock = clock.fn()});
  limiter.set_address_limit("session", {1, 1h});
  REQUIRE(store.resolve_or_begin(std::nullopt, false, &limiter, "198.51.100.1", wait));
  auto over = store.resolve_or_begin(std::nullopt, false, &limiter, "198.51.100.1", wait);
  REQUIRE_FALSE(over);
  CHECK(over.error().code == errc::rate_limited);
  CHECK(over.error().message.starts_with("at most 1 new sessions per hour from one address"));
  CHECK(wait >= 1s);
}

TEST_CASE("a login session slides with activity up to its maximum age, and names its user", "[session][login]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      const time_point t0 = clock.now;
      auto opened = session_store::open(*db, {.idle_timeout = 30min, .max_age = 2h, .clock = clock.fn()});
      REQUIRE(opened);
      auto& store = *opened;
      CHECK(store.create_for_user("").error().code == errc::invalid_argument);
      auto s = store.create_for_user("u1");
      REQUIRE(s);
      CHECK(s->info.user_id == "u1");
      CHECK(s->info.logged_in());
      CHECK(s->info.expires_at == std::chrono::floor<std::chrono::seconds>(t0 + 2h));
      CHECK(*s->info.idle_expires_at == std::chrono::floor<std::chrono::seconds>(t0 + 30min));
      CHECK(store.find(s->token)->user_id == "u1");
      // what it was begun from, kept as printable ASCII for the user's list of devices
      auto phone = store.create_for_user("u1", "Phone\x01 caf\xC3\xA9 1.0", "203.0.113.9");
      REQUIRE(phone);
      CHECK(store.find(phone->token)->device == "Phone? caf?? 1.0");
      const auto listed = store.list_for_user("u1").value();
      CHECK(std::any_of(listed.begin(), listed.end(), [&](const bankflow::session_info& i) {
        return i.id == phone->info.id && i.client_address == "203.0.113.9";
      }));
      CHECK(store.find(s->token)->device.empty());
      // every touch moves the idle deadline; 29 minutes of silence at a time keep it alive …
      for (auto at : {29min, 58min, 87min, 116min}) {
        clock.now = t0 + at;
        auto touched = store.touch(s->token);
        REQUIRE(touched);
        CHECK(*touched->idle_expires_at == std::chrono::floor<std::chrono::seconds>(t0 + at + 30min));
      }
      // … up to the maximum age, whatever the activity
      clock.now = t0 + 2h;
      CHECK(store.touch(s->token).error().code == errc::session_expired);
      // idle: find refuses it without a touch, and the janitor's listing has it
      auto idle = store.create_for_user("u1");
      REQUIRE(idle);
      clock.now += 30min;
      CHECK(store.find(idle->token).error().code == errc::session_expired);
      CHECK(store.touch(idle->token).error().code == errc::session_expired);
      auto dead = store.expired();
      REQUIRE(dead);
      CHECK(std::count_if(dead->begin(), dead->end(), [&](const auto& i) { return i.id == idle->info.id; }) == 1);
      // anonymous sessions keep their absolute lifetime and no idle deadline
      auto anonymous = store.create();
      REQUIRE(anonymous);
      CHECK_FALSE(anonymous->info.logged_in());
      CHECK_FALSE(anonymous->info.idle_expires_at);
      clock.now += 23h;
      CHECK(store.touch(anonymous->token));
    }
  }
}

TEST_CASE("a user's login sessions are listed, ended one by one or everywhere, never another user's",
          "[session][login]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      manual_clock clock;
      auto store = open_store(*db, clock);
      auto laptop = store.create_for_user("ana");
      clock.now += 1s;
      auto phone = store.create_for_user("ana");
      auto other = store.create_for_user("bia");
      REQUIRE((laptop && phone && other));
      auto listed = store.list_for_user("ana");
      REQUIRE(listed);
      REQUIRE(listed->size() == 2);
      CHECK((*listed)[0].id == phone->info.id);  // newest first
      CHECK(store.revoke_for_user("bia", laptop->info.id).error().code == errc::not_found);
      CHECK(store.revoke_for_user("ana", "nope").error().code == errc::not_found);
      CHECK(store.find(laptop->token));
      REQUIRE(store.revoke_for_user("ana", phone->info.id));
      CHECK(store.find(phone->token).error().code == errc::session_revoked);
      CHECK(store.list_for_user("ana")->size() == 1);
      auto tablet = store.create_for_user("ana");
      REQUIRE(tablet);
      CHECK(store.revoke_all_for_user("ana", tablet->info.id).value() == 1);  // all but this one
      CHECK(store.find(laptop->token).error().code == errc::session_revoked);
      CHECK(store.find(tablet->token));
      CHECK(store.revoke_all_for_user("ana").value() == 1);
      CHECK(store.list_for_user("ana")->empty());
      CHECK(store.find(other->token));  // another user's sessions are untouched
      CHECK(store.revoke_all_for_user("").value() == 0);
    }
  }
}
