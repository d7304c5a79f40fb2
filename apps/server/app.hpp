#pragma once
// The server's configuration and the long-lived objects every handler shares.

#include "client_address.hpp"
#include "metrics.hpp"
#include "request_rules.hpp"
#include "webhook_rejections.hpp"

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/session.hpp>
#include <bankflow/wallet.hpp>
#include <bankflow/webhook.hpp>

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bankflow::server {

/// What a process does.
enum class server_role { all, api, worker };

/// Everything main.cpp reads from flags and BANKFLOW_* variables (DEVELOPERS.md has the table).
struct server_config {
  std::string listen = "127.0.0.1:8080";  ///< host:port; port 0 picks a free one
  std::filesystem::path data_dir = "bankflow-data";
  std::string database_url;  ///< empty: sqlite:///<data_dir>/bankflow.db
  std::string redis_url;     ///< empty: in-process queue and events
  std::string redis_prefix;
  server_role role = server_role::all;
  std::size_t threads = 2;   ///< io_context threads
  std::size_t workers = 2;   ///< job worker threads (roles all and worker)
  std::uint32_t uploads_per_hour = 10;  ///< per session
  std::uint32_t uploads_per_address_per_hour = 60;   ///< per client address (all its sessions)
  std::uint32_t sessions_per_address_per_hour = 60;  ///< new sessions per client address
  /// --trusted-proxy: addresses or CIDR networks whose X-Forwarded-For names the client and
  /// whose X-Request-Id is kept
  std::vector<std::string> trusted_proxy;
  std::size_t max_connections = 512;              ///< open connections in all; 0 = no cap
  std::size_t max_connections_per_address = 64;   ///< per peer address (trusted proxies exempt); 0 = no cap
  bool cookie_secure = false;
  std::string secret;        ///< CSRF key; empty: <data_dir>/secret, created once
  /// --data-key: the keys that seal uploads and results at rest, `id:<base64 of 32 bytes>,…`
  /// (data_key_ring::parse: the first seals, all open). Empty: files stay plaintext; no key is
  /// ever made up, since losing a generated key would lose every file it sealed.
  std::string data_key;
  /// A login session ends after this long without a request (--session-idle-timeout) …
  std::chrono::seconds session_idle_timeout = session_options{}.idle_timeout;
  /// … and this long after the login whatever its activity (--session-max-age).
  std::chrono::seconds session_max_age = session_options{}.max_age;
  /// Argon2id cost of new password hashes (OWASP's by default; tests may lower it).
  password_params password{};
  std::chrono::seconds janitor_interval{60};
  std::chrono::seconds download_grace{3600};
  /// How long an account's conversions are kept after they were made (--account-retention);
  /// 0: until the owner deletes them.
  std::chrono::seconds account_retention{0};
  std::chrono::milliseconds lease{30000};
  int max_attempts = 5;
  std::chrono::seconds shutdown_timeout{10};
  std::chrono::seconds read_timeout{30};    ///< the header; also the longest pause within a body
  std::uint64_t min_body_rate = 16 * 1024;  ///< bytes/s a body must average after body_grace; 0 = off
  std::chrono::seconds body_grace{5};       ///< time a body gets before min_body_rate applies
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{30};    ///< keep-alive wait for the next request
  std::uint64_t max_upload_bytes = 10 * 1024 * 1024;  ///< the file; the body may add 64 KiB of form
  std::uint64_t disk_quota = 1024ULL * 1024 * 1024;  ///< bytes of uploads + results (0: none); then 507
  std::uint64_t pdf_memory_mb = 1024;  ///< a PDF is read in a child process with this address space
  unsigned pdf_cpu_seconds = 120;      ///< … and this CPU time
  unsigned pdf_max_pages = 2000;       ///< … and at most this many pages
  std::chrono::seconds sse_keepalive{15};
  /// TEST ONLY (--test-worker-delay-ms, hidden): a worker sleeps this long after a job turns
  /// `processing`, so tests can kill it mid-job.
  std::chrono::milliseconds test_worker_delay{0};
  /// TEST ONLY (--test-pdf-reader-crash, hidden): the PDF reader's child process aborts.
  bool test_pdf_reader_crash = false;
  /// TEST ONLY (--test-pdf-reader-hang, hidden): the PDF reader's child process never answers.
  bool test_pdf_reader_hang = false;

  // the wallet (issue 9)
  std::string provider = "simulated";  ///< the payment provider; only "simulated" ships
  std::chrono::milliseconds provider_delay{200};  ///< simulated: from request to webhook
  double provider_failure_ratio = 0.0;    ///< simulated: share of deposits/payouts that fail
  double provider_duplicate_ratio = 0.0;  ///< simulated: share of webhooks delivered twice
  /// A withdrawal hold not settled within this time expires and releases the funds (0: never).
  std::chrono::seconds withdrawal_timeout{std::chrono::hours(24)};
  /// Reconciliation asks the provider about operations pending at least this long.
  std::chrono::seconds reconcile_after{std::chrono::minutes(15)};
  std::chrono::seconds reconcile_interval{60};  ///< between reconciliation passes
  std::string webhook_scheme = "standard";  ///< how the provider signs its webhooks
  /// Every valid webhook secret (rotation). Empty with the simulated provider:
  /// <data_dir>/webhook-secret, created once.
  std::vector<std::string> webhook_secrets;
  /// The server's URL as the provider reaches it (webhooks go to <public_url>/api/v1/webhooks/
  /// <provider>); empty: http://<the bound listen address>.
  std::string public_url;
  /// Wallet limits in minor units (--max-deposit, --max-withdrawal, --daily-deposit-limit,
  /// --daily-withdrawal-limit): per operation, and per wallet in any 24 hours.
  std::int64_t max_deposit = wallet_options{}.max_deposit;
  std::int64_t max_withdrawal = wallet_options{}.max_withdrawal;
  std::int64_t daily_deposit_limit = wallet_options{}.daily_deposit_limit;
  std::int64_t daily_withdrawal_limit = wallet_options{}.daily_withdrawal_limit;
  /// Retention the janitor enforces: webhook deliveries (--webhook-retention-days) and wallet
  /// operation rows, the audit trail of requests (--audit-retention-days).
  std::chrono::hours webhook_retention{24 * 90};
  std::chrono::hours audit_retention{24 * 365};

  /// host:port of a second listener serving only /health, /health/ready and /metrics; when set,
  /// /metrics leaves the public listener. Empty: no admin listener.
  std::string admin_listen;
};

/// The base URL the provider's webhooks go to, known once the listener is bound.
class callback_base {
 public:
  void set(std::string url);
  [[nodiscard]] std::string get() const;

 private:
  mutable std::mutex mutex_;
  std::string url_;
};

[[nodiscard]] std::string_view to_string(server_role r) noexcept;

/// The shared objects, opened from a configuration. Thread-safe as a whole.
struct app {
  server_config config;
  database db;
  std::optional<redis_client> redis;
  std::optional<session_store> sessions;  ///< always set once open_app returns
  std::optional<job_store> jobs;          ///< always set once open_app returns
  job_paths paths;
  std::unique_ptr<rate_limit_store> rate_store;
  std::unique_ptr<rate_limiter> limiter;
  trusted_proxies proxies;  ///< parsed from config.trusted_proxy (X-Forwarded-For, X-Request-Id)
  std::optional<csrf_key> csrf;
  std::unique_ptr<job_queue> queue;
  std::unique_ptr<job_events> events;
  std::unique_ptr<http_metrics> http;
  histogram parse_seconds{parse_time_bounds()};

  // the wallet: declared after db and redis, which they use (destroyed before them)
  std::optional<ledger> book;
  std::optional<idempotency_store> idempotency;
  std::unique_ptr<replay_guard> replay;       ///< Redis with --redis-url, else SQL: shared by processes
  std::optional<webhook_verifier> verifier;   ///< the provider's scheme and secrets, with `replay`
  callback_base callback;
  std::unique_ptr<payment_provider> provider;
  std::optional<wallet_service> wallet;
  webhook_rejections rejected_webhooks;  ///< refused deliveries: counted and logged, never stored

  // accounts: users, API keys, the audit log and the workflows on them
  std::optional<account_store> accounts;
  std::optional<audit_log> audit;
  std::optional<identity> ident;

  /// Runs the routes marked `offload` (password hashing: slow on purpose) away from the HTTP
  /// threads. Declared last: destroyed (joined) first, while what its handlers use still exists.
  std::unique_ptr<boost::asio::thread_pool> slow_pool;

  app(server_config c, database d);
};

/// Opens the database, Redis, the stores, the queue and the events for a configuration; reads
/// or creates the CSRF secret. Errors: invalid_argument, storage_error, io_error.
[[nodiscard]] result<std::unique_ptr<app>> open_app(server_config config);

/// The secret in <data_dir>/secret, created (0600, 256 random bits) by whichever process comes
/// first: it is written to a temporary file and linked into place, so every process sharing the
/// directory reads the same one. Error: io_error.
[[nodiscard]] result<std::string> load_or_create_secret(const std::filesystem::path& data_dir);

/// The simulated provider's webhook secret in <data_dir>/webhook-secret ("whsec_" + base64 of 256
/// random bits), created once the same way as the CSRF secret. Error: io_error.
[[nodiscard]] result<std::string> load_or_create_webhook_secret(const std::filesystem::path& data_dir);

/// Splits a comma-separated list, trimming spaces and dropping empty items.
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

}  // namespace bankflow::server
