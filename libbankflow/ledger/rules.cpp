// The ledger's rules over rows in memory (rules.hpp). No SQL here: batch.cpp feeds and drains it.

#include "ledger/rules.hpp"

#include <bankflow/money.hpp>

#include <chrono>

namespace bankflow::detail {

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

transfer to_transfer(const transfer_row& r) {
  transfer t;
  t.id = r.id;
  t.kind = r.kind;
  t.debit_account = r.debit_account;
  t.credit_account = r.credit_account;
  t.amount = r.amount;
  t.pending_id = r.pending_id;
  t.metadata = r.metadata;
  t.reference = r.reference;
  t.state = r.state;
  t.created_at = timestamp(std::chrono::milliseconds(r.created_at));
  if (r.expires_at > 0)
    t.expires_at = timestamp(std::chrono::milliseconds(r.expires_at));
  return t;
}

error field_error(errc code, std::string message, std::string field) {
  return make_error(code, std::move(message), 0, std::move(field));
}

error stored_error(const transfer_row& row) {
  return field_error(static_cast<errc>(row.error_code), row.error_message, row.error_field);
}

namespace {

// The checks that apply only to a post or void (`r` resolves a pending transfer).
std::optional<error> validate_resolution(const transfer_request& r) {
  if (r.pending_id.empty())
    return field_error(errc::invalid_argument, "a post or void names its pending transfer", "pending_id");
  if (r.timeout.count() != 0)
    return field_error(errc::invalid_argument, "only a pending transfer has a timeout", "timeout");
  return std::nullopt;
}

// The checks that apply only to an immediate or pending transfer.
std::optional<error> validate_opening(const transfer_request& r) {
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

bool resolves_pending(transfer_kind k) { return k == transfer_kind::post || k == transfer_kind::void_pending; }

bool would_overflow(long long a, long long b) {
  long long out = 0;
  return __builtin_add_overflow(a, b, &out);
}

}  // namespace

std::optional<error> validate(const transfer_request& r) {
  if (r.id.empty() || r.id.size() > max_ledger_id)
    return field_error(errc::invalid_argument, "a transfer id must have 1 to 128 bytes", "id");
  if (r.amount < 0) return field_error(errc::invalid_argument, "the amount must not be negative", "amount");
  if (r.timeout.count() < 0)
    return field_error(errc::invalid_argument, "the timeout must not be negative", "timeout");
  return resolves_pending(r.kind) ? validate_resolution(r) : validate_opening(r);
}

std::optional<std::string> differing_field(const transfer_row& row, const transfer_request& r) {
  if (row.kind != r.kind) return "kind";
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
  row.kind = r.kind;
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

transfer_row accepted_row(const transfer_request& r, long long now) {
  transfer_row row = row_from(r, now);
  const bool pending = r.kind == transfer_kind::pending;
  row.state = pending ? transfer_state::pending : transfer_state::posted;
  if (pending && r.timeout.count() > 0) row.expires_at = now + static_cast<long long>(r.timeout.count());
  return row;
}

// ---- ledger_rules ---------------------------------------------------------------------------------

const account_row* ledger_rules::account(const std::string& id) const {
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

const transfer_row* ledger_rules::find_row(const std::string& id) const {
  if (auto it = inserted_.find(id); it != inserted_.end()) return &inserts_[it->second];
  auto it = known_.find(id);
  return it != known_.end() && it->second ? &*it->second : nullptr;
}

std::vector<result<transfer_result>> ledger_rules::run(std::span<const transfer_request> requests, bool linked) {
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

void ledger_rules::add(const std::string& account, long long counters::*field, long long amount) {
  auto& a = accounts_.at(account);
  long long account_row::*column = field == &counters::debits_posted    ? &account_row::debits_posted
                                   : field == &counters::credits_posted ? &account_row::credits_posted
                                   : field == &counters::debits_pending ? &account_row::debits_pending
                                                                        : &account_row::credits_pending;
  a.*column += amount;
  deltas_[account].*field += amount;
}

void ledger_rules::expire(transfer_row hold) {
  if (hold.failed || hold.state != transfer_state::pending || hold.expires_at <= 0 || hold.expires_at > now_) return;
  add(hold.debit_account, &counters::debits_pending, -hold.amount);
  add(hold.credit_account, &counters::credits_pending, -hold.amount);
  set_state(hold.id, transfer_state::expired);
  ++expired_;
  hold.state = transfer_state::expired;
  known_[hold.id] = std::move(hold);
}

void ledger_rules::set_state(const std::string& id, transfer_state state) {
  if (auto it = inserted_.find(id); it != inserted_.end()) {
    inserts_[it->second].state = state;
  } else {
    state_changes_[id] = state;
  }
  if (auto it = known_.find(id); it != known_.end() && it->second) it->second->state = state;
}

void ledger_rules::put(transfer_row row) {
  inserted_[row.id] = inserts_.size();
  inserts_.push_back(std::move(row));
}

// Records a state-dependent failure under the id, so the id stays failed.
error ledger_rules::fail(const transfer_request& r, bool record, error e) {
  if (record) {
    transfer_row row = row_from(r, now_);
    row.failed = true;
    row.error_code = static_cast<long long>(e.code);
    row.error_field = e.field;
    row.error_message = e.message;
    put(std::move(row));
  }
  return e;
}

// One transfer. `record`: failures are written under the id (false inside a linked batch, whose
// failures undo everything).
result<transfer_result> ledger_rules::process(const transfer_request& r, bool record) {
  if (auto bad = validate(r)) return *bad;
  if (const transfer_row* existing = find_row(r.id)) {
    if (auto field = differing_field(*existing, r))
      return field_error(errc::id_conflict, "transfer " + r.id + " was submitted with a different " + *field,
                         *field);
    if (existing->failed) return stored_error(*existing);
    return transfer_result{to_transfer(*existing), true};
  }
  return resolves_pending(r.kind) ? resolve_pending(r, record) : open_transfer(r, record);
}

// What stops an immediate or pending transfer between these accounts, or nothing.
std::optional<error> ledger_rules::check_accounts(const transfer_request& r, const account_row* debit,
                                                  const account_row* credit) const {
  if (debit == nullptr) return field_error(errc::not_found, "no account " + r.debit_account, "debit_account");
  if (credit == nullptr) return field_error(errc::not_found, "no account " + r.credit_account, "credit_account");
  if (debit->currency != credit->currency)
    return field_error(errc::currency_mismatch,
                       "debit account in " + debit->currency + ", credit account in " + credit->currency,
                       "credit_account");
  const bool pending = r.kind == transfer_kind::pending;
  const long long debit_counter = pending ? debit->debits_pending : debit->debits_posted;
  const long long credit_counter = pending ? credit->credits_pending : credit->credits_posted;
  if (would_overflow(debit_counter, r.amount) || would_overflow(credit_counter, r.amount) ||
      would_overflow(debit->debits_posted + debit->debits_pending, r.amount))
    return field_error(errc::amount_overflow, "an account counter would overflow", "amount");
  if ((debit->flags & account_no_overdraft) != 0 &&
      debit->debits_posted + debit->debits_pending + r.amount > debit->credits_posted)
    return field_error(errc::insufficient_funds,
                       "account " + debit->id + " has " +
                           format_amount(debit->credits_posted - debit->debits_posted - debit->debits_pending) +
                           " available, " + format_amount(r.amount) + " asked",
                       "amount");
  return std::nullopt;
}

// An immediate or pending transfer.
result<transfer_result> ledger_rules::open_transfer(const transfer_request& r, bool record) {
  if (auto refused = check_accounts(r, account(r.debit_account), account(r.credit_account)))
    return fail(r, record, std::move(*refused));
  const bool pending = r.kind == transfer_kind::pending;
  add(r.debit_account, pending ? &counters::debits_pending : &counters::debits_posted, r.amount);
  add(r.credit_account, pending ? &counters::credits_pending : &counters::credits_posted, r.amount);
  transfer_row row = accepted_row(r, now_);
  transfer out = to_transfer(row);
  put(std::move(row));
  return transfer_result{std::move(out), false};
}

// A post or void of a pending transfer.
result<transfer_result> ledger_rules::resolve_pending(const transfer_request& r, bool record) {
  const transfer_row* found = find_row(r.pending_id);
  if (found == nullptr || found->kind != transfer_kind::pending || found->failed)
    return fail(r, record, field_error(errc::not_found, "no pending transfer " + r.pending_id, "pending_id"));
  transfer_row p = *found;
  if (!r.debit_account.empty() && r.debit_account != p.debit_account)
    return fail(r, record,
                field_error(errc::invalid_argument, "the pending transfer debits " + p.debit_account, "debit_account"));
  if (!r.credit_account.empty() && r.credit_account != p.credit_account)
    return fail(r, record,
                field_error(errc::invalid_argument, "the pending transfer credits " + p.credit_account,
                            "credit_account"));
  if (p.state == transfer_state::pending && p.expires_at > 0 && p.expires_at <= now_) {
    expire(p);
    p.state = transfer_state::expired;
  }
  if (p.state == transfer_state::expired)
    return fail(r, record, field_error(errc::pending_expired, "pending transfer " + p.id + " expired", "pending_id"));
  if (p.state != transfer_state::pending)
    return fail(r, record,
                field_error(errc::pending_resolved,
                            "pending transfer " + p.id + " is already " + std::string(to_string(p.state)),
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
  const transfer_state outcome = post ? transfer_state::posted : transfer_state::voided;
  set_state(p.id, outcome);
  transfer_row row = row_from(r, now_);
  row.debit_account = p.debit_account;
  row.credit_account = p.credit_account;
  row.amount = amount;
  row.state = outcome;
  transfer out = to_transfer(row);
  put(std::move(row));
  return transfer_result{std::move(out), false};
}

}  // namespace bankflow::detail
