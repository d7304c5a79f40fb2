#include "app.hpp"

#include "http_client.hpp"
#include "log.hpp"
#include "routes.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace bankflow::server {

namespace fs = std::filesystem;

std::string_view to_string(server_role r) noexcept {
  switch (r) {
    case server_role::all: return "all";
    case server_role::api: return "api";
    case server_role::worker: return "worker";
  }
  return "all";
}

app::app(server_config c, database d) : config(std::move(c)), db(std::move(d)) {}

namespace {

error io_failure(std::string what) {
  return make_error(errc::io_error, what + ": " + std::strerror(errno));
}

std::string read_secret_file(const fs::path& path) {
  std::string s;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return s;
  char buf[256];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0 && s.size() < 4096) s.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

/// Decorates job_events for --test-worker-delay-ms: the worker publishing `processing` sleeps.
class delaying_events final : public job_events {
 public:
  delaying_events(std::unique_ptr<job_events> inner, std::chrono::milliseconds delay)
      : inner_(std::move(inner)), delay_(delay) {}
  result<void> publish(const job& j) override {
    auto r = inner_->publish(j);
    if (j.status == job_status::processing) std::this_thread::sleep_for(delay_);
    return r;
  }
  result<std::unique_ptr<job_subscription>> subscribe(
      std::string_view job_id, std::function<void(const std::string&)> on_change) override {
    return inner_->subscribe(job_id, std::move(on_change));
  }

 private:
  std::unique_ptr<job_events> inner_;
  std::chrono::milliseconds delay_;
};

}  // namespace

namespace {

// The content of `path`, or `fresh` written there first (0600) by whichever process comes first:
// a temporary file linked into place, so every process sharing the directory reads the same one.
result<std::string> load_or_create_file(const fs::path& path, const std::string& fresh) {
  if (auto s = read_secret_file(path); !s.empty()) return s;
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + "." + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_failure("cannot create " + tmp.string());
  const std::string line = fresh + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return io_failure("cannot write " + tmp.string());
  }
  // link() never replaces: the first process wins and every other one reads its secret
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return io_failure("cannot create " + path.string());
  }
  auto s = read_secret_file(path);
  if (s.empty()) return make_error(errc::io_error, path.string() + " is empty");
  return s;
}

}  // namespace

result<std::string> load_or_create_secret(const fs::path& data_dir) {
  const fs::path path = data_dir / "secret";
  if (auto s = read_secret_file(path); !s.empty()) return s;
  return load_or_create_file(path, random_hex(32));
}

result<std::string> load_or_create_webhook_secret(const fs::path& data_dir) {
  const fs::path path = data_dir / "webhook-secret";
  if (auto s = read_secret_file(path); !s.empty()) return s;
  return load_or_create_file(path, "whsec_" + random_base64(32));
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

void callback_base::set(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::lock_guard lock(mutex_);
  url_ = std::move(url);
}

std::string callback_base::get() const {
  std::lock_guard lock(mutex_);
  return url_;
}

namespace {

// The wallet's objects: ledger, idempotency keys, replay guard, verifier, provider, service.
result<void> open_wallet(app& a) {
  auto book = ledger::open(a.db);
  if (!book) return book.error();
  a.book.emplace(std::move(*book));
  auto idem = idempotency_store::open(a.db);
  if (!idem) return idem.error();
  a.idempotency.emplace(std::move(*idem));
  auto guard = a.redis ? make_redis_replay_guard(*a.redis) : make_sql_replay_guard(a.db);
  if (!guard) return guard.error();
  a.replay = std::move(*guard);

  if (a.config.provider != "simulated")
    return make_error(errc::invalid_argument, "unknown payment provider '" + a.config.provider +
                                                  "' (this build ships: simulated)");
  auto scheme = parse_webhook_scheme(a.config.webhook_scheme);
  if (!scheme) return scheme.error();
  webhook_options signing;
  signing.scheme = *scheme;
  signing.secrets = a.config.webhook_secrets;
  if (signing.secrets.empty()) {
    auto s = load_or_create_webhook_secret(a.config.data_dir);
    if (!s) return s.error();
    signing.secrets.push_back(std::move(*s));
  }
  webhook_options verifying = signing;
  verifying.replay = a.replay.get();
  auto verifier = webhook_verifier::create(verifying);
  if (!verifier) return verifier.error();
  a.verifier.emplace(std::move(*verifier));

  if (!a.config.public_url.empty()) {
    if (auto u = parse_http_url(a.config.public_url); !u) return u.error();
    a.callback.set(a.config.public_url);
  }
  simulated_provider_options so;
  so.signing = signing;
  so.delay = a.config.provider_delay;
  so.failure_ratio = a.config.provider_failure_ratio;
  so.duplicate_ratio = a.config.provider_duplicate_ratio;
  so.outbox = &a.db;  // undelivered webhooks survive a restart
  // The provider posts its webhooks to this server, like a real one would.
  app* self = &a;
  auto send = [self](const std::vector<header_field>& headers, const std::string& body) -> result<int> {
    const std::string base = self->callback.get();
    if (base.empty()) return make_error(errc::io_error, "the server is not listening yet");
    auto url = parse_http_url(base + "/api/v1/webhooks/" + std::string(self->provider->name()));
    if (!url) return url.error();
    auto status = http_post(*url, headers, body);
    if (!status) log_line("warn", "webhook delivery failed", {{"error", status.error().message}});
    return status;
  };
  auto provider = simulated_provider::create(std::move(so), std::move(send));
  if (!provider) return provider.error();
  a.provider = std::move(*provider);
  wallet_options wo;
  wo.max_deposit = a.config.max_deposit;
  wo.max_withdrawal = a.config.max_withdrawal;
  wo.daily_deposit_limit = a.config.daily_deposit_limit;
  wo.daily_withdrawal_limit = a.config.daily_withdrawal_limit;
  wo.withdrawal_timeout = a.config.withdrawal_timeout;
  auto wallet = wallet_service::open(a.db, *a.book, *a.provider, std::move(wo));
  if (!wallet) return wallet.error();
  a.wallet.emplace(std::move(*wallet));
  return {};
}

// Users, keys, the audit log, the account workflows and the pool that hashes passwords.
result<void> open_accounts(app& a) {
  auto accounts = account_store::open(a.db, account_options{.password = a.config.password, .clock = {}});
  if (!accounts) return accounts.error();
  a.accounts.emplace(std::move(*accounts));
  auto audit = audit_log::open(a.db);
  if (!audit) return audit.error();
  a.audit.emplace(std::move(*audit));
  a.ident.emplace(*a.accounts, *a.sessions, *a.audit, *a.limiter, &*a.jobs);
  a.slow_pool = std::make_unique<boost::asio::thread_pool>(std::max<std::size_t>(2, a.config.threads));
  return {};
}

}  // namespace

result<std::unique_ptr<app>> open_app(server_config config) {
  std::shared_ptr<const data_key_ring> keys;
  if (!config.data_key.empty()) {
    auto ring = data_key_ring::parse(config.data_key);
    if (!ring) return make_error(errc::invalid_argument, "--data-key: " + ring.error().message);
    keys = std::make_shared<const data_key_ring>(std::move(*ring));
  }
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) return make_error(errc::io_error, "cannot create the data directory " + config.data_dir.string() + ": " + ec.message());
  fs::permissions(config.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  config.data_dir = fs::absolute(config.data_dir, ec);
  if (config.database_url.empty()) config.database_url = "sqlite://" + (config.data_dir / "bankflow.db").string();

  database_options dbo;
  dbo.pool_size = std::max<std::size_t>(4, config.threads + config.workers + 2);
  auto db = database::open(config.database_url, dbo);
  if (!db) return db.error();
  // A damaged file would start, report ready and fail requests one by one: refuse it now.
  if (auto intact = db->check_integrity(); !intact) return intact.error();
  auto a = std::make_unique<app>(std::move(config), std::move(*db));
  auto jobs = job_store::open(a->db);
  if (!jobs) return jobs.error();
  a->jobs.emplace(std::move(*jobs));


  a->paths.data_dir = a->config.data_dir;
  a->paths.keys = std::move(keys);  // uploads and results sealed at rest (none: plaintext)
  if (auto p = a->paths.prepare(); !p) return p.error();

  std::string secret = a->config.secret;
  if (secret.empty()) {
    auto s = load_or_create_secret(a->config.data_dir);
    if (!s) return s.error();
    secret = std::move(*s);
  }
  auto key = csrf_key::create(secret);
  if (!key) return key.error();
  a->csrf.emplace(std::move(*key));
  session_options so;
  so.unsaved_key = secret;  // visitors who only read get a signed token and no row
  so.idle_timeout = a->config.session_idle_timeout;
  so.max_age = a->config.session_max_age;
  auto sessions = session_store::open(a->db, so);  // the stores keep a reference to a->db
  if (!sessions) return sessions.error();
  a->sessions.emplace(std::move(*sessions));

  queue_options qo;
  qo.lease = a->config.lease;
  qo.max_attempts = a->config.max_attempts;
  if (!a->config.redis_url.empty()) {
    redis_options ro;
    ro.key_prefix = a->config.redis_prefix;
    ro.max_connections = a->config.threads + a->config.workers + 4;
    auto r = redis_client::connect(a->config.redis_url, ro);
    if (!r) return r.error();
    a->redis.emplace(std::move(*r));
    auto q = make_redis_job_queue(*a->redis, qo);
    if (!q) return q.error();
    a->queue = std::move(*q);
  } else {
    // nothing of an in-process queue survives the process: start from the store's unfinished jobs
    auto q = make_memory_job_queue(*a->jobs, qo);
    if (!q) return q.error();
    a->queue = std::move(*q);
  }
  auto events = a->redis ? make_redis_job_events(*a->redis) : make_memory_job_events();
  if (!events) return events.error();
  a->events = std::move(*events);
  auto rates = a->redis ? make_redis_rate_limit_store(*a->redis) : make_memory_rate_limit_store();
  if (!rates) return rates.error();
  a->rate_store = std::move(*rates);
  if (a->config.test_worker_delay.count() > 0)
    a->events = std::make_unique<delaying_events>(std::move(a->events), a->config.test_worker_delay);
  a->limiter = std::make_unique<rate_limiter>(*a->rate_store);
  a->limiter->set_limit("upload", rate_limit{a->config.uploads_per_hour, std::chrono::hours(1)});
  a->limiter->set_address_limit("upload", rate_limit{a->config.uploads_per_address_per_hour, std::chrono::hours(1)});
  a->limiter->set_address_limit("session", rate_limit{a->config.sessions_per_address_per_hour, std::chrono::hours(1)});
  auto proxies = trusted_proxies::parse(a->config.trusted_proxy);
  if (!proxies) return proxies.error();
  a->proxies = std::move(*proxies);
  a->http = std::make_unique<http_metrics>(route_labels());
  // the wallet's routes are API routes: a worker serves none, so it opens no ledger, keeps no
  // webhook secret and runs no provider delivery thread
  if (a->config.role != server_role::worker) {
    if (auto w = open_wallet(*a); !w) return w.error();
    if (auto acc = open_accounts(*a); !acc) return acc.error();
  }
  return a;
}

}  // namespace bankflow::server
