// The ledger on SOCI. Every write is one database transaction (store/db.hpp) that reads what it
// needs once, applies the transfers in memory in order with every rule, and writes the outcome at
// the end (new rows, hold state changes, one counter update per touched account). On SQLite it
// holds the write lock from BEGIN IMMEDIATE. On PostgreSQL (READ COMMITTED) it locks the touched
// accounts in one `SELECT … ORDER BY id FOR UPDATE`; ids and holds read before that lock are
// checked when written (`INSERT … ON CONFLICT DO NOTHING`, `UPDATE … WHERE state = 'pending'`):
// when a concurrent transaction got there first the counts differ and the transaction rolls back
// and runs again from scratch, as on serialization failures and deadlocks. Counters change only by
// `x = x + delta` updates of rows this transaction holds locked. Statements are prepared once per
// pooled connection (ledger_statements); on SQLite the two that run once per transfer (the id
// lookups and the INSERTs) go through the sqlite3 API (store/sqlite_native.hpp says why).

#include <bankflow/export.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"
#include "store/sqlite_native.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <unordered_map>
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

// Step 2, both engines: the indexes on holds and on resolutions become partial, so an immediate
// transfer writes two index pages fewer (queries that use them repeat the index's condition).
constexpr std::string_view partial_indexes[] = {
    "DROP INDEX IF EXISTS bankflow_ledger_transfers_expiry",
    "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_due ON bankflow_ledger_transfers (expires_at) "
    "WHERE state = 'pending' AND expires_at > 0",
    "DROP INDEX IF EXISTS bankflow_ledger_transfers_pending",
    "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_resolving ON bankflow_ledger_transfers (pending_id) "
    "WHERE pending_id <> ''"};

// Step 2, PostgreSQL: one round trip for a new immediate or pending transfer that every rule
// accepts (submit's fast path). It locks both accounts in id order, like the general path, and
// writes only when the id is new, both accounts exist in one currency, neither has holds that ran
// out, no counter overflows and no_overdraft allows it; otherwise it writes nothing and returns 0,
// and the caller runs the general path (which records refusals and decides everything else).
// No ':' in the body: SOCI would take it for a parameter.
constexpr std::string_view fast_transfer_function =
    "CREATE OR REPLACE FUNCTION bankflow_ledger_fast_transfer(p_id TEXT, p_kind TEXT, p_debit TEXT, "
    "p_credit TEXT, p_amount BIGINT, p_timeout BIGINT, p_metadata TEXT, p_reference TEXT, p_now BIGINT) "
    "RETURNS INTEGER LANGUAGE plpgsql AS $$\n"
    "DECLARE d bankflow_ledger_accounts%ROWTYPE; c bankflow_ledger_accounts%ROWTYPE; "
    "pending BOOLEAN DEFAULT p_kind = 'pending'; big NUMERIC DEFAULT 9223372036854775807;\n"
    "BEGIN\n"
    "  IF p_kind NOT IN ('immediate', 'pending') OR p_amount <= 0 OR p_timeout < 0 THEN RETURN 0; END IF;\n"
    "  PERFORM 1 FROM bankflow_ledger_transfers WHERE id = p_id;\n"
    "  IF FOUND THEN RETURN 0; END IF;\n"
    "  PERFORM 1 FROM bankflow_ledger_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE;\n"
    "  SELECT * INTO d FROM bankflow_ledger_accounts WHERE id = p_debit;\n"
    "  IF NOT FOUND THEN RETURN 0; END IF;\n"
    "  SELECT * INTO c FROM bankflow_ledger_accounts WHERE id = p_credit;\n"
    "  IF NOT FOUND OR d.currency <> c.currency THEN RETURN 0; END IF;\n"
    "  PERFORM 1 FROM bankflow_ledger_transfers WHERE state = 'pending' AND expires_at > 0 AND "
    "expires_at <= p_now AND (debit_account IN (p_debit, p_credit) OR credit_account IN (p_debit, p_credit));\n"
    "  IF FOUND THEN RETURN 0; END IF;\n"
    "  IF CAST(CASE WHEN pending THEN d.debits_pending ELSE d.debits_posted END AS NUMERIC) + p_amount > big OR "
    "CAST(CASE WHEN pending THEN c.credits_pending ELSE c.credits_posted END AS NUMERIC) + p_amount > big OR "
    "CAST(d.debits_posted AS NUMERIC) + d.debits_pending + p_amount > big OR "
    "CAST(p_now AS NUMERIC) + p_timeout > big THEN RETURN 0; END IF;\n"
    "  IF (d.flags & 1) = 1 AND CAST(d.debits_posted AS NUMERIC) + d.debits_pending + p_amount > d.credits_posted "
    "THEN RETURN 0; END IF;\n"
    "  INSERT INTO bankflow_ledger_transfers (id, kind, debit_account, credit_account, pending_id, metadata, "
    "reference, state, req_debit, req_credit, error_field, error_message, amount, req_amount, timeout_ms, "
    "error_code, created_at, expires_at) VALUES (p_id, p_kind, p_debit, p_credit, '', p_metadata, p_reference, "
    "CASE WHEN pending THEN 'pending' ELSE 'posted' END, p_debit, p_credit, '', '', p_amount, p_amount, "
    "p_timeout, 0, p_now, CASE WHEN pending AND p_timeout > 0 THEN p_now + p_timeout ELSE 0 END) "
    "ON CONFLICT (id) DO NOTHING;\n"
    "  IF NOT FOUND THEN RETURN 0; END IF;\n"
    "  IF pending THEN\n"
    "    UPDATE bankflow_ledger_accounts SET debits_pending = debits_pending + p_amount WHERE id = p_debit;\n"
    "    UPDATE bankflow_ledger_accounts SET credits_pending = credits_pending + p_amount WHERE id = p_credit;\n"
    "  ELSE\n"
    "    UPDATE bankflow_ledger_accounts SET debits_posted = debits_posted + p_amount WHERE id = p_debit;\n"
    "    UPDATE bankflow_ledger_accounts SET credits_posted = credits_posted + p_amount WHERE id = p_credit;\n"
    "  END IF;\n"
    "  RETURN 1;\n"
    "END $$";

const std::vector<migration>& ledger_migrations(database_backend backend) {
  // the statements live as long as the program: migration holds views
  static const std::vector<std::string> sqlite_v1 = ledger_schema("INTEGER PRIMARY KEY AUTOINCREMENT");
  static const std::vector<std::string> postgresql_v1 = ledger_schema("BIGSERIAL PRIMARY KEY");
  auto views = [](const std::vector<std::string>& v) {
    return std::vector<std::string_view>(v.begin(), v.end());
  };
  static const std::vector<std::string_view> sqlite_v2(std::begin(partial_indexes), std::end(partial_indexes));
  static const std::vector<std::string_view> postgresql_v2 = [] {
    std::vector<std::string_view> v(std::begin(partial_indexes), std::end(partial_indexes));
    v.push_back(fast_transfer_function);
    return v;
  }();
  static const std::vector<migration> sqlite = {{1, views(sqlite_v1)}, {2, sqlite_v2}};
  static const std::vector<migration> postgresql = {{1, views(postgresql_v1)}, {2, postgresql_v2}};
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

bool would_overflow(long long a, long long b) {
  long long out = 0;
  return __builtin_add_overflow(a, b, &out);
}

// ---- prepared statements, per connection -------------------------------------------------------

// Text arrays for PostgreSQL parameters: {"a","b"} with " and \ escaped, bytes passed as they are.
void append_array_item(std::string& out, std::string_view v) {
  out += out.empty() ? "{\"" : ",\"";
  for (const char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}
void append_array_item(std::string& out, long long v) {
  out += out.empty() ? '{' : ',';
  out += std::to_string(v);
}
void close_array(std::string& out) {
  if (out.empty()) out += '{';
  out += '}';
}

// A kind or state as a string literal of static storage (sqlite_statement::bind_static); empty
// for any other text.
std::string_view stored_word(std::string_view v) {
  static constexpr std::string_view words[] = {"immediate", "pending", "post",    "void",
                                               "posted",    "voided",  "expired", "failed"};
  for (const auto w : words)
    if (v == w) return w;
  return {};
}

// Runs a one-row query; true when it found the row (now in its bound variables). Steps the
// statement to its end, so SQLite ends its read (a statement left on a row keeps the connection's
// read transaction open past COMMIT).
template <class Take>
bool fetch_one(soci::statement& st, Take&& take) {
  if (!st.execute(true)) return false;
  take();
  while (st.fetch()) {
  }
  return true;
}

// The table as the queries for run-out holds name it: SQLite is told to use the partial index of
// holds (left to itself it may walk an account's whole history through the account indexes).
std::string due_holds_table(bool pg, std::string_view alias = {}) {
  std::string out = "bankflow_ledger_transfers";
  if (!alias.empty()) out += " AS " + std::string(alias);
  if (!pg) out += " INDEXED BY bankflow_ledger_transfers_due";
  return out;
}

// The ledger's statements on one pooled connection, prepared on first use and run again with new
// values in the bound variables below. SQLite gets one-row statements (no round trips to save)
// but for the id lookups and INSERTs, which take up to 64 ids or rows each on the sqlite3 API;
// PostgreSQL gets array statements, so a batch costs the same few round trips as one transfer.
struct ledger_statements final : connection_local {
  explicit ledger_statements(soci::session& s, bool postgresql) : sql(s), pg(postgresql) {}
  soci::session& sql;
  bool pg;

  // bound variables
  std::string key;          // an id
  long long now = 0;
  transfer_row tr;          // a transfer read
  soci::indicator tr_ind = soci::i_null;
  account_row ar;           // an account read
  long long due = 0;        // the account has holds that ran out
  long long counts[3] = {0, 0, 0};
  std::string state;
  long long delta[4] = {0, 0, 0, 0};
  transfer_row out;         // a transfer for the fast path (PostgreSQL)
  std::string arrays[25];   // PostgreSQL array parameters

  std::optional<soci::statement> account_by_key, due_by_key, set_state, add_counters;
  // SQLite, once per transfer: on the sqlite3 API (store/sqlite_native.hpp says why)
  std::vector<std::unique_ptr<sqlite_statement>> transfers_by_ids;  // [k]: 2^k ids
  std::vector<std::unique_ptr<sqlite_statement>> inserts;           // [k]: 2^k rows
  std::optional<soci::statement> transfers_by_keys, lock_accounts, due_by_keys, write, fast;
  long long applied = 0;

  soci::statement& transfers_query() {  // PostgreSQL: rows of transfers whose id is in `key`
    auto& st = transfers_by_keys;
    if (!st) {
      auto p = (sql.prepare << std::string("SELECT ") + transfer_columns +
                                   " FROM bankflow_ledger_transfers WHERE id = ANY(CAST(:k AS text[]))",
                soci::use(key, "k"));
      bind_transfer(p, tr, tr_ind);
      st.emplace(p);
    }
    return *st;
  }
  // SQLite: a statement of `group` (n rows or ids of `per_item` parameters each, n = 2^k, k < 7
  // and n × per_item within SQLite's parameter limit) for the first n of `remaining` items, made
  // on first use by `make(n)`. Each statement SQLite runs has a fixed cost (VDBE set-up, a
  // statement transaction and AUTOINCREMENT's sqlite_sequence update for an INSERT, allocations):
  // ~31k instructions for a one-row INSERT against ~20k a row in a 64-row one (callgrind), so
  // rows and ids go up to 64 at a time.
  template <class Make>
  std::pair<sqlite_statement*, std::size_t> chunk(std::vector<std::unique_ptr<sqlite_statement>>& group,
                                                  std::size_t per_item, std::size_t remaining, Make&& make) {
    if (group.empty()) {
      const auto limit = static_cast<std::size_t>(sqlite_statement::max_parameters(sql));
      std::size_t levels = 0;
      while (levels < 7 && per_item * (std::size_t{1} << levels) <= limit) ++levels;
      group.resize(std::max<std::size_t>(levels, 1));  // below one item, SQLite's prepare says why
    }
    std::size_t k = group.size() - 1;
    while ((std::size_t{1} << k) > remaining) --k;
    const std::size_t n = std::size_t{1} << k;
    if (!group[k]) group[k] = std::make_unique<sqlite_statement>(sql, make(n));
    return {group[k].get(), n};
  }
  // SQLite: the transfers whose ids are bound to the `?`s (columns as transfer_columns).
  std::pair<sqlite_statement*, std::size_t> transfers_by_ids_query(std::size_t remaining) {
    return chunk(transfers_by_ids, 1, remaining, [](std::size_t n) {
      std::string q = std::string("SELECT ") + transfer_columns + " FROM bankflow_ledger_transfers WHERE id IN (";
      for (std::size_t i = 0; i < n; ++i) q += i == 0 ? "?" : ",?";
      return q + ")";
    });
  }
  static void read_row(const sqlite_statement& st, transfer_row& r) {
    r.seq = st.column_int64(0);
    std::string* texts[12] = {&r.id, &r.kind, &r.debit_account, &r.credit_account,
                              &r.pending_id, &r.metadata, &r.reference, &r.state,
                              &r.req_debit, &r.req_credit, &r.error_field, &r.error_message};
    long long* numbers[6] = {&r.amount, &r.req_amount, &r.timeout_ms, &r.error_code, &r.created_at, &r.expires_at};
    for (int i = 0; i < 12; ++i) texts[i]->assign(st.column_text(1 + i));
    for (int i = 0; i < 6; ++i) *numbers[i] = st.column_int64(13 + i);
  }
  soci::statement& accounts_query() {  // accounts named in `key`, locked in id order (pg) / = `key`
    auto& st = pg ? lock_accounts : account_by_key;
    if (!st) {
      const std::string due_expr =
          "CASE WHEN EXISTS (SELECT 1 FROM " + due_holds_table(pg, "t") + " WHERE t.state = 'pending' AND "
          "t.expires_at > 0 AND t.expires_at <= :n AND (t.debit_account = a.id OR t.credit_account = a.id)) "
          "THEN 1 ELSE 0 END";
      st.emplace((sql.prepare << "SELECT a.id, a.currency, a.owner, a.flags, a.debits_posted, a.credits_posted, "
                                 "a.debits_pending, a.credits_pending, " +
                                     due_expr + " FROM bankflow_ledger_accounts a WHERE " +
                                     (pg ? "a.id = ANY(CAST(:k AS text[])) ORDER BY a.id FOR UPDATE" : "a.id = :k"),
                  soci::use(now, "n"), soci::use(key, "k"), soci::into(ar.id), soci::into(ar.currency),
                  soci::into(ar.owner), soci::into(ar.flags), soci::into(ar.debits_posted),
                  soci::into(ar.credits_posted), soci::into(ar.debits_pending), soci::into(ar.credits_pending),
                  soci::into(due)));
    }
    return *st;
  }
  soci::statement& due_query() {  // pending transfers run out touching the account(s) in `key`
    auto& st = pg ? due_by_keys : due_by_key;
    if (!st) {
      auto p = (sql.prepare << std::string("SELECT ") + transfer_columns + " FROM " + due_holds_table(pg) +
                                   " WHERE state = 'pending' AND expires_at > 0 AND "
                                   "expires_at <= :n AND " +
                                   (pg ? "(debit_account = ANY(CAST(:k AS text[])) OR credit_account = "
                                         "ANY(CAST(:k2 AS text[]))) ORDER BY seq"
                                       : "(debit_account = :k OR credit_account = :k2) ORDER BY seq"),
                soci::use(now, "n"), soci::use(key, "k"), soci::use(key, "k2"));
      bind_transfer(p, tr, tr_ind);
      st.emplace(p);
    }
    return *st;
  }
  // SQLite: inserts rows, up to 64 per statement (see chunk()). Parameters are positional `?`s:
  // named ones cost SQLite a linear search each while the statement is prepared.
  void insert_rows(std::span<const transfer_row> rows) {
    while (!rows.empty()) {
      auto [st, n] = chunk(inserts, 18, rows.size(), [](std::size_t count) {
        std::string q =
            "INSERT INTO bankflow_ledger_transfers (id, kind, debit_account, credit_account, pending_id, metadata, "
            "reference, state, req_debit, req_credit, error_field, error_message, amount, req_amount, timeout_ms, "
            "error_code, created_at, expires_at) VALUES ";
        for (std::size_t i = 0; i < count; ++i)
          q += i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        return q;
      });
      int pos = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const transfer_row& r = rows[i];
        // kind and state as literals, so the statement's earlier bindings of them are reused
        for (const std::string* t : {&r.id, &r.kind, &r.debit_account, &r.credit_account, &r.pending_id, &r.metadata,
                                     &r.reference, &r.state, &r.req_debit, &r.req_credit, &r.error_field,
                                     &r.error_message}) {
          ++pos;
          if (t == &r.kind || t == &r.state) {
            if (const auto word = stored_word(*t); !word.empty()) {
              st->bind_static(pos, word);
              continue;
            }
          }
          st->bind(pos, *t);
        }
        for (const long long v : {r.amount, r.req_amount, r.timeout_ms, r.error_code, r.created_at, r.expires_at})
          st->bind(++pos, v);
      }
      if (st->run() != static_cast<int>(n)) throw std::logic_error("ledger: an INSERT wrote fewer rows than it had");
      rows = rows.subspan(n);
    }
  }
  soci::statement& set_state_query() {
    if (!set_state)
      set_state.emplace((sql.prepare << "UPDATE bankflow_ledger_transfers SET state = :s WHERE id = :id AND "
                                        "state = 'pending'",
                         soci::use(state, "s"), soci::use(key, "id")));
    return *set_state;
  }
  soci::statement& add_counters_query() {
    if (!add_counters)
      add_counters.emplace(
          (sql.prepare << "UPDATE bankflow_ledger_accounts SET debits_posted = debits_posted + :a, credits_posted = "
                          "credits_posted + :b, debits_pending = debits_pending + :c, credits_pending = "
                          "credits_pending + :d WHERE id = :id",
           soci::use(delta[0], "a"), soci::use(delta[1], "b"), soci::use(delta[2], "c"), soci::use(delta[3], "d"),
           soci::use(key, "id")));
    return *add_counters;
  }
  // PostgreSQL: a new transfer in one round trip, when every rule accepts it (step 2's function).
  soci::statement& fast_query() {
    if (!fast)
      fast.emplace((sql.prepare << "SELECT bankflow_ledger_fast_transfer(:id, :kind, :da, :ca, :amt, :tmo, :md, "
                                   ":ref, :n)",
                    soci::use(out.id, "id"), soci::use(out.kind, "kind"), soci::use(out.debit_account, "da"),
                    soci::use(out.credit_account, "ca"), soci::use(out.amount, "amt"),
                    soci::use(out.timeout_ms, "tmo"), soci::use(out.metadata, "md"),
                    soci::use(out.reference, "ref"), soci::use(now, "n"), soci::into(applied)));
    return *fast;
  }
  // PostgreSQL: every write of a transaction in one statement. The insert skips ids that a
  // concurrent transaction committed meanwhile and the state change needs the hold still
  // pending, so the counts it returns tell whether the transaction worked on stale reads.
  soci::statement& write_query() {
    if (!write) {
      std::string q =
          "WITH ins AS (INSERT INTO bankflow_ledger_transfers (id, kind, debit_account, credit_account, pending_id, "
          "metadata, reference, state, req_debit, req_credit, error_field, error_message, amount, req_amount, "
          "timeout_ms, error_code, created_at, expires_at) SELECT * FROM unnest(";
      for (int i = 0; i < 18; ++i)
        q += (i ? ", CAST(:p" : "CAST(:p") + std::to_string(i) + (i < 12 ? " AS text[])" : " AS bigint[])");
      q += ") ON CONFLICT (id) DO NOTHING RETURNING 1), "
           "st AS (UPDATE bankflow_ledger_transfers t SET state = v.state FROM unnest(CAST(:p18 AS text[]), "
           "CAST(:p19 AS text[])) AS v(id, state) WHERE t.id = v.id AND t.state = 'pending' RETURNING 1), "
           "acc AS (UPDATE bankflow_ledger_accounts a SET debits_posted = a.debits_posted + v.dp, credits_posted = "
           "a.credits_posted + v.cp, debits_pending = a.debits_pending + v.dq, credits_pending = "
           "a.credits_pending + v.cq FROM unnest(CAST(:p20 AS text[]), CAST(:p21 AS bigint[]), CAST(:p22 AS "
           "bigint[]), CAST(:p23 AS bigint[]), CAST(:p24 AS bigint[])) AS v(id, dp, cp, dq, cq) WHERE a.id = v.id "
           "RETURNING 1) SELECT (SELECT COUNT(*) FROM ins), (SELECT COUNT(*) FROM st), (SELECT COUNT(*) FROM acc)";
      auto p = (sql.prepare << q);
      for (int i = 0; i < 25; ++i) p, soci::use(arrays[i], "p" + std::to_string(i));
      p, soci::into(counts[0]), soci::into(counts[1]), soci::into(counts[2]);
      write.emplace(p);
    }
    return *write;
  }
};

// The key under which the ledger keeps its statements on a connection.
constexpr char statements_key = 0;

// ---- one transaction's work ----------------------------------------------------------------------

struct tx {
  soci::session& sql;
  bool pg;
  long long now;
  ledger_statements& s;
};

ledger_statements& statements_of(database_impl& db, soci::session& sql) {
  const bool pg = db.backend == database_backend::postgresql;
  return local_state<ledger_statements>(db, sql, &statements_key,
                                        [&] { return std::make_unique<ledger_statements>(sql, pg); });
}

struct counters {
  long long debits_posted = 0, credits_posted = 0, debits_pending = 0, credits_pending = 0;
  [[nodiscard]] bool zero() const {
    return debits_posted == 0 && credits_posted == 0 && debits_pending == 0 && credits_pending == 0;
  }
};

// Reads what a transaction needs once, applies transfers in memory with every rule, and writes the
// outcome at the end: new rows, state changes of holds, one counter update per touched account.
// On PostgreSQL the touched accounts are locked (sorted, one statement) before any rule looks at
// them; on SQLite the transaction holds the write lock from its start.
class batch_work {
 public:
  explicit batch_work(tx& t) : t_(t) {}

  // Reads the transfers with these ids (sorted, no duplicates) into known_; an id found nowhere
  // (find_row) is new.
  void read_transfers(const std::vector<std::string_view>& ids) {
    auto& s = t_.s;
    if (ids.empty()) return;
    if (t_.pg) {
      s.key.clear();
      for (const auto id : ids) append_array_item(s.key, id);
      close_array(s.key);
      auto& st = s.transfers_query();
      st.execute();
      while (st.fetch()) known_[s.tr.id] = s.tr;
      return;
    }
    std::span<const std::string_view> rest(ids);
    transfer_row row;
    while (!rest.empty()) {
      auto [st, n] = s.transfers_by_ids_query(rest.size());
      for (std::size_t i = 0; i < n; ++i) st->bind(static_cast<int>(i) + 1, rest[i]);
      while (st->step()) {  // to the end: a statement left on a row would keep its read open
        ledger_statements::read_row(*st, row);
        known_[row.id] = row;
      }
      rest = rest.subspan(n);
    }
  }

  // Locks and reads these accounts (those not yet held), then voids the holds of every held
  // account that ran out, locking their other accounts too.
  void lock_accounts(const std::set<std::string>& ids) {
    std::set<std::string> due = read_accounts(ids);
    if (due.empty()) return;
    std::vector<transfer_row> holds = read_due(due);
    std::set<std::string> more;
    for (const auto& h : holds) {
      if (!accounts_.count(h.debit_account)) more.insert(h.debit_account);
      if (!accounts_.count(h.credit_account)) more.insert(h.credit_account);
    }
    // Out of the sorted order, rarely: a deadlock is detected by the server and retried.
    read_accounts(more);
    for (auto& h : holds) expire(h);
  }

  // Voids every hold that ran out (all accounts).
  std::size_t expire_all() {
    std::set<std::string> ids;
    {
      std::string id, debit, credit;
      soci::statement st = (t_.sql.prepare << "SELECT id, debit_account, credit_account FROM " +
                                                  due_holds_table(t_.pg) +
                                                  " WHERE state = 'pending' AND expires_at > 0 AND expires_at <= :n",
                            soci::use(t_.now, "n"), soci::into(id), soci::into(debit), soci::into(credit));
      st.execute();
      while (st.fetch()) {
        ids.insert(debit);
        ids.insert(credit);
      }
    }
    lock_accounts(ids);
    return expired_;
  }

  [[nodiscard]] const account_row* account(const std::string& id) const {
    auto it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : &it->second;
  }

  // Runs the requests in order (accounts and transfers read by the caller through prepare()).
  std::vector<result<transfer_result>> run(std::span<const transfer_request> requests, bool linked) {
    std::vector<result<transfer_result>> out;
    out.reserve(requests.size());
    inserts_.reserve(inserts_.size() + requests.size());
    inserted_.reserve(inserted_.size() + requests.size());
    if (!linked) {
      for (const auto& r : requests) out.push_back(process(r, true));
      return out;
    }
    // All or nothing: keep what the expiry did, drop the rest when one fails.
    const auto accounts = accounts_;
    const auto deltas = deltas_;
    const auto known = known_;
    const auto inserted = inserts_.size();
    const auto states = state_changes_;
    bool failed = false;
    for (const auto& r : requests) {
      out.push_back(process(r, false));
      if (!out.back()) failed = true;
    }
    if (failed) {
      accounts_ = accounts;
      deltas_ = deltas;
      known_ = known;
      inserts_.resize(inserted);
      std::erase_if(inserted_, [&](const auto& e) { return e.second >= inserted; });
      state_changes_ = states;
      for (auto& o : out)
        if (o) o = make_error(errc::linked_failed, "another transfer of the linked batch failed");
    }
    return out;
  }

  // Reads and locks everything the requests need: their ids, the holds they resolve, the accounts.
  void prepare(std::span<const transfer_request> requests) {
    // ids as a sorted vector: a std::set of 1,000 string copies cost ~1.5k instructions per id
    std::vector<std::string_view> ids;
    std::set<std::string> accounts;
    std::set<std::string> pendings;
    ids.reserve(requests.size());
    const transfer_request* previous = nullptr;  // batches often repeat their accounts
    for (const auto& r : requests) {
      ids.push_back(r.id);
      if (!r.pending_id.empty()) pendings.insert(r.pending_id);
      if (!r.debit_account.empty() && (previous == nullptr || previous->debit_account != r.debit_account))
        accounts.insert(r.debit_account);
      if (!r.credit_account.empty() && (previous == nullptr || previous->credit_account != r.credit_account))
        accounts.insert(r.credit_account);
      previous = &r;
    }
    ids.insert(ids.end(), pendings.begin(), pendings.end());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    read_transfers(ids);
    for (const auto& pid : pendings)
      if (const transfer_row* p = find_row(pid)) {
        accounts.insert(p->debit_account);
        accounts.insert(p->credit_account);
      }
    lock_accounts(accounts);
  }

  // Writes the outcome.
  void flush() {
    auto& s = t_.s;
    if (!t_.pg) {
      s.insert_rows(inserts_);
      for (const auto& [id, state] : state_changes_) {
        s.key = id;
        s.state = state;
        auto& st = s.set_state_query();
        st.execute(true);
        if (st.get_affected_rows() != 1) throw std::logic_error("ledger: hold " + id + " changed under the write lock");
      }
      for (const auto& [id, d] : deltas_) {
        if (d.zero()) continue;
        s.key = id;
        s.delta[0] = d.debits_posted;
        s.delta[1] = d.credits_posted;
        s.delta[2] = d.debits_pending;
        s.delta[3] = d.credits_pending;
        s.add_counters_query().execute(true);
      }
      return;
    }
    for (auto& a : s.arrays) a.clear();
    for (const auto& row : inserts_) {
      const std::string* texts[12] = {&row.id, &row.kind, &row.debit_account, &row.credit_account,
                                      &row.pending_id, &row.metadata, &row.reference, &row.state,
                                      &row.req_debit, &row.req_credit, &row.error_field, &row.error_message};
      const long long numbers[6] = {row.amount, row.req_amount, row.timeout_ms,
                                    row.error_code, row.created_at, row.expires_at};
      for (int i = 0; i < 12; ++i) append_array_item(s.arrays[i], *texts[i]);
      for (int i = 0; i < 6; ++i) append_array_item(s.arrays[12 + i], numbers[i]);
    }
    for (const auto& [id, state] : state_changes_) {
      append_array_item(s.arrays[18], id);
      append_array_item(s.arrays[19], state);
    }
    long long touched = 0;
    for (const auto& [id, d] : deltas_) {
      if (d.zero()) continue;
      ++touched;
      append_array_item(s.arrays[20], id);
      append_array_item(s.arrays[21], d.debits_posted);
      append_array_item(s.arrays[22], d.credits_posted);
      append_array_item(s.arrays[23], d.debits_pending);
      append_array_item(s.arrays[24], d.credits_pending);
    }
    if (inserts_.empty() && state_changes_.empty() && touched == 0) return;
    for (auto& a : s.arrays) close_array(a);
    s.write_query().execute(true);
    if (s.counts[0] != static_cast<long long>(inserts_.size()) ||
        s.counts[1] != static_cast<long long>(state_changes_.size()) || s.counts[2] != touched)
      throw transaction_conflict("ledger: a transfer id or hold changed concurrently");
  }

 private:
  std::set<std::string> read_accounts(const std::set<std::string>& wanted) {
    auto& s = t_.s;
    s.now = t_.now;
    std::set<std::string> due;
    std::vector<const std::string*> ids;
    for (const auto& id : wanted)
      if (!accounts_.count(id)) ids.push_back(&id);
    if (ids.empty()) return due;
    auto take = [&] {
      accounts_[s.ar.id] = s.ar;
      if (s.due != 0) due.insert(s.ar.id);
    };
    if (t_.pg) {
      s.key.clear();
      for (const auto* id : ids) append_array_item(s.key, *id);
      close_array(s.key);
      auto& st = s.accounts_query();
      st.execute();
      while (st.fetch()) take();
      return due;
    }
    for (const auto* id : ids) {
      s.key = *id;
      fetch_one(s.accounts_query(), take);
    }
    return due;
  }

  std::vector<transfer_row> read_due(const std::set<std::string>& accounts) {
    auto& s = t_.s;
    s.now = t_.now;
    std::map<std::string, transfer_row> found;  // one hold may touch two of the accounts
    if (t_.pg) {
      s.key.clear();
      for (const auto& id : accounts) append_array_item(s.key, id);
      close_array(s.key);
      auto& st = s.due_query();
      st.execute();
      while (st.fetch()) found.emplace(s.tr.id, s.tr);
    } else {
      for (const auto& id : accounts) {
        s.key = id;
        auto& st = s.due_query();
        st.execute();
        while (st.fetch()) found.emplace(s.tr.id, s.tr);
      }
    }
    std::vector<transfer_row> out;
    for (auto& [id, row] : found) out.push_back(std::move(row));
    return out;
  }

  void add(const std::string& account, long long counters::*field, long long amount) {
    auto& a = accounts_.at(account);
    long long account_row::*column = field == &counters::debits_posted    ? &account_row::debits_posted
                                     : field == &counters::credits_posted ? &account_row::credits_posted
                                     : field == &counters::debits_pending ? &account_row::debits_pending
                                                                          : &account_row::credits_pending;
    a.*column += amount;
    deltas_[account].*field += amount;
  }

  // Voids a hold that ran out (its accounts held).
  void expire(transfer_row h) {
    if (h.state != "pending" || h.expires_at <= 0 || h.expires_at > t_.now) return;
    add(h.debit_account, &counters::debits_pending, -h.amount);
    add(h.credit_account, &counters::credits_pending, -h.amount);
    set_state(h.id, "expired");
    ++expired_;
    h.state = "expired";
    known_[h.id] = std::move(h);
  }

  void set_state(const std::string& id, const std::string& state) {
    if (auto it = inserted_.find(id); it != inserted_.end()) {
      inserts_[it->second].state = state;
    } else {
      state_changes_[id] = state;
    }
    if (auto it = known_.find(id); it != known_.end() && it->second) it->second->state = state;
  }

  // A new row to write; found by find_row from now on (no copy in known_).
  void put(transfer_row row) {
    inserted_[row.id] = inserts_.size();
    inserts_.push_back(std::move(row));
  }

  // The row stored or to be written under `id`; null when the id is new.
  [[nodiscard]] const transfer_row* find_row(const std::string& id) const {
    if (auto it = inserted_.find(id); it != inserted_.end()) return &inserts_[it->second];
    auto it = known_.find(id);
    return it != known_.end() && it->second ? &*it->second : nullptr;
  }

  // Records a state-dependent failure under the id, so the id stays failed.
  error fail(const transfer_request& r, bool record, error e) {
    if (record) {
      transfer_row row = row_from(r, t_.now);
      row.state = "failed";
      row.error_code = static_cast<long long>(e.code);
      row.error_field = e.field;
      row.error_message = e.message;
      put(std::move(row));
    }
    return e;
  }

  // One transfer. `record`: failures are written under the id (false inside a linked batch,
  // whose failures undo everything).
  result<transfer_result> process(const transfer_request& r, bool record) {
    if (auto bad = validate(r)) return *bad;
    if (const transfer_row* found = find_row(r.id)) {
      const transfer_row& existing = *found;
      if (auto field = differing_field(existing, r))
        return field_error(errc::id_conflict, "transfer " + r.id + " was submitted with a different " + *field,
                           *field);
      if (existing.state == "failed") return stored_error(existing);
      return transfer_result{to_transfer(existing), true};
    }

    if (r.kind == transfer_kind::immediate || r.kind == transfer_kind::pending) {
      const account_row* debit = account(r.debit_account);
      const account_row* credit = account(r.credit_account);
      if (debit == nullptr)
        return fail(r, record, field_error(errc::not_found, "no account " + r.debit_account, "debit_account"));
      if (credit == nullptr)
        return fail(r, record, field_error(errc::not_found, "no account " + r.credit_account, "credit_account"));
      if (debit->currency != credit->currency)
        return fail(r, record,
                    field_error(errc::currency_mismatch,
                                "debit account in " + debit->currency + ", credit account in " + credit->currency,
                                "credit_account"));
      const bool pending = r.kind == transfer_kind::pending;
      const long long debit_counter = pending ? debit->debits_pending : debit->debits_posted;
      const long long credit_counter = pending ? credit->credits_pending : credit->credits_posted;
      if (would_overflow(debit_counter, r.amount) || would_overflow(credit_counter, r.amount) ||
          would_overflow(debit->debits_posted + debit->debits_pending, r.amount))
        return fail(r, record, field_error(errc::amount_overflow, "an account counter would overflow", "amount"));
      if ((debit->flags & account_no_overdraft) != 0 &&
          debit->debits_posted + debit->debits_pending + r.amount > debit->credits_posted)
        return fail(r, record,
                    field_error(errc::insufficient_funds,
                                "account " + debit->id + " has " +
                                    format_amount(debit->credits_posted - debit->debits_posted -
                                                  debit->debits_pending) +
                                    " available, " + format_amount(r.amount) + " asked",
                                "amount"));
      add(r.debit_account, pending ? &counters::debits_pending : &counters::debits_posted, r.amount);
      add(r.credit_account, pending ? &counters::credits_pending : &counters::credits_posted, r.amount);
      transfer_row row = row_from(r, t_.now);
      row.state = pending ? "pending" : "posted";
      if (pending && r.timeout.count() > 0) row.expires_at = t_.now + static_cast<long long>(r.timeout.count());
      transfer out = to_transfer(row);
      put(std::move(row));
      return transfer_result{std::move(out), false};
    }

    // post or void
    const transfer_row* found = find_row(r.pending_id);
    if (found == nullptr || found->kind != "pending" || found->state == "failed")
      return fail(r, record, field_error(errc::not_found, "no pending transfer " + r.pending_id, "pending_id"));
    transfer_row p = *found;
    if (!r.debit_account.empty() && r.debit_account != p.debit_account)
      return fail(r, record,
                  field_error(errc::invalid_argument, "the pending transfer debits " + p.debit_account,
                              "debit_account"));
    if (!r.credit_account.empty() && r.credit_account != p.credit_account)
      return fail(r, record,
                  field_error(errc::invalid_argument, "the pending transfer credits " + p.credit_account,
                              "credit_account"));
    if (p.state == "pending" && p.expires_at > 0 && p.expires_at <= t_.now) {
      expire(p);
      p.state = "expired";
    }
    if (p.state == "expired")
      return fail(r, record, field_error(errc::pending_expired, "pending transfer " + p.id + " expired", "pending_id"));
    if (p.state != "pending")
      return fail(r, record,
                  field_error(errc::pending_resolved, "pending transfer " + p.id + " is already " + p.state,
                              "pending_id"));
    const bool post = r.kind == transfer_kind::post;
    const long long amount = post && r.amount != 0 ? r.amount : p.amount;
    if (r.amount > p.amount || (!post && r.amount != 0 && r.amount != p.amount))
      return fail(r, record,
                  field_error(errc::exceeds_pending,
                              format_amount(r.amount) + " asked of a pending " + format_amount(p.amount), "amount"));
    add(p.debit_account, &counters::debits_pending, -p.amount);
    add(p.credit_account, &counters::credits_pending, -p.amount);
    if (post) {
      add(p.debit_account, &counters::debits_posted, amount);
      add(p.credit_account, &counters::credits_posted, amount);
    }
    set_state(p.id, post ? "posted" : "voided");
    transfer_row row = row_from(r, t_.now);
    row.debit_account = p.debit_account;
    row.credit_account = p.credit_account;
    row.amount = amount;
    row.state = post ? "posted" : "voided";
    transfer out = to_transfer(row);
    put(std::move(row));
    return transfer_result{std::move(out), false};
  }

  tx& t_;
  std::map<std::string, account_row> accounts_;  // held (locked) accounts, current values
  std::map<std::string, counters> deltas_;       // what this transaction adds to them
  std::unordered_map<std::string, std::optional<transfer_row>> known_;  // ids read (and expired holds)
  std::vector<transfer_row> inserts_;
  std::unordered_map<std::string, std::size_t> inserted_;
  std::map<std::string, std::string> state_changes_;  // holds read from the store -> new state
  std::size_t expired_ = 0;
};

// Runs `work` in one transaction with the connection's statements; statements in doubt after a
// failure are dropped (prepared again next time).
template <class Work>
result<void> ledger_transaction(database_impl& db, std::string_view what, long long now, Work&& work) {
  const bool pg = db.backend == database_backend::postgresql;
  return with_transaction(db, what, {}, [&](soci::session& sql) {
    ledger_statements& s = statements_of(db, sql);
    tx t{sql, pg, now, s};
    try {
      work(t);
    } catch (...) {
      drop_local_state(db, sql, &statements_key);
      throw;
    }
  });
}


// The general path: requests in one transaction, one result each.
result<std::vector<result<transfer_result>>> submit_in_transaction(database_impl& db,
                                                                   std::span<const transfer_request> requests,
                                                                   bool linked, long long now) {
  std::vector<result<transfer_result>> out;
  auto ok = ledger_transaction(db, "submitting ledger transfers", now, [&](tx& t) {
    batch_work work(t);
    work.prepare(requests);
    out = work.run(requests, linked);
    work.flush();
  });
  if (!ok) return ok.error();
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
      sql << "SELECT COUNT(*) FROM " + detail::due_holds_table(impl_->db->backend == database_backend::postgresql) +
                 " WHERE state = 'pending' AND expires_at > 0 AND expires_at <= :n AND (debit_account = :a OR "
                 "credit_account = :a2)",
          soci::use(now, "n"), soci::use(key, "a"), soci::use(key, "a2"), soci::into(due);
  });
  if (!ok) return ok.error();
  if (!found) return detail::field_error(errc::not_found, "no account " + key, "id");
  if (due == 0) return detail::to_account(row);
  // Lazy expiry: void this account's run-out holds, then read it again.
  ok = detail::ledger_transaction(*impl_->db, "expiring holds", now, [&](detail::tx& t) {
    detail::batch_work work(t);
    work.lock_accounts({key});
    work.flush();
    if (const auto* a = work.account(key)) row = *a;
  });
  if (!ok) return ok.error();
  return detail::to_account(row);
}

result<transfer_result> ledger::submit(const transfer_request& request) {
  const long long now = impl_->now_ms();
  detail::database_impl& db = *impl_->db;
  if (db.backend == database_backend::postgresql &&
      (request.kind == transfer_kind::immediate || request.kind == transfer_kind::pending) &&
      !detail::validate(request)) {
    // One round trip when the transfer is new and accepted; anything else takes the general path.
    long long applied = 0;
    auto ok = detail::with_session(db, "submitting a ledger transfer", [&](soci::session& sql) {
      auto& s = detail::statements_of(db, sql);
      try {
        s.out = detail::row_from(request, now);
        s.now = now;
        applied = 0;
        detail::fetch_one(s.fast_query(), [&] { applied = s.applied; });
      } catch (...) {
        detail::drop_local_state(db, sql, &detail::statements_key);
        throw;
      }
    });
    if (!ok) return ok.error();
    if (applied == 1) {
      detail::transfer_row row = detail::row_from(request, now);
      const bool pending = request.kind == transfer_kind::pending;
      row.state = pending ? "pending" : "posted";
      if (pending && request.timeout.count() > 0) row.expires_at = now + static_cast<long long>(request.timeout.count());
      return transfer_result{detail::to_transfer(row), false};
    }
  }
  auto batch = detail::submit_in_transaction(db, std::span<const transfer_request>(&request, 1), false, now);
  if (!batch) return batch.error();
  return std::move(batch->front());
}

result<std::vector<result<transfer_result>>> ledger::submit_batch(std::span<const transfer_request> requests,
                                                                   batch_options options) {
  if (requests.empty()) return std::vector<result<transfer_result>>{};
  return detail::submit_in_transaction(*impl_->db, requests, options.linked, impl_->now_ms());
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

namespace {

// A history cursor names the last transfer of the page it follows, never the global sequence
// number (which would tell every client how busy the ledger is); history() accepts it only for
// an account that transfer touches, so one account's cursor is nothing to another.
constexpr std::string_view history_cursor_tag = "t1:";

std::string make_history_cursor(std::string_view transfer_id) {
  const std::string raw = std::string(history_cursor_tag) + std::string(transfer_id);
  return detail::to_base64url({reinterpret_cast<const unsigned char*>(raw.data()), raw.size()});
}

std::optional<std::string> read_history_cursor(std::string_view cursor) {
  if (cursor.size() > 1024) return std::nullopt;
  auto raw = detail::from_base64(cursor, true);
  if (!raw || !raw->starts_with(history_cursor_tag) || raw->size() == history_cursor_tag.size())
    return std::nullopt;
  return raw->substr(history_cursor_tag.size());
}

}  // namespace

result<history_page> ledger::history(std::string_view account_id, std::string_view cursor, std::size_t limit) {
  std::string after;  // the id of the last transfer of the previous page
  if (!cursor.empty()) {
    auto id = read_history_cursor(cursor);
    if (!id) return detail::field_error(errc::invalid_argument, "not a history cursor", "cursor");
    after = std::move(*id);
  }
  if (limit == 0) limit = 1;
  if (limit > 1000) limit = 1000;
  const std::string acc(account_id);
  const long long want = static_cast<long long>(limit) + 1;
  history_page page;
  std::vector<detail::transfer_row> rows;
  bool cursor_found = true;
  auto ok = detail::with_session(*impl_->db, "reading ledger history", [&](soci::session& sql) {
    rows.clear();
    long long before = std::numeric_limits<long long>::max();
    if (!after.empty()) {
      long long seq = 0;
      soci::indicator seq_ind = soci::i_null;
      sql << "SELECT seq FROM bankflow_ledger_transfers WHERE id = :i AND (debit_account = :a OR "
             "credit_account = :a2) AND state <> 'failed'",
          soci::into(seq, seq_ind), soci::use(after, "i"), soci::use(acc, "a"), soci::use(acc, "a2");
      cursor_found = sql.got_data() && seq_ind == soci::i_ok;
      if (!cursor_found) return;
      before = seq;
    }
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
  if (!cursor_found)
    return detail::field_error(errc::invalid_argument, "not a history cursor of this account", "cursor");
  if (rows.size() > limit) {
    rows.resize(limit);
    page.next_cursor = make_history_cursor(rows.back().id);
  }
  for (const auto& r : rows) page.transfers.push_back(detail::to_transfer(r));
  return page;
}

result<std::size_t> ledger::expire_pending() {
  const long long now = impl_->now_ms();
  std::size_t count = 0;
  auto ok = detail::ledger_transaction(*impl_->db, "expiring pending transfers", now, [&](detail::tx& t) {
    detail::batch_work work(t);
    count = work.expire_all();
    work.flush();
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
         "WHERE r.pending_id = p.id AND r.pending_id <> '' AND r.state <> 'failed')) OR ((p.state = 'pending' OR p.state = 'expired') AND "
         "EXISTS (SELECT 1 FROM bankflow_ledger_transfers r WHERE r.pending_id = p.id AND r.pending_id <> '' AND "
         "r.state <> 'failed'))) "
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
    keyed = st.clone();
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
