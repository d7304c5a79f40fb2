// The session, banks and web app routes. The jobs, wallet and operator routes have their own
// files (jobs_handlers.cpp, wallet_handlers.cpp, operator_handlers.cpp). Every handler parses the
// request, calls the library and shapes the response; nothing else.

#include "handlers.hpp"

#include "app.hpp"
#include "handler_session.hpp"
#include "http_helpers.hpp"
#include "static_files.hpp"

#include <bankflow/accounts.hpp>
#include <bankflow/export.hpp>
#include <bankflow/json.hpp>

#include <chrono>
#include <cstdio>

namespace bankflow::server {

namespace {

std::string iso_seconds(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

reply embedded(request_context& ctx, std::string_view path) {
  const auto* f = find_embedded(path);
  if (!f) return error_reply(ctx.req, make_error(errc::not_found, "no file " + std::string(ctx.path)));
  reply r{response{http::status::ok, ctx.req.version()}, std::nullopt, {}};
  r.res.set(http::field::etag, f->etag);
  r.res.set(http::field::cache_control, "no-cache");
  if (const auto inm = ctx.req.find(http::field::if_none_match); inm != ctx.req.end() && inm->value() == f->etag) {
    r.res.result(http::status::not_modified);
    return r;
  }
  r.res.set(http::field::content_type, f->content_type);
  r.res.body() = std::string(f->data);
  return r;
}

}  // namespace

reply handle_session(request_context& ctx) {
  auto s = resolve_session(ctx, session_mode::create, true);
  if (!s) return error_reply(ctx.req, s.error());
  std::string body;
  json_writer w(body);
  w.begin_object();
  if (!s->key) w.field("csrf_token", ctx.a.csrf->token_for(s->info)).field("expires_at", iso_seconds(s->info.expires_at));
  w.key("user");
  if (s->user) w.raw(to_json(*s->user));
  else w.null();
  w.end_object();
  return with_session(json_reply(ctx.req, http::status::ok, std::move(body)), *s);
}

reply handle_banks(request_context& ctx) { return json_reply(ctx.req, http::status::ok, banks_to_json()); }

// ---- the web app ---------------------------------------------------------------------------

reply handle_index(request_context& ctx) { return embedded(ctx, "/index.html"); }
reply handle_demo(request_context& ctx) { return embedded(ctx, "/demo.html"); }
reply handle_login_page(request_context& ctx) { return embedded(ctx, "/entrar.html"); }
reply handle_wallet_page(request_context& ctx) { return embedded(ctx, "/carteira.html"); }
reply handle_keys_page(request_context& ctx) { return embedded(ctx, "/chaves.html"); }
reply handle_operator_page(request_context& ctx) { return embedded(ctx, "/operador.html"); }
reply handle_account_page(request_context& ctx) { return embedded(ctx, "/conta.html"); }
reply handle_static(request_context& ctx) {
  return embedded(ctx, "/static/" + std::string(ctx.params.at(0)));
}

}  // namespace bankflow::server
