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

namespace {

// An operator's request (401/403 otherwise) that, when it succeeds, answers `json`.
template <class Run>
reply operator_reply(request_context& ctx, access need, Run&& run) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, need, account_role::operator_)) return std::move(*refused);
  result<std::string> json = run(*s);
  if (!json) return with_session(error_reply(ctx.req, json.error()), *s);
  return with_session(json_reply(ctx.req, http::status::ok, std::move(*json)), *s);
}

}  // namespace

// Queue depth, dead letters, jobs by status and the last hour's rates.
reply handle_ops_queue(request_context& ctx) {
  return operator_reply(ctx, access::read, [&](const session_hit&) -> result<std::string> {
    auto o = overview(*ctx.a.jobs, *ctx.a.queue);
    if (!o) return o.error();
    return to_json(*o);
  });
}

// The dead letters, newest first, with their errors: ?limit= (1-1000, 100).
reply handle_ops_dead_letters(request_context& ctx) {
  return operator_reply(ctx, access::read, [&](const session_hit&) -> result<std::string> {
    auto limit = query_number(ctx, "limit", 100, 1, 1000);
    if (!limit) return limit.error();
    auto list = list_dead_letters(*ctx.a.jobs, *ctx.a.queue, static_cast<std::size_t>(*limit));
    if (!list) return list.error();
    return to_json(*list);
  });
}

// Puts a dead letter back in the queue ("job_requeued" in the audit log).
reply handle_ops_requeue(request_context& ctx) {
  return operator_reply(ctx, access::write, [&](const session_hit& s) -> result<std::string> {
    auto j = requeue_dead_letter(*ctx.a.jobs, *ctx.a.queue, ctx.a.paths, ctx.params.at(0));
    if (!j) return j.error();
    (void)ctx.a.audit->record("job_requeued", s.user->id, j->id, request_meta_of(ctx));
    return "{\"job\":" + to_json(*j) + "}";
  });
}

// Gives a dead letter up for good ("job_discarded" in the audit log).
reply handle_ops_discard(request_context& ctx) {
  return operator_reply(ctx, access::write, [&](const session_hit& s) -> result<std::string> {
    const std::string id(ctx.params.at(0));
    if (auto ok = discard_dead_letter(*ctx.a.jobs, *ctx.a.queue, ctx.a.paths, id); !ok) return ok.error();
    (void)ctx.a.audit->record("job_discarded", s.user->id, id, request_meta_of(ctx));
    std::string body;
    json_writer(body).begin_object().field("discarded", id).end_object();
    return body;
  });
}

// Webhook deliveries, newest first: ?provider= &event_id= &outcome= &limit= (1-200) &cursor=.
reply handle_ops_deliveries(request_context& ctx) {
  return operator_reply(ctx, access::read, [&](const session_hit&) -> result<std::string> {
    auto limit = query_number(ctx, "limit", 50, 1, 200);
    if (!limit) return limit.error();
    auto page = ctx.a.wallet->find_deliveries({.provider = query_param(ctx.query, "provider").value_or(""),
                                               .event_id = query_param(ctx.query, "event_id").value_or(""),
                                               .outcome = query_param(ctx.query, "outcome").value_or(""),
                                               .cursor = query_param(ctx.query, "cursor").value_or(""),
                                               .limit = static_cast<std::size_t>(*limit)});
    if (!page) return page.error();
    return to_json(*page);
  });
}

// Deposits and withdrawals pending at least ?older_than= seconds (default: the reconciler's
// --reconcile-after), oldest first: ?limit= (1-1000, 100).
reply handle_ops_pending(request_context& ctx) {
  return operator_reply(ctx, access::read, [&](const session_hit&) -> result<std::string> {
    auto older = query_number(ctx, "older_than", ctx.a.config.reconcile_after.count(), 0, 366LL * 86400);
    if (!older) return older.error();
    auto limit = query_number(ctx, "limit", 100, 1, 1000);
    if (!limit) return limit.error();
    auto ops = ctx.a.wallet->pending_older_than(std::chrono::seconds(*older), static_cast<std::size_t>(*limit));
    if (!ops) return ops.error();
    return to_json(*ops);
  });
}

// The audit log, newest first: ?actor= &subject= &action= &limit= (1-200) &cursor= (next_cursor).
reply handle_ops_audit(request_context& ctx) {
  return operator_reply(ctx, access::read, [&](const session_hit&) -> result<std::string> {
    auto limit = query_number(ctx, "limit", 50, 1, 200);
    if (!limit) return limit.error();
    auto cursor = query_number(ctx, "cursor", 0, 1, INT64_MAX);
    if (!cursor) return cursor.error();
    audit_query q{.actor = query_param(ctx.query, "actor").value_or(""),
                  .subject = query_param(ctx.query, "subject").value_or(""),
                  .action = query_param(ctx.query, "action").value_or(""),
                  .before = *cursor > 0 ? std::optional<std::int64_t>(*cursor) : std::nullopt,
                  .limit = static_cast<std::size_t>(*limit)};
    auto page = ctx.a.audit->list(q);
    if (!page) return page.error();
    return to_json(*page);
  });
}

}  // namespace bankflow::server
