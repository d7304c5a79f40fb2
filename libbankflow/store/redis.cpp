#include "store/redis.hpp"

#include <hiredis/hiredis.h>

#include <cerrno>
#include <charconv>
#include <system_error>
#include <fcntl.h>
#include <poll.h>
#include <sys/time.h>
#include <unistd.h>
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


// ---- redis_subscriber ----

namespace {

// Appends one command to the context's output buffer (the subscriber thread sends it later).
void append(redisContext* c, std::initializer_list<std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const std::string_view a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data());
}

bool flush(redisContext* c) {
  int done = 0;
  while (done == 0)
    if (redisBufferWrite(c, &done) != REDIS_OK) return false;
  return true;
}

}  // namespace

redis_subscriber::redis_subscriber(redis_endpoint endpoint, redis_options options, std::string name,
                                   handler on_message)
    : endpoint_(std::move(endpoint)), options_(std::move(options)), name_(std::move(name)),
      on_message_(std::move(on_message)) {
  for (char& ch : name_)
    if (static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) >= 0x7f) ch = '_';
  if (::pipe2(wake_fds_, O_NONBLOCK | O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  thread_ = std::thread([this] { run(); });
}

redis_subscriber::~redis_subscriber() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  confirmed_cv_.notify_all();
  thread_.join();
  ::close(wake_fds_[0]);
  ::close(wake_fds_[1]);
}

void redis_subscriber::wake() {
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(wake_fds_[1], &byte, 1);  // full pipe: a wake-up is pending anyway
}

bool redis_subscriber::subscribe(const std::string& channel, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  wanted_.insert(channel);
  ++in_flight_[channel];
  outbox_.emplace_back(true, channel);
  wake();
  return confirmed_cv_.wait_for(lock, wait, [&] {
    return stopping_ || (confirmed_.count(channel) != 0 && in_flight_.count(channel) == 0);
  }) && !stopping_;
}

void redis_subscriber::unsubscribe(const std::string& channel) {
  std::lock_guard lock(mutex_);
  wanted_.erase(channel);
  outbox_.emplace_back(false, channel);
  wake();
}

bool redis_subscriber::wait_for_wake(std::chrono::milliseconds d) {
  pollfd p{wake_fds_[0], POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(d.count()));
  char buf[64];
  while (::read(wake_fds_[0], buf, sizeof buf) > 0) {
  }
  std::lock_guard lock(mutex_);
  return !stopping_;
}

void redis_subscriber::run() {
  using clock = std::chrono::steady_clock;
  constexpr auto ping_every = std::chrono::seconds(5);
  constexpr auto silent_limit = std::chrono::seconds(15);
  std::chrono::milliseconds retry_delay{50};
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(options_.timeout.count() / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((options_.timeout.count() % 1000) * 1000);
    redisContext* c = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
    bool ok = c != nullptr && c->err == 0;
    if (ok) {
      redisSetTimeout(c, tv);
      const auto plain = [&](std::initializer_list<std::string_view> args) {
        auto r = send(c, std::span<const std::string_view>(args.begin(), args.size()));
        return r && r->type != redis_reply::kind::error;
      };
      if (!endpoint_.password.empty()) ok = plain({"AUTH", endpoint_.password});
      if (ok && !name_.empty()) ok = plain({"CLIENT", "SETNAME", name_});
    }
    if (!ok) {
      if (c != nullptr) redisFree(c);
      if (!wait_for_wake(retry_delay)) return;
      retry_delay = std::min<std::chrono::milliseconds>(retry_delay * 2, std::chrono::seconds(2));
      continue;
    }
    {
      // A fresh connection: every wanted channel again, and the outbox is covered by that.
      std::lock_guard lock(mutex_);
      outbox_.clear();
      in_flight_.clear();
      confirmed_.clear();
      for (const auto& ch : wanted_) {
        append(c, {"SUBSCRIBE", ch});
        ++in_flight_[ch];
      }
    }
    auto last_heard = clock::now();
    auto last_ping = last_heard;
    bool healthy = flush(c);
    while (healthy) {
      pollfd fds[2] = {{c->fd, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
      ::poll(fds, 2, 1000);
      if (fds[1].revents != 0) {
        char buf[64];
        while (::read(wake_fds_[0], buf, sizeof buf) > 0) {
        }
        std::vector<std::pair<bool, std::string>> out;
        {
          std::lock_guard lock(mutex_);
          if (stopping_) break;
          out.swap(outbox_);
        }
        for (const auto& [sub, ch] : out) append(c, {sub ? "SUBSCRIBE" : "UNSUBSCRIBE", ch});
        if (!out.empty()) healthy = flush(c);
      }
      if (healthy && fds[0].revents != 0) {
        if (redisBufferRead(c) != REDIS_OK) break;
        last_heard = clock::now();
        retry_delay = std::chrono::milliseconds(50);
        for (;;) {
          void* raw = nullptr;
          if (redisGetReplyFromReader(c, &raw) != REDIS_OK) {
            healthy = false;
            break;
          }
          if (raw == nullptr) break;
          redis_reply reply = copy_reply(static_cast<redisReply*>(raw));
          freeReplyObject(raw);
          if (reply.type != redis_reply::kind::array || reply.elements.size() < 2) continue;
          const std::string& type = reply.elements[0].str;
          const std::string& channel = reply.elements[1].str;
          if (type == "message" && reply.elements.size() == 3) {
            on_message_(channel, reply.elements[2].str);
          } else if (type == "subscribe") {
            std::lock_guard lock(mutex_);
            if (auto it = in_flight_.find(channel); it != in_flight_.end() && --it->second <= 0) {
              in_flight_.erase(it);
              if (wanted_.count(channel) != 0) confirmed_.insert(channel);
            }
            confirmed_cv_.notify_all();
          } else if (type == "unsubscribe") {
            std::lock_guard lock(mutex_);
            if (in_flight_.count(channel) == 0) confirmed_.erase(channel);
          }
        }
      }
      const auto now = clock::now();
      if (now - last_heard > silent_limit) break;  // a half-open connection: start over
      if (healthy && now - last_ping >= ping_every) {
        append(c, {"PING"});
        healthy = flush(c);
        last_ping = now;
      }
    }
    redisFree(c);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      confirmed_.clear();
    }
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
