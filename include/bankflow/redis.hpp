#pragma once
/// @file A shared Redis connection pool with a key prefix. Opaque: hiredis stays inside the
/// library.

#include <bankflow/error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace bankflow {

namespace detail {
class redis_pool;
struct redis_access;
}  // namespace detail

/// How a Redis client connects.
struct redis_options {
  std::string key_prefix{};  ///< prepended to every key, e.g. "staging:" (BANKFLOW_REDIS_PREFIX)
  std::chrono::milliseconds timeout{2000};  ///< connect and command timeout
  std::size_t max_connections = 16;  ///< connections opened at most (one per concurrent caller)
};

/// Connections to one Redis server (database number from the URL). Move-only and thread-safe;
/// the Redis replay guard and rate-limit store keep a reference, so it must outlive them.
class redis_client {
 public:
  /// Connects to `redis://[:password@]host[:port][/db]` and checks that the server answers.
  /// Errors: invalid_argument (URL), storage_error (cannot connect).
  [[nodiscard]] static result<redis_client> connect(std::string_view url, redis_options options = {});

  /// Move-only: a moved-from client may only be destroyed or assigned to.
  redis_client(redis_client&& other) noexcept;
  /// Move-only.
  redis_client& operator=(redis_client&& other) noexcept;
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;
  /// Closes the connections.
  ~redis_client();

  /// The prefix every key gets.
  [[nodiscard]] const std::string& key_prefix() const noexcept;

 private:
  explicit redis_client(std::unique_ptr<detail::redis_pool> pool);
  std::unique_ptr<detail::redis_pool> pool_;
  friend struct detail::redis_access;
};

}  // namespace bankflow
