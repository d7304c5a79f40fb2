// The wallet's routes: balance, deposits and withdrawals (under an Idempotency-Key), the
// transactions with their trail, and the payment provider's webhooks.

#include "handler_session.hpp"
#include "handlers.hpp"
#include "http_helpers.hpp"
#include "log.hpp"

#include "app.hpp"

#include <bankflow/json.hpp>
#include <bankflow/money.hpp>
#include <bankflow/wallet.hpp>

#include <boost/json.hpp>

#include <charconv>

namespace bankflow::server {

namespace {

// Runs a money request under its Idempotency-Key (run_idempotent), scoped to the session and
// route; the replay of a stored response says so in Idempotency-Replayed.
template <class Run>
reply idempotent(request_context& ctx, const session_hit& s, std::string_view route, Run&& run) {
  const std::string key(ctx.req["Idempotency-Key"]);
  std::optional<reply> fresh;
  auto outcome = run_idempotent(*ctx.a.idempotency, s.owner() + " " + std::string(route), key, ctx.req.body(), [&] {
    fresh = run(key);
    return idempotent_response{static_cast<int>(fresh->res.result_int()), fresh->res.body()};
  });
  if (!outcome) {
    auto r = error_reply(ctx.req, outcome.error());
    if (outcome.error().code == errc::idempotency_in_progress) r.res.set(http::field::retry_after, "1");
    return r;
  }
  if (outcome->unrecorded)
    log_line(fresh->res.result_int() >= 500 ? "warn" : "error",
             fresh->res.result_int() >= 500 ? "idempotency release failed" : "idempotency finish failed",
             {{"error", outcome->unrecorded->to_string()}});
  if (!outcome->replayed) return std::move(*fresh);
  reply r = json_reply(ctx.req, static_cast<http::status>(outcome->response.status), std::move(outcome->response.body));
  r.res.set("Idempotency-Replayed", "true");
  return r;
}

result<std::int64_t> amount_member(const boost::json::object& o) {
  auto text = string_member(o, "amount");
  if (!text) return text.error();
  return parse_api_amount(*text);
}

request_origin origin_of(request_context& ctx, const std::string& key) {
  return request_origin{std::string(ctx.req["X-Request-Id"]), key};
}

reply operation_reply(request_context& ctx, const result<wallet_operation>& op) {
  if (!op) return error_reply(ctx.req, op.error());
  auto r = json_reply(ctx.req, http::status::created, to_json(*op));
  r.res.set(http::field::location, "/api/v1/wallet/transactions/" + op->hold.id);
  return r;
}

}  // namespace

reply handle_wallet(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  auto b = ctx.a.wallet->balance(s->owner());
  return with_session(b ? json_reply(ctx.req, http::status::ok, to_json(*b)) : error_reply(ctx.req, b.error()), *s);
}

reply handle_wallet_deposit(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  // a request that does not validate claims no key (Stripe's semantics): fixed, it may reuse it
  auto body = json_object_body(ctx.req.body());
  if (!body) return with_session(error_reply(ctx.req, body.error()), *s);
  auto amount = amount_member(*body);
  if (!amount) return with_session(error_reply(ctx.req, amount.error()), *s);
  return with_session(idempotent(ctx, *s, "deposits", [&](const std::string& key) {
                        return operation_reply(ctx, ctx.a.wallet->deposit(s->owner(), *amount, origin_of(ctx, key)));
                      }),
                      *s);
}

reply handle_wallet_withdrawal(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::write)) return std::move(*refused);
  auto body = json_object_body(ctx.req.body());  // validated before a key is claimed
  if (!body) return with_session(error_reply(ctx.req, body.error()), *s);
  auto amount = amount_member(*body);
  if (!amount) return with_session(error_reply(ctx.req, amount.error()), *s);
  auto destination = string_member(*body, "destination");
  if (!destination) return with_session(error_reply(ctx.req, destination.error()), *s);
  return with_session(idempotent(ctx, *s, "withdrawals", [&](const std::string& key) {
                        auto op = ctx.a.wallet->withdraw(s->owner(), *amount, *destination, origin_of(ctx, key));
                        if (op)  // money leaving an account is a security-relevant action
                          (void)ctx.a.audit->record("withdrawal_requested", s->owner(), op->hold.id,
                                                    request_meta_of(ctx), format_amount(*amount));
                        return operation_reply(ctx, op);
                      }),
                      *s);
}

reply handle_wallet_transactions(request_context& ctx) {
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  std::size_t limit = 50;
  if (const auto text = query_param(ctx.query, "limit")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (ec != std::errc{} || end != text->data() + text->size() || limit < 1 || limit > 200)
      return error_reply(ctx.req, make_error(errc::invalid_argument, "limit must be a number from 1 to 200"));
  }
  const auto cursor = query_param(ctx.query, "cursor").value_or("");
  auto page = ctx.a.wallet->transactions(s->owner(), cursor, limit);
  return with_session(
      page ? json_reply(ctx.req, http::status::ok, to_wallet_json(*page)) : error_reply(ctx.req, page.error()), *s);
}

reply handle_wallet_transaction(request_context& ctx) {
  const std::string_view id = ctx.params.at(0);
  std::optional<session_hit> s;
  if (auto refused = user_session(ctx, s, access::read)) return std::move(*refused);
  auto trail = ctx.a.wallet->trail(s->owner(), id);
  return with_session(
      trail ? json_reply(ctx.req, http::status::ok, to_json(*trail)) : error_reply(ctx.req, trail.error()), *s);
}

reply handle_webhook(request_context& ctx) {
  const std::string_view provider = ctx.params.at(0);
  if (provider != ctx.a.provider->name())
    return error_reply(ctx.req, make_error(errc::not_found, "no payment provider named '" +
                                                               std::string(provider.substr(0, 64)) + "'"));
  std::vector<header_view> headers;
  for (const auto& f : ctx.req) headers.push_back({f.name_string(), f.value()});
  auto outcome = ctx.a.wallet->receive(*ctx.a.verifier, ctx.a.replay.get(), headers, ctx.req.body());
  if (!outcome) {
    const auto& e = outcome.error();
    if (is_verification_error(e.code)) {  // anyone can send these: counted, logged at a bounded rate
      ctx.a.rejected_webhooks.record(provider, e);
    } else {
      log_line("warn", "webhook refused",
               {{"provider", provider}, {"code", to_string(e.code)}, {"error", std::string_view(e.message)}});
    }
    // storage and the ledger's surprises are 503: the replay claim is released, the provider retries
    return error_reply(ctx.req, e, error_audience::webhook);
  }
  log_line("info", "webhook", {{"provider", provider}, {"outcome", to_string(*outcome)}});
  std::string body;
  json_writer(body).begin_object().field("outcome", to_string(*outcome)).end_object();
  return json_reply(ctx.req, http::status::ok, std::move(body));
}

}  // namespace bankflow::server
