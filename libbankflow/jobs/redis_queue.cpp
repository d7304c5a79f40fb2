// The Redis reliable job queue. Keys under `<prefix>jobs:`: `ready` (list), `leased` (sorted
// set, score = lease deadline in ms), `delayed` (sorted set, score = when a retry is due),
// `attempts` and `receipts` (hashes by job id), `dead` (list of "id\nreason") and `dead_at` (hash:
// job id → when it died, ms). Every operation is one Lua script, so any number of processes can
// share the queue.

#include <bankflow/jobs.hpp>
#include <bankflow/redis.hpp>

#include "jobs/queue_common.hpp"
#include "store/db.hpp"
#include "store/redis.hpp"

#include <cstdlib>
#include <thread>

namespace bankflow {
namespace {

using kind = detail::redis_reply::kind;

// Keys: 1 ready, 2 leased, 3 delayed, 4 attempts, 5 receipts, 6 dead, 7 dead_at. ARGV[1] = now
// (ms), ARGV[2] = max attempts. Expired leases go back to the front of the line (or to the dead
// letters after their last attempt); due retries go to the back. The dead letters keep the
// newest 10000.
constexpr std::string_view promote_lua = R"lua(
local ready, leased, delayed, attempts, receipts, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local dead_at = KEYS[7]
local now, max_attempts = tonumber(ARGV[1]), tonumber(ARGV[2])
local function id_of(entry) return string.match(entry, '^[^\n]*') end
local function bury(id, reason)
  redis.call('RPUSH', dead, id .. '\n' .. reason)
  redis.call('HSET', dead_at, id, now)
  redis.call('HDEL', attempts, id)
  while redis.call('LLEN', dead) > 10000 do
    redis.call('HDEL', dead_at, id_of(redis.call('LPOP', dead)))
  end
end
-- Removes every dead letter of the job; true when it had one.
local function unbury(id)
  local found = false
  for _, entry in ipairs(redis.call('LRANGE', dead, 0, -1)) do
    if id_of(entry) == id then
      redis.call('LREM', dead, 0, entry)
      found = true
    end
  end
  if found then redis.call('HDEL', dead_at, id) end
  return found
end
local function promote()
  local expired = redis.call('ZRANGEBYSCORE', leased, '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(expired) do
    redis.call('ZREM', leased, id)
    redis.call('HDEL', receipts, id)
    local n = tonumber(redis.call('HGET', attempts, id) or '0')
    if n >= max_attempts then
      bury(id, 'the lease of attempt ' .. n .. ' ran out without an ack (worker died?)')
    else
      redis.call('LPUSH', ready, id)
    end
  end
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed, id)
    redis.call('RPUSH', ready, id)
  end
end
)lua";

// ARGV[3] = lease (ms), ARGV[4] = receipt. Returns {id, attempt} or nil.
constexpr std::string_view take_lua = R"lua(
promote()
local id = redis.call('LPOP', ready)
if not id then return false end
local n = redis.call('HINCRBY', attempts, id, 1)
redis.call('HSET', receipts, id, ARGV[4])
redis.call('ZADD', leased, now + tonumber(ARGV[3]), id)
return {id, n}
)lua";

// ARGV[3] = job id, ARGV[4] = receipt. Only the current lease holder's ack counts.
constexpr std::string_view ack_lua = R"lua(
if redis.call('HGET', receipts, ARGV[3]) ~= ARGV[4] then return 0 end
redis.call('ZREM', leased, ARGV[3])
redis.call('HDEL', receipts, ARGV[3])
redis.call('HDEL', attempts, ARGV[3])
return 1
)lua";

// ARGV[3] = job id, ARGV[4] = receipt, ARGV[5] = reason, ARGV[6] = backoff, ARGV[7] = max
// backoff (ms). 1: retried later (or a stale receipt: the item is back in circulation already);
// 0: dead-lettered.
constexpr std::string_view retry_lua = R"lua(
local id = ARGV[3]
if redis.call('HGET', receipts, id) ~= ARGV[4] then return 1 end
redis.call('ZREM', leased, id)
redis.call('HDEL', receipts, id)
local n = tonumber(redis.call('HGET', attempts, id) or '0')
if n >= max_attempts then
  bury(id, ARGV[5])
  return 0
end
local delay, cap = tonumber(ARGV[6]), tonumber(ARGV[7])
for _ = 2, n do
  delay = delay * 2
  if delay >= cap then break end
end
if delay > cap then delay = cap end
redis.call('ZADD', delayed, now + delay, id)
return 1
)lua";

// ARGV[3] = job id.
constexpr std::string_view push_lua = R"lua(
redis.call('HSETNX', attempts, ARGV[3], 0)
redis.call('RPUSH', ready, ARGV[3])
return 1
)lua";

constexpr std::string_view depth_lua = R"lua(
promote()
return redis.call('LLEN', ready) + redis.call('ZCARD', delayed)
)lua";

constexpr std::string_view dead_lua = R"lua(
promote()
return redis.call('LRANGE', dead, 0, -1)
)lua";

// Returns {entries, times}: the dead letters and when each died (ms, '0' when unknown).
constexpr std::string_view dead_at_lua = R"lua(
promote()
local entries = redis.call('LRANGE', dead, 0, -1)
local times = {}
for i, entry in ipairs(entries) do times[i] = redis.call('HGET', dead_at, id_of(entry)) or '0' end
return {entries, times}
)lua";

// ARGV[3] = job id, ARGV[4] = "requeue" (back in the line with a fresh count) or "discard".
// 1: done; 0: not a dead letter.
constexpr std::string_view change_dead_lua = R"lua(
promote()
if not unbury(ARGV[3]) then return 0 end
if ARGV[4] == 'requeue' then
  redis.call('HSET', attempts, ARGV[3], 0)
  redis.call('RPUSH', ready, ARGV[3])
end
return 1
)lua";

std::string script(std::string_view body) {
  std::string s(promote_lua);
  s += body;
  return s;
}

class redis_job_queue final : public job_queue {
 public:
  redis_job_queue(detail::redis_pool& pool, queue_options o) : pool_(&pool), o_(std::move(o)) {
    if (!o_.clock) o_.clock = system_clock();
    if (o_.max_attempts < 1) o_.max_attempts = 1;
    for (const char* name : {"ready", "leased", "delayed", "attempts", "receipts", "dead", "dead_at"})
      keys_.push_back(pool.key(std::string("jobs:") + name));
  }

  result<void> push(std::string_view job_id) override {
    auto r = eval(push_script_, {job_id});
    if (!r) return r.error();
    return {};
  }

  result<std::optional<queue_item>> take(std::chrono::milliseconds wait) override {
    const auto give_up = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const std::string receipt = detail::new_receipt();
      const std::string lease = std::to_string(o_.lease.count());
      auto r = eval(take_script_, {lease, receipt});
      if (!r) return r.error();
      if (r->type == kind::array && r->elements.size() == 2) {
        queue_item item;
        item.job_id = r->elements[0].str;
        item.attempt = static_cast<int>(r->elements[1].integer);
        item.receipt = receipt;
        return std::optional<queue_item>(std::move(item));
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= give_up) return std::optional<queue_item>();
      // Polling keeps every state in Redis (nothing a dead process could take with it).
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(give_up - now, poll_interval));
    }
  }

  result<void> ack(const queue_item& item) override {
    auto r = eval(ack_script_, {item.job_id, item.receipt});
    if (!r) return r.error();
    return {};
  }

  result<bool> retry(const queue_item& item, std::string_view reason) override {
    const std::string backoff = std::to_string(o_.backoff.count());
    const std::string cap = std::to_string(o_.max_backoff.count());
    auto r = eval(retry_script_, {item.job_id, item.receipt, reason, backoff, cap});
    if (!r) return r.error();
    return r->integer == 1;
  }

  result<std::size_t> depth() override {
    auto r = eval(depth_script_, {});
    if (!r) return r.error();
    return static_cast<std::size_t>(std::max<long long>(r->integer, 0));
  }

  result<std::vector<std::pair<std::string, std::string>>> dead_letters() override {
    auto r = eval(dead_script_, {});
    if (!r) return r.error();
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : r->elements) out.push_back(split_entry(e.str));
    return out;
  }

  result<std::vector<dead_letter>> list_dead_letters() override {
    auto r = eval(dead_at_script_, {});
    if (!r) return r.error();
    if (r->type != kind::array || r->elements.size() != 2)
      return make_error(errc::storage_error, "Redis job queue: unexpected reply listing dead letters");
    const auto& entries = r->elements[0].elements;
    const auto& times = r->elements[1].elements;
    std::vector<dead_letter> out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto [id, reason] = split_entry(entries[i].str);
      const long long ms = i < times.size() ? std::atoll(times[i].str.c_str()) : 0;
      out.push_back({std::move(id), std::move(reason), timestamp(std::chrono::milliseconds(ms))});
    }
    return out;
  }

  result<void> requeue_dead_letter(std::string_view job_id) override {
    return change_dead_letter(job_id, "requeue");
  }

  result<void> discard_dead_letter(std::string_view job_id) override {
    return change_dead_letter(job_id, "discard");
  }

 private:
  static constexpr std::chrono::milliseconds poll_interval{20};

  // A dead-letter entry is "id\nreason".
  static std::pair<std::string, std::string> split_entry(const std::string& entry) {
    const auto nl = entry.find('\n');
    return {entry.substr(0, nl), nl == std::string::npos ? std::string() : entry.substr(nl + 1)};
  }

  result<void> change_dead_letter(std::string_view job_id, std::string_view action) {
    auto r = eval(change_dead_script_, {job_id, action});
    if (!r) return r.error();
    if (r->integer != 1) return detail::not_a_dead_letter(job_id);
    return {};
  }

  result<detail::redis_reply> eval(const std::string& body, std::initializer_list<std::string_view> extra) {
    const std::string now = std::to_string(detail::unix_ms(o_.clock()));
    const std::string max = std::to_string(o_.max_attempts);
    const std::string key_count = std::to_string(keys_.size());
    std::vector<std::string_view> args = {"EVAL", body, key_count};
    for (const auto& k : keys_) args.push_back(k);
    args.push_back(now);
    args.push_back(max);
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = pool_->command(args);
    if (!r) return r.error();
    if (r->type == kind::error) return make_error(errc::storage_error, "Redis job queue: " + r->str);
    return r;
  }

  detail::redis_pool* pool_;
  queue_options o_;
  std::vector<std::string> keys_;
  const std::string push_script_ = script(push_lua);
  const std::string take_script_ = script(take_lua);
  const std::string ack_script_ = script(ack_lua);
  const std::string retry_script_ = script(retry_lua);
  const std::string depth_script_ = script(depth_lua);
  const std::string dead_script_ = script(dead_lua);
  const std::string dead_at_script_ = script(dead_at_lua);
  const std::string change_dead_script_ = script(change_dead_lua);
};

}  // namespace

result<std::unique_ptr<job_queue>> make_redis_job_queue(redis_client& redis, queue_options options) {
  auto& pool = detail::redis_access::pool(redis);
  auto pong = pool.command({"PING"});
  if (!pong) return pong.error();
  return std::unique_ptr<job_queue>(std::make_unique<redis_job_queue>(pool, std::move(options)));
}

}  // namespace bankflow
