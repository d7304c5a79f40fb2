#include "app.hpp"

#include "routes.hpp"

#include <openssl/rand.h>

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

result<std::string> load_or_create_secret(const fs::path& data_dir) {
  const fs::path path = data_dir / "secret";
  if (auto s = read_secret_file(path); !s.empty()) return s;
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) return make_error(errc::io_error, "no random bytes for the secret");
  static constexpr char hex[] = "0123456789abcdef";
  std::string secret;
  for (const unsigned char c : raw) {
    secret += hex[c >> 4];
    secret += hex[c & 15];
  }
  const fs::path tmp = data_dir / (".secret." + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_failure("cannot create " + tmp.string());
  const std::string line = secret + "\n";
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

result<std::unique_ptr<app>> open_app(server_config config) {
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
  auto a = std::make_unique<app>(std::move(config), std::move(*db));
  auto sessions = session_store::open(a->db);  // the stores keep a reference to a->db
  if (!sessions) return sessions.error();
  a->sessions.emplace(std::move(*sessions));
  auto jobs = job_store::open(a->db);
  if (!jobs) return jobs.error();
  a->jobs.emplace(std::move(*jobs));

  a->paths.data_dir = a->config.data_dir;
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
    auto e = make_redis_job_events(*a->redis);
    if (!e) return e.error();
    a->events = std::move(*e);
    a->rate_store = make_redis_rate_limit_store(*a->redis);
  } else {
    a->queue = make_memory_job_queue(qo);
    a->events = make_memory_job_events();
    a->rate_store = make_memory_rate_limit_store();
  }
  if (a->config.test_worker_delay.count() > 0)
    a->events = std::make_unique<delaying_events>(std::move(a->events), a->config.test_worker_delay);
  a->limiter = std::make_unique<rate_limiter>(*a->rate_store);
  a->limiter->set_limit("upload", rate_limit{a->config.uploads_per_hour, std::chrono::hours(1)});
  a->http = std::make_unique<http_metrics>(route_labels());
  return a;
}

}  // namespace bankflow::server
