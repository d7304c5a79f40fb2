// Idempotency keys in SQL. A key is claimed in one transaction that serializes every writer of
// that key (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock on the key), so of two
// concurrent requests with one key exactly one starts and the other sees it running.

#include <bankflow/database.hpp>
#include <bankflow/wallet.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"

#include <utility>

namespace bankflow {
namespace {

const std::vector<detail::migration>& idempotency_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_idempotency ("
        "scope TEXT NOT NULL, idem_key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
        "state TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, "
        "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (scope, idem_key))",
        "CREATE INDEX IF NOT EXISTS bankflow_idempotency_created ON bankflow_idempotency (created_at)"}},
      // PostgreSQL row-level security (issue 18): a scope starts with its owner's id ("<owner>
      // <route>"); a thread with a tenant sees and writes only its own keys
      {2,
       {},
       {"ALTER TABLE bankflow_idempotency ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE bankflow_idempotency FORCE ROW LEVEL SECURITY",
        "CREATE POLICY bankflow_tenant ON bankflow_idempotency USING (COALESCE(current_setting('bankflow.tenant', "
        "true), '') = '' OR split_part(scope, ' ', 1) = current_setting('bankflow.tenant', true))"}},
  };
  return steps;
}

constexpr std::size_t max_key_bytes = 255;

}  // namespace

struct idempotency_store::impl {
  detail::database_impl* db = nullptr;
  idempotency_options options;

  long long now_ms() const { return detail::unix_ms(options.clock()); }
  long long ttl_ms() const { return static_cast<long long>(options.ttl.count()) * 1000; }
  long long stale_ms() const { return static_cast<long long>(options.stale_after.count()) * 1000; }
};

idempotency_store::idempotency_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
idempotency_store::idempotency_store(idempotency_store&&) noexcept = default;
idempotency_store& idempotency_store::operator=(idempotency_store&&) noexcept = default;
idempotency_store::~idempotency_store() = default;

result<idempotency_store> idempotency_store::open(database& db, idempotency_options options) {
  if (options.ttl.count() <= 0 || options.stale_after.count() <= 0)
    return make_error(errc::invalid_argument, "the idempotency ttl and stale_after must be positive");
  auto& d = detail::database_access::impl(db);
  if (auto ok = detail::migrate(d, "idempotency", idempotency_migrations()); !ok) return ok.error();
  auto p = std::make_unique<impl>();
  p->db = &d;
  p->options = std::move(options);
  if (!p->options.clock) p->options.clock = system_clock();
  return idempotency_store(std::move(p));
}

result<idempotency_claim> idempotency_store::begin(std::string_view scope, std::string_view key,
                                                   std::string_view request) {
  if (key.empty()) return make_error(errc::invalid_argument, "the idempotency key is empty", 0, "Idempotency-Key");
  if (key.size() > max_key_bytes)
    return make_error(errc::invalid_argument, "the idempotency key is longer than 255 bytes", 0, "Idempotency-Key");
  const std::string s(scope), k(key), f = detail::to_hex(detail::sha256(request));
  idempotency_claim claim;
  const std::string lock = "idem:" + s + ":" + k;
  auto ok = detail::with_transaction(*impl_->db, "claiming an idempotency key", lock, [&](soci::session& sql) {
    const long long now = impl_->now_ms();
    claim = {};
    std::string old_fingerprint, state, body;
    int status = 0;
    long long created = 0, updated = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT fingerprint, state, status, body, created_at, updated_at FROM bankflow_idempotency "
           "WHERE scope = :s AND idem_key = :k",
        soci::use(s, "s"), soci::use(k, "k"), soci::into(old_fingerprint, ind), soci::into(state),
        soci::into(status), soci::into(body), soci::into(created), soci::into(updated);
    const bool found = sql.got_data() && ind == soci::i_ok;
    if (found && created + impl_->ttl_ms() > now) {
      if (old_fingerprint != f) {
        claim.state = idempotency_state::mismatch;
        return;
      }
      if (state == "done") {
        claim.state = idempotency_state::replay;
        claim.status = status;
        claim.body = std::move(body);
        return;
      }
      if (updated + impl_->stale_ms() > now) {
        claim.state = idempotency_state::in_progress;
        return;
      }
      // The first request's process died mid-way: this one takes the key over.
      sql << "UPDATE bankflow_idempotency SET updated_at = :n WHERE scope = :s AND idem_key = :k",
          soci::use(now, "n"), soci::use(s, "s"), soci::use(k, "k");
      claim.state = idempotency_state::started;
      return;
    }
    if (found)  // expired: the key is free again
      sql << "DELETE FROM bankflow_idempotency WHERE scope = :s AND idem_key = :k", soci::use(s, "s"),
          soci::use(k, "k");
    const std::string running = "running", empty;
    const int zero = 0;
    sql << "INSERT INTO bankflow_idempotency (scope, idem_key, fingerprint, state, status, body, created_at, "
           "updated_at) VALUES (:s, :k, :f, :st, :code, :b, :c, :u)",
        soci::use(s, "s"), soci::use(k, "k"), soci::use(f, "f"), soci::use(running, "st"), soci::use(zero, "code"),
        soci::use(empty, "b"), soci::use(now, "c"), soci::use(now, "u");
    claim.state = idempotency_state::started;
  });
  if (!ok) return ok.error();
  return claim;
}

result<void> idempotency_store::finish(std::string_view scope, std::string_view key, int status,
                                       std::string_view body) {
  const std::string s(scope), k(key), b(body), done = "done";
  const long long now = impl_->now_ms();
  // The stored response is what keeps a retried request from running again, and writing it twice
  // is harmless: a write that failed (with_session already retried busy and locked; a broken
  // connection was reconnected for the next lease) is tried twice more before it is reported.
  result<void> stored;
  for (int attempt = 0; attempt < 3; ++attempt) {
    stored = detail::with_session(*impl_->db, "storing an idempotent response", [&](soci::session& sql) {
      sql << "UPDATE bankflow_idempotency SET state = :st, status = :code, body = :b, updated_at = :n "
             "WHERE scope = :s AND idem_key = :k",
          soci::use(done, "st"), soci::use(status, "code"), soci::use(b, "b"), soci::use(now, "n"),
          soci::use(s, "s"), soci::use(k, "k");
    });
    if (stored) break;
  }
  return stored;
}

result<void> idempotency_store::release(std::string_view scope, std::string_view key) {
  const std::string s(scope), k(key), running = "running";
  return detail::with_session(*impl_->db, "releasing an idempotency key", [&](soci::session& sql) {
    sql << "DELETE FROM bankflow_idempotency WHERE scope = :s AND idem_key = :k AND state = :st",
        soci::use(s, "s"), soci::use(k, "k"), soci::use(running, "st");
  });
}

result<std::size_t> idempotency_store::purge_expired() {
  const long long cutoff = impl_->now_ms() - impl_->ttl_ms();
  std::size_t removed = 0;
  auto ok = detail::with_session(*impl_->db, "purging idempotency keys", [&](soci::session& sql) {
    soci::statement st =
        (sql.prepare << "DELETE FROM bankflow_idempotency WHERE created_at <= :c", soci::use(cutoff, "c"));
    st.execute(true);
    removed = static_cast<std::size_t>(st.get_affected_rows());
  });
  if (!ok) return ok.error();
  return removed;
}

namespace {

// A claim that lets no request run, as the error the caller answers with.
error refusal(idempotency_state state) {
  if (state == idempotency_state::mismatch)
    return make_error(errc::idempotency_mismatch,
                      "this Idempotency-Key was used with a different request body; use a new key");
  return make_error(errc::idempotency_in_progress,
                    "a request with this Idempotency-Key is still running: retry in a moment");
}

}  // namespace

result<idempotent_outcome> run_idempotent(idempotency_store& store, std::string_view scope, std::string_view key,
                                          std::string_view request,
                                          const std::function<idempotent_response()>& run) {
  if (key.empty())
    return make_error(errc::idempotency_key_required,
                      "send an Idempotency-Key header (e.g. a UUID) with every money request: a retry with "
                      "the same key is then harmless");
  auto claim = store.begin(scope, key, request);
  if (!claim) return claim.error();
  if (claim->state == idempotency_state::replay)
    return idempotent_outcome{{claim->status, std::move(claim->body)}, true, {}};
  if (claim->state != idempotency_state::started) return refusal(claim->state);
  idempotent_outcome out{run(), false, {}};
  // a server error is not stored, so a retry runs again; finish retries a failed write itself
  auto recorded = out.response.status >= 500 ? store.release(scope, key)
                                             : store.finish(scope, key, out.response.status, out.response.body);
  if (!recorded) out.unrecorded = recorded.error();
  return out;
}

}  // namespace bankflow
