#pragma once
// Internal: a small hiredis wrapper — URL parsing, a pool of connections with a key prefix,
// binary-safe commands, and reconnection after I/O errors.

#include <bankflow/error.hpp>
#include <bankflow/redis.hpp>

#include <condition_variable>
#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
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

struct redis_access {
  static redis_pool& pool(redis_client& c) noexcept { return *c.pool_; }
};

}  // namespace bankflow::detail
