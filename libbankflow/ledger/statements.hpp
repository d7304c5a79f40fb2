#pragma once
// Internal: the ledger's SQL statements. Rows cross here between the database's text columns and
// rules.hpp's typed rows: kinds and states are words in SQL (to_string / kind_from_string,
// state_word / read_state_word) and enums everywhere else.

#include "ledger/rules.hpp"
#include "store/db.hpp"
#include "store/sqlite_native.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bankflow::detail {

/// The SQL words of the state column: a transfer_state's to_string, or "failed".
[[nodiscard]] std::string_view state_word(const transfer_row& row) noexcept;
/// Reads the state column into row.state and row.failed (unknown text: posted).
void read_state_word(std::string_view word, transfer_row& row) noexcept;
/// The kind named by to_string(transfer_kind) (unknown text: immediate).
[[nodiscard]] transfer_kind kind_from_string(std::string_view word) noexcept;

/// The columns of a transfer row, in the order bind_transfer and read_transfer take them.
inline constexpr const char* transfer_columns =
    "seq, id, kind, debit_account, credit_account, pending_id, metadata, reference, state, req_debit, "
    "req_credit, error_field, error_message, amount, req_amount, timeout_ms, error_code, created_at, expires_at";

/// A transfer row as SOCI reads it: kind and state as the words stored.
struct transfer_record {
  transfer_row row;
  std::string kind, state;
  soci::indicator ind = soci::i_null;  ///< of the first column: i_ok when a row was read
  /// The row with kind and state decoded.
  [[nodiscard]] const transfer_row& decode();
};

/// Binds every column of transfer_columns into `r`.
void bind_transfer(soci::details::prepare_temp_type& p, transfer_record& r);

/// Reads an account; false when there is none.
bool load_account(soci::session& sql, const std::string& id, account_row& a);
/// Reads a transfer; false when there is none.
bool load_transfer(soci::session& sql, const std::string& id, transfer_row& r);

/// Text arrays for PostgreSQL parameters: {"a","b"} with " and \ escaped, bytes passed as they are.
void append_array_item(std::string& out, std::string_view v);
/// Numbers for PostgreSQL array parameters: {1,2}.
void append_array_item(std::string& out, long long v);
/// Ends an array that append_array_item began ("{}" when it has no items).
void close_array(std::string& out);

/// The table as the queries for run-out holds name it: SQLite is told to use the partial index of
/// holds (left to itself it may walk an account's whole history through the account indexes).
[[nodiscard]] std::string due_holds_table(bool pg, std::string_view alias = {});

/// Runs a one-row query; true when it found the row (now in its bound variables), after calling
/// take(). Steps the statement to its end, so SQLite ends its read (a statement left on a row keeps
/// the connection's read transaction open past COMMIT).
template <class Take>
bool fetch_one(soci::statement& st, Take&& take) {
  if (!st.execute(true)) return false;
  take();
  while (st.fetch()) {
  }
  return true;
}

/// The ledger's statements on one pooled connection, prepared on first use and run again with new
/// values in the bound variables below. SQLite gets one-row statements (no round trips to save)
/// but for the id lookups and INSERTs, which take up to 64 ids or rows each on the sqlite3 API;
/// PostgreSQL gets array statements, so a batch costs the same few round trips as one transfer.
struct ledger_statements final : connection_local {
  explicit ledger_statements(soci::session& s, bool postgresql) : sql(s), pg(postgresql) {}
  soci::session& sql;
  bool pg;

  // bound variables
  std::string key;          // an id (PostgreSQL: an array of ids)
  long long now = 0;
  transfer_record tr;       // a transfer read
  account_row ar;           // an account read
  long long due = 0;        // the account has holds that ran out
  long long counts[3] = {0, 0, 0};
  std::string state;
  long long delta[4] = {0, 0, 0, 0};
  transfer_row out;         // a transfer for the fast path (PostgreSQL)
  std::string out_kind;     // its kind
  std::string arrays[25];   // PostgreSQL array parameters
  long long applied = 0;

  /// PostgreSQL: rows of transfers whose id is in `key`.
  soci::statement& transfers_query();
  /// SQLite: a statement for the transfers of the first n of `remaining` ids, bound to its `?`s.
  std::pair<sqlite_statement*, std::size_t> transfers_by_ids_query(std::size_t remaining);
  /// SQLite: a row of transfers_by_ids_query.
  static void read_row(const sqlite_statement& st, transfer_row& r);
  /// Accounts named in `key`, locked in id order (PostgreSQL) / the account `key` (SQLite), each
  /// with `due` telling whether it has holds that ran out at `now`.
  soci::statement& accounts_query();
  /// Pending transfers run out at `now` touching the account(s) in `key`.
  soci::statement& due_query();
  /// SQLite: inserts rows, up to 64 per statement.
  void insert_rows(std::span<const transfer_row> rows);
  /// SQLite: sets the hold `key` to `state` when it is still pending.
  soci::statement& set_state_query();
  /// SQLite: adds `delta` to the counters of the account `key`.
  soci::statement& add_counters_query();
  /// PostgreSQL: a new transfer (`out`, `out_kind`) in one round trip, when every rule accepts it;
  /// `applied` is 1 then.
  soci::statement& fast_query();
  /// PostgreSQL: every write of a transaction in one statement (`arrays`); `counts` tells what it
  /// wrote.
  soci::statement& write_query();

 private:
  template <class Make>
  std::pair<sqlite_statement*, std::size_t> chunk(std::vector<std::unique_ptr<sqlite_statement>>& group,
                                                  std::size_t per_item, std::size_t remaining, Make&& make);

  std::optional<soci::statement> account_by_key, due_by_key, set_state, add_counters;
  // SQLite, once per transfer: on the sqlite3 API (store/sqlite_native.hpp says why)
  std::vector<std::unique_ptr<sqlite_statement>> transfers_by_ids;  // [k]: 2^k ids
  std::vector<std::unique_ptr<sqlite_statement>> inserts;           // [k]: 2^k rows
  std::optional<soci::statement> transfers_by_keys, lock_accounts, due_by_keys, write, fast;
};

/// The connection's ledger statements, made on first use.
ledger_statements& statements_of(database_impl& db, soci::session& sql);
/// Drops the connection's ledger statements (after a failure left them in doubt).
void drop_statements(database_impl& db, soci::session& sql);

}  // namespace bankflow::detail
