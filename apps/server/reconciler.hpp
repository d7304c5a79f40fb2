#pragma once
// The wallet's reconciliation thread: every --reconcile-interval it asks the payment provider
// about operations pending longer than --reconcile-after and settles or flags them, then releases
// expired holds (bankflow::wallet_service::reconcile). It runs in every process that serves the
// wallet (role all or api; a worker opens none), apart from the janitor, which api processes do
// not run. Several processes reconciling at once settle each hold exactly once.

#include "app.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace bankflow::server {

class wallet_reconciler {
 public:
  explicit wallet_reconciler(app& a);  ///< a.wallet must be set; the first pass runs at once
  ~wallet_reconciler();                ///< stops and joins the thread
  wallet_reconciler(const wallet_reconciler&) = delete;
  wallet_reconciler& operator=(const wallet_reconciler&) = delete;

 private:
  void loop();

  app& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bankflow::server
