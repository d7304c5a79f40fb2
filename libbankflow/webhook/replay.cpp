// The shipped replay guards: memory, SQL (one upsert) and Redis (SET NX EX). Each makes a claim
// one atomic step of its store, so concurrent deliveries of one event id have one winner.

#include <bankflow/database.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/webhook.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"
#include "store/redis.hpp"

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bankflow {
namespace {

using time_point = std::chrono::system_clock::time_point;

class memory_replay_guard final : public replay_guard {
 public:
  result<bool> claim(std::string_view key, time_point now, time_point expires) override {
    std::lock_guard lock(mutex_);
    if (++since_sweep_ >= 1024) {  // keep the map to the live claims
      since_sweep_ = 0;
      std::erase_if(claims_, [now](const auto& kv) { return kv.second <= now; });
    }
    auto [it, inserted] = claims_.try_emplace(std::string(key), expires);
    if (inserted) return true;
    if (it->second > now) return false;
    it->second = expires;  // the old claim has run out: this delivery takes the id over
    return true;
  }

  result<void> release(std::string_view key) override {
    std::lock_guard lock(mutex_);
    claims_.erase(std::string(key));
    return {};
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, time_point> claims_;
  std::size_t since_sweep_ = 0;
};

const std::vector<detail::migration>& replay_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_webhook_replay ("
        "event_key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS bankflow_webhook_replay_expires ON bankflow_webhook_replay (expires_at)"}},
  };
  return steps;
}

class sql_replay_guard final : public replay_guard {
 public:
  explicit sql_replay_guard(detail::database_impl& db) : db_(&db) {}

  result<bool> claim(std::string_view key, time_point now, time_point expires) override {
    const std::string k(key);
    const long long exp = detail::unix_ms(expires);
    const long long at = detail::unix_ms(now);
    bool claimed = false;
    // One statement: insert the claim, or take over an expired one. Both engines run an upsert
    // atomically against concurrent inserts of the same key (PostgreSQL waits on the row lock and
    // re-checks the WHERE; SQLite has one writer at a time), and RETURNING yields a row only
    // when this statement wrote it.
    auto ok = detail::with_session(*db_, "claiming a webhook event", [&](soci::session& sql) {
      std::string got;
      soci::indicator ind = soci::i_null;
      soci::statement st =
          (sql.prepare << "INSERT INTO bankflow_webhook_replay (event_key, expires_at) VALUES (:k, :e) "
                          "ON CONFLICT (event_key) DO UPDATE SET expires_at = excluded.expires_at "
                          "WHERE bankflow_webhook_replay.expires_at <= :n RETURNING event_key",
           soci::use(k, "k"), soci::use(exp, "e"), soci::use(at, "n"), soci::into(got, ind));
      st.execute(true);
      claimed = st.got_data();
    });
    if (!ok) return ok.error();
    if (++since_sweep_ % 1024 == 0) {
      (void)detail::with_session(*db_, "sweeping expired webhook claims", [&](soci::session& sql) {
        sql << "DELETE FROM bankflow_webhook_replay WHERE expires_at <= :n", soci::use(at, "n");
      });
    }
    return claimed;
  }

  result<void> release(std::string_view key) override {
    const std::string k(key);
    return detail::with_session(*db_, "releasing a webhook event", [&](soci::session& sql) {
      sql << "DELETE FROM bankflow_webhook_replay WHERE event_key = :k", soci::use(k, "k");
    });
  }

 private:
  detail::database_impl* db_;
  std::atomic<unsigned> since_sweep_{0};
};

class redis_replay_guard final : public replay_guard {
 public:
  explicit redis_replay_guard(detail::redis_pool& pool) : pool_(&pool) {}

  result<bool> claim(std::string_view key, time_point now, time_point expires) override {
    const std::string k = pool_->key("webhook:replay:" + std::string(key));
    // The value is a random token: if the connection breaks after Redis set the key but before
    // the reply arrived, the pool sends SET again, gets nil, and the token tells us the claim is
    // ours after all.
    const std::string token = detail::random_hex(16);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(expires - now).count();
    const std::string ttl = std::to_string(std::max<long long>(1, (static_cast<long long>(ms) + 999) / 1000));
    auto r = pool_->command({"SET", k, token, "NX", "EX", ttl});
    if (!r) return r.error();
    if (r->type == detail::redis_reply::kind::error)
      return make_error(errc::storage_error, "Redis SET NX: " + r->str);
    if (r->type == detail::redis_reply::kind::status) return true;
    auto holder = pool_->command({"GET", k});
    if (!holder) return holder.error();
    return holder->type == detail::redis_reply::kind::string && holder->str == token;
  }

  result<void> release(std::string_view key) override {
    const std::string k = pool_->key("webhook:replay:" + std::string(key));
    auto r = pool_->command({"DEL", k});
    if (!r) return r.error();
    if (r->type == detail::redis_reply::kind::error) return make_error(errc::storage_error, "Redis DEL: " + r->str);
    return {};
  }

 private:
  detail::redis_pool* pool_;
};

}  // namespace

result<std::unique_ptr<replay_guard>> make_memory_replay_guard() {
  return std::unique_ptr<replay_guard>(std::make_unique<memory_replay_guard>());
}

result<std::unique_ptr<replay_guard>> make_sql_replay_guard(database& db) {
  detail::database_impl& impl = detail::database_access::impl(db);
  if (auto ok = detail::migrate(impl, "webhook_replay", replay_migrations()); !ok) return ok.error();
  return std::unique_ptr<replay_guard>(std::make_unique<sql_replay_guard>(impl));
}

result<std::unique_ptr<replay_guard>> make_redis_replay_guard(redis_client& redis) {
  return std::unique_ptr<replay_guard>(std::make_unique<redis_replay_guard>(detail::redis_access::pool(redis)));
}

}  // namespace bankflow
