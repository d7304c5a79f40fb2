// Job events over Redis pub/sub: one channel per job (`<prefix>jobs:events:<id>`), published
// through the shared pool and received on the bus's own subscriber connection, which subscribes
// to a job's channel while this process has at least one subscription to it.

#include <bankflow/jobs.hpp>
#include <bankflow/redis.hpp>

#include "jobs/events_common.hpp"
#include "store/redis.hpp"

#include <shared_mutex>

namespace bankflow {
namespace {

struct redis_bus_core {
  detail::subscriber_registry registry;
  std::string channel_prefix;
  std::unique_ptr<detail::redis_subscriber> subscriber;  // reset first when the bus goes
  // Shared by (un)subscribing threads, exclusive while the bus takes the subscriber away.
  std::shared_mutex subscriber_mutex;
  std::chrono::milliseconds timeout{2000};

  std::string channel(std::string_view job_id) const { return channel_prefix + std::string(job_id); }
};

class redis_subscription final : public job_subscription {
 public:
  redis_subscription(std::shared_ptr<redis_bus_core> core, std::string job_id,
                     std::shared_ptr<detail::subscriber_slot> slot)
      : core_(std::move(core)), job_id_(std::move(job_id)), slot_(std::move(slot)) {}
  ~redis_subscription() override {
    slot_->cancel();
    if (!core_->registry.remove(job_id_, slot_.get())) return;
    std::shared_lock lock(core_->subscriber_mutex);
    if (core_->subscriber) core_->subscriber->unsubscribe(core_->channel(job_id_));
  }

 private:
  std::shared_ptr<redis_bus_core> core_;
  std::string job_id_;
  std::shared_ptr<detail::subscriber_slot> slot_;
};

class redis_job_events final : public job_events {
 public:
  redis_job_events(detail::redis_pool& pool) : pool_(&pool), core_(std::make_shared<redis_bus_core>()) {
    core_->channel_prefix = pool.key("jobs:events:");
    core_->timeout = pool.options().timeout;
    std::weak_ptr<redis_bus_core> weak = core_;
    const std::size_t prefix_size = core_->channel_prefix.size();
    core_->subscriber = std::make_unique<detail::redis_subscriber>(
        pool.endpoint(), pool.options(), "bankflow-jobs-events:" + pool.prefix(),
        [weak, prefix_size](const std::string& channel, const std::string& payload) {
          if (auto core = weak.lock(); core && channel.size() > prefix_size)
            core->registry.deliver(channel.substr(prefix_size), payload);
        });
  }

  ~redis_job_events() override {
    std::unique_ptr<detail::redis_subscriber> gone;
    {
      std::lock_guard lock(core_->subscriber_mutex);
      gone = std::move(core_->subscriber);
    }
    gone.reset();  // joins the thread: no callback runs after this
  }

  result<void> publish(const job& j) override {
    const std::string channel = core_->channel(j.id);
    const std::string json = to_json(j);
    auto r = pool_->command({"PUBLISH", channel, json});
    if (!r) return r.error();
    if (r->type == detail::redis_reply::kind::error) return make_error(errc::storage_error, "Redis PUBLISH: " + r->str);
    return {};
  }

  result<std::unique_ptr<job_subscription>> subscribe(
      std::string_view job_id, std::function<void(const std::string& json)> on_change) override {
    auto slot = std::make_shared<detail::subscriber_slot>();
    slot->on_change = std::move(on_change);
    std::string id(job_id);
    auto sub = std::make_unique<redis_subscription>(core_, id, slot);
    core_->registry.add(id, slot);
    // Every subscription waits for the confirmation (a second one of the same job may arrive
    // while the first SUBSCRIBE is still in flight); subscribing again is harmless in Redis.
    bool confirmed = false;
    {
      std::shared_lock lock(core_->subscriber_mutex);
      if (core_->subscriber) confirmed = core_->subscriber->subscribe(core_->channel(id), core_->timeout);
    }
    if (!confirmed)
      return make_error(errc::storage_error, "Redis did not confirm the subscription to job " + id +
                                                 " within " + std::to_string(core_->timeout.count()) + " ms");
    return std::unique_ptr<job_subscription>(std::move(sub));
  }

 private:
  detail::redis_pool* pool_;
  std::shared_ptr<redis_bus_core> core_;
};

}  // namespace

result<std::unique_ptr<job_events>> make_redis_job_events(redis_client& redis) {
  auto& pool = detail::redis_access::pool(redis);
  auto pong = pool.command({"PING"});
  if (!pong) return pong.error();
  return std::unique_ptr<job_events>(std::make_unique<redis_job_events>(pool));
}

}  // namespace bankflow
