// The ledger's SQL statements (statements.hpp). Statements are prepared once per pooled
// connection; on SQLite the two that run once per transfer (the id lookups and the INSERTs) go
// through the sqlite3 API (store/sqlite_native.hpp says why).

#include "ledger/statements.hpp"

#include <algorithm>
#include <stdexcept>

namespace bankflow::detail {

namespace {

constexpr const char* account_columns =
    "id, currency, owner, flags, debits_posted, credits_posted, debits_pending, credits_pending";

// The key under which the ledger keeps its statements on a connection.
constexpr char statements_key = 0;

// The INSERT of `count` transfer rows, 18 positional parameters each (named ones cost SQLite a
// linear search each while the statement is prepared).
std::string insert_rows_sql(std::size_t count) {
  std::string q =
      "INSERT INTO bankflow_ledger_transfers (id, kind, debit_account, credit_account, pending_id, metadata, "
      "reference, state, req_debit, req_credit, error_field, error_message, amount, req_amount, timeout_ms, "
      "error_code, created_at, expires_at) VALUES ";
  for (std::size_t i = 0; i < count; ++i)
    q += i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  return q;
}

// Binds one row's 18 values after position `pos`; returns the last position bound. Kind and state
// are bound as literals, so the statement's earlier bindings of them are reused.
int bind_insert(sqlite_statement& st, int pos, const transfer_row& r) {
  st.bind(++pos, r.id);
  st.bind_static(++pos, to_string(r.kind));
  for (const std::string* t : {&r.debit_account, &r.credit_account, &r.pending_id, &r.metadata, &r.reference})
    st.bind(++pos, *t);
  st.bind_static(++pos, state_word(r));
  for (const std::string* t : {&r.req_debit, &r.req_credit, &r.error_field, &r.error_message}) st.bind(++pos, *t);
  for (const long long v : {r.amount, r.req_amount, r.timeout_ms, r.error_code, r.created_at, r.expires_at})
    st.bind(++pos, v);
  return pos;
}

// PostgreSQL: the statement that writes a transaction's rows, hold states and counter deltas from
// 25 array parameters :p0 … :p24 and counts what each part wrote.
std::string write_sql() {
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
  return q;
}

}  // namespace

std::string_view state_word(const transfer_row& row) noexcept {
  return row.failed ? std::string_view("failed") : to_string(row.state);
}

void read_state_word(std::string_view word, transfer_row& row) noexcept {
  row.failed = word == "failed";
  row.state = word == "pending"   ? transfer_state::pending
              : word == "voided"  ? transfer_state::voided
              : word == "expired" ? transfer_state::expired
                                  : transfer_state::posted;
}

transfer_kind kind_from_string(std::string_view word) noexcept {
  if (word == "pending") return transfer_kind::pending;
  if (word == "post") return transfer_kind::post;
  if (word == "void") return transfer_kind::void_pending;
  return transfer_kind::immediate;
}

const transfer_row& transfer_record::decode() {
  row.kind = kind_from_string(kind);
  read_state_word(state, row);
  return row;
}

void bind_transfer(soci::details::prepare_temp_type& p, transfer_record& rec) {
  transfer_row& r = rec.row;
  p, soci::into(r.seq, rec.ind), soci::into(r.id), soci::into(rec.kind), soci::into(r.debit_account),
      soci::into(r.credit_account), soci::into(r.pending_id), soci::into(r.metadata), soci::into(r.reference),
      soci::into(rec.state), soci::into(r.req_debit), soci::into(r.req_credit), soci::into(r.error_field),
      soci::into(r.error_message), soci::into(r.amount), soci::into(r.req_amount), soci::into(r.timeout_ms),
      soci::into(r.error_code), soci::into(r.created_at), soci::into(r.expires_at);
}

bool load_account(soci::session& sql, const std::string& id, account_row& a) {
  soci::indicator ind = soci::i_null;
  sql << std::string("SELECT ") + account_columns + " FROM bankflow_ledger_accounts WHERE id = :id",
      soci::into(a.id, ind), soci::into(a.currency), soci::into(a.owner), soci::into(a.flags),
      soci::into(a.debits_posted), soci::into(a.credits_posted), soci::into(a.debits_pending),
      soci::into(a.credits_pending), soci::use(id, "id");
  return sql.got_data() && ind == soci::i_ok;
}

bool load_transfer(soci::session& sql, const std::string& id, transfer_row& r) {
  transfer_record rec;
  auto p = (sql.prepare << std::string("SELECT ") + transfer_columns + " FROM bankflow_ledger_transfers WHERE id = :id",
            soci::use(id, "id"));
  bind_transfer(p, rec);
  soci::statement st(p);
  st.execute(true);
  if (!st.got_data() || rec.ind != soci::i_ok) return false;
  r = rec.decode();
  return true;
}

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

std::string due_holds_table(bool pg, std::string_view alias) {
  std::string out = "bankflow_ledger_transfers";
  if (!alias.empty()) out += " AS " + std::string(alias);
  if (!pg) out += " INDEXED BY bankflow_ledger_transfers_due";
  return out;
}

// ---- ledger_statements ---------------------------------------------------------------------------

soci::statement& ledger_statements::transfers_query() {
  auto& st = transfers_by_keys;
  if (!st) {
    auto p = (sql.prepare << std::string("SELECT ") + transfer_columns +
                                 " FROM bankflow_ledger_transfers WHERE id = ANY(CAST(:k AS text[]))",
              soci::use(key, "k"));
    bind_transfer(p, tr);
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
std::pair<sqlite_statement*, std::size_t> ledger_statements::chunk(
    std::vector<std::unique_ptr<sqlite_statement>>& group, std::size_t per_item, std::size_t remaining,
    Make&& make) {
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

std::pair<sqlite_statement*, std::size_t> ledger_statements::transfers_by_ids_query(std::size_t remaining) {
  return chunk(transfers_by_ids, 1, remaining, [](std::size_t n) {
    std::string q = std::string("SELECT ") + transfer_columns + " FROM bankflow_ledger_transfers WHERE id IN (";
    for (std::size_t i = 0; i < n; ++i) q += i == 0 ? "?" : ",?";
    return q + ")";
  });
}

void ledger_statements::read_row(const sqlite_statement& st, transfer_row& r) {
  r.seq = st.column_int64(0);
  r.kind = kind_from_string(st.column_text(2));
  read_state_word(st.column_text(8), r);
  std::string* texts[10] = {&r.id,        &r.debit_account, &r.credit_account, &r.pending_id,  &r.metadata,
                            &r.reference, &r.req_debit,     &r.req_credit,     &r.error_field, &r.error_message};
  constexpr int text_columns[10] = {1, 3, 4, 5, 6, 7, 9, 10, 11, 12};
  long long* numbers[6] = {&r.amount, &r.req_amount, &r.timeout_ms, &r.error_code, &r.created_at, &r.expires_at};
  for (int i = 0; i < 10; ++i) texts[i]->assign(st.column_text(text_columns[i]));
  for (int i = 0; i < 6; ++i) *numbers[i] = st.column_int64(13 + i);
}

soci::statement& ledger_statements::accounts_query() {
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

soci::statement& ledger_statements::due_query() {
  auto& st = pg ? due_by_keys : due_by_key;
  if (!st) {
    auto p = (sql.prepare << std::string("SELECT ") + transfer_columns + " FROM " + due_holds_table(pg) +
                                 " WHERE state = 'pending' AND expires_at > 0 AND "
                                 "expires_at <= :n AND " +
                                 (pg ? "(debit_account = ANY(CAST(:k AS text[])) OR credit_account = "
                                       "ANY(CAST(:k2 AS text[]))) ORDER BY seq"
                                     : "(debit_account = :k OR credit_account = :k2) ORDER BY seq"),
              soci::use(now, "n"), soci::use(key, "k"), soci::use(key, "k2"));
    bind_transfer(p, tr);
    st.emplace(p);
  }
  return *st;
}

void ledger_statements::insert_rows(std::span<const transfer_row> rows) {
  while (!rows.empty()) {
    auto [st, n] = chunk(inserts, 18, rows.size(), insert_rows_sql);
    int pos = 0;
    for (std::size_t i = 0; i < n; ++i) pos = bind_insert(*st, pos, rows[i]);
    if (st->run() != static_cast<int>(n)) throw std::logic_error("ledger: an INSERT wrote fewer rows than it had");
    rows = rows.subspan(n);
  }
}

soci::statement& ledger_statements::set_state_query() {
  if (!set_state)
    set_state.emplace((sql.prepare << "UPDATE bankflow_ledger_transfers SET state = :s WHERE id = :id AND "
                                      "state = 'pending'",
                       soci::use(state, "s"), soci::use(key, "id")));
  return *set_state;
}

soci::statement& ledger_statements::add_counters_query() {
  if (!add_counters)
    add_counters.emplace(
        (sql.prepare << "UPDATE bankflow_ledger_accounts SET debits_posted = debits_posted + :a, credits_posted = "
                        "credits_posted + :b, debits_pending = debits_pending + :c, credits_pending = "
                        "credits_pending + :d WHERE id = :id",
         soci::use(delta[0], "a"), soci::use(delta[1], "b"), soci::use(delta[2], "c"), soci::use(delta[3], "d"),
         soci::use(key, "id")));
  return *add_counters;
}

soci::statement& ledger_statements::fast_query() {
  if (!fast)
    fast.emplace((sql.prepare << "SELECT bankflow_ledger_fast_transfer(:id, :kind, :da, :ca, :amt, :tmo, :md, "
                                 ":ref, :n)",
                  soci::use(out.id, "id"), soci::use(out_kind, "kind"), soci::use(out.debit_account, "da"),
                  soci::use(out.credit_account, "ca"), soci::use(out.amount, "amt"),
                  soci::use(out.timeout_ms, "tmo"), soci::use(out.metadata, "md"),
                  soci::use(out.reference, "ref"), soci::use(now, "n"), soci::into(applied)));
  return *fast;
}

// The insert skips ids that a concurrent transaction committed meanwhile and the state change
// needs the hold still pending, so the counts it returns tell whether the transaction worked on
// stale reads.
soci::statement& ledger_statements::write_query() {
  if (!write) {
    auto p = (sql.prepare << write_sql());
    for (int i = 0; i < 25; ++i) p, soci::use(arrays[i], "p" + std::to_string(i));
    p, soci::into(counts[0]), soci::into(counts[1]), soci::into(counts[2]);
    write.emplace(p);
  }
  return *write;
}

ledger_statements& statements_of(database_impl& db, soci::session& sql) {
  const bool pg = db.backend == database_backend::postgresql;
  return local_state<ledger_statements>(db, sql, &statements_key,
                                        [&] { return std::make_unique<ledger_statements>(sql, pg); });
}

void drop_statements(database_impl& db, soci::session& sql) { drop_local_state(db, sql, &statements_key); }

}  // namespace bankflow::detail
