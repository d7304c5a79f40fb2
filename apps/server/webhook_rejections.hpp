#pragma once
// Webhook deliveries refused by verification (bad or missing signature, stale or future
// timestamp): anyone can send them, so they leave no row in the database. They are counted for
// /metrics and logged at a bounded rate instead.

#include <bankflow/error.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace bankflow::server {

class webhook_rejections {
 public:
  /// At most `lines_per_minute` log lines a minute; the next line says how many were left out.
  explicit webhook_rejections(std::uint32_t lines_per_minute = 10) : per_minute_(lines_per_minute) {}

  /// Counts one refused delivery and logs it unless this minute's lines are used up.
  void record(std::string_view provider, const error& why) noexcept;

  /// bankflow_webhook_rejected_total{reason="…"} for every verification code.
  void write(std::string& out) const;

  [[nodiscard]] std::uint64_t total() const noexcept;

 private:
  static constexpr std::array<errc, 6> codes_ = {errc::missing_header,    errc::malformed_header,
                                                 errc::bad_timestamp,     errc::timestamp_too_old,
                                                 errc::timestamp_in_future, errc::no_matching_signature};
  std::array<std::atomic<std::uint64_t>, codes_.size() + 1> counts_{};  // the last: any other code
  std::uint32_t per_minute_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_start_{};
  std::uint32_t logged_in_window_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace bankflow::server
