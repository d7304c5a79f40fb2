#include "handler_session.hpp"

#include "app.hpp"
#include "http_helpers.hpp"

#include <bankflow/database.hpp>

namespace bankflow::server {

namespace {

// The token of an `Authorization: Bearer <token>` header (the scheme in any case).
std::optional<std::string_view> bearer_token(const request& req) {
  const auto it = req.find(http::field::authorization);
  if (it == req.end()) return std::nullopt;
  std::string_view value = it->value();
  constexpr std::string_view scheme = "bearer ";
  if (value.size() < scheme.size()) return value.substr(0, 0);
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return value.substr(0, 0);
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

int rank(account_role r) { return r == account_role::admin ? 2 : r == account_role::operator_ ? 1 : 0; }

}  // namespace

result<session_hit> resolve_session(request_context& ctx, session_mode mode, bool touch) {
  if (const auto bearer = bearer_token(ctx.req)) {
    if (!ctx.a.accounts) return make_error(errc::invalid_credentials, "this process takes no API keys");
    auto verified = ctx.a.accounts->verify_api_key(*bearer);
    if (!verified) return verified.error();
    session_hit hit;
    hit.user = std::move(verified->user);
    hit.key = std::move(verified->key);
    set_thread_tenant(hit.owner());  // PostgreSQL row-level security: this request's rows only
    return hit;
  }
  const bool secure = ctx.a.config.cookie_secure;
  const auto token = session_token(ctx.req, secure);
  auto& sessions = *ctx.a.sessions;
  auto s = mode == session_mode::existing
               ? sessions.resolve(token, touch)
               : sessions.resolve_or_begin(token, touch, ctx.a.limiter.get(), ctx.client, ctx.retry_after);
  if (!s) return s.error();
  session_hit hit{std::move(s->info), {}, std::move(s->unsaved), {}, {}};
  if (!s->new_token.empty()) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    hit.set_cookie = session_set_cookie(s->new_token, hit.info.expires_at, now, secure);
  }
  if (hit.info.logged_in() && ctx.a.ident) {
    auto user = ctx.a.ident->user_of(hit.info);
    if (!user) return user.error();
    hit.user = std::move(*user);
  }
  set_thread_tenant(hit.owner());  // PostgreSQL row-level security: this request's rows only
  return hit;
}

void apply_session(reply& r, const session_hit& s) {
  if (!s.set_cookie.empty()) r.res.set(http::field::set_cookie, s.set_cookie);
  r.session_id = s.info.id;
}

reply with_session(reply r, const session_hit& s) {
  apply_session(r, s);
  return r;
}

std::optional<reply> csrf_session(request_context& ctx, std::optional<session_hit>& out) {
  auto s = resolve_session(ctx, session_mode::existing, true);
  if (!s) {
    const auto code = s.error().code;
    if (code == errc::storage_error || code == errc::invalid_credentials || code == errc::session_revoked)
      return error_reply(ctx.req, s.error());
    return error_reply(ctx.req, make_error(errc::csrf_invalid, "no session: GET /api/v1/session first and send "
                                                               "its csrf_token as X-CSRF-Token"));
  }
  if (s->key) {  // a program with its key: no cookie, so no cross-site forgery to guard against
    if (s->key->scope != key_scope::read_write)
      return error_reply(ctx.req, make_error(errc::permission_denied, "this API key may only read"));
    out = std::move(*s);
    return std::nullopt;
  }
  const auto csrf_header = ctx.req.find("X-CSRF-Token");
  const std::string_view csrf_token =
      csrf_header == ctx.req.end() ? std::string_view{} : std::string_view(csrf_header->value());
  if (auto ok = ctx.a.csrf->check(s->info, csrf_token); !ok) return with_session(error_reply(ctx.req, ok.error()), *s);
  if (!s->unsaved.empty()) {  // the session's first write: now it gets its row
    auto saved = ctx.a.sessions->save(s->unsaved);
    if (!saved) return error_reply(ctx.req, saved.error());
    s->info = std::move(*saved);
    s->unsaved.clear();
  }
  out = std::move(*s);
  return std::nullopt;
}

result<session_hit> owner_session(request_context& ctx, std::string_view what, std::string_view id) {
  auto s = resolve_session(ctx, session_mode::existing, false);
  if (!s && s.error().code != errc::storage_error && s.error().code != errc::invalid_credentials)
    return not_found_error(what, id);
  return s;
}

std::optional<reply> user_session(request_context& ctx, std::optional<session_hit>& out, access need,
                                  account_role role) {
  if (need == access::write) {
    if (auto refused = csrf_session(ctx, out)) return refused;
  } else {
    auto s = resolve_session(ctx, session_mode::existing, true);
    if (!s && (s.error().code == errc::storage_error || s.error().code == errc::invalid_credentials))
      return error_reply(ctx.req, s.error());
    if (s) out = std::move(*s);
  }
  if (!out || !out->user)
    return error_reply(ctx.req, make_error(errc::login_required,
                                           "log in (POST /api/v1/auth/login) or send an API key as "
                                           "Authorization: Bearer"));
  if (rank(out->user->role) < rank(role))
    return with_session(error_reply(ctx.req, make_error(errc::permission_denied, "this needs the role " +
                                                                                     std::string(to_string(role)))),
                        *out);
  if (role != account_role::user) set_thread_tenant({});  // staff routes read every tenant's rows
  return std::nullopt;
}

request_meta request_meta_of(const request_context& ctx) {
  return request_meta{std::string(ctx.client), std::string(ctx.req["X-Request-Id"]),
                      std::string(ctx.req[http::field::user_agent])};
}

}  // namespace bankflow::server
