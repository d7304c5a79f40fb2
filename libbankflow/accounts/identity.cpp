// The account workflows: sign-up and login (with the failed-login limits and the claim of the
// anonymous session's jobs), logout, password change, keys, roles and disabling, each audited.

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>

#include "crypto/crypto.hpp"

#include <algorithm>
#include <cctype>

namespace bankflow {
namespace {

constexpr std::string_view failed_login = "login_failed";

// The rate-limit key of an email's failed logins: a hash, so the store holds no addresses, of
// the normalized email (or of the text as given, lower-cased, when it is not an email).
std::string login_key(std::string_view email) {
  auto normalized = normalize_email(email);
  std::string text = normalized ? *normalized : std::string(email);
  if (!normalized) std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  const auto d = detail::sha256("bankflow-login-v1:" + text);
  return "login:" + detail::to_hex(std::span<const unsigned char>(d.data(), 16));
}

}  // namespace

identity::identity(account_store& accounts, session_store& sessions, audit_log& audit, rate_limiter& limiter,
                   job_store* jobs, identity_options options)
    : accounts_(&accounts), sessions_(&sessions), audit_(&audit), limiter_(&limiter), jobs_(jobs) {
  limiter.set_limit(failed_login, options.failed_logins_per_account);
  limiter.set_address_limit(failed_login, options.failed_logins_per_address);
}

result<signed_in> identity::begin(user_info user, std::string_view anonymous_session_id, std::string_view action,
                                  const request_meta& meta) {
  auto session = sessions_->create_for_user(user.id, meta.user_agent, meta.client_address);
  if (!session) return session.error();
  signed_in out{std::move(user), std::move(*session), 0};
  if (!anonymous_session_id.empty()) {
    if (jobs_ != nullptr) {
      auto moved = [&] {
        tenant_scope system({});  // rows move between owners: no one tenant's row-level policy may apply
        return jobs_->transfer_owner(anonymous_session_id, out.user.id);
      }();
      if (!moved) return moved.error();
      out.claimed_jobs = *moved;
    }
    // the visitor's former session ends: its token no longer names anything of theirs
    if (auto ended = sessions_->revoke(anonymous_session_id); !ended && ended.error().code != errc::not_found)
      return ended.error();
  }
  (void)audit_->record(action, out.user.id, out.user.id, meta,
         out.claimed_jobs > 0 ? "claimed " + std::to_string(out.claimed_jobs) + " conversions" : std::string());
  return out;
}

result<signed_in> identity::sign_up(const new_user& user, std::string_view anonymous_session_id,
                                    const request_meta& meta) {
  auto created = accounts_->create_user(user);
  if (!created) return created.error();
  return begin(std::move(*created), anonymous_session_id, "signup", meta);
}

result<user_info> identity::create_user(const user_info& actor, const new_user& user, const request_meta& meta) {
  auto created = accounts_->create_user(user);
  if (!created) return created.error();
  (void)audit_->record("user_created", actor.id, created->id, meta, std::string(to_string(created->role)));
  return created;
}

result<signed_in> identity::log_in(std::string_view email, std::string_view password,
                                   std::string_view anonymous_session_id, const request_meta& meta,
                                   std::chrono::seconds& retry_after) {
  const std::string key = login_key(email);
  auto room = limiter_->check_room(key, meta.client_address, failed_login, "failed logins", retry_after);
  if (!room) {
    if (room.error().code == errc::rate_limited) {
      auto known = accounts_->find_user_by_email(email);
      (void)audit_->record("login_locked", {}, known ? known->id : std::string(), meta);
    }
    return room.error();
  }
  auto user = accounts_->authenticate(email, password);
  if (!user) {
    if (user.error().code != errc::invalid_credentials) return user.error();
    std::chrono::seconds ignored{};
    (void)limiter_->admit(key, meta.client_address, failed_login, "failed logins", ignored);
    auto known = accounts_->find_user_by_email(email);  // operators see attacks on an account
    (void)audit_->record(failed_login, {}, known ? known->id : std::string(), meta, known ? "" : "no such account");
    return user.error();
  }
  return begin(std::move(*user), anonymous_session_id, "login", meta);
}

result<user_info> identity::user_of(const session_info& session) {
  if (!session.logged_in()) return make_error(errc::session_invalid, "nobody is logged in with this session");
  auto user = accounts_->find_user(session.user_id);
  if (!user) {
    if (user.error().code == errc::not_found) return make_error(errc::session_revoked, "the account is gone");
    return user.error();
  }
  if (user->disabled()) return make_error(errc::session_revoked, "the account was disabled");
  return user;
}

result<void> identity::log_out(const session_info& session, const request_meta& meta) {
  if (auto ok = sessions_->revoke(session.id); !ok) return ok;
  (void)audit_->record("logout", session.user_id, session.user_id, meta);
  return {};
}

result<std::size_t> identity::log_out_everywhere(const user_info& user, std::string_view except_session_id,
                                                 const request_meta& meta) {
  auto ended = sessions_->revoke_all_for_user(user.id, except_session_id);
  if (!ended) return ended.error();
  (void)audit_->record("logout_everywhere", user.id, user.id, meta, std::to_string(*ended) + " sessions");
  return ended;
}

result<void> identity::end_session(const user_info& user, std::string_view session_id, const request_meta& meta) {
  if (auto ok = sessions_->revoke_for_user(user.id, session_id); !ok) return ok;
  (void)audit_->record("session_ended", user.id, std::string(session_id), meta);
  return {};
}

result<void> identity::change_password(const user_info& user, std::string_view current,
                                       std::string_view replacement, std::string_view keep_session_id,
                                       const request_meta& meta) {
  if (auto checked = accounts_->authenticate(user.email, current); !checked) {
    if (checked.error().code == errc::invalid_credentials)
      (void)audit_->record("password_change_failed", user.id, user.id, meta);
    return checked.error();
  }
  if (auto ok = accounts_->set_password(user.id, replacement); !ok) return ok;
  if (auto ended = sessions_->revoke_all_for_user(user.id, keep_session_id); !ended) return ended.error();
  (void)audit_->record("password_changed", user.id, user.id, meta);
  return {};
}

result<new_api_key> identity::create_api_key(const user_info& user, std::string_view name, key_scope scope,
                                             const request_meta& meta) {
  auto key = accounts_->create_api_key(user.id, name, scope);
  if (!key) return key.error();
  (void)audit_->record("key_created", user.id, key->info.id, meta, std::string(to_string(scope)));
  return key;
}

result<api_key_info> identity::revoke_api_key(const user_info& user, std::string_view key_id,
                                              const request_meta& meta) {
  auto key = accounts_->revoke_api_key(user.id, key_id);
  if (!key) return key.error();
  (void)audit_->record("key_revoked", user.id, key->id, meta);
  return key;
}

result<user_info> identity::set_role(const user_info& admin, std::string_view user_id, account_role role,
                                     const request_meta& meta) {
  auto changed = accounts_->set_role(user_id, role);
  if (!changed) return changed.error();
  (void)audit_->record("role_changed", admin.id, changed->id, meta, std::string(to_string(role)));
  return changed;
}

result<user_info> identity::disable(const user_info& admin, std::string_view user_id, const request_meta& meta) {
  auto disabled = accounts_->disable(user_id);
  if (!disabled) return disabled.error();
  if (auto ended = sessions_->revoke_all_for_user(disabled->id); !ended) return ended.error();
  (void)audit_->record("user_disabled", admin.id, disabled->id, meta);
  return disabled;
}

}  // namespace bankflow
