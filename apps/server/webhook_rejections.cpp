#include "webhook_rejections.hpp"

#include "log.hpp"

namespace bankflow::server {

void webhook_rejections::record(std::string_view provider, const error& why) noexcept {
  std::size_t slot = codes_.size();
  for (std::size_t i = 0; i < codes_.size(); ++i)
    if (codes_[i] == why.code) slot = i;
  counts_[slot].fetch_add(1, std::memory_order_relaxed);
  try {
    std::uint64_t suppressed = 0;
    {
      std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      if (now - window_start_ >= std::chrono::minutes(1)) {
        window_start_ = now;
        logged_in_window_ = 0;
      }
      if (logged_in_window_ >= per_minute_) {
        ++suppressed_;
        return;
      }
      ++logged_in_window_;
      suppressed = suppressed_;
      suppressed_ = 0;
    }
    log_line("warn", "webhook refused",
             {{"provider", provider}, {"code", to_string(why.code)}, {"error", std::string_view(why.message)},
              {"suppressed_before", static_cast<long long>(suppressed)}});
  } catch (...) {  // logging is best effort; the count is kept
  }
}

void webhook_rejections::write(std::string& out) const {
  out += "# HELP bankflow_webhook_rejected_total Webhook deliveries refused by verification (not stored).\n"
         "# TYPE bankflow_webhook_rejected_total counter\n";
  for (std::size_t i = 0; i <= codes_.size(); ++i) {
    out += "bankflow_webhook_rejected_total{reason=\"";
    out += i < codes_.size() ? to_string(codes_[i]) : std::string_view("other");
    out += "\"} " + std::to_string(counts_[i].load(std::memory_order_relaxed)) + "\n";
  }
}

std::uint64_t webhook_rejections::total() const noexcept {
  std::uint64_t n = 0;
  for (const auto& c : counts_) n += c.load(std::memory_order_relaxed);
  return n;
}

}  // namespace bankflow::server
