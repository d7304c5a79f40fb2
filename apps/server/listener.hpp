#pragma once
// Accepts connections and starts an http_session for each, each on its own strand.

#include "http_session.hpp"

#include <bankflow/error.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace bankflow::server {

class listener : public std::enable_shared_from_this<listener> {
 public:
  /// `admin`: the --admin-listen listener (its sessions serve health and metrics only).
  listener(net::io_context& ioc, app& a, session_registry& registry, bool admin = false);
  /// Binds and listens. Error: io_error (address in use, permission …).
  [[nodiscard]] result<net::ip::tcp::endpoint> open(const net::ip::tcp::endpoint& endpoint);
  void run();
  /// Stops accepting (from any thread).
  void stop();

 private:
  void accept();
  void on_accept(beast::error_code ec, net::ip::tcp::socket socket);

  net::io_context& ioc_;
  app& app_;
  session_registry& registry_;
  bool admin_;
  net::ip::tcp::acceptor acceptor_;
  net::steady_timer retry_;
};

}  // namespace bankflow::server
