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

/// The live sessions, so a shutdown can tell them to finish (and wait until they have).
class session_registry {
 public:
  void add(const std::shared_ptr<http_session>& s);
  void remove(http_session* s);
  [[nodiscard]] std::size_t size();
  /// Asks every session to end after its current request (idle ones close now).
  void shutdown_all();

 private:
  std::mutex mutex_;
  std::unordered_map<http_session*, std::weak_ptr<http_session>> sessions_;
};

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  /// `admin`: accepted by the --admin-listen listener (health and metrics routes only).
  http_session(net::ip::tcp::socket&& socket, app& a, session_registry& registry, bool admin = false);
  ~http_session();
  void run();
  /// From any thread: finish the request in hand, then close; close now when idle.
  void shutdown();

 private:
  enum class phase { idle, reading_body, handling, writing, streaming, closed };

  void read_header();
  void read_rest_of_header();
  void on_header(beast::error_code ec, std::size_t bytes);
  void read_body();
  void on_body(beast::error_code ec, std::size_t bytes);
  void handle();
  void send(response&& res, bool close);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);
  void reject(http::status status, std::string_view code, std::string_view message);
  void finish_request(unsigned status);
  void close();

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
  net::ip::address peer_;

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
