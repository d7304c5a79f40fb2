// The handlers: parse the request, call the library, shape the response. Nothing else.

#include "handlers.hpp"

#include "app.hpp"
#include "log.hpp"
#include "multipart.hpp"
#include "static_files.hpp"

#include <bankflow/export.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/text.hpp>
#include <bankflow/wallet.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace bankflow::server {

namespace {

namespace fs = std::filesystem;

reply json_reply(const request& req, http::status status, std::string body) {
  reply r{response{status, req.version()}, std::nullopt, {}};
  r.res.set(http::field::content_type, "application/json");
  if (body.empty() || body.back() != '\n') body += '\n';
  r.res.body() = std::move(body);
  return r;
}

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

// ---- sessions ----------------------------------------------------------------------------

// (dispatch has refused a request with two of them)
std::optional<std::string_view> session_token(const request_context& ctx) {
  const auto values = cookie_values(ctx.req, session_cookie_name_for(ctx.a.config.cookie_secure));
  if (values.empty()) return std::nullopt;
  return values.front();
}

enum class session_mode {
  existing,  ///< only a live session from the cookie
  create,    ///< a new one (with Set-Cookie) when the cookie names none
};

struct session_hit {
  session_info info;
  std::string set_cookie;  ///< non-empty when a session was just begun
  std::string unsaved;     ///< the token of a session with no row yet (saved by its first write)
};

// A rate limiter's answer: nullopt when allowed; otherwise the error to send: rate_limited
// saying `what` and when to retry (ctx.retry_after is set, and dispatch adds Retry-After), or the
// store's error.
std::optional<bankflow::error> refused(request_context& ctx, const result<rate_decision>& d, const std::string& what) {
  if (!d) return d.error();
  if (d->allowed) return std::nullopt;
  ctx.retry_after = std::max(std::chrono::seconds(1), d->retry_after);
  return make_error(errc::rate_limited, what + ": try again in " + std::to_string(ctx.retry_after.count()) + " s");
}

// The request's session. A visitor without one gets an unsaved session: its token in the cookie
// and no row, so reading costs nothing durable; csrf_session saves it at the first write.
// Errors: session_invalid (mode existing and no live session), storage_error.
result<session_hit> resolve_session(request_context& ctx, session_mode mode, bool touch) {
  auto& sessions = *ctx.a.sessions;
  if (auto token = session_token(ctx)) {
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
  if (auto e = refused(ctx, ctx.a.limiter->allow_address(ctx.client, "session"),
                        "at most " + std::to_string(ctx.a.config.sessions_per_address_per_hour) +
                            " new sessions per hour from one address"))
    return *e;
  auto created = sessions.begin_unsaved();
  if (!created) return created.error();
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto max_age = std::max<long long>(0, (created->info.expires_at - now).count());
  std::string cookie = std::string(session_cookie_name_for(ctx.a.config.cookie_secure)) + "=" + created->token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (ctx.a.config.cookie_secure) cookie += "; Secure";
  return session_hit{std::move(created->info), std::move(cookie), created->token};
}

void apply_session(reply& r, const session_hit& s) {
  if (!s.set_cookie.empty()) r.res.set(http::field::set_cookie, s.set_cookie);
  r.session_id = s.info.id;
}

// The job with this id if it exists and belongs to the request's session; otherwise the one
// not_found error, whatever the reason (no session, malformed id, missing, another's).
result<job> owned_job(request_context& ctx, std::string_view id, std::optional<session_hit>& session) {
  auto s = resolve_session(ctx, session_mode::existing, false);
  if (!s) {
    if (s.error().code == errc::storage_error) return s.error();
    return not_found_error("job", id);
  }
  session = std::move(*s);
  if (!is_job_id(id)) return not_found_error("job", id);
  auto j = ctx.a.jobs->get(id);
  if (!j) {
    if (j.error().code == errc::not_found) return not_found_error("job", id);
    return j.error();
  }
  if (auto owner = check_owner(session->info, j->owner, "job", id); !owner) return owner.error();
  return j;
}

// ---- query strings and names ---------------------------------------------------------------

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

// A yes/no form value: "1", "true", "on", "yes" or "0", "false", "off", "no", "" (any case).
std::optional<bool> parse_flag(std::string_view text) {
  const std::string v = fold(trim(text));
  if (v == "1" || v == "true" || v == "on" || v == "yes") return true;
  if (v.empty() || v == "0" || v == "false" || v == "off" || v == "no") return false;
  return std::nullopt;
}

// Content-Disposition for a download: an ASCII filename for every client and the UTF-8 one
// (RFC 6266 filename*) for those that read it.
std::string attachment_header(std::string_view client_name, std::string_view ext) {
  std::string base(client_name);
  if (const auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  base.resize(utf8_prefix(base, 100).size());  // never half a character
  std::string ascii;
  for (const char c : base) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == ' ';
    ascii += safe ? c : '_';
  }
  while (!ascii.empty() && (ascii.front() == '.' || ascii.front() == ' ')) ascii.erase(0, 1);
  if (ascii.empty()) ascii = "extrato";
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : base) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  if (encoded.empty()) encoded = "extrato";
  return "attachment; filename=\"" + ascii + std::string(ext) + "\"; filename*=UTF-8''" + encoded +
         std::string(ext);
}

// Writes the upload where the workers look for it: a temporary file (0600) renamed into place,
// so a worker never sees half a file.
result<void> write_upload(const fs::path& path, std::string_view data) {
  const fs::path tmp = path.string() + ".part";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(errc::io_error, "cannot create " + tmp.string() + ": " + std::strerror(errno));
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(errc::io_error, "cannot write " + tmp.string() + ": " + std::strerror(e));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return make_error(errc::io_error, "cannot rename " + tmp.string() + ": " + std::strerror(e));
  }
  return {};
}

reply embedded(request_context& ctx, std::string_view path) {
  const auto* f = find_embedded(path);
  if (!f) return error_reply(ctx.req, http::status::not_found, "not_found", "no file " + std::string(ctx.path));
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

// ---- operations ------------------------------------------------------------------------------

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
  std::string body = std::string("{\"status\":\"") + (ok ? "ready" : "unavailable") + "\",\"store\":\"" +
                     store_state + "\",\"redis\":\"" + redis_state + "\"";
  if (!store || !intact) {
    body += ",\"error\":";
    append_json_string(body, public_message(ctx.req, !store ? store.error() : intact.error()));
  }
  body += "}";
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

// ---- API -----------------------------------------------------------------------------------

reply handle_session(request_context& ctx) {
  auto s = resolve_session(ctx, session_mode::create, true);
  if (!s) return error_reply(ctx.req, s.error());
  std::string body = "{\"csrf_token\":";
  append_json_string(body, ctx.a.csrf->token_for(s->info));
  body += ",\"expires_at\":\"" + iso_seconds(s->info.expires_at) + "\"}";
  auto r = json_reply(ctx.req, http::status::ok, std::move(body));
  apply_session(r, *s);
  return r;
}

reply handle_banks(request_context& ctx) { return json_reply(ctx.req, http::status::ok, banks_to_json()); }

namespace {

// The session of a state-changing POST (upload, deposit, withdrawal) with its CSRF token checked;
// a refusal otherwise.
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
  if (auto ok = ctx.a.csrf->check(s->info, csrf_token); !ok) {
    auto r = error_reply(ctx.req, ok.error());
    apply_session(r, *s);
    return r;
  }
  if (!s->unsaved.empty()) {  // the session's first write: now it gets its row
    auto saved = ctx.a.sessions->save(s->unsaved);
    if (!saved) return error_reply(ctx.req, saved.error());
    s->info = std::move(*saved);
    s->unsaved.clear();
  }
  out = std::move(*s);
  return std::nullopt;
}

}  // namespace

reply handle_upload(request_context& ctx) {
  auto& a = ctx.a;
  std::optional<session_hit> s;
  if (auto refused = csrf_session(ctx, s)) return std::move(*refused);
  auto boundary = multipart_boundary(std::string_view(ctx.req[http::field::content_type]));
  if (!boundary) return error_reply(ctx.req, boundary.error());
  auto parts = parse_multipart(ctx.req.body(), *boundary);
  if (!parts) return error_reply(ctx.req, parts.error());
  const form_part* file = nullptr;
  for (const auto& p : *parts)
    if (p.name == "file") file = &p;
  if (file == nullptr)
    return error_reply(ctx.req, make_error(errc::invalid_argument, "the form has no field named 'file'"));
  // skip_bad_rows: a form field or a query parameter ("1", "true", "on"; "0", "false", "off", "")
  std::optional<std::string> skip_text = query_param(ctx.query, "skip_bad_rows");
  for (const auto& p : *parts)
    if (p.name == "skip_bad_rows") skip_text = std::string(p.data);
  const auto skip_bad_rows = skip_text ? parse_flag(*skip_text) : std::optional<bool>(false);
  if (!skip_bad_rows)
    return error_reply(ctx.req, make_error(errc::invalid_argument,
                                           "skip_bad_rows is 1/true/on or 0/false/off", 0, "skip_bad_rows"));
  if (file->data.size() > a.config.max_upload_bytes)
    return error_reply(ctx.req, http::status::payload_too_large, "payload_too_large",
                       "the file is larger than " + std::to_string(a.config.max_upload_bytes) + " bytes");

  // content decides: refuse what no worker could read, with the library's explanation. A PDF is
  // opened only by the job, in a child process with limits (pdf_limits): never in this one.
  std::string password;
  for (const auto& p : *parts)
    if (p.name == "password") password = std::string(p.data);
  const bool pdf = looks_like_pdf(file->data);
  if (!pdf) {
    auto candidates = detect(file->data);
    if (!candidates) return error_reply(ctx.req, candidates.error());
    if (candidates->empty()) {
      auto parsed = parse(file->data);  // fails at once: its error names what the file looks like
      if (!parsed) return error_reply(ctx.req, parsed.error());
    }
  }

  if (auto room = a.paths.check_room(file->data.size(), a.config.disk_quota); !room)
    return error_reply(ctx.req, room.error());

  // Only a file that will become a job counts against the hourly limit: a refused one (wrong
  // type, bad form, no room) costs the visitor nothing, and the body is already read either way.
  // per session, then per client address (which a new cookie does not reset)
  auto over = refused(ctx, a.limiter->allow(s->info, "upload"),
                      "at most " + std::to_string(a.config.uploads_per_hour) + " uploads per hour");
  if (!over)
    over = refused(ctx, a.limiter->allow_address(ctx.client, "upload"),
                   "at most " + std::to_string(a.config.uploads_per_address_per_hour) +
                       " uploads per hour from one address");
  if (over) {
    auto r = error_reply(ctx.req, *over);
    apply_session(r, *s);
    return r;
  }

  const std::string id = job_store::new_job_id();
  const std::string filename = file->filename.value_or("extrato");
  if (auto w = write_upload(a.paths.upload(id), file->data); !w) return error_reply(ctx.req, w.error());
  auto created = a.jobs->create(id, s->info.id, filename, file->data.size(), *skip_bad_rows);
  if (!created) {
    std::error_code ec;
    fs::remove(a.paths.upload(id), ec);
    return error_reply(ctx.req, created.error());
  }
  if (pdf) remember_pdf_password(id, password);  // memory only, until the worker takes it
  if (auto pushed = a.queue->push(id); !pushed) {
    (void)a.jobs->fail(id, pushed.error());
    return error_reply(ctx.req, pushed.error());
  }
  auto r = json_reply(ctx.req, http::status::created, "{\"job\":" + to_json(*created) + "}");
  r.res.set(http::field::location, "/api/v1/bank-statements/jobs/" + id);
  apply_session(r, *s);
  return r;
}

reply handle_list_jobs(request_context& ctx) {
  auto s = resolve_session(ctx, session_mode::create, false);
  if (!s) return error_reply(ctx.req, s.error());
  auto list = ctx.a.jobs->list(s->info.id);
  if (!list) return error_reply(ctx.req, list.error());
  std::string body = "{\"jobs\":[";
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (i > 0) body += ',';
    body += to_json((*list)[i]);
  }
  body += "]}";
  auto r = json_reply(ctx.req, http::status::ok, std::move(body));
  apply_session(r, *s);
  return r;
}

reply handle_get_job(request_context& ctx) {
  std::optional<session_hit> s;
  auto j = owned_job(ctx, ctx.params.at(0), s);
  if (!j) return error_reply(ctx.req, j.error());
  auto r = json_reply(ctx.req, http::status::ok, to_json(*j));
  apply_session(r, *s);
  return r;
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
  reply r{response{http::status::ok, ctx.req.version()}, std::nullopt, s->info.id};
  r.res.set(http::field::content_type, "text/event-stream");
  r.res.set("X-Accel-Buffering", "no");
  r.stream = event_stream{std::move(subscription), std::move(channel), to_json(*j)};
  return r;
}

reply handle_download(request_context& ctx) {
  const std::string_view id = ctx.params.at(0);
  std::optional<session_hit> s;
  auto j = owned_job(ctx, id, s);
  if (!j) return error_reply(ctx.req, j.error());
  const auto format = query_param(ctx.query, "format").value_or("csv");
  const auto style = query_param(ctx.query, "style").value_or("standard");
  if (format != "csv" && format != "json")
    return error_reply(ctx.req, make_error(errc::invalid_argument, "format must be csv or json, not '" + format + "'"));
  if (style != "standard" && style != "excel-br")
    return error_reply(ctx.req, make_error(errc::invalid_argument,
                                           "style must be standard or excel-br, not '" + style + "'"));
  if (j->status != job_status::completed) {
    std::string message = "job " + std::string(id) + " is " + std::string(to_string(j->status));
    message += j->status == job_status::failed ? ": " + j->error : ": download it once it is completed";
    return error_reply(ctx.req, http::status::conflict, "not_ready", message);
  }
  const std::string kind = format == "json" ? "json" : (style == "excel-br" ? "excel-br" : "csv");
  auto bytes = read_file(ctx.a.paths.result(id, kind));
  if (!bytes) return error_reply(ctx.req, bytes.error());
  // HEAD (a monitor, curl -I) is no download: the deletion grace starts with a GET only
  if (ctx.req.method() != http::verb::head)
    if (auto marked = ctx.a.jobs->mark_downloaded(id); !marked) return error_reply(ctx.req, marked.error());
  reply r{response{http::status::ok, ctx.req.version()}, std::nullopt, {}};
  r.res.set(http::field::content_type, format == "json" ? "application/json" : "text/csv; charset=utf-8");
  r.res.set(http::field::content_disposition,
            attachment_header(j->filename, format == "json" ? ".json" : (style == "excel-br" ? "-excel.csv" : ".csv")));
  r.res.body() = std::move(*bytes);
  apply_session(r, *s);
  return r;
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
  if (j->status != job_status::completed) {
    std::string message = "job " + std::string(id) + " is " + std::string(to_string(j->status));
    message += j->status == job_status::failed ? ": " + j->error : ": preview it once it is completed";
    return error_reply(ctx.req, http::status::conflict, "not_ready", message);
  }
  auto preview = preview_json(ctx.a.paths, id, limit);
  if (!preview) return error_reply(ctx.req, preview.error());
  auto r = json_reply(ctx.req, http::status::ok, std::move(*preview));
  apply_session(r, *s);
  return r;
}

// ---- wallet -------------------------------------------------------------------------------

namespace {

// Runs a money request under its Idempotency-Key (Stripe's semantics): required; scoped to the
// session and route; the same key and body replay the stored response, another body is 422, a
// key still running is 409. A 5xx is not stored, so a retry runs again.
template <class Run>
reply idempotent(request_context& ctx, const session_hit& s, std::string_view route, Run&& run) {
  const std::string key(ctx.req["Idempotency-Key"]);
  if (key.empty())
    return error_reply(ctx.req, http::status::bad_request, "idempotency_key_required",
                       "send an Idempotency-Key header (e.g. a UUID) with every money request: a retry with "
                       "the same key is then harmless");
  auto& store = *ctx.a.idempotency;
  const std::string scope = s.info.id + " " + std::string(route);
  auto claim = store.begin(scope, key, ctx.req.body());
  if (!claim) return error_reply(ctx.req, claim.error());
  switch (claim->state) {
    case idempotency_state::replay: {
      reply r = json_reply(ctx.req, static_cast<http::status>(claim->status), std::move(claim->body));
      r.res.set("Idempotency-Replayed", "true");
      return r;
    }
    case idempotency_state::mismatch:
      return error_reply(ctx.req, http::status::unprocessable_entity, "idempotency_mismatch",
                         "this Idempotency-Key was used with a different request body; use a new key");
    case idempotency_state::in_progress: {
      auto r = error_reply(ctx.req, http::status::conflict, "idempotency_in_progress",
                           "a request with this Idempotency-Key is still running: retry in a moment");
      r.res.set(http::field::retry_after, "1");
      return r;
    }
    case idempotency_state::started: break;
  }
  reply r = run(key);
  if (r.res.result_int() >= 500) {
    if (auto released = store.release(scope, key); !released)
      log_line("warn", "idempotency release failed", {{"error", released.error().to_string()}});
  } else {
    // (finish retries a failed write itself; a key it cannot store is left to its stale takeover)
    if (auto done = store.finish(scope, key, static_cast<int>(r.res.result_int()), r.res.body()); !done)
      log_line("error", "idempotency finish failed", {{"error", done.error().to_string()}});
  }
  return r;
}

// A JSON object body. Error: invalid_argument.
result<boost::json::object> json_object_body(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return make_error(errc::invalid_argument, "the body is not JSON: " + ec.message());
  if (!v.is_object()) return make_error(errc::invalid_argument, "the body must be a JSON object");
  return std::move(v.as_object());
}

// A string member. Error: invalid_argument naming it.
result<std::string> string_member(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr)
    return make_error(errc::invalid_argument, "the body has no \"" + std::string(name) + "\"", 0, std::string(name));
  if (!v->is_string())
    return make_error(errc::invalid_argument, "\"" + std::string(name) + "\" must be a string", 0, std::string(name));
  return std::string(v->get_string());
}

result<std::int64_t> amount_member(const boost::json::object& o) {
  auto text = string_member(o, "amount");
  if (!text) return text.error();
  return parse_api_amount(*text);
}

request_origin origin_of(request_context& ctx, const std::string& key) {
  return request_origin{std::string(ctx.req["X-Request-Id"]), key};
}

reply with_session(reply r, const session_hit& s) {
  apply_session(r, s);
  return r;
}

reply operation_reply(request_context& ctx, const result<wallet_operation>& op) {
  if (!op) return error_reply(ctx.req, op.error());
  auto r = json_reply(ctx.req, http::status::created, to_json(*op));
  r.res.set(http::field::location, "/api/v1/wallet/transactions/" + op->hold.id);
  return r;
}

bool is_verification_error(errc code) {
  switch (code) {
    case errc::missing_header:
    case errc::malformed_header:
    case errc::bad_timestamp:
    case errc::timestamp_too_old:
    case errc::timestamp_in_future:
    case errc::no_matching_signature: return true;
    default: return false;
  }
}

}  // namespace

reply handle_wallet(request_context& ctx) {
  auto s = resolve_session(ctx, session_mode::create, true);
  if (!s) return error_reply(ctx.req, s.error());
  auto b = ctx.a.wallet->balance(s->info.id);
  auto r = b ? json_reply(ctx.req, http::status::ok, to_json(*b)) : error_reply(ctx.req, b.error());
  apply_session(r, *s);
  return r;
}

reply handle_wallet_deposit(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = csrf_session(ctx, s)) return std::move(*refused);
  // a request that does not validate claims no key (Stripe's semantics): fixed, it may reuse it
  auto body = json_object_body(ctx.req.body());
  if (!body) return with_session(error_reply(ctx.req, body.error()), *s);
  auto amount = amount_member(*body);
  if (!amount) return with_session(error_reply(ctx.req, amount.error()), *s);
  auto r = idempotent(ctx, *s, "deposits", [&](const std::string& key) {
    return operation_reply(ctx, ctx.a.wallet->deposit(s->info.id, *amount, origin_of(ctx, key)));
  });
  apply_session(r, *s);
  return r;
}

reply handle_wallet_withdrawal(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = csrf_session(ctx, s)) return std::move(*refused);
  auto body = json_object_body(ctx.req.body());  // validated before a key is claimed
  if (!body) return with_session(error_reply(ctx.req, body.error()), *s);
  auto amount = amount_member(*body);
  if (!amount) return with_session(error_reply(ctx.req, amount.error()), *s);
  auto destination = string_member(*body, "destination");
  if (!destination) return with_session(error_reply(ctx.req, destination.error()), *s);
  auto r = idempotent(ctx, *s, "withdrawals", [&](const std::string& key) {
    return operation_reply(ctx, ctx.a.wallet->withdraw(s->info.id, *amount, *destination, origin_of(ctx, key)));
  });
  apply_session(r, *s);
  return r;
}

reply handle_wallet_transactions(request_context& ctx) {
  auto s = resolve_session(ctx, session_mode::create, false);
  if (!s) return error_reply(ctx.req, s.error());
  std::size_t limit = 50;
  if (const auto text = query_param(ctx.query, "limit")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (ec != std::errc{} || end != text->data() + text->size() || limit < 1 || limit > 200)
      return error_reply(ctx.req, make_error(errc::invalid_argument, "limit must be a number from 1 to 200"));
  }
  const auto cursor = query_param(ctx.query, "cursor").value_or("");
  auto page = ctx.a.wallet->transactions(s->info.id, cursor, limit);
  auto r = page ? json_reply(ctx.req, http::status::ok, to_wallet_json(*page)) : error_reply(ctx.req, page.error());
  apply_session(r, *s);
  return r;
}

reply handle_wallet_transaction(request_context& ctx) {
  const std::string_view id = ctx.params.at(0);
  auto s = resolve_session(ctx, session_mode::existing, false);
  if (!s) {
    if (s.error().code == errc::storage_error) return error_reply(ctx.req, s.error());
    return error_reply(ctx.req, not_found_error("transaction", id));
  }
  auto trail = ctx.a.wallet->trail(s->info.id, id);
  auto r = trail ? json_reply(ctx.req, http::status::ok, to_json(*trail)) : error_reply(ctx.req, trail.error());
  apply_session(r, *s);
  return r;
}

reply handle_webhook(request_context& ctx) {
  const std::string_view provider = ctx.params.at(0);
  if (provider != ctx.a.provider->name())
    return error_reply(ctx.req, http::status::not_found, "not_found",
                       "no payment provider named '" + std::string(provider.substr(0, 64)) + "'");
  std::vector<header_view> headers;
  for (const auto& f : ctx.req) headers.push_back({f.name_string(), f.value()});
  auto outcome = ctx.a.wallet->receive(*ctx.a.verifier, ctx.a.replay.get(), headers, ctx.req.body());
  if (!outcome) {
    const auto& e = outcome.error();
    if (is_verification_error(e.code)) {  // anyone can send these: counted, logged at a bounded rate
      ctx.a.rejected_webhooks.record(provider, e);
      return error_reply(ctx.req, http::status::unauthorized, to_string(e.code), e.message);
    }
    log_line("warn", "webhook refused",
             {{"provider", provider}, {"code", to_string(e.code)}, {"error", std::string_view(e.message)}});
    if (e.code == errc::invalid_argument) return error_reply(ctx.req, e);
    // storage and the ledger's surprises: the replay claim is released, the provider retries
    return error_reply(ctx.req, http::status::service_unavailable, to_string(e.code), public_message(ctx.req, e));
  }
  log_line("info", "webhook", {{"provider", provider}, {"outcome", to_string(*outcome)}});
  return json_reply(ctx.req, http::status::ok, "{\"outcome\":\"" + std::string(to_string(*outcome)) + "\"}");
}

// ---- the web app ---------------------------------------------------------------------------

reply handle_index(request_context& ctx) { return embedded(ctx, "/index.html"); }
reply handle_demo(request_context& ctx) { return embedded(ctx, "/demo.html"); }
reply handle_static(request_context& ctx) {
  return embedded(ctx, "/static/" + std::string(ctx.params.at(0)));
}

}  // namespace bankflow::server
