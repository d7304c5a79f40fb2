#pragma once
// One HTTP/1.1 connection: read the header, refuse what is too large before reading the body,
// read the body within its limit, dispatch, write, and loop while keep-alive; or stream SSE.

#include "routes.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace bankflow::server {

namespace beast = boost::beast;
namespace net = boost::asio;

class http_session;

/// The live sessions, so a shutdown can tell them to finish (and wait until they have), and the
/// connection caps (--max-connections, --max-connections-per-address).
class session_registry {
 public:
  /// The caps; 0: none.
  void set_limits(std::size_t max_total, std::size_t max_per_address);
  /// Registers a new connection. `address` is its peer's address_key, empty when it is not counted
  /// per address (a trusted proxy). At a cap, the connection in the way that has waited longest
  /// for a request is told to close and the new one is admitted; when none is waiting, false:
  /// the caller refuses the new one (registered anyway, outside the counts, so shutdown sees it).
  [[nodiscard]] bool add(const std::shared_ptr<http_session>& s, const std::string& address);
  void remove(http_session* s);
  [[nodiscard]] std::size_t size();
  /// Asks every session to end after its current request (idle ones close now).
  void shutdown_all();
  /// A refused or rejected connection may linger (read and drop what the client still sends, so
  /// the answer is not lost to a reset) while fewer than this many do; false: close at once.
  [[nodiscard]] bool begin_linger();
  void end_linger();

 private:
  struct entry {
    std::weak_ptr<http_session> session;
    std::shared_ptr<std::atomic<std::int64_t>> waiting_since;  ///< see http_session::waiting_since_
    std::string address;
    bool counted = false;
  };
  /// Claims the longest-waiting idle connection (of `address`, or of any when empty); null if none.
  std::shared_ptr<http_session> claim_idle(const std::string* address);

  std::mutex mutex_;
  std::unordered_map<http_session*, entry> sessions_;
  std::unordered_map<std::string, std::size_t> per_address_;
  std::size_t counted_ = 0;
  std::size_t max_total_ = 0;
  std::size_t max_per_address_ = 0;
  std::atomic<int> lingering_{0};
};

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  /// `peer`: the connection's remote address; `admin`: accepted by the --admin-listen listener
  /// (health and metrics routes only).
  http_session(net::ip::tcp::socket&& socket, app& a, session_registry& registry, net::ip::address peer,
               bool admin = false);
  ~http_session();
  void run();
  /// Instead of run(), for a connection over a cap: answer 503 with Retry-After without reading
  /// the request, and close.
  void refuse();
  /// From any thread: finish the request in hand, then close; close now when idle.
  void shutdown();
  /// From any thread: close now if still waiting for a request with none of it read.
  void evict();
  /// Steady-clock ticks since when the connection waits for a request with none of it read;
  /// 0 while busy. Shared with the registry, which evicts the longest-waiting one at a cap.
  [[nodiscard]] std::shared_ptr<std::atomic<std::int64_t>> waiting_since() const { return waiting_since_; }

 private:
  enum class phase { idle, reading_body, handling, writing, streaming, closed };

  void read_header();
  void read_rest_of_header();
  void on_header(beast::error_code ec, std::size_t bytes);
  void read_body();
  void read_body_some();
  void on_body_some(beast::error_code ec, std::size_t bytes);
  [[nodiscard]] std::chrono::steady_clock::time_point body_deadline() const;
  void on_body(beast::error_code ec, std::size_t bytes);
  void handle();
  /// Sends what dispatch answered for route `route` (on the connection's strand).
  void respond(reply r, std::size_t route, bool head);
  void send(response&& res, bool close);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);
  void reject(http::status status, std::string_view code, std::string_view message);
  /// reject() with a library error's status (to_http_status) and code.
  void reject(const error& e);
  void finish_request(unsigned status);
  void close();
  void linger();

  // SSE
  void start_stream(event_stream&& stream, response&& head);
  void on_stream_event(std::string json);
  void drain_events();
  void write_next_chunk();
  void on_keepalive();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  app& app_;
  session_registry& registry_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<response> res_;
  phase phase_ = phase::idle;
  bool shutting_down_ = false;
  bool keep_alive_ = false;
  bool admin_ = false;
  bool linger_ = false;  ///< the request may be unread: drain before closing (see session_registry)
  bool lingering_ = false;
  std::size_t linger_dropped_ = 0;  ///< bytes read and dropped while lingering
  net::ip::address peer_;
  std::string client_;  ///< address_key of the current request's client (client_address.hpp)
  std::shared_ptr<std::atomic<std::int64_t>> waiting_since_ = std::make_shared<std::atomic<std::int64_t>>(0);

  // the body: --read-timeout for any pause, --min-body-rate on average after --body-grace
  net::steady_timer body_timer_;
  std::chrono::steady_clock::time_point body_started_{};
  std::chrono::steady_clock::time_point body_progress_{};
  std::uint64_t body_read_ = 0;
  bool body_too_slow_ = false;
  bool header_too_slow_ = false;  ///< the header did not arrive within --read-timeout: 408

  // the request being served, for the log line and metrics
  std::chrono::steady_clock::time_point started_{};
  std::string request_id_;
  std::string client_request_id_;  ///< an X-Request-Id not taken (untrusted peer), for the log
  std::string method_;
  std::string target_;
  std::string session_id_;
  std::size_t route_ = 0;

  // SSE state
  std::optional<event_stream> events_;
  std::optional<http::response<http::empty_body>> sse_head_;
  std::optional<http::response_serializer<http::empty_body>> sse_serializer_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool final_sent_ = false;
  bool head_written_ = false;
  std::string last_sent_;
  std::string last_updated_;
  net::steady_timer keepalive_;
};

}  // namespace bankflow::server
