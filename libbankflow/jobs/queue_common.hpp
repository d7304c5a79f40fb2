#pragma once
// Internal: what the memory and Redis job queues share.

#include <bankflow/jobs.hpp>

#include <algorithm>
#include <chrono>

namespace bankflow::detail {

/// The delay before retry number `attempt` (1-based): backoff * 2^(attempt-1), at most max_backoff.
[[nodiscard]] inline std::chrono::milliseconds retry_delay(const queue_options& o, int attempt) {
  const int shift = std::clamp(attempt - 1, 0, 30);
  const long long base = std::max<long long>(o.backoff.count(), 0);
  const long long cap = std::max<long long>(o.max_backoff.count(), 0);
  const long long delay = base > (cap >> shift) ? cap : base << shift;
  return std::chrono::milliseconds(std::min(delay, cap));
}

/// A fresh lease receipt (128 random bits, hex).
[[nodiscard]] std::string new_receipt();

/// The reason recorded when an item's last lease ran out without an ack.
[[nodiscard]] std::string lease_expired_reason(int attempts);

/// not_found for a job id that is not among a queue's dead letters.
[[nodiscard]] error not_a_dead_letter(std::string_view job_id);

}  // namespace bankflow::detail
