#pragma once
// Internal: the batch engine. One transaction reads what its requests need once (transfers by id,
// accounts locked), runs them through the rules in memory (rules.hpp) and writes the outcome at
// the end: new rows, state changes of holds, one counter update per touched account.

#include "ledger/rules.hpp"
#include "ledger/statements.hpp"
#include "store/db.hpp"

#include <cstddef>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// One transaction's connection, engine, time and statements.
struct tx {
  soci::session& sql;
  bool pg;
  long long now;
  ledger_statements& s;
};

/// Reads, applies and writes one transaction's transfers. On PostgreSQL the touched accounts are
/// locked (sorted, one statement) before any rule looks at them; on SQLite the transaction holds
/// the write lock from its start.
class batch_work {
 public:
  explicit batch_work(tx& t) : t_(t), rules_(t.now) {}

  /// Reads and locks everything the requests need: their ids, the holds they resolve, the accounts.
  void prepare(std::span<const transfer_request> requests);
  /// Runs the requests in order (after prepare()).
  std::vector<result<transfer_result>> run(std::span<const transfer_request> requests, bool linked) {
    return rules_.run(requests, linked);
  }
  /// Locks and reads these accounts (those not yet held), then voids the holds of every held
  /// account that ran out, locking their other accounts too.
  void lock_accounts(const std::set<std::string>& ids);
  /// Voids every hold that ran out (all accounts); returns how many.
  std::size_t expire_all();
  /// A held account, or null.
  [[nodiscard]] const account_row* account(const std::string& id) const { return rules_.account(id); }
  /// Writes the outcome. Throws transaction_conflict when PostgreSQL shows a concurrent change.
  void flush();

 private:
  void read_transfers(const std::vector<std::string_view>& ids);
  std::set<std::string> read_accounts(const std::set<std::string>& wanted);
  std::vector<transfer_row> read_due(const std::set<std::string>& accounts);
  void flush_sqlite();
  void flush_postgresql();

  tx& t_;
  ledger_rules rules_;
};

/// Runs `work(tx&)` in one transaction with the connection's statements; statements in doubt after
/// a failure are dropped (prepared again next time).
template <class Work>
result<void> ledger_transaction(database_impl& db, std::string_view what, long long now, Work&& work) {
  const bool pg = db.backend == database_backend::postgresql;
  return with_transaction(db, what, {}, [&](soci::session& sql) {
    ledger_statements& s = statements_of(db, sql);
    tx t{sql, pg, now, s};
    try {
      work(t);
    } catch (...) {
      drop_statements(db, sql);
      throw;
    }
  });
}

/// The general path: requests in one transaction, one result each.
result<std::vector<result<transfer_result>>> submit_in_transaction(database_impl& db,
                                                                   std::span<const transfer_request> requests,
                                                                   bool linked, long long now);

}  // namespace bankflow::detail
