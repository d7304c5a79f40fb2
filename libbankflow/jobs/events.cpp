// In-process job events: publishes go through one dispatcher thread, so a slow subscriber never
// holds up the worker that published.

#include <bankflow/jobs.hpp>

#include "jobs/events_common.hpp"

#include <condition_variable>
#include <deque>

namespace bankflow {
namespace {

// Shared by the bus and its subscriptions, so a subscription may outlive the bus.
struct memory_bus_core {
  detail::subscriber_registry registry;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::pair<std::string, std::string>> pending;  // job id, json
  bool stopping = false;
  std::thread thread;

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      wake.wait(lock, [&] { return stopping || !pending.empty(); });
      if (pending.empty()) return;  // stopping, nothing left
      auto [id, json] = std::move(pending.front());
      pending.pop_front();
      lock.unlock();
      registry.deliver(id, json);
      lock.lock();
    }
  }
};

class memory_subscription final : public job_subscription {
 public:
  memory_subscription(std::shared_ptr<memory_bus_core> core, std::string job_id,
                      std::shared_ptr<detail::subscriber_slot> slot)
      : core_(std::move(core)), job_id_(std::move(job_id)), slot_(std::move(slot)) {}
  ~memory_subscription() override {
    slot_->cancel();
    core_->registry.remove(job_id_, slot_.get());
  }

 private:
  std::shared_ptr<memory_bus_core> core_;
  std::string job_id_;
  std::shared_ptr<detail::subscriber_slot> slot_;
};

class memory_job_events final : public job_events {
 public:
  memory_job_events() : core_(std::make_shared<memory_bus_core>()) {
    core_->thread = std::thread([c = core_.get()] { c->run(); });
  }
  ~memory_job_events() override {
    {
      std::lock_guard lock(core_->mutex);
      core_->stopping = true;
    }
    core_->wake.notify_all();
    core_->thread.join();
  }

  result<void> publish(const job& j) override {
    {
      std::lock_guard lock(core_->mutex);
      core_->pending.emplace_back(j.id, to_json(j));
    }
    core_->wake.notify_one();
    return {};
  }

  result<std::unique_ptr<job_subscription>> subscribe(
      std::string_view job_id, std::function<void(const std::string& json)> on_change) override {
    auto slot = std::make_shared<detail::subscriber_slot>();
    slot->on_change = std::move(on_change);
    std::string id(job_id);
    core_->registry.add(id, slot);
    return std::unique_ptr<job_subscription>(
        std::make_unique<memory_subscription>(core_, std::move(id), std::move(slot)));
  }

 private:
  std::shared_ptr<memory_bus_core> core_;
};

}  // namespace

result<std::unique_ptr<job_events>> make_memory_job_events() {
  return std::unique_ptr<job_events>(std::make_unique<memory_job_events>());
}

}  // namespace bankflow
