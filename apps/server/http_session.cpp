#include "http_session.hpp"

#include "app.hpp"
#include "client_address.hpp"
#include "log.hpp"

#include <bankflow/text.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace bankflow::server {

namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t log_target_max = 512;

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

bool is_final_status(std::string_view s) { return s == "completed" || s == "failed"; }

}  // namespace

// ---- registry ------------------------------------------------------------------------------

void session_registry::set_limits(std::size_t max_total, std::size_t max_per_address) {
  std::lock_guard lock(mutex_);
  max_total_ = max_total;
  max_per_address_ = max_per_address;
}

bool session_registry::add(const std::shared_ptr<http_session>& s, const std::string& address) {
  std::shared_ptr<http_session> evicted;  // released after the lock: its destructor calls remove()
  bool admitted = true;
  {
    std::lock_guard lock(mutex_);
    const bool over_address = max_per_address_ > 0 && !address.empty() && [&] {
      const auto it = per_address_.find(address);
      return it != per_address_.end() && it->second >= max_per_address_;
    }();
    const bool over_total = max_total_ > 0 && counted_ >= max_total_;
    if (over_address) evicted = claim_idle(&address);
    if (over_total && !evicted) evicted = claim_idle(nullptr);
    admitted = (!over_address && !over_total) || evicted != nullptr;
    entry e{s, s->waiting_since(), admitted ? address : std::string(), admitted};
    if (admitted) {
      ++counted_;
      if (!address.empty()) ++per_address_[address];
    }
    sessions_[s.get()] = std::move(e);
  }
  if (evicted) evicted->evict();
  return admitted;
}

std::shared_ptr<http_session> session_registry::claim_idle(const std::string* address) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    entry* oldest = nullptr;
    std::int64_t oldest_since = 0;
    for (auto& [ptr, e] : sessions_) {
      if (!e.counted || (address && e.address != *address)) continue;
      const std::int64_t since = e.waiting_since->load();
      if (since > 0 && (oldest == nullptr || since < oldest_since)) {
        oldest = &e;
        oldest_since = since;
      }
    }
    if (oldest == nullptr) return nullptr;
    // it may have begun a request meanwhile: then look again; -1 marks it claimed
    if (!oldest->waiting_since->compare_exchange_strong(oldest_since, -1)) continue;
    if (auto s = oldest->session.lock()) return s;
  }
  return nullptr;
}

void session_registry::remove(http_session* s) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(s);
  if (it == sessions_.end()) return;
  if (it->second.counted) {
    --counted_;
    if (!it->second.address.empty()) {
      const auto a = per_address_.find(it->second.address);
      if (a != per_address_.end() && --a->second == 0) per_address_.erase(a);
    }
  }
  sessions_.erase(it);
}

bool session_registry::begin_linger() {
  if (lingering_.fetch_add(1) < 64) return true;
  lingering_.fetch_sub(1);
  return false;
}

void session_registry::end_linger() { lingering_.fetch_sub(1); }

std::size_t session_registry::size() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void session_registry::shutdown_all() {
  std::vector<std::shared_ptr<http_session>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [ptr, e] : sessions_)
      if (auto s = e.session.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->shutdown();
}

// ---- session -------------------------------------------------------------------------------

http_session::http_session(net::ip::tcp::socket&& socket, app& a, session_registry& registry,
                           net::ip::address peer, bool admin)
    : stream_(std::move(socket)),
      buffer_(header_limit + 64 * 1024),
      app_(a),
      registry_(registry),
      peer_(std::move(peer)),
      client_(address_key(peer_)),
      body_timer_(stream_.get_executor()),
      keepalive_(stream_.get_executor()) {
  admin_ = admin;
}

http_session::~http_session() {
  if (lingering_) registry_.end_linger();
  registry_.remove(this);
}

void http_session::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
}

void http_session::refuse() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->started_ = std::chrono::steady_clock::now();
    self->route_ = self->app_.http->unmatched();
    self->request_id_ = new_request_id();
    self->method_ = "-";
    self->target_ = "-";
    request dummy;
    dummy.version(11);
    reply r = error_reply(dummy, http::status::service_unavailable, "too_many_connections",
                          "the server has too many open connections; try again in a moment");
    r.res.set(http::field::retry_after, "1");
    self->keep_alive_ = false;
    self->linger_ = true;  // the request is never read
    self->send(std::move(r.res), true);
  });
}

void http_session::evict() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->waiting_since_->load() != -1) return;  // its read has ended already, and it knows
    self->shutting_down_ = true;
    self->stream_.cancel();  // the pending read of the next request ends with operation_aborted
  });
}

void http_session::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    self->keep_alive_ = false;
    if (self->phase_ == phase::idle) {
      self->stream_.cancel();  // the pending header read ends with operation_aborted
    } else if (self->phase_ == phase::streaming && !self->final_sent_) {
      self->final_sent_ = true;  // no more events: end the stream with its last chunk
      self->write_next_chunk();
    }
  });
}

void http_session::read_header() {
  if (shutting_down_) return close();
  phase_ = phase::idle;
  parser_.emplace();
  parser_->header_limit(header_limit);
  // the parser refuses a Content-Length over its body limit while reading the header: start
  // with the largest route limit, narrow it to the route's once the target is known
  parser_->body_limit(app_.config.max_upload_bytes + 64 * 1024);
  if (buffer_.size() > 0) return read_rest_of_header();  // a pipelined request has begun already
  // waiting for the next request: the idle timeout; once its first bytes are in, the read timeout
  stream_.expires_after(app_.config.idle_timeout);
  waiting_since_->store(std::max<std::int64_t>(1, std::chrono::steady_clock::now().time_since_epoch().count()));
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    // evicted (claimed by the registry at a connection cap): go even if a request just began
    if (self->waiting_since_->exchange(0) == -1) return self->close();
    if (ec) return self->close();  // idle too long, closed by the client, shutdown
    self->buffer_.commit(n);
    self->read_rest_of_header();
  });
}

void http_session::read_rest_of_header() {
  // body_timer_ keeps the header's time too: a stream timeout would close the socket before the
  // 408 could go out
  stream_.expires_never();
  header_too_slow_ = false;
  body_timer_.expires_after(app_.config.read_timeout);
  body_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->phase_ != phase::idle) return;
    self->header_too_slow_ = true;
    self->stream_.cancel();  // the pending read ends with operation_aborted
  });
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

void http_session::on_header(beast::error_code ec, std::size_t) {
  body_timer_.cancel();
  started_ = std::chrono::steady_clock::now();
  route_ = app_.http->unmatched();
  session_id_.clear();
  if (ec) {
    request_id_ = new_request_id();
    client_request_id_.clear();
    method_ = "-";
    target_ = "-";
    if (header_too_slow_) {
      header_too_slow_ = false;
      return reject(http::status::request_timeout, "request_timeout",
                    "the request header did not arrive within " + std::to_string(app_.config.read_timeout.count()) + " s");
    }
    if (ec == http::error::body_limit)
      return reject(make_error(errc::payload_too_large, "the request body is larger than " +
                                                            std::to_string(app_.config.max_upload_bytes) + " bytes"));
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
      return reject(http::status::request_header_fields_too_large, "header_too_large",
                    "the request header is larger than 16 KiB");
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
      return reject(http::status::bad_request, "bad_request", "malformed HTTP request: " + ec.message());
    return close();  // end of stream, timeout, reset, shutdown: nothing to answer
  }
  phase_ = phase::reading_body;
  auto& req = parser_->get();
  // a client's own X-Request-Id only from a trusted proxy: anyone else could plant ids in the
  // logs and the wallet's audit trail; theirs is logged apart (client_request_id)
  const auto rid = req["X-Request-Id"];
  const bool trusted = app_.proxies.contains(peer_);
  request_id_ = trusted && valid_request_id(rid) ? std::string(rid) : new_request_id();
  client_request_id_ = trusted || rid.empty() ? std::string() : repair_utf8(utf8_prefix(rid, 128));
  req.set("X-Request-Id", request_id_);  // handlers record the id the response carries
  method_ = std::string(req.method_string());
  target_ = std::string(req.target().substr(0, log_target_max));
  if (auto refused = check_framing(req)) return reject(refused->status, refused->code, refused->message);
  if (!app_.proxies.empty()) {  // behind a trusted proxy the client is in X-Forwarded-For
    std::vector<std::string_view> forwarded_for;
    for (auto it = req.find("X-Forwarded-For"); it != req.end() && beast::iequals(it->name_string(), "X-Forwarded-For"); ++it)
      forwarded_for.push_back(it->value());
    client_ = address_key(client_address(peer_, forwarded_for, app_.proxies));
  }

  const std::uint64_t limit = body_limit_for(app_, req.method(), req.target());
  if (const auto length = parser_->content_length(); length && *length > limit)
    return reject(make_error(errc::payload_too_large, "the request body is larger than " + std::to_string(limit) + " bytes"));
  parser_->body_limit(limit);
  if (parser_->is_done()) return handle();
  if (beast::iequals(req[http::field::expect], "100-continue")) {
    // the client waits for this before sending a large body
    auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
    stream_.expires_after(app_.config.write_timeout);
    http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
      if (wec) return self->close();
      self->read_body();
    });
    return;
  }
  read_body();
}

void http_session::read_body() {
  body_started_ = body_progress_ = std::chrono::steady_clock::now();
  body_read_ = 0;
  body_too_slow_ = false;
  // body_timer_ keeps the time: a stream timeout would close the socket before a 408 could go out
  stream_.expires_never();
  read_body_some();
}

std::chrono::steady_clock::time_point http_session::body_deadline() const {
  auto deadline = body_progress_ + app_.config.read_timeout;
  if (app_.config.min_body_rate > 0) {
    const auto earned = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(static_cast<double>(body_read_) / static_cast<double>(app_.config.min_body_rate)));
    deadline = std::min(deadline, body_started_ + app_.config.body_grace + earned);
  }
  return deadline;
}

void http_session::read_body_some() {
  body_timer_.expires_at(body_deadline());
  body_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->phase_ != phase::reading_body || self->body_too_slow_) return;
    if (std::chrono::steady_clock::now() < self->body_deadline()) return;  // progress came first
    self->body_too_slow_ = true;
    self->stream_.cancel();  // the pending read ends with operation_aborted
  });
  http::async_read_some(stream_, buffer_, *parser_,
                        beast::bind_front_handler(&http_session::on_body_some, shared_from_this()));
}

void http_session::on_body_some(beast::error_code ec, std::size_t bytes) {
  if (body_too_slow_) {
    const bool paused = std::chrono::steady_clock::now() >= body_progress_ + app_.config.read_timeout;
    return reject(http::status::request_timeout, "request_timeout",
                  paused ? "the request body stopped coming for " + std::to_string(app_.config.read_timeout.count()) + " s"
                         : "the request body came slower than " + std::to_string(app_.config.min_body_rate) +
                               " bytes per second");
  }
  if (bytes > 0) {
    body_read_ += bytes;
    body_progress_ = std::chrono::steady_clock::now();
  }
  if (ec || parser_->is_done()) {
    body_timer_.cancel();
    return on_body(ec, bytes);
  }
  read_body_some();
}

void http_session::on_body(beast::error_code ec, std::size_t) {
  if (ec == http::error::body_limit)
    return reject(make_error(errc::payload_too_large, "the request body is larger than the limit of this route"));
  if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return reject(http::status::bad_request, "bad_request", "malformed HTTP request body: " + ec.message());
  if (ec) return close();
  handle();
}

void http_session::handle() {
  phase_ = phase::handling;
  stream_.expires_never();
  request req = parser_->release();
  parser_.reset();
  keep_alive_ = req.keep_alive() && !shutting_down_;
  const auto scopes = scopes_for(app_, admin_);
  const std::string_view target = req.target();
  const auto m = match_route(req.method(), target.substr(0, target.find('?')), scopes);
  const bool head = req.method() == http::verb::head;
  if (m.index && routes()[*m.index].offload && app_.slow_pool) {
    // slow on purpose (password hashing): run on the pool, answer back on this connection's strand
    auto shared = std::make_shared<request>(std::move(req));
    net::post(*app_.slow_pool, [self = shared_from_this(), shared, scopes, head] {
      std::size_t route = self->app_.http->unmatched();
      auto r = std::make_shared<reply>(dispatch(self->app_, *shared, route, scopes, self->client_));
      net::post(self->stream_.get_executor(), [self, r, route, head] { self->respond(std::move(*r), route, head); });
    });
    return;
  }
  std::size_t route = app_.http->unmatched();
  reply r = dispatch(app_, req, route, scopes, client_);
  respond(std::move(r), route, head);
}

void http_session::respond(reply r, std::size_t route, bool head) {
  route_ = route;
  session_id_ = std::move(r.session_id);
  if (r.stream && !head) return start_stream(std::move(*r.stream), std::move(r.res));
  send(std::move(r.res), !keep_alive_);
}

void http_session::reject(http::status status, std::string_view code, std::string_view message) {
  request dummy;
  dummy.version(11);
  reply r = error_reply(dummy, status, code, message);
  keep_alive_ = false;
  linger_ = true;  // the rest of the request is not read
  send(std::move(r.res), true);
}

void http_session::reject(const error& e) { reject(to_http_status(e), to_string(e.code), e.message); }

void http_session::send(response&& res, bool close_after) {
  phase_ = phase::writing;
  const std::string_view target = target_;
  add_common_headers(res, target.substr(0, target.find('?')));
  res.set("X-Request-Id", request_id_);
  res.keep_alive(!close_after);
  res.prepare_payload();
  if (method_ == "HEAD") {  // GET's status and headers, Content-Length included; no body
    const auto length = res.body().size();
    res.body().clear();
    if (res.has_content_length()) res.content_length(length);
  }
  res_.emplace(std::move(res));
  stream_.expires_after(app_.config.write_timeout);
  http::async_write(stream_, *res_,
                    beast::bind_front_handler(&http_session::on_write, shared_from_this(), close_after));
}

void http_session::on_write(bool close_after, beast::error_code ec, std::size_t) {
  finish_request(res_ ? res_->result_int() : 0);
  res_.reset();
  if (!ec && close_after && linger_) return linger();
  if (ec || close_after || shutting_down_) return close();
  read_header();
}

// Answered without reading the whole request: closing now with unread bytes would send a reset
// that can destroy the answer before the client reads it. Stop sending, read and drop what still
// comes for a moment, then close.
void http_session::linger() {
  if (!lingering_ && !registry_.begin_linger()) return close();
  if (!lingering_) {  // at most a second and 256 KiB
    lingering_ = true;
    phase_ = phase::writing;
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (ec) return close();
    buffer_.consume(buffer_.size());
    stream_.expires_after(std::chrono::seconds(1));
  }
  if (linger_dropped_ > 256 * 1024) return close();
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code rec, std::size_t n) {
    self->linger_dropped_ += n;  // never committed: dropped
    if (rec) return self->close();  // end of stream, or the second is over
    self->linger();
  });
}

void http_session::finish_request(unsigned status) {
  const auto took = std::chrono::steady_clock::now() - started_;
  app_.http->record(route_, method_, status, took);
  const std::string_view route = route_ < routes().size() ? routes()[route_].pattern : "unmatched";
  const double ms = std::chrono::duration<double, std::milli>(took).count();
  if (client_request_id_.empty())
    log_line("info", "request",
             {{"request_id", std::string_view(request_id_)}, {"method", std::string_view(method_)},
              {"target", std::string_view(target_)}, {"route", route},
              {"status", static_cast<long long>(status)}, {"duration_ms", ms}});
  else
    log_line("info", "request",
             {{"request_id", std::string_view(request_id_)}, {"client_request_id", std::string_view(client_request_id_)},
              {"method", std::string_view(method_)}, {"target", std::string_view(target_)}, {"route", route},
              {"status", static_cast<long long>(status)}, {"duration_ms", ms}});
}

void http_session::close() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  events_.reset();  // unsubscribes
  keepalive_.cancel();
  body_timer_.cancel();
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.close();
}

// ---- Server-Sent Events --------------------------------------------------------------------

void http_session::start_stream(event_stream&& stream, response&& head) {
  phase_ = phase::streaming;
  events_.emplace(std::move(stream));
  sse_head_.emplace(http::status::ok, head.version());
  for (const auto& field : head.base()) sse_head_->set(field.name_string(), field.value());
  add_security_headers(sse_head_->base());
  sse_head_->set(http::field::cache_control, "no-store");
  sse_head_->set("X-Request-Id", request_id_);
  sse_head_->keep_alive(keep_alive_);
  sse_head_->chunked(true);
  sse_serializer_.emplace(*sse_head_);
  out_.clear();
  final_sent_ = false;
  head_written_ = false;
  last_sent_.clear();
  last_updated_.clear();

  on_stream_event(std::move(events_->first));
  std::weak_ptr<http_session> weak = shared_from_this();
  auto executor = stream_.get_executor();
  auto early = events_->channel->attach([weak, executor] {
    if (auto self = weak.lock()) net::post(executor, [self] { self->drain_events(); });
  });
  for (auto& json : early) {
    if (final_sent_) break;
    on_stream_event(std::move(json));
  }

  stream_.expires_after(app_.config.write_timeout);
  http::async_write_header(stream_, *sse_serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->close();
    self->stream_.expires_never();
    self->head_written_ = true;
    self->write_next_chunk();
  });
  keepalive_.expires_after(app_.config.sse_keepalive);
  keepalive_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->on_keepalive();
  });
}

void http_session::on_stream_event(std::string json) {
  if (json == last_sent_) return;
  std::string status;
  std::string updated;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(json, ec);
  if (!ec && doc.is_object()) {
    const auto& o = doc.as_object();
    if (const auto* s = o.if_contains("status"); s && s->is_string()) status = std::string(s->as_string());
    if (const auto* u = o.if_contains("updated_at"); u && u->is_string()) updated = std::string(u->as_string());
  }
  // a change published before the state was read arrives after it: never go back in time
  if (!last_updated_.empty() && !updated.empty() && updated < last_updated_) return;
  out_.push_back("data: " + json + "\n\n");
  last_sent_ = std::move(json);
  if (!updated.empty()) last_updated_ = std::move(updated);
  if (is_final_status(status)) final_sent_ = true;
}

void http_session::drain_events() {
  if (phase_ != phase::streaming || !events_) return;
  for (auto& json : events_->channel->take()) {
    if (final_sent_) break;
    on_stream_event(std::move(json));
  }
  write_next_chunk();
}

void http_session::on_keepalive() {
  if (phase_ != phase::streaming) return;
  if (!final_sent_) out_.push_back(": keep-alive\n\n");
  write_next_chunk();
  keepalive_.expires_after(app_.config.sse_keepalive);
  keepalive_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->on_keepalive();
  });
}

void http_session::write_next_chunk() {
  if (phase_ != phase::streaming || !head_written_ || writing_) return;
  writing_ = true;
  stream_.expires_after(app_.config.write_timeout);
  if (!out_.empty()) {
    net::async_write(stream_, http::make_chunk(net::buffer(out_.front())),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->writing_ = false;
                       self->out_.pop_front();
                       if (ec) return self->close();
                       self->stream_.expires_never();
                       self->write_next_chunk();
                     });
    return;
  }
  if (!final_sent_) {
    writing_ = false;
    stream_.expires_never();
    return;
  }
  // the final state is out: end the response, and the connection keeps serving if it may
  net::async_write(stream_, http::make_chunk_last(), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->writing_ = false;
    self->events_.reset();
    self->keepalive_.cancel();
    self->finish_request(200);
    self->sse_serializer_.reset();
    self->sse_head_.reset();
    if (ec || !self->keep_alive_ || self->shutting_down_) return self->close();
    self->read_header();
  });
}

}  // namespace bankflow::server
