// Rate limits per session and per client address: a sliding-window log per key (at most `limit` allowed hits in any
// window-long interval) kept in memory, in SQL or in a Redis sorted set. Denied requests are not
// recorded, so a client hammering the limit does not lock itself out for longer.

#include <bankflow/database.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/session.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"
#include "store/redis.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <unordered_map>

namespace bankflow {
namespace {

using time_point = std::chrono::system_clock::time_point;

long long window_ms(const rate_limit& limit) { return static_cast<long long>(limit.window.count()) * 1000; }

std::chrono::seconds ceil_seconds(long long ms) { return std::chrono::seconds(std::max<long long>(0, (ms + 999) / 1000)); }

class memory_rate_limit_store final : public rate_limit_store {
 public:
  result<rate_decision> acquire(std::string_view key, time_point now, const rate_limit& limit) override {
    return count(key, now, limit, true);
  }

  result<rate_decision> peek(std::string_view key, time_point now, const rate_limit& limit) override {
    return count(key, now, limit, false);
  }

 private:
  rate_decision count(std::string_view key, time_point now, const rate_limit& limit, bool record) {
    const long long at = detail::unix_ms(now);
    const long long window = window_ms(limit);
    std::lock_guard lock(mutex_);
    if (++since_sweep_ >= 4096) {
      since_sweep_ = 0;
      std::erase_if(buckets_, [at](const auto& kv) {
        return kv.second.hits.empty() || *kv.second.hits.rbegin() <= at - kv.second.window;
      });
    }
    bucket& b = buckets_[std::string(key)];
    b.window = window;
    b.hits.erase(b.hits.begin(), b.hits.upper_bound(at - window));
    rate_decision d;
    if (b.hits.size() < limit.limit) {
      if (record) b.hits.insert(at);
      d.allowed = true;
      d.remaining = limit.limit - static_cast<std::uint32_t>(b.hits.size());
    } else {
      d.retry_after = ceil_seconds(*b.hits.begin() + window - at);
    }
    return d;
  }

  struct bucket {
    std::multiset<long long> hits;  // ms since the epoch
    long long window = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
  std::size_t since_sweep_ = 0;
};

const std::vector<detail::migration>& rate_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_rate_hits ("
        "bucket TEXT NOT NULL, at_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS bankflow_rate_hits_bucket ON bankflow_rate_hits (bucket, at_ms)",
        "CREATE INDEX IF NOT EXISTS bankflow_rate_hits_expires ON bankflow_rate_hits (expires_ms)"}},
  };
  return steps;
}

class sql_rate_limit_store final : public rate_limit_store {
 public:
  explicit sql_rate_limit_store(detail::database_impl& db) : db_(&db) {}

  result<rate_decision> acquire(std::string_view key, time_point now, const rate_limit& limit) override {
    const std::string bucket(key);
    const long long at = detail::unix_ms(now);
    const long long window = window_ms(limit);
    const long long cut = at - window;
    const long long expires = at + window;
    const long long max = limit.limit;
    rate_decision d;
    // Count and insert in one transaction that serializes the writers of this bucket: SQLite's
    // BEGIN IMMEDIATE (one writer per file), PostgreSQL's advisory lock on the bucket name.
    auto ok = detail::with_transaction(*db_, "counting a rate-limited request", bucket, [&](soci::session& sql) {
      d = rate_decision{};
      sql << "DELETE FROM bankflow_rate_hits WHERE bucket = :b AND at_ms <= :c", soci::use(bucket, "b"),
          soci::use(cut, "c");
      long long count = 0;
      long long oldest = 0;
      soci::indicator oldest_ind = soci::i_null;
      sql << "SELECT COUNT(*), MIN(at_ms) FROM bankflow_rate_hits WHERE bucket = :b", soci::use(bucket, "b"),
          soci::into(count), soci::into(oldest, oldest_ind);
      if (count < max) {
        sql << "INSERT INTO bankflow_rate_hits (bucket, at_ms, expires_ms) VALUES (:b, :a, :e)",
            soci::use(bucket, "b"), soci::use(at, "a"), soci::use(expires, "e");
        d.allowed = true;
        d.remaining = static_cast<std::uint32_t>(max - count - 1);
      } else {
        d.retry_after = ceil_seconds((oldest_ind == soci::i_ok ? oldest : at) + window - at);
      }
    });
    if (!ok) return ok.error();
    sweep(at);
    return d;
  }

  result<rate_decision> peek(std::string_view key, time_point now, const rate_limit& limit) override {
    const std::string bucket(key);
    const long long at = detail::unix_ms(now);
    const long long window = window_ms(limit);
    const long long cut = at - window;
    long long count = 0;
    long long oldest = 0;
    soci::indicator oldest_ind = soci::i_null;
    auto ok = detail::with_session(*db_, "reading a rate limit", [&](soci::session& sql) {
      sql << "SELECT COUNT(*), MIN(at_ms) FROM bankflow_rate_hits WHERE bucket = :b AND at_ms > :c",
          soci::use(bucket, "b"), soci::use(cut, "c"), soci::into(count), soci::into(oldest, oldest_ind);
    });
    if (!ok) return ok.error();
    rate_decision d;
    if (count < static_cast<long long>(limit.limit)) {
      d.allowed = true;
      d.remaining = static_cast<std::uint32_t>(limit.limit - count);
    } else {
      d.retry_after = ceil_seconds((oldest_ind == soci::i_ok ? oldest : at) + window - at);
    }
    return d;
  }

 private:
  void sweep(long long at) {
    if (++since_sweep_ % 1024 == 0) {
      (void)detail::with_session(*db_, "sweeping old rate-limit hits", [&](soci::session& sql) {
        sql << "DELETE FROM bankflow_rate_hits WHERE expires_ms <= :n", soci::use(at, "n");
      });
    }
  }

  detail::database_impl* db_;
  std::atomic<unsigned> since_sweep_{0};
};

// Runs atomically inside Redis: trim the window, count, and add this hit when there is room.
constexpr std::string_view sliding_window_script = R"lua(
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
)lua";

// The same count without adding a hit.
constexpr std::string_view sliding_window_peek_script = R"lua(
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local count = redis.call('ZCOUNT', key, '(' .. (now - window), '+inf')
if count < limit then
  return {1, limit - count, 0}
end
local oldest = redis.call('ZRANGEBYSCORE', key, '(' .. (now - window), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return {0, 0, tonumber(oldest[2]) + window - now}
)lua";

class redis_rate_limit_store final : public rate_limit_store {
 public:
  explicit redis_rate_limit_store(detail::redis_pool& pool) : pool_(&pool) {}

  result<rate_decision> acquire(std::string_view key, time_point now, const rate_limit& limit) override {
    return run(sliding_window_script, key, now, limit, true);
  }

  result<rate_decision> peek(std::string_view key, time_point now, const rate_limit& limit) override {
    return run(sliding_window_peek_script, key, now, limit, false);
  }

 private:
  result<rate_decision> run(std::string_view script, std::string_view key, time_point now, const rate_limit& limit,
                            bool record) {
    const std::string k = pool_->key("ratelimit:" + std::string(key));
    const long long at = detail::unix_ms(now);
    const std::string member = std::to_string(at) + ":" + detail::random_hex(8);
    const std::string now_arg = std::to_string(at);
    const std::string window_arg = std::to_string(window_ms(limit));
    const std::string limit_arg = std::to_string(limit.limit);
    auto r = record ? pool_->command({"EVAL", script, "1", k, now_arg, window_arg, limit_arg, member})
                    : pool_->command({"EVAL", script, "1", k, now_arg, window_arg, limit_arg});
    if (!r) return r.error();
    if (r->type == detail::redis_reply::kind::error) return make_error(errc::storage_error, "Redis EVAL: " + r->str);
    if (r->type != detail::redis_reply::kind::array || r->elements.size() != 3)
      return make_error(errc::storage_error, "Redis EVAL: unexpected reply");
    rate_decision d;
    d.allowed = r->elements[0].integer == 1;
    d.remaining = static_cast<std::uint32_t>(std::max<long long>(0, r->elements[1].integer));
    d.retry_after = ceil_seconds(r->elements[2].integer);
    return d;
  }

  detail::redis_pool* pool_;
};

std::string window_text(std::chrono::seconds w) {
  const auto s = w.count();
  if (s % 3600 == 0) return s == 3600 ? "hour" : std::to_string(s / 3600) + " hours";
  if (s % 60 == 0) return s == 60 ? "minute" : std::to_string(s / 60) + " minutes";
  return std::to_string(s) + " seconds";
}

}  // namespace

result<std::unique_ptr<rate_limit_store>> make_memory_rate_limit_store() {
  return std::unique_ptr<rate_limit_store>(std::make_unique<memory_rate_limit_store>());
}

result<std::unique_ptr<rate_limit_store>> make_sql_rate_limit_store(database& db) {
  detail::database_impl& impl = detail::database_access::impl(db);
  if (auto ok = detail::migrate(impl, "rate_limits", rate_migrations()); !ok) return ok.error();
  return std::unique_ptr<rate_limit_store>(std::make_unique<sql_rate_limit_store>(impl));
}

result<std::unique_ptr<rate_limit_store>> make_redis_rate_limit_store(redis_client& redis) {
  return std::unique_ptr<rate_limit_store>(std::make_unique<redis_rate_limit_store>(detail::redis_access::pool(redis)));
}

rate_limiter::rate_limiter(rate_limit_store& store, rate_limiter_options options)
    : store_(&store), clock_(options.clock ? std::move(options.clock) : system_clock()) {
  limits_.emplace("upload", rate_limit{10, std::chrono::hours(1)});
  address_limits_.emplace("upload", rate_limit{60, std::chrono::hours(1)});
  address_limits_.emplace("session", rate_limit{60, std::chrono::hours(1)});
}

void rate_limiter::set_address_limit(std::string_view action, rate_limit limit) {
  address_limits_.insert_or_assign(std::string(action), limit);
}

std::optional<rate_limit> rate_limiter::address_limit_of(std::string_view action) const {
  const auto it = address_limits_.find(action);
  if (it == address_limits_.end()) return std::nullopt;
  return it->second;
}

namespace {

using limit_map = std::map<std::string, rate_limit, std::less<>>;

// Counts (`record`) or peeks at one hit of `action` under `key` (already prefixed) in `store`.
result<rate_decision> count_hit(rate_limit_store& store, time_point now, const limit_map& limits,
                                std::string_view action, std::string key, bool record, std::string_view kind) {
  const auto it = limits.find(action);
  if (it == limits.end())
    return make_error(errc::invalid_argument,
                      "no " + std::string(kind) + "rate limit is set for the action \"" + std::string(action) + "\"");
  if (it->second.window.count() <= 0)
    return make_error(errc::invalid_argument,
                      "the " + std::string(kind) + "rate-limit window of \"" + std::string(action) + "\" is not positive");
  key += ':';
  key += action;
  return record ? store.acquire(key, now, it->second) : store.peek(key, now, it->second);
}

// session ids are hex digits: "address:" keeps the two kinds of counters apart
result<std::string> address_key(std::string_view address) {
  if (address.empty()) return make_error(errc::invalid_argument, "no client address to count a request against");
  return "address:" + std::string(address);
}

}  // namespace

result<rate_decision> rate_limiter::allow_address(std::string_view address, std::string_view action) {
  auto key = address_key(address);
  if (!key) return key.error();
  return count_hit(*store_, clock_(), address_limits_, action, std::move(*key), true, "per-address ");
}

void rate_limiter::set_limit(std::string_view action, rate_limit limit) {
  limits_.insert_or_assign(std::string(action), limit);
}

std::optional<rate_limit> rate_limiter::limit_of(std::string_view action) const {
  const auto it = limits_.find(action);
  if (it == limits_.end()) return std::nullopt;
  return it->second;
}

result<rate_decision> rate_limiter::allow(std::string_view session_id, std::string_view action) {
  return count_hit(*store_, clock_(), limits_, action, std::string(session_id), true, "");
}

result<rate_decision> rate_limiter::allow(const session_info& session, std::string_view action) {
  return allow(std::string_view(session.id), action);
}

result<void> rate_limiter::check(const session_info& session, std::string_view action) {
  auto d = allow(session, action);
  if (!d) return d.error();
  if (d->allowed) return {};
  const rate_limit limit = *limit_of(action);
  return make_error(errc::rate_limited, "at most " + std::to_string(limit.limit) + " " + std::string(action) +
                                            " requests per " + window_text(limit.window) + "; retry in " +
                                            std::to_string(d->retry_after.count()) + " s");
}

namespace {

// A decision as admit() reports it: nothing when allowed, the store's error, or a denial saying
// the limit and when to retry (`retry_after` gets the wait, at least a second).
std::optional<error> denial(const result<rate_decision>& d, const std::optional<rate_limit>& limit,
                            std::string_view what, std::string_view whose, std::chrono::seconds& retry_after) {
  if (!d) return d.error();
  if (d->allowed) return std::nullopt;
  retry_after = std::max(std::chrono::seconds(1), d->retry_after);
  return make_error(errc::rate_limited, "at most " + std::to_string(limit->limit) + " " + std::string(what) +
                                            " per " + window_text(limit->window) + std::string(whose) +
                                            ": try again in " + std::to_string(retry_after.count()) + " s");
}

}  // namespace

result<void> rate_limiter::admit(std::string_view session_id, std::string_view address, std::string_view action,
                                 std::string_view what, std::chrono::seconds& retry_after) {
  if (!session_id.empty())
    if (auto e = denial(allow(session_id, action), limit_of(action), what, "", retry_after)) return *e;
  if (!address.empty())
    if (auto e = denial(allow_address(address, action), address_limit_of(action), what, " from one address",
                        retry_after))
      return *e;
  return {};
}

result<void> rate_limiter::check_room(std::string_view key, std::string_view address, std::string_view action,
                                      std::string_view what, std::chrono::seconds& retry_after) {
  const auto now = clock_();
  if (auto e = denial(count_hit(*store_, now, limits_, action, std::string(key), false, ""), limit_of(action), what,
                      "", retry_after))
    return *e;
  if (address.empty()) return {};
  auto akey = address_key(address);
  if (!akey) return akey.error();
  if (auto e = denial(count_hit(*store_, now, address_limits_, action, std::move(*akey), false, "per-address "),
                      address_limit_of(action), what, " from one address", retry_after))
    return *e;
  return {};
}

}  // namespace bankflow
