// Provider events (the JSON body every shipped provider sends) and the simulated provider, which
// confirms deposits and payouts by sending signed webhooks back after a delay — sometimes failing,
// sometimes twice — so the whole money loop runs locally.

#include <bankflow/json.hpp>
#include <bankflow/money.hpp>
#include <bankflow/wallet.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"

#include <boost/json.hpp>

#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

namespace bankflow {
namespace {

payment_event_type kind_of(std::string_view type) {
  if (type == "deposit.succeeded") return payment_event_type::deposit_succeeded;
  if (type == "deposit.failed") return payment_event_type::deposit_failed;
  if (type == "withdrawal.succeeded") return payment_event_type::withdrawal_succeeded;
  if (type == "withdrawal.failed") return payment_event_type::withdrawal_failed;
  return payment_event_type::other;
}

// The simulated provider's outbox: every event it decided, until delivered.
const std::vector<detail::migration>& outbox_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_provider_outbox ("
        "event_id TEXT PRIMARY KEY, provider TEXT NOT NULL, transfer_id TEXT NOT NULL, reference TEXT NOT NULL, "
        "outcome TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS bankflow_provider_outbox_undelivered ON bankflow_provider_outbox "
        "(provider, delivered_at)",
        "CREATE INDEX IF NOT EXISTS bankflow_provider_outbox_transfer ON bankflow_provider_outbox "
        "(provider, transfer_id)"}},
  };
  return steps;
}

}  // namespace

result<payment_event> parse_payment_event(std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec) return make_error(errc::invalid_argument, "the event body is not JSON: " + ec.message());
  const auto* root = v.if_object();
  if (!root) return make_error(errc::invalid_argument, "the event body is not a JSON object");
  auto text = [](const boost::json::object& o, std::string_view name) -> std::optional<std::string> {
    const auto* f = o.if_contains(name);
    if (!f || !f->is_string()) return std::nullopt;
    return std::string(f->get_string());
  };
  payment_event e;
  auto id = text(*root, "id");
  if (!id || id->empty()) return make_error(errc::invalid_argument, "the event has no id", 0, "id");
  auto type = text(*root, "type");
  if (!type || type->empty()) return make_error(errc::invalid_argument, "the event has no type", 0, "type");
  e.id = std::move(*id);
  e.type = std::move(*type);
  e.kind = kind_of(e.type);
  if (const auto* data = root->if_contains("data"); data && data->is_object()) {
    const auto& d = data->get_object();
    e.transfer_id = text(d, "transfer_id").value_or("");
    e.reference = text(d, "reference").value_or("");
    e.reason = text(d, "reason").value_or("");
    if (const auto* a = d.if_contains("amount")) {
      if (!a->is_string())
        return make_error(errc::invalid_argument, "the amount must be a decimal string", 0, "data.amount");
      auto amount = parse_amount_required(std::string_view(a->get_string()), number_style::en);
      if (!amount) {
        auto err = amount.error();
        err.field = "data.amount";
        return err;
      }
      e.amount = *amount;
    }
  } else if (e.kind != payment_event_type::other) {
    return make_error(errc::invalid_argument, "the event has no data object", 0, "data");
  }
  if (e.kind != payment_event_type::other && e.transfer_id.empty())
    return make_error(errc::invalid_argument, "the event names no transfer", 0, "data.transfer_id");
  return e;
}

std::string to_json(const payment_event& e) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("id", e.id).field("type", e.type).key("data").begin_object();
  w.field("transfer_id", e.transfer_id);
  if (e.amount) w.field("amount", format_amount(*e.amount));
  w.field("reference", e.reference);
  if (!e.reason.empty()) w.field("reason", e.reason);
  w.end_object().end_object();
  return out;
}

// ---------------------------------------------------------------------------------------------

struct simulated_provider::impl {
  simulated_provider_options options;
  webhook_sender send;

  struct delivery {
    payment_event event;
    std::string body;
    int attempt = 0;
  };

  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable idle;
  std::multimap<std::chrono::steady_clock::time_point, delivery> due;
  std::size_t in_flight = 0;
  bool stopping = false;
  std::mt19937_64 rng;
  std::thread thread;
  detail::database_impl* db = nullptr;  // the outbox; null: memory only
  struct decided {
    bool succeeded = false;
    std::chrono::system_clock::time_point at{};
  };
  std::map<std::string, decided> decisions;  // memory only: what query() answers from

  bool roll(double ratio) {  // under mutex
    if (ratio <= 0.0) return false;
    if (ratio >= 1.0) return true;
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < ratio;
  }

  // Decides the outcome of a request now (failure_ratio) and schedules its event: `what` is
  // "deposit" or "withdrawal", `failure` the reason a failed one gives.
  result<void> answer_later(std::string_view transfer_id, std::int64_t amount, const std::string& reference,
                            std::string_view what, std::string_view failure) {
    payment_event e;
    e.id = "evt_" + detail::random_hex(16);
    e.transfer_id = std::string(transfer_id);
    e.amount = amount;
    e.reference = reference;
    bool fail = false;
    {
      std::lock_guard lock(mutex);
      fail = roll(options.failure_ratio);
    }
    e.type = std::string(what) + (fail ? ".failed" : ".succeeded");
    if (fail) e.reason = std::string(failure);
    e.kind = kind_of(e.type);
    const std::string body = to_json(e);
    const auto now = std::chrono::system_clock::now();
    if (db != nullptr) {
      // Stored before it is scheduled: whatever happens to this process, the event is sent.
      const std::string outcome = fail ? "failed" : "succeeded";
      const long long created = detail::unix_ms(now);
      auto ok = detail::with_session(*db, "storing a provider event", [&](soci::session& sql) {
        sql << "INSERT INTO bankflow_provider_outbox (event_id, provider, transfer_id, reference, outcome, body, "
               "created_at, delivered_at) VALUES (:e, :p, :t, :r, :o, :b, :c, 0)",
            soci::use(e.id, "e"), soci::use(options.name, "p"), soci::use(e.transfer_id, "t"),
            soci::use(e.reference, "r"), soci::use(outcome, "o"), soci::use(body, "b"), soci::use(created, "c");
      });
      if (!ok) return ok.error();
    } else {
      std::lock_guard lock(mutex);
      decisions[e.transfer_id] = decided{!fail, now};
    }
    schedule(std::move(e), body, true);
    return {};
  }

  void schedule(payment_event e, std::string body, bool may_duplicate) {
    std::lock_guard lock(mutex);
    delivery d;
    d.body = std::move(body);
    d.event = std::move(e);
    const auto at = std::chrono::steady_clock::now() + options.delay;
    if (may_duplicate && roll(options.duplicate_ratio))
      due.emplace(at + options.delay / 2 + std::chrono::milliseconds(1), d);
    due.emplace(at, std::move(d));
    wake.notify_all();
  }

  void mark_delivered(const std::string& event_id) {
    if (db == nullptr) return;
    const long long now = detail::unix_ms(std::chrono::system_clock::now());
    // A failure here only means the event is sent again after a restart: a harmless duplicate.
    (void)detail::with_session(*db, "marking a provider event delivered", [&](soci::session& sql) {
      sql << "UPDATE bankflow_provider_outbox SET delivered_at = :n WHERE event_id = :e AND delivered_at = 0",
          soci::use(now, "n"), soci::use(event_id, "e");
    });
  }

  // Schedules every event of this provider the outbox holds undelivered (a previous process
  // stopped before sending it, or gave up).
  result<void> resend_undelivered() {
    std::vector<std::pair<std::string, std::string>> pending;  // event id, body
    auto ok = detail::with_session(*db, "reading the provider outbox", [&](soci::session& sql) {
      pending.clear();
      std::string id, body;
      soci::statement st(sql);
      st.exchange(soci::into(id));
      st.exchange(soci::into(body));
      st.exchange(soci::use(options.name, "p"));
      st.alloc();
      st.prepare("SELECT event_id, body FROM bankflow_provider_outbox WHERE provider = :p AND delivered_at = 0 "
                 "ORDER BY created_at, event_id");
      st.define_and_bind();
      st.execute();
      while (st.fetch()) pending.emplace_back(id, body);
    });
    if (!ok) return ok.error();
    for (auto& [id, body] : pending) {
      auto e = parse_payment_event(body);
      if (!e) continue;  // not ours to repair; the wallet's reconciliation asks query()
      schedule(std::move(*e), std::move(body), false);
    }
    return {};
  }

  void deliver(delivery d) {
    const auto now = std::chrono::system_clock::now();
    const auto ts = std::chrono::floor<std::chrono::seconds>(now);
    auto headers = sign_webhook(options.signing, d.body, d.event.id, ts);
    bool done = true;
    if (headers) {
      auto status = send(*headers, d.body);
      // 2xx: taken. 4xx other than 409/429: the receiver refuses this event; retrying won't help.
      if (!status || *status >= 500 || *status == 409 || *status == 429 || *status == 0) done = false;
    }
    if (done) mark_delivered(d.event.id);
    std::lock_guard lock(mutex);
    --in_flight;
    if (!done && ++d.attempt < options.max_attempts && !stopping) {
      const auto backoff = options.delay * (1 << std::min(d.attempt, 10));
      due.emplace(std::chrono::steady_clock::now() + backoff, std::move(d));
    }
    wake.notify_all();
    idle.notify_all();
  }

  void run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      if (due.empty()) {
        wake.wait(lock);
        continue;
      }
      const auto next = due.begin()->first;
      if (std::chrono::steady_clock::now() < next) {
        wake.wait_until(lock, next);
        continue;
      }
      delivery d = std::move(due.begin()->second);
      due.erase(due.begin());
      ++in_flight;
      lock.unlock();
      deliver(std::move(d));
      lock.lock();
    }
  }
};

simulated_provider::simulated_provider(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

result<std::unique_ptr<simulated_provider>> simulated_provider::create(simulated_provider_options options,
                                                                      webhook_sender send) {
  if (!send) return make_error(errc::invalid_argument, "the simulated provider needs a webhook sender");
  if (options.name.empty()) return make_error(errc::invalid_argument, "the provider name is empty");
  if (options.failure_ratio < 0.0 || options.failure_ratio > 1.0 || options.duplicate_ratio < 0.0 ||
      options.duplicate_ratio > 1.0)
    return make_error(errc::invalid_argument, "failure and duplicate ratios lie between 0 and 1");
  // Signing once up front surfaces a bad secret now rather than at the first delivery.
  if (auto probe = sign_webhook(options.signing, "{}", "probe", std::chrono::sys_seconds{}); !probe) return probe.error();
  auto p = std::make_unique<impl>();
  if (options.outbox != nullptr) {
    p->db = &detail::database_access::impl(*options.outbox);
    if (auto ok = detail::migrate(*p->db, "provider_outbox", outbox_migrations()); !ok) return ok.error();
  }
  p->rng.seed(options.seed != 0 ? options.seed : std::random_device{}());
  p->options = std::move(options);
  p->send = std::move(send);
  if (p->db != nullptr)
    if (auto ok = p->resend_undelivered(); !ok) return ok.error();
  std::unique_ptr<simulated_provider> provider(new simulated_provider(std::move(p)));
  provider->impl_->thread = std::thread([raw = provider->impl_.get()] { raw->run(); });
  return provider;
}

simulated_provider::~simulated_provider() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->due.clear();
    impl_->wake.notify_all();
  }
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string_view simulated_provider::name() const noexcept { return impl_->options.name; }

result<provider_deposit> simulated_provider::create_deposit(std::string_view transfer_id, std::int64_t amount,
                                                            std::string_view /*currency*/) {
  if (amount <= 0) return make_error(errc::invalid_argument, "a deposit amount must be positive");
  provider_deposit out;
  out.reference = "simdep_" + detail::random_hex(12);
  // What a PIX charge would show: a copy-and-paste code naming the reference and the amount.
  out.instructions = "PIX (simulado): pague " + format_amount(amount) + " com o código " + out.reference;
  if (auto ok = impl_->answer_later(transfer_id, amount, out.reference, "deposit", "the payer did not pay (simulated)");
      !ok)
    return ok.error();
  return out;
}

result<provider_payout> simulated_provider::request_payout(std::string_view transfer_id, std::int64_t amount,
                                                           std::string_view /*currency*/,
                                                           std::string_view destination) {
  if (amount <= 0) return make_error(errc::invalid_argument, "a payout amount must be positive");
  if (destination.empty()) return make_error(errc::invalid_argument, "a payout needs a destination", 0, "destination");
  provider_payout out;
  out.reference = "simpay_" + detail::random_hex(12);
  if (auto ok = impl_->answer_later(transfer_id, amount, out.reference, "withdrawal",
                                    "the destination bank refused the payout (simulated)");
      !ok)
    return ok.error();
  return out;
}

result<provider_status> simulated_provider::query(std::string_view transfer_id, std::string_view /*reference*/) {
  bool found = false, succeeded = false;
  std::chrono::system_clock::time_point at{};
  if (impl_->db != nullptr) {
    const std::string t(transfer_id);
    std::string outcome;
    long long created = 0;
    soci::indicator ind = soci::i_null;
    auto ok = detail::with_session(*impl_->db, "querying the provider outbox", [&](soci::session& sql) {
      sql << "SELECT outcome, created_at FROM bankflow_provider_outbox WHERE provider = :p AND transfer_id = :t "
             "ORDER BY created_at DESC, event_id LIMIT 1",
          soci::use(impl_->options.name, "p"), soci::use(t, "t"), soci::into(outcome, ind), soci::into(created);
      found = sql.got_data() && ind == soci::i_ok;
    });
    if (!ok) return ok.error();
    succeeded = outcome == "succeeded";
    at = std::chrono::system_clock::time_point(std::chrono::milliseconds(created));
  } else {
    std::lock_guard lock(impl_->mutex);
    if (auto it = impl_->decisions.find(std::string(transfer_id)); it != impl_->decisions.end()) {
      found = true;
      succeeded = it->second.succeeded;
      at = it->second.at;
    }
  }
  if (!found) return provider_status::unknown;
  if (std::chrono::system_clock::now() < at + impl_->options.delay) return provider_status::pending;
  return succeeded ? provider_status::succeeded : provider_status::failed;
}

result<std::size_t> simulated_provider::purge_delivered(std::chrono::seconds older_than) {
  if (impl_->db == nullptr) return std::size_t{0};
  const long long cut = detail::unix_ms(std::chrono::system_clock::now() - older_than);
  std::size_t removed = 0;
  auto ok = detail::with_session(*impl_->db, "purging the provider outbox", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM bankflow_provider_outbox WHERE provider = :p AND "
                                         "delivered_at > 0 AND delivered_at <= :c",
                          soci::use(impl_->options.name, "p"), soci::use(cut, "c"));
    st.execute(true);
    removed = static_cast<std::size_t>(st.get_affected_rows());
  });
  if (!ok) return ok.error();
  return removed;
}

void simulated_provider::drain() {
  std::unique_lock lock(impl_->mutex);
  impl_->idle.wait(lock, [&] { return impl_->stopping || (impl_->due.empty() && impl_->in_flight == 0); });
}

}  // namespace bankflow
