#pragma once
/// @file Verification and signing of provider webhooks over the raw body bytes: Standard Webhooks,
/// Stripe, GitHub and a configurable HMAC-SHA256 scheme; a replay guard that claims event ids.

#include <bankflow/clock.hpp>
#include <bankflow/error.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

class database;
class redis_client;

/// The signature conventions bankflow verifies.
enum class webhook_scheme {
  standard,     ///< Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1,base64)
  stripe,       ///< Stripe-Signature: t=…,v1=<hex>
  github,       ///< X-Hub-Signature-256: sha256=<hex>
  hmac_sha256,  ///< one header carrying HMAC-SHA256(secret, body), hex or base64, optional prefix
};

/// "standard", "stripe", "github", "hmac-sha256".
[[nodiscard]] std::string_view to_string(webhook_scheme scheme) noexcept;

/// The scheme with that name (as to_string writes it). Error: invalid_argument.
[[nodiscard]] result<webhook_scheme> parse_webhook_scheme(std::string_view name);

/// How the generic scheme writes the MAC.
enum class signature_encoding { hex, base64 };

/// A received header: views into the caller's buffers. Names compare case-insensitively.
struct header_view {
  std::string_view name;   ///< as received ("Webhook-Id")
  std::string_view value;  ///< as received
};

/// A header to send (what the signing functions return).
struct header_field {
  std::string name;   ///< e.g. "webhook-signature"
  std::string value;  ///< e.g. "v1,<base64>"
};

/// The generic HMAC-SHA256 scheme's settings.
struct hmac_scheme_options {
  std::string header = "X-Signature";  ///< the header carrying the signature
  signature_encoding encoding = signature_encoding::hex;  ///< how the MAC is written
  std::string prefix;     ///< text before the encoded MAC, e.g. "sha256="; empty for none
  std::string id_header;  ///< optional header with a delivery id (for the replay guard)
};

/// Remembers which events were already accepted. Implementations must make claim() atomic
/// across every thread and process that shares the store: of any number of concurrent claims of
/// one live key, exactly one returns true. Shipped: memory, SQL (SQLite/PostgreSQL) and Redis.
class replay_guard {
 public:
  /// Destroys the guard (claims in a shared store stay there).
  virtual ~replay_guard() = default;

  /// Claims `key` until `expires` (`now` is the caller's clock). True when this call claimed it;
  /// false when an unexpired claim exists. Error: storage_error.
  [[nodiscard]] virtual result<bool> claim(std::string_view key,
                                           std::chrono::system_clock::time_point now,
                                           std::chrono::system_clock::time_point expires) = 0;

  /// Drops a claim, e.g. when the event could not be processed and the sender's retry should
  /// pass. Error: storage_error.
  [[nodiscard]] virtual result<void> release(std::string_view key) = 0;
};

/// In-process claims (one process only: threads, not processes, are covered). Never fails; a
/// result like every make_* factory.
[[nodiscard]] result<std::unique_ptr<replay_guard>> make_memory_replay_guard();

/// Claims in the table bankflow_webhook_replay (migrated on creation); `db` must outlive the
/// guard. Error: storage_error.
[[nodiscard]] result<std::unique_ptr<replay_guard>> make_sql_replay_guard(database& db);

/// Claims as Redis keys `<prefix>webhook:replay:<key>` set with SET NX EX; `redis` must outlive
/// the guard. Never fails (Redis is reached on use); a result like every make_* factory.
[[nodiscard]] result<std::unique_ptr<replay_guard>> make_redis_replay_guard(redis_client& redis);

/// What a verifier needs.
struct webhook_options {
  webhook_scheme scheme = webhook_scheme::standard;  ///< the signature convention
  /// Every secret currently valid (rotation: any one may sign). Standard Webhooks: `whsec_` +
  /// base64 (prefix optional); Stripe: the whole `whsec_…` string as the key; GitHub and the
  /// generic scheme: the secret's bytes.
  std::vector<std::string> secrets{};
  std::chrono::seconds tolerance{300};  ///< accepted clock difference, both directions, inclusive
  hmac_scheme_options hmac{};           ///< for webhook_scheme::hmac_sha256
  clock_fn clock{};                     ///< empty: the system clock
  /// Optional, not owned: claims each verified event so that a second delivery is `replayed`.
  replay_guard* replay = nullptr;
};

/// A verified delivery.
struct webhook_event {
  std::string id;  ///< webhook-id, X-GitHub-Delivery or the id header; empty when none
  std::optional<std::chrono::sys_seconds> timestamp;  ///< when it was signed (Standard Webhooks and Stripe)
  std::size_t secret_index = 0;           ///< which of the secrets matched
  /// The replay guard's key for this delivery (empty without a guard): pass it to
  /// replay_guard::release() when the event could not be processed, so a retry passes.
  std::string replay_key;
};

/// Verifies deliveries of one scheme against a set of secrets. Secrets are decoded and their HMAC
/// key schedules prepared once, in create(). Move-only; verify() is const and thread-safe.
class webhook_verifier {
 public:
  /// Checks and prepares the secrets. Errors: malformed_secret (empty, or bad base64 for
  /// Standard Webhooks), invalid_argument (no secret, negative tolerance, no header name).
  [[nodiscard]] static result<webhook_verifier> create(webhook_options options);

  /// Verifies the raw body against the headers. Checks, in order: the headers are there
  /// (missing_header) and parse (malformed_header, bad_timestamp); a signature matches under one
  /// of the secrets in constant time (no_matching_signature); the timestamp is within the
  /// tolerance (timestamp_too_old, timestamp_in_future); the replay guard, if any, claims the event
  /// (replayed, storage_error). Timestamps are judged only on authentic messages.
  [[nodiscard]] result<webhook_event> verify(std::span<const header_view> headers,
                                             std::string_view body) const;

  /// The same over owned headers.
  [[nodiscard]] result<webhook_event> verify(std::span<const header_field> headers,
                                             std::string_view body) const;

  /// Takes over another verifier's secrets.
  webhook_verifier(webhook_verifier&& other) noexcept;
  /// Takes over another verifier's secrets.
  webhook_verifier& operator=(webhook_verifier&& other) noexcept;
  webhook_verifier(const webhook_verifier&) = delete;
  webhook_verifier& operator=(const webhook_verifier&) = delete;
  /// Forgets the prepared keys.
  ~webhook_verifier();

 private:
  struct impl;
  explicit webhook_verifier(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Whether `code` is one of verify()'s refusals of a delivery's signature or timestamp
/// (missing_header, malformed_header, bad_timestamp, no_matching_signature, timestamp_too_old,
/// timestamp_in_future): anyone can send one, and no retry fixes it.
[[nodiscard]] bool is_verification_error(errc code) noexcept;

/// HMAC-SHA256 of a message (key and message are raw bytes).
[[nodiscard]] std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view message);

/// Standard Webhooks: "v1,<base64>" over `id.timestamp.body`. Error: malformed_secret.
[[nodiscard]] result<std::string> sign_standard_webhook(std::string_view secret, std::string_view id,
                                                        std::chrono::sys_seconds signed_at, std::string_view body);

/// Stripe: "t=<timestamp>,v1=<hex>" over `timestamp.body`. Error: malformed_secret (empty).
[[nodiscard]] result<std::string> sign_stripe_webhook(std::string_view secret, std::chrono::sys_seconds signed_at,
                                                      std::string_view body);

/// GitHub: "sha256=<hex>" over the body. Error: malformed_secret (empty).
[[nodiscard]] result<std::string> sign_github_webhook(std::string_view secret, std::string_view body);

/// The generic scheme: prefix + hex or base64 of HMAC-SHA256(secret, body).
/// Error: malformed_secret (empty).
[[nodiscard]] result<std::string> sign_hmac_webhook(std::string_view secret, std::string_view body,
                                                    signature_encoding encoding,
                                                    std::string_view prefix = {});

/// Every header a sender sends for options.scheme, signed with every secret where the scheme
/// carries a list (Standard Webhooks, Stripe) and with the single secret otherwise. `id` is the
/// webhook-id (required for Standard Webhooks), X-GitHub-Delivery or the generic id header
/// (optional). Errors: malformed_secret, invalid_argument.
[[nodiscard]] result<std::vector<header_field>> sign_webhook(const webhook_options& options,
                                                             std::string_view body, std::string_view id,
                                                             std::chrono::sys_seconds signed_at);

}  // namespace bankflow
