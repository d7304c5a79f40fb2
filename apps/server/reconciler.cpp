#include "reconciler.hpp"

#include "log.hpp"

namespace bankflow::server {

wallet_reconciler::wallet_reconciler(app& a) : app_(a), thread_([this] { loop(); }) {}

wallet_reconciler::~wallet_reconciler() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void wallet_reconciler::loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    reconcile_options o;
    o.older_than = app_.config.reconcile_after;
    auto r = app_.wallet->reconcile(o);
    if (!r) {
      log_line("warn", "wallet reconciliation failed", {{"error", r.error().to_string()}});
    } else if (r->checked > 0 || r->expired > 0) {
      log_line(r->flagged > 0 || r->errors > 0 ? "warn" : "info", "wallet reconciliation",
               {{"checked", static_cast<long long>(r->checked)},
                {"posted", static_cast<long long>(r->posted)},
                {"voided", static_cast<long long>(r->voided)},
                {"settled_already", static_cast<long long>(r->settled_already)},
                {"pending", static_cast<long long>(r->pending)},
                {"flagged", static_cast<long long>(r->flagged)},
                {"errors", static_cast<long long>(r->errors)},
                {"expired", static_cast<long long>(r->expired)}});
    }
    // The simulated provider's delivered events are kept 30 days (what reconciliation could ask about).
    if (auto* sim = dynamic_cast<simulated_provider*>(app_.provider.get()))
      if (auto purged = sim->purge_delivered(std::chrono::hours(24 * 30)); !purged)
        log_line("warn", "provider outbox purge failed", {{"error", purged.error().to_string()}});
    lock.lock();
    wake_.wait_for(lock, app_.config.reconcile_interval, [this] { return stop_; });
  }
}

}  // namespace bankflow::server
