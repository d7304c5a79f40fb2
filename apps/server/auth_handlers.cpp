// The account routes: sign-up, login, logout, the user and their login sessions, password
// change, API keys, and the admin's roles and disabling. The workflows are the library's
// (bankflow::identity); these parse the request and shape the response.

#include "handler_session.hpp"
#include "handlers.hpp"
#include "http_helpers.hpp"

#include "app.hpp"

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>
#include <bankflow/date.hpp>
#include <bankflow/json.hpp>

namespace bankflow::server {

namespace {

std::chrono::sys_seconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The optional string member `name` ("" when absent). Error: invalid_argument (not a string).
result<std::string> optional_string(const boost::json::object& o, std::string_view name) {
  if (o.if_contains(name) == nullptr) return std::string();
  return string_member(o, name);
}

// A user just signed in: their new session's cookie (the old token is dead) and CSRF token.
reply signed_in_reply(request_context& ctx, const signed_in& in, http::status status) {
  std::string body;
  json_writer(body)
      .begin_object()
      .key("user")
      .raw(to_json(in.user))
      .field("csrf_token", ctx.a.csrf->token_for(in.session.info))
      .field("claimed_jobs", static_cast<std::int64_t>(in.claimed_jobs))
      .end_object();
  auto r = json_reply(ctx.req, status, std::move(body));
  r.res.set(http::field::set_cookie, session_set_cookie(in.session.token, in.session.info.expires_at, now_seconds(),
                                                        ctx.a.config.cookie_secure));
  r.session_id = in.session.info.id;
  return r;
}

// The cookie session of a sign-up or login (CSRF-checked); a bearer request is refused.
std::optional<reply> visitor_session(request_context& ctx, std::optional<session_hit>& out) {
  if (auto refused = csrf_session(ctx, out)) return refused;
  if (out->key)
    return error_reply(ctx.req, make_error(errc::invalid_argument, "sign up and log in with a session cookie, "
                                                                   "not an API key"));
  return std::nullopt;
}

reply error_with(request_context& ctx, const error& e, const session_hit& s) {
  return with_session(error_reply(ctx.req, e), s);
}

reply ok_json(request_context& ctx, const session_hit& s, std::string body,
              http::status status = http::status::ok) {
  return with_session(json_reply(ctx.req, status, std::move(body)), s);
}

// {"email","password"[,"name"]} of a sign-up or login. Error: invalid_argument naming the member.
result<new_user> new_user_of(std::string_view text) {
  auto body = json_object_body(text);
  if (!body) return body.error();
  auto email = string_member(*body, "email");
  if (!email) return email.error();
  auto password = string_member(*body, "password");
  if (!password) return password.error();
  auto name = optional_string(*body, "name");
  if (!name) return name.error();
  return new_user{.email = std::move(*email), .password = std::move(*password), .display_name = std::move(*name)};
}

// {"<name>":[one(item)…]}
template <class Items, class One>
reply array_reply(request_context& ctx, const session_hit& s, std::string_view name, const Items& items, One&& one) {
  std::string body;
  json_writer w(body);
  w.begin_object().key(name).begin_array();
  for (const auto& item : items) w.raw(one(item));
  w.end_array().end_object();
  return ok_json(ctx, s, std::move(body));
}

}  // namespace

reply handle_signup(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = visitor_session(ctx, s)) return std::move(*refused);
  auto user = new_user_of(ctx.req.body());
  if (!user) return error_with(ctx, user.error(), *s);
  auto in = ctx.a.ident->sign_up(*user, s->info.id, request_meta_of(ctx));
  if (!in) return error_with(ctx, in.error(), *s);
  return signed_in_reply(ctx, *in, http::status::created);
}

reply handle_login(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = visitor_session(ctx, s)) return std::move(*refused);
  auto user = new_user_of(ctx.req.body());
  if (!user) return error_with(ctx, user.error(), *s);
  auto in = ctx.a.ident->log_in(user->email, user->password, s->info.id, request_meta_of(ctx), ctx.retry_after);
  if (!in) return error_with(ctx, in.error(), *s);
  return signed_in_reply(ctx, *in, http::status::ok);
}

reply handle_logout(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  if (s->key) return error_reply(ctx.req, make_error(errc::invalid_argument, "an API key is revoked, not logged out"));
  bool everywhere = false;
  if (!ctx.req.body().empty()) {
    auto body = json_object_body(ctx.req.body());
    if (!body) return error_with(ctx, body.error(), *s);
    if (const auto* v = body->if_contains("everywhere")) {
      if (!v->is_bool())
        return error_with(ctx, make_error(errc::invalid_argument, "\"everywhere\" must be true or false", 0,
                                          "everywhere"), *s);
      everywhere = v->get_bool();
    }
  }
  std::size_t ended = 1;
  if (everywhere) {
    auto n = ctx.a.ident->log_out_everywhere(*s->user, {}, request_meta_of(ctx));
    if (!n) return error_with(ctx, n.error(), *s);
    ended = *n;
  } else if (auto ok = ctx.a.ident->log_out(s->info, request_meta_of(ctx)); !ok) {
    return error_with(ctx, ok.error(), *s);
  }
  std::string body;
  json_writer(body).begin_object().field("ended_sessions", static_cast<std::int64_t>(ended)).end_object();
  auto r = json_reply(ctx.req, http::status::ok, std::move(body));
  r.res.set(http::field::set_cookie, session_set_cookie("", now_seconds(), now_seconds(), ctx.a.config.cookie_secure));
  r.session_id = s->info.id;
  return r;
}

reply handle_me(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  std::string body;
  json_writer w(body);
  w.begin_object().key("user").raw(to_json(*s->user)).field("auth", s->key ? "api_key" : "session");
  if (s->key) w.key("api_key").raw(to_json(*s->key));
  else w.field("csrf_token", ctx.a.csrf->token_for(s->info)).field("expires_at", format_timestamp(s->info.expires_at));
  w.end_object();
  return ok_json(ctx, *s, std::move(body));
}

reply handle_change_password(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  if (s->key) return error_reply(ctx.req, make_error(errc::permission_denied, "an API key cannot change the password"));
  auto body = json_object_body(ctx.req.body());
  if (!body) return error_with(ctx, body.error(), *s);
  auto current = string_member(*body, "current_password");
  if (!current) return error_with(ctx, current.error(), *s);
  auto replacement = string_member(*body, "new_password");
  if (!replacement) return error_with(ctx, replacement.error(), *s);
  auto ok = ctx.a.ident->change_password(*s->user, *current, *replacement, s->info.id, request_meta_of(ctx));
  if (!ok) return error_with(ctx, ok.error(), *s);
  return ok_json(ctx, *s, R"({"changed":true})");
}

reply handle_list_sessions(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  auto list = ctx.a.sessions->list_for_user(s->user->id);
  if (!list) return error_with(ctx, list.error(), *s);
  return array_reply(ctx, *s, "sessions", *list, [&](const session_info& each) {
    return to_json(each, each.id == s->info.id);
  });
}

reply handle_end_session(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  auto ok = ctx.a.ident->end_session(*s->user, ctx.params.at(0), request_meta_of(ctx));
  if (!ok) return error_with(ctx, ok.error(), *s);
  std::string body;
  json_writer(body).begin_object().field("ended", ctx.params.at(0)).end_object();
  return ok_json(ctx, *s, std::move(body));
}

reply handle_create_api_key(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  auto body = json_object_body(ctx.req.body());
  if (!body) return error_with(ctx, body.error(), *s);
  auto name = string_member(*body, "name");
  if (!name) return error_with(ctx, name.error(), *s);
  auto scope_text = string_member(*body, "scope");
  if (!scope_text) return error_with(ctx, scope_text.error(), *s);
  auto scope = parse_key_scope(*scope_text);
  if (!scope) return error_with(ctx, scope.error(), *s);
  auto key = ctx.a.ident->create_api_key(*s->user, *name, *scope, request_meta_of(ctx));
  if (!key) return error_with(ctx, key.error(), *s);
  std::string out;
  json_writer(out).begin_object().field("token", key->token).key("key").raw(to_json(key->info)).end_object();
  return ok_json(ctx, *s, std::move(out), http::status::created);
}

reply handle_list_api_keys(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  auto keys = ctx.a.accounts->list_api_keys(s->user->id);
  if (!keys) return error_with(ctx, keys.error(), *s);
  return array_reply(ctx, *s, "api_keys", *keys, [](const api_key_info& k) { return to_json(k); });
}

reply handle_revoke_api_key(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  auto key = ctx.a.ident->revoke_api_key(*s->user, ctx.params.at(0), request_meta_of(ctx));
  if (!key) return error_with(ctx, key.error(), *s);
  std::string body;
  json_writer(body).begin_object().key("key").raw(to_json(*key)).end_object();
  return ok_json(ctx, *s, std::move(body));
}

// Every user, oldest first (admins).
reply handle_admin_users(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read, account_role::admin)) return std::move(*refused);
  auto users = ctx.a.accounts->list_users();
  if (!users) return error_with(ctx, users.error(), *s);
  return array_reply(ctx, *s, "users", *users, [](const user_info& u) { return to_json(u); });
}

reply handle_admin_set_role(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write, account_role::admin)) return std::move(*refused);
  auto body = json_object_body(ctx.req.body());
  if (!body) return error_with(ctx, body.error(), *s);
  auto role_text = string_member(*body, "role");
  if (!role_text) return error_with(ctx, role_text.error(), *s);
  auto role = parse_account_role(*role_text);
  if (!role) return error_with(ctx, role.error(), *s);
  auto user = ctx.a.ident->set_role(*s->user, ctx.params.at(0), *role, request_meta_of(ctx));
  if (!user) return error_with(ctx, user.error(), *s);
  return ok_json(ctx, *s, "{\"user\":" + to_json(*user) + "}");
}

reply handle_admin_disable(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write, account_role::admin)) return std::move(*refused);
  auto user = ctx.a.ident->disable(*s->user, ctx.params.at(0), request_meta_of(ctx));
  if (!user) return error_with(ctx, user.error(), *s);
  return ok_json(ctx, *s, "{\"user\":" + to_json(*user) + "}");
}

namespace {

account_data account_data_of(request_context& ctx) {
  return account_data{*ctx.a.accounts, *ctx.a.sessions, *ctx.a.audit, *ctx.a.jobs, ctx.a.paths,
                      ctx.a.wallet ? &*ctx.a.wallet : nullptr};
}

}  // namespace

// Everything the account holds, as one JSON download (LGPD).
reply handle_export(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  auto json = export_account(account_data_of(ctx), *s->user, request_meta_of(ctx));
  if (!json) return error_with(ctx, json.error(), *s);
  auto r = ok_json(ctx, *s, std::move(*json));
  r.res.set(http::field::content_disposition, "attachment; filename=\"bankflow-export.json\"");
  return r;
}

// Erases the person's data and files (LGPD); refused while the wallet holds money. A login
// session only: a program's key cannot erase its owner.
reply handle_erase(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  if (s->key) return error_reply(ctx.req, make_error(errc::permission_denied, "an API key cannot erase its account"));
  auto report = erase_account(account_data_of(ctx), *s->user, request_meta_of(ctx));
  if (!report) return error_with(ctx, report.error(), *s);
  std::string body;
  json_writer(body)
      .begin_object()
      .field("erased", s->user->id)
      .field("jobs", static_cast<std::int64_t>(report->jobs))
      .field("api_keys", static_cast<std::int64_t>(report->api_keys))
      .field("sessions", static_cast<std::int64_t>(report->sessions))
      .field("destinations", static_cast<std::int64_t>(report->destinations))
      .end_object();
  auto r = json_reply(ctx.req, http::status::ok, std::move(body));
  r.res.set(http::field::set_cookie, session_set_cookie("", now_seconds(), now_seconds(), ctx.a.config.cookie_secure));
  return r;
}

}  // namespace bankflow::server
