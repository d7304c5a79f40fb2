#include "store/redis.hpp"

#include <hiredis/hiredis.h>

#include <charconv>
#include <sys/time.h>
#include <utility>

namespace bankflow {
namespace detail {
namespace {

error unreachable(const redis_endpoint& ep, std::string_view why) {
  return make_error(errc::storage_error, "Redis at " + ep.host + ":" + std::to_string(ep.port) + ": " +
                                             std::string(why));
}

redis_reply copy_reply(const redisReply* r) {
  redis_reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING: out.type = redis_reply::kind::string; break;
    case REDIS_REPLY_STATUS: out.type = redis_reply::kind::status; break;
    case REDIS_REPLY_ERROR: out.type = redis_reply::kind::error; break;
    case REDIS_REPLY_INTEGER: out.type = redis_reply::kind::integer; break;
    case REDIS_REPLY_ARRAY: out.type = redis_reply::kind::array; break;
    default: out.type = redis_reply::kind::nil; break;
  }
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR)
    out.str.assign(r->str, r->len);
  if (r->type == REDIS_REPLY_INTEGER) out.integer = r->integer;
  if (r->type == REDIS_REPLY_ARRAY) {
    out.elements.reserve(r->elements);
    for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(copy_reply(r->element[i]));
  }
  return out;
}

// One command on one connection; nullopt-like error when the connection broke.
result<redis_reply> send(redisContext* c, std::span<const std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const std::string_view a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (reply == nullptr) return make_error(errc::storage_error, c->errstr);
  redis_reply out = copy_reply(reply);
  freeReplyObject(reply);
  return out;
}

bool parse_int(std::string_view s, int& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

result<redis_endpoint> parse_redis_url(std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return make_error(errc::invalid_argument,
                      "Redis URL: " + std::string(why) + " (expected redis://host:port/db)");
  };
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme) return bad("it does not start with redis://");
  std::string_view rest = url.substr(scheme.size());
  redis_endpoint ep;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view auth = rest.substr(0, at);
    const auto colon = auth.find(':');
    ep.password = colon == std::string_view::npos ? std::string(auth) : std::string(auth.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  std::string_view hostport = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_int(db, ep.db) || ep.db < 0)) return bad("the database is not a number");
  }
  if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    if (!parse_int(hostport.substr(colon + 1), ep.port) || ep.port <= 0 || ep.port > 65535)
      return bad("the port is not a number");
    hostport = hostport.substr(0, colon);
  }
  if (!hostport.empty()) ep.host = hostport;
  return ep;
}

redis_pool::redis_pool(redis_endpoint endpoint, redis_options options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {
  if (options_.max_connections == 0) options_.max_connections = 1;
}

redis_pool::~redis_pool() {
  for (redisContext* c : idle_) redisFree(c);
}

std::string redis_pool::key(std::string_view name) const {
  std::string k = options_.key_prefix;
  k += name;
  return k;
}

result<redisContext*> redis_pool::open_connection() {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(options_.timeout.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((options_.timeout.count() % 1000) * 1000);
  redisContext* c = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
  if (c == nullptr) return unreachable(endpoint_, "cannot allocate a connection");
  if (c->err != 0) {
    auto e = unreachable(endpoint_, c->errstr);
    redisFree(c);
    return e;
  }
  redisSetTimeout(c, tv);
  const auto handshake = [&](std::initializer_list<std::string_view> args) -> result<void> {
    auto r = send(c, std::span<const std::string_view>(args.begin(), args.size()));
    if (!r) return unreachable(endpoint_, r.error().message);
    if (r->type == redis_reply::kind::error) return unreachable(endpoint_, r->str);
    return {};
  };
  result<void> ok;
  if (!endpoint_.password.empty()) ok = handshake({"AUTH", endpoint_.password});
  if (ok && endpoint_.db != 0) {
    const std::string db = std::to_string(endpoint_.db);
    ok = handshake({"SELECT", db});
  }
  if (!ok) {
    redisFree(c);
    return ok.error();
  }
  return c;
}

result<redisContext*> redis_pool::lease() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return !idle_.empty() || open_ < options_.max_connections; });
  if (!idle_.empty()) {
    redisContext* c = idle_.back();
    idle_.pop_back();
    return c;
  }
  ++open_;
  lock.unlock();
  auto c = open_connection();
  if (!c) {
    lock.lock();
    --open_;
    freed_.notify_one();
  }
  return c;
}

void redis_pool::give_back(redisContext* c) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(c);
  }
  freed_.notify_one();
}

void redis_pool::discard(redisContext* c) {
  redisFree(c);
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  freed_.notify_one();
}

result<redis_reply> redis_pool::command(std::span<const std::string_view> args) {
  for (int attempt = 0;; ++attempt) {
    auto c = lease();
    if (!c) return c.error();
    auto r = send(*c, args);
    if (r) {
      give_back(*c);
      return r;
    }
    discard(*c);  // an I/O error leaves a hiredis context unusable
    if (attempt == 1) return unreachable(endpoint_, r.error().message);
  }
}

}  // namespace detail

result<redis_client> redis_client::connect(std::string_view url, redis_options options) {
  auto ep = detail::parse_redis_url(url);
  if (!ep) return ep.error();
  auto pool = std::make_unique<detail::redis_pool>(std::move(*ep), std::move(options));
  auto pong = pool->command({"PING"});
  if (!pong) return pong.error();
  if (pong->type == detail::redis_reply::kind::error)
    return make_error(errc::storage_error, "Redis: " + pong->str);
  return redis_client(std::move(pool));
}

redis_client::redis_client(std::unique_ptr<detail::redis_pool> pool) : pool_(std::move(pool)) {}
redis_client::redis_client(redis_client&& other) noexcept = default;
redis_client& redis_client::operator=(redis_client&& other) noexcept = default;
redis_client::~redis_client() = default;

const std::string& redis_client::key_prefix() const noexcept { return pool_->prefix(); }

}  // namespace bankflow
