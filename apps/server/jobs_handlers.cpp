// The conversion jobs' routes: upload, list, one job (JSON or an SSE stream), download, preview.

#include "handler_session.hpp"
#include "handlers.hpp"
#include "http_helpers.hpp"
#include "multipart.hpp"

#include "app.hpp"

#include <bankflow/json.hpp>

namespace bankflow::server {

namespace {

// The form field called `name` (the last one), or null.
const form_part* form_field(const std::vector<form_part>& parts, std::string_view name) {
  const form_part* found = nullptr;
  for (const auto& p : parts)
    if (p.name == name) found = &p;
  return found;
}

// skip_bad_rows: a form field or a query parameter ("1", "true", "on"; "0", "false", "off", "").
// Error: invalid_argument.
result<bool> skip_bad_rows_of(const request_context& ctx, const std::vector<form_part>& parts) {
  std::optional<std::string> text = query_param(ctx.query, "skip_bad_rows");
  if (const auto* p = form_field(parts, "skip_bad_rows")) text = std::string(p->data);
  const auto flag = text ? parse_flag(*text) : std::optional<bool>(false);
  if (!flag) return make_error(errc::invalid_argument, "skip_bad_rows is 1/true/on or 0/false/off", 0, "skip_bad_rows");
  return *flag;
}

// The parts of a multipart/form-data body. Error: invalid_argument.
result<std::vector<form_part>> form_parts(const request_context& ctx) {
  auto boundary = multipart_boundary(std::string_view(ctx.req[http::field::content_type]));
  if (!boundary) return boundary.error();
  return parse_multipart(ctx.req.body(), *boundary);
}

// The job with this id if it exists and belongs to the request's session; otherwise the one
// not_found error, whatever the reason (no session, malformed id, missing, another's).
result<job> owned_job(request_context& ctx, std::string_view id, std::optional<session_hit>& session) {
  auto s = owner_session(ctx, "job", id);
  if (!s) return s.error();
  session = std::move(*s);
  return ctx.a.jobs->get_owned(session->owner(), id);
}

}  // namespace

reply handle_upload(request_context& ctx) {
  auto& a = ctx.a;
  std::optional<session_hit> s;
  if (auto refused = csrf_session(ctx, s)) return std::move(*refused);
  auto parts = form_parts(ctx);
  if (!parts) return error_reply(ctx.req, parts.error());
  const form_part* file = form_field(*parts, "file");
  if (file == nullptr)
    return error_reply(ctx.req, make_error(errc::invalid_argument, "the form has no field named 'file'"));
  const auto skip_bad_rows = skip_bad_rows_of(ctx, *parts);
  if (!skip_bad_rows) return error_reply(ctx.req, skip_bad_rows.error());
  const form_part* password = form_field(*parts, "password");
  const form_part* rules = form_field(*parts, "rules");  // a category rules file (rules.hpp), text or file part
  const upload_request upload{.owner = s->owner(),
                              .client = ctx.client,
                              .filename = file->filename ? std::string_view(*file->filename) : "extrato",
                              .data = file->data,
                              .skip_bad_rows = *skip_bad_rows,
                              .pdf_password = password != nullptr ? password->data : std::string_view{},
                              .rules = rules != nullptr ? rules->data : std::string_view{},
                              .kept = s->user.has_value()};
  const upload_intake intake{*a.jobs, *a.queue, a.paths, a.limiter.get(), a.config.max_upload_bytes,
                             a.config.disk_quota};
  auto created = submit_upload(intake, upload, &ctx.retry_after);
  if (!created) {
    auto r = error_reply(ctx.req, created.error());
    if (created.error().code == errc::rate_limited) apply_session(r, *s);
    return r;
  }
  std::string body;
  json_writer(body).begin_object().key("job").raw(to_json(*created)).end_object();
  auto r = json_reply(ctx.req, http::status::created, std::move(body));
  r.res.set(http::field::location, "/api/v1/bank-statements/jobs/" + created->id);
  return with_session(std::move(r), *s);
}

reply handle_list_jobs(request_context& ctx) {
  auto s = resolve_session(ctx, session_mode::create, false);
  if (!s) return error_reply(ctx.req, s.error());
  auto list = ctx.a.jobs->list(s->owner());
  if (!list) return error_reply(ctx.req, list.error());
  std::string body;
  json_writer w(body);
  w.begin_object().key("jobs").begin_array();
  for (const auto& j : *list) w.raw(to_json(j));
  w.end_array().end_object();
  return with_session(json_reply(ctx.req, http::status::ok, std::move(body)), *s);
}

reply handle_get_job(request_context& ctx) {
  std::optional<session_hit> s;
  auto j = owned_job(ctx, ctx.params.at(0), s);
  if (!j) return error_reply(ctx.req, j.error());
  return with_session(json_reply(ctx.req, http::status::ok, to_json(*j)), *s);
}

reply handle_job_status(request_context& ctx) {
  const std::string_view accept = ctx.req[http::field::accept];
  const bool wants_stream = accept.find("text/event-stream") != std::string_view::npos;
  if (!wants_stream) return handle_get_job(ctx);
  const std::string_view id = ctx.params.at(0);
  // subscribe before reading the state: a change between the two is then queued, not lost
  auto channel = std::make_shared<event_channel>();
  std::unique_ptr<job_subscription> subscription;
  if (is_job_id(id)) {
    auto sub = ctx.a.events->subscribe(id, [channel](const std::string& json) { channel->push(json); });
    if (!sub) return error_reply(ctx.req, sub.error());
    subscription = std::move(*sub);
  }
  std::optional<session_hit> s;
  auto j = owned_job(ctx, id, s);
  if (!j) return error_reply(ctx.req, j.error());
  reply r{response{http::status::ok, ctx.req.version()}, std::nullopt, s->owner()};
  r.res.set(http::field::content_type, "text/event-stream");
  r.res.set("X-Accel-Buffering", "no");
  r.stream = event_stream{std::move(subscription), std::move(channel), to_json(*j)};
  return r;
}

namespace {

// What ?format= (and, for CSV, ?style=) downloads: the job's result file, its type and the end of
// its file name.
struct download_kind {
  std::string_view result, content_type, extension;
};

std::optional<download_kind> download_kind_of(std::string_view format, std::string_view style) {
  if (format == "json") return download_kind{"json", "application/json", ".json"};
  if (format == "xlsx")
    return download_kind{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"};
  if (format != "csv") return std::nullopt;
  if (style == "excel-br") return download_kind{"excel-br", "text/csv; charset=utf-8", "-excel.csv"};
  return download_kind{"csv", "text/csv; charset=utf-8", ".csv"};
}

}  // namespace

reply handle_download(request_context& ctx) {
  const std::string_view id = ctx.params.at(0);
  std::optional<session_hit> s;
  auto j = owned_job(ctx, id, s);
  if (!j) return error_reply(ctx.req, j.error());
  const auto format = query_param(ctx.query, "format").value_or("csv");
  const auto style = query_param(ctx.query, "style").value_or("standard");
  const auto kind = download_kind_of(format, style);
  if (!kind)
    return error_reply(ctx.req, make_error(errc::invalid_argument, "format must be csv, json or xlsx, not '" + format + "'"));
  if (style != "standard" && style != "excel-br")
    return error_reply(ctx.req, make_error(errc::invalid_argument,
                                           "style must be standard or excel-br, not '" + style + "'"));
  // HEAD (a monitor, curl -I) is no download: the deletion grace starts with a GET only
  auto bytes = download_result(*ctx.a.jobs, ctx.a.paths, *j, kind->result, ctx.req.method() != http::verb::head);
  if (!bytes) return error_reply(ctx.req, bytes.error());
  reply r{response{http::status::ok, ctx.req.version()}, std::nullopt, {}};
  r.res.set(http::field::content_type, kind->content_type);
  r.res.set(http::field::content_disposition, attachment_header(j->filename, kind->extension));
  r.res.body() = std::move(*bytes);
  return with_session(std::move(r), *s);
}

// The first rows of a completed job's result for the web app's preview table (preview_json: not a
// download, so the deletion grace does not start).
reply handle_preview(request_context& ctx) {
  constexpr std::size_t max_limit = 100;
  const std::string_view id = ctx.params.at(0);
  std::optional<session_hit> s;
  auto j = owned_job(ctx, id, s);
  if (!j) return error_reply(ctx.req, j.error());
  std::size_t limit = 10;
  if (const auto text = query_param(ctx.query, "limit")) {
    std::size_t n = 0;
    bool ok = !text->empty() && text->size() <= 3;
    for (const char c : *text) ok = ok && c >= '0' && c <= '9';
    if (ok) n = static_cast<std::size_t>(std::stoul(*text));
    if (!ok || n < 1 || n > max_limit)
      return error_reply(ctx.req, make_error(errc::invalid_argument,
                                             "limit must be a whole number from 1 to 100, not '" + *text + "'"));
    limit = n;
  }
  if (auto ready = check_completed(*j, "preview"); !ready) return error_reply(ctx.req, ready.error());
  auto preview = preview_json(ctx.a.paths, id, limit);
  if (!preview) return error_reply(ctx.req, preview.error());
  return with_session(json_reply(ctx.req, http::status::ok, std::move(*preview)), *s);
}

// Deletes one of the caller's conversions with its files (an anonymous session's or an account's).
reply handle_delete_job(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = csrf_session(ctx, s)) return std::move(*refused);
  auto j = ctx.a.jobs->remove(s->owner(), ctx.params.at(0));
  if (!j) return with_session(error_reply(ctx.req, j.error()), *s);
  ctx.a.paths.remove_files(j->id);
  std::string body;
  json_writer(body).begin_object().field("deleted", j->id).end_object();
  return with_session(json_reply(ctx.req, http::status::ok, std::move(body)), *s);
}

}  // namespace bankflow::server
