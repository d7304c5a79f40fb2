#include "server.hpp"

#include "listener.hpp"
#include "log.hpp"
#include "reconciler.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <charconv>
#include <condition_variable>
#include <csignal>
#include <thread>

namespace bankflow::server {

result<listen_address> parse_listen(std::string_view text) {
  listen_address out;
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return make_error(errc::invalid_argument, "listen address '" + std::string(text) + "' is not [v6]:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return make_error(errc::invalid_argument, "listen address '" + std::string(text) + "' is not host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || end != port.data() + port.size() || value > 65535 || host.empty())
    return make_error(errc::invalid_argument, "listen address '" + std::string(text) + "' has no valid port");
  out.host = std::string(host);
  out.port = static_cast<unsigned short>(value);
  return out;
}

namespace {

// The wallet's retention: webhook deliveries and operation rows past their days.
void purge_wallet(wallet_service& wallet, const server_config& c) {
  if (auto n = wallet.purge_deliveries(c.webhook_retention); !n)
    log_line("warn", "webhook delivery purge failed", {{"error", n.error().to_string()}});
  else if (*n > 0)
    log_line("info", "janitor removed webhook deliveries", {{"deliveries", static_cast<long long>(*n)}});
  if (auto n = wallet.purge_operations(c.audit_retention); !n)
    log_line("warn", "wallet operation purge failed", {{"error", n.error().to_string()}});
  else if (*n > 0)
    log_line("info", "janitor removed wallet operations", {{"operations", static_cast<long long>(*n)}});
}

// The janitor thread: one pass every interval until stopped.
class janitor {
 public:
  explicit janitor(app& a) : app_(a), thread_([this] { loop(); }) {}
  ~janitor() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      auto removed = run_janitor(*app_.sessions, *app_.jobs, app_.paths,
                                 {.download_grace = app_.config.download_grace,
                                  .account_retention = app_.config.account_retention});
      if (!removed)
        log_line("warn", "janitor pass failed", {{"error", removed.error().to_string()}});
      else if (*removed > 0)
        log_line("info", "janitor removed jobs", {{"jobs", static_cast<long long>(*removed)}});
      if (app_.queue) {  // a job whose worker died on its last attempt fails now, not after an hour
        if (auto dead = fail_dead_letters(*app_.jobs, *app_.queue, app_.paths); !dead)
          log_line("warn", "failing dead letters failed", {{"error", dead.error().to_string()}});
        else if (*dead > 0)
          log_line("info", "janitor failed jobs whose last attempt died", {{"jobs", static_cast<long long>(*dead)}});
      }
      if (app_.idempotency) {  // stored responses of money requests older than their 24 h
        if (auto keys = app_.idempotency->purge_expired(); !keys)
          log_line("warn", "idempotency purge failed", {{"error", keys.error().to_string()}});
        else if (*keys > 0)
          log_line("info", "janitor removed idempotency keys", {{"keys", static_cast<long long>(*keys)}});
      }
      if (app_.wallet) purge_wallet(*app_.wallet, app_.config);
      lock.lock();
      wake_.wait_for(lock, app_.config.janitor_interval, [this] { return stop_; });
    }
  }

  app& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

namespace {

// The endpoint of a host:port (an address, else the first the resolver gives). Errors are
// logged; the exit code is returned instead.
std::optional<net::ip::tcp::endpoint> resolve_endpoint(net::io_context& ioc, std::string_view text, int& code) {
  auto where = parse_listen(text);
  if (!where) {
    log_line("error", "bad configuration", {{"error", where.error().message}});
    code = 2;
    return std::nullopt;
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(where->host, ec);
  if (!ec) return net::ip::tcp::endpoint{address, where->port};
  net::ip::tcp::resolver resolver(ioc);
  auto found = resolver.resolve(where->host, std::to_string(where->port), ec);
  if (ec || found.empty()) {
    log_line("error", "cannot resolve the listen address", {{"host", where->host}, {"error", ec.message()}});
    code = 2;
    return std::nullopt;
  }
  return found.begin()->endpoint();
}

std::string endpoint_text(const net::ip::tcp::endpoint& e) {
  return (e.address().is_v6() ? "[" + e.address().to_string() + "]" : e.address().to_string()) + ":" +
         std::to_string(e.port());
}

}  // namespace

int run_server(app& a) {
  net::io_context ioc{static_cast<int>(std::max<std::size_t>(1, a.config.threads))};
  int code = 0;
  const auto endpoint = resolve_endpoint(ioc, a.config.listen, code);
  if (!endpoint) return code;

  session_registry registry;
  registry.set_limits(a.config.max_connections, a.config.max_connections_per_address);
  auto server = std::make_shared<listener>(ioc, a, registry);
  auto bound = server->open(*endpoint);
  if (!bound) {
    log_line("error", "cannot listen", {{"error", bound.error().message}});
    return 1;
  }
  const std::string bound_text = endpoint_text(*bound);
  // the simulated provider calls this server back: at --public-url, else where it listens
  if (a.config.public_url.empty()) a.callback.set("http://" + bound_text);

  // --admin-listen: health and metrics on their own address (a private interface, say)
  std::shared_ptr<listener> admin;
  std::string admin_text;
  if (!a.config.admin_listen.empty()) {
    const auto admin_endpoint = resolve_endpoint(ioc, a.config.admin_listen, code);
    if (!admin_endpoint) return code;
    admin = std::make_shared<listener>(ioc, a, registry, true);
    auto admin_bound = admin->open(*admin_endpoint);
    if (!admin_bound) {
      log_line("error", "cannot listen", {{"error", admin_bound.error().message}});
      return 1;
    }
    admin_text = endpoint_text(*admin_bound);
  }

  std::optional<job_worker> workers;
  std::optional<janitor> cleaner;
  if (a.config.role != server_role::api) {
    worker_options wo;
    wo.threads = std::max<std::size_t>(1, a.config.workers);
    wo.on_processed = [&a](const job&, std::chrono::nanoseconds took) { a.parse_seconds.observe(took); };
    wo.pdf.max_memory = static_cast<std::size_t>(a.config.pdf_memory_mb) << 20;
    wo.pdf.cpu_seconds = a.config.pdf_cpu_seconds;
    wo.pdf.max_pages = a.config.pdf_max_pages;
    wo.pdf.reader_program = "/proc/self/exe";  // main() starts with run_pdf_reader()
    wo.pdf.crash_for_tests = a.config.test_pdf_reader_crash;
    wo.pdf.hang_for_tests = a.config.test_pdf_reader_hang;
    workers.emplace(*a.jobs, *a.queue, *a.events, a.paths, std::move(wo));
    cleaner.emplace(a);
  }
  std::optional<wallet_reconciler> reconciler;
  if (a.wallet) reconciler.emplace(a);

  log_line("info", "listening",
           {{"address", std::string_view(bound_text)},
            {"role", to_string(a.config.role)},
            {"threads", static_cast<long long>(a.config.threads)},
            {"workers", static_cast<long long>(a.config.role == server_role::api ? 0 : a.config.workers)},
            {"database", std::string_view(a.db.display_url())},
            {"queue", std::string_view(a.redis ? "redis" : "memory")},
            {"data_dir", a.config.data_dir.string()}});
  if (a.config.role != server_role::all && !a.redis)
    log_line("warn", "role api/worker without --redis-url: the queue is in-process, so jobs uploaded to "
                     "this process are never seen by another one", {{"role", to_string(a.config.role)}});
  server->run();
  if (admin) {
    log_line("info", "admin listening", {{"address", std::string_view(admin_text)}});
    admin->run();
  }

  // SIGTERM/SIGINT: stop accepting, let sessions finish, then stop the pool at the deadline
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer drain(ioc);
  std::chrono::steady_clock::time_point deadline{};
  std::function<void()> poll = [&] {
    if (registry.size() == 0 || std::chrono::steady_clock::now() >= deadline) {
      if (registry.size() > 0)
        log_line("warn", "shutdown deadline passed", {{"open_connections", static_cast<long long>(registry.size())}});
      ioc.stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([&](beast::error_code wec) {
      if (!wec) poll();
    });
  };
  signals.async_wait([&](beast::error_code sec, int signal) {
    if (sec) return;
    log_line("info", "shutting down", {{"signal", static_cast<long long>(signal)},
                                       {"open_connections", static_cast<long long>(registry.size())}});
    deadline = std::chrono::steady_clock::now() + a.config.shutdown_timeout;
    server->stop();
    if (admin) admin->stop();
    registry.shutdown_all();
    poll();
  });

  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < std::max<std::size_t>(1, a.config.threads); ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();

  if (workers) workers->stop();
  workers.reset();
  cleaner.reset();
  log_line("info", "stopped", {});
  return 0;
}

}  // namespace bankflow::server
