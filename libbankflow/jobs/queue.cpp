// The in-process job queue: the Redis queue's semantics (leases against the injected clock,
// exponential backoff, dead letters) over a mutex, so one test suite covers both. It keeps
// nothing across restarts, so it starts from the job store's unfinished jobs.

#include <bankflow/jobs.hpp>
#include <bankflow/session.hpp>

#include "crypto/crypto.hpp"
#include "jobs/queue_common.hpp"

#include <array>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

namespace bankflow {
namespace detail {

std::string new_receipt() { return random_hex(16); }

std::string lease_expired_reason(int attempts) {
  return "the lease of attempt " + std::to_string(attempts) + " ran out without an ack (worker died?)";
}

error not_a_dead_letter(std::string_view job_id) { return not_found_error("dead letter", job_id); }

}  // namespace detail

result<std::vector<dead_letter>> job_queue::list_dead_letters() {
  auto dead = dead_letters();
  if (!dead) return dead.error();
  std::vector<dead_letter> out;
  out.reserve(dead->size());
  for (auto& [id, reason] : *dead) out.push_back({std::move(id), std::move(reason), timestamp{}});
  return out;
}

result<void> job_queue::requeue_dead_letter(std::string_view) {
  return make_error(errc::invalid_argument, "this job queue cannot requeue dead letters");
}

result<void> job_queue::discard_dead_letter(std::string_view) {
  return make_error(errc::invalid_argument, "this job queue cannot discard dead letters");
}

namespace {

using time_point = std::chrono::system_clock::time_point;

class memory_job_queue final : public job_queue {
 public:
  explicit memory_job_queue(queue_options o) : o_(std::move(o)) {
    if (!o_.clock) o_.clock = system_clock();
    if (o_.max_attempts < 1) o_.max_attempts = 1;
  }

  result<void> push(std::string_view job_id) override {
    {
      std::lock_guard lock(mutex_);
      ready_.emplace_back(job_id);
      attempts_.try_emplace(std::string(job_id), 0);
    }
    arrived_.notify_one();
    return {};
  }

  result<std::optional<queue_item>> take(std::chrono::milliseconds wait) override {
    const auto give_up = std::chrono::steady_clock::now() + wait;
    std::unique_lock lock(mutex_);
    for (;;) {
      const time_point now = o_.clock();
      promote(now);
      if (!ready_.empty()) {
        queue_item item;
        item.job_id = std::move(ready_.front());
        ready_.pop_front();
        item.attempt = ++attempts_[item.job_id];
        item.receipt = detail::new_receipt();
        leases_[item.job_id] = {now + o_.lease, item.receipt};
        by_deadline_.emplace(now + o_.lease, item.job_id);
        return std::optional<queue_item>(std::move(item));
      }
      const auto steady_now = std::chrono::steady_clock::now();
      if (steady_now >= give_up) return std::optional<queue_item>();
      // The clock may be a test's fake one: wait in short slices and look again, and at once
      // when something is pushed.
      const auto slice = std::min<std::chrono::steady_clock::duration>(give_up - steady_now,
                                                                      std::chrono::milliseconds(10));
      arrived_.wait_for(lock, slice);
    }
  }

  result<void> ack(const queue_item& item) override {
    std::lock_guard lock(mutex_);
    if (holds(item)) {
      drop_lease(item.job_id);
      attempts_.erase(item.job_id);
    }
    return {};
  }

  result<bool> retry(const queue_item& item, std::string_view reason) override {
    std::unique_lock lock(mutex_);
    // A stale receipt: the lease ran out and the item is back in circulation already.
    if (!holds(item)) return true;
    drop_lease(item.job_id);
    const int attempts = attempts_[item.job_id];
    if (attempts >= o_.max_attempts) {
      bury(item.job_id, std::string(reason), o_.clock());
      return false;
    }
    delayed_.emplace(o_.clock() + detail::retry_delay(o_, attempts), item.job_id);
    lock.unlock();
    arrived_.notify_one();
    return true;
  }

  result<std::size_t> depth() override {
    std::lock_guard lock(mutex_);
    promote(o_.clock());
    return ready_.size() + delayed_.size();
  }

  result<std::vector<std::pair<std::string, std::string>>> dead_letters() override {
    std::lock_guard lock(mutex_);
    promote(o_.clock());
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(dead_.size());
    for (const dead_letter& d : dead_) out.emplace_back(d.job_id, d.reason);
    return out;
  }

  result<std::vector<dead_letter>> list_dead_letters() override {
    std::lock_guard lock(mutex_);
    promote(o_.clock());
    return dead_;
  }

  result<void> requeue_dead_letter(std::string_view job_id) override {
    {
      std::lock_guard lock(mutex_);
      promote(o_.clock());
      if (!unbury(job_id)) return detail::not_a_dead_letter(job_id);
      attempts_[std::string(job_id)] = 0;
      ready_.emplace_back(job_id);
    }
    arrived_.notify_one();
    return {};
  }

  result<void> discard_dead_letter(std::string_view job_id) override {
    std::lock_guard lock(mutex_);
    promote(o_.clock());
    if (!unbury(job_id)) return detail::not_a_dead_letter(job_id);
    return {};
  }

  // What a previous process left: pending jobs wait in line, processing ones are held under a
  // lease no worker has the receipt of, running out `lease` after their last change.
  void adopt(const std::vector<job>& unfinished) {
    std::lock_guard lock(mutex_);
    for (const job& j : unfinished) {
      if (!attempts_.try_emplace(j.id, j.attempts).second) continue;
      if (j.status == job_status::pending) {
        ready_.push_back(j.id);
        continue;
      }
      const time_point deadline = time_point(j.updated_at) + o_.lease;
      leases_[j.id] = {deadline, detail::new_receipt()};
      by_deadline_.emplace(deadline, j.id);
    }
  }

 private:
  struct lease {
    time_point deadline;
    std::string receipt;
  };

  void bury(const std::string& id, std::string reason, time_point now) {
    dead_.push_back({id, std::move(reason), std::chrono::time_point_cast<std::chrono::milliseconds>(now)});
    attempts_.erase(id);
  }

  // Removes every dead letter of the job; false when it had none.
  bool unbury(std::string_view id) {
    return std::erase_if(dead_, [&](const dead_letter& d) { return d.job_id == id; }) > 0;
  }

  bool holds(const queue_item& item) const {
    const auto it = leases_.find(item.job_id);
    return it != leases_.end() && it->second.receipt == item.receipt;
  }

  void drop_lease(const std::string& id) {
    const auto it = leases_.find(id);
    if (it == leases_.end()) return;
    by_deadline_.erase({it->second.deadline, id});
    leases_.erase(it);
  }

  // Expired leases go back to the front of the line (or to the dead letters when they had their
  // last attempt); delayed items whose time has come go to the back.
  void promote(time_point now) {
    while (!by_deadline_.empty() && by_deadline_.begin()->first <= now) {
      const std::string id = by_deadline_.begin()->second;
      drop_lease(id);
      const int attempts = attempts_[id];
      if (attempts >= o_.max_attempts) {
        bury(id, detail::lease_expired_reason(attempts), now);
      } else {
        ready_.push_front(id);
      }
    }
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      ready_.push_back(delayed_.begin()->second);
      delayed_.erase(delayed_.begin());
    }
  }

  queue_options o_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::string> ready_;
  std::unordered_map<std::string, lease> leases_;
  std::set<std::pair<time_point, std::string>> by_deadline_;
  std::set<std::pair<time_point, std::string>> delayed_;
  std::unordered_map<std::string, int> attempts_;
  std::vector<dead_letter> dead_;
};

}  // namespace

result<std::unique_ptr<job_queue>> make_memory_job_queue(queue_options options) {
  return std::unique_ptr<job_queue>(std::make_unique<memory_job_queue>(std::move(options)));
}

result<std::unique_ptr<job_queue>> make_memory_job_queue(job_store& jobs, queue_options options) {
  auto unfinished = jobs.unfinished();
  if (!unfinished) return unfinished.error();
  auto q = std::make_unique<memory_job_queue>(std::move(options));
  q->adopt(*unfinished);
  return std::unique_ptr<job_queue>(std::move(q));
}

}  // namespace bankflow
