// The ledger's public API (ledger.hpp): each call is one short transaction over the batch engine
// (batch.hpp), the rules (rules.hpp) and the statements (statements.hpp); the schema is
// schema.hpp's and statement import is import.cpp's.

#include <bankflow/json.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>

#include "crypto/crypto.hpp"
#include "ledger/batch.hpp"
#include "ledger/rules.hpp"
#include "ledger/schema.hpp"
#include "ledger/statements.hpp"
#include "store/db.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <span>
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

std::string to_json(const transfer_result& r) {
  const transfer& t = r.value;
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("id", t.id)
      .field("kind", to_string(t.kind))
      .field("debit", t.debit_account)
      .field("credit", t.credit_account)
      .field("amount", format_amount(t.amount))
      .field("state", to_string(t.state))
      .field("exists", r.exists)
      .field("reference", t.reference)
      .end_object();
  return out;
}

std::string to_json(const transfer& t) { return to_json(transfer_result{t, false}); }

std::string to_json(const ledger_account& a) {
  std::string out;
  json_writer w(out, json_writer::style::spaced);
  w.begin_object()
      .field("account", a.id)
      .field("currency", a.currency)
      .field("balance", format_amount(a.balance()))
      .field("posted_credits", format_amount(a.credits_posted))
      .field("posted_debits", format_amount(a.debits_posted))
      .field("pending_credits", format_amount(a.credits_pending))
      .field("pending_debits", format_amount(a.debits_pending))
      .field("available", format_amount(a.available()))
      .field("no_overdraft", (a.flags & account_no_overdraft) != 0)
      .end_object();
  return out;
}

namespace detail {

struct ledger_impl {
  database_impl* db = nullptr;
  clock_fn clock;
  [[nodiscard]] long long now_ms() const { return unix_ms(clock ? clock() : std::chrono::system_clock::now()); }
};

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
  if (spec.id.empty() || spec.id.size() > detail::max_ledger_id)
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

namespace {

// PostgreSQL: one round trip for a new immediate or pending transfer that every rule accepts
// (bankflow_ledger_fast_transfer); true when it was written. Anything else takes the general path.
result<bool> submit_fast(detail::database_impl& db, const transfer_request& request, long long now) {
  long long applied = 0;
  auto ok = detail::with_session(db, "submitting a ledger transfer", [&](soci::session& sql) {
    auto& s = detail::statements_of(db, sql);
    try {
      s.out = detail::row_from(request, now);
      s.out_kind = to_string(request.kind);
      s.now = now;
      applied = 0;
      detail::fetch_one(s.fast_query(), [&] { applied = s.applied; });
    } catch (...) {
      detail::drop_statements(db, sql);
      throw;
    }
  });
  if (!ok) return ok.error();
  return applied == 1;
}

}  // namespace

result<transfer_result> ledger::submit(const transfer_request& request) {
  const long long now = impl_->now_ms();
  detail::database_impl& db = *impl_->db;
  if (db.backend == database_backend::postgresql &&
      (request.kind == transfer_kind::immediate || request.kind == transfer_kind::pending) &&
      !detail::validate(request)) {
    auto written = submit_fast(db, request, now);
    if (!written) return written.error();
    if (*written) return transfer_result{detail::to_transfer(detail::accepted_row(request, now)), false};
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
  if (row.failed) return detail::stored_error(row);
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
    detail::transfer_record r;
    auto p = (sql.prepare << std::string("SELECT ") + detail::transfer_columns +
                                 " FROM bankflow_ledger_transfers WHERE (debit_account = :a OR credit_account = :a2) "
                                 "AND state <> 'failed' AND seq < :b ORDER BY seq DESC LIMIT :n",
              soci::use(acc, "a"), soci::use(acc, "a2"), soci::use(before, "b"), soci::use(want, "n"));
    detail::bind_transfer(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) rows.push_back(r.decode());
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

result<std::size_t> ledger::redact_references(std::string_view account_id, std::string_view replacement) {
  const std::string account(account_id), text(replacement);
  long long changed = 0;
  auto ok = detail::with_session(*impl_->db, "redacting ledger references", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE bankflow_ledger_transfers SET reference = :r "
                                         "WHERE (debit_account = :d OR credit_account = :c) AND reference <> '' AND reference <> :s",
                          soci::use(text, "r"), soci::use(account, "d"), soci::use(account, "c"),
                          soci::use(text, "s"));
    st.execute(true);
    changed = st.get_affected_rows();
  });
  if (!ok) return ok.error();
  return static_cast<std::size_t>(changed);
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

}  // namespace bankflow
