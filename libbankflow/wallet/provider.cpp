// Provider events (the JSON body every shipped provider sends) and the simulated provider, which
// confirms deposits and payouts by sending signed webhooks back after a delay — sometimes failing,
// sometimes twice — so the whole money loop runs locally.

#include <bankflow/export.hpp>
#include <bankflow/money.hpp>
#include <bankflow/wallet.hpp>

#include "crypto/crypto.hpp"

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
  std::string out = "{\"id\":";
  append_json_string(out, e.id);
  out += ",\"type\":";
  append_json_string(out, e.type);
  out += ",\"data\":{\"transfer_id\":";
  append_json_string(out, e.transfer_id);
  if (e.amount) {
    out += ",\"amount\":";
    append_json_string(out, format_amount(*e.amount));
  }
  out += ",\"reference\":";
  append_json_string(out, e.reference);
  if (!e.reason.empty()) {
    out += ",\"reason\":";
    append_json_string(out, e.reason);
  }
  out += "}}";
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

  bool roll(double ratio) {  // under mutex
    if (ratio <= 0.0) return false;
    if (ratio >= 1.0) return true;
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < ratio;
  }

  // Decides the outcome of a request now (failure_ratio) and schedules its event: `what` is
  // "deposit" or "withdrawal", `failure` the reason a failed one gives.
  void answer_later(std::string_view transfer_id, std::int64_t amount, const std::string& reference,
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
    schedule(std::move(e));
  }

  void schedule(payment_event e) {
    std::lock_guard lock(mutex);
    delivery d;
    d.body = to_json(e);
    d.event = std::move(e);
    const auto at = std::chrono::steady_clock::now() + options.delay;
    if (roll(options.duplicate_ratio)) due.emplace(at + options.delay / 2 + std::chrono::milliseconds(1), d);
    due.emplace(at, std::move(d));
    wake.notify_all();
  }

  void deliver(delivery d) {
    const auto now = std::chrono::system_clock::now();
    const auto ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    auto headers = sign_webhook(options.signing, d.body, d.event.id, ts);
    bool done = true;
    if (headers) {
      auto status = send(*headers, d.body);
      // 2xx: taken. 4xx other than 409/429: the receiver refuses this event; retrying won't help.
      if (!status || *status >= 500 || *status == 409 || *status == 429 || *status == 0) done = false;
    }
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
  if (auto probe = sign_webhook(options.signing, "{}", "probe", 0); !probe) return probe.error();
  auto p = std::make_unique<impl>();
  p->rng.seed(options.seed != 0 ? options.seed : std::random_device{}());
  p->options = std::move(options);
  p->send = std::move(send);
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
  impl_->answer_later(transfer_id, amount, out.reference, "deposit", "the payer did not pay (simulated)");
  return out;
}

result<provider_payout> simulated_provider::request_payout(std::string_view transfer_id, std::int64_t amount,
                                                           std::string_view /*currency*/,
                                                           std::string_view destination) {
  if (amount <= 0) return make_error(errc::invalid_argument, "a payout amount must be positive");
  if (destination.empty()) return make_error(errc::invalid_argument, "a payout needs a destination", 0, "destination");
  provider_payout out;
  out.reference = "simpay_" + detail::random_hex(12);
  impl_->answer_later(transfer_id, amount, out.reference, "withdrawal",
                      "the destination bank refused the payout (simulated)");
  return out;
}

void simulated_provider::drain() {
  std::unique_lock lock(impl_->mutex);
  impl_->idle.wait(lock, [&] { return impl_->stopping || (impl_->due.empty() && impl_->in_flight == 0); });
}

}  // namespace bankflow
