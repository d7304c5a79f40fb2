// The account workflows (bankflow::identity): sign-up and login with the claim of the anonymous
// session's jobs and a rotated session, the failed-login lock (per email, whether or not it has
// an account), logout here and everywhere, password change, keys, roles and disabling, and what
// each writes to the audit log — on SQLite and, when BANKFLOW_TEST_DATABASE_URL is set, PostgreSQL.

#include "accounts_backends.hpp"

#include "store/db.hpp"

#include <bankflow/jobs.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace bankflow;
using namespace std::chrono_literals;

namespace {

// One backend's identity with its sessions, jobs and an in-memory limiter on the test's clock.
struct workflow {
  test::accounts_backends& backends;
  test::accounts_backend& b;
  session_store sessions;
  job_store jobs;
  std::unique_ptr<rate_limit_store> rates = make_memory_rate_limit_store().value();
  rate_limiter limiter;
  identity id;
  request_meta meta{"203.0.113.7", "req-1"};

  workflow(test::accounts_backends& all, test::accounts_backend& backend)
      : backends(all),
        b(backend),
        sessions(session_store::open(*b.db, {.clock = [&all] { return all.now; }}).value()),
        jobs(job_store::open(*b.db).value()),
        limiter(*rates, {.clock = [&all] { return all.now; }}),
        id(*b.accounts, sessions, *b.audit, limiter, &jobs,
           identity_options{.failed_logins_per_account = {3, 15min}, .failed_logins_per_address = {7, 15min}}) {}

  std::vector<std::string> actions(const std::string& subject) {
    std::vector<std::string> out;
    const auto page = b.audit->list({.subject = subject, .limit = 100});  // kept: the loop reads it
    REQUIRE(page);
    for (const auto& e : page->entries) out.push_back(e.action);
    return out;
  }
};

new_user person(std::string email) {
  return {.email = std::move(email), .password = "correct horse battery", .display_name = "Ana"};
}

}  // namespace

TEST_CASE("sign-up and login begin a new login session and claim the anonymous session's jobs",
          "[accounts][identity]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      workflow w(backends, b);
      auto anonymous = w.sessions.create().value();
      const auto job_id = job_store::new_job_id();
      REQUIRE(w.jobs.create(job_id, anonymous.info.id, "extrato.ofx", 10));
      auto in = w.id.sign_up(person("ana@example.com"), anonymous.info.id, w.meta);
      REQUIRE(in);
      CHECK(in->claimed_jobs == 1);
      CHECK(in->session.info.user_id == in->user.id);
      CHECK(in->session.info.id != anonymous.info.id);
      CHECK(w.jobs.get_owned(in->user.id, job_id));
      CHECK(w.sessions.find(anonymous.token).error().code == errc::session_revoked);
      CHECK(w.id.user_of(w.sessions.find(in->session.token).value()).value().email == "ana@example.com");
      CHECK(w.id.user_of(anonymous.info).error().code == errc::session_invalid);
      std::chrono::seconds wait{0};
      auto again = w.id.log_in("ANA@example.com ", "correct horse battery", in->session.info.id, w.meta, wait);
      REQUIRE(again);
      CHECK(again->claimed_jobs == 0);
      CHECK(w.sessions.find(in->session.token).error().code == errc::session_revoked);  // switched, not shared
      const auto page = b.audit->list({.subject = in->user.id});
      REQUIRE(page);
      const auto& audit = page->entries;
      REQUIRE(audit.size() == 2);
      CHECK(audit[0].action == "login");
      CHECK(audit[1].action == "signup");
      CHECK(audit[1].detail == "claimed 1 conversions");
      CHECK(audit[1].client_address == "203.0.113.7");
      CHECK(audit[1].request_id == "req-1");
    }
  }
}

TEST_CASE("failed logins lock an email, known or not, and are audited; the right password waits too",
          "[accounts][identity]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      workflow w(backends, b);
      const auto ana = w.id.sign_up(person("ana@example.com"), {}, w.meta).value().user;
      std::chrono::seconds wait{0};
      for (int i = 0; i < 3; ++i)
        CHECK(w.id.log_in("ana@example.com", "wrong password", {}, w.meta, wait).error().code ==
              errc::invalid_credentials);
      auto locked = w.id.log_in("ana@example.com", "correct horse battery", {}, w.meta, wait);
      REQUIRE_FALSE(locked);
      CHECK(locked.error().code == errc::rate_limited);
      CHECK(wait == 15min);
      CHECK(w.actions(ana.id) == std::vector<std::string>{"login_locked", "login_failed", "login_failed",
                                                          "login_failed", "signup"});
      // an unknown email locks the same way: the answers never tell whether it has an account
      for (int i = 0; i < 3; ++i)
        CHECK(w.id.log_in("nobody@example.com", "x", {}, w.meta, wait).error().code == errc::invalid_credentials);
      CHECK(w.id.log_in("nobody@example.com", "x", {}, w.meta, wait).error().code == errc::rate_limited);
      // the address has had 6 failures (limit 7): one more, and then any email from it waits
      CHECK(w.id.log_in("bia@example.com", "x", {}, w.meta, wait).error().code == errc::invalid_credentials);
      auto by_address = w.id.log_in("carla@example.com", "x", {}, w.meta, wait);
      REQUIRE_FALSE(by_address);
      CHECK(by_address.error().code == errc::rate_limited);
      CHECK(by_address.error().message.find("from one address") != std::string::npos);
      w.meta.client_address = "198.51.100.1";
      backends.now += 15min;  // the lock ends with the window
      REQUIRE(w.id.log_in("ana@example.com", "correct horse battery", {}, w.meta, wait));
    }
  }
}

TEST_CASE("logout, logout everywhere, password change, keys, roles and disabling are audited",
          "[accounts][identity]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      workflow w(backends, b);
      auto first = w.id.sign_up(person("ana@example.com"), {}, w.meta).value();
      const auto& ana = first.user;
      std::chrono::seconds wait{0};
      auto second = w.id.log_in("ana@example.com", "correct horse battery", {}, w.meta, wait).value();
      auto third = w.id.log_in("ana@example.com", "correct horse battery", {}, w.meta, wait).value();
      REQUIRE(w.id.log_out(first.session.info, w.meta));
      CHECK(w.sessions.find(first.session.token).error().code == errc::session_revoked);
      CHECK(w.id.end_session(ana, "not-hers", w.meta).error().code == errc::not_found);
      CHECK(w.id.change_password(ana, "wrong password", "another good one", third.session.info.id, w.meta)
                .error()
                .code == errc::invalid_credentials);
      REQUIRE(w.id.change_password(ana, "correct horse battery", "another good one", third.session.info.id, w.meta));
      CHECK(w.sessions.find(second.session.token).error().code == errc::session_revoked);
      CHECK(w.sessions.find(third.session.token));
      CHECK(w.id.log_out_everywhere(ana, {}, w.meta).value() == 1);
      auto key = w.id.create_api_key(ana, "script", key_scope::read, w.meta).value();
      REQUIRE(w.id.revoke_api_key(ana, key.info.id, w.meta));
      auto admin = b.accounts->create_user({.email = "root@example.com", .password = "correct horse battery",
                                            .display_name = "Root", .role = account_role::admin}).value();
      CHECK(w.id.set_role(admin, ana.id, account_role::operator_, w.meta).value().role == account_role::operator_);
      auto fourth = w.id.log_in("ana@example.com", "another good one", {}, w.meta, wait).value();
      CHECK(w.id.disable(admin, ana.id, w.meta).value().disabled());
      CHECK(w.sessions.find(fourth.session.token).error().code == errc::session_revoked);
      CHECK(w.id.log_in("ana@example.com", "another good one", {}, w.meta, wait).error().code ==
            errc::invalid_credentials);
      CHECK(w.actions(ana.id) ==
            std::vector<std::string>{"login_failed", "user_disabled", "login", "role_changed", "logout_everywhere",
                                     "password_changed", "password_change_failed", "logout", "login", "login",
                                     "signup"});
      const auto page = b.audit->list({.subject = key.info.id});
      REQUIRE(page);
      const auto& by_key = page->entries;
      REQUIRE(by_key.size() == 2);
      CHECK((by_key[0].action == "key_revoked" && by_key[1].action == "key_created"));
      CHECK(by_key[1].detail == "read");
    }
  }
}

TEST_CASE("export_account gathers an account's data; erase_account removes it and frees the email",
          "[accounts][privacy]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      workflow w(backends, b);
      const auto dir = std::filesystem::temp_directory_path() / ("bankflow-privacy-" + test::unique_suffix());
      job_paths paths{dir};
      REQUIRE(paths.prepare());
      auto in = w.id.sign_up(person("ana@example.com"), {}, w.meta).value();
      const auto job_id = job_store::new_job_id();
      REQUIRE(w.jobs.create(job_id, in.user.id, "extrato.ofx", 3, false, true));
      { std::ofstream(paths.upload(job_id)) << "ofx"; }
      auto key = w.id.create_api_key(in.user, "script", key_scope::read, w.meta).value();
      const account_data data{*b.accounts, w.sessions, *b.audit, w.jobs, paths, nullptr};
      auto exported = export_account(data, in.user, w.meta);
      REQUIRE(exported);
      CHECK(exported->find("\"email\":\"ana@example.com\"") != std::string::npos);
      CHECK(exported->find(job_id) != std::string::npos);
      CHECK(exported->find(key.info.id) != std::string::npos);
      CHECK(exported->find(key.token) == std::string::npos);
      CHECK(exported->find("\"action\":\"signup\"") != std::string::npos);
      CHECK(exported->find("\"action\":\"account_exported\"") != std::string::npos);
      CHECK(exported->find("\"wallet\":null") != std::string::npos);

      auto erased = erase_account(data, in.user, w.meta);
      REQUIRE(erased);
      CHECK((erased->jobs == 1 && erased->api_keys == 1 && erased->sessions == 1));
      CHECK_FALSE(std::filesystem::exists(paths.upload(job_id)));
      CHECK(w.jobs.get(job_id).error().code == errc::not_found);
      CHECK(b.accounts->find_user(in.user.id).error().code == errc::not_found);
      CHECK(w.sessions.find(in.session.token).error().code == errc::session_revoked);
      CHECK(b.accounts->verify_api_key(key.token).error().code == errc::invalid_credentials);
      CHECK(w.actions(in.user.id).front() == "account_erased");  // the log keeps its rows
      CHECK(w.id.sign_up(person("ana@example.com"), {}, w.meta));  // the email is free again
      CHECK(b.accounts->erase_user(in.user.id).error().code == errc::not_found);
      std::filesystem::remove_all(dir);
    }
  }
}

TEST_CASE("a download expires an anonymous job, never an account's", "[accounts][privacy][jobs]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto jobs = job_store::open(*b.db).value();
      const auto anonymous = job_store::new_job_id(), claimed = job_store::new_job_id(),
                 owned = job_store::new_job_id();
      REQUIRE(jobs.create(anonymous, "session-a", "a.ofx", 1));
      REQUIRE(jobs.create(claimed, "session-b", "b.ofx", 1));
      REQUIRE(jobs.create(owned, "user-1", "c.ofx", 1, false, true));
      CHECK(jobs.transfer_owner("session-b", "user-1").value() == 1);
      for (const auto& id : {anonymous, claimed, owned}) REQUIRE(jobs.mark_downloaded(id));
      auto removed = jobs.remove_expired(std::chrono::seconds(-1), {});
      REQUIRE(removed);
      CHECK(*removed == std::vector<std::string>{anonymous});
      auto gone = jobs.remove_owned("user-1");
      REQUIRE(gone);
      CHECK(gone->size() == 2);
      CHECK(jobs.list("user-1").value().empty());
    }
  }
}

TEST_CASE("an account's conversions stay until the retention passes, and never while they run",
          "[accounts][privacy][jobs]") {
  test::accounts_backends backends;
  for (auto& b : backends.all) {
    SECTION(b.name) {
      auto jobs = job_store::open(*b.db, {.clock = [&backends] { return backends.now; }}).value();
      const auto done = job_store::new_job_id(), running = job_store::new_job_id(),
                 anonymous = job_store::new_job_id();
      REQUIRE(jobs.create(done, "user-1", "a.ofx", 1, false, true));
      REQUIRE(jobs.create(running, "user-1", "b.ofx", 1, false, true));
      REQUIRE(jobs.create(anonymous, "session-a", "c.ofx", 1));
      REQUIRE(jobs.start(done));
      REQUIRE(jobs.complete(done, job{}));
      REQUIRE(jobs.start(running));
      backends.now += 48h;
      CHECK(jobs.remove_expired(1h, {}, 0s).value().empty());  // 0: until deleted
      CHECK(jobs.remove_expired(1h, {}, 72h).value().empty());  // not old enough yet
      CHECK(jobs.remove_expired(1h, {}, 24h).value() == std::vector<std::string>{done});
      CHECK(jobs.get(running));  // still being converted: the next pass decides
      CHECK(jobs.get(anonymous));  // never downloaded: the retention is an account's
    }
  }
}

namespace {

// Runs one statement on `db` (the test's superuser connection).
void exec(database& db, const std::string& statement) {
  REQUIRE(detail::with_session(detail::database_access::impl(db), "test", [&](soci::session& sql) { sql << statement; }));
}

// A raw count with no WHERE owner, as a careless query would be written.
long long count_rows(database& db, const std::string& table) {
  long long n = -1;
  REQUIRE(detail::with_session(detail::database_access::impl(db), "test", [&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
  }));
  return n;
}

// The same database through a role that is neither a superuser nor exempt from row-level
// security, as the server should connect (a superuser bypasses every policy).
std::unique_ptr<database> as_application_role(database& admin, const std::string& url) {
  std::string schema;
  REQUIRE(detail::with_session(detail::database_access::impl(admin), "test", [&](soci::session& sql) {
    sql << "SELECT current_schema()", soci::into(schema);
  }));
  exec(admin, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bankflow_rls_test') THEN "
              "CREATE ROLE bankflow_rls_test LOGIN; END IF; END $$");
  exec(admin, "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO bankflow_rls_test");
  exec(admin, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO bankflow_rls_test");
  std::string app_url = url;
  app_url.replace(app_url.find("://") + 3, app_url.find('@') - app_url.find("://") - 3, "bankflow_rls_test");
  return std::make_unique<database>(database::open(app_url).value());
}

}  // namespace

TEST_CASE("PostgreSQL row-level security: a query that forgets its owner still sees one tenant's rows",
          "[accounts][rls]") {
  test::sql_targets targets(false);
  for (const auto& target : targets.all()) {
    if (target.name != "postgresql") continue;
    auto admin = database::open(target.url).value();
    auto accounts = account_store::open(admin, {.password = test::cheap_params}).value();
    auto admin_jobs = job_store::open(admin).value();
    const auto ana = accounts.create_user(person("ana@example.com")).value();
    const auto bia = accounts.create_user(person("bia@example.com")).value();
    for (const auto& owner : {ana.id, ana.id, bia.id})
      REQUIRE(admin_jobs.create(job_store::new_job_id(), owner, "x.ofx", 1, false, true));
    REQUIRE(accounts.create_api_key(ana.id, "a", key_scope::read));
    REQUIRE(accounts.create_api_key(bia.id, "b", key_scope::read));
    auto app = as_application_role(admin, target.url);
    auto jobs = job_store::open(*app).value();
    CHECK(count_rows(*app, "bankflow_jobs") == 3);  // no tenant: the library's background work sees all
    CHECK(set_thread_tenant(ana.id).empty());
    CHECK(thread_tenant() == ana.id);
    CHECK(count_rows(*app, "bankflow_jobs") == 2);
    CHECK(count_rows(*app, "bankflow_api_keys") == 1);
    CHECK(jobs.list(bia.id).value().empty());
    auto planted = jobs.create(job_store::new_job_id(), bia.id, "y.ofx", 1);  // another tenant's row
    REQUIRE_FALSE(planted);
    CHECK(planted.error().code == errc::storage_error);
    std::thread([&] { CHECK(thread_tenant().empty()); }).join();  // never inherited by another thread
    set_thread_tenant({});
    CHECK(count_rows(*app, "bankflow_jobs") == 3);
  }
}
