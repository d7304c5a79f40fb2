#pragma once
// Internal: the subscriptions of a job_events bus and their safe delivery, shared by the memory
// and Redis buses.

#include <bankflow/jobs.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bankflow::detail {

/// One subscriber's callback. Delivery holds `mutex` while the callback runs, so once `cancel`
/// returns the callback is not running and never runs again.
struct subscriber_slot {
  std::mutex mutex;
  bool active = true;
  std::atomic<std::thread::id> running{};  // the thread inside the callback, if any
  std::function<void(const std::string&)> on_change;

  void cancel() {
    if (running.load() == std::this_thread::get_id()) {  // dropped from inside its own callback
      active = false;
      return;
    }
    std::lock_guard lock(mutex);
    active = false;
  }

  void deliver(const std::string& json) {
    std::lock_guard lock(mutex);
    if (!active) return;
    running.store(std::this_thread::get_id());
    try {
      on_change(json);
    } catch (...) {  // a throwing callback must not take the bus's thread down
    }
    running.store(std::thread::id{});
  }
};

/// Subscriptions by job id.
class subscriber_registry {
 public:
  /// Adds a slot; true when it is the first one of this job id.
  bool add(const std::string& job_id, const std::shared_ptr<subscriber_slot>& slot) {
    std::lock_guard lock(mutex_);
    auto& list = by_job_[job_id];
    list.push_back(slot);
    return list.size() == 1;
  }

  /// Removes a slot; true when it was the last one of this job id.
  bool remove(const std::string& job_id, const subscriber_slot* slot) {
    std::lock_guard lock(mutex_);
    const auto it = by_job_.find(job_id);
    if (it == by_job_.end()) return false;
    std::erase_if(it->second, [&](const auto& s) { return s.get() == slot; });
    if (!it->second.empty()) return false;
    by_job_.erase(it);
    return true;
  }

  /// Calls every live subscriber of the job (outside the registry's lock).
  void deliver(const std::string& job_id, const std::string& json) {
    std::vector<std::shared_ptr<subscriber_slot>> slots;
    {
      std::lock_guard lock(mutex_);
      const auto it = by_job_.find(job_id);
      if (it == by_job_.end()) return;
      slots = it->second;
    }
    for (const auto& s : slots) s->deliver(json);
  }

  [[nodiscard]] std::vector<std::string> job_ids() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> ids;
    for (const auto& [id, list] : by_job_) ids.push_back(id);
    return ids;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::shared_ptr<subscriber_slot>>> by_job_;
};

}  // namespace bankflow::detail
