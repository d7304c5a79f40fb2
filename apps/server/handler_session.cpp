#include "handler_session.hpp"

#include "app.hpp"
#include "http_helpers.hpp"

namespace bankflow::server {

result<session_hit> resolve_session(request_context& ctx, session_mode mode, bool touch) {
  const bool secure = ctx.a.config.cookie_secure;
  const auto token = session_token(ctx.req, secure);
  auto& sessions = *ctx.a.sessions;
  auto s = mode == session_mode::existing
               ? sessions.resolve(token, touch)
               : sessions.resolve_or_begin(token, touch, ctx.a.limiter.get(), ctx.client, ctx.retry_after);
  if (!s) return s.error();
  session_hit hit{std::move(s->info), {}, std::move(s->unsaved)};
  if (!s->new_token.empty()) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    hit.set_cookie = session_set_cookie(s->new_token, hit.info.expires_at, now, secure);
  }
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
