#pragma once
// The job queue and event backends the job tests run against: memory always, Redis when
// BANKFLOW_TEST_REDIS_URL is set (WARN otherwise), under a fresh key prefix removed at the end.

#include <bankflow/jobs.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bankflow::test {

struct queue_backend {
  std::string name;
  /// A new consumer of the same queue; for Redis each has its own connection pool, as a
  /// separate process would.
  std::function<std::unique_ptr<job_queue>(queue_options)> make;
};

class queue_backends {
 public:
  queue_backends();
  ~queue_backends();
  queue_backends(const queue_backends&) = delete;
  queue_backends& operator=(const queue_backends&) = delete;
  [[nodiscard]] std::vector<queue_backend>& all() { return backends_; }

 private:
  std::vector<queue_backend> backends_;
  std::optional<std::string> redis_url_;
  std::string prefix_;
};

/// Deletes every key under `prefix` (SCAN + DEL).
void delete_redis_keys(const std::string& url, const std::string& prefix);

}  // namespace bankflow::test
