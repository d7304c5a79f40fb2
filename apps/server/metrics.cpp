#include "metrics.hpp"

#include <cstdio>

namespace bankflow::server {

namespace {

constexpr double latency_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,    0.25,  0.5,    1,     2.5,  5,     10};
constexpr double parse_bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
constexpr std::string_view method_names[] = {"GET", "POST", "HEAD", "OTHER"};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::span<const double> request_latency_bounds() noexcept { return latency_bounds; }
std::span<const double> parse_time_bounds() noexcept { return parse_bounds; }

histogram::histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void histogram::observe(std::chrono::nanoseconds d) noexcept {
  const double seconds = static_cast<double>(d.count()) / 1e9;
  std::size_t i = 0;
  while (i < bounds_.size() && seconds > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(d.count() > 0 ? d.count() : 0), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void histogram::write(std::string& out, std::string_view name, std::string_view labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += std::string(name) + "_bucket{" + std::string(labels) + sep + "le=\"" +
           (i < bounds_.size() ? number(bounds_[i]) : std::string("+Inf")) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  const std::string braces = labels.empty() ? "" : "{" + std::string(labels) + "}";
  char sum[48];
  std::snprintf(sum, sizeof sum, "%.6f",
                static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  out += std::string(name) + "_sum" + braces + " " + sum + "\n";
  out += std::string(name) + "_count" + braces + " " + std::to_string(count_.load(std::memory_order_relaxed)) + "\n";
}

http_metrics::http_metrics(std::vector<std::string> routes) : routes_(std::move(routes)) {
  routes_.push_back("unmatched");
  counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(routes_.size() * methods * statuses);
  for (std::size_t i = 0; i < routes_.size(); ++i)
    latency_.push_back(std::make_unique<histogram>(request_latency_bounds()));
}

void http_metrics::record(std::size_t route, std::string_view method, unsigned status,
                          std::chrono::nanoseconds duration) noexcept {
  if (route >= routes_.size()) route = unmatched();
  std::size_t m = 3;
  for (std::size_t i = 0; i < 3; ++i)
    if (method == method_names[i]) m = i;
  const std::size_t s = status >= 100 && status < 600 ? status - 100 : 500 - 100;
  counts_[(route * methods + m) * statuses + s].fetch_add(1, std::memory_order_relaxed);
  latency_[route]->observe(duration);
}

void http_metrics::write(std::string& out) const {
  out += "# HELP bankflow_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE bankflow_http_requests_total counter\n";
  for (std::size_t r = 0; r < routes_.size(); ++r)
    for (std::size_t m = 0; m < methods; ++m)
      for (std::size_t s = 0; s < statuses; ++s) {
        const auto n = counts_[(r * methods + m) * statuses + s].load(std::memory_order_relaxed);
        if (n == 0) continue;
        out += "bankflow_http_requests_total{route=\"" + routes_[r] + "\",method=\"" +
               std::string(method_names[m]) + "\",status=\"" + std::to_string(s + 100) + "\"} " +
               std::to_string(n) + "\n";
      }
  out += "# HELP bankflow_http_request_duration_seconds Time from the request header to the end of the response.\n";
  out += "# TYPE bankflow_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    if (latency_[r]->count() == 0) continue;
    latency_[r]->write(out, "bankflow_http_request_duration_seconds", "route=\"" + routes_[r] + "\"");
  }
}

}  // namespace bankflow::server
