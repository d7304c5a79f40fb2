#include "handler_session.hpp"

#include "app.hpp"
#include "http_helpers.hpp"

namespace bankflow::server {

result<session_hit> resolve_session(request_context& ctx, session_mode mode, bool touch) {
  auto& sessions = *ctx.a.sessions;
  if (auto token = session_token(ctx.req, ctx.a.config.cookie_secure)) {
    auto s = touch ? sessions.touch(*token) : sessions.find(*token);
    if (s) return session_hit{std::move(*s), {}, {}};
    if (s.error().code == errc::storage_error) return s.error();
    // no row (expired and revoked ones have theirs): a session that was never written to
    if (s.error().code == errc::session_invalid)
      if (auto u = sessions.find_unsaved(*token)) return session_hit{std::move(*u), {}, std::string(*token)};
  }
  if (mode == session_mode::existing)
    return make_error(errc::session_invalid, "no live session: GET /api/v1/session first");
  // a client dropping its cookie gets a new session each time: count them per address
  if (auto admitted = ctx.a.limiter->admit({}, ctx.client, "session", "new sessions", ctx.retry_after); !admitted)
    return admitted.error();
  auto created = sessions.begin_unsaved();
  if (!created) return created.error();
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto cookie = session_set_cookie(created->token, created->info.expires_at, now, ctx.a.config.cookie_secure);
  return session_hit{std::move(created->info), std::move(cookie), created->token};
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
    if (s.error().code == errc::storage_error) return error_reply(ctx.req, s.error());
    return error_reply(ctx.req, make_error(errc::csrf_invalid, "no session: GET /api/v1/session first and send "
                                                               "its csrf_token as X-CSRF-Token"));
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
  if (!s && s.error().code != errc::storage_error) return not_found_error(what, id);
  return s;
}

}  // namespace bankflow::server
