#pragma once
// The route table and what handlers take and return. Handlers are plain functions from a
// request context to a reply; they parse the request, call the library and shape the response.

#include <bankflow/error.hpp>
#include <bankflow/jobs.hpp>

#include <boost/beast/http.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::server {

struct app;
namespace http = boost::beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// Status events of one job handed from the event bus's thread to the HTTP session that streams
/// them. push() never blocks: it queues and calls the wake-up the session installed.
class event_channel {
 public:
  void push(std::string json);
  /// Installs the wake-up (called after every push, from the pushing thread) and returns what
  /// was queued so far.
  std::deque<std::string> attach(std::function<void()> wake);
  std::deque<std::string> take();

 private:
  std::mutex mutex_;
  std::deque<std::string> queued_;
  std::function<void()> wake_;
};

/// A Server-Sent Events stream the HTTP session runs after the handler returns: the job's state
/// as it was read after subscribing, then every change until a final state.
struct event_stream {
  std::unique_ptr<job_subscription> subscription;
  std::shared_ptr<event_channel> channel;
  std::string first;  ///< to_json of the current state
};

/// What a handler returns: a whole response, or a response head that starts an SSE stream.
struct reply {
  response res;
  std::optional<event_stream> stream;
  std::string session_id;  ///< for the log line, when a session was involved
};

/// What a handler gets.
struct request_context {
  app& a;
  const request& req;
  std::string_view path;   ///< the target without the query
  std::string_view query;  ///< after '?', or empty
  std::vector<std::string_view> params;  ///< the `:id` and `*` parts of the route, in order
  std::string_view client;  ///< the client's address_key (client_address.hpp): what per-address limits count
  /// Set by a handler that a rate limit denied: dispatch sends it as Retry-After with the 429.
  std::chrono::seconds retry_after{0};
};

using handler = reply (*)(request_context&);

/// Which processes and listeners serve a route.
enum class route_scope {
  everywhere,  ///< every role, every listener (health)
  admin,       ///< every role; only on the --admin-listen listener when there is one (/metrics)
  api,         ///< roles all and api, on the public listener
};

/// Where routes are looked up: which scopes the listener a request came in on serves.
struct route_scopes {
  bool api = true;    ///< route_scope::api
  bool admin = true;  ///< route_scope::admin
};

struct route {
  http::verb method;
  std::string_view pattern;  ///< "/api/v1/bank-statements/jobs/:id"; a final "*" matches the rest
  handler fn;
  route_scope scope;
  std::uint64_t body_limit;  ///< request bodies larger than this are refused with 413 (0 = config upload limit)
  bool offload = false;      ///< slow on purpose (password hashing): runs on app::slow_pool, not an HTTP thread
};

/// The one route table.
[[nodiscard]] const std::vector<route>& routes();

/// The route labels for metrics (the patterns, in table order).
[[nodiscard]] std::vector<std::string> route_labels();

/// The route for a method and path: its index in routes(), or none. `path_known` tells a 405
/// from a 404 when nothing matched. HEAD matches the GET routes (the session sends no body).
struct route_match {
  std::optional<std::size_t> index;
  std::vector<std::string_view> params;
  bool path_known = false;
};
[[nodiscard]] route_match match_route(http::verb method, std::string_view path, route_scopes scopes);

/// Who a failure is answered to.
enum class error_audience {
  client,   ///< a browser or API client: the status says what went wrong
  webhook,  ///< a payment provider: any failure but a bad signature or body is 503, so it retries
};

/// The HTTP status of a library error: the one mapping of every status the API answers with.
[[nodiscard]] http::status to_http_status(const error& e, error_audience audience = error_audience::client) noexcept;

/// What a client may read of a library error: its message, except for storage and file errors,
/// whose messages name SQL, tables and paths. Those are logged whole with the request id and
/// answered as "storage error (request <id>)" / "file error (request <id>)".
[[nodiscard]] std::string public_message(const request& req, const error& e);

/// {"error":{"code","message"}} with the status of to_http_status (or the one given); the message
/// is public_message().
[[nodiscard]] reply error_reply(const request& req, const error& e,
                                error_audience audience = error_audience::client);
[[nodiscard]] reply error_reply(const request& req, http::status status, std::string_view code,
                                std::string_view message);

/// The scopes a listener serves: the public one (`admin_listener` false) or --admin-listen's.
[[nodiscard]] route_scopes scopes_for(const app& a, bool admin_listener) noexcept;

/// Runs the request through the table (404/405 when nothing matches; 400 for two session
/// cookies on an API route), never throws. `client` is the address_key of the request's client.
[[nodiscard]] reply dispatch(app& a, const request& req, std::size_t& route_index, route_scopes scopes,
                             std::string_view client);

/// The body limit for a request's target before its body is read.
[[nodiscard]] std::uint64_t body_limit_for(const app& a, http::verb method, std::string_view target);

/// Headers every response carries (security headers; no-store on API and operations routes).
void add_common_headers(response& res, std::string_view path);
void add_security_headers(http::fields& f);

}  // namespace bankflow::server
