#pragma once
/// @file A double-entry ledger in int64 centavos on a bankflow::database (SQLite or PostgreSQL):
/// accounts with four counters, idempotent transfers (immediate, pending, post, void), batches,
/// history, an invariants check and statement import. See ARCHITECTURE.md "Ledger".

#include <bankflow/clock.hpp>
#include <bankflow/database.hpp>
#include <bankflow/error.hpp>
#include <bankflow/statement.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

/// Account flag: debits (posted + pending) may never exceed posted credits.
inline constexpr std::uint32_t account_no_overdraft = 1U;

/// What create_account takes. Ids are caller-chosen, 1–128 bytes.
struct ledger_account_spec {
  std::string id;                ///< 1–128 bytes, unique in the ledger
  std::string currency = "BRL";  ///< ISO 4217, 3 upper-case letters
  std::uint32_t flags = 0;       ///< account_no_overdraft
  std::string owner;             ///< free text (a session id …), may be empty
};

/// An account and its counters, all in minor units.
struct ledger_account {
  std::string id;                  ///< as created
  std::string currency;            ///< ISO 4217
  std::uint32_t flags = 0;         ///< account_no_overdraft
  std::string owner;               ///< as created
  std::int64_t debits_posted = 0;  ///< money that left the account
  std::int64_t credits_posted = 0; ///< money that arrived
  std::int64_t debits_pending = 0; ///< held by pending transfers out of it
  std::int64_t credits_pending = 0;///< held by pending transfers into it

  /// credits − debits, posted.
  [[nodiscard]] std::int64_t balance() const noexcept { return credits_posted - debits_posted; }
  /// posted credits − posted debits − pending debits: what may still leave the account.
  [[nodiscard]] std::int64_t available() const noexcept {
    return credits_posted - debits_posted - debits_pending;
  }
};

/// What create_account returns: the account as stored.
struct account_result {
  ledger_account account;  ///< its counters as they are now
  bool exists = false;  ///< the id was already there with the same fields
};

/// What a transfer does.
enum class transfer_kind {
  immediate,    ///< moves money now
  pending,      ///< holds money (a two-phase transfer's first phase) until posted, voided or expired
  post,         ///< moves (part of) what a pending transfer holds
  void_pending  ///< releases what a pending transfer holds
};

/// Where a stored transfer stands. Only a pending transfer changes state after it is stored.
enum class transfer_state {
  posted,   ///< the money moved (immediate, post, and a pending that was posted)
  pending,  ///< a pending transfer still holding its amount
  voided,   ///< a pending transfer released by a void (and the void itself)
  expired   ///< a pending transfer whose timeout passed before a post or void
};

/// "immediate", "pending", "post" or "void".
[[nodiscard]] std::string_view to_string(transfer_kind k) noexcept;
/// "posted", "pending", "voided" or "expired".
[[nodiscard]] std::string_view to_string(transfer_state s) noexcept;

/// One transfer to submit. Money leaves `debit_account` and arrives in `credit_account`.
/// For post/void, `pending_id` names the pending transfer; the accounts may be left empty (they
/// are taken from it; when given they must match) and a post amount of 0 posts the full amount.
struct transfer_request {
  std::string id;  ///< caller-chosen idempotency key, 1–128 bytes
  transfer_kind kind = transfer_kind::immediate;  ///< what the transfer does
  std::string debit_account;   ///< money leaves it
  std::string credit_account;  ///< money arrives in it
  std::int64_t amount = 0;  ///< > 0 (post: 0 = everything pending; void: 0 or the pending amount)
  std::string pending_id;  ///< post/void only: the pending transfer's id
  std::chrono::milliseconds timeout{0};  ///< pending only: 0 = never expires
  std::string metadata;   ///< opaque JSON text, stored as given
  std::string reference;  ///< free text
};

/// A transfer as stored.
struct transfer {
  std::string id;                                ///< the request's id
  transfer_kind kind = transfer_kind::immediate; ///< the request's kind
  std::string debit_account;                     ///< a post/void: the pending transfer's
  std::string credit_account;                    ///< a post/void: the pending transfer's
  std::int64_t amount = 0;  ///< effective amount (a post: what was posted)
  std::string pending_id;   ///< a post/void: the pending transfer it resolved
  std::string metadata;     ///< as submitted
  std::string reference;    ///< as submitted
  transfer_state state = transfer_state::posted;  ///< a pending: pending, then posted/voided/expired
  timestamp created_at{};  ///< by the ledger's clock
  timestamp expires_at{};  ///< pending with a timeout only
};

/// What submit returns for one request.
struct transfer_result {
  transfer value;  ///< the transfer as stored
  bool exists = false;  ///< an earlier submission of the same id and fields
};

/// How submit_batch runs its requests.
struct batch_options {
  /// All or nothing: when one transfer fails nothing of the batch is written (and the failures
  /// are not recorded, so the ids stay free); the others report linked_failed.
  bool linked = false;
};

/// One page of an account's history, newest first.
struct history_page {
  std::vector<transfer> transfers;  ///< at most the limit asked
  std::string next_cursor;  ///< empty at the end; opaque, valid only for the same account
};

/// The outcome of check(): ok, or the problems found.
struct invariant_report {
  bool ok = true;  ///< no problems
  std::int64_t debits_posted = 0;    ///< summed over every account
  std::int64_t credits_posted = 0;   ///< summed over every account
  std::int64_t debits_pending = 0;   ///< summed over every account
  std::int64_t credits_pending = 0;  ///< summed over every account
  std::vector<std::string> problems;  ///< one line each, naming the account or transfer
};

/// What import_statement did with the statement's transactions.
struct import_result {
  std::size_t added = 0;            ///< new transfers
  /// Imported before (an overlapping file), also when only the metadata differs (the row's
  /// category under other rules, the kind a newer bankflow gives it): the movement is the same.
  std::size_t already_present = 0;
  std::size_t skipped = 0;  ///< zero amounts, other accounts of the file
  std::vector<error> failures;  ///< e.g. insufficient_funds on a no_overdraft account; line set
};

/// What ledger::open takes besides the database.
struct ledger_options {
  clock_fn clock;  ///< empty: the system clock (decides pending timeouts)
};

namespace detail {
struct ledger_impl;
}

/// The ledger on a database (migrated on open, module "ledger"). The database must outlive it.
/// Thread-safe; several processes may share one database.
///
/// Every transfer error is a value. Errors that depend on the ledger's state (not_found,
/// insufficient_funds, currency_mismatch, pending_*, exceeds_pending, amount_overflow) are
/// recorded under the transfer id: submitting the same id and fields again returns the same
/// error, even once the state would allow it. Malformed requests (invalid_argument from the
/// request alone: empty id, amount <= 0, same account twice …) are not recorded, so the id stays
/// free; a post/void naming accounts other than the pending's is recorded. id_conflict names the
/// first differing field in error.field (kind, debit_account, credit_account, amount, pending_id,
/// timeout, metadata, reference) and is never recorded.
class ledger {
 public:
  /// Opens the ledger on `db`, creating or migrating its tables. Errors: storage_error.
  [[nodiscard]] static result<ledger> open(database& db, ledger_options options = {});

  /// Move-only: a moved-from ledger may only be destroyed or assigned to.
  ledger(ledger&&) noexcept;
  /// Move-only.
  ledger& operator=(ledger&&) noexcept;
  ledger(const ledger&) = delete;
  ledger& operator=(const ledger&) = delete;
  /// Closes nothing: the database is the caller's.
  ~ledger();

  /// Creates an account with zero counters; creating it again with the same fields returns it
  /// with `exists`. Errors: invalid_argument (id, currency, flags), id_conflict (the id exists with
  /// another currency, flags or owner; error.field names it), storage_error.
  [[nodiscard]] result<account_result> create_account(const ledger_account_spec& spec);
  /// Voids the account's expired holds first. Errors: not_found.
  [[nodiscard]] result<ledger_account> get_account(std::string_view id);

  /// Submits one transfer, idempotently by its id (see the class doc for what is recorded).
  /// Errors: those of the class doc, storage_error.
  [[nodiscard]] result<transfer_result> submit(const transfer_request& request);
  /// One database transaction; one result per request, in order. Requests may post or void
  /// pending transfers of the same batch. The outer error is storage_error only.
  [[nodiscard]] result<std::vector<result<transfer_result>>> submit_batch(
      std::span<const transfer_request> requests, batch_options options = {});

  /// A stored transfer; a recorded failure comes back as its error. Errors: not_found.
  [[nodiscard]] result<transfer> get_transfer(std::string_view id);

  /// Transfers touching the account (failed ones excluded; a pending shows its current state),
  /// newest first. An unknown account has an empty history.
  /// `cursor` is empty or a next_cursor of an earlier page of this account's history (an opaque
  /// token naming no global position; another account's is refused). Errors: invalid_argument
  /// (cursor), storage_error.
  [[nodiscard]] result<history_page> history(std::string_view account_id, std::string_view cursor = {},
                                             std::size_t limit = 50);

  /// Voids every pending transfer whose timeout has passed; returns how many.
  [[nodiscard]] result<std::size_t> expire_pending();

  /// Replaces the reference of every transfer touching the account (a withdrawal's destination,
  /// free text that may name a person) with `replacement`, keeping amounts, accounts and ids: how
  /// a person's erasure pseudonymises the entries accounting must keep. Returns how many changed.
  /// Error: storage_error.
  [[nodiscard]] result<std::size_t> redact_references(std::string_view account_id, std::string_view replacement);

  /// Checks the invariants over the whole ledger.
  [[nodiscard]] result<invariant_report> check();

  /// Posts the statement's transactions of `account_index` (the primary account when it is
  /// SIZE_MAX) into `account` against `external_account` (positive amounts: external → account;
  /// negative: account → external), one transfer per transaction with id
  /// "stmt:<account>:<dedupe key hex>" (keys are computed when the statement has none), so an
  /// overlapping file adds only what is new.
  [[nodiscard]] result<import_result> import_statement(const statement& st, std::string_view account,
                                                       std::string_view external_account,
                                                       std::size_t account_index = SIZE_MAX);

 private:
  explicit ledger(std::unique_ptr<detail::ledger_impl> impl);
  std::unique_ptr<detail::ledger_impl> impl_;
};

/// JSON of a submit's outcome, compact, one shape for every program:
/// {"id","kind","debit","credit","amount","state","exists","reference"}, the amount as a decimal
/// string (format_amount), kind and state as to_string.
[[nodiscard]] std::string to_json(const transfer_result& r);
/// to_json of the transfer as a transfer_result with `exists` false (a history line).
[[nodiscard]] std::string to_json(const transfer& t);
/// JSON of an account: {"account","currency","balance","posted_credits","posted_debits",
/// "pending_credits","pending_debits","available","no_overdraft"}, spaced as the statement JSON,
/// amounts as decimal strings (format_amount).
[[nodiscard]] std::string to_json(const ledger_account& a);

}  // namespace bankflow
