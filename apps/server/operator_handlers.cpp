// The operator's routes: liveness, readiness and Prometheus metrics.

#include "handlers.hpp"
#include "http_helpers.hpp"

#include "app.hpp"

#include <bankflow/json.hpp>

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

}  // namespace bankflow::server
