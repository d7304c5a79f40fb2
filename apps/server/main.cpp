// bankflow-server: reads the configuration (flags, each also a BANKFLOW_* variable), opens the
// app and runs it. The only file that includes CLI11.

#include "app.hpp"
#include "log.hpp"
#include "server.hpp"

#include <bankflow/jobs.hpp>
#include <bankflow/money.hpp>
#include <bankflow/version.hpp>
#include <bankflow/wallet.hpp>

#include <CLI/CLI.hpp>

#include <csignal>
#include <string>

int main(int argc, char** argv) {
  // the PDF reader child (pdf_limits::reader_program is this program)
  if (auto status = bankflow::run_pdf_reader(argc, argv)) return *status;
  using namespace bankflow::server;
  server_config c;
  std::string role = "all";
  std::string data_dir = c.data_dir.string();
  long long janitor_s = c.janitor_interval.count();
  long long grace_s = c.download_grace.count();
  long long retention_s = c.account_retention.count();
  long long lease_ms = c.lease.count();
  long long shutdown_s = c.shutdown_timeout.count();
  long long read_s = c.read_timeout.count();
  long long idle_s = c.idle_timeout.count();
  long long body_grace_s = c.body_grace.count();
  long long session_idle_s = c.session_idle_timeout.count();
  long long session_max_age_s = c.session_max_age.count();
  std::string trusted_proxy;
  long long test_delay_ms = 0;
  long long provider_delay_ms = c.provider_delay.count();
  long long withdrawal_timeout_s = c.withdrawal_timeout.count();
  long long reconcile_after_s = c.reconcile_after.count();
  long long reconcile_interval_s = c.reconcile_interval.count();
  std::string webhook_secrets;
  std::string max_deposit = bankflow::format_amount(c.max_deposit);
  std::string max_withdrawal = bankflow::format_amount(c.max_withdrawal);
  std::string daily_deposit = bankflow::format_amount(c.daily_deposit_limit);
  std::string daily_withdrawal = bankflow::format_amount(c.daily_withdrawal_limit);
  long long webhook_days = c.webhook_retention.count() / 24;
  long long audit_days = c.audit_retention.count() / 24;

  CLI::App cli{"bankflow-server: upload a bank statement, follow its conversion, download clean CSV"};
  cli.set_version_flag("--version", std::string(bankflow::version()));
  cli.add_option("--listen", c.listen, "host:port to listen on (port 0: any free port)")
      ->envname("BANKFLOW_LISTEN")->capture_default_str();
  cli.add_option("--data-dir", data_dir, "Directory of uploads, results, the SQLite file and the secret")
      ->envname("BANKFLOW_DATA_DIR")->capture_default_str();
  cli.add_option("--database-url", c.database_url,
                 "sqlite:///path.db or postgresql://user@host:port/db (default sqlite:///<data-dir>/bankflow.db)")
      ->envname("BANKFLOW_DATABASE_URL");
  cli.add_option("--redis-url", c.redis_url, "redis://host:port/db: Redis queue, events and rate limits "
                                             "(default: in-process)")
      ->envname("BANKFLOW_REDIS_URL");
  cli.add_option("--redis-prefix", c.redis_prefix, "Prefix of every Redis key, e.g. staging:")
      ->envname("BANKFLOW_REDIS_PREFIX");
  cli.add_option("--role", role, "all: API and workers; api: API only; worker: jobs (and /health, /metrics)")
      ->envname("BANKFLOW_ROLE")->check(CLI::IsMember({"all", "api", "worker"}))->capture_default_str();
  cli.add_option("--threads", c.threads, "HTTP threads")->envname("BANKFLOW_THREADS")
      ->check(CLI::Range(1, 256))->capture_default_str();
  cli.add_option("--workers", c.workers, "Job worker threads (roles all and worker)")
      ->envname("BANKFLOW_WORKERS")->check(CLI::Range(1, 256))->capture_default_str();
  cli.add_option("--uploads-per-hour", c.uploads_per_hour, "Uploads allowed per session per hour")
      ->envname("BANKFLOW_UPLOADS_PER_HOUR")->check(CLI::Range(1, 1000000))->capture_default_str();
  cli.add_option("--uploads-per-address-per-hour", c.uploads_per_address_per_hour,
                 "Uploads allowed per client address per hour, whatever its sessions")
      ->envname("BANKFLOW_UPLOADS_PER_ADDRESS_PER_HOUR")->check(CLI::Range(1, 1000000))->capture_default_str();
  cli.add_option("--sessions-per-address-per-hour", c.sessions_per_address_per_hour,
                 "New sessions allowed per client address per hour")
      ->envname("BANKFLOW_SESSIONS_PER_ADDRESS_PER_HOUR")->check(CLI::Range(1, 1000000))->capture_default_str();
  cli.add_option("--trusted-proxy", trusted_proxy,
                 "Comma-separated addresses or CIDR networks of reverse proxies whose X-Forwarded-For and X-Request-Id are believed")
      ->envname("BANKFLOW_TRUSTED_PROXY");
  cli.add_option("--max-connections", c.max_connections, "Open connections in all (0: no cap)")
      ->envname("BANKFLOW_MAX_CONNECTIONS")->check(CLI::Range(0, 1000000))->capture_default_str();
  cli.add_option("--max-connections-per-address", c.max_connections_per_address,
                 "Open connections per peer address, trusted proxies exempt (0: no cap)")
      ->envname("BANKFLOW_MAX_CONNECTIONS_PER_ADDRESS")->check(CLI::Range(0, 1000000))->capture_default_str();
  cli.add_flag("--cookie-secure", c.cookie_secure, "Mark the session cookie Secure (behind HTTPS)")
      ->envname("BANKFLOW_COOKIE_SECURE");
  cli.add_option("--secret", c.secret, "CSRF key, at least 16 bytes (default: <data-dir>/secret, created once)")
      ->envname("BANKFLOW_SECRET");
  cli.add_option("--data-key", c.data_key,
                 "Encrypt uploads and results at rest (AES-256-GCM) with id:<base64 of 32 bytes>; a comma-separated "
                 "list adds keys that still decrypt (new,old). Default: no encryption, no key generated")
      ->envname("BANKFLOW_DATA_KEY");
  cli.add_option("--session-idle-timeout", session_idle_s, "Seconds a login session lives without a request")
      ->envname("BANKFLOW_SESSION_IDLE_TIMEOUT")->check(CLI::Range(1LL, 86400LL * 30))->capture_default_str();
  cli.add_option("--session-max-age", session_max_age_s, "Seconds a login session lives after the login, however active")
      ->envname("BANKFLOW_SESSION_MAX_AGE")->check(CLI::Range(1LL, 86400LL * 365))->capture_default_str();
  cli.add_option("--janitor-interval", janitor_s, "Seconds between janitor passes")
      ->envname("BANKFLOW_JANITOR_INTERVAL")->check(CLI::Range(1LL, 86400LL))->capture_default_str();
  cli.add_option("--download-grace", grace_s, "Seconds a downloaded result is kept")
      ->envname("BANKFLOW_DOWNLOAD_GRACE")->check(CLI::Range(0LL, 86400LL * 7))->capture_default_str();
  cli.add_option("--account-retention", retention_s,
                 "Seconds an account's conversions are kept after they were made (0: until deleted)")
      ->envname("BANKFLOW_ACCOUNT_RETENTION")->check(CLI::Range(0LL, 86400LL * 3660))->capture_default_str();
  cli.add_option("--lease", lease_ms, "Milliseconds a worker holds a job before another may take it")
      ->envname("BANKFLOW_LEASE_MS")->check(CLI::Range(100LL, 3600000LL))->capture_default_str();
  cli.add_option("--max-attempts", c.max_attempts, "Attempts of a job before the dead letters")
      ->envname("BANKFLOW_MAX_ATTEMPTS")->check(CLI::Range(1, 100))->capture_default_str();
  cli.add_option("--shutdown-timeout", shutdown_s, "Seconds in-flight requests get after SIGTERM")
      ->envname("BANKFLOW_SHUTDOWN_TIMEOUT")->check(CLI::Range(0LL, 3600LL))->capture_default_str();
  cli.add_option("--read-timeout", read_s, "Seconds to receive a request header; also the longest pause within a body")
      ->envname("BANKFLOW_READ_TIMEOUT")->check(CLI::Range(1LL, 3600LL))->capture_default_str();
  cli.add_option("--min-body-rate", c.min_body_rate,
                 "Bytes per second a request body must average once --body-grace has passed (0: off)")
      ->envname("BANKFLOW_MIN_BODY_RATE")->check(CLI::Range(0, 1 << 30))->capture_default_str();
  cli.add_option("--body-grace", body_grace_s, "Seconds a request body gets before --min-body-rate applies")
      ->envname("BANKFLOW_BODY_GRACE")->check(CLI::Range(0LL, 3600LL))->capture_default_str();
  cli.add_option("--idle-timeout", idle_s, "Seconds a keep-alive connection waits for its next request")
      ->envname("BANKFLOW_IDLE_TIMEOUT")->check(CLI::Range(1LL, 3600LL))->capture_default_str();
  cli.add_option("--provider", c.provider, "Payment provider of the wallet (simulated: confirms by itself)")
      ->envname("BANKFLOW_PROVIDER")->check(CLI::IsMember({"simulated"}))->capture_default_str();
  cli.add_option("--provider-delay-ms", provider_delay_ms, "Simulated provider: milliseconds from request to webhook")
      ->envname("BANKFLOW_PROVIDER_DELAY_MS")->check(CLI::Range(0LL, 3600000LL))->capture_default_str();
  cli.add_option("--provider-failure-ratio", c.provider_failure_ratio,
                 "Simulated provider: share of deposits and payouts that fail (0..1)")
      ->envname("BANKFLOW_PROVIDER_FAILURE_RATIO")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cli.add_option("--provider-duplicate-ratio", c.provider_duplicate_ratio,
                 "Simulated provider: share of webhooks delivered twice (0..1)")
      ->envname("BANKFLOW_PROVIDER_DUPLICATE_RATIO")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cli.add_option("--withdrawal-timeout", withdrawal_timeout_s,
                 "Seconds after which an unsettled withdrawal hold expires and releases the funds (0: never)")
      ->envname("BANKFLOW_WITHDRAWAL_TIMEOUT")->check(CLI::Range(0LL, 31LL * 86400))->capture_default_str();
  cli.add_option("--reconcile-after", reconcile_after_s,
                 "Seconds a deposit or withdrawal may wait for its webhook before the provider is asked")
      ->envname("BANKFLOW_RECONCILE_AFTER")->check(CLI::Range(0LL, 31LL * 86400))->capture_default_str();
  cli.add_option("--reconcile-interval", reconcile_interval_s, "Seconds between wallet reconciliation passes")
      ->envname("BANKFLOW_RECONCILE_INTERVAL")->check(CLI::Range(1LL, 86400LL))->capture_default_str();
  cli.add_option("--webhook-scheme", c.webhook_scheme, "How the provider signs webhooks")
      ->envname("BANKFLOW_WEBHOOK_SCHEME")->check(CLI::IsMember({"standard", "stripe", "github", "hmac-sha256"}))
      ->capture_default_str();
  cli.add_option("--webhook-secrets", webhook_secrets,
                 "Comma-separated webhook secrets, any of which may sign (default with the simulated provider: "
                 "<data-dir>/webhook-secret, created once)")
      ->envname("BANKFLOW_WEBHOOK_SECRETS");
  cli.add_option("--public-url", c.public_url,
                 "http://host:port the provider reaches this server at (default: the listen address)")
      ->envname("BANKFLOW_PUBLIC_URL");
  cli.add_option("--admin-listen", c.admin_listen,
                 "host:port of a listener for /health, /health/ready and /metrics only (then /metrics leaves --listen)")
      ->envname("BANKFLOW_ADMIN_LISTEN");
  cli.add_option("--disk-quota", c.disk_quota,
                 "Bytes the uploads and results may take together (0: no quota); then uploads get 507")
      ->envname("BANKFLOW_DISK_QUOTA")->capture_default_str();
  cli.add_option("--pdf-memory-mb", c.pdf_memory_mb,
                 "Address space of the child process that reads one PDF (MiB); beyond it the job fails")
      ->envname("BANKFLOW_PDF_MEMORY_MB")->capture_default_str();
  cli.add_option("--pdf-cpu-seconds", c.pdf_cpu_seconds, "CPU time of the child process that reads one PDF")
      ->envname("BANKFLOW_PDF_CPU_SECONDS")->capture_default_str();
  cli.add_option("--pdf-max-pages", c.pdf_max_pages, "Pages a PDF may have; a longer one fails its job")
      ->envname("BANKFLOW_PDF_MAX_PAGES")->capture_default_str();
  cli.add_option("--max-deposit", max_deposit, "Largest deposit, e.g. 50000.00")
      ->envname("BANKFLOW_MAX_DEPOSIT")->capture_default_str();
  cli.add_option("--max-withdrawal", max_withdrawal, "Largest withdrawal, e.g. 50000.00")
      ->envname("BANKFLOW_MAX_WITHDRAWAL")->capture_default_str();
  cli.add_option("--daily-deposit-limit", daily_deposit, "Deposits one wallet may request in any 24 hours")
      ->envname("BANKFLOW_DAILY_DEPOSIT_LIMIT")->capture_default_str();
  cli.add_option("--daily-withdrawal-limit", daily_withdrawal, "Withdrawals one wallet may request in any 24 hours")
      ->envname("BANKFLOW_DAILY_WITHDRAWAL_LIMIT")->capture_default_str();
  cli.add_option("--webhook-retention-days", webhook_days, "Days the janitor keeps webhook deliveries")
      ->envname("BANKFLOW_WEBHOOK_RETENTION_DAYS")->check(CLI::Range(1LL, 36500LL))->capture_default_str();
  cli.add_option("--audit-retention-days", audit_days,
                 "Days the janitor keeps wallet operation rows (request id, idempotency key, provider reference)")
      ->envname("BANKFLOW_AUDIT_RETENTION_DAYS")->check(CLI::Range(2LL, 36500LL))->capture_default_str();
  // TEST ONLY: workers sleep this long once a job is `processing`, so a test can kill one mid-job.
  cli.add_option("--test-worker-delay-ms", test_delay_ms)->group("")->check(CLI::Range(0LL, 600000LL));
  // TEST ONLY: the child process that reads a PDF aborts, as a PDF that crashes poppler would.
  cli.add_flag("--test-pdf-reader-crash", c.test_pdf_reader_crash)->group("");
  cli.add_flag("--test-pdf-reader-hang", c.test_pdf_reader_hang)->group("");
  CLI11_PARSE(cli, argc, argv);

  c.data_dir = data_dir;
  c.role = role == "api" ? server_role::api : role == "worker" ? server_role::worker : server_role::all;
  c.janitor_interval = std::chrono::seconds(janitor_s);
  c.download_grace = std::chrono::seconds(grace_s);
  c.account_retention = std::chrono::seconds(retention_s);
  c.lease = std::chrono::milliseconds(lease_ms);
  c.shutdown_timeout = std::chrono::seconds(shutdown_s);
  c.read_timeout = std::chrono::seconds(read_s);
  c.idle_timeout = std::chrono::seconds(idle_s);
  c.body_grace = std::chrono::seconds(body_grace_s);
  c.session_idle_timeout = std::chrono::seconds(session_idle_s);
  c.session_max_age = std::chrono::seconds(session_max_age_s);
  c.trusted_proxy = split_list(trusted_proxy);
  c.test_worker_delay = std::chrono::milliseconds(test_delay_ms);
  c.provider_delay = std::chrono::milliseconds(provider_delay_ms);
  c.withdrawal_timeout = std::chrono::seconds(withdrawal_timeout_s);
  c.reconcile_after = std::chrono::seconds(reconcile_after_s);
  c.reconcile_interval = std::chrono::seconds(reconcile_interval_s);
  c.webhook_secrets = split_list(webhook_secrets);
  c.webhook_retention = std::chrono::hours(24 * webhook_days);
  c.audit_retention = std::chrono::hours(24 * audit_days);

  for (auto [text, out] : {std::pair{&max_deposit, &c.max_deposit}, std::pair{&max_withdrawal, &c.max_withdrawal},
                           std::pair{&daily_deposit, &c.daily_deposit_limit},
                           std::pair{&daily_withdrawal, &c.daily_withdrawal_limit}}) {
    auto amount = bankflow::parse_api_amount(*text);
    if (!amount) {
      log_line("error", "cannot start", {{"error", "a wallet limit: " + amount.error().message}});
      return 1;
    }
    *out = *amount;  // the range is the wallet's to check
  }

  std::signal(SIGPIPE, SIG_IGN);
  auto a = open_app(std::move(c));
  if (!a) {
    log_line("error", "cannot start", {{"error", a.error().to_string()}});
    return 1;
  }
  return run_server(**a);
}
