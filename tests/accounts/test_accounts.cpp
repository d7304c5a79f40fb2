// Accounts: email normalization, the password policy, Argon2id hashes, users and login, and API
// keys — on SQLite and, when BANKFLOW_TEST_DATABASE_URL is set, PostgreSQL.

#include "accounts_backends.hpp"

#include "crypto/crypto.hpp"
#include "store/db.hpp"

#include <algorithm>
#include <chrono>
#include <regex>

using namespace bankflow;
using namespace std::chrono_literals;
using test::cheap_params;

namespace {

new_user person(std::string email, std::string password = "correct horse battery") {
  return {.email = std::move(email), .password = std::move(password), .display_name = "Ana"};
}

// One text column of one row, read straight from the database (what the library stored).
std::string stored(database& db, const std::string& query, const std::string& key) {
  std::string out;
  auto ok = detail::with_session(detail::database_access::impl(db), "test", [&](soci::session& sql) {
    sql << query, soci::use(key, "k"), soci::into(out);
  });
  REQUIRE(ok);
  return out;
}

template <class T>
errc code_of(const result<T>& r) {
  return r ? errc::ok : r.error().code;
}

}  // namespace

TEST_CASE("emails are trimmed and lower-cased; malformed ones are refused", "[accounts]") {
  CHECK(normalize_email("  Ana.Souza@Example.COM.br \t").value() == "ana.souza@example.com.br");
  CHECK(normalize_email("a+tag@b.co").value() == "a+tag@b.co");
  for (const char* bad : {"", "ana", "@example.com", "ana@", "ana@example", "ana@@example.com", "a@b@c.com",
                          "ana souza@example.com", "ana@example..com", ".ana@example.com", "ana.@example.com",
                          "ana@-example.com", "<ana>@example.com", "ana@example.com."}) {
    CAPTURE(bad);
    CHECK(code_of(normalize_email(bad)) == errc::invalid_argument);
  }
  CHECK(code_of(normalize_email(std::string(250, 'a') + "@b.co")) == errc::invalid_argument);
}

TEST_CASE("short and common passwords are refused, case-insensitively", "[accounts][password]") {
  CHECK(check_password_policy("curto123").error().code == errc::weak_password);  // 8 < 10
  for (const char* common : {"senha12345", "SENHA12345", "Brasil2024", "1234567890", "qwertyuiop", "Flamengo123",
                             "password123"}) {
    CAPTURE(common);
    CHECK(is_common_password(common));
    auto r = check_password_policy(common);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::weak_password);
    CHECK(r.error().message.find("common") != std::string::npos);
  }
  CHECK(is_common_password("senha123"));
  CHECK(is_common_password("12345678"));
  CHECK(is_common_password("brasil"));
  CHECK_FALSE(is_common_password("correct horse battery"));
  CHECK(check_password_policy("correct horse battery"));
}

TEST_CASE("passwords are stored as Argon2id PHC strings at OWASP's parameters", "[accounts][password]") {
  const auto h = hash_password("correct horse battery").value();
  CHECK(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  CHECK(h.find("correct") == std::string::npos);
  CHECK(verify_password(h, "correct horse battery"));
  CHECK_FALSE(verify_password(h, "correct horse batterY"));
  CHECK_FALSE(verify_password(h, ""));
  CHECK_FALSE(verify_password("not a hash", "correct horse battery"));
  CHECK(hash_password("correct horse battery").value() != h);  // a fresh salt each time
  CHECK_FALSE(needs_rehash(h, password_params{}));
  CHECK(needs_rehash(h, cheap_params));
  CHECK(needs_rehash(hash_password("correct horse battery", cheap_params).value(), password_params{}));
  CHECK(needs_rehash("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", password_params{}));
  CHECK(code_of(hash_password("x", {.memory_kib = 1, .iterations = 1, .parallelism = 1})) == errc::invalid_argument);
}

TEST_CASE("roles and key scopes read back from their names", "[accounts]") {
  for (auto r : {account_role::user, account_role::operator_, account_role::admin})
    CHECK(parse_account_role(to_string(r)).value() == r);
  CHECK(to_string(account_role::operator_) == "operator");
  CHECK(code_of(parse_account_role("root")) == errc::invalid_argument);
  CHECK(parse_key_scope("read-write").value() == key_scope::read_write);
  CHECK(to_string(key_scope::read_write) == "read_write");
  CHECK(code_of(parse_key_scope("write")) == errc::invalid_argument);
}

TEST_CASE("users: normalized unique emails, login, password and role changes", "[accounts]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& store = *b.accounts;
      const auto ana = store.create_user(person("  Ana@Example.com ")).value();
      CHECK(ana.email == "ana@example.com");
      CHECK(ana.id.size() == 32);
      CHECK(ana.role == account_role::user);
      CHECK(ana.created_at == backends.now);
      CHECK_FALSE(ana.disabled());
      CHECK(code_of(store.create_user(person("ANA@example.COM"))) == errc::already_exists);
      CHECK(code_of(store.create_user(person("not-an-email"))) == errc::invalid_argument);
      CHECK(code_of(store.create_user(person("bia@example.com", "senha12345"))) == errc::weak_password);
      CHECK(code_of(store.create_user(person("bia@example.com", "short"))) == errc::weak_password);
      CHECK(code_of(store.find_user_by_email("bia@example.com")) == errc::not_found);

      const auto hash = stored(*b.db, "SELECT password_hash FROM bankflow_users WHERE id = :k", ana.id);
      CHECK(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
      CHECK(verify_password(hash, "correct horse battery"));

      const auto in = store.authenticate("ANA@example.com", "correct horse battery");
      REQUIRE(in);
      CHECK(in->id == ana.id);
      CHECK(store.find_user_by_email(" ana@EXAMPLE.com").value().id == ana.id);

      const auto wrong = store.authenticate("ana@example.com", "wrong horse battery");
      const auto unknown = store.authenticate("nobody@example.com", "correct horse battery");
      const auto malformed = store.authenticate("nobody", "correct horse battery");
      REQUIRE_FALSE(wrong);
      REQUIRE_FALSE(unknown);
      REQUIRE_FALSE(malformed);
      CHECK(wrong.error().code == errc::invalid_credentials);
      CHECK(unknown.error().code == errc::invalid_credentials);
      CHECK(unknown.error().message == wrong.error().message);
      CHECK(malformed.error().message == wrong.error().message);

      CHECK(code_of(store.set_password(ana.id, "12345678")) == errc::weak_password);
      REQUIRE(store.set_password(ana.id, "a new long passphrase"));
      CHECK(code_of(store.authenticate("ana@example.com", "correct horse battery")) == errc::invalid_credentials);
      CHECK(store.authenticate("ana@example.com", "a new long passphrase"));
      CHECK(code_of(store.set_password("0123", "a new long passphrase")) == errc::not_found);

      CHECK(store.set_role(ana.id, account_role::operator_).value().role == account_role::operator_);
      CHECK(store.find_user(ana.id).value().role == account_role::operator_);
      CHECK(code_of(store.set_role("missing", account_role::admin)) == errc::not_found);
    }
  }
}

TEST_CASE("a login under old parameters rehashes the password under the store's", "[accounts][password]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      const auto ana = b.accounts->create_user(person("ana@example.com")).value();
      const password_params newer{.memory_kib = 128, .iterations = 2, .parallelism = 1};
      auto upgraded = account_store::open(*b.db, {.password = newer}).value();
      const std::string query = "SELECT password_hash FROM bankflow_users WHERE id = :k";
      CHECK(needs_rehash(stored(*b.db, query, ana.id), newer));
      CHECK(code_of(upgraded.authenticate("ana@example.com", "wrong horse battery")) == errc::invalid_credentials);
      CHECK(needs_rehash(stored(*b.db, query, ana.id), newer));  // a failed login changes nothing
      REQUIRE(upgraded.authenticate("ana@example.com", "correct horse battery"));
      const auto after = stored(*b.db, query, ana.id);
      CHECK(after.starts_with("$argon2id$v=19$m=128,t=2,p=1$"));
      CHECK_FALSE(needs_rehash(after, newer));
      CHECK(b.accounts->authenticate("ana@example.com", "correct horse battery"));
    }
  }
}

TEST_CASE("disabling a user blocks logins and keys and keeps the account", "[accounts]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& store = *b.accounts;
      const auto ana = store.create_user(person("ana@example.com")).value();
      const auto key = store.create_api_key(ana.id, "script", key_scope::read).value();
      REQUIRE(store.verify_api_key(key.token));
      const auto when = backends.now;
      CHECK(store.disable(ana.id).value().disabled_at == when);
      backends.now += 1h;
      CHECK(store.disable(ana.id).value().disabled_at == when);  // the first time is kept
      const auto denied = store.authenticate("ana@example.com", "correct horse battery");
      REQUIRE_FALSE(denied);
      CHECK(denied.error().code == errc::invalid_credentials);
      CHECK(denied.error().message == store.authenticate("x@example.com", "y").error().message);
      CHECK(code_of(store.verify_api_key(key.token)) == errc::invalid_credentials);
      CHECK(code_of(store.create_api_key(ana.id, "another", key_scope::read)) == errc::invalid_argument);
      CHECK(store.find_user(ana.id).value().disabled());
      CHECK(code_of(store.disable("missing")) == errc::not_found);
    }
  }
}

TEST_CASE("every user is listed, oldest first, disabled ones too", "[accounts]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& store = *b.accounts;
      CHECK(store.list_users().value().empty());
      const auto bia = store.create_user(person("bia@example.com")).value();
      backends.now += 1s;
      const auto ana = store.create_user(person("ana@example.com")).value();
      REQUIRE(store.disable(bia.id));
      const auto users = store.list_users().value();
      REQUIRE(users.size() == 2);
      CHECK(users[0].id == bia.id);
      CHECK(users[0].disabled());
      CHECK(users[1].id == ana.id);
      CHECK(users[1].email == "ana@example.com");
      CHECK(users[1].display_name == "Ana");
      CHECK(users[1].created_at == ana.created_at);
    }
  }
}

TEST_CASE("API keys: shown once, stored as a hash, verified, listed and revoked", "[accounts][keys]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto& store = *b.accounts;
      const auto ana = store.create_user(person("ana@example.com")).value();
      const auto bia = store.create_user(person("bia@example.com")).value();
      const auto key = store.create_api_key(ana.id, "reports", key_scope::read_write).value();
      CHECK(std::regex_match(key.token, std::regex("bf_live_[0-9a-f]{16}_[0-9a-f]{64}")));
      CHECK(key.token.substr(8, 16) == key.info.id);
      CHECK(key.info.user_id == ana.id);
      CHECK(key.info.created_at == backends.now);
      CHECK_FALSE(key.info.last_used_at);

      const std::string secret = key.token.substr(25);
      const auto hash = stored(*b.db, "SELECT secret_hash FROM bankflow_api_keys WHERE id = :k", key.info.id);
      CHECK(hash == detail::to_hex(detail::sha256(secret)));
      CHECK(hash.find(secret) == std::string::npos);

      backends.now += 5min;
      const auto v = store.verify_api_key(key.token);
      REQUIRE(v);
      CHECK(v->key.id == key.info.id);
      CHECK(v->key.scope == key_scope::read_write);
      CHECK(v->key.name == "reports");
      CHECK(v->user.id == ana.id);
      CHECK(v->key.last_used_at == backends.now);
      backends.now += 1min;
      REQUIRE(store.verify_api_key(key.token));
      auto listed = store.list_api_keys(ana.id).value();
      REQUIRE(listed.size() == 1);
      CHECK(listed[0].last_used_at == backends.now);
      CHECK(listed[0].name == "reports");
      const auto written = backends.now;  // a use within the minute is not written again
      backends.now += 30s;
      CHECK(store.verify_api_key(key.token).value().key.last_used_at == written);
      CHECK(store.list_api_keys(ana.id).value()[0].last_used_at == written);
      CHECK(store.list_api_keys(bia.id).value().empty());

      std::string tampered = key.token;
      tampered.back() = tampered.back() == '0' ? '1' : '0';
      std::string other_id = key.token;
      other_id[8] = other_id[8] == '0' ? '1' : '0';
      for (const auto& bad : {tampered, other_id, "bf_test_" + key.token.substr(8), key.token.substr(1),
                              key.token + "0", std::string("bf_live_"), std::string(), key.token.substr(0, 24)}) {
        CAPTURE(bad);
        CHECK(code_of(store.verify_api_key(bad)) == errc::invalid_credentials);
      }

      CHECK(code_of(store.revoke_api_key(bia.id, key.info.id)) == errc::not_found);  // not bia's
      REQUIRE(store.verify_api_key(key.token));
      const auto revoked = store.revoke_api_key(ana.id, key.info.id).value();
      CHECK(revoked.revoked_at == backends.now);
      CHECK(code_of(store.verify_api_key(key.token)) == errc::invalid_credentials);
      CHECK(store.revoke_api_key(ana.id, key.info.id).value().revoked_at == backends.now);  // idempotent
      CHECK(store.list_api_keys(ana.id).value().at(0).revoked_at == backends.now);

      const auto second = store.create_api_key(ana.id, "read only", key_scope::read).value();
      CHECK(second.token != key.token);
      CHECK(store.verify_api_key(second.token).value().key.scope == key_scope::read);
      CHECK(store.list_api_keys(ana.id).value().size() == 2);
      CHECK(code_of(store.create_api_key("missing", "x", key_scope::read)) == errc::not_found);
    }
  }
}
