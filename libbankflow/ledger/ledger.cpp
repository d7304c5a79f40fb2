// The ledger on SOCI. Every write is one database transaction (store/db.hpp): on SQLite it holds
// the write lock from BEGIN IMMEDIATE; on PostgreSQL (READ COMMITTED) it takes, in this order,
// transaction advisory locks on the submitted transfer ids (so one id has one writer), row locks
// on the pending transfers it resolves or expires, and row locks on the touched accounts in
// sorted id order. Serialization failures and deadlocks roll back and run the work again, so the
// work starts from scratch each time. Counters change only by `x = x ± :amount` updates of rows
// this transaction holds locked.

#include <bankflow/export.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>

#include "store/db.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace bankflow {

std::string_view to_string(transfer_kind k) noexcept {
  switch (k) {
    case transfer_kind::immediate: return "immediate";
    case transfer_kind::pending: return "pending";
    case transfer_kind::post: return "post";
    case transfer_kind::void_pending: return "void";
  }
  return "immediate";
}

std::string_view to_string(transfer_state s) noexcept {
  switch (s) {
    case transfer_state::posted: return "posted";
    case transfer_state::pending: return "pending";
    case transfer_state::voided: return "voided";
    case transfer_state::expired: return "expired";
  }
  return "posted";
}

namespace detail {

struct ledger_impl {
  database_impl* db = nullptr;
  clock_fn clock;
  [[nodiscard]] long long now_ms() const { return unix_ms(clock ? clock() : std::chrono::system_clock::now()); }
};

namespace {

constexpr std::size_t max_id = 128;

// The schema, the same on both engines but for the column that numbers transfers in order.
std::vector<std::string> ledger_schema(std::string_view seq_column) {
  return {
      "CREATE TABLE IF NOT EXISTS bankflow_ledger_accounts (id TEXT PRIMARY KEY, currency TEXT NOT NULL, "
      "flags BIGINT NOT NULL, owner TEXT NOT NULL, debits_posted BIGINT NOT NULL, credits_posted BIGINT NOT NULL, "
      "debits_pending BIGINT NOT NULL, credits_pending BIGINT NOT NULL, created_at BIGINT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS bankflow_ledger_transfers (seq " + std::string(seq_column) + ", "
      "id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, debit_account TEXT NOT NULL, credit_account TEXT NOT NULL, "
      "amount BIGINT NOT NULL, pending_id TEXT NOT NULL, metadata TEXT NOT NULL, reference TEXT NOT NULL, "
      "state TEXT NOT NULL, req_debit TEXT NOT NULL, req_credit TEXT NOT NULL, req_amount BIGINT NOT NULL, "
      "timeout_ms BIGINT NOT NULL, error_code BIGINT NOT NULL, error_field TEXT NOT NULL, "
      "error_message TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_debit ON bankflow_ledger_transfers (debit_account, seq)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_credit ON bankflow_ledger_transfers (credit_account, seq)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_expiry ON bankflow_ledger_transfers (state, expires_at)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_pending ON bankflow_ledger_transfers (pending_id)"};
}

const std::vector<migration>& ledger_migrations(database_backend backend) {
  // the statements live as long as the program: migration holds views
  static const std::vector<std::string> sqlite_v1 = ledger_schema("INTEGER PRIMARY KEY AUTOINCREMENT");
  static const std::vector<std::string> postgresql_v1 = ledger_schema("BIGSERIAL PRIMARY KEY");
  auto views = [](const std::vector<std::string>& v) {
    return std::vector<std::string_view>(v.begin(), v.end());
  };
  static const std::vector<migration> sqlite = {{1, views(sqlite_v1)}};
  static const std::vector<migration> postgresql = {{1, views(postgresql_v1)}};
  return backend == database_backend::postgresql ? postgresql : sqlite;
}

// ---- rows -------------------------------------------------------------------------------------

struct account_row {
  std::string id, currency, owner;
  long long flags = 0, debits_posted = 0, credits_posted = 0, debits_pending = 0, credits_pending = 0;
};

constexpr const char* account_columns =
    "id, currency, owner, flags, debits_posted, credits_posted, debits_pending, credits_pending";

bool load_account(soci::session& sql, const std::string& id, account_row& a) {
  soci::indicator ind = soci::i_null;
  sql << std::string("SELECT ") + account_columns + " FROM bankflow_ledger_accounts WHERE id = :id",
      soci::into(a.id, ind), soci::into(a.currency), soci::into(a.owner), soci::into(a.flags),
      soci::into(a.debits_posted), soci::into(a.credits_posted), soci::into(a.debits_pending),
      soci::into(a.credits_pending), soci::use(id, "id");
  return sql.got_data() && ind == soci::i_ok;
}

ledger_account to_account(const account_row& r) {
  ledger_account a;
  a.id = r.id;
  a.currency = r.currency;
  a.owner = r.owner;
  a.flags = static_cast<std::uint32_t>(r.flags);
  a.debits_posted = r.debits_posted;
  a.credits_posted = r.credits_posted;
  a.debits_pending = r.debits_pending;
  a.credits_pending = r.credits_pending;
  return a;
}

struct transfer_row {
  long long seq = 0;
  std::string id, kind, debit_account, credit_account, pending_id, metadata, reference, state;
  std::string req_debit, req_credit, error_field, error_message;
  long long amount = 0, req_amount = 0, timeout_ms = 0, error_code = 0, created_at = 0, expires_at = 0;
};

constexpr const char* transfer_columns =
    "seq, id, kind, debit_account, credit_account, pending_id, metadata, reference, state, req_debit, "
    "req_credit, error_field, error_message, amount, req_amount, timeout_ms, error_code, created_at, expires_at";

// Binds every column of transfer_columns into `r` (the first with an indicator).
void bind_transfer(soci::details::prepare_temp_type& p, transfer_row& r, soci::indicator& ind) {
  p, soci::into(r.seq, ind), soci::into(r.id), soci::into(r.kind), soci::into(r.debit_account),
      soci::into(r.credit_account), soci::into(r.pending_id), soci::into(r.metadata), soci::into(r.reference),
      soci::into(r.state), soci::into(r.req_debit), soci::into(r.req_credit), soci::into(r.error_field),
      soci::into(r.error_message), soci::into(r.amount), soci::into(r.req_amount), soci::into(r.timeout_ms),
      soci::into(r.error_code), soci::into(r.created_at), soci::into(r.expires_at);
}

bool load_transfer(soci::session& sql, const std::string& id, transfer_row& r) {
  soci::indicator ind = soci::i_null;
  auto p = (sql.prepare << std::string("SELECT ") + transfer_columns +
                               " FROM bankflow_ledger_transfers WHERE id = :id",
            soci::use(id, "id"));
  bind_transfer(p, r, ind);
  soci::statement st(p);
  st.execute(true);
  return st.got_data() && ind == soci::i_ok;
}

transfer_kind kind_of(std::string_view s) {
  if (s == "pending") return transfer_kind::pending;
  if (s == "post") return transfer_kind::post;
  if (s == "void") return transfer_kind::void_pending;
  return transfer_kind::immediate;
}

transfer_state state_of(std::string_view s) {
  if (s == "pending") return transfer_state::pending;
  if (s == "voided") return transfer_state::voided;
  if (s == "expired") return transfer_state::expired;
  return transfer_state::posted;
}

transfer to_transfer(const transfer_row& r) {
  transfer t;
  t.id = r.id;
  t.kind = kind_of(r.kind);
  t.debit_account = r.debit_account;
  t.credit_account = r.credit_account;
  t.amount = r.amount;
  t.pending_id = r.pending_id;
  t.metadata = r.metadata;
  t.reference = r.reference;
  t.state = state_of(r.state);
  t.created_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(r.created_at));
  if (r.expires_at > 0)
    t.expires_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(r.expires_at));
  return t;
}

void insert_transfer(soci::session& sql, const transfer_row& r) {
  sql << "INSERT INTO bankflow_ledger_transfers (id, kind, debit_account, credit_account, pending_id, metadata, "
         "reference, state, req_debit, req_credit, error_field, error_message, amount, req_amount, timeout_ms, "
         "error_code, created_at, expires_at) VALUES (:id, :kind, :da, :ca, :pid, :md, :ref, :st, :rd, :rc, :ef, "
         ":em, :amt, :ramt, :tmo, :ec, :cat, :eat)",
      soci::use(r.id, "id"), soci::use(r.kind, "kind"), soci::use(r.debit_account, "da"),
      soci::use(r.credit_account, "ca"), soci::use(r.pending_id, "pid"), soci::use(r.metadata, "md"),
      soci::use(r.reference, "ref"), soci::use(r.state, "st"), soci::use(r.req_debit, "rd"),
      soci::use(r.req_credit, "rc"), soci::use(r.error_field, "ef"), soci::use(r.error_message, "em"),
      soci::use(r.amount, "amt"), soci::use(r.req_amount, "ramt"), soci::use(r.timeout_ms, "tmo"),
      soci::use(r.error_code, "ec"), soci::use(r.created_at, "cat"), soci::use(r.expires_at, "eat");
}

void set_state(soci::session& sql, const std::string& id, const std::string& state) {
  sql << "UPDATE bankflow_ledger_transfers SET state = :s WHERE id = :id", soci::use(state, "s"),
      soci::use(id, "id");
}

// Adds `delta` to one counter column of an account.
void add_counter(soci::session& sql, const std::string& account, const char* column, long long delta) {
  sql << std::string("UPDATE bankflow_ledger_accounts SET ") + column + " = " + column +
             " + :d WHERE id = :id",
      soci::use(delta, "d"), soci::use(account, "id");
}

// ---- locking ----------------------------------------------------------------------------------

struct tx {
  soci::session& sql;
  bool pg;
  long long now;
};

void lock_ids(tx& t, const std::set<std::string>& ids) {
  if (!t.pg) return;
  for (const std::string& id : ids) {
    std::string key = "ledger-transfer:" + id;
    long long ignored = 0;
    t.sql << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))) AS l", soci::use(key, "k"),
        soci::into(ignored);
  }
}

void lock_transfer_rows(tx& t, const std::set<std::string>& ids) {
  if (!t.pg) return;
  for (const std::string& id : ids) {
    long long seq = 0;
    soci::indicator ind = soci::i_null;
    t.sql << "SELECT seq FROM bankflow_ledger_transfers WHERE id = :id FOR UPDATE", soci::use(id, "id"),
        soci::into(seq, ind);
  }
}

void lock_accounts(tx& t, const std::set<std::string>& ids) {
  if (!t.pg) return;
  for (const std::string& id : ids) {  // std::set: sorted, so every writer locks in one order
    std::string got;
    soci::indicator ind = soci::i_null;
    t.sql << "SELECT id FROM bankflow_ledger_accounts WHERE id = :id FOR UPDATE", soci::use(id, "id"),
        soci::into(got, ind);
  }
}

// Pending transfers touching `account` whose timeout has passed: id -> (debit, credit).
void find_expired(tx& t, const std::string* account, std::map<std::string, std::pair<std::string, std::string>>& out) {
  std::string id, debit, credit;
  std::string q =
      "SELECT id, debit_account, credit_account FROM bankflow_ledger_transfers WHERE state = 'pending' AND "
      "expires_at > 0 AND expires_at <= :n";
  std::string acc = account ? *account : std::string();
  if (account) q += " AND (debit_account = :a OR credit_account = :a2)";
  soci::statement st = account ? (t.sql.prepare << q, soci::use(t.now, "n"), soci::use(acc, "a"),
                                  soci::use(acc, "a2"), soci::into(id), soci::into(debit), soci::into(credit))
                               : (t.sql.prepare << q, soci::use(t.now, "n"), soci::into(id), soci::into(debit),
                                  soci::into(credit));
  st.execute();
  while (st.fetch()) out[id] = {debit, credit};
}

// Voids a pending transfer that has run out, when it is still pending (rows locked by the caller).
bool expire_if_due(tx& t, const std::string& id) {
  transfer_row p;
  if (!load_transfer(t.sql, id, p)) return false;
  if (p.state != "pending" || p.expires_at <= 0 || p.expires_at > t.now) return false;
  add_counter(t.sql, p.debit_account, "debits_pending", -p.amount);
  add_counter(t.sql, p.credit_account, "credits_pending", -p.amount);
  set_state(t.sql, id, "expired");
  return true;
}

// Voids the holds that have run out, on one account (all accounts when `account` is null):
// finds them, locks their rows and accounts in order, voids each. Returns how many it voided.
std::size_t expire_due(tx& t, const std::string* account) {
  std::map<std::string, std::pair<std::string, std::string>> expired;
  find_expired(t, account, expired);
  std::set<std::string> rows, accounts;
  for (const auto& [pid, acc] : expired) {
    rows.insert(pid);
    accounts.insert(acc.first);
    accounts.insert(acc.second);
  }
  lock_transfer_rows(t, rows);
  lock_accounts(t, accounts);
  std::size_t count = 0;
  for (const auto& pid : rows)
    if (expire_if_due(t, pid)) ++count;
  return count;
}

// ---- transfers --------------------------------------------------------------------------------

error field_error(errc code, std::string message, std::string field) {
  return make_error(code, std::move(message), 0, std::move(field));
}

std::optional<error> validate(const transfer_request& r) {
  if (r.id.empty() || r.id.size() > max_id)
    return field_error(errc::invalid_argument, "a transfer id must have 1 to 128 bytes", "id");
  if (r.amount < 0) return field_error(errc::invalid_argument, "the amount must not be negative", "amount");
  if (r.timeout.count() < 0) return field_error(errc::invalid_argument, "the timeout must not be negative", "timeout");
  const bool resolving = r.kind == transfer_kind::post || r.kind == transfer_kind::void_pending;
  if (resolving) {
    if (r.pending_id.empty()) return field_error(errc::invalid_argument, "a post or void names its pending transfer", "pending_id");
    if (r.timeout.count() != 0) return field_error(errc::invalid_argument, "only a pending transfer has a timeout", "timeout");
    return std::nullopt;
  }
  if (!r.pending_id.empty())
    return field_error(errc::invalid_argument, "only a post or void names a pending transfer", "pending_id");
  if (r.kind == transfer_kind::immediate && r.timeout.count() != 0)
    return field_error(errc::invalid_argument, "only a pending transfer has a timeout", "timeout");
  if (r.amount == 0) return field_error(errc::invalid_argument, "the amount must be positive", "amount");
  if (r.debit_account.empty()) return field_error(errc::invalid_argument, "no debit account", "debit_account");
  if (r.credit_account.empty()) return field_error(errc::invalid_argument, "no credit account", "credit_account");
  if (r.debit_account == r.credit_account)
    return field_error(errc::invalid_argument, "the debit and credit accounts are the same", "credit_account");
  return std::nullopt;
}

// The first field in which a stored transfer differs from a new request with its id.
std::optional<std::string> differing_field(const transfer_row& row, const transfer_request& r) {
  if (row.kind != to_string(r.kind)) return "kind";
  if (row.req_debit != r.debit_account) return "debit_account";
  if (row.req_credit != r.credit_account) return "credit_account";
  if (row.req_amount != r.amount) return "amount";
  if (row.pending_id != r.pending_id) return "pending_id";
  if (row.timeout_ms != static_cast<long long>(r.timeout.count())) return "timeout";
  if (row.metadata != r.metadata) return "metadata";
  if (row.reference != r.reference) return "reference";
  return std::nullopt;
}

transfer_row row_from(const transfer_request& r, long long now) {
  transfer_row row;
  row.id = r.id;
  row.kind = std::string(to_string(r.kind));
  row.debit_account = r.debit_account;
  row.credit_account = r.credit_account;
  row.pending_id = r.pending_id;
  row.metadata = r.metadata;
  row.reference = r.reference;
  row.req_debit = r.debit_account;
  row.req_credit = r.credit_account;
  row.amount = r.amount;
  row.req_amount = r.amount;
  row.timeout_ms = static_cast<long long>(r.timeout.count());
  row.created_at = now;
  return row;
}

error stored_error(const transfer_row& row) {
  error e = field_error(static_cast<errc>(row.error_code), row.error_message, row.error_field);
  return e;
}

// Records a state-dependent failure under the id, so the id stays failed.
error fail(tx& t, const transfer_request& r, bool record, error e) {
  if (record) {
    transfer_row row = row_from(r, t.now);
    row.state = "failed";
    row.error_code = static_cast<long long>(e.code);
    row.error_field = e.field;
    row.error_message = e.message;
    insert_transfer(t.sql, row);
  }
  return e;
}

bool would_overflow(long long a, long long b) {
  long long out = 0;
  return __builtin_add_overflow(a, b, &out);
}

// One transfer inside the caller's transaction (ids and rows locked). `record`: failures are
// written under the id (false inside a linked batch, whose failures roll everything back).
result<transfer_result> process(tx& t, const transfer_request& r, bool record) {
  if (auto bad = validate(r)) return *bad;
  transfer_row existing;
  if (load_transfer(t.sql, r.id, existing)) {
    if (auto field = differing_field(existing, r))
      return field_error(errc::id_conflict, "transfer " + r.id + " was submitted with a different " + *field, *field);
    if (existing.state == "failed") return stored_error(existing);
    return transfer_result{to_transfer(existing), true};
  }

  if (r.kind == transfer_kind::immediate || r.kind == transfer_kind::pending) {
    account_row debit, credit;
    if (!load_account(t.sql, r.debit_account, debit))
      return fail(t, r, record, field_error(errc::not_found, "no account " + r.debit_account, "debit_account"));
    if (!load_account(t.sql, r.credit_account, credit))
      return fail(t, r, record, field_error(errc::not_found, "no account " + r.credit_account, "credit_account"));
    if (debit.currency != credit.currency)
      return fail(t, r, record,
                  field_error(errc::currency_mismatch,
                              "debit account in " + debit.currency + ", credit account in " + credit.currency,
                              "credit_account"));
    const bool pending = r.kind == transfer_kind::pending;
    const long long debit_counter = pending ? debit.debits_pending : debit.debits_posted;
    const long long credit_counter = pending ? credit.credits_pending : credit.credits_posted;
    if (would_overflow(debit_counter, r.amount) || would_overflow(credit_counter, r.amount) ||
        would_overflow(debit.debits_posted + debit.debits_pending, r.amount))
      return fail(t, r, record, field_error(errc::amount_overflow, "an account counter would overflow", "amount"));
    if ((debit.flags & account_no_overdraft) != 0 &&
        debit.debits_posted + debit.debits_pending + r.amount > debit.credits_posted)
      return fail(t, r, record,
                  field_error(errc::insufficient_funds,
                              "account " + debit.id + " has " +
                                  format_amount(debit.credits_posted - debit.debits_posted - debit.debits_pending) +
                                  " available, " + format_amount(r.amount) + " asked",
                              "amount"));
    add_counter(t.sql, debit.id, pending ? "debits_pending" : "debits_posted", r.amount);
    add_counter(t.sql, credit.id, pending ? "credits_pending" : "credits_posted", r.amount);
    transfer_row row = row_from(r, t.now);
    row.state = pending ? "pending" : "posted";
    if (pending && r.timeout.count() > 0) row.expires_at = t.now + static_cast<long long>(r.timeout.count());
    insert_transfer(t.sql, row);
    return transfer_result{to_transfer(row), false};
  }

  // post or void
  transfer_row p;
  if (!load_transfer(t.sql, r.pending_id, p) || p.kind != "pending" || p.state == "failed")
    return fail(t, r, record, field_error(errc::not_found, "no pending transfer " + r.pending_id, "pending_id"));
  if (!r.debit_account.empty() && r.debit_account != p.debit_account)
    return fail(t, r, record,
                field_error(errc::invalid_argument, "the pending transfer debits " + p.debit_account, "debit_account"));
  if (!r.credit_account.empty() && r.credit_account != p.credit_account)
    return fail(t, r, record,
                field_error(errc::invalid_argument, "the pending transfer credits " + p.credit_account,
                            "credit_account"));
  if (p.state == "pending" && p.expires_at > 0 && p.expires_at <= t.now) {
    expire_if_due(t, p.id);
    p.state = "expired";
  }
  if (p.state == "expired")
    return fail(t, r, record, field_error(errc::pending_expired, "pending transfer " + p.id + " expired", "pending_id"));
  if (p.state != "pending")
    return fail(t, r, record,
                field_error(errc::pending_resolved, "pending transfer " + p.id + " is already " + p.state,
                            "pending_id"));
  const bool post = r.kind == transfer_kind::post;
  const long long amount = post && r.amount != 0 ? r.amount : p.amount;
  if (r.amount > p.amount || (!post && r.amount != 0 && r.amount != p.amount))
    return fail(t, r, record,
                field_error(errc::exceeds_pending,
                            format_amount(r.amount) + " asked of a pending " + format_amount(p.amount), "amount"));
  add_counter(t.sql, p.debit_account, "debits_pending", -p.amount);
  add_counter(t.sql, p.credit_account, "credits_pending", -p.amount);
  if (post) {
    add_counter(t.sql, p.debit_account, "debits_posted", amount);
    add_counter(t.sql, p.credit_account, "credits_posted", amount);
  }
  set_state(t.sql, p.id, post ? "posted" : "voided");
  transfer_row row = row_from(r, t.now);
  row.debit_account = p.debit_account;
  row.credit_account = p.credit_account;
  row.amount = amount;
  row.state = post ? "posted" : "voided";
  insert_transfer(t.sql, row);
  return transfer_result{to_transfer(row), false};
}

// Takes every lock a batch needs, voids the expired holds of its accounts, and runs it.
std::vector<result<transfer_result>> run_batch(tx& t, std::span<const transfer_request> requests, bool linked) {
  std::set<std::string> ids, pendings, accounts;
  for (const auto& r : requests) {
    ids.insert(r.id);
    if (!r.pending_id.empty()) pendings.insert(r.pending_id);
    if (!r.debit_account.empty()) accounts.insert(r.debit_account);
    if (!r.credit_account.empty()) accounts.insert(r.credit_account);
  }
  lock_ids(t, ids);
  for (const auto& pid : pendings) {
    transfer_row p;
    if (load_transfer(t.sql, pid, p)) {
      accounts.insert(p.debit_account);
      accounts.insert(p.credit_account);
    }
  }
  std::map<std::string, std::pair<std::string, std::string>> expired;
  for (const auto& a : accounts) find_expired(t, &a, expired);
  std::set<std::string> rows = pendings;
  for (const auto& [id, acc] : expired) {
    rows.insert(id);
    accounts.insert(acc.first);
    accounts.insert(acc.second);
  }
  lock_transfer_rows(t, rows);
  lock_accounts(t, accounts);
  for (const auto& [id, acc] : expired) expire_if_due(t, id);

  std::vector<result<transfer_result>> out;
  out.reserve(requests.size());
  if (linked) t.sql << "SAVEPOINT bankflow_ledger_linked";
  bool failed = false;
  for (const auto& r : requests) {
    out.push_back(process(t, r, !linked));
    if (!out.back()) failed = true;
  }
  if (linked) {
    if (failed) {
      t.sql << "ROLLBACK TO SAVEPOINT bankflow_ledger_linked";
      for (auto& o : out)
        if (o) o = make_error(errc::linked_failed, "another transfer of the linked batch failed");
    }
    t.sql << "RELEASE SAVEPOINT bankflow_ledger_linked";
  }
  return out;
}


}  // namespace
}  // namespace detail

// ---- public API -------------------------------------------------------------------------------

ledger::ledger(std::unique_ptr<detail::ledger_impl> impl) : impl_(std::move(impl)) {}
ledger::ledger(ledger&&) noexcept = default;
ledger& ledger::operator=(ledger&&) noexcept = default;
ledger::~ledger() = default;

result<ledger> ledger::open(database& db, ledger_options options) {
  detail::database_impl& impl = detail::database_access::impl(db);
  if (auto ok = detail::migrate(impl, "ledger", detail::ledger_migrations(impl.backend)); !ok) return ok.error();
  auto li = std::make_unique<detail::ledger_impl>();
  li->db = &impl;
  li->clock = std::move(options.clock);
  return ledger(std::move(li));
}

result<account_result> ledger::create_account(const ledger_account_spec& spec) {
  if (spec.id.empty() || spec.id.size() > detail::max_id)
    return detail::field_error(errc::invalid_argument, "an account id must have 1 to 128 bytes", "id");
  if (spec.currency.size() != 3 ||
      !std::all_of(spec.currency.begin(), spec.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return detail::field_error(errc::invalid_argument, "a currency is 3 upper-case letters (ISO 4217)", "currency");
  if ((spec.flags & ~account_no_overdraft) != 0)
    return detail::field_error(errc::invalid_argument, "unknown account flags", "flags");
  const long long now = impl_->now_ms();
  const long long flags = spec.flags;
  detail::account_row row;
  bool inserted = false;
  auto ok = detail::with_transaction(*impl_->db, "creating a ledger account", "ledger-account:" + spec.id,
                                     [&](soci::session& sql) {
                                       inserted = !detail::load_account(sql, spec.id, row);
                                       if (!inserted) return;
                                       sql << "INSERT INTO bankflow_ledger_accounts (id, currency, flags, owner, "
                                              "debits_posted, credits_posted, debits_pending, credits_pending, "
                                              "created_at) VALUES (:id, :c, :f, :o, 0, 0, 0, 0, :t)",
                                           soci::use(spec.id, "id"), soci::use(spec.currency, "c"),
                                           soci::use(flags, "f"), soci::use(spec.owner, "o"), soci::use(now, "t");
                                       detail::load_account(sql, spec.id, row);
                                     });
  if (!ok) return ok.error();
  if (!inserted) {
    const char* field = row.currency != spec.currency ? "currency"
                        : row.flags != flags           ? "flags"
                        : row.owner != spec.owner      ? "owner"
                                                       : nullptr;
    if (field != nullptr)
      return detail::field_error(errc::id_conflict,
                                 "account " + spec.id + " exists with a different " + std::string(field), field);
  }
  return account_result{detail::to_account(row), !inserted};
}

result<ledger_account> ledger::get_account(std::string_view id) {
  const std::string key(id);
  detail::account_row row;
  bool found = false;
  long long due = 0;
  const long long now = impl_->now_ms();
  auto ok = detail::with_session(*impl_->db, "reading a ledger account", [&](soci::session& sql) {
    found = detail::load_account(sql, key, row);
    if (found)
      sql << "SELECT COUNT(*) FROM bankflow_ledger_transfers WHERE state = 'pending' AND expires_at > 0 AND "
             "expires_at <= :n AND (debit_account = :a OR credit_account = :a2)",
          soci::use(now, "n"), soci::use(key, "a"), soci::use(key, "a2"), soci::into(due);
  });
  if (!ok) return ok.error();
  if (!found) return detail::field_error(errc::not_found, "no account " + key, "id");
  if (due == 0) return detail::to_account(row);
  // Lazy expiry: void this account's run-out holds, then read it again.
  ok = detail::with_transaction(*impl_->db, "expiring holds", {}, [&](soci::session& sql) {
    detail::tx t{sql, impl_->db->backend == database_backend::postgresql, now};
    detail::expire_due(t, &key);
    detail::load_account(sql, key, row);
  });
  if (!ok) return ok.error();
  return detail::to_account(row);
}

result<transfer_result> ledger::submit(const transfer_request& request) {
  auto batch = submit_batch(std::span<const transfer_request>(&request, 1));
  if (!batch) return batch.error();
  return std::move(batch->front());
}

result<std::vector<result<transfer_result>>> ledger::submit_batch(std::span<const transfer_request> requests,
                                                                   batch_options options) {
  std::vector<result<transfer_result>> out;
  if (requests.empty()) return out;
  const long long now = impl_->now_ms();
  auto ok = detail::with_transaction(*impl_->db, "submitting ledger transfers", {}, [&](soci::session& sql) {
    detail::tx t{sql, impl_->db->backend == database_backend::postgresql, now};
    out = detail::run_batch(t, requests, options.linked);
  });
  if (!ok) return ok.error();
  return out;
}

result<transfer> ledger::get_transfer(std::string_view id) {
  const std::string key(id);
  detail::transfer_row row;
  bool found = false;
  auto ok = detail::with_session(*impl_->db, "reading a ledger transfer",
                                 [&](soci::session& sql) { found = detail::load_transfer(sql, key, row); });
  if (!ok) return ok.error();
  if (!found) return detail::field_error(errc::not_found, "no transfer " + key, "id");
  if (row.state == "failed") return detail::stored_error(row);
  return detail::to_transfer(row);
}

result<history_page> ledger::history(std::string_view account_id, std::string_view cursor, std::size_t limit) {
  long long before = std::numeric_limits<long long>::max();
  if (!cursor.empty()) {
    const char* end = cursor.data() + cursor.size();
    if (cursor.size() < 2 || cursor[0] != 'h' ||
        std::from_chars(cursor.data() + 1, end, before).ptr != end || before <= 0)
      return detail::field_error(errc::invalid_argument, "not a history cursor", "cursor");
  }
  if (limit == 0) limit = 1;
  if (limit > 1000) limit = 1000;
  const std::string acc(account_id);
  const long long want = static_cast<long long>(limit) + 1;
  history_page page;
  std::vector<detail::transfer_row> rows;
  auto ok = detail::with_session(*impl_->db, "reading ledger history", [&](soci::session& sql) {
    rows.clear();
    detail::transfer_row r;
    soci::indicator ind = soci::i_null;
    auto p = (sql.prepare << std::string("SELECT ") + detail::transfer_columns +
                                 " FROM bankflow_ledger_transfers WHERE (debit_account = :a OR credit_account = :a2) "
                                 "AND state <> 'failed' AND seq < :b ORDER BY seq DESC LIMIT :n",
              soci::use(acc, "a"), soci::use(acc, "a2"), soci::use(before, "b"), soci::use(want, "n"));
    detail::bind_transfer(p, r, ind);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) rows.push_back(r);
  });
  if (!ok) return ok.error();
  if (rows.size() > limit) {
    rows.resize(limit);
    page.next_cursor = "h" + std::to_string(rows.back().seq);
  }
  for (const auto& r : rows) page.transfers.push_back(detail::to_transfer(r));
  return page;
}

result<std::size_t> ledger::expire_pending() {
  const long long now = impl_->now_ms();
  std::size_t count = 0;
  auto ok = detail::with_transaction(*impl_->db, "expiring pending transfers", {}, [&](soci::session& sql) {
    detail::tx t{sql, impl_->db->backend == database_backend::postgresql, now};
    count = detail::expire_due(t, nullptr);
  });
  if (!ok) return ok.error();
  return count;
}

result<invariant_report> ledger::check() {
  invariant_report rep;
  const bool pg = impl_->db->backend == database_backend::postgresql;
  auto ok = detail::with_transaction(*impl_->db, "checking the ledger", {}, [&](soci::session& sql) {
    rep = invariant_report{};
    if (pg) sql << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    long long dp = 0, cp = 0, dq = 0, cq = 0;
    sql << "SELECT CAST(COALESCE(SUM(debits_posted), 0) AS BIGINT), CAST(COALESCE(SUM(credits_posted), 0) AS BIGINT), "
           "CAST(COALESCE(SUM(debits_pending), 0) AS BIGINT), CAST(COALESCE(SUM(credits_pending), 0) AS BIGINT) "
           "FROM bankflow_ledger_accounts",
        soci::into(dp), soci::into(cp), soci::into(dq), soci::into(cq);
    rep.debits_posted = dp;
    rep.credits_posted = cp;
    rep.debits_pending = dq;
    rep.credits_pending = cq;
    if (dp != cp)
      rep.problems.push_back("posted debits " + std::to_string(dp) + " != posted credits " + std::to_string(cp));
    if (dq != cq)
      rep.problems.push_back("pending debits " + std::to_string(dq) + " != pending credits " + std::to_string(cq));
    auto each = [&](const std::string& q, const std::string& what) {
      std::string id;
      soci::statement st = (sql.prepare << q, soci::into(id));
      st.execute();
      while (st.fetch()) rep.problems.push_back(what + ": " + id);
    };
    each("SELECT id FROM bankflow_ledger_accounts WHERE (flags & 1) = 1 AND "
         "debits_posted + debits_pending > credits_posted ORDER BY id",
         "no_overdraft account below zero");
    each("SELECT id FROM bankflow_ledger_accounts WHERE debits_posted < 0 OR credits_posted < 0 OR "
         "debits_pending < 0 OR credits_pending < 0 ORDER BY id",
         "negative counter");
    each("SELECT pending_id FROM bankflow_ledger_transfers WHERE kind IN ('post', 'void') AND state <> 'failed' "
         "GROUP BY pending_id HAVING COUNT(*) > 1 ORDER BY pending_id",
         "pending transfer resolved more than once");
    each("SELECT p.id FROM bankflow_ledger_transfers p WHERE p.kind = 'pending' AND "
         "(((p.state = 'posted' OR p.state = 'voided') AND NOT EXISTS (SELECT 1 FROM bankflow_ledger_transfers r "
         "WHERE r.pending_id = p.id AND r.state <> 'failed')) OR ((p.state = 'pending' OR p.state = 'expired') AND "
         "EXISTS (SELECT 1 FROM bankflow_ledger_transfers r WHERE r.pending_id = p.id AND r.state <> 'failed'))) "
         "ORDER BY p.id",
         "pending transfer state disagrees with its resolutions");
    each("SELECT a.id FROM bankflow_ledger_accounts a WHERE "
         "a.debits_posted <> (SELECT COALESCE(SUM(t.amount), 0) FROM bankflow_ledger_transfers t WHERE "
         "t.debit_account = a.id AND t.kind IN ('immediate', 'post') AND t.state = 'posted') OR "
         "a.credits_posted <> (SELECT COALESCE(SUM(t.amount), 0) FROM bankflow_ledger_transfers t WHERE "
         "t.credit_account = a.id AND t.kind IN ('immediate', 'post') AND t.state = 'posted') OR "
         "a.debits_pending <> (SELECT COALESCE(SUM(t.amount), 0) FROM bankflow_ledger_transfers t WHERE "
         "t.debit_account = a.id AND t.kind = 'pending' AND t.state = 'pending') OR "
         "a.credits_pending <> (SELECT COALESCE(SUM(t.amount), 0) FROM bankflow_ledger_transfers t WHERE "
         "t.credit_account = a.id AND t.kind = 'pending' AND t.state = 'pending') ORDER BY a.id",
         "counters disagree with the transfers");
  });
  if (!ok) return ok.error();
  rep.ok = rep.problems.empty();
  return rep;
}

result<import_result> ledger::import_statement(const statement& st, std::string_view account,
                                               std::string_view external_account, std::size_t account_index) {
  const statement* source = &st;
  statement keyed;
  if (!st.transactions.empty() &&
      std::all_of(st.transactions.begin(), st.transactions.end(), [](const auto& t) { return t.dedupe_key == 0; })) {
    keyed = st;
    compute_dedupe_keys(keyed);
    source = &keyed;
  }
  const std::size_t index = account_index == SIZE_MAX ? source->primary_account() : account_index;
  import_result out;
  std::vector<transfer_request> requests;
  std::vector<std::size_t> lines;
  for (const auto& t : source->transactions) {
    if (t.account_index != index || t.amount == 0) {
      ++out.skipped;
      continue;
    }
    if (t.amount == std::numeric_limits<std::int64_t>::min()) {
      ++out.skipped;
      continue;
    }
    transfer_request r;
    r.id = "stmt:" + std::string(account) + ":" + format_dedupe_key(t.dedupe_key);
    r.amount = t.amount > 0 ? t.amount : -t.amount;
    r.debit_account = std::string(t.amount > 0 ? external_account : account);
    r.credit_account = std::string(t.amount > 0 ? account : external_account);
    r.reference = t.description;
    r.metadata = "{\"date\":\"" + format_date(t.posted) + "\",\"fitid\":";
    append_json_string(r.metadata, t.fitid);
    r.metadata += ",\"document\":";
    append_json_string(r.metadata, t.document);
    r.metadata += ",\"dedupe_key\":\"" + format_dedupe_key(t.dedupe_key) + "\"}";
    requests.push_back(std::move(r));
    lines.push_back(t.line);
  }
  auto results = submit_batch(requests);
  if (!results) return results.error();
  for (std::size_t i = 0; i < results->size(); ++i) {
    auto& r = (*results)[i];
    if (!r) {
      error e = r.error();
      e.line = lines[i];
      out.failures.push_back(std::move(e));
    } else if (r->exists) {
      ++out.already_present;
    } else {
      ++out.added;
    }
  }
  return out;
}

}  // namespace bankflow
