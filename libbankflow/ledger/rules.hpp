#pragma once
// Internal: the ledger's rules over rows in memory, with no database. A transaction (batch.hpp)
// loads the accounts and transfers it needs into a ledger_rules, runs the requests through it and
// writes back what it collected: new rows, state changes of holds, counter deltas per account.

#include <bankflow/error.hpp>
#include <bankflow/ledger.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bankflow::detail {

/// The longest account or transfer id, in bytes.
inline constexpr std::size_t max_ledger_id = 128;

/// An account row: what bankflow_ledger_accounts holds.
struct account_row {
  std::string id, currency, owner;
  long long flags = 0, debits_posted = 0, credits_posted = 0, debits_pending = 0, credits_pending = 0;
};

/// A transfer row: what bankflow_ledger_transfers holds. `req_*` keep the request as submitted
/// (a post or void may leave its accounts empty), so a repeat can be compared with it.
struct transfer_row {
  long long seq = 0;
  std::string id;
  transfer_kind kind = transfer_kind::immediate;
  std::string debit_account, credit_account, pending_id, metadata, reference;
  transfer_state state = transfer_state::posted;
  bool failed = false;  ///< a recorded failure (error_*); `state` means nothing then
  std::string req_debit, req_credit, error_field, error_message;
  long long amount = 0, req_amount = 0, timeout_ms = 0, error_code = 0, created_at = 0, expires_at = 0;
};

/// What a transaction adds to an account's counters.
struct counters {
  long long debits_posted = 0, credits_posted = 0, debits_pending = 0, credits_pending = 0;
  [[nodiscard]] bool zero() const {
    return debits_posted == 0 && credits_posted == 0 && debits_pending == 0 && credits_pending == 0;
  }
};

[[nodiscard]] ledger_account to_account(const account_row& r);
[[nodiscard]] transfer to_transfer(const transfer_row& r);

/// An error naming the request field it is about.
[[nodiscard]] error field_error(errc code, std::string message, std::string field);
/// The error recorded in a failed row.
[[nodiscard]] error stored_error(const transfer_row& row);
/// What is wrong with a request on its own (not recorded), or nothing.
[[nodiscard]] std::optional<error> validate(const transfer_request& r);
/// The first field in which a stored transfer differs from a new request with its id.
[[nodiscard]] std::optional<std::string> differing_field(const transfer_row& row, const transfer_request& r);
/// A new row for the request, created at `now` (ms since the epoch), state still to set.
[[nodiscard]] transfer_row row_from(const transfer_request& r, long long now);
/// The row of an immediate or pending transfer every rule accepted.
[[nodiscard]] transfer_row accepted_row(const transfer_request& r, long long now);

/// The rules applied in order over what one transaction loaded. Knows nothing of SQL.
class ledger_rules {
 public:
  explicit ledger_rules(long long now) : now_(now) {}

  /// An account read (and held) by the transaction.
  void load_account(account_row row) { accounts_[row.id] = std::move(row); }
  /// A transfer read by the transaction.
  void load_transfer(transfer_row row) { known_[row.id] = std::move(row); }

  [[nodiscard]] const account_row* account(const std::string& id) const;
  [[nodiscard]] bool holds(const std::string& account_id) const { return accounts_.count(account_id) != 0; }
  /// The row stored or to be written under `id`; null when the id is new.
  [[nodiscard]] const transfer_row* find_row(const std::string& id) const;

  /// Voids a hold that ran out (its accounts held); anything else is left alone.
  void expire(transfer_row hold);
  /// Runs the requests in order; `linked`: all or nothing.
  std::vector<result<transfer_result>> run(std::span<const transfer_request> requests, bool linked);

  /// Rows to insert, in order.
  [[nodiscard]] const std::vector<transfer_row>& inserts() const { return inserts_; }
  /// Holds loaded from the store whose state changes.
  [[nodiscard]] const std::map<std::string, transfer_state>& state_changes() const { return state_changes_; }
  /// What the transaction adds to each touched account (some may be zero).
  [[nodiscard]] const std::map<std::string, counters>& deltas() const { return deltas_; }
  /// How many holds expire() voided.
  [[nodiscard]] std::size_t expired() const { return expired_; }

 private:
  result<transfer_result> process(const transfer_request& r, bool record);
  result<transfer_result> open_transfer(const transfer_request& r, bool record);
  result<transfer_result> resolve_pending(const transfer_request& r, bool record);
  std::optional<error> check_accounts(const transfer_request& r, const account_row* debit,
                                      const account_row* credit) const;
  void add(const std::string& account, long long counters::*field, long long amount);
  void set_state(const std::string& id, transfer_state state);
  void put(transfer_row row);
  error fail(const transfer_request& r, bool record, error e);

  long long now_;
  std::map<std::string, account_row> accounts_;  // held (locked) accounts, current values
  std::map<std::string, counters> deltas_;       // what this transaction adds to them
  std::unordered_map<std::string, std::optional<transfer_row>> known_;  // ids read (and expired holds)
  std::vector<transfer_row> inserts_;
  std::unordered_map<std::string, std::size_t> inserted_;
  std::map<std::string, transfer_state> state_changes_;  // holds read from the store -> new state
  std::size_t expired_ = 0;
};

}  // namespace bankflow::detail
