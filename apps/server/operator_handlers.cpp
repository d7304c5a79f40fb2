// The operator's routes: liveness, readiness and Prometheus metrics.

#include "handler_session.hpp"
#include "handlers.hpp"
#include "http_helpers.hpp"

#include "app.hpp"

#include <bankflow/json.hpp>

#include <charconv>
#include <cstdint>

namespace bankflow::server {

reply handle_health(request_context& ctx) { return json_reply(ctx.req, http::status::ok, R"({"status":"ok"})"); }

reply handle_ready(request_context& ctx) {
  auto& a = ctx.a;
  auto store = a.jobs->count_by_status();
  // the whole file is read at most once a minute, and at once after a statement found it damaged
  auto intact = store ? a.db.check_integrity(std::chrono::seconds(60)) : result<void>();
  std::string redis_state = "disabled";
  bool ok = store && intact;
  if (a.redis) {
    auto depth = a.queue->depth();  // a round trip to Redis
    redis_state = depth ? "ok" : "unreachable";
    ok = ok && static_cast<bool>(depth);
  }
  const char* store_state = !store ? "unreachable" : !intact ? "damaged" : "ok";
  std::string body;
  json_writer w(body);
  w.begin_object().field("status", ok ? "ready" : "unavailable").field("store", store_state);
  w.field("redis", redis_state);
  if (!store || !intact) w.field("error", public_message(ctx.req, !store ? store.error() : intact.error()));
  w.end_object();
  return json_reply(ctx.req, ok ? http::status::ok : http::status::service_unavailable, std::move(body));
}

reply handle_metrics(request_context& ctx) {
  auto& a = ctx.a;
  std::string out;
  a.http->write(out);
  out += "# HELP bankflow_jobs Jobs in the store by status.\n# TYPE bankflow_jobs gauge\n";
  if (auto counts = a.jobs->count_by_status()) {
    for (const auto s : {job_status::pending, job_status::processing, job_status::completed, job_status::failed}) {
      std::int64_t n = 0;
      for (const auto& [status, count] : *counts)
        if (status == s) n = count;
      out += "bankflow_jobs{status=\"" + std::string(to_string(s)) + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP bankflow_queue_depth Jobs waiting in the queue (ready and delayed).\n# TYPE bankflow_queue_depth gauge\n";
  if (auto depth = a.queue->depth()) out += "bankflow_queue_depth " + std::to_string(*depth) + "\n";
  out += "# HELP bankflow_job_parse_seconds Time a worker spent on one job (this process).\n"
         "# TYPE bankflow_job_parse_seconds histogram\n";
  a.parse_seconds.write(out, "bankflow_job_parse_seconds", "");
  a.rejected_webhooks.write(out);
  reply r{response{http::status::ok, ctx.req.version()}, std::nullopt, {}};
  r.res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  r.res.body() = std::move(out);
  return r;
}

namespace {

// A whole number from 1 to `max` in the query parameter `name`, or `fallback` when absent.
// Error: invalid_argument naming it.
result<std::int64_t> query_number(const request_context& ctx, std::string_view name, std::int64_t fallback,
                                  std::int64_t min, std::int64_t max) {
  const auto text = query_param(ctx.query, name);
  if (!text) return fallback;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc{} || end != text->data() + text->size() || n < min || n > max)
    return make_error(errc::invalid_argument, std::string(name) + " must be a whole number from " +
                                                  std::to_string(min) + " to " + std::to_string(max), 0,
                      std::string(name));
  return n;
}

}  // namespace

// The audit log, newest first: ?actor= &subject= &action= &limit= (1-200) &cursor= (next_cursor).
reply handle_ops_audit(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read, account_role::operator_)) return std::move(*refused);
  auto limit = query_number(ctx, "limit", 50, 1, 200);
  if (!limit) return error_reply(ctx.req, limit.error());
  auto cursor = query_number(ctx, "cursor", 0, 1, INT64_MAX);
  if (!cursor) return error_reply(ctx.req, cursor.error());
  audit_query q{.actor = query_param(ctx.query, "actor").value_or(""),
                .subject = query_param(ctx.query, "subject").value_or(""),
                .action = query_param(ctx.query, "action").value_or(""),
                .before = *cursor > 0 ? std::optional<std::int64_t>(*cursor) : std::nullopt,
                .limit = static_cast<std::size_t>(*limit)};
  auto page = ctx.a.audit->list(q);
  if (!page) return error_reply(ctx.req, page.error());
  return with_session(json_reply(ctx.req, http::status::ok, to_json(*page)), *s);
}

}  // namespace bankflow::server
