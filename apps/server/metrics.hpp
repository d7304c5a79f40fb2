#pragma once
// Prometheus counters and histograms kept in fixed arrays of atomics: recording a request is a
// few relaxed increments, never a lock.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::server {

/// A histogram with fixed upper bounds (seconds).
class histogram {
 public:
  explicit histogram(std::span<const double> bounds);
  void observe(std::chrono::nanoseconds d) noexcept;
  /// Appends `name_bucket{labels,le=…}`, `name_sum{labels}`, `name_count{labels}` lines.
  void write(std::string& out, std::string_view name, std::string_view labels) const;
  [[nodiscard]] std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<std::uint64_t> sum_ns_{0};
  std::atomic<std::uint64_t> count_{0};
};

/// Request counters by route × method × status and latency by route.
class http_metrics {
 public:
  /// `routes` are the route labels (patterns); a request matching none is counted as "unmatched".
  explicit http_metrics(std::vector<std::string> routes);

  /// The index of "unmatched".
  [[nodiscard]] std::size_t unmatched() const noexcept { return routes_.size() - 1; }

  void record(std::size_t route, std::string_view method, unsigned status,
              std::chrono::nanoseconds duration) noexcept;

  /// bankflow_http_requests_total and bankflow_http_request_duration_seconds.
  void write(std::string& out) const;

 private:
  static constexpr std::size_t methods = 4;  // GET, POST, HEAD, other
  static constexpr std::size_t statuses = 500;  // 100..599
  std::vector<std::string> routes_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::vector<std::unique_ptr<histogram>> latency_;
};

/// Upper bounds of the request latency histogram (seconds).
[[nodiscard]] std::span<const double> request_latency_bounds() noexcept;
/// Upper bounds of the parse time histogram (seconds).
[[nodiscard]] std::span<const double> parse_time_bounds() noexcept;

}  // namespace bankflow::server
