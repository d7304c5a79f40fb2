// The wallet service: session wallets in the ledger, deposits and withdrawals as pending
// transfers settled by provider events, an operations table linking each hold to the request that
// caused it and the provider's reference, and the webhook delivery log.
//
// Exactly-once settlement rests on the ledger's idempotency: an event for hold H posts with the
// transfer id "H:post" (or voids with "H:void"), so a duplicate or replayed event resubmits the
// same transfer and gets `exists`, and the opposite settlement finds the hold resolved.

#include <bankflow/database.hpp>
#include <bankflow/date.hpp>
#include <bankflow/json.hpp>
#include <bankflow/money.hpp>
#include <bankflow/session.hpp>
#include <bankflow/wallet.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"

#include <array>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <cstdio>
#include <utility>

namespace bankflow {
namespace {

const std::vector<detail::migration>& wallet_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_wallet_ops ("
        "transfer_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, kind TEXT NOT NULL, provider TEXT NOT NULL, "
        "provider_reference TEXT NOT NULL, request_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, "
        "destination TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS bankflow_wallet_ops_session ON bankflow_wallet_ops (session_id)",
        "CREATE TABLE IF NOT EXISTS bankflow_webhook_deliveries ("
        "seq BIGINT NOT NULL, provider TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL, "
        "transfer_id TEXT NOT NULL, received_at BIGINT NOT NULL, signature_valid INTEGER NOT NULL, "
        "outcome TEXT NOT NULL, body_sha256 TEXT NOT NULL, PRIMARY KEY (seq))",
        "CREATE INDEX IF NOT EXISTS bankflow_webhook_deliveries_transfer ON bankflow_webhook_deliveries "
        "(transfer_id)"}},
      // The amount each operation counts against its wallet's daily limit (0: not counted).
      {2,
       {"ALTER TABLE bankflow_wallet_ops ADD COLUMN amount BIGINT NOT NULL DEFAULT 0",
        "CREATE INDEX IF NOT EXISTS bankflow_wallet_ops_limits ON bankflow_wallet_ops (session_id, kind, created_at)"}},
      // Reconciliation (issue 15): an operation an operator must look at has a review reason.
      {3,
       {"ALTER TABLE bankflow_wallet_ops ADD COLUMN review TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE bankflow_wallet_ops ADD COLUMN flagged_at BIGINT NOT NULL DEFAULT 0"}},
      // PostgreSQL row-level security (issue 18): a thread with a tenant (set_thread_tenant) sees
      // and writes only its own wallet's operations
      {4,
       {},
       {"ALTER TABLE bankflow_wallet_ops ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE bankflow_wallet_ops FORCE ROW LEVEL SECURITY",
        "CREATE POLICY bankflow_tenant ON bankflow_wallet_ops USING (COALESCE(current_setting('bankflow.tenant', "
        "true), '') = '' OR session_id = current_setting('bankflow.tenant', true))"}},
      // … and only the webhook deliveries about its own operations (the subquery sees its rows only)
      {5,
       {},
       {"ALTER TABLE bankflow_webhook_deliveries ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE bankflow_webhook_deliveries FORCE ROW LEVEL SECURITY",
        "CREATE POLICY bankflow_tenant ON bankflow_webhook_deliveries USING (COALESCE(current_setting("
        "'bankflow.tenant', true), '') = '' OR EXISTS (SELECT 1 FROM bankflow_wallet_ops o "
        "WHERE o.transfer_id = bankflow_webhook_deliveries.transfer_id))"}},
  };
  return steps;
}

std::string metadata_json(std::string_view kind, std::string_view session, const request_origin& origin) {
  std::string out;
  json_writer(out)
      .begin_object()
      .field("kind", kind)
      .field("session", session)
      .field("request_id", origin.request_id)
      .field("idempotency_key", origin.idempotency_key)
      .end_object();
  return out;
}

// The members of a wallet transaction (to_wallet_json), into an open object.
void write_wallet_transfer(json_writer& w, const transfer& t) {
  w.begin_object()
      .field("id", t.id)
      .field("kind", to_string(t.kind))
      .field("state", to_string(t.state))
      .field("direction", t.debit_account.starts_with("wallet:") ? "out" : "in")
      .field("amount", format_amount(t.amount))
      .field("pending_id", t.pending_id)
      .field("reference", t.reference)
      .field("created_at", format_timestamp(t.created_at))
      .end_object();
}

void write_delivery(json_writer& w, const webhook_delivery& d) {
  w.begin_object()
      .field("seq", d.seq)
      .field("provider", d.provider)
      .field("event_id", d.event_id)
      .field("event_type", d.event_type)
      .field("transfer_id", d.transfer_id)
      .field("received_at", format_timestamp(d.received_at))
      .field("signature_valid", d.signature_valid)
      .field("outcome", d.outcome)
      .field("body_sha256", d.body_sha256)
      .end_object();
}

// The delivery id of a refused delivery, for the audit log: the id header when the scheme has
// one, else (authentic bodies only) the event id in the body.
std::string delivery_id(std::span<const header_view> headers, std::string_view body, bool authentic) {
  constexpr std::string_view id_header = "webhook-id";
  auto lower_equal = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
  for (const auto& h : headers)
    if (std::equal(h.name.begin(), h.name.end(), id_header.begin(), id_header.end(), lower_equal))
      return std::string(h.value.substr(0, 255));
  if (authentic)
    if (auto e = parse_payment_event(body)) return e->id;
  return {};
}

struct op_row {
  std::string transfer_id, session_id, kind, provider, reference, request_id, idempotency_key, destination;
  std::string review;
  long long amount = 0;      // the hold's (pending_operations only)
  long long created_at = 0;  // ms (pending_operations only)
};

// Operations of `provider` (empty: every provider), created before `cut`, whose hold the ledger
// still has pending (a hold past its timeout may still read "pending" here until the ledger
// expires it; settling it then fails as pending_expired). Oldest first, at most `limit`.
result<std::vector<op_row>> pending_operations(detail::database_impl& db, const std::string& provider, long long cut,
                                               std::size_t limit) {
  std::vector<op_row> due;
  auto listed = detail::with_session(db, "listing pending wallet operations", [&](soci::session& sql) {
    due.clear();
    op_row op;
    soci::statement st(sql);
    st.exchange(soci::into(op.transfer_id));
    st.exchange(soci::into(op.kind));
    st.exchange(soci::into(op.reference));
    st.exchange(soci::into(op.review));
    st.exchange(soci::into(op.session_id));
    st.exchange(soci::into(op.provider));
    st.exchange(soci::into(op.amount));
    st.exchange(soci::into(op.created_at));
    if (!provider.empty()) st.exchange(soci::use(provider, "p"));
    st.exchange(soci::use(cut, "c"));
    st.alloc();
    st.prepare("SELECT o.transfer_id, o.kind, o.provider_reference, o.review, o.session_id, o.provider, t.amount, "
               "o.created_at FROM bankflow_wallet_ops o JOIN bankflow_ledger_transfers t ON t.id = o.transfer_id "
               "WHERE " + std::string(provider.empty() ? "" : "o.provider = :p AND ") +
               "o.created_at <= :c AND t.state = 'pending' "
               "ORDER BY o.created_at, o.transfer_id LIMIT " + std::to_string(limit));
    st.define_and_bind();
    st.execute();
    while (st.fetch()) due.push_back(op);
  });
  if (!listed) return listed.error();
  return due;
}

constexpr std::string_view delivery_select =
    "SELECT seq, provider, event_id, event_type, transfer_id, received_at, signature_valid, outcome, "
    "body_sha256 FROM bankflow_webhook_deliveries";

// The rows of a delivery_select query; `bind` adds its parameters.
template <class Bind>
std::vector<webhook_delivery> fetch_deliveries(soci::session& sql, const std::string& query, Bind&& bind) {
  std::vector<webhook_delivery> out;
  webhook_delivery d;
  long long received = 0;
  int valid = 0;
  soci::statement st(sql);
  st.exchange(soci::into(d.seq));
  st.exchange(soci::into(d.provider));
  st.exchange(soci::into(d.event_id));
  st.exchange(soci::into(d.event_type));
  st.exchange(soci::into(d.transfer_id));
  st.exchange(soci::into(received));
  st.exchange(soci::into(valid));
  st.exchange(soci::into(d.outcome));
  st.exchange(soci::into(d.body_sha256));
  bind(st);
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    d.received_at = timestamp(std::chrono::milliseconds(received));
    d.signature_valid = valid != 0;
    out.push_back(d);
  }
  return out;
}

// A deliveries cursor is the seq of the last delivery of the previous page; empty: from the
// newest. nullopt when it is not one.
std::optional<long long> parse_delivery_cursor(std::string_view cursor) {
  if (cursor.empty()) return std::numeric_limits<long long>::max();
  long long seq = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || seq < 1) return std::nullopt;
  return seq;
}

// The event reconciliation applies for an operation the provider settled: the same transfer ids
// as its webhook, so it settles exactly once whoever comes first.
payment_event reconciliation_event(const op_row& op, bool succeeded) {
  const bool deposit = op.kind == "deposit";
  payment_event e;
  e.id = "reconcile:" + op.transfer_id;
  e.kind = deposit ? (succeeded ? payment_event_type::deposit_succeeded : payment_event_type::deposit_failed)
                   : (succeeded ? payment_event_type::withdrawal_succeeded : payment_event_type::withdrawal_failed);
  e.type = std::string("reconciliation: ") + (deposit ? "deposit." : "withdrawal.") +
           (succeeded ? "succeeded" : "failed");
  e.transfer_id = op.transfer_id;
  e.reference = op.reference;
  return e;
}

}  // namespace

std::string_view to_string(provider_status s) noexcept {
  switch (s) {
    case provider_status::succeeded: return "succeeded";
    case provider_status::failed: return "failed";
    case provider_status::pending: return "pending";
    case provider_status::unknown: return "unknown";
  }
  return "unknown";
}

result<provider_status> payment_provider::query(std::string_view, std::string_view) {
  return provider_status::unknown;
}

std::string_view to_string(event_outcome o) noexcept {
  switch (o) {
    case event_outcome::posted: return "posted";
    case event_outcome::voided: return "voided";
    case event_outcome::duplicate: return "duplicate";
    case event_outcome::ignored: return "ignored";
  }
  return "ignored";
}

std::string to_json(const wallet_balance& b) {
  std::string out;
  json_writer(out)
      .begin_object()
      .field("account", b.account)
      .field("currency", b.currency)
      .field("balance", format_amount(b.balance))
      .field("available", format_amount(b.available))
      .field("pending_in", format_amount(b.pending_in))
      .field("pending_out", format_amount(b.pending_out))
      .end_object();
  return out;
}

std::string to_wallet_json(const transfer& t) {
  std::string out;
  json_writer w(out);
  write_wallet_transfer(w, t);
  return out;
}

std::string to_wallet_json(const history_page& page) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("transactions").begin_array();
  for (const auto& t : page.transfers) write_wallet_transfer(w, t);
  w.end_array().key("next_cursor").string_or_null(page.next_cursor).end_object();
  return out;
}

std::string to_json(const wallet_operation& op) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("transaction");
  write_wallet_transfer(w, op.hold);
  w.field("reference", op.reference).field("instructions", op.instructions).end_object();
  return out;
}

std::string to_json(const webhook_delivery& d) {
  std::string out;
  json_writer w(out);
  write_delivery(w, d);
  return out;
}

std::string to_json(const wallet_trail& t) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("transaction");
  write_wallet_transfer(w, t.operation);
  w.key("settlement");
  if (t.settlement) write_wallet_transfer(w, *t.settlement);
  else w.null();
  w.field("request_id", t.request_id)
      .field("idempotency_key", t.idempotency_key)
      .field("provider_reference", t.provider_reference)
      .key("review")
      .string_or_null(t.review)
      .key("deliveries")
      .begin_array();
  for (const auto& d : t.deliveries) write_delivery(w, d);
  w.end_array().end_object();
  return out;
}

std::string to_json(const delivery_page& page) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("deliveries").begin_array();
  for (const auto& d : page.deliveries) write_delivery(w, d);
  w.end_array().key("next_cursor").string_or_null(page.next_cursor).end_object();
  return out;
}

std::string to_json(const std::vector<pending_operation>& ops) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("operations").begin_array();
  for (const auto& op : ops)
    w.begin_object()
        .field("transfer_id", op.transfer_id)
        .field("kind", op.kind)
        .field("amount", format_amount(op.amount))
        .field("owner", op.owner)
        .field("provider", op.provider)
        .field("provider_reference", op.provider_reference)
        .key("review")
        .string_or_null(op.review)
        .field("created_at", format_timestamp(op.created_at))
        .field("age_seconds", std::chrono::duration_cast<std::chrono::seconds>(op.age).count())
        .end_object();
  w.end_array().end_object();
  return out;
}

std::string to_json(const wallet_review& r) {
  std::string out;
  json_writer(out)
      .begin_object()
      .field("transfer_id", r.transfer_id)
      .field("session_id", r.session_id)
      .field("kind", r.kind)
      .field("provider_reference", r.provider_reference)
      .field("reason", r.reason)
      .field("flagged_at", format_timestamp(r.flagged_at))
      .end_object();
  return out;
}

struct wallet_service::impl {
  detail::database_impl* db = nullptr;
  ledger* book = nullptr;
  payment_provider* provider = nullptr;
  wallet_options options;
  std::string provider_account;

  static std::string account_of(std::string_view session) { return "wallet:" + std::string(session); }

  // The session's wallet account, created on first use. Read first: creating is a write
  // transaction (SQLite's write lock, an advisory lock on PostgreSQL) that every balance read
  // would otherwise take. get_account voids the account's expired holds first.
  result<ledger_account> ensure_wallet(std::string_view session) {
    auto existing = book->get_account(account_of(session));
    if (existing) return existing;
    if (existing.error().code != errc::not_found) return existing.error();
    ledger_account_spec spec;
    spec.id = account_of(session);
    spec.currency = options.currency;
    spec.flags = account_no_overdraft;
    spec.owner = std::string(session);
    auto r = book->create_account(spec);
    if (!r) return r.error();
    return r->account;
  }

  // Records an operation and counts `amount` against the wallet's limit of its kind over the
  // last 24 hours, atomically: the sum and the insert share a transaction serialized per session
  // (SQLite's write lock, an advisory lock on PostgreSQL), so concurrent requests cannot both
  // pass the limit. Error: daily_limit_reached, storage_error.
  result<void> record_op(const op_row& op, std::int64_t amount, std::int64_t daily_limit) {
    const long long now = detail::unix_ms(options.clock());
    const long long since = now - 24LL * 3600 * 1000;
    const long long counted = amount;
    const std::string lock = "wallet-limits:" + op.session_id;
    bool over = false;
    auto ok = detail::with_transaction(*db, "recording a wallet operation", lock, [&](soci::session& sql) {
      over = false;
      long long used = 0;
      soci::indicator ind = soci::i_null;
      sql << "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM bankflow_wallet_ops "
             "WHERE session_id = :s AND kind = :k AND created_at > :c",
          soci::use(op.session_id, "s"), soci::use(op.kind, "k"), soci::use(since, "c"), soci::into(used, ind);
      if (ind != soci::i_ok) used = 0;
      if (used > daily_limit - counted) {  // no overflow: both are within 0..max_wallet_limit
        over = true;
        return;
      }
      sql << "INSERT INTO bankflow_wallet_ops (transfer_id, session_id, kind, provider, provider_reference, "
             "request_id, idempotency_key, destination, created_at, amount) "
             "VALUES (:t, :s, :k, :p, :r, :q, :i, :d, :c, :a)",
          soci::use(op.transfer_id, "t"), soci::use(op.session_id, "s"), soci::use(op.kind, "k"),
          soci::use(op.provider, "p"), soci::use(op.reference, "r"), soci::use(op.request_id, "q"),
          soci::use(op.idempotency_key, "i"), soci::use(op.destination, "d"), soci::use(now, "c"),
          soci::use(counted, "a");
    });
    if (!ok) return ok.error();
    if (over)
      return make_error(errc::daily_limit_reached,
                        "this " + op.kind + " would pass the wallet's limit of " + format_amount(daily_limit) +
                            " per 24 hours",
                        0, "amount");
    return {};
  }

  // Stops counting an operation that never reached the provider (or that it refused at once).
  void uncount(const std::string& transfer_id) {
    (void)detail::with_session(*db, "uncounting a wallet operation", [&](soci::session& sql) {
      sql << "UPDATE bankflow_wallet_ops SET amount = 0 WHERE transfer_id = :t", soci::use(transfer_id, "t");
    });
  }

  // An operation whose hold the ledger refused (insufficient funds …) leaves no row; after a
  // storage error the hold may exist, so its row stays, uncounted.
  void forget(const std::string& transfer_id, const error& why) {
    if (why.code == errc::storage_error) return uncount(transfer_id);
    (void)detail::with_session(*db, "forgetting a wallet operation", [&](soci::session& sql) {
      sql << "DELETE FROM bankflow_wallet_ops WHERE transfer_id = :t", soci::use(transfer_id, "t");
    });
  }

  result<void> set_reference(const std::string& transfer_id, const std::string& reference) {
    return detail::with_session(*db, "recording a provider reference", [&](soci::session& sql) {
      sql << "UPDATE bankflow_wallet_ops SET provider_reference = :r WHERE transfer_id = :t",
          soci::use(reference, "r"), soci::use(transfer_id, "t");
    });
  }

  result<std::optional<op_row>> find_op(const std::string& transfer_id) {
    op_row op;
    soci::indicator ind = soci::i_null;
    bool found = false;
    auto ok = detail::with_session(*db, "looking up a wallet operation", [&](soci::session& sql) {
      sql << "SELECT transfer_id, session_id, kind, provider, provider_reference, request_id, idempotency_key, "
             "destination, review FROM bankflow_wallet_ops WHERE transfer_id = :t",
          soci::use(transfer_id, "t"), soci::into(op.transfer_id, ind), soci::into(op.session_id),
          soci::into(op.kind), soci::into(op.provider), soci::into(op.reference), soci::into(op.request_id),
          soci::into(op.idempotency_key), soci::into(op.destination), soci::into(op.review);
      found = sql.got_data() && ind == soci::i_ok;
    });
    if (!ok) return ok.error();
    if (!found) return std::optional<op_row>{};
    return std::optional<op_row>(std::move(op));
  }

  result<void> log(std::string_view event_id, std::string_view event_type, std::string_view transfer_id,
                   std::string_view raw_body, bool signature_valid, std::string_view outcome) {
    const std::string p(provider->name()), e(event_id), t(event_type), tr(transfer_id), o(outcome);
    const std::string hash = detail::to_hex(detail::sha256(raw_body));
    const long long now = detail::unix_ms(options.clock());
    const int valid = signature_valid ? 1 : 0;
    // seq is allocated inside the insert's transaction so concurrent loggers never collide.
    return detail::with_transaction(*db, "logging a webhook delivery", "webhook-deliveries", [&](soci::session& sql) {
      long long seq = 0;
      soci::indicator ind = soci::i_null;
      sql << "SELECT MAX(seq) FROM bankflow_webhook_deliveries", soci::into(seq, ind);
      seq = (ind == soci::i_ok ? seq : 0) + 1;
      sql << "INSERT INTO bankflow_webhook_deliveries (seq, provider, event_id, event_type, transfer_id, "
             "received_at, signature_valid, outcome, body_sha256) VALUES (:q, :p, :e, :t, :tr, :r, :v, :o, :h)",
          soci::use(seq, "q"), soci::use(p, "p"), soci::use(e, "e"), soci::use(t, "t"), soci::use(tr, "tr"),
          soci::use(now, "r"), soci::use(valid, "v"), soci::use(o, "o"), soci::use(hash, "h");
    });
  }

  // Flags an operation for an operator (the first reason stays).
  result<void> flag(const std::string& transfer_id, const std::string& reason) {
    const long long now = detail::unix_ms(options.clock());
    return detail::with_session(*db, "flagging a wallet operation", [&](soci::session& sql) {
      sql << "UPDATE bankflow_wallet_ops SET review = :r, flagged_at = :n WHERE transfer_id = :t AND review = ''",
          soci::use(reason, "r"), soci::use(now, "n"), soci::use(transfer_id, "t");
    });
  }

  // Voids a hold the provider never took; the caller reports the provider's error.
  void release_hold(const transfer& hold) {
    transfer_request v;
    v.id = hold.id + ":void";
    v.kind = transfer_kind::void_pending;
    v.pending_id = hold.id;
    (void)book->submit(v);  // a failure leaves the hold to its timeout or an operator; nothing is lost
  }
};

wallet_service::wallet_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
wallet_service::wallet_service(wallet_service&&) noexcept = default;
wallet_service& wallet_service::operator=(wallet_service&&) noexcept = default;
wallet_service::~wallet_service() = default;

result<wallet_service> wallet_service::open(database& db, ledger& book, payment_provider& provider,
                                            wallet_options options) {
  auto& d = detail::database_access::impl(db);
  if (auto ok = detail::migrate(d, "wallet", wallet_migrations()); !ok) return ok.error();
  auto p = std::make_unique<impl>();
  p->db = &d;
  p->book = &book;
  p->provider = &provider;
  p->options = std::move(options);
  if (!p->options.clock) p->options.clock = system_clock();
  for (auto [limit, name] : {std::pair{p->options.max_deposit, "max_deposit"},
                              std::pair{p->options.max_withdrawal, "max_withdrawal"},
                              std::pair{p->options.daily_deposit_limit, "daily_deposit_limit"},
                              std::pair{p->options.daily_withdrawal_limit, "daily_withdrawal_limit"}})
    if (limit <= 0 || limit > max_wallet_limit)
      return make_error(errc::invalid_argument,
                        std::string(name) + " must be between 0.01 and " + format_amount(max_wallet_limit), 0, name);
  p->provider_account = "provider:" + std::string(provider.name());
  ledger_account_spec spec;
  spec.id = p->provider_account;
  spec.currency = p->options.currency;
  if (auto r = book.create_account(spec); !r) return r.error();
  return wallet_service(std::move(p));
}

result<wallet_balance> wallet_service::balance(std::string_view session_id) {
  // Reading writes nothing: a wallet that never moved money has no account yet.
  auto acct = impl_->book->get_account(impl::account_of(session_id));  // voids expired deposits first
  if (!acct && acct.error().code == errc::not_found) {
    wallet_balance empty;
    empty.account = impl::account_of(session_id);
    empty.currency = impl_->options.currency;
    return empty;
  }
  if (!acct) return acct.error();
  wallet_balance b;
  b.account = acct->id;
  b.currency = acct->currency;
  b.balance = acct->balance();
  b.available = acct->available();
  b.pending_in = acct->credits_pending;
  b.pending_out = acct->debits_pending;
  return b;
}

result<wallet_operation> wallet_service::deposit(std::string_view session_id, std::int64_t amount,
                                                 const request_origin& origin) {
  if (amount <= 0) return make_error(errc::invalid_argument, "a deposit amount must be positive", 0, "amount");
  if (amount > impl_->options.max_deposit)
    return make_error(errc::over_operation_limit,
                      "a deposit may be at most " + format_amount(impl_->options.max_deposit), 0, "amount");
  if (auto r = impl_->ensure_wallet(session_id); !r) return r.error();
  transfer_request req;
  req.id = "dep_" + detail::random_hex(16);
  req.kind = transfer_kind::pending;
  req.debit_account = impl_->provider_account;
  req.credit_account = impl::account_of(session_id);
  req.amount = amount;
  req.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(impl_->options.deposit_timeout);
  req.metadata = metadata_json("deposit", session_id, origin);
  // The operation row comes first so that a webhook arriving at once finds it.
  op_row op{req.id, std::string(session_id), "deposit", std::string(impl_->provider->name()), "",
            origin.request_id, origin.idempotency_key, "", ""};
  if (auto ok = impl_->record_op(op, amount, impl_->options.daily_deposit_limit); !ok) return ok.error();
  auto hold = impl_->book->submit(req);
  if (!hold) {
    impl_->forget(req.id, hold.error());
    return hold.error();
  }
  auto asked = impl_->provider->create_deposit(req.id, amount, impl_->options.currency);
  if (!asked) {
    impl_->release_hold(hold->value);
    impl_->uncount(req.id);
    return asked.error();
  }
  (void)impl_->set_reference(req.id, asked->reference);  // audit detail; the money is already right
  return wallet_operation{std::move(hold->value), std::move(asked->reference), std::move(asked->instructions)};
}

result<wallet_operation> wallet_service::withdraw(std::string_view session_id, std::int64_t amount,
                                                  std::string_view destination, const request_origin& origin) {
  if (amount <= 0) return make_error(errc::invalid_argument, "a withdrawal amount must be positive", 0, "amount");
  if (destination.empty()) return make_error(errc::invalid_argument, "a withdrawal needs a destination", 0, "destination");
  if (destination.size() > 140) return make_error(errc::invalid_argument, "the destination is too long", 0, "destination");
  if (amount > impl_->options.max_withdrawal)
    return make_error(errc::over_operation_limit,
                      "a withdrawal may be at most " + format_amount(impl_->options.max_withdrawal), 0, "amount");
  if (auto r = impl_->ensure_wallet(session_id); !r) return r.error();
  transfer_request req;
  req.id = "wd_" + detail::random_hex(16);
  req.kind = transfer_kind::pending;
  req.debit_account = impl::account_of(session_id);
  req.credit_account = impl_->provider_account;
  req.amount = amount;
  req.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(impl_->options.withdrawal_timeout);
  req.metadata = metadata_json("withdrawal", session_id, origin);
  req.reference = std::string(destination);
  // The operation row comes first: it counts the amount against the daily limit atomically.
  op_row op{req.id, std::string(session_id), "withdrawal", std::string(impl_->provider->name()), "",
            origin.request_id, origin.idempotency_key, std::string(destination), ""};
  if (auto ok = impl_->record_op(op, amount, impl_->options.daily_withdrawal_limit); !ok) return ok.error();
  // The hold decides: of any number of concurrent withdrawals only those the available balance
  // covers get one (the ledger serializes them on the account).
  auto hold = impl_->book->submit(req);
  if (!hold) {
    impl_->forget(req.id, hold.error());
    return hold.error();
  }
  auto asked = impl_->provider->request_payout(req.id, amount, impl_->options.currency, destination);
  if (!asked) {
    impl_->release_hold(hold->value);
    impl_->uncount(req.id);
    return asked.error();
  }
  (void)impl_->set_reference(req.id, asked->reference);
  return wallet_operation{std::move(hold->value), std::move(asked->reference), {}};
}

result<history_page> wallet_service::transactions(std::string_view session_id, std::string_view cursor,
                                                  std::size_t limit) {
  return impl_->book->history(impl::account_of(session_id), cursor, limit);
}

result<wallet_trail> wallet_service::trail(std::string_view session_id, std::string_view transfer_id) {
  std::string id(transfer_id);
  // A settlement's trail is its hold's.
  for (std::string_view suffix : {":post", ":void"})
    if (id.size() > suffix.size() && id.ends_with(suffix)) id.resize(id.size() - suffix.size());
  auto op = impl_->find_op(id);
  if (!op) return op.error();
  if (!*op || (*op)->session_id != session_id) return not_found_error("transaction", transfer_id);
  auto hold = impl_->book->get_transfer(id);
  if (!hold) return hold.error();
  wallet_trail t;
  t.operation = std::move(*hold);
  for (std::string_view suffix : {":post", ":void"}) {
    auto s = impl_->book->get_transfer(id + std::string(suffix));
    if (s) {
      t.settlement = std::move(*s);
      break;
    }
  }
  t.request_id = (*op)->request_id;
  t.idempotency_key = (*op)->idempotency_key;
  t.provider_reference = (*op)->reference;
  t.review = (*op)->review;
  auto d = deliveries(id);
  if (!d) return d.error();
  t.deliveries = std::move(*d);
  return t;
}

result<event_outcome> wallet_service::apply(const payment_event& event, std::string_view raw_body) {
  auto finish = [&](event_outcome o, std::string outcome_text) -> result<event_outcome> {
    if (auto ok = impl_->log(event.id, event.type, event.transfer_id, raw_body, true, outcome_text); !ok)
      return ok.error();
    return o;
  };
  if (event.kind == payment_event_type::other) return finish(event_outcome::ignored, "ignored: unknown event type");
  auto op = impl_->find_op(event.transfer_id);
  if (!op) return op.error();
  const bool is_deposit =
      event.kind == payment_event_type::deposit_succeeded || event.kind == payment_event_type::deposit_failed;
  if (!*op) return finish(event_outcome::ignored, "ignored: unknown transfer");
  if ((*op)->kind != (is_deposit ? "deposit" : "withdrawal"))
    return finish(event_outcome::ignored, "ignored: event type does not match the transfer");
  if ((*op)->provider != impl_->provider->name())
    return finish(event_outcome::ignored, "ignored: the transfer belongs to another provider");
  const bool succeeded = event.kind == payment_event_type::deposit_succeeded ||
                         event.kind == payment_event_type::withdrawal_succeeded;
  if (succeeded && event.amount) {
    auto hold = impl_->book->get_transfer(event.transfer_id);
    if (!hold) return hold.error();
    if (hold->amount != *event.amount) return finish(event_outcome::ignored, "ignored: amount differs from the hold");
  }
  transfer_request req;
  req.id = event.transfer_id + (succeeded ? ":post" : ":void");
  req.kind = succeeded ? transfer_kind::post : transfer_kind::void_pending;
  req.pending_id = event.transfer_id;
  auto r = impl_->book->submit(req);
  if (r) {
    if (r->exists) return finish(event_outcome::duplicate, "duplicate");
    const event_outcome settled = succeeded ? event_outcome::posted : event_outcome::voided;
    return finish(settled, std::string(to_string(settled)));
  }
  switch (r.error().code) {
    case errc::pending_expired:
      // Paid after the hold was released: the money moved outside the ledger; an operator settles it.
      if (succeeded)
        if (auto ok = impl_->flag(event.transfer_id, "the provider reported success after the hold expired"); !ok)
          return ok.error();
      [[fallthrough]];
    case errc::pending_resolved:
      return finish(event_outcome::ignored, "ignored: " + std::string(bankflow::to_string(r.error().code)));
    default:
      return r.error();  // storage: the sender retries
  }
}

result<reconcile_report> wallet_service::reconcile(const reconcile_options& options) {
  reconcile_report report;
  const long long cut = detail::unix_ms(impl_->options.clock() - options.older_than);
  const std::string provider(impl_->provider->name());
  const std::size_t limit = std::clamp<std::size_t>(options.limit, 1, 10000);
  auto due = pending_operations(*impl_->db, provider, cut, limit);
  if (!due) return due.error();
  for (const auto& op : *due) {
    ++report.checked;
    auto status = impl_->provider->query(op.transfer_id, op.reference);
    if (!status) {
      ++report.errors;
      continue;
    }
    if (*status == provider_status::pending) {
      ++report.pending;
      continue;
    }
    if (*status == provider_status::unknown) {
      if (op.review.empty()) {
        if (auto ok = impl_->flag(op.transfer_id, "the provider does not know this operation"); !ok) {
          ++report.errors;
          continue;
        }
        ++report.flagged;
      }
      continue;
    }
    // Settle it the way its webhook would: same transfer ids, so exactly once whoever comes first.
    auto applied = apply(reconciliation_event(op, *status == provider_status::succeeded), "");
    if (!applied) {
      ++report.errors;
      continue;
    }
    switch (*applied) {
      case event_outcome::posted: ++report.posted; break;
      case event_outcome::voided: ++report.voided; break;
      default: ++report.settled_already; break;
    }
  }
  auto expired = impl_->book->expire_pending();
  if (!expired) return expired.error();
  report.expired = *expired;
  return report;
}

result<std::vector<wallet_review>> wallet_service::reviews(std::size_t limit) {
  std::vector<wallet_review> out;
  const std::size_t n = std::clamp<std::size_t>(limit, 1, 10000);
  auto ok = detail::with_session(*impl_->db, "reading flagged wallet operations", [&](soci::session& sql) {
    out.clear();
    wallet_review r;
    long long at = 0;
    soci::statement st(sql);
    st.exchange(soci::into(r.transfer_id));
    st.exchange(soci::into(r.session_id));
    st.exchange(soci::into(r.kind));
    st.exchange(soci::into(r.provider_reference));
    st.exchange(soci::into(r.reason));
    st.exchange(soci::into(at));
    st.alloc();
    st.prepare("SELECT transfer_id, session_id, kind, provider_reference, review, flagged_at FROM "
               "bankflow_wallet_ops WHERE review <> '' ORDER BY flagged_at, transfer_id LIMIT " + std::to_string(n));
    st.define_and_bind();
    st.execute();
    while (st.fetch()) {
      r.flagged_at = timestamp(std::chrono::milliseconds(at));
      out.push_back(r);
    }
  });
  if (!ok) return ok.error();
  return out;
}

result<void> wallet_service::log_rejected(std::string_view event_id, std::string_view raw_body,
                                          bool signature_valid, std::string_view outcome) {
  std::string type, transfer_id;
  if (signature_valid) {  // only an authentic body is worth reading
    if (auto e = parse_payment_event(raw_body)) {
      type = e->type;
      transfer_id = e->transfer_id;
    }
  }
  return impl_->log(event_id, type, transfer_id, raw_body, signature_valid, outcome);
}

result<std::size_t> wallet_service::purge_deliveries(std::chrono::seconds keep) {
  if (keep.count() <= 0) return make_error(errc::invalid_argument, "the delivery retention must be positive");
  const long long before = detail::unix_ms(impl_->options.clock()) - keep.count() * 1000;
  std::size_t removed = 0;
  auto ok = detail::with_session(*impl_->db, "purging webhook deliveries", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM bankflow_webhook_deliveries WHERE received_at < :b",
                          soci::use(before, "b"));
    st.execute(true);
    removed = static_cast<std::size_t>(st.get_affected_rows());
  });
  if (!ok) return ok.error();
  return removed;
}

result<std::size_t> wallet_service::purge_operations(std::chrono::seconds keep) {
  if (keep <= std::chrono::hours(24) || keep <= impl_->options.deposit_timeout)
    return make_error(errc::invalid_argument,
                      "the operation retention must be longer than 24 hours and the deposit timeout");
  const long long before = detail::unix_ms(impl_->options.clock()) - keep.count() * 1000;
  std::size_t removed = 0;
  auto ok = detail::with_session(*impl_->db, "purging wallet operations", [&](soci::session& sql) {
    soci::statement st =
        (sql.prepare << "DELETE FROM bankflow_wallet_ops WHERE created_at < :b", soci::use(before, "b"));
    st.execute(true);
    removed = static_cast<std::size_t>(st.get_affected_rows());
  });
  if (!ok) return ok.error();
  return removed;
}

result<std::vector<webhook_delivery>> wallet_service::deliveries(std::string_view transfer_id) {
  std::vector<webhook_delivery> out;
  const std::string t(transfer_id);
  auto ok = detail::with_session(*impl_->db, "reading webhook deliveries", [&](soci::session& sql) {
    const std::string query =
        std::string(delivery_select) + (t.empty() ? "" : " WHERE transfer_id = :t") + " ORDER BY seq";
    out = fetch_deliveries(sql, query, [&](soci::statement& st) {
      if (!t.empty()) st.exchange(soci::use(t, "t"));
    });
  });
  if (!ok) return ok.error();
  return out;
}

result<delivery_page> wallet_service::find_deliveries(const delivery_query& q) {
  if (q.limit < 1 || q.limit > 200)
    return make_error(errc::invalid_argument, "the limit must be between 1 and 200", 0, "limit");
  const auto before = parse_delivery_cursor(q.cursor);
  if (!before) return make_error(errc::invalid_argument, "the cursor is not one a page gave", 0, "cursor");
  // Strings bound by name must outlive the statement: they are all here.
  const std::string outcome_kind = q.outcome + ": ";
  std::string where = " WHERE seq < :b";
  if (!q.provider.empty()) where += " AND provider = :p";
  if (!q.event_id.empty()) where += " AND event_id = :e";
  if (!q.outcome.empty())
    where += " AND (outcome = :o OR substr(outcome, 1, " + std::to_string(outcome_kind.size()) + ") = :k)";
  const std::string query =
      std::string(delivery_select) + where + " ORDER BY seq DESC LIMIT " + std::to_string(q.limit + 1);
  delivery_page page;
  auto ok = detail::with_session(*impl_->db, "listing webhook deliveries", [&](soci::session& sql) {
    page.deliveries = fetch_deliveries(sql, query, [&](soci::statement& st) {
      st.exchange(soci::use(*before, "b"));
      if (!q.provider.empty()) st.exchange(soci::use(q.provider, "p"));
      if (!q.event_id.empty()) st.exchange(soci::use(q.event_id, "e"));
      if (!q.outcome.empty()) {
        st.exchange(soci::use(q.outcome, "o"));
        st.exchange(soci::use(outcome_kind, "k"));
      }
    });
  });
  if (!ok) return ok.error();
  if (page.deliveries.size() > q.limit) {
    page.deliveries.pop_back();
    page.next_cursor = std::to_string(page.deliveries.back().seq);
  }
  return page;
}

result<std::vector<pending_operation>> wallet_service::pending_older_than(std::chrono::seconds older_than,
                                                                          std::size_t limit) {
  const long long now = detail::unix_ms(impl_->options.clock());
  const long long cut = now - static_cast<long long>(older_than.count()) * 1000;
  auto rows = pending_operations(*impl_->db, "", cut, std::clamp<std::size_t>(limit, 1, 1000));
  if (!rows) return rows.error();
  std::vector<pending_operation> out;
  out.reserve(rows->size());
  for (auto& r : *rows) {
    pending_operation op;
    op.transfer_id = std::move(r.transfer_id);
    op.kind = std::move(r.kind);
    op.amount = r.amount;
    op.owner = std::move(r.session_id);
    op.provider = std::move(r.provider);
    op.provider_reference = std::move(r.reference);
    op.review = std::move(r.review);
    op.created_at = timestamp(std::chrono::milliseconds(r.created_at));
    op.age = std::chrono::milliseconds(now - r.created_at);
    out.push_back(std::move(op));
  }
  return out;
}

result<std::size_t> wallet_service::erase_destinations(std::string_view session_id) {
  const std::string owner(session_id), text(erased_destination);
  long long changed = 0;
  auto ok = detail::with_session(*impl_->db, "erasing withdrawal destinations", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE bankflow_wallet_ops SET destination = :d "
                                         "WHERE session_id = :s AND destination <> '' AND destination <> :e",
                          soci::use(text, "d"), soci::use(owner, "s"), soci::use(text, "e"));
    st.execute(true);
    changed = st.get_affected_rows();
  });
  if (!ok) return ok.error();
  auto refs = impl_->book->redact_references(impl::account_of(session_id), erased_destination);
  if (!refs) return refs.error();
  return static_cast<std::size_t>(changed) + *refs;
}

result<event_outcome> wallet_service::receive(const webhook_verifier& verifier, replay_guard* guard,
                                              std::span<const header_view> headers, std::string_view body) {
  auto verified = verifier.verify(headers, body);
  if (!verified) {
    const auto& err = verified.error();
    if (err.code == errc::storage_error) return err;  // nothing was claimed: the sender retries
    if (err.code == errc::replayed) {  // authentic and fresh: a provider's retry, worth the trail
      const std::string id = delivery_id(headers, body, true);
      if (auto ok = log_rejected(id, body, true, "duplicate: replayed"); !ok) return ok.error();
      return event_outcome::duplicate;
    }
    // Anyone can send a bad signature, and a stale delivery is a captured one replayed: neither
    // leaves a row (the caller counts them); nothing changes.
    return err;
  }
  auto event = parse_payment_event(body);
  if (!event) {
    const std::string field = event.error().field.empty() ? "body" : event.error().field;
    if (auto ok = log_rejected(verified->id, body, true, "rejected: malformed event: " + field); !ok) {
      if (guard != nullptr && !verified->replay_key.empty()) (void)guard->release(verified->replay_key);
      return ok.error();
    }
    return event.error();
  }
  auto applied = apply(*event, body);
  if (!applied && guard != nullptr && !verified->replay_key.empty()) {
    // The provider retries what was not taken: let that retry through the replay guard.
    if (auto released = guard->release(verified->replay_key); !released) return released.error();
  }
  return applied;
}

}  // namespace bankflow
