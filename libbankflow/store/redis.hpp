#pragma once
// Internal: a small hiredis wrapper — URL parsing, a pool of connections with a key prefix,
// binary-safe commands, and reconnection after I/O errors.

#include <bankflow/error.hpp>
#include <bankflow/redis.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

struct redisContext;

namespace bankflow::detail {

/// A reply, copied out of hiredis.
struct redis_reply {
  enum class kind { nil, integer, string, status, array, error };
  kind type = kind::nil;
  long long integer = 0;
  std::string str;  ///< string, status or error text
  std::vector<redis_reply> elements;
};

/// Where a redis:// URL points.
struct redis_endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;
};

/// Parses `redis://[[user]:password@]host[:port][/db]`. Error: invalid_argument.
[[nodiscard]] result<redis_endpoint> parse_redis_url(std::string_view url);

/// Connections to one server, opened on demand up to a maximum and reused; thread-safe.
class redis_pool {
 public:
  redis_pool(redis_endpoint endpoint, redis_options options);
  ~redis_pool();
  redis_pool(const redis_pool&) = delete;
  redis_pool& operator=(const redis_pool&) = delete;

  /// Sends one command (arguments are binary-safe) on a pooled connection. A connection that
  /// fails with an I/O error is dropped and the command is sent once more on a fresh one (callers
  /// make their commands safe to repeat). Redis error replies come back as kind::error;
  /// storage_error when the server cannot be reached.
  [[nodiscard]] result<redis_reply> command(std::span<const std::string_view> args);
  [[nodiscard]] result<redis_reply> command(std::initializer_list<std::string_view> args) {
    return command(std::span<const std::string_view>(args.begin(), args.size()));
  }

  /// prefix + name.
  [[nodiscard]] std::string key(std::string_view name) const;
  [[nodiscard]] const std::string& prefix() const noexcept { return options_.key_prefix; }
  [[nodiscard]] const redis_endpoint& endpoint() const noexcept { return endpoint_; }
  [[nodiscard]] const redis_options& options() const noexcept { return options_; }

 private:
  result<redisContext*> lease();
  void give_back(redisContext* c);
  void discard(redisContext* c);
  result<redisContext*> open_connection();

  redis_endpoint endpoint_;
  redis_options options_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<redisContext*> idle_;
  std::size_t open_ = 0;
};

/// A pub/sub subscriber: one dedicated connection owned by a background thread, which is the
/// only one to touch it (hiredis contexts are not thread-safe). Other threads hand it
/// SUBSCRIBE/UNSUBSCRIBE through a queue and a wake-up pipe. A broken or silent connection is
/// replaced (with backoff) and every wanted channel subscribed again; messages published
/// meanwhile are lost. `on_message(channel, payload)` runs on that thread.
class redis_subscriber {
 public:
  using handler = std::function<void(const std::string& channel, const std::string& payload)>;

  /// Starts the thread; `name` becomes the connection's CLIENT SETNAME (spaces replaced).
  redis_subscriber(redis_endpoint endpoint, redis_options options, std::string name, handler on_message);
  ~redis_subscriber();
  redis_subscriber(const redis_subscriber&) = delete;
  redis_subscriber& operator=(const redis_subscriber&) = delete;

  /// Subscribes to a channel and waits up to `wait` for Redis to confirm it: true once
  /// confirmed (every later PUBLISH reaches this subscriber). It stays wanted either way.
  [[nodiscard]] bool subscribe(const std::string& channel, std::chrono::milliseconds wait);

  /// Stops wanting a channel.
  void unsubscribe(const std::string& channel);

 private:
  void run();
  void wake();
  bool wait_for_wake(std::chrono::milliseconds d);  // false when stopping

  redis_endpoint endpoint_;
  redis_options options_;
  std::string name_;
  handler on_message_;
  std::mutex mutex_;
  std::condition_variable confirmed_cv_;
  std::set<std::string> wanted_;
  std::map<std::string, int> in_flight_;  // SUBSCRIBEs sent and not yet answered
  std::set<std::string> confirmed_;
  std::vector<std::pair<bool, std::string>> outbox_;  // (subscribe?, channel)
  bool stopping_ = false;
  int wake_fds_[2] = {-1, -1};
  std::thread thread_;
};

struct redis_access {
  static redis_pool& pool(redis_client& c) noexcept { return *c.pool_; }
};

}  // namespace bankflow::detail
