#include "routes.hpp"

#include "app.hpp"
#include "handlers.hpp"
#include "log.hpp"

#include <bankflow/database.hpp>
#include <bankflow/json.hpp>
#include <bankflow/session.hpp>
#include <bankflow/webhook.hpp>

namespace bankflow::server {

namespace {

constexpr std::uint64_t small_body = 64 * 1024;

// Matches a pattern against a path; fills params with the `:x` segments and the `*` rest.
bool match_pattern(std::string_view pattern, std::string_view path, std::vector<std::string_view>& params) {
  params.clear();
  if (pattern == "/") return path == "/";
  std::size_t pi = 0;
  std::size_t si = 0;
  while (true) {
    if (pi < pattern.size() && pattern[pi] == '/') ++pi;
    if (si < path.size() && path[si] == '/') ++si;
    if (pi >= pattern.size()) return si >= path.size();
    const auto pend = std::min(pattern.find('/', pi), pattern.size());
    const std::string_view seg = pattern.substr(pi, pend - pi);
    if (seg == "*") {
      if (si >= path.size()) return false;
      params.push_back(path.substr(si));
      return true;
    }
    if (si >= path.size()) return false;
    const auto send = std::min(path.find('/', si), path.size());
    const std::string_view part = path.substr(si, send - si);
    if (!seg.empty() && seg.front() == ':') {
      if (part.empty()) return false;
      params.push_back(part);
    } else if (seg != part) {
      return false;
    }
    pi = pend;
    si = send;
  }
}

}  // namespace

void event_channel::push(std::string json) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    queued_.push_back(std::move(json));
    wake = wake_;
  }
  if (wake) wake();
}

std::deque<std::string> event_channel::attach(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
  return std::exchange(queued_, {});
}

std::deque<std::string> event_channel::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(queued_, {});
}

const std::vector<route>& routes() {
  using enum http::verb;
  static const std::vector<route> table = {
      {get, "/health", handle_health, route_scope::everywhere, small_body},
      {get, "/health/ready", handle_ready, route_scope::everywhere, small_body},
      {get, "/metrics", handle_metrics, route_scope::admin, small_body},
      {get, "/api/v1/session", handle_session, route_scope::api, small_body},
      {get, "/api/v1/banks", handle_banks, route_scope::api, small_body},
      {post, "/api/v1/files/upload", handle_upload, route_scope::api, 0},
      {get, "/api/v1/bank-statements/jobs", handle_list_jobs, route_scope::api, small_body},
      {get, "/api/v1/bank-statements/jobs/:id", handle_get_job, route_scope::api, small_body},
      {get, "/api/v1/bank-statements/jobs/:id/status", handle_job_status, route_scope::api, small_body},
      {get, "/api/v1/bank-statements/jobs/:id/download", handle_download, route_scope::api, small_body},
      {get, "/api/v1/bank-statements/jobs/:id/preview", handle_preview, route_scope::api, small_body},
      {delete_, "/api/v1/bank-statements/jobs/:id", handle_delete_job, route_scope::api, small_body},
      {get, "/api/v1/wallet", handle_wallet, route_scope::api, small_body},
      {post, "/api/v1/wallet/deposits", handle_wallet_deposit, route_scope::api, small_body},
      {post, "/api/v1/wallet/withdrawals", handle_wallet_withdrawal, route_scope::api, small_body},
      {get, "/api/v1/wallet/transactions", handle_wallet_transactions, route_scope::api, small_body},
      {get, "/api/v1/wallet/transactions/:id", handle_wallet_transaction, route_scope::api, small_body},
      {post, "/api/v1/webhooks/:provider", handle_webhook, route_scope::api, small_body},
      {post, "/api/v1/auth/signup", handle_signup, route_scope::api, small_body, true},
      {post, "/api/v1/auth/login", handle_login, route_scope::api, small_body, true},
      {post, "/api/v1/auth/logout", handle_logout, route_scope::api, small_body},
      {get, "/api/v1/auth/me", handle_me, route_scope::api, small_body},
      {delete_, "/api/v1/auth/me", handle_erase, route_scope::api, small_body},
      {get, "/api/v1/auth/export", handle_export, route_scope::api, small_body},
      {post, "/api/v1/auth/password", handle_change_password, route_scope::api, small_body, true},
      {get, "/api/v1/auth/sessions", handle_list_sessions, route_scope::api, small_body},
      {delete_, "/api/v1/auth/sessions/:id", handle_end_session, route_scope::api, small_body},
      {post, "/api/v1/api-keys", handle_create_api_key, route_scope::api, small_body},
      {get, "/api/v1/api-keys", handle_list_api_keys, route_scope::api, small_body},
      {delete_, "/api/v1/api-keys/:id", handle_revoke_api_key, route_scope::api, small_body},
      {get, "/api/v1/admin/users", handle_admin_users, route_scope::api, small_body},
      {post, "/api/v1/admin/users/:id/role", handle_admin_set_role, route_scope::api, small_body},
      {post, "/api/v1/admin/users/:id/disable", handle_admin_disable, route_scope::api, small_body},
      {get, "/api/v1/ops/audit", handle_ops_audit, route_scope::api, small_body},
      {get, "/api/v1/ops/queue", handle_ops_queue, route_scope::api, small_body},
      {get, "/api/v1/ops/dead-letters", handle_ops_dead_letters, route_scope::api, small_body},
      {post, "/api/v1/ops/dead-letters/:id/requeue", handle_ops_requeue, route_scope::api, small_body},
      {post, "/api/v1/ops/dead-letters/:id/discard", handle_ops_discard, route_scope::api, small_body},
      {get, "/api/v1/ops/deliveries", handle_ops_deliveries, route_scope::api, small_body},
      {get, "/api/v1/ops/pending", handle_ops_pending, route_scope::api, small_body},
      {get, "/", handle_index, route_scope::api, small_body},
      {get, "/demo", handle_demo, route_scope::api, small_body},
      {get, "/entrar", handle_login_page, route_scope::api, small_body},
      {get, "/carteira", handle_wallet_page, route_scope::api, small_body},
      {get, "/chaves", handle_keys_page, route_scope::api, small_body},
      {get, "/operador", handle_operator_page, route_scope::api, small_body},
      {get, "/conta", handle_account_page, route_scope::api, small_body},
      {get, "/static/*", handle_static, route_scope::api, small_body},
  };
  return table;
}

std::vector<std::string> route_labels() {
  std::vector<std::string> out;
  for (const auto& r : routes()) out.emplace_back(r.pattern);
  return out;
}

route_match match_route(http::verb method, std::string_view path, route_scopes scopes) {
  route_match m;
  std::vector<std::string_view> params;
  const auto& table = routes();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& r = table[i];
    if (r.scope == route_scope::api && !scopes.api) continue;
    if (r.scope == route_scope::admin && !scopes.admin) continue;
    if (!match_pattern(r.pattern, path, params)) continue;
    m.path_known = true;
    if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) {
      m.index = i;
      m.params = params;
      return m;
    }
  }
  return m;
}

namespace {

http::status client_status(errc code) noexcept {
  switch (code) {
    case errc::ok: return http::status::ok;
    case errc::not_found: return http::status::not_found;
    case errc::csrf_invalid: return http::status::forbidden;
    case errc::session_invalid:
    case errc::session_expired:
    case errc::session_revoked:
    case errc::login_required:
    case errc::invalid_credentials: return http::status::unauthorized;
    case errc::permission_denied: return http::status::forbidden;
    case errc::rate_limited: return http::status::too_many_requests;
    case errc::unsupported_container:
    case errc::encrypted: return http::status::unsupported_media_type;
    case errc::limit_exceeded:
    case errc::payload_too_large: return http::status::payload_too_large;
    case errc::invalid_argument:
    case errc::idempotency_key_required: return http::status::bad_request;
    case errc::id_conflict:
    case errc::already_exists:
    case errc::wallet_not_empty:
    case errc::not_ready:
    case errc::idempotency_in_progress: return http::status::conflict;
    case errc::insufficient_funds:
    case errc::over_operation_limit:
    case errc::daily_limit_reached:
    case errc::idempotency_mismatch: return http::status::unprocessable_entity;
    case errc::storage_error: return http::status::service_unavailable;
    case errc::insufficient_storage: return http::status::insufficient_storage;
    case errc::io_error: return http::status::internal_server_error;
    default: break;
  }
  if (is_verification_error(code)) return http::status::unauthorized;
  // everything else says what is wrong with the uploaded content
  return http::status::unprocessable_entity;
}

}  // namespace

http::status to_http_status(const error& e, error_audience audience) noexcept {
  if (audience == error_audience::webhook && e.code != errc::invalid_argument && !is_verification_error(e.code))
    return http::status::service_unavailable;  // storage and the ledger's surprises: the provider retries
  return client_status(e.code);
}

void add_security_headers(http::fields& f) {
  f.set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  f.set("X-Content-Type-Options", "nosniff");
  f.set("Referrer-Policy", "no-referrer");
  f.set("X-Frame-Options", "DENY");
}

void add_common_headers(response& res, std::string_view path) {
  add_security_headers(res.base());
  const bool operational = path.starts_with("/api/") || path == "/health" || path.starts_with("/health/") ||
                           path == "/metrics";
  if (operational || res.find(http::field::cache_control) == res.end())
    res.set(http::field::cache_control, "no-store");
}

reply error_reply(const request& req, http::status status, std::string_view code, std::string_view message) {
  reply r{response{status, req.version()}, std::nullopt, {}};
  std::string body;
  json_writer(body).begin_object().key("error").begin_object().field("code", code).field("message", message)
      .end_object().end_object();
  body += '\n';
  r.res.set(http::field::content_type, "application/json");
  r.res.body() = std::move(body);
  return r;
}

std::string public_message(const request& req, const error& e) {
  const bool storage = e.code == errc::storage_error;
  if (!storage && e.code != errc::io_error) return e.message;
  const std::string_view request_id = req["X-Request-Id"];
  log_line("error", storage ? "storage error" : "file error",
           {{"request_id", request_id}, {"target", std::string_view(req.target())}, {"error", e.to_string()}});
  return std::string(storage ? "storage error" : "file error") + " (request " + std::string(request_id) + ")";
}

reply error_reply(const request& req, const error& e, error_audience audience) {
  return error_reply(req, to_http_status(e, audience), to_string(e.code), public_message(req, e));
}

std::uint64_t body_limit_for(const app& a, http::verb method, std::string_view target) {
  const auto q = target.find('?');
  const auto m = match_route(method, target.substr(0, q), route_scopes{});
  if (!m.index) return small_body;
  const auto limit = routes()[*m.index].body_limit;
  return limit == 0 ? a.config.max_upload_bytes + 64 * 1024 : limit;
}

route_scopes scopes_for(const app& a, bool admin_listener) noexcept {
  if (admin_listener) return route_scopes{.api = false, .admin = true};
  return route_scopes{.api = a.config.role != server_role::worker, .admin = a.config.admin_listen.empty()};
}

reply dispatch(app& a, const request& req, std::size_t& route_index, route_scopes scopes,
               std::string_view client) {
  const std::string_view target = req.target();
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  route_index = a.http->unmatched();
  if (path.empty() || path.front() != '/')
    return error_reply(req, http::status::bad_request, "bad_request", "the request target must be a path");
  auto m = match_route(req.method(), path, scopes);
  if (!m.index) {
    if (m.path_known) {
      auto r = error_reply(req, http::status::method_not_allowed, "method_not_allowed",
                           std::string(req.method_string()) + " is not allowed on " + std::string(path));
      std::string allow;
      for (const auto& rt : routes()) {
        std::vector<std::string_view> ignored;
        if (!match_pattern(rt.pattern, path, ignored)) continue;
        if (!allow.empty()) allow += ", ";
        allow += http::to_string(rt.method);
        if (rt.method == http::verb::get) allow += ", HEAD";
      }
      r.res.set(http::field::allow, allow);
      return r;
    }
    return error_reply(req, make_error(errc::not_found, "no route for " + std::string(path)));
  }
  route_index = *m.index;
  // two session cookies (one planted by a sibling subdomain or over plain HTTP, say): which one
  // is the visitor's cannot be told, so neither is used
  if (path.starts_with("/api/") &&
      cookie_values(req, session_cookie_name_for(a.config.cookie_secure)).size() > 1)
    return error_reply(req, http::status::bad_request, "duplicate_session_cookie",
                       "the request carries more than one session cookie: clear this site's cookies");
  request_context ctx{a, req, path, query, std::move(m.params), client};
  // the tenant resolve_session sets for row-level security ends with the request
  struct tenant_reset {
    ~tenant_reset() { set_thread_tenant({}); }
  } reset;
  try {
    reply r = routes()[*m.index].fn(ctx);
    if (r.res.result() == http::status::too_many_requests && ctx.retry_after.count() > 0 &&
        r.res.find(http::field::retry_after) == r.res.end())
      r.res.set(http::field::retry_after, std::to_string(ctx.retry_after.count()));
    return r;
  } catch (const std::exception& e) {
    log_line("error", "handler threw", {{"route", routes()[*m.index].pattern}, {"what", std::string_view(e.what())}});
  } catch (...) {
    log_line("error", "handler threw", {{"route", routes()[*m.index].pattern}});
  }
  return error_reply(req, http::status::internal_server_error, "internal_error", "the server failed on this request");
}

}  // namespace bankflow::server
