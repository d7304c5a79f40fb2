#pragma once
/// @file The wallet of a session: deposits and withdrawals through a payment provider on top of
/// the ledger, settled by verified provider events exactly once, with an audit trail; and the
/// idempotency keys that make retried money requests harmless (Stripe's semantics).

#include <bankflow/clock.hpp>
#include <bankflow/error.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>  // parse_api_amount, which lived here
#include <bankflow/webhook.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

class database;

// ---------------------------------------------------------------------------------------------
// Idempotency keys

/// How idempotency keys behave.
struct idempotency_options {
  std::chrono::seconds ttl = std::chrono::hours(24);  ///< how long a key and its response are kept
  /// A claim whose request never finished (its process died) may be taken over after this long.
  std::chrono::seconds stale_after = std::chrono::seconds(60);
  clock_fn clock{};  ///< empty: the system clock
};

/// What begin() found for a key.
enum class idempotency_state {
  started,      ///< the key is new (or expired): this request runs, then calls finish() or release()
  replay,       ///< finished earlier with the same request: send the stored response again
  mismatch,     ///< used earlier with a different request (HTTP 422)
  in_progress,  ///< the first request with this key is still running (HTTP 409)
};

/// The answer of begin(); for `replay`, the stored response.
struct idempotency_claim {
  idempotency_state state = idempotency_state::started;  ///< what the caller does next
  int status = 0;     ///< replay: HTTP status stored by finish()
  std::string body;   ///< replay: response body stored by finish()
};

/// Idempotency keys in SQL (table bankflow_idempotency, migrated on open), shared by every
/// process on the database. Keys are scoped (e.g. by session and route) so two sessions may use
/// the same key. Thread-safe; the database must outlive it.
class idempotency_store {
 public:
  /// Error: storage_error, invalid_argument (ttl or stale_after not positive).
  [[nodiscard]] static result<idempotency_store> open(database& db, idempotency_options options = {});

  /// Claims (scope, key) for a request whose bytes are `request` (e.g. its body; only their
  /// SHA-256 is stored), atomically across processes: the same bytes again replay, other bytes
  /// are a mismatch. Errors: invalid_argument (key empty or over 255 bytes), storage_error.
  [[nodiscard]] result<idempotency_claim> begin(std::string_view scope, std::string_view key,
                                                std::string_view request);

  /// Stores the response of a started request, to be replayed for the key's lifetime. A failed
  /// write is tried again (twice) before storage_error is returned.
  [[nodiscard]] result<void> finish(std::string_view scope, std::string_view key, int status,
                                    std::string_view body);

  /// Forgets a started request that did not run (a transient failure), so a retry runs again.
  [[nodiscard]] result<void> release(std::string_view scope, std::string_view key);

  /// Deletes keys older than the ttl; returns how many.
  [[nodiscard]] result<std::size_t> purge_expired();

  idempotency_store(idempotency_store&&) noexcept;  ///< move-only
  idempotency_store& operator=(idempotency_store&&) noexcept;  ///< move-only
  idempotency_store(const idempotency_store&) = delete;
  idempotency_store& operator=(const idempotency_store&) = delete;
  ~idempotency_store();

 private:
  struct impl;
  explicit idempotency_store(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// A money request's response as run_idempotent stores and replays it.
struct idempotent_response {
  int status = 0;    ///< HTTP status
  std::string body;  ///< response body
};

/// What run_idempotent did.
struct idempotent_outcome {
  idempotent_response response;  ///< the fresh response, or the stored one when `replayed`
  bool replayed = false;         ///< an earlier request with this key and bytes: `run` was not called
  /// The response could not be stored (or, for a 5xx, the key released): the answer stands, and
  /// the key is left to its stale takeover. Worth logging.
  std::optional<error> unrecorded;
};

/// Runs a money request under its Idempotency-Key (Stripe's semantics) in `store`, scoped by
/// `scope` (e.g. session and route): a new key calls `run` and stores its response, the same key
/// with the same `request` bytes replays the stored response, a 5xx response is not stored (the key
/// is released, so a retry runs again). Errors: idempotency_key_required (key empty),
/// idempotency_mismatch (the key was used with other bytes), idempotency_in_progress (its first
/// request is still running), invalid_argument (key over 255 bytes), storage_error.
[[nodiscard]] result<idempotent_outcome> run_idempotent(idempotency_store& store, std::string_view scope,
                                                        std::string_view key, std::string_view request,
                                                        const std::function<idempotent_response()>& run);

// ---------------------------------------------------------------------------------------------
// Payment providers

/// What a provider answers to a deposit request: how the payer pays.
struct provider_deposit {
  std::string reference;     ///< the provider's id of the payment
  std::string instructions;  ///< e.g. a PIX copy-and-paste code or a payment URL
};

/// What a provider answers to a payout request.
struct provider_payout {
  std::string reference;  ///< the provider's id of the payout
};

/// What a provider says about one of its operations (see payment_provider::query).
enum class provider_status {
  succeeded,  ///< paid (deposit collected, payout sent): the hold may be posted
  failed,     ///< will never be paid: the hold may be voided
  pending,    ///< still in progress: ask again later
  unknown,    ///< the provider cannot tell (or does not support queries): an operator decides
};

/// "succeeded", "failed", "pending" or "unknown".
[[nodiscard]] std::string_view to_string(provider_status s) noexcept;

/// A payment provider. The wallet asks it to collect deposits and send payouts; the provider
/// later reports the outcome through a signed webhook (see payment_event). Implement this to plug
/// in a real provider. Implementations must be thread-safe.
class payment_provider {
 public:
  /// Providers are owned through this interface.
  virtual ~payment_provider() = default;

  /// The name used in routes (`/api/v1/webhooks/<name>`) and external account ids.
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;

  /// Asks the provider to collect `amount` (minor units) for the wallet transfer `transfer_id`.
  /// Error: any (the wallet voids the pending deposit and reports it).
  [[nodiscard]] virtual result<provider_deposit> create_deposit(std::string_view transfer_id,
                                                                std::int64_t amount,
                                                                std::string_view currency) = 0;

  /// Asks the provider to pay `amount` out to `destination` (a PIX key) for `transfer_id`.
  /// Error: any (the wallet releases the hold and reports it).
  [[nodiscard]] virtual result<provider_payout> request_payout(std::string_view transfer_id,
                                                               std::int64_t amount,
                                                               std::string_view currency,
                                                               std::string_view destination) = 0;

  /// The state of the operation for `transfer_id` (with the provider's `reference`, empty when
  /// the request never returned one), for reconciliation when its webhook does not come. The
  /// default answers `unknown` (a provider without a status API: pending holds are flagged for
  /// an operator). Error: any (the question is asked again on the next pass).
  [[nodiscard]] virtual result<provider_status> query(std::string_view transfer_id, std::string_view reference);
};

/// The event types the wallet understands.
enum class payment_event_type { deposit_succeeded, deposit_failed, withdrawal_succeeded, withdrawal_failed, other };

/// A provider event body, the JSON every shipped provider sends:
/// `{"id": "evt_…", "type": "deposit.succeeded", "data": {"transfer_id": "…", "amount": "100.00",
/// "reference": "…", "reason": "…"}}`. The event id is also the webhook delivery id.
struct payment_event {
  std::string id;    ///< the event id ("evt_…"), also the delivery id
  std::string type;  ///< as sent ("deposit.succeeded" …)
  payment_event_type kind = payment_event_type::other;  ///< `type` as known to the wallet
  std::string transfer_id;             ///< the wallet transfer it is about
  std::optional<std::int64_t> amount;  ///< minor units, when sent
  std::string reference;               ///< the provider's reference
  std::string reason;                  ///< why, for failures
};

/// Parses an event body. Error: invalid_argument naming the field.
[[nodiscard]] result<payment_event> parse_payment_event(std::string_view body);

/// The JSON body of an event (what a provider sends).
[[nodiscard]] std::string to_json(const payment_event& e);

/// How the simulated provider behaves.
struct simulated_provider_options {
  std::string name = "simulated";  ///< payment_provider::name()
  webhook_options signing{};  ///< scheme and secrets it signs its webhooks with
  std::chrono::milliseconds delay{200};  ///< from request to webhook
  double failure_ratio = 0.0;    ///< share of deposits/payouts that fail (0..1)
  double duplicate_ratio = 0.0;  ///< share of webhooks delivered twice (same id and body)
  std::uint64_t seed = 0;        ///< 0: random
  int max_attempts = 5;          ///< deliveries retried with backoff until the sender says 2xx
  /// Where the outbox lives (table bankflow_provider_outbox, migrated on create): every event is
  /// stored before it is scheduled and marked once delivered, so a restart resends what was not
  /// delivered and query() knows every operation. Null: in memory only (lost on restart).
  database* outbox = nullptr;
};

/// Delivers one signed webhook (headers + body) to the wallet's server; returns the HTTP status
/// (or an error when the server cannot be reached).
using webhook_sender = std::function<result<int>(const std::vector<header_field>& headers,
                                                 const std::string& body)>;

/// A provider that confirms every request by itself: after `delay` it sends a correctly signed
/// `*.succeeded` (or, for failure_ratio of them, `*.failed`) event through `send`, sometimes
/// twice, retrying with backoff while the sender fails. With an `outbox` database, events not yet
/// delivered when the process stopped are resent (after `delay`) by the next provider created on
/// that database with the same name. query() answers `pending` until `delay` has passed since the
/// request, then the decided outcome; `unknown` for operations it never saw. For demos and tests.
class simulated_provider final : public payment_provider {
 public:
  /// Starts its delivery thread (after loading the outbox's undelivered events). Errors:
  /// malformed_secret / invalid_argument (signing options), storage_error (outbox).
  [[nodiscard]] static result<std::unique_ptr<simulated_provider>> create(simulated_provider_options options,
                                                                          webhook_sender send);
  ~simulated_provider() override;  ///< stops the delivery thread; undelivered events stay in the outbox

  [[nodiscard]] std::string_view name() const noexcept override;
  [[nodiscard]] result<provider_deposit> create_deposit(std::string_view transfer_id, std::int64_t amount,
                                                        std::string_view currency) override;
  [[nodiscard]] result<provider_payout> request_payout(std::string_view transfer_id, std::int64_t amount,
                                                       std::string_view currency,
                                                       std::string_view destination) override;
  [[nodiscard]] result<provider_status> query(std::string_view transfer_id, std::string_view reference) override;

  /// Deletes delivered outbox events older than `older_than` (retention); returns how many. Events
  /// not yet delivered are kept whatever their age. Without an outbox: 0. Error: storage_error.
  [[nodiscard]] result<std::size_t> purge_delivered(std::chrono::seconds older_than);

  /// Waits until every scheduled delivery has been made or given up (tests).
  void drain();

  struct impl;

 private:
  explicit simulated_provider(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Wallet

/// The largest value any wallet limit may be set to (minor units: 1,000,000,000.00). With every
/// operation at most this, a system account (the provider's) cannot be driven to overflow its
/// int64 counters by fewer than INT64_MAX / max_wallet_limit (over 92 million) operations that
/// the provider confirmed, i.e. money that was really paid; at the default 50,000.00 per
/// operation it takes over 1.8 trillion.
inline constexpr std::int64_t max_wallet_limit = 100'000'000'000;

/// How wallets behave. Limits are in minor units; each must be in 1..max_wallet_limit.
struct wallet_options {
  std::string currency = "BRL";  ///< ISO 4217, of every wallet account
  std::chrono::seconds deposit_timeout = std::chrono::hours(24);  ///< an unpaid deposit expires
  std::int64_t max_deposit = 5'000'000;       ///< per deposit (50,000.00)
  std::int64_t max_withdrawal = 5'000'000;    ///< per withdrawal (50,000.00)
  /// Deposits of one wallet in any 24 hours (100,000.00): requested amounts count, except those
  /// the provider refused at once.
  std::int64_t daily_deposit_limit = 10'000'000;
  std::int64_t daily_withdrawal_limit = 10'000'000;  ///< withdrawals of one wallet in any 24 hours
  /// A withdrawal's hold expires (the funds are released, the transaction shows "expired") when
  /// neither a webhook nor reconciliation settled it within this time. 0: never.
  std::chrono::seconds withdrawal_timeout = std::chrono::hours(24);
  clock_fn clock{};  ///< empty: the system clock
};

/// How a reconciliation pass behaves (wallet_service::reconcile).
struct reconcile_options {
  /// Only operations whose hold has been pending at least this long are asked about (younger
  /// ones are still waiting for their webhook).
  std::chrono::seconds older_than = std::chrono::minutes(15);
  std::size_t limit = 100;  ///< at most this many operations per pass (oldest first)
};

/// What a reconciliation pass did.
struct reconcile_report {
  std::size_t checked = 0;   ///< operations the provider was asked about
  std::size_t posted = 0;    ///< settled as succeeded by this pass
  std::size_t voided = 0;    ///< settled as failed by this pass
  std::size_t settled_already = 0;  ///< a webhook settled it meanwhile: nothing changed
  std::size_t pending = 0;   ///< the provider is still working on it
  std::size_t flagged = 0;   ///< newly flagged for an operator (provider says unknown)
  std::size_t errors = 0;    ///< the provider or the store failed: asked again next pass
  std::size_t expired = 0;   ///< holds released by their timeout in this pass
};

/// An operation an operator has to look at: the provider cannot say what happened, or it paid
/// after the hold had expired.
struct wallet_review {
  std::string transfer_id;  ///< the pending transfer of the operation
  std::string session_id;   ///< whose wallet
  std::string kind;  ///< "deposit" or "withdrawal"
  std::string provider_reference;  ///< the provider's reference
  std::string reason;              ///< why an operator must look
  timestamp flagged_at{};  ///< by the wallet's clock
};

/// A session's wallet, amounts in minor units.
struct wallet_balance {
  std::string account;   ///< ledger account id ("wallet:<session id>")
  std::string currency;  ///< ISO 4217
  std::int64_t balance = 0;      ///< posted credits − posted debits
  std::int64_t available = 0;    ///< balance − pending out
  std::int64_t pending_in = 0;   ///< deposits not yet confirmed
  std::int64_t pending_out = 0;  ///< withdrawals held, not yet paid out
};

/// A deposit or withdrawal just requested.
struct wallet_operation {
  transfer hold;             ///< the pending transfer in the ledger
  std::string reference;     ///< the provider's reference
  std::string instructions;  ///< deposits: how to pay
};

/// Who asked for a money movement (kept in the transfer's metadata for the audit trail).
struct request_origin {
  std::string request_id;       ///< the HTTP request id
  std::string idempotency_key;  ///< the Idempotency-Key header
};

/// One webhook delivery as the audit log keeps it.
struct webhook_delivery {
  std::int64_t seq = 0;     ///< order of arrival
  std::string provider;     ///< payment_provider::name()
  std::string event_id;     ///< payment_event::id
  std::string event_type;   ///< payment_event::type
  std::string transfer_id;  ///< payment_event::transfer_id
  timestamp received_at{};  ///< by the wallet's clock
  bool signature_valid = false;  ///< the webhook signature verified
  std::string outcome;    ///< "posted", "voided", "duplicate", "ignored", "rejected: <code>" …
  std::string body_sha256;  ///< hex
};

/// A wallet transaction and everything that touched it: the transfer, its settlement (post or
/// void), the request that caused it and the webhook deliveries about it.
struct wallet_trail {
  transfer operation;                 ///< the pending transfer
  std::optional<transfer> settlement;  ///< its post or void, once settled
  std::string request_id;              ///< request_origin::request_id
  std::string idempotency_key;         ///< request_origin::idempotency_key
  std::string provider_reference;      ///< the provider's reference
  std::string review;  ///< why an operator must look at it; empty when nothing is wrong
  std::vector<webhook_delivery> deliveries;  ///< oldest first
};

/// Which webhook deliveries to list (the operator console): every filter left empty matches all.
struct delivery_query {
  std::string provider{};  ///< payment_provider::name() exactly
  std::string event_id{};  ///< payment_event::id exactly
  /// webhook_delivery::outcome exactly, or its kind before ": " ("rejected" matches
  /// "rejected: malformed event: data")
  std::string outcome{};
  std::string cursor{};      ///< empty, or the next_cursor of the previous page of the same query
  std::size_t limit = 50;  ///< 1..200
};

/// A page of webhook deliveries, newest first.
struct delivery_page {
  std::vector<webhook_delivery> deliveries{};  ///< at most the limit asked
  std::string next_cursor{};  ///< empty at the end
};

/// A deposit or withdrawal whose hold is still pending in the ledger.
struct pending_operation {
  std::string transfer_id{};  ///< the pending transfer (the hold)
  std::string kind{};         ///< "deposit" or "withdrawal"
  std::int64_t amount = 0;  ///< minor units (centavos)
  std::string owner{};        ///< whose wallet (the session id today)
  std::string provider{};     ///< payment_provider::name()
  std::string provider_reference{};  ///< the provider's reference, empty when it never gave one
  std::string review{};       ///< why an operator must look at it; empty when not flagged
  timestamp created_at{};   ///< when it was requested, by the wallet's clock
  std::chrono::milliseconds age{0};  ///< how long it has been pending, by the wallet's clock
};

/// What applying a provider event did.
enum class event_outcome {
  posted,     ///< the pending transfer was posted by this event
  voided,     ///< the pending transfer was voided by this event
  duplicate,  ///< an earlier event already settled it the same way: nothing changed
  ignored,    ///< unknown event type, unknown transfer, or already settled the other way
};

/// "posted", "voided", "duplicate" or "ignored".
[[nodiscard]] std::string_view to_string(event_outcome o) noexcept;

/// Wallet accounts of sessions in the ledger ("wallet:<session id>", no_overdraft) against the
/// provider's external account ("provider:<name>"). Deposits are pending credits posted by
/// `deposit.succeeded`; withdrawals are pending debits (funds held at once) posted by
/// `withdrawal.succeeded` or voided by `withdrawal.failed`. Settlement transfers have the ids
/// "<hold id>:post" / "<hold id>:void", so any number of deliveries settle a hold exactly once.
/// Thread-safe; several processes may share the database.
/// What a withdrawal's destination reads once its owner's data was erased.
inline constexpr std::string_view erased_destination = "[erased]";

class wallet_service {
 public:
  /// Migrates the audit table. The database, ledger and provider must outlive the service.
  /// Error: invalid_argument (a limit outside 1..max_wallet_limit), storage_error.
  [[nodiscard]] static result<wallet_service> open(database& db, ledger& ledger, payment_provider& provider,
                                                   wallet_options options = {});

  /// The session's wallet; all zero, and nothing written, before its first deposit creates its
  /// account. Error: storage_error.
  [[nodiscard]] result<wallet_balance> balance(std::string_view session_id);

  /// A pending deposit and the provider's instructions. Errors: invalid_argument (amount ≤ 0),
  /// over_operation_limit (above max_deposit), daily_limit_reached (the wallet's deposits of the
  /// last 24 hours would pass daily_deposit_limit), storage_error, the provider's error (the hold
  /// is voided).
  [[nodiscard]] result<wallet_operation> deposit(std::string_view session_id, std::int64_t amount,
                                                 const request_origin& origin);

  /// Holds the funds at once, then asks the provider to pay out. Errors: insufficient_funds,
  /// invalid_argument (amount ≤ 0, empty destination), over_operation_limit (above
  /// max_withdrawal), daily_limit_reached (past daily_withdrawal_limit in 24 hours),
  /// storage_error, the provider's error (the hold is voided).
  [[nodiscard]] result<wallet_operation> withdraw(std::string_view session_id, std::int64_t amount,
                                                  std::string_view destination, const request_origin& origin);

  /// The session's wallet transfers, newest first (holds show their current state).
  [[nodiscard]] result<history_page> transactions(std::string_view session_id, std::string_view cursor,
                                                  std::size_t limit);

  /// The trail of one of the session's transfers. Error: not_found (missing or another session's).
  [[nodiscard]] result<wallet_trail> trail(std::string_view session_id, std::string_view transfer_id);

  /// Settles a hold from a verified event (exactly once) and logs the delivery.
  [[nodiscard]] result<event_outcome> apply(const payment_event& event, std::string_view raw_body);

  /// One reconciliation pass: asks the provider about operations whose hold has been pending
  /// longer than `older_than` and settles them the way their webhook would (the same "<hold
  /// id>:post" / ":void" transfers, so a late or duplicate webhook changes nothing), logging each
  /// as a delivery with event type "reconciliation"; an operation the provider does not know is
  /// flagged for an operator (see reviews()). Then releases every hold whose timeout passed.
  /// Safe to run in several processes at once. Error: storage_error (listing the operations).
  [[nodiscard]] result<reconcile_report> reconcile(const reconcile_options& options = {});

  /// Operations flagged for an operator, oldest first.
  [[nodiscard]] result<std::vector<wallet_review>> reviews(std::size_t limit = 100);

  /// Logs a delivery that was not applied (replayed, unparsable) with its outcome text, e.g.
  /// "rejected: malformed event: data".
  [[nodiscard]] result<void> log_rejected(std::string_view event_id, std::string_view raw_body,
                                          bool signature_valid, std::string_view outcome);

  /// Deletes webhook deliveries received more than `keep` ago; returns how many. Error:
  /// invalid_argument (keep not positive), storage_error.
  [[nodiscard]] result<std::size_t> purge_deliveries(std::chrono::seconds keep);

  /// Deletes operation rows (the request id, idempotency key and provider reference of each
  /// deposit and withdrawal) created more than `keep` ago; their transfers stay in the ledger.
  /// `keep` must pass deposit_timeout and 24 hours, so that no row of an open hold or of the
  /// daily limits' window goes. Returns how many. Errors: invalid_argument, storage_error.
  [[nodiscard]] result<std::size_t> purge_operations(std::chrono::seconds keep);

  /// The audit log, oldest first, for one transfer (empty id: every delivery).
  [[nodiscard]] result<std::vector<webhook_delivery>> deliveries(std::string_view transfer_id = {});

  /// Webhook deliveries of every provider matching `query`, newest first, a page at a time.
  /// Errors: invalid_argument (limit outside 1..200, a cursor no page gave), storage_error.
  [[nodiscard]] result<delivery_page> find_deliveries(const delivery_query& query);

  /// Deposits and withdrawals of every provider whose hold has been pending for at least
  /// `older_than`, oldest first, at most `limit` (1..1000). Error: storage_error.
  [[nodiscard]] result<std::vector<pending_operation>> pending_older_than(std::chrono::seconds older_than,
                                                                          std::size_t limit = 100);

  /// Pseudonymises what the wallet of `session_id` keeps about where money went: each
  /// withdrawal's destination (a PIX key names a person), in the operation rows and in the
  /// ledger's references, becomes `erased_destination`; amounts, accounts and ids stay for the
  /// books. Returns how many rows changed. Error: storage_error.
  [[nodiscard]] result<std::size_t> erase_destinations(std::string_view session_id);

  /// Receives one webhook delivery of this service's provider, end to end: verifies it
  /// (`verifier`, whose options name `guard` as their replay guard, claims the event), parses the
  /// body, applies it and logs it. A replayed delivery is a `duplicate` (logged, nothing changes).
  /// Errors: the verifier's refusals (missing_header, malformed_header, bad_timestamp,
  /// no_matching_signature, timestamp_too_old, timestamp_in_future: nothing changes and nothing
  /// is stored, since anyone can send them; the caller counts them); invalid_argument (an
  /// authentic body that is not an event: logged, the claim is kept since a retry would fail the
  /// same way); storage_error (the replay claim is released so the provider's retry can pass).
  [[nodiscard]] result<event_outcome> receive(const webhook_verifier& verifier, replay_guard* guard,
                                              std::span<const header_view> headers, std::string_view body);

  wallet_service(wallet_service&&) noexcept;  ///< move-only
  wallet_service& operator=(wallet_service&&) noexcept;  ///< move-only
  wallet_service(const wallet_service&) = delete;
  wallet_service& operator=(const wallet_service&) = delete;
  ~wallet_service();

 private:
  struct impl;
  explicit wallet_service(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// JSON of a balance: {"account","currency","balance","available","pending_in","pending_out"}
/// with amounts as decimal strings.
[[nodiscard]] std::string to_json(const wallet_balance& b);

/// JSON of a wallet transfer as the wallet API shows it: {"id","kind","state","direction" ("in"
/// or "out" of the wallet),"amount" (decimal string),"pending_id","reference","created_at" (ISO
/// 8601 UTC, milliseconds)}.
[[nodiscard]] std::string to_wallet_json(const transfer& t);

/// {"transactions":[to_wallet_json…],"next_cursor":"…" or null at the end}.
[[nodiscard]] std::string to_wallet_json(const history_page& page);

/// {"transaction":to_wallet_json(hold),"reference","instructions"}.
[[nodiscard]] std::string to_json(const wallet_operation& op);

/// JSON of one audit log entry: {"seq","provider","event_id","event_type","transfer_id",
/// "received_at","signature_valid","outcome","body_sha256"}.
[[nodiscard]] std::string to_json(const webhook_delivery& d);

/// {"transaction","settlement" (null while pending),"request_id","idempotency_key",
/// "provider_reference","review" (null unless flagged),"deliveries":[…]}.
[[nodiscard]] std::string to_json(const wallet_trail& t);

/// {"transfer_id","session_id","kind","provider_reference","reason","flagged_at"}.
[[nodiscard]] std::string to_json(const wallet_review& r);

/// {"deliveries":[to_json(webhook_delivery)…],"next_cursor":"…" or null at the end}.
[[nodiscard]] std::string to_json(const delivery_page& page);

/// {"operations":[{"transfer_id","kind","amount" (decimal string),"owner","provider",
/// "provider_reference","review" (null unless flagged),"created_at","age_seconds"}…]}.
[[nodiscard]] std::string to_json(const std::vector<pending_operation>& ops);

}  // namespace bankflow
