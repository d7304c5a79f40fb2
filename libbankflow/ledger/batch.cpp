// The batch engine (batch.hpp). Every write is one database transaction that reads what it needs
// once, applies the transfers in memory in order with every rule, and writes the outcome at the
// end. On SQLite it holds the write lock from BEGIN IMMEDIATE. On PostgreSQL (READ COMMITTED) it
// locks the touched accounts in one `SELECT … ORDER BY id FOR UPDATE`; ids and holds read before
// that lock are checked when written (`INSERT … ON CONFLICT DO NOTHING`, `UPDATE … WHERE state =
// 'pending'`): when a concurrent transaction got there first the counts differ and the transaction
// rolls back and runs again from scratch, as on serialization failures and deadlocks. Counters
// change only by `x = x + delta` updates of rows this transaction holds locked.

#include "ledger/batch.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

namespace bankflow::detail {

namespace {

// PostgreSQL: `ids` as the array parameter `key`.
template <class Ids>
void set_key_array(std::string& key, const Ids& ids) {
  key.clear();
  for (const auto& id : ids) append_array_item(key, std::string_view(id));
  close_array(key);
}

}  // namespace

// Reads the transfers with these ids (sorted, no duplicates); an id found nowhere is new.
void batch_work::read_transfers(const std::vector<std::string_view>& ids) {
  auto& s = t_.s;
  if (ids.empty()) return;
  if (t_.pg) {
    set_key_array(s.key, ids);
    auto& st = s.transfers_query();
    st.execute();
    while (st.fetch()) rules_.load_transfer(s.tr.decode());
    return;
  }
  std::span<const std::string_view> rest(ids);
  transfer_row row;
  while (!rest.empty()) {
    auto [st, n] = s.transfers_by_ids_query(rest.size());
    for (std::size_t i = 0; i < n; ++i) st->bind(static_cast<int>(i) + 1, rest[i]);
    while (st->step()) {  // to the end: a statement left on a row would keep its read open
      ledger_statements::read_row(*st, row);
      rules_.load_transfer(row);
    }
    rest = rest.subspan(n);
  }
}

void batch_work::lock_accounts(const std::set<std::string>& ids) {
  std::set<std::string> due = read_accounts(ids);
  if (due.empty()) return;
  std::vector<transfer_row> holds = read_due(due);
  std::set<std::string> more;
  for (const auto& h : holds) {
    if (!rules_.holds(h.debit_account)) more.insert(h.debit_account);
    if (!rules_.holds(h.credit_account)) more.insert(h.credit_account);
  }
  // Out of the sorted order, rarely: a deadlock is detected by the server and retried.
  read_accounts(more);
  for (auto& h : holds) rules_.expire(std::move(h));
}

std::size_t batch_work::expire_all() {
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
  return rules_.expired();
}

void batch_work::prepare(std::span<const transfer_request> requests) {
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
    if (const transfer_row* p = rules_.find_row(pid)) {
      accounts.insert(p->debit_account);
      accounts.insert(p->credit_account);
    }
  lock_accounts(accounts);
}

void batch_work::flush() {
  if (t_.pg) {
    flush_postgresql();
  } else {
    flush_sqlite();
  }
}

void batch_work::flush_sqlite() {
  auto& s = t_.s;
  s.insert_rows(rules_.inserts());
  for (const auto& [id, state] : rules_.state_changes()) {
    s.key = id;
    s.state = to_string(state);
    auto& st = s.set_state_query();
    st.execute(true);
    if (st.get_affected_rows() != 1) throw std::logic_error("ledger: hold " + id + " changed under the write lock");
  }
  for (const auto& [id, d] : rules_.deltas()) {
    if (d.zero()) continue;
    s.key = id;
    s.delta[0] = d.debits_posted;
    s.delta[1] = d.credits_posted;
    s.delta[2] = d.debits_pending;
    s.delta[3] = d.credits_pending;
    s.add_counters_query().execute(true);
  }
}

void batch_work::flush_postgresql() {
  auto& s = t_.s;
  for (auto& a : s.arrays) a.clear();
  const auto& inserts = rules_.inserts();
  for (const auto& row : inserts) {
    const std::string_view texts[12] = {row.id,        to_string(row.kind), row.debit_account, row.credit_account,
                                        row.pending_id, row.metadata,       row.reference,     state_word(row),
                                        row.req_debit, row.req_credit,      row.error_field,   row.error_message};
    const long long numbers[6] = {row.amount, row.req_amount, row.timeout_ms,
                                  row.error_code, row.created_at, row.expires_at};
    for (int i = 0; i < 12; ++i) append_array_item(s.arrays[i], texts[i]);
    for (int i = 0; i < 6; ++i) append_array_item(s.arrays[12 + i], numbers[i]);
  }
  for (const auto& [id, state] : rules_.state_changes()) {
    append_array_item(s.arrays[18], id);
    append_array_item(s.arrays[19], to_string(state));
  }
  long long touched = 0;
  for (const auto& [id, d] : rules_.deltas()) {
    if (d.zero()) continue;
    ++touched;
    append_array_item(s.arrays[20], id);
    append_array_item(s.arrays[21], d.debits_posted);
    append_array_item(s.arrays[22], d.credits_posted);
    append_array_item(s.arrays[23], d.debits_pending);
    append_array_item(s.arrays[24], d.credits_pending);
  }
  if (inserts.empty() && rules_.state_changes().empty() && touched == 0) return;
  for (auto& a : s.arrays) close_array(a);
  s.write_query().execute(true);
  if (s.counts[0] != static_cast<long long>(inserts.size()) ||
      s.counts[1] != static_cast<long long>(rules_.state_changes().size()) || s.counts[2] != touched)
    throw transaction_conflict("ledger: a transfer id or hold changed concurrently");
}

std::set<std::string> batch_work::read_accounts(const std::set<std::string>& wanted) {
  auto& s = t_.s;
  s.now = t_.now;
  std::set<std::string> due;
  std::vector<std::string_view> ids;
  for (const auto& id : wanted)
    if (!rules_.holds(id)) ids.push_back(id);
  if (ids.empty()) return due;
  auto take = [&] {
    rules_.load_account(s.ar);
    if (s.due != 0) due.insert(s.ar.id);
  };
  if (t_.pg) {
    set_key_array(s.key, ids);
    auto& st = s.accounts_query();
    st.execute();
    while (st.fetch()) take();
    return due;
  }
  for (const auto id : ids) {
    s.key = id;
    fetch_one(s.accounts_query(), take);
  }
  return due;
}

std::vector<transfer_row> batch_work::read_due(const std::set<std::string>& accounts) {
  auto& s = t_.s;
  s.now = t_.now;
  std::map<std::string, transfer_row> found;  // one hold may touch two of the accounts
  auto fetch_all = [&] {
    auto& st = s.due_query();
    st.execute();
    while (st.fetch()) {
      const transfer_row& row = s.tr.decode();
      found.emplace(row.id, row);
    }
  };
  if (t_.pg) {
    set_key_array(s.key, accounts);
    fetch_all();
  } else {
    for (const auto& id : accounts) {
      s.key = id;
      fetch_all();
    }
  }
  std::vector<transfer_row> out;
  for (auto& [id, row] : found) out.push_back(std::move(row));
  return out;
}

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

}  // namespace bankflow::detail
